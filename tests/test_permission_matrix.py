"""One test walks every URL pattern of the site and the API with the standard personas, on GET and POST.

Each URL name has one ``Row`` (``tests/matrix.py`` explains its fields): the status each persona
gets on GET and on POST, in the order of ``PERSONAS`` (anonymous, practitioner of agency A,
practitioner of agency B, agency A's safeguarding lead, the partnership administrator, the
administrator of another partnership, scrutiny, and the system administrator), and the text a 200
page about the record must show. Records in the URLs belong to the Alpha partnership (agency A).
A refused POST must leave the database as it was. A URL added without a row fails
``test_it_has_a_row_for_every_url``; a row without POST answers fails ``test_each_row_is_complete``.

Speed: the world is built once per test process (``shared``) inside a transaction that is rolled
back at the end, each persona reuses one signed-in session, and every request is rolled back.
"""

from __future__ import annotations

import importlib
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from tests.conftest import PERSONAS, World, make_world, sign_in
from tests.matrix import API_NO_POST, NO_POST, POST_ONLY, Row, none, pk, text


def history_of_agency_a(w: World) -> dict[str, Any]:
    return {"app_label": "core", "model_name": "agency", "pk": w.agency_a.pk}


def reset_link(w: World) -> dict[str, Any]:
    return {"uidb64": "MTIzNDU2", "token": "not-a-real-token"}


#                                anon prA  prB  lead adm  oth  scr  sys
SIGNED_IN_ALL = "302 200 200 200 200 200 200 200"
SYSTEM_ADMIN_ONLY = "302 403 403 403 403 403 403 200"
ADMINS_ADD = "302 403 403 403 200 200 403 200"
ADMINS_CHANGE_ALPHA = "302 403 403 403 200 404 403 200"
ALPHA_RECORD = "302 200 200 200 200 404 200 200"
API_ALL = "401 200 200 200 200 200 200 200"
API_ALPHA_RECORD = "401 200 200 200 200 404 200 200"
PUBLIC = "200 200 200 200 200 200 200 200"
PUBLIC_NO_POST = "405 405 405 405 405 405 405 405"
SIGNED_OUT_ONLY = "200 302 302 302 302 302 302 302"
EVERYONE_SENT_ON = "302 302 302 302 302 302 302 302"
# Practitioner A's profile: they change their own details; Alpha's administrator manages them.
PAT_CHANGE = "302 200 404 403 200 404 404 200"
PAT_MANAGE = "302 403 404 403 200 404 404 200"
PAT = text("practitioner_a", "full_name")

MATRIX: dict[str, Row] = {
    # --- core ---
    "core:home": Row(none, SIGNED_IN_ALL, NO_POST),
    # Switching to Alpha: its people may; the other administrator cannot pick a partnership they are not in.
    "core:switch-partnership": Row(
        none, POST_ONLY, "302 302 302 302 302 404 302 302", data=lambda w: {"partnership": w.alpha.pk}
    ),
    "core:partnership-list": Row(none, SYSTEM_ADMIN_ONLY, NO_POST),
    "core:partnership-new": Row(none, SYSTEM_ADMIN_ONLY, SYSTEM_ADMIN_ONLY),
    "core:partnership-detail": Row(pk("alpha"), ALPHA_RECORD, NO_POST, shows=text("alpha", "name")),
    "core:partnership-edit": Row(pk("alpha"), ADMINS_CHANGE_ALPHA, ADMINS_CHANGE_ALPHA, shows=text("alpha", "name")),
    "core:agency-list": Row(none, SIGNED_IN_ALL, NO_POST),
    # Finding a person to pick: every role but scrutiny (figures only).
    "core:people-search": Row(none, "302 200 200 200 200 200 403 200", NO_POST),
    "core:agency-new": Row(none, ADMINS_ADD, ADMINS_ADD),
    "core:agency-join": Row(none, ADMINS_ADD, ADMINS_ADD),
    "core:agency-detail": Row(pk("agency_a"), ALPHA_RECORD, NO_POST, shows=text("agency_a", "name")),
    "core:agency-edit": Row(pk("agency_a"), ADMINS_CHANGE_ALPHA, ADMINS_CHANGE_ALPHA, shows=text("agency_a", "name")),
    "core:locality-list": Row(none, SIGNED_IN_ALL, NO_POST),
    "core:locality-new": Row(none, ADMINS_ADD, ADMINS_ADD),
    "core:locality-edit": Row(pk("locality"), ADMINS_CHANGE_ALPHA, ADMINS_CHANGE_ALPHA, shows=text("locality", "name")),
    "core:area-new": Row(none, ADMINS_ADD, ADMINS_ADD),
    "core:area-edit": Row(pk("area"), ADMINS_CHANGE_ALPHA, ADMINS_CHANGE_ALPHA, shows=text("area", "name")),
    "core:record-history": Row(history_of_agency_a, ADMINS_CHANGE_ALPHA, NO_POST, shows=text("agency_a", "name")),
    "core:audit-changes": Row(none, SYSTEM_ADMIN_ONLY, NO_POST),
    "core:audit-access": Row(none, SYSTEM_ADMIN_ONLY, NO_POST),
    "core:healthz": Row(none, PUBLIC, PUBLIC),
    "core:readyz": Row(none, PUBLIC, PUBLIC),
    # --- accounts ---
    "accounts:sign-in": Row(none, SIGNED_OUT_ONLY, SIGNED_OUT_ONLY),
    "accounts:sign-in-code": Row(none, SIGNED_IN_ALL, SIGNED_IN_ALL),
    # Signing out is a POST; a signed-out visitor is simply sent to sign in.
    "accounts:sign-out": Row(none, POST_ONLY, EVERYONE_SENT_ON),
    "accounts:my-account": Row(none, SIGNED_IN_ALL, NO_POST),
    "accounts:my-details": Row(none, SIGNED_IN_ALL, SIGNED_IN_ALL),
    # Everyone here already has an authenticator, so the set-up page sends them back to My account.
    "accounts:two-factor-setup": Row(none, EVERYONE_SENT_ON, EVERYONE_SENT_ON),
    "accounts:password-change": Row(none, SIGNED_IN_ALL, SIGNED_IN_ALL),
    "accounts:token-new": Row(none, SIGNED_IN_ALL, SIGNED_IN_ALL),
    # Practitioner A's token: only its owner finds it.
    "accounts:token-revoke": Row(pk("token"), POST_ONLY, "302 302 404 404 404 404 404 404"),
    "accounts:password-reset": Row(none, PUBLIC, PUBLIC),
    "accounts:password-reset-sent": Row(none, PUBLIC, PUBLIC_NO_POST),
    # A broken link: the same plain page for everyone.
    "accounts:password-reset-confirm": Row(reset_link, PUBLIC, PUBLIC, shows=lambda w: "link"),
    "accounts:password-reset-complete": Row(none, PUBLIC, PUBLIC_NO_POST),
    # Lists of people: administrators and agency leads; practitioners and scrutiny see none.
    "accounts:person-list": Row(none, "302 403 403 200 200 200 403 200", NO_POST),
    "accounts:person-new": Row(none, ADMINS_ADD, ADMINS_ADD),
    # Practitioner A's own profile: they see it, their agency lead sees it, nobody else outside.
    "accounts:person-detail": Row(pk("practitioner_a"), "302 200 404 200 200 404 404 200", NO_POST, shows=PAT),
    "accounts:person-edit": Row(pk("practitioner_a"), PAT_CHANGE, PAT_CHANGE, shows=PAT),
    "accounts:person-status": Row(pk("practitioner_a"), PAT_MANAGE, "302 403 404 403 302 404 404 302", shows=PAT),
    "accounts:membership-new": Row(pk("practitioner_a"), PAT_MANAGE, PAT_MANAGE, shows=PAT),
    # Practitioner A's role in Alpha: their agency lead sees it but may not remove it.
    "accounts:membership-remove": Row(pk("membership"), POST_ONLY, "302 404 404 403 302 404 404 302"),
    # --- API ---
    "api:api-root": Row(none, API_ALL, API_NO_POST),
    "api:schema": Row(none, API_ALL, API_NO_POST),
    "api:docs": Row(none, API_ALL, API_NO_POST),
    "api:partnership-list": Row(none, API_ALL, API_NO_POST),
    "api:partnership-detail": Row(pk("alpha"), API_ALPHA_RECORD, API_NO_POST, shows=text("alpha", "name")),
    # Adding an agency to Alpha: its administrator and the system administrator; nobody else.
    "api:agency-list": Row(
        none,
        API_ALL,
        "401 403 403 403 201 403 403 201",
        query=lambda w: f"partnership={w.alpha.pk}",
        data=lambda w: {"name": "Matrix Agency", "agency_type": "other"},
    ),
    # Only administrators change an agency's shared details.
    "api:agency-detail": Row(
        pk("agency_a"),
        API_ALPHA_RECORD,
        "401 403 403 403 200 404 403 200",
        shows=text("agency_a", "name"),
        method="patch",
        data=lambda w: {"email": "changed@example.test"},
        headers=lambda w: {"If-Match": str(w.agency_a.version)},
    ),
    "api:area-list": Row(none, API_ALL, API_NO_POST),
    "api:area-detail": Row(pk("area"), API_ALPHA_RECORD, API_NO_POST, shows=text("area", "name")),
    "api:locality-list": Row(none, API_ALL, API_NO_POST),
    "api:locality-detail": Row(pk("locality"), API_ALPHA_RECORD, API_NO_POST, shows=text("locality", "name")),
    "api:person-list": Row(none, API_ALL, API_NO_POST),
    "api:person-me": Row(none, API_ALL, API_NO_POST),
    "api:person-detail": Row(
        pk("practitioner_a"),
        "401 200 404 200 200 404 404 200",
        "401 200 404 403 200 404 404 200",
        shows=PAT,
        method="patch",
        data=lambda w: {"job_title": "Changed"},
        headers=lambda w: {"If-Match": str(w.practitioner_a.version)},
    ),
}


# Each module keeps its rows beside its tests, in tests/<module>/matrix_rows*.py: ``ROWS`` (a dict of
# ``Row`` like MATRIX) and ``build(world)``, which adds the module's records in the Alpha partnership
# to ``world.extras`` for the URLs to point at. Name the file here.
MODULE_ROW_FILES = (
    "tests.actions.matrix_rows",
    "tests.governance.matrix_rows_meetings",
    "tests.governance.matrix_rows_oversight",
    "tests.governance.matrix_rows_access",
    "tests.governance.matrix_rows_members",
    "tests.governance.matrix_rows_cycle",
    "tests.governance.matrix_rows_effectiveness",
    "tests.accounts.matrix_rows",
    "tests.core.matrix_rows_questionnaires",
    "tests.reviews.matrix_rows",
)
BUILDERS: list[Callable[[World], None]] = []
for _name in MODULE_ROW_FILES:
    _module = importlib.import_module(_name)
    assert not set(_module.ROWS) & set(MATRIX), f"{_name} repeats rows that are already in the matrix"
    MATRIX.update(_module.ROWS)
    BUILDERS.append(_module.build)
# A row in the old shape, (url, GET answers), has no POST answers: it fails until it is a Row, and
# the test prints the answers it got on both, ready to check and paste.
MATRIX = {name: Row(*row, post="") if isinstance(row, tuple) else row for name, row in MATRIX.items()}

# Records whose rows change on a refused request for a good reason: the access log and its chain, the
# sign-in throttle, and sessions. Everything else must be exactly as it was.
MAY_CHANGE_WHEN_REFUSED = {
    "sessions.Session",
    "accounts.SignedInSession",
    "core.AccessLogEntry",
    "core.AccessLogPartnership",
    "core.AuditCheckpoint",
    "axes.AccessAttempt",
    "axes.AccessAttemptExpiration",
    "axes.AccessFailureLog",
    "axes.AccessLog",
}


def all_url_names() -> dict[str, bool]:
    """Every URL name, and whether its pattern takes arguments (a record, a token)."""
    names: dict[str, bool] = {}

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"every URL needs a name (the matrix refers to it): {pattern.pattern}"
                names[f"{namespace}{pattern.name}"] = bool(pattern.pattern.regex.groupindex)

    walk(get_resolver().url_patterns, "")
    return names


URL_HAS_ARGUMENTS = all_url_names()
# 201 made, 302 done (or sent to sign in), 400 invalid, 409 edited meanwhile, 412/428 API If-Match.
STATUSES = {"200", "201", "302", "400", "401", "403", "404", "405", "409", "412", "428"}


def test_it_has_a_row_for_every_url() -> None:
    names = set(URL_HAS_ARGUMENTS)
    rows = {key.split("@")[0] for key in MATRIX}  # "name@variant": a further row for the URL "name"
    missing = sorted(names - rows)
    stale = sorted(rows - names)
    assert not missing, f"URLs without a row in the permission matrix: {missing}"
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_each_row_is_complete(url_name: str) -> None:
    """A GET and a POST answer for each persona, and what the page shows when it names a record."""
    row = MATRIX[url_name]
    assert row.post, f"{url_name}: no POST answers; write the row as Row(url, get, post, shows=...) (tests/matrix.py)"
    for method, answers in (("GET", row.get), ("POST", row.post)):
        assert len(answers.split()) == len(PERSONAS), f"{url_name}: the {method} row needs one status per persona"
        assert set(answers.split()) <= STATUSES, f"{url_name} {method}: {answers}"
    if URL_HAS_ARGUMENTS[url_name.split("@")[0]] and "200" in row.get.split() and row.shows is None:
        pytest.fail(f"{url_name}: a 200 page about a record must say what it shows (shows=text(...))")


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the logs that a refused request may write to."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.label not in MAY_CHANGE_WHEN_REFUSED and not model._meta.proxy
    }


@dataclass
class Shared:
    """One world for the whole matrix, built once per test process: each request is rolled back."""

    world: World
    sessions: dict[str, str]
    baseline: dict[str, list[tuple[Any, ...]]]

    def client(self, persona: str) -> Client:
        client = Client()
        if persona in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return client


@contextmanager
def undone() -> Iterator[None]:
    """Whatever happens inside is rolled back, so that every request meets the same world."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def shared(django_db_setup: None, django_db_blocker: Any) -> Iterator[Shared]:
    # The world is built inside a transaction that stays open while the matrix runs; each test's own
    # transaction (pytest-django's ``db``) nests in it, and it is rolled back at the end.
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = make_world()
            for build in BUILDERS:
                build(world)
            sessions = {}
            for persona in PERSONAS:
                user = world.persona(persona)
                if user is not None:
                    sessions[persona] = sign_in(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
            baseline = snapshot()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield Shared(world=world, sessions=sessions, baseline=baseline)
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def body(response: HttpResponseBase) -> str:
    """The text of an answer: the page, the file (a PDF's text), and the file name it is sent as."""
    content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    text = content.decode(errors="replace")
    if content.startswith(b"%PDF"):
        try:
            text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        except PyPdfError:  # a stand-in upload, not a real PDF
            pass
    return text + response.get("Content-Disposition", "")


def send(client: Client, row: Row, url: str, world: World) -> HttpResponseBase:
    data = row.data(world) if row.data else {}
    headers = row.headers(world) if row.headers else {}
    if row.method == "post":
        return client.post(url, data, headers=headers)
    return getattr(client, row.method)(url, json.dumps(data), content_type="application/json", headers=headers)


def refused(persona: str, status: int) -> bool:
    return status >= 400 or (persona == "anonymous" and status == 302)


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_every_persona_gets_exactly_the_expected_answer(url_name: str, shared: Shared, db: None) -> None:
    row = MATRIX[url_name]
    world = shared.world
    url = reverse(url_name.split("@")[0], kwargs=row.url(world)) + (f"?{row.query(world)}" if row.query else "")
    shows = row.shows(world) if row.shows else None
    got_get: dict[str, int] = {}
    got_post: dict[str, int] = {}
    problems: list[str] = []
    for persona in PERSONAS:
        with undone():
            response = shared.client(persona).get(url)
            got_get[persona] = response.status_code
            if response.status_code == 200 and shows is not None:
                page = body(response)
                if shows not in page and escape(shows) not in page:
                    problems.append(f"GET as {persona}: 200 but the page does not show {shows!r}")
            if persona == "anonymous" and response.status_code == 302:
                if not response["Location"].startswith(reverse("accounts:sign-in")):
                    problems.append(f"GET as anonymous: sent to {response['Location']}, not to sign in")
        with undone():
            response = send(shared.client(persona), row, url, world)
            got_post[persona] = response.status_code
            if persona == "anonymous" and response.status_code == 302 and got_get[persona] == 302:
                if not response["Location"].startswith(reverse("accounts:sign-in")):
                    problems.append(f"POST as anonymous: sent to {response['Location']}, not to sign in")
            if refused(persona, response.status_code):
                after = snapshot()
                changed = sorted(label for label, rows in after.items() if rows != shared.baseline[label])
                if changed:
                    problems.append(f"{row.method.upper()} as {persona} was refused but changed {changed}")
    get, post = " ".join(map(str, got_get.values())), " ".join(map(str, got_post.values()))
    if (get, post) != (" ".join(row.get.split()), " ".join(row.post.split())):
        problems.insert(0, f"the answers differ from the row:\n  GET  row {row.get}\n       got {get}")
        problems.insert(1, f"{row.method.upper()} row {row.post}\n       got {post}")
    assert not problems, f"{url_name} ({url}):\n" + "\n".join(problems)


def test_outsider_404_pages_say_nothing_about_the_record(shared: Shared, db: None) -> None:
    world = shared.world
    client = shared.client("other_admin")
    response = client.get(reverse("core:agency-detail", args=[world.agency_a.pk]))
    assert response.status_code == 404
    assert world.agency_a.name.encode() not in response.content
    api = client.get(reverse("api:agency-detail", args=[world.agency_a.pk]))
    assert api.status_code == 404
    assert api.json() == {"detail": "Not found."}
