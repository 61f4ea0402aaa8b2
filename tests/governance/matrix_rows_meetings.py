"""Permission matrix rows for board meetings (groups, members, meetings, papers, attendance, minutes).

Persona order: anon prA prB lead adm oth scr sys (see tests/matrix.py). The records
live in Alpha: a board whose agenda item and paper belong to agency A, a meeting three days ago
with draft minutes, absent-without-apologies attendance (so a follow-up) and a lay member seat.
The helpers here also build data for tests/governance/test_meetings*.py.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfWriter

from safeboard.governance.models import (
    AbsenceFollowUp,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Group,
    GroupKind,
    GroupMember,
    LayMemberInduction,
    Meeting,
    MeetingStatus,
    MemberType,
    MinutesStatus,
    Paper,
)
from tests.matrix import API_NO_POST, NO_POST, POST_ONLY, Row, none, pk, text

Kwargs = Callable[[Any], dict[str, Any]]


def pdf_bytes(pages: int = 1) -> bytes:
    """A real PDF with ``pages`` blank pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_meeting(group: Group, starts_at: dt.datetime, **fields: Any) -> Meeting:
    return Meeting.objects.create(group=group, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2), **fields)


def make_paper(item: AgendaItem, by: Any, *, uploaded_at: dt.datetime | None = None, **fields: Any) -> Paper:
    fields.setdefault("title", "Quarterly report")
    fields.setdefault("file", ContentFile(pdf_bytes(), name="report.pdf"))
    return Paper.objects.create(item=item, uploaded_by=by, uploaded_at=uploaded_at or timezone.now(), **fields)


#                  anon prA prB lead adm oth scr sys
START = "302 200 200 200 200 200 200 403"  # every role of the partnership (scrutiny too)
ADD = "302 403 403 403 200 200 403 403"  # the business unit, in its own partnership
GROUP = "302 200 200 200 200 404 200 404"  # a group: everyone in Alpha sees it
GROUP_CHANGE = "302 403 403 403 200 404 403 404"
MEETING = "302 404 404 200 200 404 404 404"  # meeting readers: board members, agency leads, the unit
MEETING_CHANGE = "302 404 404 403 200 404 404 404"
UNIT_ONLY = "302 404 404 404 200 404 404 404"  # the business unit's internal records
# What pages about the records show.
LEE = text("agency_lead", "full_name")
VENUE = text("meetings_meeting", "venue")
GROUP_NAME = text("meetings_group", "name")
ITEM = text("meetings_item", "title")

ROWS: dict[str, Row] = {
    "governance:home": Row(none, START, NO_POST),
    "governance:group-list": Row(none, START, NO_POST),
    "governance:group-new": Row(none, ADD, ADD),
    "governance:group-detail": Row(pk("meetings_group"), GROUP, NO_POST, shows=text("meetings_group", "name")),
    "governance:group-edit": Row(
        pk("meetings_group"), GROUP_CHANGE, GROUP_CHANGE, shows=text("meetings_group", "name")
    ),
    "governance:group-document": Row(pk("meetings_group"), GROUP, NO_POST, shows=lambda w: "terms"),
    "governance:member-new": Row(
        pk("meetings_group"), GROUP_CHANGE, GROUP_CHANGE, shows=text("meetings_group", "name")
    ),
    "governance:meeting-new": Row(
        pk("meetings_group"), GROUP_CHANGE, GROUP_CHANGE, shows=text("meetings_group", "name")
    ),
    # Seats are read by meeting readers; practitioners and scrutiny see groups, not who sits on them.
    "governance:member-edit": Row(pk("meetings_seat"), MEETING_CHANGE, MEETING_CHANGE, shows=LEE),
    # The signed partner agreement is the business unit's record.
    "governance:member-agreement": Row(pk("meetings_seat"), MEETING_CHANGE, NO_POST, shows=lambda w: "agreement"),
    "governance:induction-edit": Row(
        pk("meetings_induction"),
        UNIT_ONLY,
        "302 404 404 404 409 404 404 404",
        shows=lambda w: w.practitioner_b.full_name,
    ),
    # Scrutiny lists the meetings whose minutes are published.
    "governance:meeting-list": Row(none, "302 403 403 200 200 200 200 403", NO_POST),
    "governance:meeting-detail": Row(pk("meetings_meeting"), MEETING, NO_POST, shows=VENUE),
    "governance:meeting-edit": Row(pk("meetings_meeting"), MEETING_CHANGE, MEETING_CHANGE, shows=VENUE),
    "governance:meeting-invite": Row(pk("meetings_meeting"), POST_ONLY, "302 404 404 403 302 404 404 404"),
    "governance:meeting-ics": Row(pk("meetings_meeting"), MEETING, "302 404 404 405 405 404 404 404", shows=GROUP_NAME),
    "governance:meeting-circulate": Row(
        pk("meetings_meeting"), MEETING_CHANGE, "302 404 404 403 302 404 404 404", shows=GROUP_NAME
    ),
    "governance:meeting-cancel": Row(pk("meetings_meeting"), MEETING_CHANGE, MEETING_CHANGE, shows=GROUP_NAME),
    "governance:meeting-pack": Row(pk("meetings_meeting"), MEETING, "302 404 404 405 405 404 404 404", shows=ITEM),
    "governance:meeting-attendance": Row(
        pk("meetings_meeting"), MEETING_CHANGE, "302 404 404 403 302 404 404 404", shows=LEE
    ),
    "governance:meeting-minutes": Row(
        pk("meetings_meeting"), MEETING_CHANGE, "302 404 404 403 409 404 404 404", shows=ITEM
    ),
    "governance:minutes-approve": Row(pk("meetings_meeting"), MEETING_CHANGE, MEETING_CHANGE, shows=GROUP_NAME),
    "governance:minutes-publish": Row(pk("meetings_meeting"), POST_ONLY, "302 404 404 403 302 404 404 404"),
    "governance:minutes-sign-off": Row(pk("meetings_meeting"), POST_ONLY, "302 404 404 403 403 404 404 404"),
    # Draft minutes: the business unit (and the group's chair) print them; a reader waits for publication.
    "governance:minutes-pdf": Row(pk("meetings_meeting"), MEETING_CHANGE, NO_POST, shows=ITEM),
    "governance:item-new": Row(pk("meetings_meeting"), MEETING_CHANGE, MEETING_CHANGE, shows=GROUP_NAME),
    "governance:item-edit": Row(pk("meetings_item"), MEETING_CHANGE, MEETING_CHANGE, shows=ITEM),
    "governance:item-action-new": Row(pk("meetings_item"), MEETING_CHANGE, MEETING_CHANGE, shows=ITEM),
    # The item is agency A's: its safeguarding lead may upload papers for it.
    "governance:paper-new": Row(pk("meetings_item"), MEETING, MEETING, shows=ITEM),
    "governance:paper-download": Row(pk("meetings_paper"), MEETING, NO_POST, shows=lambda w: "report"),
    "governance:followup-done": Row(pk("meetings_follow_up"), POST_ONLY, "302 404 404 404 302 404 404 404"),
    # The API: lists answer everyone signed in (with what each may see); one record is a 404 out of sight.
    "api:board-group-list": Row(none, "401 200 200 200 200 200 200 200", API_NO_POST),
    "api:board-group-detail": Row(
        pk("meetings_group"), "401 200 200 200 200 404 200 404", API_NO_POST, shows=GROUP_NAME
    ),
    "api:board-meeting-list": Row(none, "401 200 200 200 200 200 200 200", API_NO_POST),
    "api:board-meeting-detail": Row(
        pk("meetings_meeting"), "401 404 404 200 200 404 404 404", API_NO_POST, shows=VENUE
    ),
    "api:board-attendance-list": Row(none, "401 200 200 200 200 200 200 200", API_NO_POST),
    # Agency A's seat: its agency lead and the business unit read it; nobody else finds it.
    "api:board-attendance-detail": Row(
        pk("meetings_attendance"), "401 404 404 200 200 404 404 404", API_NO_POST, shows=lambda w: "absent"
    ),
}


def build(world: Any) -> None:
    now = timezone.now()
    group = Group.objects.create(
        partnership=world.alpha,
        name="Meetings matrix board",
        kind=GroupKind.BOARD,
        terms_document=ContentFile(pdf_bytes(), name="terms.pdf"),
    )
    seat = GroupMember.objects.create(
        group=group,
        person=world.agency_lead,
        agency=world.agency_a,
        starts_on=dt.date(2020, 1, 1),
        agreement_signed_on=dt.date(2020, 1, 1),
        agreement_document=ContentFile(pdf_bytes(), name="agreement.pdf"),
    )
    lay_seat = GroupMember.objects.create(
        group=group, person=world.practitioner_b, member_type=MemberType.LAY_MEMBER, starts_on=dt.date(2020, 1, 1)
    )
    induction = LayMemberInduction.objects.create(member=lay_seat)
    meeting = make_meeting(
        group,
        now - dt.timedelta(days=3),
        venue="Council House, Room 2",
        status=MeetingStatus.HELD,
        minutes_status=MinutesStatus.DRAFT,
    )
    make_meeting(group, now + dt.timedelta(days=60), venue="Council House, Room 2")
    item = AgendaItem.objects.create(meeting=meeting, number=1, title="Police update", agency=world.agency_a)
    paper = make_paper(item, world.partnership_admin, agency=world.agency_a)
    attendance = Attendance.objects.create(meeting=meeting, member=seat, status=AttendanceStatus.ABSENT)
    follow_up = AbsenceFollowUp.objects.create(attendance=attendance)
    world.extras.update(
        meetings_group=group,
        meetings_seat=seat,
        meetings_induction=induction,
        meetings_meeting=meeting,
        meetings_item=item,
        meetings_paper=paper,
        meetings_attendance=attendance,
        meetings_follow_up=follow_up,
    )
