"""Acceptance 5: the attendance dashboard's "agency represented" figures equal a hand count on a
constructed year with named deputies, and the chart shows both figures against the required rate.

The hand count walks the raw rows with plain Python: no aggregate, none of ``reports``' helpers.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safeboard.core.permissions import Role
from safeboard.governance.models import (
    Attendance,
    AttendanceStatus,
    Group,
    GroupKind,
    GroupMember,
    Meeting,
    MeetingStatus,
    MemberType,
)
from tests.factories import member

YEAR = 2025  # 1 April 2025 to 31 March 2026
P, D, A, X = AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY, AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def build(world):  # type: ignore[no-untyped-def]
    """Ten monthly board meetings. Agency A's member came to 4 and sent their named deputy to 4 (so A
    was represented at 8 of 10, though its member attended only 4); agency B's member came to 7 and
    sent apologies to 3. One meeting was cancelled and one is next year: neither counts."""
    board = Group.objects.create(
        partnership=world.alpha, name="Board", kind=GroupKind.BOARD, attendance_required=3, attendance_out_of=4
    )
    a_person = member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name="Ann A")
    b_person = member(world.alpha, Role.BOARD_MEMBER, world.agency_b, full_name="Ben B")
    stand_in = member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name="Dee Deputy")
    a_seat = GroupMember.objects.create(
        group=board, person=a_person, agency=world.agency_a, starts_on=dt.date(2020, 1, 1)
    )
    b_seat = GroupMember.objects.create(
        group=board, person=b_person, agency=world.agency_b, starts_on=dt.date(2020, 1, 1)
    )
    GroupMember.objects.create(
        group=board,
        person=stand_in,
        agency=world.agency_a,
        member_type=MemberType.DEPUTY,
        deputy_for=a_seat,
        starts_on=dt.date(2020, 1, 1),
    )
    a_pattern = [P, D, P, D, A, D, P, D, X, P]
    b_pattern = [P, P, A, P, P, A, P, P, A, P]
    for month, (a_status, b_status) in enumerate(zip(a_pattern, b_pattern, strict=True)):
        day = dt.date(2025 + (3 + month) // 12, (3 + month) % 12 + 1, 10)
        meeting = Meeting.objects.create(
            group=board, starts_at=at(day), ends_at=at(day) + dt.timedelta(hours=2), status=MeetingStatus.HELD
        )
        Attendance.objects.create(
            meeting=meeting, member=a_seat, status=a_status, deputy=stand_in if a_status == D else None
        )
        Attendance.objects.create(meeting=meeting, member=b_seat, status=b_status)
    cancelled = Meeting.objects.create(
        group=board,
        starts_at=at(dt.date(2026, 2, 20)),
        ends_at=at(dt.date(2026, 2, 20)),
        status=MeetingStatus.CANCELLED,
    )
    Attendance.objects.create(meeting=cancelled, member=a_seat, status=D, deputy=stand_in)
    next_year = Meeting.objects.create(
        group=board, starts_at=at(dt.date(2026, 5, 1)), ends_at=at(dt.date(2026, 5, 1)), status=MeetingStatus.HELD
    )
    Attendance.objects.create(meeting=next_year, member=a_seat, status=D, deputy=stand_in)
    return a_seat, b_seat


def hand_count(agency) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """(meetings expected, represented, member attended) for the members' seats of one agency."""
    expected = represented = attended = 0
    for row in Attendance.objects.all():
        meeting = Meeting.objects.get(pk=row.meeting_id)
        seat = GroupMember.objects.get(pk=row.member_id)
        day = timezone.localtime(meeting.starts_at).date()
        if seat.agency_id != agency.pk or seat.member_type != MemberType.MEMBER:
            continue
        if meeting.status == "cancelled" or not (dt.date(2025, 4, 1) <= day < dt.date(2026, 4, 1)):
            continue
        expected += 1
        if row.status == "present":
            attended += 1
            represented += 1
        elif row.status == "deputy" and row.deputy_id is not None:
            represented += 1
    return expected, represented, attended


def test_agency_represented_equals_a_hand_count_with_deputies(world, signed_in):
    build(world)
    response = signed_in(world.partnership_admin).get(reverse("governance:attendance") + f"?year={YEAR}")
    rows = {row.key: row for row in response.context["representation"]}
    for agency in (world.agency_a, world.agency_b):
        expected, represented, attended = hand_count(agency)
        row = rows[agency.pk]
        assert (row.expected, row.represented, row.present) == (expected, represented, attended)
    # The figures of the story: A represented at 8 of 10 though its member attended 4.
    assert rows[world.agency_a.pk].represented_percent == "80%" and rows[world.agency_a.pk].rate_percent == "40%"
    assert rows[world.agency_b.pk].represented_percent == "70%"

    chart = response.context["agency_chart"]
    assert [s.name for s in chart.series] == ["Agency represented", "Member attended"]
    assert chart.categories[0] == world.agency_b.name  # "Alpha Health Trust" sorts before "Alpha Police"
    assert [list(s.values) for s in chart.series] == [[70, 80], [70, 40]]
    assert list(chart.targets) == [75, 75]  # the board asks for 3 meetings of 4
    body = response.content.decode()
    # The summary (chart and agency table) comes before the per-seat table.
    assert body.index('id="agencies"') < body.index('id="members"')
    assert "Attendance by agency, 2025 to 2026" in body and "<svg" in body
