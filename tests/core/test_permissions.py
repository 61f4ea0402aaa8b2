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


# --- The policy is made of every module's permissions.py ------------------------------------------------

MODEL_ACTIONS = ("view", "add", "change", "delete")


def _named_permissions() -> set[str]:
    from safeboard.core.permissions import registered_modules

    named = {perm for module in registered_modules() for tables in module.grants.values() for t in tables for perm in t}
    return named | set(SYSTEM_ADMINISTRATOR_GRANTS)


def test_every_permission_names_a_real_model_action_or_a_declared_extra():
    from django.apps import apps

    from safeboard.core.permissions import extra_permissions

    real = {f"{m._meta.app_label}.{action}_{m._meta.model_name}" for m in apps.get_models() for action in MODEL_ACTIONS}
    extras = extra_permissions()
    unknown = sorted(_named_permissions() - real - set(extras))
    assert not unknown, f"Grants that name no model action and no declared extra permission (misspelt?): {unknown}"
    # An extra permission is declared because it is not a model action, and is granted to someone.
    assert not set(extras) & real
    assert set(extras) <= _named_permissions()


def test_every_module_of_safeboard_with_a_permissions_file_is_part_of_the_policy():
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    from safeboard.core.permissions import registered_modules

    with_file = {
        app.label
        for app in apps.get_app_configs()
        if app.name.startswith("safeboard.") and module_has_submodule(app.module, "permissions")
    }
    assert {"core", "actions", "governance"} <= with_file
    assert {m.app_label for m in registered_modules()} == with_file
    # The merged table holds each module's grants (read before any request: CoreConfig.ready).
    assert ROLE_GRANTS[Role.PARTNERSHIP_ADMINISTRATOR]["actions.close_action"] == Scope.PARTNERSHIP
    assert ROLE_GRANTS[Role.SCRUTINY]["governance.view_published_minutes"] == Scope.PARTNERSHIP


def test_docs_permissions_md_is_the_current_policy():
    import io
    from pathlib import Path

    from django.core.management import call_command

    out = io.StringIO()
    call_command("show_permissions", "--markdown", stdout=out)
    written = (Path(__file__).resolve().parents[2] / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert written == out.getvalue(), (
        "docs/permissions.md is out of date. Regenerate it with: "
        ".venv/bin/python manage.py show_permissions --markdown > docs/permissions.md"
    )


def test_show_permissions_prints_one_table_by_role():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("show_permissions", stdout=out)
    lines = out.getvalue().splitlines()
    heading = next(line for line in lines if line.startswith("Permission"))
    assert heading.split() == [
        "Permission",
        "PA",
        "IC",
        "BM",
        "LM",
        "ASL",
        "QA",
        "RM",
        "CDR",
        "TA",
        "TR",
        "PR",
        "EX",
        "SC",
        "SYS",
    ]
    row = next(line for line in lines if line.startswith("governance.count_attendance "))
    #                                       PA  IC  BM  LM  ASL QA  RM  CDR TA  TR  PR  EX  SC  SYS
    assert row.split()[1:] == ["P", "P", "P", "P", "A", "-", "-", "-", "-", "-", "-", "-", "P", "-"]
