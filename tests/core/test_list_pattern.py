"""The core list: a result count, an empty state that says what to do, a live region for htmx
filters; the action log's live actions by default; "came from" naming the meeting or the plan."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from safeboard.actions import services as action_services
from safeboard.core.text import day_text, money
from safeboard.core.views_base import COUNT_LIMIT, result_count_text
from safeboard.governance.meetings import services as meeting_services
from safeboard.governance.meetings.choices import GroupKind
from safeboard.governance.meetings.models import AgendaItem, Group
from tests.actions.helpers import make_action
from tests.governance.matrix_rows_meetings import make_meeting


def _closed(world, title: str):  # type: ignore[no-untyped-def]
    action = make_action(world, title=title)
    evidence = action_services.add_evidence(
        action=action, added_by=world.practitioner_a, description="x", link="https://e.test"
    )
    action_services.review_evidence(evidence=evidence, reviewer=world.partnership_admin, accept=True)
    action_services.close_action(action=action, closed_by=world.partnership_admin, reason="Done")
    return action


def test_result_count_text() -> None:
    assert result_count_text(0, "action", "actions") == "No actions"
    assert result_count_text(1, "action", "actions") == "1 action"
    assert result_count_text(999, "action", "actions") == "999 actions"
    assert result_count_text(1000, "action", "actions") == "1,000 actions"
    assert result_count_text(COUNT_LIMIT + 1, "action", "actions") == "More than 1,000 actions"


def test_the_action_log_shows_live_actions_and_hides_closed_ones_behind_a_filter(world, signed_in):  # type: ignore[no-untyped-def]
    make_action(world, title="Live work")
    _closed(world, "Finished work")
    client = signed_in(world.partnership_admin)
    url = reverse("actions:action-list")
    page = client.get(url).content.decode()
    assert "Live work" in page and "Finished work" not in page
    assert '<p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-top-4" id="list-count">1 action</p>' in page
    assert "Live (open, in progress or awaiting review)" in page  # the filter says what is shown
    every = client.get(url, {"status": "any"}).content.decode()
    assert "Finished work" in every and "2 actions match the filters" in every
    # The exports follow the page, and say the live filter was applied.
    text = b"".join(client.get(reverse("actions:action-export-csv")).streaming_content).decode("utf-8-sig")
    assert "Finished work" not in text and "Live work" in text
    workbook = load_workbook(io.BytesIO(client.get(reverse("actions:action-export-xlsx")).content))
    about = [cell for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row if cell]
    assert "Live (open, in progress or awaiting review)" in about


def test_an_empty_list_says_what_to_do(world, signed_in):  # type: ignore[no-untyped-def]
    client = signed_in(world.partnership_admin)
    url = reverse("actions:action-list")
    nothing_yet = client.get(url).content.decode()
    assert "No live actions." in nothing_yet and "choose ‘Any status’" in nothing_yet
    make_action(world, title="Live work")
    filtered = client.get(url, {"q": "no such thing"}).content.decode()
    assert "Nothing matches these filters" in filtered
    assert f'<a class="govuk-link" href="{url}">clear all the filters</a>' in filtered


def test_a_polite_live_region_outside_the_results_announces_the_count(world, signed_in):  # type: ignore[no-untyped-def]
    make_action(world, title="Live work")
    client = signed_in(world.partnership_admin)
    url = reverse("core:agency-list")
    for page_url in (reverse("actions:action-list"), url):
        page = client.get(page_url).content.decode()
        status = re.search(r'<div[^>]*id="list-status"[^>]*>', page)
        assert status is not None, page_url
        assert 'role="status"' in status.group(0) and 'aria-live="polite"' in status.group(0)
        results_start = page.index('<div id="list-results">')
        assert page.index('id="list-status"') < results_start  # kept when htmx swaps the results
        partial = client.get(page_url, headers={"HX-Request": "true"}).content.decode()
        assert 'id="list-count"' in partial and 'id="list-status"' not in partial


def test_came_from_names_the_meeting_of_the_item(world, signed_in):  # type: ignore[no-untyped-def]
    board = Group.objects.create(partnership=world.alpha, name="Board", kind=GroupKind.BOARD)
    starts = timezone.make_aware(dt.datetime(2026, 10, 14, 10, 0))
    meeting = make_meeting(board, starts, venue="Town Hall")
    item = AgendaItem.objects.create(meeting=meeting, number=1, title="Neglect strategy")
    meeting_services.add_item_action(
        item=item,
        title="Refresh the neglect toolkit",
        owner=world.practitioner_a,
        agency=world.agency_a,
        due_date=dt.date(2027, 1, 8),
        by=world.partnership_admin,
    )
    label = "Board, 14 October 2026: item 1 Neglect strategy"
    client = signed_in(world.partnership_admin)
    assert label in client.get(reverse("actions:action-list")).content.decode()
    text = b"".join(client.get(reverse("actions:action-export-csv")).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = next(row for row in rows if "Came from" in row)
    assert label in [row[header.index("Came from")] for row in rows[rows.index(header) + 1 :]]


def test_one_way_to_write_dates_and_money() -> None:
    assert day_text(dt.date(2026, 12, 7)) == "7 December 2026"
    assert day_text(timezone.make_aware(dt.datetime(2026, 12, 7, 23, 30))) == "7 December 2026"
    assert money(60000) == "£60,000"
    assert money("1250.5") == "£1,250.50"
