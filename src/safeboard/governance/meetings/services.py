"""State changes for groups, meetings, attendance and minutes, and the figures the pages show.

Every change locks the rows it changes (``select_for_update`` inside ``transaction.atomic``), checks
the current state and only then changes it. Views, tasks and any future API come through here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import Count, DateField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce, TruncDate
from django.template.loader import render_to_string
from django.utils import timezone

from safeboard.actions.models import Action
from safeboard.actions.services import create_action
from safeboard.core.concurrency import EditConflict, bump_version
from safeboard.core.models import Agency, Partnership
from safeboard.core.services import ServiceError
from safeboard.core.text import day_text
from safeboard.governance.meetings.choices import AttendanceStatus, GroupKind, MeetingStatus, MemberType, MinutesStatus
from safeboard.governance.meetings.models import (
    AbsenceFollowUp,
    AgendaItem,
    Attendance,
    GroupMember,
    LayMemberInduction,
    Meeting,
    Paper,
    business_year_of,
)

# Minutes still in draft this long after the meeting are shown as waiting on the board business page.
MINUTES_WAITING_DAYS = 14
# An induction pack should go out within this many days of a lay member starting.
INDUCTION_PACK_DAYS = 14


def _locked_meeting(meeting_id: int) -> Meeting:
    # Lock the meeting row only, not the group and partnership rows read with it.
    return Meeting.objects.select_for_update(of=("self",)).select_related("group__partnership").get(pk=meeting_id)


# --- Members ---------------------------------------------------------------------------------------------


def save_member(member: GroupMember) -> GroupMember:
    """Save a seat; its induction steps start the first time (and a lay member's induction record)."""
    with transaction.atomic():
        member.save()
        if member.member_type == MemberType.LAY_MEMBER:
            LayMemberInduction.objects.get_or_create(member=member)
        if member.member_type != MemberType.OBSERVER:
            # Every member's induction steps (governance/arrangements); a lay member has both.
            from safeboard.governance.arrangements.services import start_induction

            start_induction(member)
    return member


def current_seats(meeting: Meeting) -> list[GroupMember]:
    """The seats of the meeting's group that are filled on the meeting's day (members and deputies)."""
    day = timezone.localtime(meeting.starts_at).date()
    return list(
        GroupMember.objects.filter(group_id=meeting.group_id, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("person", "agency", "deputy_for__person")
        .order_by("person__full_name", "id")
    )


def recipient_emails(meeting: Meeting) -> list[str]:
    """One address per person seated on the group on the meeting's day, members and deputies alike."""
    emails: list[str] = []
    for seat in current_seats(meeting):
        if seat.person.is_active and seat.person.email and seat.person.email not in emails:
            emails.append(seat.person.email)
    return emails


# --- Meetings: invitations, papers, circulation ----------------------------------------------------------------


def send_invitations(meeting: Meeting) -> Meeting:
    """Record that invitations went out and queue one email (with a calendar file) per member."""
    from safeboard.governance.meetings.tasks import send_meeting_invitations

    with transaction.atomic():
        locked = _locked_meeting(meeting.pk)
        if locked.status == MeetingStatus.CANCELLED:
            raise ServiceError("This meeting has been cancelled: invitations cannot be sent.")
        if not recipient_emails(locked):
            raise ServiceError("Nobody sits on this group on the meeting's date. Add its members first.")
        locked.invitations_sent_at = timezone.now()
        locked.save(update_fields=["invitations_sent_at", "updated_at"])
        send_meeting_invitations.enqueue(meeting_id=locked.pk)
    return locked


def add_paper(
    *, item: AgendaItem, title: str, file: Any, agency: Agency | None, uploaded_by: Any, confidential_reason: str = ""
) -> Paper:
    with transaction.atomic():
        # Lock the meeting so that circulation and uploads happen one after another.
        _locked_meeting(item.meeting_id)
        paper = Paper(
            item=item,
            title=title,
            file=file,
            agency=agency,
            uploaded_by=uploaded_by,
            uploaded_at=timezone.now(),
            confidential_reason=confidential_reason,
        )
        paper.save()
    return paper


def paper_is_late(paper: Paper, meeting: Meeting) -> bool:
    return timezone.localtime(paper.uploaded_at).date() > meeting.papers_due_on


def circulate_papers(meeting: Meeting) -> Meeting:
    """Record the time and queue ONE email to every current member and deputy with the agenda and links."""
    from safeboard.governance.meetings.tasks import circulate_meeting_papers

    with transaction.atomic():
        locked = _locked_meeting(meeting.pk)
        if locked.status == MeetingStatus.CANCELLED:
            raise ServiceError("This meeting has been cancelled: its papers cannot be circulated.")
        if not recipient_emails(locked):
            raise ServiceError("Nobody sits on this group on the meeting's date. Add its members first.")
        # Every paper sent through the pipeline is checked before it goes out (governance/cycle).
        from safeboard.governance.cycle.services import unchecked_requests

        waiting = [str(request) for request in unchecked_requests(locked)]
        if waiting:
            listed = "; ".join(f"‘{title}’" for title in waiting[:5])
            raise ServiceError(
                f"Check {'this paper' if len(waiting) == 1 else 'these papers'} before circulating: {listed}."
            )
        locked.papers_circulated_at = timezone.now()
        locked.save(update_fields=["papers_circulated_at", "updated_at"])
        circulate_meeting_papers.enqueue(meeting_id=locked.pk)
    return locked


# --- Attendance ----------------------------------------------------------------------------------------------


def record_attendance(meeting: Meeting, entries: dict[int, tuple[str, int | None]], note: str = "") -> dict[str, int]:
    """Save one status per seat. An absence without apologies gets a follow-up for the business unit
    (once), and so do apologies when the partnership follows them up as absences; correcting it before
    the follow-up is done removes the follow-up again."""
    counts = {"saved": 0, "follow_ups": 0}
    with transaction.atomic():
        locked = _locked_meeting(meeting.pk)
        # A named deputy is recorded on their member's seat, never on a line of their own.
        all_seats = current_seats(locked)
        # Named deputies hold no attendance line of their own; they stand in on their member's seat.
        seats = {seat.pk: seat for seat in all_seats if seat.member_type != MemberType.DEPUTY}
        named_deputies: dict[int, set[int]] = {}
        for seat in all_seats:
            if seat.member_type == MemberType.DEPUTY and seat.deputy_for_id:
                named_deputies.setdefault(seat.deputy_for_id, set()).add(seat.person_id)
        existing = {
            a.member_id: a
            for a in Attendance.objects.select_for_update(of=("self",))
            .filter(meeting=locked)
            .select_related("follow_up")
        }
        for seat_id, (status, deputy_id) in entries.items():
            if seat_id not in seats:
                continue
            current = existing.get(seat_id)
            if not status:
                if current is not None and not _done(current):
                    current.delete()
                continue
            if current is None:
                current = Attendance(meeting=locked, member_id=seat_id)
            elif current.status == status and current.deputy_id == deputy_id:
                _sync_follow_up(current, counts, locked.group.partnership)
                continue
            else:
                bump_version(current)
            if status == AttendanceStatus.DEPUTY:
                if deputy_id not in named_deputies.get(seat_id, set()):
                    raise ServiceError(
                        f"Only a named deputy for {seats[seat_id].person} can attend in their place. "
                        "Choose one of the seat's named deputies, or add the deputy to the group first.",
                        field=f"deputy_{seat_id}",
                    )
            current.status = status
            current.deputy_id = deputy_id if status == AttendanceStatus.DEPUTY else None
            current.full_clean(exclude=["meeting", "member"])
            current.save()
            counts["saved"] += 1
            _sync_follow_up(current, counts, locked.group.partnership)
        if locked.status == MeetingStatus.SCHEDULED and locked.starts_at <= timezone.now():
            locked.status = MeetingStatus.HELD
            locked.save(update_fields=["status", "updated_at"])
    return counts


def _done(attendance: Attendance) -> bool:
    follow_up = getattr(attendance, "follow_up", None)
    return follow_up is not None and follow_up.done_on is not None


def needs_follow_up(attendance: Attendance, partnership: Partnership) -> bool:
    """An absence without apologies is followed up; so are apologies where the partnership chooses
    (``Partnership.follow_up_apologies``). A seat whose named deputy attended is represented: no follow-up."""
    if attendance.status == AttendanceStatus.ABSENT:
        return True
    return attendance.status == AttendanceStatus.APOLOGIES and partnership.follow_up_apologies


def _sync_follow_up(attendance: Attendance, counts: dict[str, int], partnership: Partnership) -> None:
    follow_up = AbsenceFollowUp.objects.filter(attendance=attendance).first()
    if needs_follow_up(attendance, partnership):
        if follow_up is None:
            AbsenceFollowUp.objects.create(attendance=attendance)
            counts["follow_ups"] += 1
    elif follow_up is not None and follow_up.done_on is None:
        follow_up.delete()


def complete_follow_up(follow_up: AbsenceFollowUp, note: str = "") -> AbsenceFollowUp:
    limit = AbsenceFollowUp._meta.get_field("note").max_length or 0
    if len(note) > limit:
        raise ServiceError(f"Keep the note to {limit:,} characters or fewer.", field="note")
    with transaction.atomic():
        locked = AbsenceFollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.done_on is not None:
            raise ServiceError("This follow-up was already marked as done.")
        locked.done_on = timezone.localdate()
        if note:
            locked.note = note
        bump_version(locked)
        locked.save()
    return locked


# --- Minutes ----------------------------------------------------------------------------------------------


def save_minutes(
    meeting: Meeting, *, version_seen: int | None, texts: dict[int, tuple[str, str]], difference: str
) -> Meeting:
    """Save the minutes unless someone else saved since this person opened them (``EditConflict``)."""
    with transaction.atomic():
        locked = _locked_meeting(meeting.pk)
        if version_seen is None or locked.version != version_seen:
            raise EditConflict(locked)
        if locked.minutes_status in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED):
            raise ServiceError("These minutes have been approved and can no longer be changed.")
        items = AgendaItem.objects.select_for_update().filter(meeting=locked, pk__in=list(texts))
        for item in items:
            discussion, decisions = texts[item.pk]
            if (item.discussion, item.decisions) != (discussion, decisions):
                item.discussion, item.decisions = discussion, decisions
                bump_version(item)
                item.save()
        locked.difference_for_children = difference
        if locked.minutes_status == MinutesStatus.NONE:
            locked.minutes_status = MinutesStatus.DRAFT
        bump_version(locked)
        locked.save(update_fields=["difference_for_children", "minutes_status", "version", "updated_at"])
    return locked


def approve_minutes(meeting: Meeting, approved_at: Meeting) -> Meeting:
    with transaction.atomic():
        locked = _locked_meeting(meeting.pk)
        if locked.minutes_status != MinutesStatus.DRAFT:
            raise ServiceError("Only draft minutes can be approved.")
        if approved_at.group_id != locked.group_id or approved_at.starts_at <= locked.starts_at:
            raise ServiceError("Minutes are approved at a later meeting of the same group.")
        needs_answer = (
            locked.group.kind == GroupKind.BOARD and locked.group.partnership.minutes_need_difference_for_children
        )
        if needs_answer and not locked.difference_for_children.strip():
            raise ServiceError("Record ‘What difference will this make for children?’ before approving.")
        locked.minutes_status = MinutesStatus.APPROVED
        locked.minutes_approved_at = approved_at
        locked.save(update_fields=["minutes_status", "minutes_approved_at", "updated_at"])
        # Who took each decision, less anyone who declared an interest and stood aside.
        from safeboard.governance.members.services import record_decisions

        record_decisions(locked)
    return locked


def can_sign_off(meeting: Meeting, user: Any) -> bool:
    """The group's chair signs off minutes once they are approved, and only once."""
    return (
        user.is_authenticated
        and meeting.group.chair_id == user.pk
        and meeting.minutes_status in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED)
        and meeting.minutes_signed_off_at is None
    )


def sign_off_minutes(meeting: Meeting, by: Any) -> Meeting:
    """The chair's signature on approved minutes: who and when, recorded once and shown on the minutes."""
    with transaction.atomic():
        locked = _locked_meeting(meeting.pk)
        if locked.group.chair_id != by.pk:
            raise ServiceError("Only the chair of the group signs off its minutes.")
        if locked.minutes_status not in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED):
            raise ServiceError("Minutes are signed off once they have been approved.")
        if locked.minutes_signed_off_at is not None:
            raise ServiceError("These minutes have already been signed off.")
        locked.minutes_signed_off_at = timezone.now()
        locked.minutes_signed_off_by = by
        locked.save(update_fields=["minutes_signed_off_at", "minutes_signed_off_by", "updated_at"])
    return locked


def publish_minutes(meeting: Meeting) -> Meeting:
    from safeboard.governance.meetings.tasks import send_minutes_published

    with transaction.atomic():
        locked = _locked_meeting(meeting.pk)
        if locked.minutes_status != MinutesStatus.APPROVED:
            raise ServiceError("Minutes are published once they have been approved.")
        locked.minutes_status = MinutesStatus.PUBLISHED
        locked.minutes_published_at = timezone.now()
        locked.save(update_fields=["minutes_status", "minutes_published_at", "updated_at"])
        send_minutes_published.enqueue(meeting_id=locked.pk)
    return locked


def add_item_action(*, item: AgendaItem, title: str, owner: Any, agency: Agency, due_date: dt.date, by: Any) -> Action:
    """An action agreed at the meeting goes into the partnership's action log, linked to the item."""
    return create_action(
        partnership=item.meeting.group.partnership,
        title=title,
        owner=owner,
        agency=agency,
        due_date=due_date,
        created_by=by,
        source=item,
    )


def actions_by_item(actions: models.QuerySet, items: list[AgendaItem]) -> dict[int, list[Action]]:
    """``for_source`` for a whole agenda at once: one query, grouped by item."""
    from django.contrib.contenttypes.models import ContentType

    if not items:
        return {}
    found = (
        actions.filter(
            source_type=ContentType.objects.get_for_model(AgendaItem), source_id__in=[str(i.pk) for i in items]
        )
        .select_related("owner")
        .order_by("due_date", "id")
    )  # the agenda names each owner
    grouped: dict[int, list[Action]] = defaultdict(list)
    for action in found:
        grouped[int(action.source_id)].append(action)
    return grouped


# --- Figures -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BusinessYear:
    first_year: int
    start: dt.datetime
    end: dt.datetime

    @property
    def label(self) -> str:
        return f"{self.first_year}/{(self.first_year + 1) % 100:02d}"


def business_year(partnership: Partnership, day: dt.date | None = None) -> BusinessYear:
    day = day or timezone.localdate()
    month = partnership.business_year_start_month or 4
    first = business_year_of(day, month)
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime(first, month, 1), zone)
    end = timezone.make_aware(dt.datetime(first + 1, month, 1), zone)
    return BusinessYear(first, start, end)


def late_papers_by_agency(papers: models.QuerySet, partnership: Partnership, year: BusinessYear) -> list[dict]:
    """Papers for meetings in the business year, per agency: how many, and how many late. Counted in
    the database: a paper is late when its upload date is after the meeting's date minus the days due."""
    zone = timezone.get_current_timezone()
    due_after = ExpressionWrapper(
        TruncDate("uploaded_at", tzinfo=zone) + Value(dt.timedelta(days=partnership.papers_due_days)),
        output_field=DateField(),
    )
    rows = (
        papers.filter(item__meeting__starts_at__gte=year.start, item__meeting__starts_at__lt=year.end)
        .exclude(item__meeting__status=MeetingStatus.CANCELLED)
        .annotate(meeting_day=TruncDate("item__meeting__starts_at", tzinfo=zone), due_after=due_after)
        .values(agency_name=Coalesce(F("agency__name"), Value("No agency named")))
        .annotate(
            total=Count("id"),
            late=Count("id", filter=Q(due_after__gt=F("meeting_day"))),
        )
        .order_by("-late", "agency_name")
    )
    return list(rows)


# --- Agenda pack and minutes (PDF) --------------------------------------------------------------------------


# The pack's pages run on into the papers, so its footer gives the page number only.
PACK_CSS = """
@page { @bottom-right { content: "Page " counter(page); } }
@page confidential { @top-center { content: "CONFIDENTIAL: not for publication"; font-weight: bold; } }
.sb-print-confidential { page: confidential; }
.sb-print-cover { break-after: page; }
.sb-print-meta { font-size: 13pt; }
"""


def item_start_times(meeting: Meeting, items: list[AgendaItem]) -> dict[int, dt.datetime]:
    """When each item starts: the meeting's start plus the time allowed for the items before it."""
    start = timezone.localtime(meeting.starts_at)
    times: dict[int, dt.datetime] = {}
    for item in sorted(items, key=lambda i: i.number):
        times[item.pk] = start
        start += dt.timedelta(minutes=item.minutes_allowed)
    return times


def agenda_pack_pdf(
    meeting: Meeting,
    items: list[AgendaItem],
    papers: list[Paper],
    base_url: str,
    confidential: bool = False,
    supplementary: bool = False,
) -> bytes:
    """A tagged cover and agenda (core.pdf), then every paper that is a readable PDF, in agenda order.
    The agenda gives each item its start time and the page of the pack where each paper starts.
    Papers in other formats are listed on the agenda as not included. The caller chooses the part:
    the open pack, or (``confidential``) the separate confidential part, marked so on every page."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from safeboard.core.pdf import html_to_pdf, join_pdfs

    included: list[tuple[Paper, bytes, int]] = []
    notes: dict[int, str] = {}
    for paper in papers:
        if not (paper.file.name or "").lower().endswith(".pdf"):
            notes[paper.pk] = "not included: not a PDF"
            continue
        try:
            with paper.file.open("rb") as handle:
                data = handle.read()
            pages = len(PdfReader(io.BytesIO(data)).pages)
        except (OSError, PdfReadError, ValueError):
            notes[paper.pk] = "not included: the file could not be read"
            continue
        included.append((paper, data, pages))
    times = item_start_times(meeting, items)
    late = {p.pk for p in papers if paper_is_late(p, meeting)}

    def render(cover_pages: int) -> bytes:
        first_page: dict[int, int] = {}
        page = cover_pages + 1
        for paper, _data, pages in included:
            first_page[paper.pk] = page
            page += pages
        listed: dict[int, list[tuple[Paper, str, int | None]]] = defaultdict(list)
        for paper in papers:
            listed[paper.item_id].append((paper, notes.get(paper.pk, ""), first_page.get(paper.pk)))
        html = render_to_string(
            "governance/meetings/pack_print.html",
            {
                "meeting": meeting,
                "partnership": meeting.group.partnership,
                "agenda": [(item, times.get(item.pk), listed.get(item.pk, [])) for item in items],
                "papers_due_on": meeting.papers_due_on,
                "late": late,
                "confidential": confidential,
                "supplementary": supplementary,
            },
        )
        return html_to_pdf(html, base_url=base_url, css=PACK_CSS)

    # The cover's own length decides where the papers start; a second pass settles it.
    cover = render(1)
    for _ in range(3):
        length = len(PdfReader(io.BytesIO(cover)).pages)
        again = render(length)
        if len(PdfReader(io.BytesIO(again)).pages) == length:
            cover = again
            break
        cover = again
    return join_pdfs(cover, [(data, paper.title) for paper, data, _pages in included])


def minutes_pdf(meeting: Meeting, items: list[AgendaItem], attendance: list[Attendance], base_url: str) -> bytes:
    """The minutes as a tagged PDF to circulate and to sign: attendance, each item's discussion and
    decisions, the difference for children, the approval and the chair's sign-off when recorded."""
    from safeboard.core.pdf import html_to_pdf

    html = render_to_string(
        "governance/meetings/minutes_print.html",
        {
            "meeting": meeting,
            "partnership": meeting.group.partnership,
            "items": items,
            "times": item_start_times(meeting, items),
            "attendance": attendance,
        },
    )
    return html_to_pdf(html, base_url=base_url)


def cancel_meeting(meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting that has not been held; tell the members if they were invited.

    A cancelled meeting no longer counts towards attendance (see reports.attendance_dashboard).
    """
    from safeboard.accounts.tasks import send_email

    reason = reason.strip()
    if not reason:
        raise ServiceError("Say why the meeting is cancelled.")
    with transaction.atomic():
        locked = _locked_meeting(meeting.pk)
        if locked.status == MeetingStatus.CANCELLED:
            raise ServiceError("This meeting is already cancelled.")
        if locked.status == MeetingStatus.HELD or Attendance.objects.filter(meeting=locked).exists():
            raise ServiceError("This meeting has been held (attendance is recorded), so it cannot be cancelled.")
        locked.status = MeetingStatus.CANCELLED
        locked.version += 1
        locked.save()
        if locked.invitations_sent_at:
            when = timezone.localtime(locked.starts_at)
            subject = f"Cancelled: {locked.group.name}, {day_text(when)}"
            body = (
                f"The meeting of {locked.group.name} on {when:%A} {day_text(when)} at {when:%H:%M} has been cancelled.\n\n"
                f"Reason: {reason}\n\nYou can remove it from your calendar.\n\nSafeboard"
            )
            for email in recipient_emails(locked):  # one each: members do not see each other's addresses
                send_email.enqueue(subject=subject, body=body, to=[email])
    return locked
