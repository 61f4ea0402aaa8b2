"""Cancelling a meeting that has not been held."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from safeboard.governance.models import (
    Attendance,
    AttendanceStatus,
    Group,
    GroupKind,
    GroupMember,
    Meeting,
    MeetingStatus,
)


def board_meeting(world, days: int = 20):  # type: ignore[no-untyped-def]
    board = Group.objects.create(partnership=world.alpha, name="Alpha Board", kind=GroupKind.BOARD)
    start = timezone.localdate() - dt.timedelta(days=100)
    seats = [
        GroupMember.objects.create(group=board, person=p, agency=p.agency, starts_on=start)
        for p in (world.practitioner_a, world.agency_lead)
    ]
    when = timezone.now() + dt.timedelta(days=days)
    meeting = Meeting.objects.create(group=board, starts_at=when, ends_at=when + dt.timedelta(hours=2), venue="Hall")
    return meeting, seats


def test_it_cancels_a_meeting_and_tells_each_invited_member_separately(world, signed_in):
    meeting, _ = board_meeting(world)
    meeting.invitations_sent_at = timezone.now()
    meeting.save()
    client = signed_in(world.partnership_admin)
    url = reverse("governance:meeting-cancel", args=[meeting.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "The chair is unwell; we will rearrange."})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.practitioner_a.email, world.agency_lead.email])
    assert all(len(m.to) == 1 and "The chair is unwell" in m.body for m in mail.outbox)


def test_a_reason_is_required_and_nothing_changes_without_one(world, signed_in):
    meeting, _ = board_meeting(world)
    response = signed_in(world.partnership_admin).post(
        reverse("governance:meeting-cancel", args=[meeting.pk]), {"reason": " "}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_a_held_meeting_cannot_be_cancelled(world, signed_in):
    meeting, seats = board_meeting(world, days=-3)
    Attendance.objects.create(meeting=meeting, member=seats[0], status=AttendanceStatus.PRESENT)
    response = signed_in(world.partnership_admin).post(
        reverse("governance:meeting-cancel", args=[meeting.pk]), {"reason": "Mistake"}
    )
    assert "cannot be cancelled" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_only_the_business_unit_cancels_meetings(world, signed_in):
    meeting, _ = board_meeting(world)
    url = reverse("governance:meeting-cancel", args=[meeting.pk])
    assert signed_in(world.agency_lead).post(url, {"reason": "No"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
