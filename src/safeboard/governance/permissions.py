"""Who may do what in board business (meetings and oversight). Read with ``core/permissions.py``,
which merges every module's table into the one policy (``manage.py show_permissions`` prints it).
"""

from __future__ import annotations

from safeboard.core.permissions import ModulePermissions, Role, Scope

P, A, OWN = Scope.PARTNERSHIP, Scope.AGENCY, Scope.OWN

# The register of interests (``core/interests.py``; the pages are board business's). Everyone keeps
# their own register; board members read one another's (registers of board members are open to
# the board); the business unit keeps everyone's. Declarations are read with the meeting, and a
# member declares their own.
_OWN_REGISTER: dict[str, Scope] = {
    "core.view_interest": OWN,
    "core.add_interest": OWN,
    "core.change_interest": OWN,
    "core.view_interestdeclaration": OWN,
}
_BOARD_REGISTER: dict[str, Scope] = {
    **_OWN_REGISTER,
    "core.view_interest": P,
    "core.view_interestdeclaration": P,
    "core.add_interestdeclaration": OWN,
    "governance.view_itemdecision": P,
    # Members send their own apologies, for their own seat (checked in the service).
    "governance.send_apologies": P,
}
# The partnership's documents (arrangements, terms of reference), their versions and sign-off, the
# statutory partners, seat criteria: read by those who read board business, kept by the business
# unit. A statutory partner signs off as the person named for it (checked in the service), not by
# role. Induction steps: the member reads their own, the business unit keeps everyone's.
_ARRANGEMENTS_READERS: dict[str, Scope] = {
    "governance.view_partnershipdocument": P,
    "governance.view_documentversion": P,
    "governance.view_signoff": P,
    "governance.view_statutorypartner": P,
    "governance.view_seatcriteria": P,
    "governance.view_inductionstep": OWN,
}
_ARRANGEMENTS_UNIT: dict[str, Scope] = {
    **{
        f"governance.{action}_{model}": P
        for model in (
            "partnershipdocument",
            "documentversion",
            "signoff",
            "statutorypartner",
            "seatcriteria",
            "inductionstep",
        )
        for action in ("view", "add", "change")
    },
}
_UNIT_REGISTER: dict[str, Scope] = {
    "core.view_interest": P,
    "core.add_interest": P,
    "core.change_interest": P,
    "core.view_interestdeclaration": P,
    "core.add_interestdeclaration": P,
    "governance.view_itemdecision": P,
    # Read receipts: who has opened which paper (the read receipts page also needs to manage the meeting).
    "governance.view_paperread": P,
}

# The annual cycle (governance/cycle). Readers of board business read a group's series, standing
# items, forward plan, the papers asked for and its decisions (under the group's access rule and the
# confidential rule). An author sends the papers asked of them (OWN); the business unit keeps the
# rest. Papers are checked by the business unit or a member of the executive group (the service
# decides who, so board members hold the permission and the executive's seat is checked).
_CYCLE_READERS: dict[str, Scope] = {
    "governance.view_meetingseries": P,
    "governance.view_standingitem": P,
    "governance.view_forwardplanitem": P,
    "governance.view_paperrequest": P,
    "governance.submit_paperrequest": OWN,
    "governance.check_paperrequest": P,
    "governance.view_itemdecision": P,
}

_BOARD_READERS: dict[str, Scope] = {
    "governance.view_group": P,
    "governance.view_meeting": P,
    # Meeting readers also read who sits on the group, the agenda and the papers.
    "governance.view_groupmember": P,
    "governance.view_agendaitem": P,
    "governance.view_paper": P,
    "governance.view_attendance": P,
    "governance.view_accountabilitysession": P,
    "governance.view_businessplan": P,
    "governance.view_challenge": P,
    "governance.add_challenge": P,
    "governance.view_fundingcontribution": P,
    "governance.view_fundingagreement": P,
    "governance.view_fundingstep": P,
    # The budget (spending lines) for the annual report, signed off by the statutory partners.
    "governance.view_budget": P,
    "governance.view_budgetline": P,
    # The yearly board self-assessment: members answer it and read its results (figures only).
    "governance.view_selfassessment": P,
    "governance.answer_selfassessment": P,
    # The business plan's parts, read with the plan.
    "governance.view_priority": P,
    "governance.view_objective": P,
    "governance.view_measure": P,
    # Attendance figures (counts per seat, agency and group) on the attendance dashboard.
    "governance.count_attendance": P,
    "governance.count_groupmember": P,
    # The annual cycle (governance/cycle): series, standing items, the forward plan and the papers
    # asked for, read under the group's access rule; the decision log.
    **_CYCLE_READERS,
}
_BUSINESS_UNIT: dict[str, Scope] = {
    **_BOARD_READERS,
    **{
        f"governance.{action}_{model}": P
        for model in (
            "group",
            "groupmember",
            "laymemberinduction",
            "meeting",
            "agendaitem",
            "paper",
            "attendance",
            "absencefollowup",
            "accountabilitysession",
            "businessplan",
            "challenge",
            "fundingcontribution",
            "fundingagreement",
            "fundingstep",
            "budget",
            "budgetline",
            "selfassessment",
            "chairreview",
            "priority",
            "objective",
            "measure",
            "meetingseries",
            "standingitem",
            "forwardplanitem",
            "paperrequest",
            "itemdecision",
        )
        for action in ("view", "add", "change", "delete")
    },
    "governance.respond_challenge": P,
    "governance.submit_paperrequest": P,
    "governance.check_paperrequest": P,
}
_GOVERNANCE_AGENCY_LEAD: dict[str, Scope] = {
    "governance.view_group": P,
    "governance.view_meeting": P,
    # Like board readers: group members, the agenda and the papers of meetings they can read.
    "governance.view_groupmember": P,
    "governance.view_agendaitem": P,
    "governance.view_paper": P,
    "governance.view_attendance": A,
    "governance.view_accountabilitysession": A,
    "governance.view_businessplan": P,
    "governance.view_challenge": A,
    # The lead enters their agency's response to a challenge to it.
    "governance.respond_challenge": A,
    "governance.view_fundingcontribution": A,
    "governance.view_fundingagreement": A,
    "governance.view_fundingstep": A,
    "governance.add_paper": A,
    # Agency leads sit on the board: they answer the self-assessment and read its results.
    "governance.view_selfassessment": P,
    "governance.answer_selfassessment": P,
    # The plan's parts with the plan; attendance figures for their own agency's seats only.
    "governance.view_priority": P,
    "governance.view_objective": P,
    "governance.view_measure": P,
    "governance.count_attendance": A,
    "governance.count_groupmember": A,
    **{name: scope for name, scope in _CYCLE_READERS.items() if name != "governance.check_paperrequest"},
}
# Everyone on the partnership can read its plan and see its groups.
_GOVERNANCE_EVERYONE: dict[str, Scope] = {
    "governance.view_group": P,
    "governance.view_businessplan": P,
    # The plan's parts (priorities, objectives, measures) are read with the plan.
    "governance.view_priority": P,
    "governance.view_objective": P,
    "governance.view_measure": P,
}
# The staff who run the panels that meet as groups (case reviews, child death): they read the meetings,
# agendas and papers of the groups they may read. A members-only group stays closed to them unless they
# hold a seat on it, are named by it, or chair it (``governance/meetings/access.py``).
_GOVERNANCE_PANEL_STAFF: dict[str, Scope] = {
    **_GOVERNANCE_EVERYONE,
    "governance.view_meeting": P,
    "governance.view_groupmember": P,
    "governance.view_agendaitem": P,
    "governance.view_paper": P,
}
# Scrutiny reads published minutes and figures only (``visible_meetings`` and the attendance
# dashboard in governance/meetings/views.py and governance/oversight/views.py).
_GOVERNANCE_SCRUTINY: dict[str, Scope] = {
    "governance.view_group": P,
    "governance.view_published_minutes": P,
    "governance.view_businessplan": P,
    "governance.view_priority": P,
    "governance.view_objective": P,
    "governance.view_measure": P,
    # Attendance counts per agency and per group, never a named member's record.
    "governance.count_attendance": P,
    "governance.count_groupmember": P,
    # Scrutiny raises challenges (to an agency or to the board) and follows the ones it raised.
    "governance.add_challenge": P,
    "governance.view_challenge": Scope.OWN,
}

PERMISSIONS = ModulePermissions(
    app_label="governance",
    extra_permissions={
        "governance.count_attendance": "Count attendance on the attendance dashboard (figures, not names).",
        "governance.count_groupmember": "Count the seats behind the attendance figures.",
        "governance.view_published_minutes": "Read a meeting's minutes once they are published, and nothing else of it.",
        "governance.respond_challenge": "Enter the challenged agency's response to a challenge.",
        "governance.send_apologies": "Send apologies for a meeting at which one has a seat, naming one's deputy.",
        "governance.submit_paperrequest": "Send a paper asked of one, with its cover sheet.",
        "governance.check_paperrequest": "Check a paper before it is circulated (the business unit or the executive).",
        "governance.answer_selfassessment": "Answer the board's yearly self-assessment (once a year).",
    },
    grants={
        Role.PARTNERSHIP_ADMINISTRATOR: (_BUSINESS_UNIT, _UNIT_REGISTER, _ARRANGEMENTS_UNIT),
        Role.INDEPENDENT_CHAIR: (
            _BOARD_READERS,
            # The chair reads their own annual review (the statutory partners read it as such: see
            # ``effectiveness/models.py``).
            {"governance.add_challenge": P, "governance.view_chairreview": OWN},
            _BOARD_REGISTER,
            _ARRANGEMENTS_READERS,
        ),
        Role.BOARD_MEMBER: (_BOARD_READERS, _BOARD_REGISTER, _ARRANGEMENTS_READERS),
        # A lay member reads their own induction record (the steps still owed to them, on My work).
        Role.LAY_MEMBER: (
            _BOARD_READERS,
            {"governance.view_laymemberinduction": Scope.OWN},
            _BOARD_REGISTER,
            _ARRANGEMENTS_READERS,
        ),
        Role.AGENCY_SAFEGUARDING_LEAD: (_GOVERNANCE_AGENCY_LEAD, _BOARD_REGISTER, _ARRANGEMENTS_READERS),
        Role.QUALITY_ASSURANCE_OFFICER: (_GOVERNANCE_EVERYONE, _OWN_REGISTER),
        Role.REVIEW_MANAGER: (_GOVERNANCE_PANEL_STAFF, _OWN_REGISTER),
        Role.CHILD_DEATH_REVIEW_COORDINATOR: (_GOVERNANCE_PANEL_STAFF, _OWN_REGISTER),
        Role.TRAINING_ADMINISTRATOR: (_GOVERNANCE_EVERYONE, _OWN_REGISTER),
        Role.TRAINER: (_GOVERNANCE_EVERYONE, _OWN_REGISTER),
        Role.PRACTITIONER: (_GOVERNANCE_EVERYONE, _OWN_REGISTER),
        Role.EXPLOITATION_TEAM_MEMBER: (_GOVERNANCE_EVERYONE, _OWN_REGISTER),
        Role.SCRUTINY: (_GOVERNANCE_SCRUTINY, _OWN_REGISTER),
    },
)
