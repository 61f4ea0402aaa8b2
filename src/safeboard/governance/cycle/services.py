"""The annual cycle's state changes: meetings from a series, agendas built from the standing items
and the forward plan, the paper pipeline (request, submit with a cover sheet, check), decisions taken
between meetings and their ratification, and the approval of a closing group's final minutes by
chair's action.

As everywhere in board business: lock, check, change; a refusal is a ``ServiceError`` in plain
English. Callers find records through ``visible_to``; these functions check that what they link
belongs to the same group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from safeboard.core.concurrency import bump_version
from safeboard.core.services import ServiceError
from safeboard.core.text import day_text
from safeboard.core.workdays import add_working_days
from safeboard.governance.cycle.models import (
    DEFAULT_STANDING_ITEMS,
    ForwardPlanItem,
    MeetingSeries,
    PaperRequest,
    PaperStatus,
    StandingItem,
    StandingKind,
    add_months,
)
from safeboard.governance.meetings.access import business_unit_partnerships
from safeboard.governance.meetings.choices import GroupKind, MeetingStatus, MemberType, MinutesStatus
from safeboard.governance.meetings.models import AgendaItem, Group, GroupMember, Meeting, Paper
from safeboard.governance.members.models import DecisionMeans, ItemDecision

# An author's paper is due this many working days before the papers go out to the members, so that
# the business unit (or the executive) can check it and put the pack together.
AUTHOR_WORKING_DAYS = 3


def _zone() -> Any:
    return timezone.get_current_timezone()


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), _zone())


# --- Meeting series ----------------------------------------------------------------------------------------


def generate_meetings(series: MeetingSeries, start: dt.date, end: dt.date) -> list[Meeting]:
    """Make the series' scheduled meetings from ``start`` to ``end``. A day on which the group already
    has a meeting (made by hand, by the series, or cancelled) gets no second one, so running it twice
    makes nothing new."""
    if end < start:
        raise ServiceError("The end of the period must be after its start.", field="end")
    if (end - start).days > 2 * 366:
        raise ServiceError("Make meetings for two years at most at a time.", field="end")
    made: list[Meeting] = []
    with transaction.atomic():
        Group.objects.select_for_update().filter(pk=series.group_id).first()
        days = series.dates_between(start, end)
        if not days:
            return made
        taken = {
            timezone.localtime(when).date()
            for when in Meeting.objects.filter(
                group_id=series.group_id,
                starts_at__gte=_day_start(days[0]),
                starts_at__lt=_day_start(days[-1] + dt.timedelta(days=1)),
            ).values_list("starts_at", flat=True)
        }
        for day in days:
            if day in taken:
                continue
            starts = timezone.make_aware(dt.datetime.combine(day, series.start_time), _zone())
            meeting = Meeting(
                group_id=series.group_id,
                series=series,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=series.length_minutes),
                venue=series.venue,
                online_link=series.online_link,
            )
            meeting.save()
            made.append(meeting)
    return made


# --- Standing items ----------------------------------------------------------------------------------------


def default_standing_items(group: Group) -> list[StandingItem]:
    """The standing items every group starts from (not saved)."""
    return [
        StandingItem(
            group=group,
            kind=kind,
            title=StandingKind(kind).label,
            position=position,
            minutes_allowed=minutes,
            at_end=at_end,
        )
        for position, kind, minutes, at_end in DEFAULT_STANDING_ITEMS
    ]


def ensure_standing_items(group: Group) -> list[StandingItem]:
    """The group's standing items, saving the defaults the first time."""
    items = list(StandingItem.objects.filter(group=group).order_by("at_end", "position", "id"))
    if items:
        return items
    items = default_standing_items(group)
    for item in items:
        item.save()
    return items


# --- Quarters and agendas ------------------------------------------------------------------------------------


def quarter_after(day: dt.date, start_month: int = 4) -> tuple[dt.date, dt.date]:
    """The first and last day of the quarter of the business year after the one ``day`` is in
    (quarters start in the business year's first month and every three months after)."""
    offset = (day.month - start_month) % 3
    this_quarter = add_months(day.replace(day=1), -offset)
    first = add_months(this_quarter, 3)
    return first, add_months(first, 3) - dt.timedelta(days=1)


@dataclass
class BuildReport:
    meetings_made: list[Meeting] = field(default_factory=list)
    items_added: int = 0
    plan_placed: int = 0
    meetings: list[Meeting] = field(default_factory=list)
    skipped: list[Meeting] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if not self.meetings:
            return "There are no meetings of this group in that quarter. Add a meeting series or a meeting first."
        parts = [f"{len(self.meetings)} meeting{'s' if len(self.meetings) != 1 else ''} in the quarter"]
        if self.meetings_made:
            parts.append(f"{len(self.meetings_made)} made from the series")
        parts.append(
            f"{self.items_added} agenda item{'s' if self.items_added != 1 else ''} added"
            if self.items_added
            else "nothing new to add"
        )
        if self.plan_placed:
            parts.append(f"{self.plan_placed} forward plan item{'s' if self.plan_placed != 1 else ''} placed")
        text = ", ".join(parts) + "."
        if self.skipped:
            text += (
                f" {len(self.skipped)} meeting{'s' if len(self.skipped) != 1 else ''} left as they are: "
                "the papers have gone out or the meeting has been held."
            )
        return text


def due_meeting(plan_item: ForwardPlanItem, meetings: list[Meeting]) -> Meeting | None:
    """The meeting a forward plan item goes to: its own meeting when it names one, else the group's
    first meeting from the start of its target month (``meetings`` in date order, none cancelled)."""
    if plan_item.meeting_id:
        return next((m for m in meetings if m.pk == plan_item.meeting_id), None)
    if plan_item.target_month is None:
        return None
    month_start = _day_start(plan_item.target_month.replace(day=1))
    return next((m for m in meetings if m.starts_at >= month_start), None)


def _standing_title(standing: StandingItem, meeting: Meeting) -> str:
    if standing.kind == StandingKind.MINUTES:
        previous = (
            Meeting.objects.filter(group_id=meeting.group_id, starts_at__lt=meeting.starts_at)
            .exclude(status=MeetingStatus.CANCELLED)
            .order_by("-starts_at")
            .first()
        )
        if previous is not None:
            return f"{standing.title}: the meeting on {day_text(previous.starts_at)}"
    return standing.title


def build_agendas(group: Group, start: dt.date, end: dt.date) -> BuildReport:
    """For each meeting of ``group`` from ``start`` to ``end`` (made from its series where missing),
    put the standing items and the forward plan items due for it on the agenda, numbered: the opening
    standing items, the agenda's other items, the forward plan's, then the closing standing items.
    Forward plan items are marked as placed. Meetings whose papers have gone out, or that have been
    held, are left alone. Running it twice adds nothing."""
    report = BuildReport()
    with transaction.atomic():
        Group.objects.select_for_update().filter(pk=group.pk).first()
        for series in MeetingSeries.objects.filter(group=group):
            report.meetings_made += generate_meetings(series, start, end)
        standing = [s for s in ensure_standing_items(group) if s.is_active]
        opening = [s for s in standing if not s.at_end]
        closing = [s for s in standing if s.at_end]
        window_end = _day_start(end + dt.timedelta(days=1))
        unplaced = list(
            # Items for a named meeting first, then by month (the same order on every database).
            ForwardPlanItem.objects.filter(group=group, agenda_item__isnull=True).order_by(
                F("target_month").asc(nulls_first=True), "id"
            )
        )
        earliest = min(
            [_day_start(start)] + [_day_start(p.target_month.replace(day=1)) for p in unplaced if p.target_month]
        )
        candidates = list(
            Meeting.objects.filter(group=group, starts_at__gte=earliest, starts_at__lt=window_end)
            .exclude(status=MeetingStatus.CANCELLED)
            .order_by("starts_at", "id")
        )
        in_window = [m for m in candidates if m.starts_at >= _day_start(start)]
        report.meetings = in_window
        # A forward plan item whose month has passed without a meeting goes to the first one to come.
        open_meetings = [m for m in in_window if m.status == MeetingStatus.SCHEDULED and not m.papers_circulated_at]
        by_meeting: dict[int, list[ForwardPlanItem]] = {}
        for plan_item in unplaced:
            target = due_meeting(plan_item, in_window) if plan_item.meeting_id else due_meeting(plan_item, candidates)
            if target is not None and target not in in_window:
                target = None
            if target is None and not plan_item.meeting_id and plan_item.target_month and open_meetings:
                month_start = _day_start(plan_item.target_month.replace(day=1))
                if month_start < _day_start(start):
                    target = open_meetings[0]
            if target is not None:
                by_meeting.setdefault(target.pk, []).append(plan_item)
        for meeting in in_window:
            if meeting not in open_meetings:
                report.skipped.append(meeting)
                continue
            added, placed = _build_one(meeting, opening, closing, by_meeting.get(meeting.pk, []))
            report.items_added += added
            report.plan_placed += placed
    return report


def _build_one(
    meeting: Meeting, opening: list[StandingItem], closing: list[StandingItem], plan: list[ForwardPlanItem]
) -> tuple[int, int]:
    Meeting.objects.select_for_update(of=("self",)).filter(pk=meeting.pk).first()
    existing = list(AgendaItem.objects.select_for_update().filter(meeting=meeting).order_by("number", "id"))
    on_agenda = {item.standing_item_id: item for item in existing if item.standing_item_id}
    added = placed = 0
    new_opening: list[AgendaItem] = []
    new_closing: list[AgendaItem] = []
    for standing, into in [(s, new_opening) for s in opening] + [(s, new_closing) for s in closing]:
        if standing.pk in on_agenda:
            continue
        item = AgendaItem(
            meeting=meeting,
            title=_standing_title(standing, meeting),
            minutes_allowed=standing.minutes_allowed,
            standing_item=standing,
        )
        into.append(item)
        added += 1
    new_plan: list[tuple[AgendaItem, ForwardPlanItem]] = []
    for plan_item in plan:
        item = AgendaItem(
            meeting=meeting,
            title=plan_item.title,
            purpose=plan_item.purpose,
            presenter_id=plan_item.presenter_id,
            agency_id=plan_item.agency_id,
            minutes_allowed=plan_item.minutes_allowed,
            confidential_reason=plan_item.confidential_reason,
        )
        new_plan.append((item, plan_item))
        added += 1
    if not added:
        return 0, 0
    opening_order = {s.pk: n for n, s in enumerate(opening)}
    closing_order = {s.pk: n for n, s in enumerate(closing)}

    def place(item: AgendaItem, order: dict[int, int]) -> int:
        return order.get(item.standing_item_id or 0, 0)

    ordered = (
        sorted(
            [i for i in existing if i.standing_item_id in opening_order] + new_opening,
            key=lambda i: place(i, opening_order),
        )
        + [i for i in existing if i.standing_item_id not in opening_order and i.standing_item_id not in closing_order]
        + [item for item, _ in new_plan]
        + sorted(
            [i for i in existing if i.standing_item_id in closing_order] + new_closing,
            key=lambda i: place(i, closing_order),
        )
    )
    # Move the existing items out of the way first: item numbers are unique on an agenda.
    moved = [item for item in existing if item.number != ordered.index(item) + 1]
    top = max([item.number for item in existing], default=0) + len(ordered) + 1
    for offset, item in enumerate(moved):
        AgendaItem.objects.filter(pk=item.pk).update(number=top + offset)
    for number, item in enumerate(ordered, start=1):
        item.number = number
        if item.pk is None:
            item.save()
        elif item in moved:
            bump_version(item)
            item.save()
    now = timezone.now()
    for item, plan_item in new_plan:
        plan_item.agenda_item = item
        plan_item.placed_at = now
        plan_item.save(update_fields=["agenda_item", "placed_at", "updated_at"])
        placed += 1
    return added, placed


# --- The paper pipeline --------------------------------------------------------------------------------------


def author_deadline(meeting: Meeting) -> dt.date:
    """When an author's paper is due: working days before the circulation date, for the check."""
    return add_working_days(meeting.papers_due_on, -AUTHOR_WORKING_DAYS, meeting.group.partnership)


def request_paper(
    *, item: AgendaItem, title: str, author: Any, agency: Any = None, due_on: dt.date | None = None
) -> PaperRequest:
    meeting = item.meeting
    partnership = meeting.group.partnership
    if meeting.status == MeetingStatus.CANCELLED:
        raise ServiceError("This meeting has been cancelled.")
    if not author.memberships.filter(partnership=partnership, is_active=True).exists():
        raise ServiceError("Choose someone with a role in this partnership.", field="author")
    request = PaperRequest(
        item=item, title=title.strip(), author=author, agency=agency, due_on=due_on or author_deadline(meeting)
    )
    request.save()
    return request


COVER_FIELDS = {
    "purpose": "Say what the paper is for.",
    "decision_asked": "Say what the group is asked to decide (or that it is for information).",
    "impact_on_children": "Say what difference this makes for children.",
    "risks": "Say what the risks are (or that there are none).",
}


def submit_paper(
    request: PaperRequest, *, by: Any, file: Any, confidential_reason: str = "", **cover: str
) -> PaperRequest:
    """The author sends their paper with its cover sheet. Sending it again replaces the file, and a
    checked paper then needs checking again."""
    with transaction.atomic():
        locked = PaperRequest.objects.select_for_update().select_related("item__meeting__group").get(pk=request.pk)
        unit = locked.item.meeting.group.partnership_id in business_unit_partnerships(by)
        if locked.author_id != by.pk and not unit:
            raise ServiceError("Only the author (or the business unit for them) sends this paper.")
        if locked.item.meeting.status != MeetingStatus.SCHEDULED:
            raise ServiceError("This meeting has been held or cancelled: the paper can no longer be sent.")
        for name, message in COVER_FIELDS.items():
            value = (cover.get(name) or "").strip()
            if not value:
                raise ServiceError(message, field=name)
            setattr(locked, name, value)
        now = timezone.now()
        paper = locked.paper
        if paper is None:
            paper = Paper(item=locked.item, uploaded_by=by)
        paper.title = locked.title
        paper.file = file
        paper.agency = locked.agency
        paper.uploaded_by = by
        paper.uploaded_at = now
        paper.confidential_reason = confidential_reason
        paper.save()
        locked.paper = paper
        locked.status = PaperStatus.SUBMITTED
        locked.submitted_at = now
        locked.checked_at = None
        locked.checked_by = None
        bump_version(locked)
        locked.save()
    return locked


def may_check(user: Any, request: PaperRequest) -> bool:
    """The business unit of the host partnership, or a member of its executive group."""
    partnership_id = request.item.meeting.group.partnership_id
    if partnership_id in business_unit_partnerships(user):
        return True
    today = timezone.localdate()
    return (
        GroupMember.objects.filter(
            group__partnership_id=partnership_id,
            group__kind=GroupKind.EXECUTIVE,
            person_id=user.pk,
            member_type__in=[MemberType.MEMBER, MemberType.DEPUTY],
            starts_on__lte=today,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exists()
    )


def check_paper(request: PaperRequest, *, by: Any) -> PaperRequest:
    with transaction.atomic():
        locked = PaperRequest.objects.select_for_update().select_related("item__meeting__group").get(pk=request.pk)
        if not may_check(by, locked):
            raise ServiceError("Papers are checked by the business unit or a member of the executive.")
        if locked.status != PaperStatus.SUBMITTED:
            raise ServiceError("Only a paper that has been sent, and not yet checked, can be checked.")
        if not locked.has_cover_sheet:
            raise ServiceError("The paper has no complete cover sheet: ask the author to send it again.")
        locked.status = PaperStatus.CHECKED
        locked.checked_at = timezone.now()
        locked.checked_by = by
        bump_version(locked)
        locked.save()
    return locked


def unchecked_requests(meeting: Meeting) -> QuerySet[PaperRequest]:
    """Papers sent for the meeting that nobody has checked yet: circulation waits for them."""
    return PaperRequest.objects.filter(item__meeting=meeting, status=PaperStatus.SUBMITTED).order_by("item__number")


def papers_to_follow(meeting: Meeting) -> QuerySet[PaperRequest]:
    """Papers asked for the meeting and not sent yet (they go in a supplementary pack)."""
    return PaperRequest.objects.filter(item__meeting=meeting, status=PaperStatus.REQUESTED).order_by("item__number")


def supplementary_papers(meeting: Meeting, papers: list[Paper]) -> list[Paper]:
    """Of ``papers``, those added or sent again since the main pack was circulated."""
    sent = meeting.papers_circulated_at
    if sent is None:
        return []
    return [paper for paper in papers if paper.uploaded_at > sent]


# --- Decisions -------------------------------------------------------------------------------------------


def record_decision_between_meetings(
    *,
    group: Group,
    decision: str,
    means: str,
    decided_on: dt.date,
    decided_by: list[Any],
    lead: Any = None,
    due_on: dt.date | None = None,
    confidential_reason: str = "",
) -> ItemDecision:
    """A decision taken by chair's action or by email, to be ratified at the group's next meeting."""
    decision = decision.strip()
    if not decision:
        raise ServiceError("Say what was decided.", field="decision")
    if means not in (DecisionMeans.CHAIRS_ACTION, DecisionMeans.EMAIL):
        raise ServiceError("Choose chair's action or a decision by email.", field="means")
    if decided_on > timezone.localdate():
        raise ServiceError("The decision date cannot be in the future.", field="decided_on")
    if not decided_by:
        raise ServiceError("Say who took the decision.", field="decided_by")
    if means == DecisionMeans.CHAIRS_ACTION and group.chair_id not in {p.pk for p in decided_by} | {
        group.vice_chair_id
    }:
        raise ServiceError("A chair's action is taken by the group's chair (or vice-chair).", field="decided_by")
    with transaction.atomic():
        record = ItemDecision(
            group=group,
            decision=decision,
            means=means,
            decided_on=decided_on,
            lead=lead,
            due_on=due_on,
            confidential_reason=confidential_reason,
            needs_ratification=True,
            recorded_at=timezone.now(),
        )
        record.save()
        record.decided_by.set(decided_by)
    return record


def awaiting_ratification(group_id: int, before: dt.datetime | None = None) -> QuerySet[ItemDecision]:
    queryset = ItemDecision.objects.filter(group_id=group_id, needs_ratification=True, ratified_at__isnull=True)
    if before is not None:
        queryset = queryset.filter(decided_on__lte=timezone.localtime(before).date())
    return queryset.order_by("decided_on", "id")


def ratify_decision(decision: ItemDecision, meeting: Meeting) -> ItemDecision:
    """Record that ``meeting`` ratified a decision taken between meetings: a meeting of the same group,
    held after the decision and not cancelled."""
    with transaction.atomic():
        locked = ItemDecision.objects.select_for_update().get(pk=decision.pk)
        if not locked.needs_ratification:
            raise ServiceError("This decision was taken at a meeting: it needs no ratifying.")
        if locked.ratified_at_id is not None:
            raise ServiceError("This decision has already been ratified.")
        if meeting.group_id != locked.group_id or meeting.status == MeetingStatus.CANCELLED:
            raise ServiceError("A decision is ratified at a meeting of the same group.")
        if locked.decided_on and timezone.localtime(meeting.starts_at).date() < locked.decided_on:
            raise ServiceError("A decision is ratified at a meeting after it was taken.")
        if meeting.starts_at > timezone.now():
            raise ServiceError("Record the ratification once the meeting has started.")
        locked.ratified_at = meeting
        bump_version(locked)
        locked.save()
    return locked


def is_final_meeting(meeting: Meeting) -> bool:
    """The group is being wound up (a closing date, or no longer active) and no later meeting of it
    is to come."""
    group = meeting.group
    closing = group.closes_on is not None or not group.is_active
    later = (
        Meeting.objects.filter(group_id=group.pk, starts_at__gt=meeting.starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .exists()
    )
    return closing and not later


def approve_final_minutes(meeting: Meeting, by: Any) -> Meeting:
    """The chair approves the minutes of a closing group's final meeting by chair's action (there is
    no later meeting to approve them), recorded as a decision that needs no ratifying."""
    from safeboard.governance.members.services import record_decisions

    with transaction.atomic():
        locked = Meeting.objects.select_for_update(of=("self",)).select_related("group__partnership").get(pk=meeting.pk)
        group = locked.group
        if group.chair_id != by.pk:
            raise ServiceError("Only the chair of the group approves minutes by chair's action.")
        if locked.minutes_status != MinutesStatus.DRAFT:
            raise ServiceError("Only draft minutes can be approved.")
        if not is_final_meeting(locked):
            raise ServiceError(
                "Chair's action is for the minutes of a group's final meeting. These minutes are approved at "
                "the group's next meeting."
            )
        needs_answer = group.kind == GroupKind.BOARD and group.partnership.minutes_need_difference_for_children
        if needs_answer and not locked.difference_for_children.strip():
            raise ServiceError("Record ‘What difference will this make for children?’ before approving.")
        now = timezone.now()
        locked.minutes_status = MinutesStatus.APPROVED
        locked.minutes_approved_by_chair_at = now
        bump_version(locked)
        locked.save()
        record = ItemDecision(
            group=group,
            decision=f"The minutes of the final meeting, on {day_text(locked.starts_at)}, were approved.",
            means=DecisionMeans.CHAIRS_ACTION,
            decided_on=timezone.localdate(),
            needs_ratification=False,
            recorded_at=now,
        )
        record.save()
        record.decided_by.set([by])
        record_decisions(locked)
    return locked
