"""Acceptance: nothing of a confidential item or a members-only group's business leaks.

The records are those of ``matrix_rows_access.build`` (with the other modules' matrix records
around them). Four people walk every GET URL of the site and the API, with the pk of every secret
record in every URL that takes one, and read every answer as text: pages, JSON, iCalendar files,
CSV and Excel exports and PDF agenda packs. None of them may meet a word that only the secret
business holds:

- a board member with a seat on the open board but on no members-only group (the board's own
  confidential item is theirs to read; the case review group's and the panel's business is not);
- a board member with no seat anywhere (nothing confidential, nothing members only);
- a lay member seated on the board (lay members do not read confidential business);
- scrutiny (published minutes of open groups only, and the board's open papers).

A positive control checks that the business unit does meet every word, so the walk is not blind.
The same test runs on PostgreSQL when ``DATABASE_URL`` points at one.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeboard.actions.models import Action
from safeboard.core.permissions import Role
from safeboard.governance.meetings import services
from safeboard.governance.models import GroupMember, MemberType
from tests.conftest import sign_in
from tests.factories import member
from tests.governance import matrix_rows_access, matrix_rows_cycle, matrix_rows_meetings, matrix_rows_oversight

SECRETS = matrix_rows_access.SECRETS
ALL_SECRETS = [word for words in SECRETS.values() for word in words]
MEMBERS_ONLY_SECRETS = SECRETS["crg"] + SECRETS["cdop"]

# URL parameters other than a pk, filled in by hand (or not needed); a board business pattern with
# parameters not listed here fails the walk, so a new kind of URL is looked at rather than skipped.
OTHER_KWARGS = {
    frozenset({"app_label", "model_name", "pk"}),
    frozenset({"uidb64", "token"}),
    frozenset({"token"}),
    frozenset({"format"}),
    frozenset({"pk", "format"}),
}


def _patterns() -> list[tuple[str, frozenset[str]]]:
    found: list[tuple[str, frozenset[str]]] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern):
                found.append((f"{namespace}{pattern.name}", frozenset(pattern.pattern.regex.groupindex)))

    walk(get_resolver().url_patterns, "")
    return found


def text_of(response: Any) -> str:
    """Everything a person could read in the answer: text, JSON, iCalendar, CSV, a workbook, a PDF."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(body), strict=True)
            outline = str(reader.outline)
            return outline + "\n".join(page.extract_text() or "" for page in reader.pages)
        except PdfReadError:  # a stand-in file of other tests' records, not a real PDF: read its bytes
            return body.decode("utf-8", errors="replace")
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join(str(cell) for cell in row if cell is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return body.decode("utf-8", errors="replace")


def secret_pks(world: Any) -> set[int]:
    """The pks of the secret records (and of the actions agreed on secret items): any URL that takes a
    pk is tried with each of them, whatever kind of record it names."""
    records = [value for key, value in world.extras.items() if key.startswith("access_")]
    pks = {record.pk for record in records}
    pks |= set(Action.objects.filter(source_label__startswith="Agenda item").values_list("pk", flat=True))
    pks |= set(
        GroupMember.objects.filter(group__in=[world.extras["access_crg"], world.extras["access_cdop"]]).values_list(
            "pk", flat=True
        )
    )
    return pks


def urls_to_walk(world: Any) -> list[str]:
    pks = secret_pks(world)
    extras = world.extras
    urls: list[str] = []
    for name, params in _patterns():
        if not params:
            url = reverse(name)
            urls.append(url)
            if name == "governance:meeting-list":
                urls += [f"{url}?group={extras['access_crg'].pk}", f"{url}?group={extras['access_cdop'].pk}"]
        elif params == {"pk"}:
            urls += [reverse(name, kwargs={"pk": pk}) for pk in sorted(pks)]
        elif params == {"app_label", "model_name", "pk"}:
            for key in ("access_crg", "access_crg_meeting", "access_board_conf_item", "access_board_conf_paper"):
                record = extras[key]
                meta = record._meta
                urls.append(
                    reverse(name, kwargs={"app_label": meta.app_label, "model_name": meta.model_name, "pk": record.pk})
                )
        else:
            board = name.startswith(("governance:", "api:board"))
            assert params in OTHER_KWARGS or not board, f"{name} takes {sorted(params)}: teach the leak test about it"
    # The API in JSON, with its filters pointed at the secret groups.
    urls += [
        f"{reverse('api:board-meeting-list')}?group={extras['access_crg'].pk}",
        f"{reverse('api:board-attendance-list')}?group={extras['access_crg'].pk}",
    ]
    return urls


@pytest.fixture
def secret_world(world):  # type: ignore[no-untyped-def]
    for build in (
        matrix_rows_meetings.build,
        matrix_rows_oversight.build,
        matrix_rows_access.build,
        matrix_rows_cycle.build_secrets,  # the annual cycle: forward plans, papers asked for, decisions
    ):
        build(world)
    board = world.extras["access_board"]
    seated_board_member = member(world.alpha, Role.BOARD_MEMBER, world.agency_b, full_name="Bea Board")
    GroupMember.objects.create(group=board, person=seated_board_member, agency=world.agency_b, starts_on="2020-01-01")
    lay_member = member(world.alpha, Role.LAY_MEMBER, None, full_name="Lyn Lay")
    GroupMember.objects.create(
        group=board, person=lay_member, member_type=MemberType.LAY_MEMBER, starts_on="2020-01-01"
    )
    world.extras.update(
        leak_personas={
            "seated board member": (seated_board_member, MEMBERS_ONLY_SECRETS),
            "board member without a seat": (
                member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name="Ben Board"),
                ALL_SECRETS,
            ),
            "lay member": (lay_member, ALL_SECRETS),
            "scrutiny": (world.scrutiny, ALL_SECRETS),
        }
    )
    return world


def _found(text: str, words: list[str]) -> list[str]:
    return [word for word in words if re.search(re.escape(word), text, re.IGNORECASE)]


# One test per persona, so that the parallel test workers share the walk (it reads every page).
LEAK_PERSONAS = ["seated board member", "board member without a seat", "lay member", "scrutiny"]


@pytest.mark.parametrize("label", LEAK_PERSONAS)
def test_no_page_export_calendar_or_api_answer_shows_confidential_or_members_only_business(secret_world, label):
    world = secret_world
    assert sorted(world.extras["leak_personas"]) == sorted(LEAK_PERSONAS)
    urls = urls_to_walk(world)
    assert len(urls) > 300
    leaks: list[str] = []
    read = 0
    person, forbidden = world.extras["leak_personas"][label]
    client = sign_in(Client(), person)
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        read += 1
        try:
            text = text_of(response)
        except Exception as error:  # noqa: BLE001 - a file we cannot read is a failure to report
            leaks.append(f"{label}: {url} could not be read ({error!r})")
            continue
        found = _found(text, forbidden)
        if found:
            leaks.append(f"{label}: {url} shows {found}")
    assert not leaks, "\n".join(leaks)
    assert read > 50  # the walk really read pages, not only refusals


def test_the_business_unit_does_see_the_secret_business(secret_world):
    """The positive control: the words the walk looks for are on the pages, for those entitled."""
    client = sign_in(Client(), secret_world.partnership_admin)
    extras = secret_world.extras
    seen = ""
    for key in ("access_board_meeting", "access_crg_meeting", "access_cdop_meeting"):
        seen += text_of(client.get(reverse("governance:meeting-detail", args=[extras[key].pk])))
    seen += text_of(
        client.get(reverse("governance:meeting-pack-confidential", args=[extras["access_board_meeting"].pk]))
    )
    assert _found(seen, ALL_SECRETS) == ALL_SECRETS
    # The annual cycle's secret records are on the business unit's pages too.
    cycle = ""
    for group in (extras["access_crg"], extras["access_board"]):
        cycle += text_of(client.get(reverse("governance:forward-plan", args=[group.pk])))
        cycle += text_of(client.get(reverse("governance:decision-list", args=[group.pk])))
    cycle += text_of(client.get(reverse("governance:paper-request", args=[extras["access_cycle_board_request"].pk])))
    for word in ("Basalt thematic learning", "Basalt review extended", "Zircon restructure", "Zircon settlement"):
        assert word in cycle, word
    assert "Zircon legal advice" in cycle


def test_the_seated_board_member_reads_the_boards_confidential_item_but_not_in_the_open_pack(secret_world):
    board_member, _ = secret_world.extras["leak_personas"]["seated board member"]
    client = sign_in(Client(), board_member)
    meeting = secret_world.extras["access_board_meeting"]
    page = text_of(client.get(reverse("governance:meeting-detail", args=[meeting.pk])))
    assert _found(page, SECRETS["board_confidential"]) == SECRETS["board_confidential"]
    open_pack = text_of(client.get(reverse("governance:meeting-pack", args=[meeting.pk])))
    assert "Annual report" in open_pack and not _found(open_pack, SECRETS["board_confidential"])
    confidential = text_of(client.get(reverse("governance:meeting-pack-confidential", args=[meeting.pk])))
    assert _found(confidential, SECRETS["board_confidential"]) == SECRETS["board_confidential"]


def test_scrutiny_reads_the_published_minutes_without_the_confidential_item(secret_world):
    client = sign_in(Client(), secret_world.scrutiny)
    meeting = secret_world.extras["access_board_meeting"]
    page = text_of(client.get(reverse("governance:meeting-detail", args=[meeting.pk])))
    assert "The report was agreed." in page and "Annual report draft" in page
    assert not _found(page, ALL_SECRETS)


def test_the_circulation_email_leaves_confidential_items_out(secret_world, django_capture_on_commit_callbacks):
    meeting = secret_world.extras["access_board_meeting"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.circulate_papers(meeting)
    body = "\n".join(message.body for message in mail.outbox)
    assert "Annual report" in body and "1 confidential item" in body
    assert not _found(body, ALL_SECRETS)
