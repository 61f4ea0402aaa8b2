"""The annual cycle in a real browser at 1280 px, with axe on every page: the business unit builds
next quarter's agendas from the forward plan (issue 9, section 5), then runs it again and nothing
more is added; and the cycle's forms, a paper's page and the decisions page pass axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safeboard.governance.cycle import services
from safeboard.governance.cycle.models import SeriesRule, WeekOfMonth, add_months
from safeboard.governance.meetings.services import save_member
from safeboard.governance.models import (
    AgendaItem,
    DecisionMeans,
    ForwardPlanItem,
    Group,
    GroupKind,
    GroupMember,
    ItemPurpose,
    Meeting,
    MeetingSeries,
)
from tests.browser.conftest import assert_accessible, session_cookie
from tests.governance.matrix_rows_meetings import pdf_bytes

pytestmark = pytest.mark.browser

SUCCESS = ".govuk-notification-banner--success"
WIDE = {"width": 1280, "height": 800}


def _board_with_a_plan(world):  # type: ignore[no-untyped-def]
    board = Group.objects.create(partnership=world.alpha, name="Alpha Board", kind=GroupKind.BOARD)
    save_member(
        GroupMember(group=board, person=world.agency_lead, agency=world.agency_a, starts_on=dt.date(2020, 1, 1))
    )
    first, last = services.quarter_after(timezone.localdate(), world.alpha.business_year_start_month or 4)
    MeetingSeries.objects.create(
        group=board,
        every_months=1,
        starts_on=first,
        rule=SeriesRule.WEEKDAY,
        week_of_month=WeekOfMonth.SECOND,
        weekday=1,
        start_time=dt.time(10, 0),
        length_minutes=150,
        venue="Civic Centre",
    )
    ForwardPlanItem.objects.create(
        group=board,
        title="Annual report",
        purpose=ItemPurpose.DECISION,
        presenter=world.agency_lead,
        agency=world.agency_a,
        target_month=first,
        minutes_allowed=30,
    )
    ForwardPlanItem.objects.create(group=board, title="Neglect strategy", target_month=add_months(first, 1))
    ForwardPlanItem.objects.create(group=board, title="Budget for next year", target_month=add_months(first, 6))
    return board, first


def test_the_business_unit_builds_next_quarters_agendas_from_the_forward_plan(
    transactional_db, world, new_context, live_server
) -> None:
    board, first = _board_with_a_plan(world)
    context = new_context(bypass_csp=True, viewport=WIDE)  # axe is injected as an inline script
    session_cookie(context, live_server, world.partnership_admin)
    page = context.new_page()

    page.goto(board.get_absolute_url())
    page.get_by_role("link", name="Forward plan, standing items and meeting series").click()
    expect(page.locator("h1")).to_have_text("Forward plan")
    expect(page.locator("#main-content")).to_contain_text("Annual report")
    expect(page.locator("#main-content")).to_contain_text("Declarations of interest")
    assert_accessible(page)

    page.get_by_role("button", name="Build next quarter's agendas").click()
    expect(page.locator(SUCCESS)).to_contain_text(
        "3 meetings in the quarter, 3 made from the series, 17 agenda items added, 2 forward plan items placed"
    )
    expect(page.locator("h1")).to_have_text("Forward plan")
    assert_accessible(page)
    assert Meeting.objects.filter(group=board).count() == 3

    # The first meeting's agenda: the standing items, the forward plan's item, any other business last.
    meeting = Meeting.objects.filter(group=board).order_by("starts_at").first()
    assert meeting is not None
    page.get_by_role("link", name=timezone.localtime(meeting.starts_at).strftime("%A %-d %B %Y, %H:%M")).click()
    headings = page.locator("#main-content section h3")
    expect(headings).to_have_text(
        [
            "1. Welcome and apologies",
            "2. Declarations of interest",
            "3. Minutes of the last meeting",
            "4. Action log",
            "5. Annual report",
            "6. Any other business",
        ]
    )
    expect(page.get_by_role("link", name="Record a declaration of interest for this meeting")).to_be_visible()
    assert_accessible(page)

    # Again: nothing new.
    page.goto(f"/board/groups/{board.pk}/forward-plan/")
    page.get_by_role("button", name="Build next quarter's agendas").click()
    expect(page.locator(SUCCESS)).to_contain_text("nothing new to add")
    assert AgendaItem.objects.filter(meeting__group=board).count() == 17
    expect(page.locator("#main-content")).to_contain_text("Budget for next year")  # next quarter's business waits


def test_the_annual_cycles_forms_and_pages_have_no_accessibility_violations(
    transactional_db, world, new_context, live_server
) -> None:
    board, first = _board_with_a_plan(world)
    services.build_agendas(board, first, services.quarter_after(timezone.localdate())[1])
    meeting = Meeting.objects.filter(group=board).order_by("starts_at").first()
    assert meeting is not None
    item = AgendaItem.objects.get(meeting=meeting, title="Annual report")
    request = services.request_paper(item=item, title="Annual report 2026", author=world.agency_lead)
    services.record_decision_between_meetings(
        group=board,
        decision="Extend the neglect audit.",
        means=DecisionMeans.EMAIL,
        decided_on=timezone.localdate(),
        decided_by=[world.agency_lead],
    )
    context = new_context(bypass_csp=True, viewport=WIDE)
    session_cookie(context, live_server, world.partnership_admin)
    page = context.new_page()
    for url in (
        f"/board/groups/{board.pk}/forward-plan/new/",
        f"/board/groups/{board.pk}/series/new/",
        f"/board/groups/{board.pk}/decisions/",
        f"/board/groups/{board.pk}/decisions/new/",
        f"/board/items/{item.pk}/paper-requests/new/",
        request.get_absolute_url(),
        f"/board/meetings/{meeting.pk}/circulate/",
        "/",
    ):
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)
    # Forms with their errors.
    for url, button in (
        (f"/board/groups/{board.pk}/forward-plan/new/", "Save"),
        (f"/board/groups/{board.pk}/series/new/", "Save"),
        (f"/board/groups/{board.pk}/decisions/new/", "Save"),
    ):
        page.goto(url)
        page.get_by_role("button", name=button).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)

    # The author sends the paper with its cover sheet.
    author = new_context(bypass_csp=True, viewport=WIDE)
    session_cookie(author, live_server, world.agency_lead)
    page = author.new_page()
    page.goto("/")
    page.get_by_role("link", name="Annual report 2026").click()
    page.get_by_role("link", name="Send the paper").click()
    expect(page.locator("h1")).to_have_text("Send your paper")
    assert_accessible(page)
    page.set_input_files(
        "input[type=file]", files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_label("Purpose of the paper").fill("To agree the annual report.")
    page.get_by_label("What is the group asked to decide?").fill("Approve it.")
    page.get_by_label("What is the impact on children?").fill("Families can read what we did.")
    page.get_by_label("What are the risks?").fill("None.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(SUCCESS)).to_contain_text("has been sent with its cover sheet")
    assert_accessible(page)
