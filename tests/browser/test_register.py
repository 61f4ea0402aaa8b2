"""The attendance register in a browser: 20 seats fit on a laptop screen, "mark everyone present"
ticks the unmarked rows, and the deputy field appears only for "Deputy attended" (without
JavaScript it is always there)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safeboard.core.permissions import Role
from safeboard.governance.models import Attendance, Group, GroupKind, GroupMember
from tests.browser.conftest import session_cookie
from tests.factories import member
from tests.governance.matrix_rows_meetings import make_meeting

pytestmark = pytest.mark.browser


def board_of(world, seats: int):  # type: ignore[no-untyped-def]
    board = Group.objects.create(partnership=world.alpha, name="Register board", kind=GroupKind.BOARD)
    made = []
    for i in range(seats):
        person = member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name=f"Board Member {i:02d}")
        made.append(
            GroupMember.objects.create(group=board, person=person, agency=world.agency_a, starts_on=dt.date(2020, 1, 1))
        )
    return board, made


def test_twenty_seats_fit_and_the_register_marks_and_reveals(transactional_db, world, new_context, live_server) -> None:
    board, seats = board_of(world, 20)
    meeting = make_meeting(board, timezone.now() - dt.timedelta(hours=3))
    context = new_context(viewport={"width": 1366, "height": 768})
    session_cookie(context, live_server, world.partnership_admin)
    page = context.new_page()
    page.goto(f"/board/meetings/{meeting.pk}/attendance/")

    table = page.locator(".sb-register__table")
    box = table.bounding_box()
    assert box is not None and box["height"] <= 680, f"the register is {box and box['height']}px tall"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    # The deputy field is hidden until "Deputy attended" is chosen for that row.
    deputy = page.locator(f"#id_deputy_{seats[0].pk}")
    expect(deputy).to_be_hidden()
    page.get_by_label("Deputy attended: Board Member 00", exact=True).check()
    expect(deputy).to_be_visible()
    expect(page.locator(f"#id_deputy_{seats[1].pk}")).to_be_hidden()
    page.get_by_label("Apologies: Board Member 00", exact=True).check()
    expect(deputy).to_be_hidden()

    page.get_by_role("button", name="Mark everyone present").click()
    expect(page.get_by_label("Apologies: Board Member 00", exact=True)).to_be_checked()
    expect(page.get_by_label("Present: Board Member 19", exact=True)).to_be_checked()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 19
    assert Attendance.objects.get(meeting=meeting, member=seats[0]).status == "apologies"


def test_without_javascript_the_deputy_field_shows_and_mark_everyone_asks_the_server(
    transactional_db, world, new_context, live_server
) -> None:
    board, seats = board_of(world, 3)
    meeting = make_meeting(board, timezone.now() - dt.timedelta(hours=3))
    context = new_context(java_script_enabled=False)
    session_cookie(context, live_server, world.partnership_admin)
    page = context.new_page()
    page.goto(f"/board/meetings/{meeting.pk}/attendance/")
    expect(page.locator(f"#id_deputy_{seats[0].pk}")).to_be_visible()
    page.get_by_role("button", name="Mark everyone present").click()
    for seat in seats:
        expect(page.locator(f"input[name=status_{seat.pk}][value=present]")).to_be_checked()
    assert not Attendance.objects.exists()
