"""Invented demo data for board business: a year of meetings, attendance and minutes, a business
plan with three priorities, challenges, funding, and 200 actions in every state."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from safeboard.accounts.demo import DEMO_STEPS, DemoWorld
from safeboard.accounts.models import User
from safeboard.actions.models import ActionEvidence, ActionStatus, ActionUpdate, EvidenceReview
from safeboard.actions.services import create_action
from safeboard.governance.models import (
    AbsenceFollowUp,
    AccountabilitySession,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    BusinessPlan,
    Challenge,
    ChallengeStatus,
    FundingAgreement,
    FundingContribution,
    FundingStep,
    Group,
    GroupKind,
    GroupMember,
    ItemPurpose,
    LayMemberInduction,
    Measure,
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

# A one-page PDF, written once, used as every demo paper (made with WeasyPrint on first use).
_PAPER_PDF: bytes | None = None


def _paper_pdf() -> bytes:
    global _PAPER_PDF
    if _PAPER_PDF is None:
        from weasyprint import HTML

        _PAPER_PDF = HTML(
            string="<h1>Demo paper</h1><p>An invented paper for the Safeboard demonstration.</p>"
        ).write_pdf()
    return _PAPER_PDF


ITEM_TITLES = [
    ("Quarterly performance report", ItemPurpose.DISCUSSION),
    ("Learning from a rapid review", ItemPurpose.DISCUSSION),
    ("Section 11 self-assessment results", ItemPurpose.INFORMATION),
    ("Neglect strategy: progress", ItemPurpose.DECISION),
    ("Multi-agency audit: children missing education", ItemPurpose.DISCUSSION),
    ("Training take-up and impact", ItemPurpose.INFORMATION),
    ("Budget and contributions", ItemPurpose.DECISION),
    ("Exploitation profile update", ItemPurpose.DISCUSSION),
]
ACTION_TITLES = [
    "Share the audit findings with all designated safeguarding leads",
    "Add neglect screening questions to the health visiting contact",
    "Report return interview completion by locality each quarter",
    "Brief night-time economy staff on exploitation signs",
    "Update the escalation procedure and consult partners",
    "Run a learning workshop on the rapid review themes",
    "Agree a joint neglect toolkit with schools",
    "Check that missing episodes are shared with schools within a day",
    "Publish a seven-minute briefing on the review",
    "Re-audit strategy discussions in six months",
]
THEMES = ["Neglect", "Exploitation", "Voice of the child", "Early help", "Information sharing"]


# Confidential items the demo's members-only panels (and twice a year the board) discuss: the title, the
# reason and what the minutes say. Invented, and naming no one.
CONFIDENTIAL_ITEMS = {
    GroupKind.CASE_REVIEW: (
        "Rapid reviews: referrals received this quarter",
        "child_or_family",
        "The group went through each referral and agreed which need a local review.",
    ),
    GroupKind.CHILD_DEATH: (
        "Deaths reviewed this month",
        "child_or_family",
        "The panel reviewed the deaths notified and recorded the modifiable factors it found.",
    ),
    "board": (
        "Independent scrutineer contract",
        "commercial",
        "The board considered the bids and the prices offered.",
    ),
}


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def build(world: DemoWorld) -> None:
    rng = random.Random(1989)
    partnership = world.partnerships["nm"]
    people = world.people
    admin = people["admin"]
    today = timezone.localdate()
    year = business_year_of(today, partnership.business_year_start_month)
    year_start = dt.date(year, partnership.business_year_start_month, 1)
    agencies = list(partnership.agencies.order_by("name"))
    extra_people = list(User.objects.filter(memberships__partnership=partnership, password__startswith="!")[:20])

    # --- Groups and seats -------------------------------------------------------------------------------
    board = Group.objects.create(
        partnership=partnership,
        name="Northmoor Safeguarding Children Partnership Board",
        kind=GroupKind.BOARD,
        meeting_frequency=MeetingFrequency.BIMONTHLY,
        chair=people["chair"],
        vice_chair=people["board"],
        terms_of_reference="Sets the partnership's priorities, holds agencies to account and signs off the annual report.",
    )
    executive = Group.objects.create(
        partnership=partnership,
        name="Executive Group",
        kind=GroupKind.EXECUTIVE,
        parent=board,
        meeting_frequency=MeetingFrequency.QUARTERLY,
        chair=people["board"],
    )
    subgroups = [
        Group.objects.create(
            partnership=partnership,
            name=name,
            kind=kind,
            parent=executive,
            meeting_frequency=MeetingFrequency.QUARTERLY,
            chair=chair,
        )
        for name, kind, chair in (
            ("Quality Assurance Subgroup", GroupKind.SUBGROUP, people["qa"]),
            # Members only (its kind's default): it discusses named children.
            ("Case Review Group", GroupKind.CASE_REVIEW, people["reviews"]),
            ("Learning and Development Subgroup", GroupKind.SUBGROUP, people["training"]),
            ("Exploitation and Missing Subgroup", GroupKind.SUBGROUP, people["exploitation"]),
        )
    ]
    cdop = Group.objects.create(
        partnership=partnership,
        name="Child Death Overview Panel",
        kind=GroupKind.CHILD_DEATH,  # members only, as every panel that discusses children
        parent=board,
        meeting_frequency=MeetingFrequency.MONTHLY,
        chair=people["cdop"],
        attendance_required=8,
        attendance_out_of=12,
    )
    seat_start = year_start - dt.timedelta(days=400)
    board_people = [
        people[k] for k in ("chair", "board", "lead.police", "qa", "reviews", "cdop", "admin")
    ] + extra_people[:8]
    seats: dict[int, list[GroupMember]] = {}
    for group, members in (
        (board, board_people),
        (executive, board_people[:6]),
        (cdop, [people["cdop"], people["practitioner.health"], people["lead.police"], *extra_people[8:12]]),
        *[(g, [g.chair, people["practitioner"], *extra_people[12 + i : 16 + i]]) for i, g in enumerate(subgroups)],
    ):
        seats[group.pk] = []
        for person in dict.fromkeys(members):  # no one sits twice
            seats[group.pk].append(
                GroupMember.objects.create(
                    group=group,
                    person=person,
                    member_type=MemberType.MEMBER,
                    agency=person.agency,
                    starts_on=seat_start,
                    agreement_signed_on=seat_start + dt.timedelta(days=20),
                )
            )
    # A named deputy for the police lead, and the lay member who joined this year.
    police_seat = next(s for s in seats[board.pk] if s.person == people["lead.police"])
    deputy = extra_people[-1] if extra_people else people["practitioner"]
    GroupMember.objects.create(
        group=board,
        person=deputy,
        member_type=MemberType.DEPUTY,
        agency=police_seat.agency,
        deputy_for=police_seat,
        starts_on=seat_start,
    )
    # The lay member joined about seven months ago: the six-month meeting with the chair is overdue
    # (My work tells both the lay member and the business manager), whatever the date of the demo.
    lay_seat = GroupMember.objects.create(
        group=board,
        person=people["lay"],
        member_type=MemberType.LAY_MEMBER,
        starts_on=today - dt.timedelta(days=200),
    )
    seats[board.pk].append(lay_seat)
    LayMemberInduction.objects.create(
        member=lay_seat, pack_sent_on=lay_seat.starts_on + dt.timedelta(days=5), buddy=people["board"]
    )

    # --- A year of meetings -----------------------------------------------------------------------------------
    def months(step: int) -> list[dt.date]:
        return [
            dt.date(year + (m - 1) // 12, (m - 1) % 12 + 1, 14)
            for m in range(partnership.business_year_start_month, partnership.business_year_start_month + 12, step)
        ]

    held_meetings: list[Meeting] = []
    for group, step in ((board, 2), (executive, 3), (cdop, 1), *[(g, 3) for g in subgroups]):
        previous: Meeting | None = None
        days = months(step)
        last_held = max((d for d in days if d < today), default=None)
        for day in days:
            held = day < today
            # The exploitation subgroup's latest meeting is held with no attendance or minutes yet:
            # the business manager's "attendance to record" on My work.
            unrecorded = group == subgroups[-1] and day == last_held
            meeting = Meeting.objects.create(
                group=group,
                starts_at=_at(day, 10),
                ends_at=_at(day, 12),
                venue="Northmoor Civic Centre, Committee Room 2",
                online_link="https://meet.example.org/northmoor",
                status=MeetingStatus.HELD if held else MeetingStatus.SCHEDULED,
                invitations_sent_at=_at(day - dt.timedelta(days=40), 9),
                papers_circulated_at=_at(day - dt.timedelta(days=7), 9) if held else None,
            )
            for number, (title, purpose) in enumerate(rng.sample(ITEM_TITLES, 3), start=1):
                agency = rng.choice(agencies)
                item = AgendaItem.objects.create(
                    meeting=meeting,
                    number=number,
                    title=title,
                    purpose=purpose,
                    agency=agency,
                    presenter=rng.choice(board_people),
                    minutes_allowed=rng.choice([10, 15, 20, 30]),
                    discussion="Members discussed the report and asked for the figures by locality." if held else "",
                    decisions="Agreed the recommendations, with the changes noted." if held else "",
                )
                if group == board and number == 1:
                    late = rng.random() < 0.3
                    paper = Paper(
                        item=item,
                        title=f"{title} – paper",
                        uploaded_by=admin,
                        agency=agency,
                        uploaded_at=_at(day - dt.timedelta(days=3 if late else 10), 9),
                    )
                    paper.file.save(f"demo-paper-{meeting.pk}.pdf", ContentFile(_paper_pdf()), save=False)
                    paper.save()
            confidential = CONFIDENTIAL_ITEMS.get(group.kind)
            if confidential is None and group == board and day.month in (6, 12):
                confidential = CONFIDENTIAL_ITEMS["board"]
            if confidential is not None:
                # A confidential item (and its paper): only the group's members and the business unit see it.
                title, reason, discussion = confidential
                item = AgendaItem.objects.create(
                    meeting=meeting,
                    number=4,
                    title=title,
                    purpose=ItemPurpose.DISCUSSION,
                    minutes_allowed=30,
                    confidential_reason=reason,
                    discussion=discussion if held else "",
                    decisions="Agreed the next steps set out in the paper." if held else "",
                )
                paper = Paper(
                    item=item,
                    title=f"{title} – confidential paper",
                    uploaded_by=admin,
                    uploaded_at=_at(day - dt.timedelta(days=10), 9),
                )
                paper.file.save(f"demo-confidential-{meeting.pk}.pdf", ContentFile(_paper_pdf()), save=False)
                paper.save()
            if held and unrecorded:
                continue
            if held:
                held_meetings.append(meeting)
                for seat in seats[group.pk]:
                    if not seat.seated_on(day):
                        continue
                    roll = rng.random()
                    status = (
                        AttendanceStatus.PRESENT
                        if roll < 0.72
                        else AttendanceStatus.APOLOGIES
                        if roll < 0.86
                        else AttendanceStatus.DEPUTY
                        if roll < 0.94
                        else AttendanceStatus.ABSENT
                    )
                    record = Attendance.objects.create(
                        meeting=meeting,
                        member=seat,
                        status=status,
                        deputy=deputy if status == AttendanceStatus.DEPUTY else None,
                    )
                    if status == AttendanceStatus.ABSENT:
                        AbsenceFollowUp.objects.create(
                            attendance=record, done_on=day + dt.timedelta(days=9) if rng.random() < 0.5 else None
                        )
                meeting.minutes_status = MinutesStatus.DRAFT
                if group == board:
                    meeting.difference_for_children = (
                        "Schools will hear about missing episodes the next day, so children get support sooner."
                    )
                meeting.save()
                if previous is not None:
                    previous.minutes_status = MinutesStatus.PUBLISHED
                    previous.minutes_approved_at = meeting
                    previous.minutes_published_at = meeting.starts_at + dt.timedelta(days=3)
                    previous.save()
                previous = meeting

    # The chairs have signed off every set of published minutes but the latest of each group: that
    # one waits for them on My work.
    for group in (board, executive, cdop, *subgroups):
        published = list(
            Meeting.objects.filter(group=group, minutes_status=MinutesStatus.PUBLISHED).order_by("starts_at", "id")
        )
        for meeting in published[:-1]:
            meeting.minutes_signed_off_at = meeting.minutes_published_at
            meeting.minutes_signed_off_by = group.chair
            meeting.save(update_fields=["minutes_signed_off_at", "minutes_signed_off_by", "updated_at"])

    # --- Business plan -----------------------------------------------------------------------------------------
    plan = BusinessPlan.objects.create(
        partnership=partnership, title=f"Business plan {year} to {year + 3}", first_year=year, last_year=year + 2
    )
    objectives: list[Objective] = []
    for number, (title, sponsor, why) in enumerate(
        (
            (
                "Spot neglect earlier and act on it together",
                people["board"],
                "Neglect featured in most child protection plans and in two local reviews last year.",
            ),
            (
                "Keep children safe from exploitation and going missing",
                people["lead.police"],
                "Missing episodes rose and return interviews were often late.",
            ),
            (
                "Hear children's voices in everything we do",
                people["chair"],
                "Young people told the board they were rarely asked what would help.",
            ),
        ),
        start=1,
    ):
        priority = Priority.objects.create(plan=plan, number=number, title=title, sponsor=sponsor, rationale=why)
        for offset in range(2):
            objectives.append(
                Objective.objects.create(
                    priority=priority,
                    business_year=year + offset,
                    text=f"{['Agree', 'Embed'][offset]} a shared approach across agencies for priority {number}",
                )
            )

    # --- Challenges, accountability, funding ---------------------------------------------------------------------
    challenges = []
    for i in range(8):
        challenged = agencies[i % len(agencies)]
        challenges.append(
            Challenge.objects.create(
                partnership=partnership,
                raised_on=year_start + dt.timedelta(days=20 * i + 5),
                raised_by=people["chair"],
                agency=challenged,
                issue="Why have return interviews within 72 hours fallen this quarter?",
                forum="Board meeting",
                response_due=year_start + dt.timedelta(days=20 * i + 35),
                response="The agency has recruited two workers and will report back." if i % 3 else "",
                status=[ChallengeStatus.OPEN, ChallengeStatus.RESPONDED, ChallengeStatus.RESOLVED][i % 3],
                escalation_level=1 if i == 7 else 0,
            )
        )
    for i, agency in enumerate(agencies[:3]):
        AccountabilitySession.objects.create(
            partnership=partnership,
            agency=agency,
            meeting=held_meetings[i] if i < len(held_meetings) else None,
            held_on=year_start + dt.timedelta(days=60 * i + 14),
            data_presented="Referrals, timeliness of assessments, training take-up.",
            challenges_raised="The board asked for figures by locality and by ethnicity.",
        )
    # Two challenges whose responses are overdue: the police (its safeguarding lead sees it on My
    # work) and children's services (the director on the board sees it).
    for key, issue in (
        ("police", "How many children reported missing were offered a return interview within 72 hours?"),
        ("nm_cs", "Why has the re-referral rate risen for two quarters running?"),
    ):
        Challenge.objects.create(
            partnership=partnership,
            raised_on=today - dt.timedelta(days=45),
            raised_by=people["chair"],
            agency=world.agencies[key],
            issue=issue,
            forum="Board meeting",
            response_due=today - dt.timedelta(days=7),
            status=ChallengeStatus.OPEN,
        )
    for agency in agencies:
        for y in (year - 1, year):
            FundingContribution.objects.create(
                partnership=partnership,
                agency=agency,
                business_year=y,
                cash=Decimal(rng.choice([0, 5000, 12000, 25000, 60000])),
                in_kind_hours=Decimal(rng.choice([0, 40, 120])),
                in_kind_value=Decimal(rng.choice([0, 1500, 4200])),
                in_kind_description="Venue and chairing of the learning subgroup",
            )
    # Stepped agreements: three years, the amount rising each year (the effectiveness step adds the budget).
    for i, agency in enumerate(agencies):
        agreement = FundingAgreement.objects.create(
            partnership=partnership,
            agency=agency,
            first_year=year - 1,
            last_year=year + 1,
            signed_on=year_start - dt.timedelta(days=300),
        )
        base = Decimal(rng.choice([10000, 15000, 20000, 30000]))
        for step in range(3):
            FundingStep.objects.create(
                agreement=agreement, business_year=year - 1 + step, cash=base + Decimal(1000 * step * (1 + i % 2))
            )

    # --- 200 actions in every state --------------------------------------------------------------------------
    items = list(AgendaItem.objects.filter(meeting__in=held_meetings))
    sources = [*items, *objectives, *challenges]
    # Everyone who works on actions owns some, so each demo login has something on My work.
    owners = [
        people[k]
        for k in (
            "practitioner",
            "lead.police",
            "qa",
            "reviews",
            "training",
            "board",
            "practitioner.health",
            "cdop",
            "trainer",
            "exploitation",
            "lay",
        )
    ]
    states = (
        [ActionStatus.OPEN] * 50
        + [ActionStatus.IN_PROGRESS] * 60
        + [ActionStatus.AWAITING_REVIEW] * 30
        + [ActionStatus.CLOSED] * 45
        + [ActionStatus.CANCELLED] * 15
    )
    for i, state in enumerate(states):
        owner = owners[i % len(owners)]
        source = sources[i % len(sources)]
        action = create_action(
            partnership=partnership,
            title=ACTION_TITLES[i % len(ACTION_TITLES)],
            owner=owner,
            agency=owner.agency or agencies[0],
            due_date=today + dt.timedelta(days=rng.randint(-120, 180)),
            created_by=admin,
            source=source,
            theme=THEMES[i % len(THEMES)],
            detail="Agreed at the meeting; the owner reports progress each quarter.",
        )
        if isinstance(source, Objective) and i % 4 == 0:
            Measure.objects.create(
                action=action,
                description="Children on a plan for neglect seen within 10 days",
                baseline=Decimal(62),
                target=Decimal(85),
                latest_value=Decimal(71),
                unit="%",
                latest_on=today - dt.timedelta(days=30),
            )
        if state == ActionStatus.OPEN:
            continue
        ActionUpdate.objects.create(
            action=action,
            author=owner,
            text="Work has started; first draft shared with partners.",
            written_at=timezone.now() - dt.timedelta(days=rng.randint(5, 60)),
        )
        if state in (ActionStatus.AWAITING_REVIEW, ActionStatus.CLOSED):
            ActionEvidence.objects.create(
                action=action,
                description="Minutes of the briefing and the attendance list",
                added_by=owner,
                link="https://intranet.example.org/northmoor/briefing",
                review=EvidenceReview.ACCEPTED if state == ActionStatus.CLOSED else EvidenceReview.PENDING,
                reviewed_by=admin if state == ActionStatus.CLOSED else None,
                reviewed_at=timezone.now() if state == ActionStatus.CLOSED else None,
            )
        action.status = state
        if state == ActionStatus.CLOSED:
            action.closed_at, action.closed_by = timezone.now(), admin
            action.closure_reason = "Evidence shows the briefing reached every school."
        if state == ActionStatus.CANCELLED:
            action.closure_reason = "Superseded by the new neglect strategy."
        action.save()


DEMO_STEPS.append(build)

# Members' business and the arrangements (registers, declarations, sign-off), after the step above.
from safeboard.governance.demo_members import build as build_members  # noqa: E402

DEMO_STEPS.append(build_members)

# The annual cycle: the board's series, forward plan, next quarter's agendas, papers asked for.
from safeboard.governance.demo_cycle import build as build_cycle  # noqa: E402

DEMO_STEPS.append(build_cycle)
# The budget, the self-assessment and the chair's review, after the statutory partners are named.
from safeboard.governance.demo_effectiveness import build as build_effectiveness  # noqa: E402

DEMO_STEPS.append(build_effectiveness)
