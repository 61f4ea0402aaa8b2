"""The attendance register (core/registers.py): one table, a row per seat, radios, "mark everyone
present" that works without JavaScript, and the deputy field with the row it belongs to."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from safeboard.core.permissions import Role
from safeboard.governance.models import Attendance, AttendanceStatus, Group, GroupKind, GroupMember
from tests.factories import member
from tests.governance.matrix_rows_meetings import make_meeting


def seated_board(world, seats: int):  # type: ignore[no-untyped-def]
    board = Group.objects.create(partnership=world.alpha, name="Register board", kind=GroupKind.SUBGROUP)
    people = [member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name=f"Member {i:02d}") for i in range(seats)]
    made = [
        GroupMember.objects.create(group=board, person=p, agency=p.agency, starts_on=dt.date(2020, 1, 1))
        for p in people
    ]
    return board, made


def test_the_register_is_one_table_with_a_radio_per_status_for_every_seat(world, signed_in):
    board, seats = seated_board(world, 3)
    meeting = make_meeting(board, timezone.now() - dt.timedelta(hours=3))
    body = (
        signed_in(world.partnership_admin)
        .get(reverse("governance:meeting-attendance", args=[meeting.pk]))
        .content.decode()
    )
    assert body.count("<table") == 1
    assert body.count('type="radio"') == 3 * len(AttendanceStatus.choices)
    assert "Mark everyone present" in body
    for seat in seats:
        assert f'name="status_{seat.pk}"' in body and f'id="id_deputy_{seat.pk}"' in body
    # Each radio is named for screen readers by its status and its member.
    assert "Present: Member 00</span>" in body


def test_marking_everyone_present_without_javascript_keeps_choices_and_saves_nothing(world, signed_in):
    board, seats = seated_board(world, 3)
    meeting = make_meeting(board, timezone.now() - dt.timedelta(hours=3))
    url = reverse("governance:meeting-attendance", args=[meeting.pk])
    client = signed_in(world.partnership_admin)
    response = client.post(url, {"mark_all": "present", f"status_{seats[0].pk}": "apologies"})
    assert response.status_code == 200
    assert not Attendance.objects.exists()
    body = response.content.decode()
    checked = dict(re.findall(r'name="status_(\d+)" value="(\w+)" checked', body))
    assert checked == {str(seats[0].pk): "apologies", str(seats[1].pk): "present", str(seats[2].pk): "present"}
    # Saving what is shown records it.
    client.post(url, {f"status_{s.pk}": v for s, v in zip(seats, ["apologies", "present", "present"], strict=True)})
    assert sorted(Attendance.objects.values_list("status", flat=True)) == ["apologies", "present", "present"]
