"""Members help themselves, in a real browser with axe on every page: a member sends apologies and
names their deputy; the second time in a business year the partnership's limit refuses that deputy.
Then axe on the other new pages of issue 9 (interests, declarations, arrangements, induction)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safeboard.core.interests import Interest, InterestKind
from safeboard.core.permissions import Role
from safeboard.governance.arrangements import services as arrangements
from safeboard.governance.meetings.services import save_member
from safeboard.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    DocumentKind,
    Group,
    GroupKind,
    GroupMember,
    ItemPurpose,
    MeetingStatus,
    MemberType,
    MinutesStatus,
    PartnershipDocument,
    business_year_of,
)
from tests.browser.conftest import assert_accessible, session_cookie
from tests.factories import member
from tests.governance.matrix_rows_meetings import make_meeting, make_paper

pytestmark = pytest.mark.browser

SUCCESS = ".govuk-notification-banner--success"


def _board(world):  # type: ignore[no-untyped-def]
    group = Group.objects.create(partnership=world.alpha, name="Alpha Board", kind=GroupKind.BOARD)
    start = dt.date(2020, 1, 1)
    police = member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name="Paula Police")
    deputy = member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name="Dan Deputy")
    seat = save_member(GroupMember(group=group, person=police, agency=world.agency_a, starts_on=start))
    save_member(
        GroupMember(group=group, person=deputy, member_type=MemberType.DEPUTY, deputy_for=seat, starts_on=start)
    )
    return group, police, deputy, seat


def _two_days_in_one_business_year() -> tuple[dt.datetime, dt.datetime]:
    first = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=14)
    while business_year_of(first.date()) != business_year_of((first + dt.timedelta(days=7)).date()):
        first += dt.timedelta(days=7)
    return first, first + dt.timedelta(days=7)


def test_a_member_sends_apologies_and_names_their_deputy(transactional_db, world, new_context, live_server) -> None:
    group, police, deputy, seat = _board(world)
    first_day, second_day = _two_days_in_one_business_year()
    first = make_meeting(group, first_day, venue="Civic Centre")
    second = make_meeting(group, second_day, venue="Civic Centre")
    context = new_context(bypass_csp=True)  # axe is injected as an inline script
    session_cookie(context, live_server, police)
    page = context.new_page()

    page.goto("/board/mine/")
    expect(page.locator("h1")).to_have_text("Your board business")
    assert_accessible(page)
    page.get_by_role(
        "link", name=f"Send apologies for Alpha Board on {timezone.localtime(first.starts_at):%-d %B %Y}"
    ).click()
    expect(page.locator("h1")).to_have_text("Send your apologies")
    assert_accessible(page)
    page.get_by_role("radio", name="Dan Deputy (your named deputy)").check()
    page.get_by_label("Anything the chair should know (optional)").fill("I am at a court hearing.")
    page.get_by_role("button", name="Send apologies").click()
    expect(page.locator(SUCCESS)).to_contain_text("Dan Deputy will attend for you")
    expect(page.locator("h1")).to_have_text("Your board business")
    expect(page.locator("#main-content")).to_contain_text("Deputy attended: Dan Deputy")
    assert_accessible(page)
    attendance = Attendance.objects.get(meeting=first, member=seat)
    assert attendance.status == AttendanceStatus.DEPUTY and attendance.deputy == deputy

    # The same deputy a second time in the business year: the partnership allows once.
    page.get_by_role(
        "link", name=f"Send apologies for Alpha Board on {timezone.localtime(second.starts_at):%-d %B %Y}"
    ).click()
    page.get_by_role("radio", name="Dan Deputy (your named deputy)").check()
    page.get_by_role("button", name="Send apologies").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Dan Deputy has already stood in for you once this business year")
    assert_accessible(page)
    page.get_by_role("radio", name="Nobody: I am sending apologies only").check()
    page.get_by_role("button", name="Send apologies").click()
    expect(page.locator(SUCCESS)).to_contain_text("Your apologies have been sent.")
    assert Attendance.objects.get(meeting=second, member=seat).status == AttendanceStatus.APOLOGIES

    # The meeting's own page shows the apology, and offers to change it.
    page.goto(first.get_absolute_url())
    expect(page.locator("#attendance ~ table")).to_contain_text("Dan Deputy")
    assert_accessible(page)


def test_the_new_board_pages_have_no_accessibility_violations(
    transactional_db, world, new_context, live_server
) -> None:
    group, police, deputy, seat = _board(world)
    Interest.objects.create(
        partnership=world.alpha,
        person=police,
        kind=InterestKind.OFFICE,
        organisation="Alphaton Youth Trust",
        description="Trustee",
        since=dt.date(2021, 5, 1),
        last_reviewed_on=dt.date(2025, 1, 1),
    )
    held = make_meeting(
        group, timezone.now() - dt.timedelta(days=7), status=MeetingStatus.HELD, minutes_status=MinutesStatus.DRAFT
    )
    item = AgendaItem.objects.create(
        meeting=held, number=1, title="Youth contract", purpose=ItemPurpose.DECISION, discussion="Discussed."
    )
    make_paper(item, world.partnership_admin, title="Contract options")
    Attendance.objects.create(meeting=held, member=seat, status=AttendanceStatus.PRESENT)
    for position, person in (("local_authority", police), ("police", deputy), ("health", world.partnership_admin)):
        arrangements.set_statutory_partner(partnership=world.alpha, position=position, person=person)
    document = PartnershipDocument.objects.create(
        partnership=world.alpha,
        kind=DocumentKind.ARRANGEMENTS,
        title="Alpha arrangements",
        owner=world.partnership_admin,
    )
    first = arrangements.add_version(
        document=document, text="Who we are.", changes="", review_by=timezone.localdate() + dt.timedelta(days=300)
    )
    for person in (police, deputy, world.partnership_admin):
        arrangements.sign_off(first, person)
    arrangements.publish_version(first)
    arrangements.add_version(
        document=document,
        text="Who we are.\nHow we work with schools.",
        changes="Schools",
        review_by=timezone.localdate() + dt.timedelta(days=400),
    )

    context = new_context(bypass_csp=True)
    session_cookie(context, live_server, police)
    page = context.new_page()
    for url in (
        "/board/interests/",
        f"/board/items/{item.pk}/declare/",
        held.get_absolute_url(),
        f"/board/meetings/{held.pk}/draft-minutes/",
        "/board/arrangements/",
        document.get_absolute_url(),
        f"/board/members/{seat.pk}/induction/",
    ):
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)
    # A form with errors.
    page.goto("/board/interests/new/")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)

    admin = new_context(bypass_csp=True)
    session_cookie(admin, live_server, world.partnership_admin)
    page = admin.new_page()
    for url in (
        f"/board/meetings/{held.pk}/read-receipts/",
        "/board/arrangements/statutory-partners/",
        f"/board/members/{seat.pk}/criteria/",
    ):
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)
