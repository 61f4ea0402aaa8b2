"""Who may do what, in one place.

Permissions are named ``<app>.<action>_<model>`` as in Django. People get them only through roles
held in a partnership (a ``Membership``). Each grant carries a *scope* that says which records of
that partnership it reaches. Everything not granted here is denied.

Read this table when reviewing a change to access: it is the whole policy. The unit tests in
``tests/core/test_permissions.py`` pin the most important lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from safeboard.accounts.models import User


class Scope(IntEnum):
    """How far a grant reaches inside one partnership. A wider scope includes the narrower."""

    OWN = 1  # records the person owns, or their own profile
    AGENCY = 2  # records of the person's own agency
    PARTNERSHIP = 3  # every record of the partnership
    # Sealed records (a model with a ``compartment``) need, on top of the scope above, the person's
    # name on the compartment's access list. No role and no scope opens a sealed record by itself.


class Role(models.TextChoices):
    PARTNERSHIP_ADMINISTRATOR = "partnership_administrator", "Partnership administrator (business unit)"
    INDEPENDENT_CHAIR = "independent_chair", "Independent chair"
    BOARD_MEMBER = "board_member", "Board member"
    LAY_MEMBER = "lay_member", "Lay member"
    AGENCY_SAFEGUARDING_LEAD = "agency_safeguarding_lead", "Agency safeguarding lead"
    QUALITY_ASSURANCE_OFFICER = "quality_assurance_officer", "Quality assurance officer"
    REVIEW_MANAGER = "review_manager", "Review manager"
    CHILD_DEATH_REVIEW_COORDINATOR = "child_death_review_coordinator", "Child death review coordinator"
    TRAINING_ADMINISTRATOR = "training_administrator", "Training administrator"
    TRAINER = "trainer", "Trainer"
    PRACTITIONER = "practitioner", "Practitioner"
    EXPLOITATION_TEAM_MEMBER = "exploitation_team_member", "Exploitation and missing children team member"
    SCRUTINY = "scrutiny", "Scrutiny (figures only, read-only)"


# The install-wide role. It is held on the person (``User.is_system_administrator``), not in a
# partnership, because it looks after the platform itself.
SYSTEM_ADMINISTRATOR_LABEL = "System administrator"

P, A, OWN = Scope.PARTNERSHIP, Scope.AGENCY, Scope.OWN

# Grants that every member of a partnership has, whatever their role.
_EVERY_MEMBER: dict[str, Scope] = {
    "core.view_partnership": P,
    "core.view_agency": P,
    "core.view_localauthorityarea": P,
    "core.view_locality": P,
    "accounts.view_user": OWN,
    "accounts.change_user": OWN,
    # Questionnaire definitions are not secret; a response is seen by whoever gave it.
    "core.view_questionnaire": P,
    "core.view_questionnaireversion": P,
    "core.view_questionnaireresponse": OWN,
}

_ADMINISTRATION: dict[str, Scope] = {
    "core.change_partnership": P,
    "core.add_agency": P,
    "core.change_agency": P,
    "core.add_localauthorityarea": P,
    "core.change_localauthorityarea": P,
    "core.add_locality": P,
    "core.change_locality": P,
    "accounts.view_user": P,
    "accounts.add_user": P,
    "accounts.change_user": P,
    "accounts.deactivate_user": P,
    "accounts.view_membership": P,
    "accounts.add_membership": P,
    "accounts.delete_membership": P,
    # Record history and "who viewed this" for the partnership's records.
    "core.view_history": P,
    # Asking to add an agency that sits on other partnerships, and deciding such requests for the
    # agencies on this partnership (core.models.AgencyJoinRequest).
    "core.view_agencyjoinrequest": P,
    "core.add_agencyjoinrequest": P,
    "core.decide_agencyjoinrequest": P,
    # The partnership's own questionnaires (platform-wide ones are read-only to every partnership).
    "core.add_questionnaire": P,
    "core.change_questionnaire": P,
    "core.add_questionnaireversion": P,
    "core.change_questionnaireversion": P,
    "core.publish_questionnaireversion": P,
    "core.view_questionnaireresponse": P,
}

_AGENCY_LEAD: dict[str, Scope] = {
    "accounts.view_user": A,
    "accounts.view_membership": A,
}

# --- The partnership action log -----------------------------------------------------------------------
# "update" is adding progress notes and evidence; "change" is editing the action itself; "close" is
# reviewing evidence, closing and cancelling (never by the action's owner: see actions.services).
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

# --- Board business (governance) ----------------------------------------------------------------------------
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
    "governance.view_layememberinduction": P,
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
# Scrutiny reads published minutes and figures only (see governance.views).
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
}

_ROLE_GRANTS: dict[Role, tuple[dict[str, Scope], ...]] = {
    Role.PARTNERSHIP_ADMINISTRATOR: (_ADMINISTRATION, _ACTION_MANAGERS, _BUSINESS_UNIT),
    Role.INDEPENDENT_CHAIR: (
        _ACTION_RAISERS,
        {"actions.close_action": P},
        _BOARD_READERS,
        {"governance.add_challenge": P},
    ),
    Role.BOARD_MEMBER: (_ACTION_READERS, _ACTION_WORKERS, _BOARD_READERS),
    Role.LAY_MEMBER: (_ACTION_READERS, _ACTION_WORKERS, _BOARD_READERS),
    Role.AGENCY_SAFEGUARDING_LEAD: (_AGENCY_LEAD, _ACTION_WORKERS, _ACTION_AGENCY_LEAD, _GOVERNANCE_AGENCY_LEAD),
    Role.QUALITY_ASSURANCE_OFFICER: (_ACTION_RAISERS, _ACTION_WORKERS, _GOVERNANCE_EVERYONE),
    Role.REVIEW_MANAGER: (_ACTION_RAISERS, _ACTION_WORKERS, _GOVERNANCE_EVERYONE),
    Role.CHILD_DEATH_REVIEW_COORDINATOR: (_ACTION_RAISERS, _ACTION_WORKERS, _GOVERNANCE_EVERYONE),
    Role.TRAINING_ADMINISTRATOR: (_ACTION_RAISERS, _ACTION_WORKERS, _GOVERNANCE_EVERYONE),
    Role.TRAINER: (_ACTION_WORKERS, _GOVERNANCE_EVERYONE),
    Role.PRACTITIONER: (_ACTION_WORKERS, _GOVERNANCE_EVERYONE),
    Role.EXPLOITATION_TEAM_MEMBER: (_ACTION_WORKERS, _GOVERNANCE_EVERYONE),
    # Scrutiny sees figures, the plan and published minutes, never a person's record (not even
    # other members' profiles) and no action.
    Role.SCRUTINY: (_GOVERNANCE_SCRUTINY,),
}


def _merge(*tables: dict[str, Scope]) -> dict[str, Scope]:
    merged: dict[str, Scope] = {}
    for table in tables:
        for perm, scope in table.items():
            if scope > merged.get(perm, 0):
                merged[perm] = scope
    return merged


ROLE_GRANTS: dict[Role, dict[str, Scope]] = {
    role: _merge(_EVERY_MEMBER, *tables) for role, tables in _ROLE_GRANTS.items()
}

# Roles whose holders can see personal data; two-factor sign-in is mandatory for them. Scrutiny
# sees only figures with small numbers suppressed.
ROLES_WITHOUT_PERSONAL_DATA = frozenset({Role.SCRUTINY})

# What a system administrator may do, in every partnership. It covers the platform's own records
# (partnerships, agencies, people, roles, the audit trail), not the casework of the modules: a
# module's records stay inside partnership roles.
SYSTEM_ADMINISTRATOR_GRANTS = frozenset(
    {
        "core.view_partnership",
        "core.add_partnership",
        "core.change_partnership",
        "core.view_agency",
        "core.add_agency",
        "core.change_agency",
        "core.view_localauthorityarea",
        "core.add_localauthorityarea",
        "core.change_localauthorityarea",
        "core.view_locality",
        "core.add_locality",
        "core.change_locality",
        "core.view_history",
        "core.view_auditlog",
        "core.view_agencyjoinrequest",
        "core.add_agencyjoinrequest",
        "core.decide_agencyjoinrequest",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.deactivate_user",
        "accounts.view_membership",
        "accounts.add_membership",
        "accounts.delete_membership",
    }
)


def role_needs_two_factor(role: str) -> bool:
    return role not in ROLES_WITHOUT_PERSONAL_DATA


@dataclass
class Grants:
    """The permissions one person holds, per partnership, worked out once per request."""

    by_perm: dict[str, dict[int, Scope]] = field(default_factory=dict)
    roles: dict[int, set[str]] = field(default_factory=dict)
    system_administrator: bool = False

    @classmethod
    def from_memberships(cls, memberships: Iterable[tuple[int, str]], system_administrator: bool = False) -> Grants:
        grants = cls(system_administrator=system_administrator)
        for partnership_id, role in memberships:
            grants.roles.setdefault(partnership_id, set()).add(role)
            for perm, scope in ROLE_GRANTS[Role(role)].items():
                current = grants.by_perm.setdefault(perm, {}).get(partnership_id)
                if current is None or scope > current:
                    grants.by_perm[perm][partnership_id] = scope
        return grants

    def everywhere(self, perm: str) -> bool:
        """True when the person holds ``perm`` in every partnership (system administrators)."""
        return self.system_administrator and perm in SYSTEM_ADMINISTRATOR_GRANTS

    def scopes(self, perm: str) -> dict[int, Scope]:
        """Partnership id -> widest scope for ``perm``."""
        return self.by_perm.get(perm, {})

    def scope_in(self, perm: str, partnership_id: int | None) -> Scope | None:
        if self.everywhere(perm):
            return Scope.PARTNERSHIP
        if partnership_id is None:
            return None
        return self.scopes(perm).get(partnership_id)

    def has_anywhere(self, perm: str) -> bool:
        return self.everywhere(perm) or bool(self.scopes(perm))


def grants_for(user: User) -> Grants:
    """The person's grants, cached on the user object for the rest of the request."""
    cached = getattr(user, "_safeboard_grants", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        grants = Grants()
    else:
        memberships = user.memberships.filter(is_active=True, partnership__is_active=True).values_list(
            "partnership_id", "role"
        )
        grants = Grants.from_memberships(memberships, system_administrator=user.is_system_administrator)
    user._safeboard_grants = grants
    return grants


def forget_grants(user: User) -> None:
    """Drop the cached grants after roles change within one request."""
    if hasattr(user, "_safeboard_grants"):
        del user._safeboard_grants
