"""The quarterly monitoring report: business quarters, counts by source, agency and RAG, and the PDF."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from safeboard.actions import services
from safeboard.actions.filters import source_type_label
from safeboard.actions.models import ActionStatus
from safeboard.actions.reports import Quarter, parse_quarter, quarter_containing
from safeboard.core.audit import AccessAction, AccessLogEntry
from safeboard.core.models import LocalAuthorityArea, Locality
from tests.actions.helpers import make_action

LONDON = ZoneInfo("Europe/London")
TODAY = dt.datetime(2027, 2, 10, 10, 0, tzinfo=LONDON)  # quarter 4 of 2026 to 2027 (April start)


@pytest.mark.parametrize(
    ("day", "start_month", "key", "start", "end"),
    [
        (dt.date(2027, 2, 10), 4, "2026-Q4", dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
        (dt.date(2027, 4, 1), 4, "2027-Q1", dt.date(2027, 4, 1), dt.date(2027, 6, 30)),
        (dt.date(2027, 2, 10), 1, "2027-Q1", dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
        (dt.date(2027, 2, 10), 9, "2026-Q2", dt.date(2026, 12, 1), dt.date(2027, 2, 28)),
        (dt.date(2026, 8, 31), 9, "2025-Q4", dt.date(2026, 6, 1), dt.date(2026, 8, 31)),
    ],
)
def test_business_quarters_follow_the_partnerships_year(day, start_month, key, start, end):
    quarter = quarter_containing(day, start_month)
    assert (quarter.key, quarter.start, quarter.end) == (key, start, end)
    assert parse_quarter(key, start_month) == quarter


def test_quarter_labels_read_plainly():
    assert Quarter(2026, 4, 4).label == "Quarter 4 of 2026 to 2027 (January to March 2027)"
    assert Quarter(2027, 1, 1).label == "Quarter 1 of 2027 (January to March 2027)"
    assert parse_quarter("2027-Q5", 4) is None and parse_quarter("nonsense", 4) is None


@pytest.fixture
def report_world(world):  # type: ignore[no-untyped-def]
    """Actions from two kinds of source and none, across two agencies, on 10 February 2027."""
    with time_machine.travel(TODAY, tick=False):
        today = timezone.localdate()
        a, b = world.agency_a, world.agency_b
        make_action(world, source=world.locality, agency=a, due_date=today - dt.timedelta(days=9))  # red
        make_action(world, source=world.locality, agency=a, due_date=today + dt.timedelta(days=10))  # amber
        make_action(world, source=world.locality, agency=a, due_date=today + dt.timedelta(days=11))  # amber
        make_action(world, source=world.locality, agency=b, owner=world.practitioner_b, due_in=100)  # green
        make_action(world, source=world.agency_b, agency=b, owner=world.practitioner_b, due_in=1)  # amber
        make_action(world, agency=b, owner=world.practitioner_b, due_date=today - dt.timedelta(days=40))  # red
        closed = make_action(world, source=world.area, agency=a, due_in=3)
        evidence = services.add_evidence(
            action=closed, added_by=world.practitioner_a, description="x", link="https://e.t"
        )
        services.review_evidence(evidence=evidence, reviewer=world.partnership_admin, accept=True)
        services.close_action(action=closed, closed_by=world.partnership_admin, reason="Done")  # finished, in quarter
        old = make_action(world, agency=a, due_in=-90, title="Cancelled before the quarter")
        old.status, old.closed_at = ActionStatus.CANCELLED, dt.datetime(2026, 12, 1, tzinfo=LONDON)
        old.save()
        type(old).objects.filter(pk=old.pk).update(created_at=dt.datetime(2026, 9, 1, tzinfo=LONDON))
        make_action(world, partnership=world.beta, owner=world.other_admin, agency=world.agency_c)  # another board
    return world


def counts(group) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    tally = getattr(group, "counts", group)
    return (tally.red, tally.amber, tally.green, tally.done)


def test_the_report_groups_by_source_then_agency_and_counts_by_rag(report_world, signed_in):
    world = report_world
    with time_machine.travel(TODAY, tick=False):
        response = signed_in(world.partnership_admin).get(reverse("actions:quarterly-report"))
    assert response.status_code == 200
    context = response.context
    assert context["quarter"].key == "2026-Q4"
    locality = source_type_label(ContentType.objects.get_for_model(Locality))
    area = source_type_label(ContentType.objects.get_for_model(LocalAuthorityArea))
    by_source = {g.label: {a.name: counts(a) for a in g.agencies} for g in context["groups"]}
    assert by_source == {
        locality: {"Alpha Police": (1, 2, 0, 0), "Alpha Health Trust": (0, 0, 1, 0)},
        "Agency": {"Alpha Health Trust": (0, 1, 0, 0)},
        area: {"Alpha Police": (0, 0, 0, 1)},
        "No source": {"Alpha Health Trust": (1, 0, 0, 0)},
    }
    assert [g.label for g in context["groups"]][-1] == "No source"
    assert counts(context["total"]) == (2, 3, 1, 1) and context["total"].total == 7
    subtotal = next(g for g in context["groups"] if g.label == locality)
    assert counts(subtotal) == (1, 2, 1, 0)
    listed = [a.title for g in context["groups"] for ag in g.agencies for a in ag.actions]
    assert len(listed) == 7 and "Cancelled before the quarter" not in listed
    body = response.content.decode()
    assert 'href="/static/actions/report.css" media="print"' in body
    assert "style=" not in body


def test_a_past_quarter_counts_what_was_live_then(report_world, signed_in):
    with time_machine.travel(TODAY, tick=False):
        response = signed_in(report_world.partnership_admin).get(
            f"{reverse('actions:quarterly-report')}?quarter=2026-Q3"
        )
    # Only the action added in September and cancelled in December was live in October to December.
    assert response.context["quarter"].key == "2026-Q3"
    assert response.context["total"].total == 1


def test_each_person_counts_only_what_they_may_see(report_world, signed_in):
    with time_machine.travel(TODAY, tick=False):
        mine = signed_in(report_world.practitioner_a).get(reverse("actions:quarterly-report")).context["total"]
        lead = signed_in(report_world.agency_lead).get(reverse("actions:quarterly-report")).context["total"]
    assert mine.total == 4  # practitioner A owns four actions live in the quarter
    assert lead.total == 4  # all of agency A's
    assert signed_in(report_world.scrutiny).get(reverse("actions:quarterly-report")).status_code == 403


def test_the_report_runs_a_fixed_number_of_queries(report_world, signed_in):
    client = signed_in(report_world.partnership_admin)
    url = reverse("actions:quarterly-report")
    with time_machine.travel(TODAY, tick=False):
        client.get(url)
        with CaptureQueriesContext(connection) as before:
            client.get(url)
        for _ in range(10):
            make_action(report_world, source=report_world.locality, agency=report_world.agency_b, due_in=5)
        with CaptureQueriesContext(connection) as after:
            client.get(url)
    assert len(after) == len(before)


def test_the_pdf_is_a_real_pdf_with_the_report_in_it(report_world, signed_in):
    with time_machine.travel(TODAY, tick=False):
        response = signed_in(report_world.partnership_admin).get(
            f"{reverse('actions:quarterly-report-pdf')}?quarter=2026-Q4"
        )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 1
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Quarter 4 of 2026 to 2027" in text
    assert "Alpha Health Trust" in text
    entry = AccessLogEntry.objects.get(action=AccessAction.EXPORT)
    assert entry.detail == "actions quarterly report 2026-Q4 (PDF)"


# --- The change from the previous quarter, the chart, and the PDF's accessibility ---------------------------


def test_the_top_of_the_report_gives_the_change_from_the_previous_quarter(report_world, signed_in):
    with time_machine.travel(TODAY, tick=False):
        response = signed_in(report_world.partnership_admin).get(reverse("actions:quarterly-report"))
    context = response.context
    assert context["previous_quarter"].key == "2026-Q3"
    # Only the action cancelled on 1 December was live in October to December, finished by its end.
    assert [(c.label, c.before, c.now, c.words) for c in context["changes"]] == [
        ("Red (overdue)", 0, 2, "up 2"),
        ("Amber (due soon)", 0, 3, "up 3"),
        ("Green (on track)", 0, 1, "up 1"),
        ("Finished", 1, 1, "no change"),
        ("All actions", 1, 7, "up 6"),
    ]
    body = response.content.decode()
    assert (
        body.index('data-report="change"') < body.index("sb-chart--stacked_bar") < body.index('data-report="summary"')
    )
    assert "Oct to Dec 2026" in body and "up 6" in body


def test_the_chart_gives_rag_totals_for_four_quarters_rated_as_at_each_quarters_end(report_world, signed_in):
    with time_machine.travel(TODAY, tick=False):
        context = signed_in(report_world.partnership_admin).get(reverse("actions:quarterly-report")).context
    chart = context["rag_chart"]
    assert chart.categories == ("Apr to Jun 2026", "Jul to Sep 2026", "Oct to Dec 2026", "Jan to Mar 2027")
    rows = {label: [c.text for c in cells] for label, cells in chart.table.rows}
    assert chart.table.headers == (
        "Quarter",
        "Red (overdue)",
        "Amber (due soon)",
        "Green (on track)",
        "Finished",
        "Total",
    )
    assert rows == {
        "Apr to Jun 2026": ["0", "0", "0", "0", "0"],
        # Added in September, due on 12 November, cancelled on 1 December: on track at the end of
        # September, finished by the end of December.
        "Jul to Sep 2026": ["0", "0", "1", "0", "1"],
        "Oct to Dec 2026": ["0", "0", "0", "1", "1"],
        "Jan to Mar 2027": ["2", "3", "1", "1", "7"],
    }
    # The chart's last quarter is the report's own total.
    assert counts(context["total"]) == tuple(int(v) for v in rows["Jan to Mar 2027"][:4])


def test_a_past_quarter_rates_an_action_closed_later_as_it_stood_then(report_world, signed_in):
    with time_machine.travel(TODAY, tick=False):
        context = (
            signed_in(report_world.partnership_admin)
            .get(f"{reverse('actions:quarterly-report')}?quarter=2026-Q2")
            .context
        )
    assert counts(context["total"]) == (0, 0, 1, 0)
    listed = [a for g in context["groups"] for ag in g.agencies for a in ag.actions]
    assert [(a.title, a.rag) for a in listed] == [("Cancelled before the quarter", "green")]


def test_the_pdf_is_tagged_with_its_language_title_and_the_charts_figure(report_world, signed_in):
    with time_machine.travel(TODAY, tick=False):
        response = signed_in(report_world.partnership_admin).get(
            f"{reverse('actions:quarterly-report-pdf')}?quarter=2026-Q4"
        )
    from tests.core.test_exports import structure_tags

    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == (
        "Action monitoring report: Quarter 4 of 2026 to 2027 (January to March 2027) – Alpha Safeguarding Partnership"
    )
    tags = structure_tags(root["/StructTreeRoot"])
    assert ("/Figure", "Chart: RAG ratings over the last four quarters. The figures are in the table with it.") in [
        (str(kind), str(alt)) for kind, alt in tags
    ]
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Change from the previous quarter" in text and "RAG ratings over the last four quarters" in text
