"""Members help themselves (issue 9, section 4): apologies naming a deputy of their own seat, within
the partnership's limit of stand-ins a year; draft minutes to approve; papers not opened yet and
read receipts for the business unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeboard.core.permissions import Role
from safeboard.core.services import ServiceError
from safeboard.governance.members import services
from safeboard.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Group,
    GroupKind,
    GroupMember,
    MeetingStatus,
    MemberType,
    MinutesStatus,
    PaperRead,
)
from tests.factories import member
from tests.governance.matrix_rows_meetings import make_meeting, make_paper


@pytest.fixture
def board(world):
    group = Group.objects.create(partnership=world.alpha, name="Alpha Board", kind=GroupKind.BOARD)
    start = dt.date(2020, 1, 1)
    police = member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name="Paula Police")
    deputy = member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name="Dan Deputy")
    health = member(world.alpha, Role.BOARD_MEMBER, world.agency_b, full_name="Hal Health")
    health_deputy = member(world.alpha, Role.BOARD_MEMBER, world.agency_b, full_name="Hetty Deputy")
    seat = GroupMember.objects.create(group=group, person=police, agency=world.agency_a, starts_on=start)
    deputy_seat = GroupMember.objects.create(
        group=group, person=deputy, member_type=MemberType.DEPUTY, deputy_for=seat, starts_on=start
    )
    health_seat = GroupMember.objects.create(group=group, person=health, agency=world.agency_b, starts_on=start)
    other_deputy_seat = GroupMember.objects.create(
        group=group, person=health_deputy, member_type=MemberType.DEPUTY, deputy_for=health_seat, starts_on=start
    )
    meeting = make_meeting(group, timezone.now() + dt.timedelta(days=14), venue="Room 1")
    return {
        "group": group,
        "police": police,
        "seat": seat,
        "deputy": deputy,
        "deputy_seat": deputy_seat,
        "health": health,
        "other_deputy_seat": other_deputy_seat,
        "meeting": meeting,
    }


def test_a_member_sends_apologies_and_names_their_deputy(world, signed_in, board):
    client = signed_in(board["police"])
    url = reverse("governance:meeting-apologies", args=[board["meeting"].pk])
    page = client.get(url).content.decode()
    assert "Dan Deputy (your named deputy)" in page
    assert "Hetty Deputy" not in page  # another seat's deputy is not offered
    response = client.post(url, {"deputy": board["deputy_seat"].pk, "note": "At a court hearing"})
    assert response.status_code == 302
    attendance = Attendance.objects.get(meeting=board["meeting"], member=board["seat"])
    assert attendance.status == AttendanceStatus.DEPUTY and attendance.deputy == board["deputy"]
    assert "Sent by Paula Police" in attendance.note and "court hearing" in attendance.note
    mine = client.get(reverse("governance:my-board")).content.decode()
    assert "Deputy attended: Dan Deputy" in mine
    # Changing their mind: apologies only, no deputy.
    assert client.post(url, {"deputy": "", "note": ""}).status_code == 302
    attendance.refresh_from_db()
    assert attendance.status == AttendanceStatus.APOLOGIES and attendance.deputy is None


def test_only_a_named_deputy_of_the_members_own_seat_can_be_named(world, signed_in, board):
    with pytest.raises(ServiceError, match="named deputies of your seat"):
        services.send_apologies(meeting=board["meeting"], person=board["police"], deputy=board["other_deputy_seat"])
    response = signed_in(board["police"]).post(
        reverse("governance:meeting-apologies", args=[board["meeting"].pk]), {"deputy": board["other_deputy_seat"].pk}
    )
    assert response.status_code == 200
    assert not Attendance.objects.exists()


def test_a_deputy_stands_in_at_most_the_partnerships_number_of_times_a_year(world, board):
    earlier = make_meeting(board["group"], board["meeting"].starts_at - dt.timedelta(days=1), status=MeetingStatus.HELD)
    Attendance.objects.create(
        meeting=earlier, member=board["seat"], status=AttendanceStatus.DEPUTY, deputy=board["deputy"]
    )
    with pytest.raises(ServiceError, match="already stood in for you once this business year"):
        services.send_apologies(meeting=board["meeting"], person=board["police"], deputy=board["deputy_seat"])
    assert not Attendance.objects.filter(meeting=board["meeting"]).exists()
    # Apologies without a deputy are still fine.
    services.send_apologies(meeting=board["meeting"], person=board["police"])
    # The partnership allows twice a year: now the deputy may stand in.
    world.alpha.deputy_stand_ins_per_year = 2
    world.alpha.save()
    attendance = services.send_apologies(meeting=board["meeting"], person=board["police"], deputy=board["deputy_seat"])
    assert attendance.deputy == board["deputy"]


def test_a_stand_in_in_another_business_year_does_not_count(world, board):
    old = make_meeting(board["group"], board["meeting"].starts_at - dt.timedelta(days=400), status=MeetingStatus.HELD)
    Attendance.objects.create(meeting=old, member=board["seat"], status=AttendanceStatus.DEPUTY, deputy=board["deputy"])
    attendance = services.send_apologies(meeting=board["meeting"], person=board["police"], deputy=board["deputy_seat"])
    assert attendance.status == AttendanceStatus.DEPUTY


def test_apologies_are_for_the_members_own_seat_and_before_the_meeting(world, signed_in, board):
    # A board member without a seat on the group, and the business unit, have nothing to send apologies for.
    url = reverse("governance:meeting-apologies", args=[board["meeting"].pk])
    outsider = member(world.alpha, Role.BOARD_MEMBER, world.agency_b)
    assert signed_in(outsider).get(url).status_code == 403
    assert signed_in(outsider).post(url, {"deputy": ""}).status_code == 403
    # A deputy does not send apologies for the seat they deputise for.
    assert signed_in(board["deputy"]).post(url, {"deputy": ""}).status_code == 403
    # The Beta business unit does not find Alpha's meeting.
    assert signed_in(world.other_admin).post(url, {"deputy": ""}).status_code == 404
    assert not Attendance.objects.exists()
    started = make_meeting(board["group"], timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(ServiceError, match="has started"):
        services.send_apologies(meeting=started, person=board["police"])


def test_opening_a_paper_records_it_for_the_business_unit(world, signed_in, board):
    item = AgendaItem.objects.create(meeting=board["meeting"], number=1, title="Annual report")
    paper = make_paper(item, world.partnership_admin, title="Annual report 2026")
    client = signed_in(board["police"])
    assert "Annual report 2026" in client.get(reverse("governance:my-board")).content.decode()
    assert client.get(reverse("governance:paper-download", args=[paper.pk])).status_code == 200
    client.get(reverse("governance:paper-download", args=[paper.pk]))  # opened twice: one receipt
    assert PaperRead.objects.filter(paper=paper, person=board["police"]).count() == 1
    unread = client.get(reverse("governance:my-board")).content.decode().split('id="unread"', 1)[1]
    assert "Annual report 2026" not in unread.split('id="drafts"', 1)[0]
    page = signed_in(world.partnership_admin).get(reverse("governance:read-receipts", args=[board["meeting"].pk]))
    row = page.content.decode().split("Annual report 2026", 1)[1].split("</tr>", 1)[0]
    opened, not_opened = row.split('<td class="govuk-table__cell">')[1:3]
    assert "Paula Police" in opened and "Hal Health" not in opened
    assert "Hal Health" in not_opened and "Dan Deputy" in not_opened


def test_members_read_the_draft_minutes_they_are_asked_to_approve(world, signed_in, board):
    past = make_meeting(
        board["group"],
        timezone.now() - dt.timedelta(days=20),
        status=MeetingStatus.HELD,
        minutes_status=MinutesStatus.DRAFT,
    )
    AgendaItem.objects.create(meeting=past, number=1, title="Neglect", discussion="The board discussed neglect.")
    url = reverse("governance:draft-minutes", args=[past.pk])
    client = signed_in(board["deputy"])  # named deputies read them too
    assert "The board discussed neglect." in client.get(url).content.decode()
    assert (
        reverse("governance:draft-minutes", args=[past.pk])
        in signed_in(board["police"]).get(reverse("governance:my-board")).content.decode()
    )
    assert signed_in(member(world.alpha, Role.BOARD_MEMBER, world.agency_b)).get(url).status_code == 403
    past.minutes_status = MinutesStatus.APPROVED
    past.save()
    assert signed_in(board["police"]).get(url).status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_your_board_business_runs_a_fixed_number_of_queries(world, signed_in, board):
    client = signed_in(board["police"])
    url = reverse("governance:my-board")
    _queries(client, url)
    before = _queries(client, url)
    for days in (30, 60, 90):
        meeting = make_meeting(board["group"], timezone.now() + dt.timedelta(days=days))
        item = AgendaItem.objects.create(meeting=meeting, number=1, title="Item")
        make_paper(item, world.partnership_admin)
        Attendance.objects.create(meeting=meeting, member=board["seat"], status=AttendanceStatus.APOLOGIES)
        make_meeting(
            board["group"], timezone.now() - dt.timedelta(days=days), status=MeetingStatus.HELD, minutes_status="draft"
        )
    assert _queries(client, url) == before
