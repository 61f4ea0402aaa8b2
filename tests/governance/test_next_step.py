"""One next step per record: a meeting's stage and the one button that can succeed now; an action's
"Review the evidence"; nothing offered that would end on "not yet"; cancelling low on the page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safeboard.actions.models import ActionEvidence, ActionStatus, EvidenceReview
from safeboard.governance.models import AgendaItem, Attendance, AttendanceStatus, Group, GroupKind, GroupMember
from tests.actions.helpers import make_action
from tests.governance.matrix_rows_meetings import make_meeting

NOW = timezone.now()


def step(client, meeting):  # type: ignore[no-untyped-def]
    response = client.get(reverse("governance:meeting-detail", args=[meeting.pk]))
    return response.context["next_step"], response.content.decode()


def labels(next_step) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.label for s in (next_step.primary, *next_step.secondary, *next_step.destructive) if s]


def test_a_meeting_is_prepared_held_minuted_and_approved_one_step_at_a_time(world, signed_in):
    board = Group.objects.create(
        partnership=world.alpha, name="Step board", kind=GroupKind.SUBGROUP, chair=world.agency_lead
    )
    seat = GroupMember.objects.create(group=board, person=world.agency_lead, starts_on=dt.date(2020, 1, 1))
    meeting = make_meeting(board, NOW + dt.timedelta(days=30))
    admin = signed_in(world.partnership_admin)

    current, body = step(admin, meeting)
    assert current.stage == "Prepare" and current.primary.label == "Add an agenda item"
    assert "Record attendance" not in body  # not before the meeting
    # Cancelling is offered, but below the minutes, never beside the next step.
    assert body.index("Cancel this meeting") > body.index('id="minutes"')

    AgendaItem.objects.create(meeting=meeting, number=1, title="Budget")
    assert step(admin, meeting)[0].primary.label == "Send the invitations"
    meeting.invitations_sent_at = NOW
    meeting.save()
    assert step(admin, meeting)[0].primary.label == "Circulate the papers"
    meeting.papers_circulated_at = NOW
    meeting.save()
    current, _ = step(admin, meeting)
    assert current.primary is None and "hold the meeting" in current.note

    # The meeting's time comes: attendance, and no more invitations.
    meeting.starts_at, meeting.ends_at = NOW - dt.timedelta(days=20), NOW - dt.timedelta(days=20, hours=-2)
    meeting.save()
    current, body = step(admin, meeting)
    assert current.stage == "Hold" and current.primary.label == "Record attendance"
    assert "Send the invitations" not in body and "Circulate the papers" not in body

    Attendance.objects.create(meeting=meeting, member=seat, status=AttendanceStatus.PRESENT)
    meeting.status = "held"
    meeting.save()
    current, body = step(admin, meeting)
    assert current.stage == "Minute" and current.primary.label == "Write the minutes"
    assert "Cancel this meeting" not in body  # held: it cannot be cancelled any more

    meeting.minutes_status = "draft"
    meeting.save()
    current, _ = step(admin, meeting)
    # No later meeting has been held: approval cannot succeed yet, so it is not offered.
    assert "Record approval" not in labels(current) and current.primary.label == "Change the minutes"
    make_meeting(board, NOW - dt.timedelta(days=1), status="held")
    current, _ = step(admin, meeting)
    assert current.stage == "Approve" and current.primary.label == "Record approval"

    meeting.minutes_status = "approved"
    meeting.save()
    assert step(admin, meeting)[0].primary.label == "Publish the minutes to members"
    chair_step, body = step(signed_in(world.agency_lead), meeting)
    assert chair_step.primary.label == "Sign off the minutes"
    assert reverse("governance:minutes-sign-off", args=[meeting.pk]) in body

    # A reader who is not the chair gets no button at all.
    reader = signed_in(world.agency_lead)
    board.chair = None
    board.save()
    assert step(reader, meeting)[0].primary is None


def test_a_cancelled_meeting_offers_nothing(world, signed_in):
    board = Group.objects.create(partnership=world.alpha, name="Quiet board", kind=GroupKind.SUBGROUP)
    meeting = make_meeting(board, NOW + dt.timedelta(days=3), status="cancelled")
    current, _ = step(signed_in(world.partnership_admin), meeting)
    assert current.status == "Cancelled" and labels(current) == []


def test_an_action_awaiting_review_offers_review_the_evidence_and_close_only_when_it_can_succeed(world, signed_in):
    action = make_action(world)
    action.status = ActionStatus.AWAITING_REVIEW
    action.save()
    evidence = ActionEvidence.objects.create(
        action=action, description="Notes", added_by=world.practitioner_a, link="https://example.org"
    )
    url = reverse("actions:action-detail", args=[action.pk])
    admin = signed_in(world.partnership_admin).get(url)
    assert admin.context["next_step"].primary.label == "Review the evidence"
    assert admin.context["next_step"].primary.url == reverse("actions:evidence-review", args=[evidence.pk])
    assert "Close this action" not in admin.content.decode()  # no accepted evidence yet

    owner = signed_in(world.practitioner_a).get(url)
    assert owner.context["next_step"].primary is None
    body = owner.content.decode()
    assert "Review the evidence" not in body and "Close this action" not in body and "Cancel this action" not in body

    evidence.review, evidence.reviewed_by = EvidenceReview.ACCEPTED, world.partnership_admin
    evidence.save()
    admin = signed_in(world.partnership_admin).get(url)
    assert admin.context["next_step"].primary.label == "Close this action"
    body = admin.content.decode()
    assert body.index("Cancel this action") > body.index("Back to the action log") - 400
    assert body.index("Cancel this action") > body.index("Close this action")
