"""Meeting invitations as iCalendar files (RFC 5545) that Outlook, Google and Apple calendars accept."""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from safeboard.governance.meetings.choices import MeetingStatus
from safeboard.governance.meetings.models import Meeting

PRODID = "-//Safeboard//Board business//EN"


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the life of the meeting, so that a second invitation updates the first."""
    return f"safeboard-meeting-{meeting.pk}@{settings.SAFEBOARD_SITE_URL.split('://')[-1].split('/')[0].split(':')[0]}"


def meeting_url(meeting: Meeting) -> str:
    return settings.SAFEBOARD_SITE_URL.rstrip("/") + reverse("governance:meeting-detail", args=[meeting.pk])


def meeting_location(meeting: Meeting) -> str:
    if meeting.venue and meeting.online_link:
        return f"{meeting.venue} (or online: {meeting.online_link})"
    return meeting.venue or meeting.online_link


def meeting_calendar(meeting: Meeting, method: str = "REQUEST") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    event.add("dtend", meeting.ends_at.astimezone(dt.UTC))
    event.add("summary", f"{meeting.group.name} meeting")
    location = meeting_location(meeting)
    if location:
        event.add("location", location)
    url = meeting_url(meeting)
    event.add("url", url)
    description = [f"Meeting of {meeting.group.name}.", f"Agenda and papers: {url}"]
    if meeting.online_link:
        description.append(f"Join online: {meeting.online_link}")
    event.add("description", "\n".join(description))
    # A later change (time, place) is sent with a higher sequence number.
    event.add("sequence", meeting.version)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name or meeting.group.partnership.short_name)
    event.add("organizer", organizer)
    calendar.add_component(event)
    return calendar.to_ical()
