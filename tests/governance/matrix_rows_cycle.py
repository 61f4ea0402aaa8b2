"""Permission matrix rows for the annual cycle: forward plans, meeting series, standing items, the
paper pipeline, the supplementary pack, decisions and the chair's action on final minutes.

Persona order: anon prA prB lead adm oth scr sys (see tests/test_permission_matrix.py). The records
live in Alpha: an open board on which agency A's safeguarding lead has a seat, with a coming meeting
whose papers have gone out, a series, a standing item, a forward plan item, a paper asked of the lead
and sent, a decision taken between meetings; and a closing task group the lead chairs, whose final
meeting's minutes are in draft. Board readers (the lead) read the cycle; the business unit keeps it;
practitioners and scrutiny read neither; Beta's administrator never sees Alpha's groups.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from safeboard.governance.cycle import services
from safeboard.governance.cycle.models import SeriesRule
from safeboard.governance.meetings.services import save_member
from safeboard.governance.models import (
    AgendaItem,
    DecisionMeans,
    ForwardPlanItem,
    Group,
    GroupKind,
    GroupMember,
    MeetingSeries,
    MeetingStatus,
    MinutesStatus,
    StandingItem,
    StandingKind,
)
from tests.governance.matrix_rows_meetings import make_meeting, pdf_bytes
from tests.matrix import NO_POST, POST_ONLY, Row, pk, text

#             anon prA prB lead adm oth scr sys
READ = "302 403 403 200 200 404 403 404"  # the cycle's pages of a group: readers of board business
KEEP = "302 403 403 403 200 404 403 404"  # the business unit's forms on a group
KEEP_POST = "302 403 403 403 200 404 403 404"
RECORD = "302 404 404 200 200 404 404 404"  # a record of the cycle: read by board readers
RECORD_KEEP = "302 404 404 403 200 404 404 404"  # ... changed by the business unit only

ROWS: dict[str, Row] = {
    "governance:forward-plan": Row(pk("cycle_board"), READ, NO_POST, shows=lambda w: "Annual report to the board"),
    "governance:decision-list": Row(pk("cycle_board"), READ, NO_POST, shows=lambda w: "Extend the neglect audit"),
    "governance:forward-plan-new": Row(pk("cycle_board"), KEEP, KEEP_POST, shows=lambda w: "Cycle matrix board"),
    "governance:series-new": Row(pk("cycle_board"), KEEP, KEEP_POST, shows=lambda w: "Cycle matrix board"),
    "governance:standing-item-new": Row(pk("cycle_board"), KEEP, KEEP_POST, shows=lambda w: "Cycle matrix board"),
    "governance:decision-new": Row(pk("cycle_board"), KEEP, KEEP_POST, shows=lambda w: "Cycle matrix board"),
    # The business unit's action: the quarter's agendas (done: 302 back to the forward plan).
    "governance:build-agendas": Row(pk("cycle_board"), POST_ONLY, "302 403 403 403 302 404 403 404"),
    "governance:forward-plan-edit": Row(pk("cycle_plan"), RECORD_KEEP, RECORD_KEEP, shows=text("cycle_plan", "title")),
    "governance:series-edit": Row(pk("cycle_series"), RECORD_KEEP, RECORD_KEEP, shows=lambda w: "Cycle matrix board"),
    "governance:series-generate": Row(
        pk("cycle_series"), RECORD_KEEP, RECORD_KEEP, shows=lambda w: "Cycle matrix board"
    ),
    "governance:standing-item-edit": Row(
        pk("cycle_standing"), RECORD_KEEP, RECORD_KEEP, shows=text("cycle_standing", "title")
    ),
    "governance:paper-request-new": Row(pk("cycle_item"), RECORD_KEEP, RECORD_KEEP, shows=text("cycle_item", "title")),
    # The paper asked of the lead: the lead (its author) and the business unit read it.
    "governance:paper-request": Row(pk("cycle_request"), RECORD, NO_POST, shows=text("cycle_request", "title")),
    # The author sends it (the form back with its errors), as may the business unit for them.
    "governance:paper-request-submit": Row(pk("cycle_request"), RECORD, RECORD, shows=text("cycle_request", "title")),
    # The check: the business unit (or the executive); the author may not check their own paper.
    "governance:paper-request-check": Row(pk("cycle_request"), POST_ONLY, "302 404 404 403 302 404 404 404"),
    "governance:meeting-pack-supplementary": Row(pk("cycle_meeting"), RECORD, NO_POST, shows=lambda w: "Supplementary"),
    "governance:decision-edit": Row(
        pk("cycle_decision"), RECORD_KEEP, RECORD_KEEP, shows=lambda w: "Extend the neglect audit"
    ),
    # Ratified at the meeting (an empty POST names no meeting: refused, back to the decisions).
    "governance:decision-ratify": Row(pk("cycle_decision"), POST_ONLY, "302 404 404 403 302 404 404 404"),
    # Only the closing group's chair (the lead) approves its final minutes by chair's action.
    "governance:minutes-chairs-action": Row(
        pk("cycle_final_meeting"),
        "302 404 404 200 403 404 404 404",
        "302 404 404 302 403 404 404 404",
        shows=lambda w: "Neglect task group",
    ),
}


def build(world: Any) -> None:
    now = timezone.now()
    lead = world.agency_lead
    board = Group.objects.create(partnership=world.alpha, name="Cycle matrix board", kind=GroupKind.BOARD)
    save_member(GroupMember(group=board, person=lead, agency=world.agency_a, starts_on=dt.date(2020, 1, 1)))
    series = MeetingSeries.objects.create(
        group=board,
        every_months=3,
        starts_on=dt.date(2020, 1, 1),
        rule=SeriesRule.WEEKDAY,
        week_of_month=2,
        weekday=1,
        start_time=dt.time(10, 0),
        venue="Cycle hall",
    )
    standing = StandingItem.objects.create(group=board, kind=StandingKind.OTHER, title="Voice of young people")
    meeting = make_meeting(board, now + dt.timedelta(days=12), venue="Cycle hall", papers_circulated_at=now)
    item = AgendaItem.objects.create(meeting=meeting, number=1, title="Cycle matrix item")
    plan = ForwardPlanItem.objects.create(
        group=board, title="Annual report to the board", target_month=(now + dt.timedelta(days=200)).date()
    )
    request = services.request_paper(item=item, title="Cycle police figures", author=lead)
    services.submit_paper(
        request,
        by=lead,
        file=ContentFile(pdf_bytes(), name="figures.pdf"),
        purpose="Figures.",
        decision_asked="None: for information.",
        impact_on_children="Fewer missing episodes.",
        risks="None.",
    )
    decision = services.record_decision_between_meetings(
        group=board,
        decision="Extend the neglect audit to March.",
        means=DecisionMeans.EMAIL,
        decided_on=timezone.localdate(),
        decided_by=[lead],
    )
    task = Group.objects.create(
        partnership=world.alpha,
        name="Neglect task group",
        kind=GroupKind.TASK_AND_FINISH,
        chair=lead,
        closes_on=timezone.localdate() + dt.timedelta(days=30),
    )
    final = make_meeting(
        task, now - dt.timedelta(days=5), status=MeetingStatus.HELD, minutes_status=MinutesStatus.DRAFT
    )
    world.extras.update(
        cycle_board=board,
        cycle_series=series,
        cycle_standing=standing,
        cycle_meeting=meeting,
        cycle_item=item,
        cycle_plan=plan,
        cycle_request=request,
        cycle_decision=decision,
        cycle_final_meeting=final,
    )


def build_secrets(world: Any) -> None:
    """For the leak test (after ``matrix_rows_access.build``): the annual cycle of the members-only case
    review group, and the board's confidential forward plan item, paper request and decision, named
    with the secret words of ``matrix_rows_access.SECRETS``; and the board's pack circulated before its
    confidential paper arrived, so that the supplementary pack would carry it if it leaked."""
    extras = world.extras
    crg, board = extras["access_crg"], extras["access_board"]
    reviewer = extras["access_crg_seat"].person
    crg_series = MeetingSeries.objects.create(
        group=crg,
        every_months=1,
        starts_on=dt.date(2020, 1, 1),
        rule=SeriesRule.DAY,
        day_of_month=3,
        start_time=dt.time(9, 0),
        venue="Basalt room",
    )
    crg_plan = ForwardPlanItem.objects.create(
        group=crg, title="Basalt thematic learning", target_month=dt.date(2020, 1, 1)
    )
    crg_standing = StandingItem.objects.create(group=crg, kind=StandingKind.OTHER, title="Basalt case tracker")
    crg_request = services.request_paper(item=extras["access_crg_item"], title="Basalt chronology", author=reviewer)
    crg_decision = services.record_decision_between_meetings(
        group=crg,
        decision="Basalt review extended by email.",
        means=DecisionMeans.EMAIL,
        decided_on=dt.date(2020, 1, 1),
        decided_by=[reviewer],
    )
    board_plan = ForwardPlanItem.objects.create(
        group=board, title="Zircon restructure", target_month=dt.date(2020, 1, 1), confidential_reason="staff"
    )
    board_request = services.request_paper(
        item=extras["access_board_conf_item"], title="Zircon legal advice", author=world.partnership_admin
    )
    board_decision = services.record_decision_between_meetings(
        group=board,
        decision="Zircon settlement agreed by email.",
        means=DecisionMeans.EMAIL,
        decided_on=dt.date(2020, 1, 1),
        decided_by=[world.partnership_admin],
        confidential_reason="legal_advice",
    )
    meeting = extras["access_board_meeting"]
    type(meeting).objects.filter(pk=meeting.pk).update(papers_circulated_at=meeting.starts_at - dt.timedelta(days=60))
    extras.update(
        access_cycle_crg_series=crg_series,
        access_cycle_crg_plan=crg_plan,
        access_cycle_crg_standing=crg_standing,
        access_cycle_crg_request=crg_request,
        access_cycle_crg_decision=crg_decision,
        access_cycle_board_plan=board_plan,
        access_cycle_board_request=board_request,
        access_cycle_board_decision=board_decision,
    )
