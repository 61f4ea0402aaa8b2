"""The partnership setting "apologies are followed up as absences are" (issue 9, section 4): off by
default, apologies make no follow-up; on, a member's apologies make the same follow-up for the business
unit as an absence without apologies. A seat whose named deputy attended is represented: never followed up."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from safeboard.governance.meetings.services import record_attendance
from safeboard.governance.members import services
from safeboard.governance.models import AbsenceFollowUp, AttendanceStatus, MeetingStatus
from tests.governance.test_members_self_service import board  # noqa: F401  (a fixture)


def _after(meeting):  # type: ignore[no-untyped-def]
    return time_machine.travel(meeting.starts_at + dt.timedelta(hours=3), tick=False)


def test_apologies_are_not_followed_up_by_default(world, board):  # noqa: F811
    assert world.alpha.follow_up_apologies is False
    services.send_apologies(meeting=board["meeting"], person=board["police"])
    with _after(board["meeting"]):
        counts = record_attendance(board["meeting"], {board["seat"].pk: (AttendanceStatus.APOLOGIES, None)})
    assert counts["follow_ups"] == 0
    assert not AbsenceFollowUp.objects.exists()


def test_with_the_setting_on_a_members_apologies_are_followed_up_as_an_absence_is(world, signed_in, board):  # noqa: F811
    world.alpha.follow_up_apologies = True
    world.alpha.save()
    meeting = board["meeting"]
    # The member sends their own apologies; the health member is absent; the business unit keeps the register.
    assert (
        signed_in(board["police"]).post(reverse("governance:meeting-apologies", args=[meeting.pk]), {}).status_code
        == 302
    )
    with _after(meeting):
        client = signed_in(world.partnership_admin)
        url = reverse("governance:meeting-attendance", args=[meeting.pk])
        health_seat = board["other_deputy_seat"].deputy_for
        form = {
            f"status_{board['seat'].pk}": AttendanceStatus.APOLOGIES,
            f"status_{health_seat.pk}": AttendanceStatus.ABSENT,
        }
        response = client.post(url, form, follow=True)
        assert "2 new absences to follow up" in response.content.decode()
        follow_ups = AbsenceFollowUp.objects.filter(attendance__meeting=meeting)
        assert set(follow_ups.values_list("attendance__member_id", flat=True)) == {board["seat"].pk, health_seat.pk}
        # Saving again makes no second follow-up.
        client.post(url, form)
        assert follow_ups.count() == 2
        # The named deputy attended after all: the seat was represented, its follow-up goes.
        client.post(
            url,
            {
                **form,
                f"status_{board['seat'].pk}": AttendanceStatus.DEPUTY,
                f"deputy_{board['seat'].pk}": board["deputy"].pk,
            },
        )
        assert list(follow_ups.values_list("attendance__member_id", flat=True)) == [health_seat.pk]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_the_setting_is_on_the_partnerships_settings_form(world, signed_in):
    page = signed_in(world.partnership_admin).get(reverse("core:partnership-edit", args=[world.alpha.pk]))
    assert page.status_code == 200 and "Apologies are followed up as absences are" in page.content.decode()
