"""A confidential agenda item stays out of the published minutes and out of the scrutiny view, in a real
browser with axe on every page (issue 9, sections 1 and 7's browser test): scrutiny signs in and reads the
board's published minutes without the item's title or text; a board member with a seat on the board
reads the item in the confidential part of the minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from safeboard.core.permissions import Role
from safeboard.governance.models import (
    AgendaItem,
    Group,
    GroupKind,
    GroupMember,
    MeetingStatus,
    MinutesStatus,
)
from tests.browser.conftest import assert_accessible, session_cookie, sign_in
from tests.factories import member
from tests.governance.matrix_rows_meetings import make_meeting, make_paper

pytestmark = pytest.mark.browser

SECRET_TITLE = "Tender for the independent scrutineer"
SECRET_TEXT = "Three bids compared on price"
SECRET_PAPER = "Scoring of the bids"


def _board_with_a_confidential_item(world):  # type: ignore[no-untyped-def]
    board = Group.objects.create(partnership=world.alpha, name="Alpha Partnership Board", kind=GroupKind.BOARD)
    seated = member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name="Bea Board")
    GroupMember.objects.create(group=board, person=seated, agency=world.agency_a, starts_on=dt.date(2020, 1, 1))
    now = timezone.now()
    meeting = make_meeting(
        board,
        now - dt.timedelta(days=20),
        status=MeetingStatus.HELD,
        minutes_status=MinutesStatus.PUBLISHED,
        minutes_published_at=now - dt.timedelta(days=2),
        venue="Alphaton Civic Centre",
    )
    open_item = AgendaItem.objects.create(
        meeting=meeting,
        number=1,
        title="Annual report of the partnership",
        discussion="The board agreed the annual report, subject to two corrections.",
    )
    make_paper(open_item, world.partnership_admin, title="Annual report draft")
    secret = AgendaItem.objects.create(
        meeting=meeting,
        number=2,
        title=SECRET_TITLE,
        discussion=f"{SECRET_TEXT} and on quality.",
        decisions="The board chose the second bid.",
        confidential_reason="commercial",
    )
    make_paper(secret, world.partnership_admin, title=SECRET_PAPER)
    return meeting, seated


def test_a_confidential_item_stays_out_of_the_published_minutes_and_the_scrutiny_view(
    transactional_db, world, new_context, live_server
) -> None:
    meeting, seated = _board_with_a_confidential_item(world)

    # Scrutiny signs in (password and code) and reads the published minutes from the board business page.
    context = new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    sign_in(page, world.scrutiny)
    page.goto("/board/")
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)
    assert SECRET_TITLE not in page.content()
    page.get_by_role("link", name=str(meeting)).click()
    main = page.locator("#main-content")
    expect(main).to_contain_text("The board agreed the annual report")
    for secret in (SECRET_TITLE, SECRET_TEXT, SECRET_PAPER, "The board chose the second bid", "Confidential minutes"):
        expect(main).not_to_contain_text(secret)
    assert SECRET_TITLE not in page.content()  # not even in a hidden part of the page
    assert_accessible(page)
    # The confidential part of the pack is not theirs either.
    response = page.request.get(reverse("governance:meeting-pack-confidential", args=[meeting.pk]))
    assert response.status == 404

    # The board member with a seat on the board reads the item, in the confidential part of the minutes.
    member_context = new_context(bypass_csp=True)
    session_cookie(member_context, live_server, seated)
    page = member_context.new_page()
    page.goto(meeting.get_absolute_url())
    main = page.locator("#main-content")
    expect(main).to_contain_text(SECRET_TITLE)
    expect(main).to_contain_text(SECRET_TEXT)
    expect(page.locator("#confidential-minutes")).to_be_visible()
    expect(main).to_contain_text("The board agreed the annual report")
    assert_accessible(page)
