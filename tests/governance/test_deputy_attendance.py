"""A named deputy stands in on their member's seat: no attendance line of their own, on the form
or through the service."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safeboard.core.permissions import Role
from safeboard.governance.meetings import services
from safeboard.governance.models import Attendance, Group, GroupKind, GroupMember, MemberType
from tests.factories import member
from tests.governance.matrix_rows_meetings import make_meeting


def test_the_deputy_has_no_line_and_is_recorded_on_the_members_seat(world, signed_in):
    board = Group.objects.create(partnership=world.alpha, name="Deputies board", kind=GroupKind.BOARD)
    seat = GroupMember.objects.create(
        group=board, person=world.agency_lead, agency=world.agency_a, starts_on=dt.date(2020, 1, 1)
    )
    deputy_person = member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name="Dora Deputy")
    deputy_seat = GroupMember.objects.create(
        group=board,
        person=deputy_person,
        member_type=MemberType.DEPUTY,
        deputy_for=seat,
        agency=world.agency_a,
        starts_on=dt.date(2020, 1, 1),
    )
    meeting = make_meeting(board, timezone.now() - dt.timedelta(days=1))
    form = (
        signed_in(world.partnership_admin)
        .get(reverse("governance:meeting-attendance", args=[meeting.pk]))
        .context["form"]
    )
    assert f"status_{seat.pk}" in form.fields and f"status_{deputy_seat.pk}" not in form.fields
    services.record_attendance(meeting, {seat.pk: ("deputy", deputy_person.pk), deputy_seat.pk: ("present", None)})
    assert list(Attendance.objects.values_list("member_id", "status", "deputy_id")) == [
        (seat.pk, "deputy", deputy_person.pk)
    ]
