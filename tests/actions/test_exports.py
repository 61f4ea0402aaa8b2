"""The action log's CSV and Excel exports, through core.exports: the same rows as the filtered list,
the latest progress update and the evidence's state, "came from" naming the meeting, the filters
written on the first sheet, and a fixed number of queries however many rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from safeboard.actions import services
from safeboard.actions.models import Action, ActionUpdate
from tests.actions.helpers import make_action

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 30, 16, 5, tzinfo=LONDON)
MEETING_LABEL = "Board, 14 October 2026: item 1 Neglect strategy"


def csv_rows(client, query: str = "") -> list[list[str]]:  # type: ignore[no-untyped-def]
    response = client.get(f"{reverse('actions:action-export-csv')}?{query}")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def workbook(client, query: str = ""):  # type: ignore[no-untyped-def]
    response = client.get(f"{reverse('actions:action-export-xlsx')}?{query}")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def listed(client, query: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    url = f"{reverse('actions:action-list')}?{query}"
    refs: list[str] = []
    while url:
        page = client.get(url).context["page"]
        refs += [a.reference for a in page.object_list]
        url = f"{reverse('actions:action-list')}?{query}&cursor={page.next_cursor}" if page.next_cursor else None
    return refs


@pytest.fixture
def actions(world):  # type: ignore[no-untyped-def]
    """One action in each state of progress and evidence, made on 30 November 2026."""
    with time_machine.travel(NOW, tick=False):
        made = {
            "quiet": make_action(world, title="Nothing yet", due_in=20),
            "updated": make_action(world, title="Two updates", due_in=25),
            "pending": make_action(world, title="Evidence waiting", due_in=30),
            "rejected": make_action(world, title="Evidence not enough", due_in=35),
            "accepted": make_action(
                world, title="Evidence accepted", due_in=40, agency=world.agency_b, owner=world.practitioner_b
            ),
            "meeting": make_action(world, title="From the board", due_in=45, source=world.locality),
        }
        services.add_progress_update(action=made["updated"], author=world.practitioner_a, text="Started the audit")
        latest = services.add_progress_update(
            action=made["updated"], author=world.practitioner_a, text="=Half the files read"
        )
        ActionUpdate.objects.filter(pk=latest.pk).update(written_at=dt.datetime(2026, 7, 1, 9, 15, tzinfo=dt.UTC))
        ActionUpdate.objects.exclude(pk=latest.pk).update(written_at=dt.datetime(2026, 6, 1, 9, 15, tzinfo=dt.UTC))
        services.add_evidence(
            action=made["pending"], added_by=world.practitioner_a, description="x", link="https://e.t"
        )
        rejected = services.add_evidence(
            action=made["rejected"], added_by=world.practitioner_a, description="x", link="https://e.t"
        )
        services.review_evidence(evidence=rejected, reviewer=world.partnership_admin, accept=False, note="More")
        accepted = services.add_evidence(
            action=made["accepted"], added_by=world.practitioner_b, description="x", link="https://e.t"
        )
        services.review_evidence(evidence=accepted, reviewer=world.partnership_admin, accept=True)
        # More evidence after some was accepted: the action can still be closed, so it reads "Accepted".
        services.add_evidence(
            action=made["accepted"], added_by=world.practitioner_b, description="more", link="https://e.t/2"
        )
        # What create_action stores for an agenda item once it names its meeting (the source_label hook).
        Action.objects.filter(pk=made["meeting"].pk).update(source_label=MEETING_LABEL)
    return {name: action.reference for name, action in made.items()}


def test_the_exports_add_the_latest_progress_update_and_the_evidence_status(world, signed_in, actions):
    client = signed_in(world.partnership_admin)
    rows = csv_rows(client)
    header = rows[0]
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert header[-3:] == ["Latest progress update", "Progress updated on", "Evidence"]
    updated = by_ref[actions["updated"]]
    assert updated["Latest progress update"] == "'=Half the files read"  # never run as a formula
    assert updated["Progress updated on"] == "2026-07-01 10:15"  # UK time (summer)
    assert by_ref[actions["quiet"]]["Latest progress update"] == ""
    assert {name: by_ref[ref]["Evidence"] for name, ref in actions.items()} == {
        "quiet": "None added",
        "updated": "None added",
        "pending": "Waiting for review",
        "rejected": "Not enough: more needed",
        "accepted": "Accepted",
        "meeting": "None added",
    }
    sheet = workbook(client).active
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    update_cell = cells[actions["updated"]][header.index("Progress updated on")]
    assert update_cell.value == dt.datetime(2026, 7, 1, 10, 15) and update_cell.number_format == "dd/mm/yyyy hh:mm"
    assert cells[actions["accepted"]][header.index("Evidence")].value == "Accepted"


def test_came_from_names_the_meeting_on_the_page_and_in_every_export(world, signed_in, actions):
    client = signed_in(world.partnership_admin)
    assert MEETING_LABEL in client.get(reverse("actions:action-list")).content.decode()
    came_from = csv_rows(client)[0].index("Came from")
    assert {row[came_from] for row in csv_rows(client)[1:]} == {"", MEETING_LABEL}
    sheet = workbook(client).active
    assert MEETING_LABEL in {row[came_from] for row in sheet.iter_rows(min_row=2, values_only=True)}
    with time_machine.travel(NOW, tick=False):
        report = client.get(reverse("actions:quarterly-report")).content.decode()
    assert MEETING_LABEL in report


def test_without_a_stored_label_came_from_names_the_kind_of_record(world, signed_in):
    action = make_action(world, source=world.locality)
    Action.objects.filter(pk=action.pk).update(source_label="")
    rows = csv_rows(signed_in(world.partnership_admin))
    came_from = rows[0].index("Came from")
    assert rows[1][came_from] == "Locality"


def test_the_workbook_says_which_filters_were_applied_by_whom_and_when(world, signed_in, actions):
    client = signed_in(world.partnership_admin)
    with time_machine.travel(NOW, tick=False):
        book = workbook(client, f"status=open&agency={world.agency_a.pk}&theme=")
    assert book.sheetnames == ["About this export", "Actions"]
    about = {row[0]: row[1] for row in book["About this export"].iter_rows(values_only=True) if row and row[0]}
    assert about["Partnership"] == "Alpha Safeguarding Partnership"
    assert about["Exported by"] == f"Ada Admin ({world.partnership_admin.email})"
    assert about["Exported on (UK time)"] == dt.datetime(2026, 11, 30, 16, 5)
    assert about["Status"] == "Open" and about["Agency"] == "Alpha Police"
    assert "Theme contains" not in about  # left empty, so not a filter
    assert about["Rows"] == book["Actions"].max_row - 1 == 3  # the three of agency A with no evidence yet


def test_invalid_filters_are_ignored_and_the_workbook_says_so(world, signed_in, actions):
    client = signed_in(world.partnership_admin)
    book = workbook(client, "status=nonsense")
    rows = list(book["About this export"].iter_rows(values_only=True))
    assert ("None", "every record you may see") in rows
    assert book["Actions"].max_row - 1 == len(actions) == len(listed(client, "status=nonsense"))


def test_the_workbook_header_is_bold_frozen_filtered_and_its_dates_are_dates(world, signed_in, actions):
    sheet = workbook(signed_in(world.partnership_admin)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:N{len(actions) + 1}"
    assert all(cell.font.b for cell in sheet[1])
    due = [cell for cell in sheet[1] if cell.value == "Due date"][0].column
    first = sheet.cell(row=2, column=due)
    assert first.is_date and first.number_format == "dd/mm/yyyy"
    assert first.value.date() == dt.date(2026, 12, 20)


@pytest.mark.parametrize(
    "query", ["", "status=open", "status=awaiting_review", "q=Evidence", "source_type=core.locality"]
)
def test_csv_and_xlsx_rows_equal_the_filtered_list(world, signed_in, actions, query):
    client = signed_in(world.partnership_admin)
    refs = listed(client, query)
    rows = csv_rows(client, query)
    sheet = workbook(client, query).active
    assert [row[0] for row in rows[1:]] == refs
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == rows[0]

    def as_text(value, header):  # type: ignore[no-untyped-def]
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M") if header == "Progress updated on" else value.date().isoformat()
        return str(value)

    assert [[as_text(v, h) for v, h in zip(row, rows[0], strict=True)] for row in values[1:]] == rows[1:]


def test_the_exports_run_a_fixed_number_of_queries(world, signed_in):
    make_action(world)
    client = signed_in(world.partnership_admin)

    def queries(name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name))
            if response.streaming:
                b"".join(response.streaming_content)
        return len(captured)

    queries("actions:action-export-csv")  # warm caches (content types, the session)
    before = {name: queries(name) for name in ("actions:action-export-csv", "actions:action-export-xlsx")}
    for i in range(20):
        action = make_action(world, source=world.locality if i % 2 else world.agency_b, due_in=i)
        services.add_progress_update(action=action, author=world.practitioner_a, text=f"Update {i}")
        if i % 3 == 0:
            services.add_evidence(action=action, added_by=world.practitioner_a, description="x", link="https://e.t")
    after = {name: queries(name) for name in before}
    assert after == before, f"{before} queries with one action, {after} with 21 (N+1?)"
