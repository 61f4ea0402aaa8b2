"""Demo data for the annual cycle (issue 9, section 5), after the board's year of meetings: the
board's meeting series, its standing items, a forward plan for the year ahead, next quarter's agendas
built from them, papers asked of their authors (one sent and waiting for its check, one still owed
by the police lead), and a decision taken by chair's action waiting for the next meeting to ratify.
All invented."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from safeboard.accounts.demo import DemoWorld
from safeboard.governance.cycle import services
from safeboard.governance.cycle.models import EveryMonths, SeriesRule, add_months
from safeboard.governance.meetings.choices import ItemPurpose, MeetingStatus
from safeboard.governance.models import (
    AgendaItem,
    DecisionMeans,
    ForwardPlanItem,
    Group,
    GroupKind,
    Meeting,
    MeetingSeries,
)

# (months from now, title, purpose, presenter key, minutes, confidential reason)
FORWARD_PLAN = (
    (0, "Neglect strategy: six-month progress", ItemPurpose.DISCUSSION, "board", 20, ""),
    (1, "Section 11 audit: what agencies told us", ItemPurpose.DISCUSSION, "qa", 25, ""),
    (2, "Budget and contributions for next year", ItemPurpose.DECISION, "admin", 20, ""),
    (2, "Business unit staffing review", ItemPurpose.DECISION, "chair", 15, "staff"),
    (3, "Learning from local child safeguarding practice reviews", ItemPurpose.DISCUSSION, "reviews", 30, ""),
    (4, "Child death overview panel annual report", ItemPurpose.INFORMATION, "cdop", 15, ""),
    (5, "Exploitation and missing children: the year's picture", ItemPurpose.DISCUSSION, "exploitation", 25, ""),
    (6, "Multi-agency training: who came and what changed", ItemPurpose.INFORMATION, "training", 15, ""),
    (7, "Draft annual report", ItemPurpose.DECISION, "chair", 30, ""),
    (8, "Independent scrutiny: the scrutineer's findings", ItemPurpose.DISCUSSION, "chair", 30, ""),
    (10, "Business plan for next year", ItemPurpose.DECISION, "admin", 30, ""),
    (11, "Self-assessment of the board", ItemPurpose.DISCUSSION, "chair", 20, ""),
)


def build(world: DemoWorld) -> None:
    partnership = world.partnerships["nm"]
    people = world.people
    today = timezone.localdate()
    board = Group.objects.get(partnership=partnership, kind=GroupKind.BOARD)

    # The board meets every two months on the 14th (as in its year of meetings), at ten.
    first_month = dt.date(today.year - 1, partnership.business_year_start_month, 14)
    series = MeetingSeries.objects.create(
        group=board,
        every_months=EveryMonths.TWO,
        starts_on=first_month,
        rule=SeriesRule.DAY,
        day_of_month=14,
        start_time=dt.time(10, 0),
        length_minutes=120,
        venue="Northmoor Civic Centre, Committee Room 2",
        online_link="https://meet.example.org/northmoor",
    )
    services.generate_meetings(series, today, add_months(today, 12))
    services.ensure_standing_items(board)

    for months, title, purpose, key, minutes, reason in FORWARD_PLAN:
        ForwardPlanItem.objects.create(
            group=board,
            title=title,
            purpose=purpose,
            presenter=people.get(key),
            target_month=add_months(today, months),
            minutes_allowed=minutes,
            confidential_reason=reason,
        )
    first, last = services.quarter_after(today, partnership.business_year_start_month)
    services.build_agendas(board, first, last)

    # Papers asked for the board's next meeting: one sent and waiting for its check, one still owed.
    meeting = (
        Meeting.objects.filter(group=board, starts_at__gt=timezone.now(), status=MeetingStatus.SCHEDULED)
        .order_by("starts_at")
        .first()
    )
    if meeting is not None:
        items = list(AgendaItem.objects.filter(meeting=meeting, standing_item__isnull=True).order_by("number"))
        if items:
            sent = services.request_paper(item=items[0], title=f"{items[0].title}: report", author=people["board"])
            services.submit_paper(
                sent,
                by=people["board"],
                file=ContentFile(_blank_pdf(), name="demo-cycle-paper.pdf"),
                purpose="To update the board on progress since the last report.",
                decision_asked="To note the progress and agree the next steps.",
                impact_on_children="Children on a plan for neglect are seen sooner.",
                risks="Recruitment of health visitors is behind plan.",
            )
            services.request_paper(
                item=items[-1], title=f"{items[-1].title}: police briefing", author=people["lead.police"]
            )

    # A decision between meetings, by the chair's action, for the next meeting to ratify.
    services.record_decision_between_meetings(
        group=board,
        decision="Agreed to extend the neglect audit by a month so that schools can take part.",
        means=DecisionMeans.CHAIRS_ACTION,
        decided_on=today - dt.timedelta(days=6),
        decided_by=[people["chair"]],
        lead=people["qa"],
        due_on=today + dt.timedelta(days=40),
    )


def _blank_pdf() -> bytes:
    from safeboard.governance.demo import _paper_pdf

    return _paper_pdf()
