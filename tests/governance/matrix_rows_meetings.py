"""Permission matrix rows for board meetings (groups, members, meetings, papers, attendance, minutes).

Persona order: anon prA prB lead adm oth scr sys (see tests/test_permission_matrix.py). The records
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

Kwargs = Callable[[Any], dict[str, Any]]


def _none(w: Any) -> dict[str, Any]:
    return {}


def _extra(name: str) -> Kwargs:
    return lambda w: {"pk": w.extras[name].pk}


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
POST_ONLY = "302 405 405 405 405 405 405 405"

ROWS: dict[str, tuple[Kwargs, str]] = {
    "governance:home": (_none, START),
    "governance:group-list": (_none, START),
    "governance:group-new": (_none, ADD),
    "governance:group-detail": (_extra("meetings_group"), GROUP),
    "governance:group-edit": (_extra("meetings_group"), GROUP_CHANGE),
    "governance:group-document": (_extra("meetings_group"), GROUP),
    "governance:member-new": (_extra("meetings_group"), GROUP_CHANGE),
    "governance:meeting-new": (_extra("meetings_group"), GROUP_CHANGE),
    # Seats are read by meeting readers; practitioners and scrutiny see groups, not who sits on them.
    "governance:member-edit": (_extra("meetings_seat"), MEETING_CHANGE),
    # The signed partner agreement is the business unit's record.
    "governance:member-agreement": (_extra("meetings_seat"), MEETING_CHANGE),
    "governance:induction-edit": (_extra("meetings_induction"), UNIT_ONLY),
    # Scrutiny lists the meetings whose minutes are published.
    "governance:meeting-list": (_none, "302 403 403 200 200 200 200 403"),
    "governance:meeting-detail": (_extra("meetings_meeting"), MEETING),
    "governance:meeting-edit": (_extra("meetings_meeting"), MEETING_CHANGE),
    "governance:meeting-invite": (_extra("meetings_meeting"), POST_ONLY),
    "governance:meeting-ics": (_extra("meetings_meeting"), MEETING),
    "governance:meeting-circulate": (_extra("meetings_meeting"), MEETING_CHANGE),
    "governance:meeting-cancel": (_extra("meetings_meeting"), MEETING_CHANGE),
    "governance:meeting-pack": (_extra("meetings_meeting"), MEETING),
    "governance:meeting-attendance": (_extra("meetings_meeting"), MEETING_CHANGE),
    "governance:meeting-minutes": (_extra("meetings_meeting"), MEETING_CHANGE),
    "governance:minutes-approve": (_extra("meetings_meeting"), MEETING_CHANGE),
    "governance:minutes-publish": (_extra("meetings_meeting"), POST_ONLY),
    "governance:minutes-sign-off": (_extra("meetings_meeting"), POST_ONLY),
    # Draft minutes: the business unit (and the group's chair) print them; a reader waits for publication.
    "governance:minutes-pdf": (_extra("meetings_meeting"), MEETING_CHANGE),
    "governance:item-new": (_extra("meetings_meeting"), MEETING_CHANGE),
    "governance:item-edit": (_extra("meetings_item"), MEETING_CHANGE),
    "governance:item-action-new": (_extra("meetings_item"), MEETING_CHANGE),
    # The item is agency A's: its safeguarding lead may upload papers for it.
    "governance:paper-new": (_extra("meetings_item"), MEETING),
    "governance:paper-download": (_extra("meetings_paper"), MEETING),
    "governance:followup-done": (_extra("meetings_follow_up"), POST_ONLY),
    # The API: lists answer everyone signed in (with what each may see); one record is a 404 out of sight.
    "api:board-group-list": (_none, "401 200 200 200 200 200 200 200"),
    "api:board-group-detail": (_extra("meetings_group"), "401 200 200 200 200 404 200 404"),
    "api:board-meeting-list": (_none, "401 200 200 200 200 200 200 200"),
    "api:board-meeting-detail": (_extra("meetings_meeting"), "401 404 404 200 200 404 404 404"),
    "api:board-attendance-list": (_none, "401 200 200 200 200 200 200 200"),
    # Agency A's seat: its agency lead and the business unit read it; nobody else finds it.
    "api:board-attendance-detail": (_extra("meetings_attendance"), "401 404 404 200 200 404 404 404"),
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
