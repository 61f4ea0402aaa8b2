"""Board business and the action log at national scale: data and scenarios for ``make bench``.

Per partnership (the partnership count follows ``--scale``; these per-partnership sizes do not):

* governance: a board and three groups below it (one, the case review group, members only, with a
  board member of the measured partnership seated on it and 1–3 papers on each of its agenda items),
  about 12 seats on each (people with a role in the
  partnership, for the agency they work for; some seats start or end during the year), 40 meetings
  in the current business year (held before today, scheduled after), 2–3 agenda items each,
  attendance for every seat held on the day of each held meeting, and a business plan with three
  priorities and six objectives;
* 2,000 actions (``A-0001``…) owned by people of the partnership for their agency, in all five
  states, due from a year ago to a year ahead; about a third come from an agenda item or an
  objective; progress updates and evidence on those under way or finished.

Everything is written with ``bulk_create``, which bypasses the audit signals: the change log holds
no entries for these records (synthetic data only).
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter, defaultdict
from collections.abc import Iterable
from types import SimpleNamespace
from urllib.parse import parse_qs, urlencode, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.db.models import Count, Q
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from benchmarks.generate import GenerationContext, Person, bulk, generator_step
from benchmarks.scenarios import NEXT_LINK, PAGE_ROWS, Prepared, World, scenario
from safeboard.accounts.models import User
from safeboard.actions.filters import ActionFilter
from safeboard.actions.models import (
    Action,
    ActionEvidence,
    ActionPriority,
    ActionStatus,
    ActionUpdate,
    EvidenceReview,
)
from safeboard.actions.views import ActionListView
from safeboard.core.models import Partnership
from safeboard.core.pagination import _SALT as KEYSET_SALT
from safeboard.core.pagination import _after as keyset_condition
from safeboard.core.permissions import Role
from safeboard.governance.meetings.choices import EXPECTED_TO_ATTEND, default_access
from safeboard.governance.meetings.views import MeetingListView
from safeboard.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    BusinessPlan,
    Group,
    GroupKind,
    GroupMember,
    ItemPurpose,
    Meeting,
    MeetingFrequency,
    MeetingStatus,
    MemberType,
    MinutesStatus,
    Objective,
    Paper,
    Priority,
    business_year_of,
)
from safeboard.governance.oversight import reports

ACTIONS_PER_PARTNERSHIP = 2_000
MEETINGS_PER_YEAR = 40  # across the board and its three subgroups
SEATS_PER_GROUP = (10, 14)
ACTION_PAGE = 20  # the keyset scenario follows "Next" to this page
ACTION_CHUNK = 20_000  # actions built and written at a time (with their updates and evidence)

# The groups below the board: two open subgroups and a case review group, members only by its kind
# (issue 9: a members-only group's meetings and papers are read by its seat holders, not by every
# board reader), so the meeting list and the papers are measured under that rule.
SUBGROUPS = (
    ("Quality Assurance Subgroup", GroupKind.SUBGROUP),
    ("Case Review Group", GroupKind.CASE_REVIEW),
    ("Learning and Development Subgroup", GroupKind.SUBGROUP),
)
PAPERS_PER_MEMBERS_ONLY_ITEM = (1, 3)
ITEM_TITLES = (
    ("Quarterly performance report", ItemPurpose.DISCUSSION),
    ("Learning from a rapid review", ItemPurpose.DISCUSSION),
    ("Section 11 self-assessment results", ItemPurpose.INFORMATION),
    ("Neglect strategy: progress", ItemPurpose.DECISION),
    ("Multi-agency audit: children missing education", ItemPurpose.DISCUSSION),
    ("Training take-up and impact", ItemPurpose.INFORMATION),
    ("Budget and contributions", ItemPurpose.DECISION),
    ("Exploitation profile update", ItemPurpose.DISCUSSION),
    ("Escalation policy review", ItemPurpose.DECISION),
    ("Voice of the child: what young people told us", ItemPurpose.DISCUSSION),
)
PRIORITIES = (
    "Spot neglect earlier and act on it together",
    "Keep children safe from exploitation and going missing",
    "Hear children's voices in everything we do",
)
ACTION_VERBS = ("Share", "Agree", "Publish", "Audit", "Report on", "Brief partners on", "Review", "Embed")
ACTION_TOPICS = (
    "the neglect toolkit",
    "return interview completion by locality",
    "the escalation procedure",
    "the rapid review themes",
    "missing episodes shared with schools",
    "strategy discussion timeliness",
    "the seven-minute briefing",
    "early help assessments",
    "information sharing between health and schools",
    "the exploitation screening tool",
)
THEMES = (
    "Neglect",
    "Exploitation",
    "Voice of the child",
    "Early help",
    "Information sharing",
    "Domestic abuse",
    "Mental health",
    "Missing children",
)
# States by whether the due date has passed: most past-due actions are finished, most others live.
PAST_DUE_STATES = {
    ActionStatus.OPEN: 10,
    ActionStatus.IN_PROGRESS: 25,
    ActionStatus.AWAITING_REVIEW: 10,
    ActionStatus.CLOSED: 45,
    ActionStatus.CANCELLED: 10,
}
FUTURE_STATES = {
    ActionStatus.OPEN: 30,
    ActionStatus.IN_PROGRESS: 40,
    ActionStatus.AWAITING_REVIEW: 10,
    ActionStatus.CLOSED: 15,
    ActionStatus.CANCELLED: 5,
}
# Attendance at a held meeting: present, apologies, a deputy came, absent without apologies.
ATTENDANCE_WEIGHTS = {
    AttendanceStatus.PRESENT: 72,
    AttendanceStatus.APOLOGIES: 14,
    AttendanceStatus.DEPUTY: 8,
    AttendanceStatus.ABSENT: 6,
}


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _weekday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def _people_by_partnership(ctx: GenerationContext) -> dict[int, list[Person]]:
    """Everyone with a role in each partnership (once each, in a stable order)."""
    found: dict[int, dict[int, Person]] = defaultdict(dict)
    for role in ctx.roles:
        found[role.partnership_id].setdefault(role.person.id, role.person)
    return {pid: list(people.values()) for pid, people in found.items()}


def _chairs(ctx: GenerationContext) -> dict[int, Person]:
    return {r.partnership_id: r.person for r in ctx.roles if r.role == Role.INDEPENDENT_CHAIR}


# --- Board business ---------------------------------------------------------------------------------------------


@generator_step("governance")
def make_governance(ctx: GenerationContext) -> None:
    """Per partnership: a board and three subgroups with their seats, 40 meetings this business year with
    agenda items and attendance, and a business plan with priorities and objectives."""
    rng = ctx.rng
    today = timezone.localdate()
    now = timezone.now()
    people = _people_by_partnership(ctx)
    chairs = _chairs(ctx)
    partnerships = ctx.partnerships

    # Groups: the board first, then its subgroups (which report to it).
    boards = bulk(
        Group,
        [
            Group(
                partnership=p,
                name=f"{ctx.places[p.pk]} Safeguarding Children Partnership Board",
                kind=GroupKind.BOARD,
                access=default_access(GroupKind.BOARD),  # bulk_create skips save(), which sets it
                meeting_frequency=MeetingFrequency.MONTHLY,
                chair_id=chairs[p.pk].id if p.pk in chairs else None,
                attendance_required=8,
                attendance_out_of=10,
                terms_of_reference="Sets the partnership's priorities and holds agencies to account.",
            )
            for p in partnerships
        ],
    )
    subgroups = bulk(
        Group,
        [
            Group(
                partnership_id=board.partnership_id,
                name=name,
                kind=kind,
                access=default_access(kind),
                parent=board,
                meeting_frequency=MeetingFrequency.MONTHLY,
                chair_id=rng.choice(people[board.partnership_id]).id,
            )
            for board in boards
            for name, kind in SUBGROUPS
        ],
    )
    groups_of: dict[int, list[Group]] = defaultdict(list)
    for group in [*boards, *subgroups]:
        groups_of[group.partnership_id].append(group)

    # Seats. Most were taken before the year; some start during it, some end during it (and are
    # filled again the day after), so the dashboard's "seat held on the day" window matters.
    years = {p.pk: business_year_of(today, p.business_year_start_month) for p in partnerships}
    bounds = {p.pk: reports.business_year_dates(p, years[p.pk]) for p in partnerships}
    seats: list[GroupMember] = []
    for p in partnerships:
        start, end = bounds[p.pk]
        pool = people[p.pk]
        for group in groups_of[p.pk]:
            chosen = rng.sample(pool, min(len(pool), rng.randint(*SEATS_PER_GROUP)))
            for i, person in enumerate(chosen):
                lay = group.kind == GroupKind.BOARD and i == len(chosen) - 1
                member_type = (
                    MemberType.LAY_MEMBER if lay else MemberType.ADVISER if rng.random() < 0.08 else MemberType.MEMBER
                )
                roll = rng.random()
                if roll < 0.12:  # joined during the year
                    starts_on, ends_on = start + dt.timedelta(days=rng.randint(20, 250)), None
                else:
                    starts_on = start - dt.timedelta(days=rng.randint(30, 1_100))
                    ends_on = start + dt.timedelta(days=rng.randint(20, 250)) if roll > 0.90 else None
                seat = GroupMember(
                    group=group,
                    person_id=person.id,
                    member_type=member_type,
                    agency_id=None if lay else person.agency_id,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    agreement_signed_on=starts_on + dt.timedelta(days=rng.randint(0, 40)),
                )
                seats.append(seat)
                if ends_on is not None:  # someone else takes the seat over the next day
                    successor = rng.choice(pool)
                    seats.append(
                        GroupMember(
                            group=group,
                            person_id=successor.id,
                            member_type=MemberType.MEMBER,
                            agency_id=successor.agency_id,
                            starts_on=ends_on + dt.timedelta(days=1),
                        )
                    )
    # The measured partnership's members-only group seats a board member for the benchmark to sign in
    # as: they read its meetings and papers through their seat, not through their role.
    measured = partnerships[0]
    members_only = next(g for g in groups_of[measured.pk] if g.kind == GroupKind.CASE_REVIEW)
    seated = {seat.person_id for seat in seats if seat.group is members_only}
    reader = next(
        (r.person for r in ctx.roles if r.partnership_id == measured.pk and r.role == Role.BOARD_MEMBER),
        None,
    ) or next(
        r.person for r in ctx.roles if r.partnership_id == measured.pk and r.role == Role.AGENCY_SAFEGUARDING_LEAD
    )
    if reader.id not in seated:
        start, _ = bounds[measured.pk]
        seats.append(
            GroupMember(
                group=members_only,
                person_id=reader.id,
                member_type=MemberType.MEMBER,
                agency_id=reader.agency_id,
                starts_on=start - dt.timedelta(days=400),
            )
        )
    ctx.marks.update(members_only_group=members_only.pk, members_only_reader=reader.id)
    seats = bulk(GroupMember, seats)
    seats_of: dict[int, list[GroupMember]] = defaultdict(list)
    for seat in seats:
        seats_of[seat.group_id].append(seat)

    # Meetings: 40 in the business year, spread across the four groups (about monthly each).
    meetings: list[Meeting] = []
    for p in partnerships:
        start, end = bounds[p.pk]
        span = (end - start).days
        groups = groups_of[p.pk]
        for i in range(MEETINGS_PER_YEAR):
            group = groups[i % len(groups)]
            day = _weekday(start + dt.timedelta(days=int((i + rng.random()) * span / MEETINGS_PER_YEAR)))
            if day >= end:
                day = end - dt.timedelta(days=3)
            starts_at = _at(day, rng.choice((9, 10, 13, 14)))
            held = starts_at < now
            meetings.append(
                Meeting(
                    group=group,
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(hours=2),
                    venue=f"{ctx.places[p.pk]} Civic Centre, Committee Room {rng.randint(1, 4)}",
                    status=MeetingStatus.HELD if held else MeetingStatus.SCHEDULED,
                    invitations_sent_at=starts_at - dt.timedelta(days=40),
                    papers_circulated_at=starts_at - dt.timedelta(days=7) if held else None,
                    minutes_status=(
                        MinutesStatus.PUBLISHED
                        if held and starts_at < now - dt.timedelta(days=45)
                        else MinutesStatus.DRAFT
                        if held
                        else MinutesStatus.NONE
                    ),
                )
            )
    meetings = bulk(Meeting, meetings)
    group_by_id = {g.pk: g for groups in groups_of.values() for g in groups}

    items: list[AgendaItem] = []
    attendance: list[Attendance] = []
    for meeting in meetings:
        group = group_by_id[meeting.group_id]
        held = meeting.status == MeetingStatus.HELD
        group_seats = seats_of[group.pk]
        agencies = ctx.agencies_by_partnership[group.partnership_id]
        for number, (title, purpose) in enumerate(rng.sample(ITEM_TITLES, rng.randint(2, 3)), start=1):
            items.append(
                AgendaItem(
                    meeting=meeting,
                    number=number,
                    title=title,
                    purpose=purpose,
                    presenter_id=rng.choice(group_seats).person_id if group_seats else None,
                    agency_id=rng.choice(agencies),
                    minutes_allowed=rng.choice((10, 15, 20, 30)),
                    discussion="Members discussed the report and asked for figures by locality." if held else "",
                    decisions="Agreed the recommendations, with the changes noted." if held else "",
                )
            )
        if not held:
            continue
        day = timezone.localtime(meeting.starts_at).date()
        statuses = rng.choices(list(ATTENDANCE_WEIGHTS), weights=list(ATTENDANCE_WEIGHTS.values()), k=len(group_seats))
        for seat, status in zip(group_seats, statuses, strict=True):
            if not seat.seated_on(day):
                continue
            deputy = rng.choice(people[group.partnership_id]).id if status == AttendanceStatus.DEPUTY else None
            attendance.append(Attendance(meeting=meeting, member=seat, status=status, deputy_id=deputy))
    items = bulk(AgendaItem, items)
    bulk(Attendance, attendance)

    # Papers on the agenda items of members-only groups (the files themselves are not needed: the
    # pages list the papers, a download is another request).
    members_only_ids = {g.pk for g in group_by_id.values() if g.kind in (GroupKind.CASE_REVIEW,)}
    meeting_by_id = {m.pk: m for m in meetings}
    papers = bulk(
        Paper,
        [
            Paper(
                item=item,
                title=f"{item.title}: paper {n}",
                file="governance/papers/benchmark.pdf",
                uploaded_by_id=chairs[group_by_id[meeting_by_id[item.meeting_id].group_id].partnership_id].id
                if group_by_id[meeting_by_id[item.meeting_id].group_id].partnership_id in chairs
                else rng.choice(people[group_by_id[meeting_by_id[item.meeting_id].group_id].partnership_id]).id,
                uploaded_at=meeting_by_id[item.meeting_id].starts_at - dt.timedelta(days=rng.randint(3, 12)),
                agency_id=item.agency_id,
                confidential_reason="child_or_family" if n == 1 and rng.random() < 0.3 else "",
            )
            for item in items
            if meeting_by_id[item.meeting_id].group_id in members_only_ids
            for n in range(1, rng.randint(*PAPERS_PER_MEMBERS_ONLY_ITEM) + 1)
        ],
    )
    # The papers page measured: the members-only group's latest held meeting in the measured partnership.
    held_members_only = [m for m in meetings if m.group_id == members_only.pk and m.status == MeetingStatus.HELD] or [
        m for m in meetings if m.group_id == members_only.pk
    ]
    ctx.marks["members_only_meeting"] = max(held_members_only, key=lambda m: m.starts_at).pk

    # A three-year business plan: three priorities, an objective for each of the first two years.
    plans = bulk(
        BusinessPlan,
        [
            BusinessPlan(
                partnership=p,
                title=f"Business plan {years[p.pk]} to {years[p.pk] + 3}",
                first_year=years[p.pk],
                last_year=years[p.pk] + 2,
            )
            for p in partnerships
        ],
    )
    priorities = bulk(
        Priority,
        [
            Priority(
                plan=plan,
                number=number,
                title=title,
                sponsor_id=rng.choice(seats_of[groups_of[plan.partnership_id][0].pk]).person_id,
                rationale="Local data, audits and reviews, and what children told the board.",
            )
            for plan in plans
            for number, title in enumerate(PRIORITIES, start=1)
        ],
    )
    objectives = bulk(
        Objective,
        [
            Objective(
                priority=priority,
                business_year=priority.plan.first_year + offset,
                text=f"{('Agree', 'Embed')[offset]} a shared approach across agencies for priority {priority.number}",
            )
            for priority in priorities
            for offset in range(2)
        ],
    )

    ctx.counts.update(
        groups=len(boards) + len(subgroups),
        group_seats=len(seats),
        meetings=len(meetings),
        agenda_items=len(items),
        members_only_papers=len(papers),
        attendance_records=len(attendance),
        objectives=len(objectives),
    )


# --- The action log ---------------------------------------------------------------------------------------------


def _action_sources() -> dict[int, dict[str, list[tuple[int, str]]]]:
    """Per partnership, what actions come from: agenda items of held meetings, and plan objectives,
    each as (id, the label ``create_action`` would keep: ``str(record)``)."""
    sources: dict[int, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: {"item": [], "objective": []})
    items = AgendaItem.objects.filter(meeting__status=MeetingStatus.HELD).order_by("id")
    for pk, pid, number, title in items.values_list("pk", "meeting__group__partnership_id", "number", "title"):
        sources[pid]["item"].append((pk, f"{number}. {title}"[:300]))
    objectives = Objective.objects.order_by("id").values_list("pk", "priority__plan__partnership_id", "text")
    for pk, pid, text in objectives:
        sources[pid]["objective"].append((pk, text[:80]))
    return sources


@generator_step("actions")
def make_actions(ctx: GenerationContext) -> None:
    """2,000 actions per partnership, with progress updates and evidence on those under way or done."""
    rng = ctx.rng
    today = timezone.localdate()
    now = timezone.now()
    people = _people_by_partnership(ctx)
    sources = _action_sources()
    item_type = ContentType.objects.get_for_model(AgendaItem).pk
    objective_type = ContentType.objects.get_for_model(Objective).pk
    biggest = ctx.partnerships[0].pk
    totals: Counter[str] = Counter()
    agency_counts: Counter[int] = Counter()  # actions per agency in the biggest partnership

    def planned(partnership: Partnership) -> Iterable[Action]:
        pid = partnership.pk
        pool = people[pid]
        # Actions fall to a minority of people (managers, leads), some of whom own many.
        owners = rng.sample(pool, max(20, min(300, len(pool) // 10)))
        owner_weights = [1 / (rank + 5) for rank in range(len(owners))]
        agencies = ctx.agencies_by_partnership[pid]
        local_agencies = set(agencies)
        admins = ctx.administrators.get(pid) or owners
        linked = sources.get(pid, {"item": [], "objective": []})
        picked = rng.choices(owners, weights=owner_weights, k=ACTIONS_PER_PARTNERSHIP)
        for number, owner in enumerate(picked, start=1):
            offset = rng.randint(-365, 365)
            weights = PAST_DUE_STATES if offset < 0 else FUTURE_STATES
            status = rng.choices(list(weights), weights=list(weights.values()))[0]
            agency_id = owner.agency_id if owner.agency_id in local_agencies else rng.choice(agencies)
            action = Action(
                partnership_id=pid,
                reference=f"A-{number:04d}",
                title=f"{rng.choice(ACTION_VERBS)} {rng.choice(ACTION_TOPICS)}",
                detail="Agreed at the meeting; the owner reports progress each quarter.",
                owner_id=owner.id,
                agency_id=agency_id,
                due_date=today + dt.timedelta(days=offset),
                priority=rng.choices(
                    (ActionPriority.HIGH, ActionPriority.MEDIUM, ActionPriority.LOW), weights=(25, 50, 25)
                )[0],
                status=status,
                theme=rng.choice(THEMES) if rng.random() < 0.8 else "",
                created_by_id=rng.choice(admins).id,
            )
            roll = rng.random()
            if roll < 0.22 and linked["item"]:
                source_id, action.source_label = rng.choice(linked["item"])
                action.source_type_id, action.source_id = item_type, str(source_id)
            elif roll < 0.34 and linked["objective"]:
                source_id, action.source_label = rng.choice(linked["objective"])
                action.source_type_id, action.source_id = objective_type, str(source_id)
            if status == ActionStatus.CLOSED:
                action.closed_at = now - dt.timedelta(days=rng.randint(1, 300), hours=rng.randint(0, 23))
                action.closed_by_id = rng.choice(admins).id
                action.closure_reason = "The evidence shows the change reached every agency."
            elif status == ActionStatus.CANCELLED:
                action.closure_reason = "Superseded by the partnership's new strategy."
            if pid == biggest:
                agency_counts[agency_id] += 1
            yield action

    def write(actions: list[Action]) -> None:
        actions = bulk(Action, actions)
        updates: list[ActionUpdate] = []
        evidence: list[ActionEvidence] = []
        for action in actions:
            totals[action.status] += 1
            if action.status in (ActionStatus.OPEN, ActionStatus.CANCELLED):
                continue
            for _ in range(rng.choices((0, 1, 2), weights=(50, 40, 10))[0]):
                updates.append(
                    ActionUpdate(
                        action=action,
                        author_id=action.owner_id,
                        written_at=now - dt.timedelta(days=rng.randint(1, 300)),
                        text="Work has started; the first draft has been shared with partners.",
                    )
                )
            accepted = action.status == ActionStatus.CLOSED
            if action.status == ActionStatus.AWAITING_REVIEW or (accepted and rng.random() < 0.6):
                evidence.append(
                    ActionEvidence(
                        action=action,
                        description="Minutes of the briefing and the attendance list.",
                        link="https://intranet.example.invalid/briefing",
                        added_by_id=action.owner_id,
                        added_at=now - dt.timedelta(days=rng.randint(1, 300)),
                        review=EvidenceReview.ACCEPTED if accepted else EvidenceReview.PENDING,
                        reviewed_by_id=action.closed_by_id if accepted else None,
                        reviewed_at=action.closed_at if accepted else None,
                    )
                )
        bulk(ActionUpdate, updates)
        bulk(ActionEvidence, evidence)
        totals["updates"] += len(updates)
        totals["evidence"] += len(evidence)

    chunk: list[Action] = []
    for partnership in ctx.partnerships:
        chunk.extend(planned(partnership))
        if len(chunk) >= ACTION_CHUNK:
            write(chunk)
            chunk = []
    if chunk:
        write(chunk)
    # Each partnership's reference counter, as create_action would have left it.
    Partnership.objects.filter(pk__in=[p.pk for p in ctx.partnerships]).update(
        last_action_number=ACTIONS_PER_PARTNERSHIP
    )
    print(f"    {sum(totals[s] for s in ActionStatus.values):,} actions", flush=True)
    # The filtered scenario looks at one agency's overdue actions: the agency with the most actions.
    ctx.marks["action_agency"] = agency_counts.most_common(1)[0][0]
    ctx.counts.update(
        actions=sum(totals[s] for s in ActionStatus.values),
        action_updates=totals["updates"],
        action_evidence=totals["evidence"],
    )


# --- Scenarios ----------------------------------------------------------------------------------------------------


def action_log_query(world: World, params: dict[str, str] | None = None, cursor: str = "") -> models.QuerySet:
    """What ``ActionListView`` (``ActionLogMixin`` on ``ScopedListView``) asks for one page of rows."""
    user, partnership = world.partnership_admin, world.partnership
    queryset = (
        Action.objects.visible_to(user, ActionListView.permission_action, partnership=partnership)
        .in_partnership(partnership)
        .select_related(*ActionListView.select_related)
        .with_rag(partnership.action_amber_days)
    )
    # Always through the filters, as the page does: with none chosen they keep the live actions.
    request = SimpleNamespace(partnership=partnership, user=user)
    filterset = ActionFilter(QueryDict(urlencode(params or {})), queryset=queryset, request=request)
    assert filterset.is_valid(), filterset.errors
    queryset = filterset.qs
    if cursor:
        values = signing.loads(cursor, salt=KEYSET_SALT)["v"]
        queryset = queryset.filter(keyset_condition(ActionListView.ordering, values, False))
    return queryset.order_by(*ActionListView.ordering)[: PAGE_ROWS + 1]


@scenario("action log (first page)")
def action_log_first_page(world: World) -> Prepared:
    return Prepared(
        world.browser(world.partnership_admin),
        reverse("actions:action-list"),
        expect="govuk-table",
        queryset=action_log_query(world),
    )


@scenario("action log (filtered: overdue, one agency)")
def action_log_filtered(world: World) -> Prepared:
    params = {"rag": "red", "agency": str(world.marks["action_agency"])}
    queryset = action_log_query(world, params)
    rows = len(list(queryset.all()))
    shown = f"{rows}" if rows <= PAGE_ROWS else f"more than {PAGE_ROWS}"
    return Prepared(
        world.browser(world.partnership_admin),
        f"{reverse('actions:action-list')}?{urlencode(params)}",
        expect="govuk-table",
        queryset=queryset,
        note=f"{shown} overdue actions of one agency (the one with the most actions in the partnership)",
    )


@scenario(f"action log (page {ACTION_PAGE} via keyset cursor)")
def action_log_deep_page(world: World) -> Prepared:
    client = world.browser(world.partnership_admin)
    base = reverse("actions:action-list")
    path, page = base, 1
    while page < ACTION_PAGE:  # follow "Next" from page 1, as a person would
        found = NEXT_LINK.search(client.get(path).content.decode())
        if found is None:
            break
        path, page = base + html.unescape(found.group(1)), page + 1
    if page == 1:
        raise RuntimeError("The action log has a single page at this scale: nothing to page through.")
    cursor = parse_qs(urlsplit(path).query)["cursor"][0]
    note = "" if page == ACTION_PAGE else f"the log has only {page} pages at this scale: page {page} was timed"
    return Prepared(client, path, expect="govuk-table", queryset=action_log_query(world, cursor=cursor), note=note)


@scenario("API actions list (personal token)", budget=False)
def api_actions(world: World) -> Prepared:
    # ActionViewSet.get_queryset (the filters are empty), then the cursor pagination's ordering.
    queryset = (
        Action.objects.visible_to(world.partnership_admin)
        .select_related("partnership", "owner", "agency", "source_type")
        .order_by("id")[: PAGE_ROWS + 1]
    )
    return Prepared(
        Client(),
        reverse("api:action-list"),
        expect='"results"',
        queryset=queryset,
        headers=world.api_headers(world.partnership_admin),
    )


def attendance_query(world: World) -> models.QuerySet:
    """The dashboard's per-member aggregate: meetings expected of each seat held during the business
    year (``reports.expected_by(in_year, "id", …)`` inside ``reports.attendance_dashboard``)."""
    user, partnership = world.partnership_admin, world.partnership
    start, end = reports.business_year_dates(partnership, reports.current_business_year(partnership))
    seats = GroupMember.objects.visible_to(user, "count").in_partnership(partnership)
    in_year = (
        seats.filter(starts_on__lt=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .filter(member_type__in=list(EXPECTED_TO_ATTEND))
    )
    held = reports._meeting_counts("group__meetings__", start, end) & reports._seat_window("group__meetings__", "")
    return (
        in_year.order_by()
        .values("id")
        .annotate(expected=Count("group__meetings", filter=held), seats=Count("id", distinct=True))
    )


@scenario("attendance dashboard (business year)")
def attendance_dashboard(world: World) -> Prepared:
    return Prepared(
        world.browser(world.partnership_admin),
        reverse("governance:attendance"),
        expect="By member",
        queryset=attendance_query(world),
    )


# --- A members-only group: its meetings and papers, read by one of its members --------------------------------


def members_only_reader(world: World) -> User:
    return User.objects.get(pk=world.marks["members_only_reader"])


def members_only_meetings_query(world: World) -> models.QuerySet:
    """What ``MeetingListView`` asks for the first page, filtered to the members-only group."""
    user, partnership = members_only_reader(world), world.partnership
    return (
        Meeting.objects.visible_to(user, partnership=partnership)
        .in_partnership(partnership)
        .select_related("group")
        .filter(group_id=world.marks["members_only_group"])
        .order_by(*MeetingListView.ordering)[: PAGE_ROWS + 1]
    )


@scenario("meeting list (members-only group)")
def members_only_meeting_list(world: World) -> Prepared:
    group = Group.objects.get(pk=world.marks["members_only_group"])
    return Prepared(
        world.browser(members_only_reader(world)),
        f"{reverse('governance:meeting-list')}?{urlencode({'group': group.pk})}",
        expect=html.escape(group.name),
        queryset=members_only_meetings_query(world),
        note="As a board member seated on the case review group (members only): the rule reads their seat.",
    )


@scenario("papers of a members-only meeting")
def members_only_papers(world: World) -> Prepared:
    meeting = Meeting.objects.select_related("group").get(pk=world.marks["members_only_meeting"])
    user = members_only_reader(world)
    return Prepared(
        world.browser(user),
        reverse("governance:meeting-detail", args=[meeting.pk]),
        expect=html.escape(meeting.group.name),
        # MeetingDetailView's papers: every paper of the meeting the person may read.
        queryset=Paper.objects.visible_to(user).filter(item__meeting=meeting).select_related("agency").order_by("id"),
    )
