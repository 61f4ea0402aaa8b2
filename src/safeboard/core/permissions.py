"""Who may do what: the roles, the scopes, core's own grants, and the registry that merges every
module's grants into one policy.

Permissions are named ``<app>.<action>_<model>`` as in Django. People get them only through roles
held in a partnership (a ``Membership``). Each grant carries a *scope* that says which records of
that partnership it reaches. Everything not granted is denied.

When reviewing a change to access, read ``docs/permissions.md`` (the whole merged policy, generated
by ``manage.py show_permissions --markdown``) and the module's ``permissions.py``. The unit tests in
``tests/core/test_permissions.py`` pin the most important lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from importlib import import_module
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db import models

if TYPE_CHECKING:
    from safeboard.accounts.models import User


class Scope(IntEnum):
    """How far a grant reaches inside one partnership. A wider scope includes the narrower."""

    OWN = 1  # records the person owns, or their own profile
    AGENCY = 2  # records of the person's own agency, and those they own
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

# Finding a person of the partnership (name, agency, role) to pick them in a form: an owner, a
# presenter, a chair. Every role but scrutiny, which sees figures only.
_PICK_PEOPLE: dict[str, Scope] = {"accounts.pick_user": P}

_AGENCY_LEAD: dict[str, Scope] = {
    "accounts.view_user": A,
    "accounts.view_membership": A,
}

# Core's own grants are the tables above: partnerships, agencies, places, people, roles and record
# history. Each module keeps its grants in its own ``permissions.py`` (``actions/permissions.py``,
# ``governance/permissions.py``), declared as a ``ModulePermissions`` named ``PERMISSIONS``; core
# finds them all when Django starts (``load_module_permissions``, from ``CoreConfig.ready``) and
# merges them into ``ROLE_GRANTS``. ``manage.py show_permissions`` prints the merged policy as one
# table (and ``docs/permissions.md`` is that table).


@dataclass(frozen=True)
class ModulePermissions:
    """One module's part of the policy.

    ``grants``: for each role, the tables of "permission -> scope" it holds (merged, widest scope
    wins). ``extra_permissions``: the permissions the module names that are not a model's
    view/add/change/delete (for example ``actions.close_action``), each with what it allows;
    ``tests/core/test_permissions.py`` refuses any other name, so a misspelt grant cannot hide.
    """

    app_label: str
    grants: Mapping[Role, tuple[Mapping[str, Scope], ...]]
    extra_permissions: Mapping[str, str] = field(default_factory=dict)


PERMISSIONS = ModulePermissions(
    app_label="core",
    extra_permissions={
        "accounts.deactivate_user": "Deactivate and reactivate a person's account.",
        "core.view_history": "Read a record's history and who viewed it.",
        "core.view_auditlog": "Search the whole change log and access log (system administrators).",
        "core.publish_questionnaireversion": "Publish a questionnaire version, which freezes it for good.",
        "core.decide_agencyjoinrequest": "Approve or decline another partnership's request to add an agency.",
        "accounts.pick_user": "Find the partnership's people by name, agency and role to pick one in a form.",
    },
    grants={
        **{role: (_EVERY_MEMBER, _PICK_PEOPLE) for role in Role if role != Role.SCRUTINY},
        Role.SCRUTINY: (_EVERY_MEMBER,),
        Role.PARTNERSHIP_ADMINISTRATOR: (_EVERY_MEMBER, _PICK_PEOPLE, _ADMINISTRATION),
        Role.AGENCY_SAFEGUARDING_LEAD: (_EVERY_MEMBER, _PICK_PEOPLE, _AGENCY_LEAD),
    },
)


def _merge(*tables: Mapping[str, Scope]) -> dict[str, Scope]:
    merged: dict[str, Scope] = {}
    for table in tables:
        for perm, scope in table.items():
            if scope > merged.get(perm, 0):
                merged[perm] = scope
    return merged


_MODULES: dict[str, ModulePermissions] = {}

# The whole policy: role -> permission -> scope, merged from every registered module. The inner
# dicts are updated in place, so code that imported ROLE_GRANTS early reads the complete table.
ROLE_GRANTS: dict[Role, dict[str, Scope]] = {role: {} for role in Role}
_policy_loaded = False


def register(module: ModulePermissions) -> None:
    """Add (or replace) one module's part of the policy, then merge the whole table again."""
    _MODULES[module.app_label] = module
    for role in Role:
        merged = _merge(*(table for m in _MODULES.values() for table in m.grants.get(role, ())))
        ROLE_GRANTS[role].clear()
        ROLE_GRANTS[role].update(merged)


def registered_modules() -> list[ModulePermissions]:
    return list(_MODULES.values())


def extra_permissions() -> dict[str, str]:
    """Every declared permission that is not a model's view/add/change/delete, with what it allows."""
    return {perm: text for m in _MODULES.values() for perm, text in m.extra_permissions.items()}


def load_module_permissions() -> None:
    """Import ``<app>.permissions`` of every installed app and register its ``PERMISSIONS``.

    Called from ``CoreConfig.ready()``, so the policy is complete before the first request;
    ``grants_for`` refuses to work until it has run.
    """
    global _policy_loaded
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for app_config in apps.get_app_configs():
        if not module_has_submodule(app_config.module, "permissions"):
            continue
        declared = getattr(import_module(f"{app_config.name}.permissions"), "PERMISSIONS", None)
        if isinstance(declared, ModulePermissions):
            register(declared)
        elif app_config.name.startswith("safeboard."):
            # Other libraries (Django REST framework…) have a permissions module of their own.
            raise ImproperlyConfigured(
                f"{app_config.name}.permissions must define PERMISSIONS = ModulePermissions(...)."
            )
    _policy_loaded = True


register(PERMISSIONS)

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
        "accounts.pick_user",
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
    cached: Grants | None = getattr(user, "_safeboard_grants", None)
    if cached is not None:
        return cached
    if not _policy_loaded:
        raise ImproperlyConfigured("The permission policy is not loaded yet: CoreConfig.ready() loads it.")
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
