"""A meeting's one next step (core/steps.py): prepare → hold → minute → approve.

Only steps that can succeed now are offered: no invitations once the meeting has started, no
attendance before it, no approval until a later meeting of the group has been held (and, for a
board, the difference for children is recorded). Cancelling is the one destructive step, low on
the page.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from safeboard.core.steps import NextStep, Step
from safeboard.governance.meetings.choices import GroupKind, MeetingStatus, MinutesStatus
from safeboard.governance.meetings.models import Meeting

STAGES = ("Prepare", "Hold", "Minute", "Approve")


def _url(name: str, meeting: Meeting) -> str:
    return reverse(f"governance:{name}", args=[meeting.pk])


def later_meeting_held(meeting: Meeting) -> Meeting | None:
    """The first later meeting of the group that has started (minutes are approved there). One query."""
    return (
        Meeting.objects.filter(
            group_id=meeting.group_id, starts_at__gt=meeting.starts_at, starts_at__lte=timezone.now()
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at", "id")
        .first()
    )


def meeting_next_step(
    meeting: Meeting, user: Any, *, can_manage: bool, item_count: int, attendance_count: int
) -> NextStep:
    now = timezone.now()
    is_chair = meeting.group.chair_id == user.pk
    started = meeting.starts_at <= now
    minutes = meeting.minutes_status
    cancel = (Step("Cancel this meeting", _url("meeting-cancel", meeting)),)
    sign_off = (
        Step("Sign off the minutes", _url("minutes-sign-off", meeting), method="post")
        if is_chair
        and minutes in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED)
        and meeting.minutes_signed_off_at is None
        else None
    )

    if meeting.status == MeetingStatus.CANCELLED:
        return NextStep(
            STAGES, None, status="Cancelled", note="This meeting was cancelled. Nothing more is done with it."
        )

    if not started:
        if not can_manage:
            return NextStep(STAGES, 0, note=f"Papers are due by {meeting.papers_due_on:%-d %B %Y}.")
        secondary = [Step("Change the date or place", _url("meeting-edit", meeting))]
        if item_count == 0:
            primary: Step | None = Step("Add an agenda item", _url("item-new", meeting))
            note = "Start with the agenda: add the items to discuss."
        elif meeting.invitations_sent_at is None:
            primary = Step("Send the invitations", _url("meeting-invite", meeting), method="post")
            note = "The agenda has items. Invite the group's members and named deputies."
            secondary.append(Step("Add an agenda item", _url("item-new", meeting)))
        elif meeting.papers_circulated_at is None:
            primary = Step("Circulate the papers", _url("meeting-circulate", meeting))
            note = (
                f"Invitations have been sent. Papers are due by {meeting.papers_due_on:%-d %B %Y}; then circulate them."
            )
            secondary += [
                Step("Add an agenda item", _url("item-new", meeting)),
                Step("Send the invitations again", _url("meeting-invite", meeting), method="post"),
            ]
        else:
            primary = None
            note = (
                f"Invitations have been sent and the papers circulated. Next, hold the meeting on "
                f"{timezone.localtime(meeting.starts_at):%-d %B %Y}, then record attendance."
            )
            secondary += [
                Step("Add an agenda item", _url("item-new", meeting)),
                Step("Circulate the papers again", _url("meeting-circulate", meeting)),
            ]
        return NextStep(STAGES, 0, primary, tuple(secondary), cancel, note=note)

    if attendance_count == 0 and minutes == MinutesStatus.NONE:
        if not can_manage:
            return NextStep(STAGES, 1, note="Attendance has not been recorded yet.")
        # A meeting marked as held cannot be cancelled any more (services.cancel_meeting).
        scheduled = meeting.status == MeetingStatus.SCHEDULED
        return NextStep(
            STAGES,
            1,
            Step("Record attendance", _url("meeting-attendance", meeting)),
            destructive=cancel if scheduled else (),
            note="The meeting's time has come. Record who attended"
            + ("; if it did not take place, cancel it." if scheduled else "."),
        )

    if minutes in (MinutesStatus.NONE, MinutesStatus.DRAFT):
        if not can_manage:
            return NextStep(STAGES, 2, note="The minutes are being written. You can read them once published.")
        change_attendance = Step(
            "Record attendance" if attendance_count == 0 else "Change the attendance",
            _url("meeting-attendance", meeting),
        )
        if minutes == MinutesStatus.NONE:
            return NextStep(
                STAGES,
                2,
                Step("Write the minutes", _url("meeting-minutes", meeting)),
                (change_attendance,),
                note="The meeting has been held. Write the minutes of each item.",
            )
        later = later_meeting_held(meeting)
        needs_difference = meeting.group.kind == GroupKind.BOARD and not meeting.difference_for_children.strip()
        change = Step("Change the minutes", _url("meeting-minutes", meeting))
        if later is None or needs_difference:
            reason = (
                "Record ‘What difference will this make for children?’ in the minutes before they are approved."
                if needs_difference
                else "The draft minutes are approved at the group's next meeting: record the approval after it."
            )
            return NextStep(STAGES, 2, change, (change_attendance,), note=reason)
        return NextStep(
            STAGES,
            3,
            Step("Record approval", _url("minutes-approve", meeting)),
            (change,),
            note=f"The draft minutes can be approved: the group met again on {timezone.localtime(later.starts_at):%-d %B %Y}.",
        )

    signed = (
        f" Signed off by {meeting.minutes_signed_off_by} on {timezone.localtime(meeting.minutes_signed_off_at):%-d %B %Y}."
        if meeting.minutes_signed_off_at
        else " Waiting for the chair's sign-off."
    )
    if minutes == MinutesStatus.APPROVED:
        if can_manage:
            primary = Step("Publish the minutes to members", _url("minutes-publish", meeting), method="post")
            after: tuple[Step, ...] = (sign_off,) if sign_off else ()
            return NextStep(STAGES, 3, primary, after, note="The minutes have been approved." + signed)
        return NextStep(STAGES, 3, sign_off, note="The minutes have been approved." + signed)

    # Published: every stage is done; the chair may still owe the signature.
    return NextStep(
        STAGES, len(STAGES), sign_off, status="Minutes published", note="The minutes have been published." + signed
    )
