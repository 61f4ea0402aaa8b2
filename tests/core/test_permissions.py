"""The role table: the lines of policy that matter most, pinned so that a change is deliberate."""

from __future__ import annotations

import pytest

from safeboard.core.permissions import (
    ROLE_GRANTS,
    ROLES_WITHOUT_PERSONAL_DATA,
    SYSTEM_ADMINISTRATOR_GRANTS,
    Grants,
    Role,
    Scope,
    role_needs_two_factor,
)


def test_every_role_has_an_entry():
    assert set(ROLE_GRANTS) == set(Role)


def test_only_partnership_administrators_manage_agencies_people_and_roles():
    for perm in ("core.change_agency", "accounts.add_user", "accounts.add_membership", "core.view_history"):
        holders = {role for role, grants in ROLE_GRANTS.items() if perm in grants}
        assert holders == {Role.PARTNERSHIP_ADMINISTRATOR}, perm


def test_agency_leads_see_their_own_agencys_people_only():
    assert ROLE_GRANTS[Role.AGENCY_SAFEGUARDING_LEAD]["accounts.view_user"] == Scope.AGENCY


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in (Role.PARTNERSHIP_ADMINISTRATOR, Role.AGENCY_SAFEGUARDING_LEAD)]
)
def test_other_roles_see_only_their_own_profile(role):
    assert ROLE_GRANTS[role]["accounts.view_user"] == Scope.OWN


def test_scrutiny_needs_no_second_factor_and_everyone_else_does():
    assert ROLES_WITHOUT_PERSONAL_DATA == {Role.SCRUTINY}
    assert not role_needs_two_factor(Role.SCRUTINY)
    assert all(role_needs_two_factor(r) for r in Role if r != Role.SCRUTINY)


def test_the_widest_scope_wins_when_a_person_holds_several_roles():
    grants = Grants.from_memberships(
        [(1, Role.PRACTITIONER), (1, Role.AGENCY_SAFEGUARDING_LEAD), (2, Role.PRACTITIONER)]
    )
    assert grants.scope_in("accounts.view_user", 1) == Scope.AGENCY
    assert grants.scope_in("accounts.view_user", 2) == Scope.OWN
    assert grants.scope_in("accounts.view_user", 3) is None
    assert grants.scope_in("core.change_agency", 1) is None


def test_system_administrators_hold_platform_permissions_everywhere_but_no_casework():
    grants = Grants.from_memberships([], system_administrator=True)
    assert grants.scope_in("core.change_agency", 999) == Scope.PARTNERSHIP
    assert grants.everywhere("core.view_auditlog")
    assert all(p.split(".")[0] in {"core", "accounts"} for p in SYSTEM_ADMINISTRATOR_GRANTS)
    assert not grants.everywhere("exploitation.view_intelligence")
