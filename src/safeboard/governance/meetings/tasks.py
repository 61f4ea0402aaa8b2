"""Background work for board business: invitations, circulating papers, published minutes.

Arguments are ids (JSON), never objects. Each task reads the meeting again when it runs.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from safeboard.core.text import day_text
from safeboard.governance.meetings.ical import meeting_calendar, meeting_url
from safeboard.governance.meetings.models import Meeting, Paper
from safeboard.governance.meetings.services import recipient_emails


def _meeting(meeting_id: int) -> Meeting:
    return Meeting.objects.select_related("group__partnership").get(pk=meeting_id)


def _site(path: str) -> str:
    return settings.SAFEBOARD_SITE_URL.rstrip("/") + path


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return f"{start:%A} {day_text(start)}, {start:%H:%M} to {end:%H:%M}"


@task()
def send_meeting_invitations(meeting_id: int) -> int:
    """One email per member and named deputy, each with the meeting as an iCalendar invitation."""
    meeting = _meeting(meeting_id)
    invitation = meeting_calendar(meeting, method="REQUEST")
    subject = f"Invitation: {meeting.group.name}, {day_text(timezone.localtime(meeting.starts_at))}"
    body = render_to_string(
        "governance/meetings/email/invitation.txt",
        {"meeting": meeting, "when": _when(meeting), "url": meeting_url(meeting)},
    )
    sent = 0
    for address in recipient_emails(meeting):
        message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address])
        message.attach("invitation.ics", invitation, "text/calendar; method=REQUEST; charset=utf-8")
        sent += message.send()
    return sent


@task()
def circulate_meeting_papers(meeting_id: int) -> int:
    """ONE email to every current member and deputy (blind copies): the agenda and links to the papers."""
    meeting = _meeting(meeting_id)
    # Everyone seated is emailed, observers and advisers too: confidential items and papers stay on
    # the meeting's page, for those entitled to them.
    items = list(meeting.items.filter(confidential_reason="").select_related("presenter", "agency").order_by("number"))
    papers = Paper.objects.filter(item__in=items, confidential_reason="").order_by("item__number", "id")
    confidential = meeting.items.exclude(confidential_reason="").count()
    by_item: dict[int, list[tuple[Paper, str]]] = {}
    for paper in papers:
        link = _site(reverse("governance:paper-download", args=[paper.pk]))
        by_item.setdefault(paper.item_id, []).append((paper, link))
    body = render_to_string(
        "governance/meetings/email/circulation.txt",
        {
            "meeting": meeting,
            "when": _when(meeting),
            "url": meeting_url(meeting),
            "pack_url": _site(reverse("governance:meeting-pack", args=[meeting.pk])),
            "agenda": [(item, by_item.get(item.pk, [])) for item in items],
            "confidential": confidential,
        },
    )
    recipients = recipient_emails(meeting)
    if not recipients:
        return 0
    message = EmailMessage(
        subject=f"Papers for {meeting.group.name}, {day_text(timezone.localtime(meeting.starts_at))}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        bcc=recipients,
    )
    return message.send()


@task()
def send_minutes_published(meeting_id: int) -> int:
    """ONE email (blind copies) telling members the approved minutes are ready to read."""
    meeting = _meeting(meeting_id)
    recipients = recipient_emails(meeting)
    if not recipients:
        return 0
    body = render_to_string(
        "governance/meetings/email/minutes_published.txt",
        {"meeting": meeting, "when": _when(meeting), "url": meeting_url(meeting)},
    )
    message = EmailMessage(
        subject=f"Minutes published: {meeting.group.name}, {day_text(timezone.localtime(meeting.starts_at))}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        bcc=recipients,
    )
    return message.send()
