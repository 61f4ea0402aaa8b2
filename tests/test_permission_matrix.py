"""One test walks every URL pattern of the site and the API with the standard personas.

Each row gives the status code each persona must get on GET, in the order of ``PERSONAS``:
anonymous, practitioner of agency A, practitioner of agency B, agency A's safeguarding lead,
the partnership administrator, the administrator of another partnership, scrutiny, and the
system administrator. Objects in the URLs belong to the Alpha partnership (agency A). A URL that
is added without a row here fails ``test_it_has_a_row_for_every_url``. A key ``name@variant`` is a
further row for the URL ``name``, pointing at other records (a members-only group's meeting, a
confidential paper…).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS, World, sign_in

Kwargs = Callable[[World], dict[str, Any]]


def none(w: World) -> dict[str, Any]:
    return {}


def pk(attribute: str) -> Kwargs:
    return lambda w: {"pk": getattr(w, attribute).pk}


def history_of_agency_a(w: World) -> dict[str, Any]:
    return {"app_label": "core", "model_name": "agency", "pk": w.agency_a.pk}


def reset_link(w: World) -> dict[str, Any]:
    return {"uidb64": "MTIzNDU2", "token": "not-a-real-token"}


#                                anon prA  prB  lead adm  oth  scr  sys
SIGNED_IN_ALL = "302 200 200 200 200 200 200 200"
POST_ONLY = "302 405 405 405 405 405 405 405"
SYSTEM_ADMIN_ONLY = "302 403 403 403 403 403 403 200"
ADMINS_ADD = "302 403 403 403 200 200 403 200"
ADMINS_CHANGE_ALPHA = "302 403 403 403 200 404 403 200"
ALPHA_RECORD = "302 200 200 200 200 404 200 200"
API_ALL = "401 200 200 200 200 200 200 200"
API_ALPHA_RECORD = "401 200 200 200 200 404 200 200"
PUBLIC = "200 200 200 200 200 200 200 200"

MATRIX: dict[str, tuple[Kwargs, str]] = {
    # --- core ---
    "core:home": (none, SIGNED_IN_ALL),
    "core:switch-partnership": (none, POST_ONLY),
    "core:partnership-list": (none, SYSTEM_ADMIN_ONLY),
    "core:partnership-new": (none, SYSTEM_ADMIN_ONLY),
    "core:partnership-detail": (pk("alpha"), ALPHA_RECORD),
    "core:partnership-edit": (pk("alpha"), ADMINS_CHANGE_ALPHA),
    "core:agency-list": (none, SIGNED_IN_ALL),
    # Finding a person to pick: every role but scrutiny (figures only).
    "core:people-search": (none, "302 200 200 200 200 200 403 200"),
    "core:agency-new": (none, ADMINS_ADD),
    "core:agency-join": (none, ADMINS_ADD),
    "core:agency-detail": (pk("agency_a"), ALPHA_RECORD),
    "core:agency-edit": (pk("agency_a"), ADMINS_CHANGE_ALPHA),
    "core:locality-list": (none, SIGNED_IN_ALL),
    "core:locality-new": (none, ADMINS_ADD),
    "core:locality-edit": (pk("locality"), ADMINS_CHANGE_ALPHA),
    "core:area-new": (none, ADMINS_ADD),
    "core:area-edit": (pk("area"), ADMINS_CHANGE_ALPHA),
    "core:record-history": (history_of_agency_a, ADMINS_CHANGE_ALPHA),
    "core:audit-changes": (none, SYSTEM_ADMIN_ONLY),
    "core:audit-access": (none, SYSTEM_ADMIN_ONLY),
    "core:healthz": (none, PUBLIC),
    "core:readyz": (none, PUBLIC),
    # --- accounts ---
    "accounts:sign-in": (none, "200 302 302 302 302 302 302 302"),
    "accounts:sign-in-code": (none, SIGNED_IN_ALL),
    "accounts:sign-out": (none, POST_ONLY),
    "accounts:my-account": (none, SIGNED_IN_ALL),
    "accounts:my-details": (none, SIGNED_IN_ALL),
    # Everyone here already has an authenticator, so the set-up page sends them back to My account.
    "accounts:two-factor-setup": (none, "302 302 302 302 302 302 302 302"),
    "accounts:password-change": (none, SIGNED_IN_ALL),
    "accounts:token-new": (none, SIGNED_IN_ALL),
    "accounts:token-revoke": (pk("token"), POST_ONLY),
    "accounts:password-reset": (none, PUBLIC),
    "accounts:password-reset-sent": (none, PUBLIC),
    "accounts:password-reset-confirm": (reset_link, PUBLIC),
    "accounts:password-reset-complete": (none, PUBLIC),
    # Lists of people: administrators and agency leads; practitioners and scrutiny see none.
    "accounts:person-list": (none, "302 403 403 200 200 200 403 200"),
    "accounts:person-new": (none, ADMINS_ADD),
    # Practitioner A's own profile: they see it, their agency lead sees it, nobody else outside.
    "accounts:person-detail": (pk("practitioner_a"), "302 200 404 200 200 404 404 200"),
    "accounts:person-edit": (pk("practitioner_a"), "302 200 404 403 200 404 404 200"),
    "accounts:person-status": (pk("practitioner_a"), "302 403 404 403 200 404 404 200"),
    "accounts:membership-new": (pk("practitioner_a"), "302 403 404 403 200 404 404 200"),
    "accounts:membership-remove": (pk("membership"), POST_ONLY),
    # --- API ---
    "api:api-root": (none, API_ALL),
    "api:schema": (none, API_ALL),
    "api:docs": (none, API_ALL),
    "api:partnership-list": (none, API_ALL),
    "api:partnership-detail": (pk("alpha"), API_ALPHA_RECORD),
    "api:agency-list": (none, API_ALL),
    "api:agency-detail": (pk("agency_a"), API_ALPHA_RECORD),
    "api:area-list": (none, API_ALL),
    "api:area-detail": (pk("area"), API_ALPHA_RECORD),
    "api:locality-list": (none, API_ALL),
    "api:locality-detail": (pk("locality"), API_ALPHA_RECORD),
    "api:person-list": (none, API_ALL),
    "api:person-me": (none, API_ALL),
    "api:person-detail": (pk("practitioner_a"), "401 200 404 200 200 404 404 200"),
}


# Each module keeps its rows beside its tests, in tests/<module>/matrix_rows.py: ``ROWS`` (the same
# shape as MATRIX) and ``build(world)``, which adds the module's records in the Alpha partnership to
# ``world.extras`` for the URLs to point at.
MODULE_ROW_FILES = (
    "tests.actions.matrix_rows",
    "tests.governance.matrix_rows_meetings",
    "tests.governance.matrix_rows_oversight",
    "tests.governance.matrix_rows_access",
    "tests.governance.matrix_rows_members",
    "tests.accounts.matrix_rows",
    "tests.core.matrix_rows_questionnaires",
)
BUILDERS: list[Callable[[World], None]] = []
for _name in MODULE_ROW_FILES:
    _module = importlib.import_module(_name)
    assert not set(_module.ROWS) & set(MATRIX), f"{_name} repeats rows that are already in the matrix"
    MATRIX.update(_module.ROWS)
    BUILDERS.append(_module.build)


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"every URL needs a name (the matrix refers to it): {pattern.pattern}"
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_it_has_a_row_for_every_url():
    names = all_url_names()
    rows = {key.split("@")[0] for key in MATRIX}
    missing = sorted(names - rows)
    stale = sorted(rows - names)
    assert not missing, f"URLs without a row in the permission matrix: {missing}"
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_every_persona_gets_exactly_the_expected_answer(url_name, world):
    for build in BUILDERS:
        build(world)
    kwargs, row = MATRIX[url_name]
    expected = dict(zip(PERSONAS, (int(code) for code in row.split()), strict=True))
    url = reverse(url_name.split("@")[0], kwargs=kwargs(world))
    outcomes = {}
    for persona in PERSONAS:
        client = Client()
        user = world.persona(persona)
        if user is not None:
            sign_in(client, user)
        outcomes[persona] = client.get(url).status_code
    assert outcomes == expected, f"{url_name} ({url})"


@pytest.mark.parametrize("url_name", sorted(n for n, (_, row) in MATRIX.items() if row.startswith("302")))
def test_anonymous_visitors_are_sent_to_sign_in(url_name, world, client):
    for build in BUILDERS:
        build(world)
    kwargs, _ = MATRIX[url_name]
    response = client.get(reverse(url_name.split("@")[0], kwargs=kwargs(world)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_outsider_404_pages_say_nothing_about_the_record(world, signed_in):
    client = signed_in(world.other_admin)
    response = client.get(reverse("core:agency-detail", args=[world.agency_a.pk]))
    assert response.status_code == 404
    assert world.agency_a.name.encode() not in response.content
    api = client.get(reverse("api:agency-detail", args=[world.agency_a.pk]))
    assert api.status_code == 404
    assert api.json() == {"detail": "Not found."}
