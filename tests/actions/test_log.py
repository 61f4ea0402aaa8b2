"""The action log page: filters, RAG, paging, query counts, and the CSV and Excel exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from safeboard.actions import services
from safeboard.actions.models import ActionStatus
from safeboard.core.audit import AccessAction, AccessLogEntry
from safeboard.core.permissions import Role
from tests.actions.helpers import make_action
from tests.factories import AgencyFactory, member


def listed(client, query: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    """References on every page of the log, following the keyset cursors."""
    url = f"{reverse('actions:action-list')}?{query}"
    refs: list[str] = []
    while url:
        page = client.get(url).context["page"]
        refs += [a.reference for a in page.object_list]
        url = f"{reverse('actions:action-list')}?{query}&cursor={page.next_cursor}" if page.next_cursor else None
    return refs


def csv_refs(client, query: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(f"{reverse('actions:action-export-csv')}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["Reference", "Title"]
    return [row[0] for row in rows[1:]]


def xlsx_refs(client, query: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(f"{reverse('actions:action-export-xlsx')}?{query}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Reference"
    return [row[0] for row in rows[1:]]


@pytest.fixture
def log(world):  # type: ignore[no-untyped-def]
    """A small log with one action of each kind the filters tell apart."""
    today = timezone.localdate()
    actions = {
        "overdue": make_action(world, title="Overdue audit", due_date=today - dt.timedelta(days=2), theme="Neglect"),
        "amber": make_action(world, title="Amber training", due_in=10, source=world.agency_b),
        "green": make_action(
            world, title="Green leaflet", owner=world.practitioner_b, agency=world.agency_b, due_in=60, theme="Online"
        ),
        "closed": make_action(world, title="Closed review", owner=world.agency_lead, due_in=5, source=world.locality),
    }
    closed = actions["closed"]
    evidence = services.add_evidence(action=closed, added_by=world.agency_lead, description="x", link="https://e.test")
    services.review_evidence(evidence=evidence, reviewer=world.partnership_admin, accept=True)
    services.close_action(action=closed, closed_by=world.partnership_admin, reason="Done")
    make_action(world, partnership=world.beta, owner=world.other_admin, agency=world.agency_c, title="Beta work")
    return {k: v.reference for k, v in actions.items()}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["overdue", "amber", "green"]),  # live actions by default
        ("status=any", ["overdue", "closed", "amber", "green"]),
        ("rag=red", ["overdue"]),
        ("rag=amber", ["amber"]),
        ("rag=green", ["green"]),
        ("rag=done", []),
        ("rag=done&status=any", ["closed"]),
        ("status=closed", ["closed"]),
        ("status=open", ["overdue", "amber", "green"]),
        ("source_type=core.agency", ["amber"]),
        ("source_type=core.locality&status=any", ["closed"]),
        ("source_type=none", ["overdue", "green"]),
        ("theme=negl", ["overdue"]),
        ("q=leaflet", ["green"]),
        ("q=A-0001", ["overdue"]),
        ("due_to={today}", ["overdue"]),
        ("due_from={today}&due_to={in_20}", ["amber"]),
        ("due_from={today}&due_to={in_20}&status=any", ["closed", "amber"]),
        ("due_from-day={day}&due_from-month={month}&due_from-year={year}&status=any", ["closed", "amber", "green"]),
    ],
)
def test_the_filters_narrow_the_log_and_the_exports_follow_them(world, signed_in, log, query, expected):
    today = timezone.localdate()
    query = query.format(
        today=today.isoformat(),
        in_20=(today + dt.timedelta(days=20)).isoformat(),
        day=today.day,
        month=today.month,
        year=today.year,
    )
    client = signed_in(world.partnership_admin)
    refs = [log[name] for name in expected]
    assert listed(client, query) == refs
    assert csv_refs(client, query) == refs
    assert xlsx_refs(client, query) == refs


def test_filters_by_agency_and_owner(world, signed_in, log):
    client = signed_in(world.partnership_admin)
    assert listed(client, f"agency={world.agency_b.pk}") == [log["green"]]
    assert listed(client, f"owner={world.agency_lead.pk}") == []  # their only action is closed
    assert listed(client, f"owner={world.agency_lead.pk}&status=any") == [log["closed"]]
    form = client.get(reverse("actions:action-list")).context["filterset"].form
    assert set(form.fields["owner"].queryset) == {world.practitioner_a, world.practitioner_b, world.agency_lead}
    assert [key for key, _ in form.fields["source_type"].choices] == ["", "core.agency", "core.locality", "none"]


def test_a_due_range_that_ends_before_it_starts_is_an_error(world, signed_in, log):
    client = signed_in(world.partnership_admin)
    response = client.get(f"{reverse('actions:action-list')}?due_from=2027-05-01&due_to=2027-04-01")
    assert "must be on or after its start" in response.content.decode()


def test_rag_is_shown_in_words_as_well_as_colour(world, signed_in, log):
    body = signed_in(world.partnership_admin).get(f"{reverse('actions:action-list')}?status=any").content.decode()
    assert 'govuk-tag govuk-tag--red">Red (overdue)' in body
    assert 'govuk-tag govuk-tag--yellow">Amber (due soon)' in body
    assert 'govuk-tag govuk-tag--green">Green (on track)' in body
    assert 'govuk-tag govuk-tag--grey">Finished' in body
    assert "Beta work" not in body


def test_the_amber_window_is_the_partnerships_setting(world, signed_in, log):
    world.alpha.action_amber_days = 5
    world.alpha.save()
    assert listed(signed_in(world.partnership_admin), "rag=amber") == []


def test_the_export_links_carry_the_current_filters(world, signed_in, log):
    body = signed_in(world.partnership_admin).get(f"{reverse('actions:action-list')}?status=open&theme=ne").content
    assert f"{reverse('actions:action-export-csv')}?status=open&amp;theme=ne".encode() in body
    assert f"{reverse('actions:action-export-xlsx')}?status=open&amp;theme=ne".encode() in body


def test_exports_hold_every_page_in_the_persons_scope_and_are_logged(world, signed_in):
    for i in range(55):
        make_action(world, title=f"Mine {i}", due_in=i)
    for i in range(3):
        make_action(world, owner=world.practitioner_b, agency=world.agency_b, title=f"Not mine {i}")
    admin = signed_in(world.partnership_admin)
    everything = listed(admin)
    assert len(everything) == 58
    assert csv_refs(admin) == everything and xlsx_refs(admin) == everything

    practitioner = signed_in(world.practitioner_a)
    own = listed(practitioner)
    assert len(own) == 55
    assert csv_refs(practitioner) == own and xlsx_refs(practitioner) == own

    details = list(
        AccessLogEntry.objects.filter(action=AccessAction.EXPORT).order_by("id").values_list("actor_id", "detail")
    )
    assert details == [
        (world.partnership_admin.pk, "actions CSV, 58 rows"),
        (world.partnership_admin.pk, "actions XLSX, 58 rows"),
        (world.practitioner_a.pk, "actions CSV, 55 rows"),
        (world.practitioner_a.pk, "actions XLSX, 55 rows"),
    ]
    assert set(AccessLogEntry.objects.values_list("partnership_id", flat=True)) == {world.alpha.pk}


def test_exported_text_is_never_run_as_a_spreadsheet_formula(world, signed_in):
    make_action(world, title='=HYPERLINK("http://evil.test")')
    client = signed_in(world.partnership_admin)
    response = client.get(reverse("actions:action-export-csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][1].startswith("'=")
    sheet = load_workbook(io.BytesIO(client.get(reverse("actions:action-export-xlsx")).content)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_exports_refuse_people_without_the_log(world, signed_in):
    for name in ("actions:action-export-csv", "actions:action-export-xlsx"):
        assert signed_in(world.scrutiny).get(reverse(name)).status_code == 403
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORT).exists()


def queries_for(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_log_runs_a_fixed_number_of_queries(world, signed_in):
    make_action(world, source=world.agency_b)
    client = signed_in(world.partnership_admin)
    url = reverse("actions:action-list")
    queries_for(client, url)  # warm caches (content types, the session)
    before = queries_for(client, url)
    for i in range(30):
        agency = AgencyFactory(partnerships=[world.alpha])
        owner = member(world.alpha, Role.PRACTITIONER, agency)
        action = make_action(world, owner=owner, agency=agency, source=agency if i % 2 else world.locality, due_in=i)
        if i % 3 == 0:
            action.status = ActionStatus.IN_PROGRESS
            action.save()
    after = queries_for(client, url)
    assert after == before, f"{before} queries with one action, {after} with 31 (N+1?)"
    assert after <= 17  # with the result count (one query, bounded by COUNT_LIMIT)
    filtered = queries_for(client, f"{url}?rag=green&source_type=core.agency&owner={world.practitioner_a.pk}")
    assert filtered <= 17  # the chosen owner is loaded to show them in the filter (and their roles)


def test_htmx_requests_get_only_the_results_with_fresh_export_links(world, signed_in, log):
    response = signed_in(world.partnership_admin).get(
        f"{reverse('actions:action-list')}?status=closed", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="list-results">')
    assert "?status=closed" in body and "<html" not in body


def test_people_with_the_add_permission_see_the_add_button(world, signed_in):
    assert "Add an action" in signed_in(world.partnership_admin).get(reverse("actions:action-list")).content.decode()
    assert "Add an action" not in signed_in(world.agency_lead).get(reverse("actions:action-list")).content.decode()


def test_an_agency_lead_lists_only_their_agencys_actions(world, signed_in, log):
    refs = listed(signed_in(world.agency_lead), "status=any")
    assert refs == [log["overdue"], log["closed"], log["amber"]]
