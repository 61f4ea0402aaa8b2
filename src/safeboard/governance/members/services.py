"""State changes for members' own business: interests and declarations, who decided an item.

As everywhere: lock, check, change; a refusal is a ``ServiceError`` in plain English. Each write
checks whose record it is and that everything it links lives in the same partnership.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from safeboard.core.concurrency import bump_version
from safeboard.core.interests import Interest, InterestDeclaration, standing_aside
from safeboard.core.models import Partnership
from safeboard.core.services import ServiceError
from safeboard.governance.meetings.choices import AttendanceStatus, ItemPurpose, MeetingStatus, MemberType
from safeboard.governance.meetings.models import AgendaItem, Attendance, GroupMember, Meeting
from safeboard.governance.members.models import ItemDecision

# --- The register of interests ------------------------------------------------------------------------------


def add_interest(*, partnership: Partnership, person: Any, **fields: Any) -> Interest:
    """A new entry in ``person``'s register in ``partnership``; it counts as reviewed today."""
    if not person.memberships.filter(partnership=partnership, is_active=True).exists():
        raise ServiceError("This person has no role in this partnership.", field="person")
    interest = Interest(partnership=partnership, person=person, last_reviewed_on=timezone.localdate(), **fields)
    interest.full_clean()
    interest.save()
    return interest


def review_interest(interest: Interest) -> Interest:
    """The yearly review: the entry is confirmed as still right today."""
    with transaction.atomic():
        locked = Interest.objects.select_for_update().get(pk=interest.pk)
        today = timezone.localdate()
        if locked.ended_on is not None and locked.ended_on < today:
            raise ServiceError("This interest has ended, so it needs no review.")
        locked.last_reviewed_on = today
        bump_version(locked)
        locked.save()
    return locked


# --- Declarations -------------------------------------------------------------------------------------------


def seated_people(meeting: Meeting) -> Any:
    """Seats on the meeting's group on its day (members and named deputies)."""
    day = timezone.localtime(meeting.starts_at).date()
    return GroupMember.objects.filter(group_id=meeting.group_id, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def declare_interest(
    *,
    subject: AgendaItem | Meeting,
    person: Any,
    description: str,
    recorded_by: Any,
    interest: Interest | None = None,
    stands_aside: bool = True,
) -> InterestDeclaration:
    """Record that ``person`` declared an interest in an agenda item or a whole meeting.

    Only someone with a seat on the group on the meeting's day declares; a registered interest named
    with it must be theirs and of the same partnership. A person declares once per item or meeting.
    """
    meeting = subject.meeting if isinstance(subject, AgendaItem) else subject
    partnership = meeting.group.partnership
    description = description.strip()
    if not description:
        raise ServiceError("Say what the interest is.", field="description")
    with transaction.atomic():
        Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ServiceError("This meeting has been cancelled.")
        if not seated_people(meeting).filter(person=person).exists():
            raise ServiceError("Only someone with a seat on this group on the meeting's day can declare an interest.")
        if interest is not None and (interest.person_id != person.pk or interest.partnership_id != partnership.pk):
            raise ServiceError("Choose an interest from this person's own register.", field="interest")
        if InterestDeclaration.objects.about(subject).filter(person=person).exists():
            raise ServiceError(f"{person} has already declared an interest in this.")
        declaration = InterestDeclaration(
            partnership=partnership,
            person=person,
            interest=interest,
            description=description,
            stands_aside=stands_aside,
            declared_at=timezone.now(),
            recorded_by=recorded_by,
        )
        declaration.subject_type_id = _content_type_id(subject)
        declaration.subject_id = subject.pk
        declaration.save()
    return declaration


def _content_type_id(obj: Any) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


# --- Who decided --------------------------------------------------------------------------------------------


def attendees(meeting: Meeting) -> set[int]:
    """The people at the meeting who take part in its decisions: members present and deputies who stood in."""
    people: set[int] = set()
    for status, person_id, deputy_id in Attendance.objects.filter(
        meeting=meeting, status__in=[AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY]
    ).values_list("status", "member__person_id", "deputy_id"):
        chosen = deputy_id if status == AttendanceStatus.DEPUTY else person_id
        if chosen:
            people.add(chosen)
    return people


def deciders(item: AgendaItem) -> tuple[set[int], set[int]]:
    """(who decided, who stood aside) for an item, as it stands now."""
    aside = standing_aside(item)
    return attendees(item.meeting) - aside, aside


def is_decision(item: AgendaItem) -> bool:
    return item.purpose == ItemPurpose.DECISION or bool(item.decisions.strip())


def record_decisions(meeting: Meeting, *, at: dt.datetime | None = None) -> list[ItemDecision]:
    """Record who decided each item that carries a decision (called when the minutes are approved)."""
    recorded = []
    for item in AgendaItem.objects.filter(meeting=meeting).select_related("meeting").order_by("number"):
        if not is_decision(item):
            continue
        decided, aside = deciders(item)
        record, _ = ItemDecision.objects.update_or_create(
            item=item, defaults={"recorded_at": at or timezone.now(), "decision": item.decisions}
        )
        record.decided_by.set(decided)
        record.stood_aside.set(aside)
        recorded.append(record)
    return recorded


# --- Members' own apologies ---------------------------------------------------------------------------------


def own_seat(meeting: Meeting, person: Any) -> GroupMember | None:
    """The person's own seat on the meeting's group on its day (not a deputy's or an observer's seat)."""
    return (
        seated_people(meeting)
        .filter(person=person)
        .exclude(member_type__in=[MemberType.DEPUTY, MemberType.OBSERVER])
        .select_related("group__partnership")
        .order_by("id")
        .first()
    )


def named_deputies(seat: GroupMember, meeting: Meeting) -> Any:
    """The seat's named deputies, seated on the meeting's day and able to sign in."""
    return (
        seated_people(meeting)
        .filter(deputy_for=seat, member_type=MemberType.DEPUTY, person__is_active=True)
        .select_related("person")
        .order_by("person__full_name", "id")
    )


def stand_ins_this_year(deputy: Any, seat: GroupMember, meeting: Meeting) -> int:
    """How often ``deputy`` has stood in (or is named to stand in) for ``seat`` in the meeting's business year,
    not counting this meeting."""
    from safeboard.governance.meetings.services import business_year

    year = business_year(meeting.group.partnership, timezone.localtime(meeting.starts_at).date())
    return (
        Attendance.objects.filter(
            member=seat,
            deputy=deputy,
            status=AttendanceStatus.DEPUTY,
            meeting__starts_at__gte=year.start,
            meeting__starts_at__lt=year.end,
        )
        .exclude(meeting=meeting)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .count()
    )


def send_apologies(*, meeting: Meeting, person: Any, deputy: GroupMember | None = None, note: str = "") -> Attendance:
    """``person`` sends apologies for a meeting they have a seat at, naming the deputy who will attend.

    Only their own seat; only before the meeting; only a named deputy of that seat, who may stand in at
    most the partnership's number of times each business year. Recorded as the seat's attendance, which
    the business unit can still correct on the day."""
    note = note.strip()
    with transaction.atomic():
        locked = Meeting.objects.select_for_update(of=("self",)).select_related("group__partnership").get(pk=meeting.pk)
        if locked.status != MeetingStatus.SCHEDULED:
            raise ServiceError("Apologies can be sent only for a meeting that is still to come.")
        if locked.starts_at <= timezone.now():
            raise ServiceError("This meeting has started: tell the business unit directly.")
        seat = own_seat(locked, person)
        if seat is None:
            raise ServiceError("You do not have a seat on this group on the meeting's day.")
        if deputy is not None:
            if not named_deputies(seat, locked).filter(pk=deputy.pk).exists():
                raise ServiceError("Choose one of the named deputies of your seat.", field="deputy")
            limit = locked.group.partnership.deputy_stand_ins_per_year
            used = stand_ins_this_year(deputy.person, seat, locked)
            if used >= limit:
                times = "once" if limit == 1 else f"{limit} times"
                raise ServiceError(
                    f"{deputy.person} has already stood in for you {times} this business year, which is as often "
                    "as the partnership allows. Send apologies without a deputy, or speak to the business unit.",
                    field="deputy",
                )
        attendance = Attendance.objects.select_for_update().filter(meeting=locked, member=seat).first()
        if attendance is None:
            attendance = Attendance(meeting=locked, member=seat)
        else:
            bump_version(attendance)
        attendance.status = AttendanceStatus.DEPUTY if deputy is not None else AttendanceStatus.APOLOGIES
        attendance.deputy = deputy.person if deputy is not None else None
        sent = f"Sent by {person} on {timezone.localdate():%d %B %Y}."
        attendance.note = f"{sent} {note}"[:300] if note else sent
        attendance.save()
    return attendance


# --- Read receipts ------------------------------------------------------------------------------------------


def record_paper_opened(paper: Any, person: Any) -> None:
    """Note the first time ``person`` opened ``paper`` (later openings change nothing)."""
    from safeboard.governance.members.models import PaperRead

    try:
        with transaction.atomic():
            PaperRead.objects.get_or_create(paper=paper, person=person, defaults={"first_opened_at": timezone.now()})
    except IntegrityError:  # opened twice at the same moment: the first receipt stands
        pass
