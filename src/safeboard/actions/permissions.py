"""Who may do what in the partnership action log. Read with ``core/permissions.py``, which merges
every module's table into the one policy (``manage.py show_permissions`` prints it whole).

"update" is adding progress notes and evidence; "change" is editing the action itself; "close" is
reviewing evidence, closing and cancelling (never by the action's owner: see actions.services).
"""

from __future__ import annotations

from safeboard.core.permissions import ModulePermissions, Role, Scope

P, A, OWN = Scope.PARTNERSHIP, Scope.AGENCY, Scope.OWN

_ACTION_READERS: dict[str, Scope] = {"actions.view_action": P}
_ACTION_WORKERS: dict[str, Scope] = {"actions.view_action": OWN, "actions.update_action": OWN}
_ACTION_RAISERS: dict[str, Scope] = {"actions.view_action": P, "actions.add_action": P}
_ACTION_MANAGERS: dict[str, Scope] = {
    "actions.view_action": P,
    "actions.add_action": P,
    "actions.change_action": P,
    "actions.update_action": P,
    "actions.close_action": P,
}
_ACTION_AGENCY_LEAD: dict[str, Scope] = {"actions.view_action": A, "actions.update_action": A}

PERMISSIONS = ModulePermissions(
    app_label="actions",
    extra_permissions={
        "actions.update_action": "Add progress notes and evidence to an action.",
        "actions.close_action": "Review evidence, close, cancel and reopen an action (never one's own).",
    },
    grants={
        Role.PARTNERSHIP_ADMINISTRATOR: (_ACTION_MANAGERS,),
        Role.INDEPENDENT_CHAIR: (_ACTION_RAISERS, {"actions.close_action": P}),
        Role.BOARD_MEMBER: (_ACTION_READERS, _ACTION_WORKERS),
        Role.LAY_MEMBER: (_ACTION_READERS, _ACTION_WORKERS),
        Role.AGENCY_SAFEGUARDING_LEAD: (_ACTION_WORKERS, _ACTION_AGENCY_LEAD),
        Role.QUALITY_ASSURANCE_OFFICER: (_ACTION_RAISERS, _ACTION_WORKERS),
        Role.REVIEW_MANAGER: (_ACTION_RAISERS, _ACTION_WORKERS),
        Role.CHILD_DEATH_REVIEW_COORDINATOR: (_ACTION_RAISERS, _ACTION_WORKERS),
        Role.TRAINING_ADMINISTRATOR: (_ACTION_RAISERS, _ACTION_WORKERS),
        Role.TRAINER: (_ACTION_WORKERS,),
        Role.PRACTITIONER: (_ACTION_WORKERS,),
        Role.EXPLOITATION_TEAM_MEMBER: (_ACTION_WORKERS,),
        # Scrutiny sees no action.
    },
)
