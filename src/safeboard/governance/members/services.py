"""State changes for members' own business: interests and declarations, who decided an item.

As everywhere: lock, check, change; a refusal is a ``ServiceError`` in plain English. Each write
checks whose record it is and that everything it links lives in the same partnership.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeboard.core.concurrency import bump_version
from safeboard.core.interests import Interest, InterestDeclaration, standing_aside
from safeboard.core.models import Partnership
from safeboard.core.services import ServiceError
from safeboard.governance.meetings.choices import AttendanceStatus, ItemPurpose, MeetingStatus
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
        record, _ = ItemDecision.objects.update_or_create(item=item, defaults={"recorded_at": at or timezone.now()})
        record.decided_by.set(decided)
        record.stood_aside.set(aside)
        recorded.append(record)
    return recorded
