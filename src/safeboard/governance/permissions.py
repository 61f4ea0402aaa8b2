"""Who may do what in board business (meetings and oversight). Read with ``core/permissions.py``,
which merges every module's table into the one policy (``manage.py show_permissions`` prints it).
"""

from __future__ import annotations

from safeboard.core.permissions import ModulePermissions, Role, Scope

P, A = Scope.PARTNERSHIP, Scope.AGENCY

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
    # The business plan's parts, read with the plan.
    "governance.view_priority": P,
    "governance.view_objective": P,
    "governance.view_measure": P,
    # Attendance figures (counts per seat, agency and group) on the attendance dashboard.
    "governance.count_attendance": P,
    "governance.count_groupmember": P,
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
            "priority",
            "objective",
            "measure",
        )
        for action in ("view", "add", "change", "delete")
    },
    "governance.respond_challenge": P,
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
    "governance.add_paper": A,
    # The plan's parts with the plan; attendance figures for their own agency's seats only.
    "governance.view_priority": P,
    "governance.view_objective": P,
    "governance.view_measure": P,
    "governance.count_attendance": A,
    "governance.count_groupmember": A,
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
    },
    grants={
        Role.PARTNERSHIP_ADMINISTRATOR: (_BUSINESS_UNIT,),
        Role.INDEPENDENT_CHAIR: (_BOARD_READERS, {"governance.add_challenge": P}),
        Role.BOARD_MEMBER: (_BOARD_READERS,),
        # A lay member reads their own induction record (the steps still owed to them, on My work).
        Role.LAY_MEMBER: (_BOARD_READERS, {"governance.view_laymemberinduction": Scope.OWN}),
        Role.AGENCY_SAFEGUARDING_LEAD: (_GOVERNANCE_AGENCY_LEAD,),
        Role.QUALITY_ASSURANCE_OFFICER: (_GOVERNANCE_EVERYONE,),
        Role.REVIEW_MANAGER: (_GOVERNANCE_PANEL_STAFF,),
        Role.CHILD_DEATH_REVIEW_COORDINATOR: (_GOVERNANCE_PANEL_STAFF,),
        Role.TRAINING_ADMINISTRATOR: (_GOVERNANCE_EVERYONE,),
        Role.TRAINER: (_GOVERNANCE_EVERYONE,),
        Role.PRACTITIONER: (_GOVERNANCE_EVERYONE,),
        Role.EXPLOITATION_TEAM_MEMBER: (_GOVERNANCE_EVERYONE,),
        Role.SCRUTINY: (_GOVERNANCE_SCRUTINY,),
    },
)
