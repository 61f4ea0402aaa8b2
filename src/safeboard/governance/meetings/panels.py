"""Board business panels on "My work": the person's next meetings and papers, minutes waiting for
approval or the chair's sign-off, meetings without attendance, the business manager's follow-ups,
and a lay member's own induction steps. Each runs a fixed number of queries (at most two)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from safeboard.core.http import AuthenticatedHttpRequest
from safeboard.core.models import Partnership
from safeboard.core.panels import WorkPanel, plural
from safeboard.core.permissions import grants_for
from safeboard.core.querysets import user_can
from safeboard.core.text import day_text
from safeboard.governance.meetings.choices import MeetingStatus, MinutesStatus
from safeboard.governance.meetings.models import (
    AbsenceFollowUp,
    Attendance,
    GroupMember,
    LayMemberInduction,
    Meeting,
)
from safeboard.governance.meetings.services import INDUCTION_PACK_DAYS, MINUTES_WAITING_DAYS

PANEL_LIMIT = 20
SHORT_LIMIT = 10


def _governance_on(request: AuthenticatedHttpRequest) -> Partnership | None:
    """The current partnership when board business is switched on there, else None."""
    partnership = getattr(request, "partnership", None)
    if partnership is None or "governance" not in partnership.modules or not request.user.is_authenticated:
        return None
    return partnership


def _late_steps(induction: LayMemberInduction, today: dt.date) -> list[str]:
    steps = []
    if induction.pack_sent_on is None and induction.member.starts_on < today - dt.timedelta(days=INDUCTION_PACK_DAYS):
        steps.append("Induction pack not sent")
    if induction.six_month_meeting_held_on is None and induction.six_month_meeting_due < today:
        steps.append(f"Six-month meeting with the chair was due on {day_text(induction.six_month_meeting_due)}")
    return steps


def _overdue_filter(today: dt.date) -> Q:
    # Anyone who started more than five months ago might be past the six-month date; the exact date
    # (which clamps to the 28th) is checked in Python on the few rows that come back.
    return Q(pack_sent_on__isnull=True, member__starts_on__lt=today - dt.timedelta(days=INDUCTION_PACK_DAYS)) | Q(
        six_month_meeting_held_on__isnull=True, member__starts_on__lt=today - dt.timedelta(days=150)
    )


def overdue_inductions(request: AuthenticatedHttpRequest, today: dt.date) -> list[tuple[LayMemberInduction, list[str]]]:
    """Induction steps that are late: the pack not sent 14 days after the start, the six-month
    meeting with the chair past its due date and not held. One query."""
    candidates = (
        LayMemberInduction.objects.visible_to(request.user)
        .filter(member__group__partnership=request.partnership)
        .filter(Q(member__ends_on__isnull=True) | Q(member__ends_on__gte=today))
        .filter(_overdue_filter(today))
        .select_related("member__person", "member__group")
        .order_by("member__starts_on", "id")[: PANEL_LIMIT * 2]
    )
    rows = [(induction, steps) for induction in candidates if (steps := _late_steps(induction, today))]
    return rows[:PANEL_LIMIT]


def open_follow_ups(request: AuthenticatedHttpRequest) -> list[AbsenceFollowUp]:
    return list(
        AbsenceFollowUp.objects.visible_to(request.user)
        .filter(attendance__meeting__group__partnership=request.partnership, done_on__isnull=True)
        .select_related("attendance__member__person", "attendance__member__agency", "attendance__meeting__group")
        .order_by("attendance__meeting__starts_at", "id")[:PANEL_LIMIT]
    )


def overdue_induction_steps(request: AuthenticatedHttpRequest, today: dt.date) -> list[tuple[GroupMember, list[str]]]:
    """Every member's induction steps past their due date and not done, by seat (governance/arrangements).
    One query."""
    from safeboard.governance.arrangements.models import InductionStep

    steps = (
        InductionStep.objects.visible_to(request.user)
        .filter(member__group__partnership=request.partnership, done_on__isnull=True, due_on__lt=today)
        .filter(Q(member__ends_on__isnull=True) | Q(member__ends_on__gte=today))
        .select_related("member__person", "member__group")
        .order_by("member__starts_on", "member_id", "due_on", "id")[: PANEL_LIMIT * 5]
    )
    by_seat: dict[int, tuple[GroupMember, list[str]]] = {}
    for step in steps:
        by_seat.setdefault(step.member_id, (step.member, []))[1].append(str(step))
    return list(by_seat.values())[:PANEL_LIMIT]


def business_manager_panel(request: AuthenticatedHttpRequest) -> WorkPanel | None:
    """Shown only to people who manage meetings in the current partnership, when something waits. Three queries."""
    partnership = _governance_on(request)
    if partnership is None or not user_can(request.user, "governance.change_meeting", partnership):
        return None
    today = timezone.localdate()
    inductions = overdue_inductions(request, today)
    induction_steps = overdue_induction_steps(request, today)
    follow_ups = open_follow_ups(request)
    if not inductions and not induction_steps and not follow_ups:
        return None
    parts = []
    if inductions:
        parts.append(plural(len(inductions), "lay member induction overdue", "lay member inductions overdue"))
    if induction_steps:
        parts.append(
            plural(len(induction_steps), "member with induction steps overdue", "members with induction steps overdue")
        )
    if follow_ups:
        parts.append(plural(len(follow_ups), "absence to follow up", "absences to follow up"))
    return WorkPanel(
        title="Board business to follow up",
        template="governance/meetings/panel.html",
        context={
            "inductions": inductions,
            "induction_steps": induction_steps,
            "follow_ups": follow_ups,
            "next": request.get_full_path(),
        },
        order=40,
        count=len(inductions) + len(induction_steps) + len(follow_ups),
        urgent=len(inductions) + len(induction_steps),
        summary=" and ".join(parts),
        key="board-follow-ups",
    )


def my_induction_panel(request: AuthenticatedHttpRequest) -> WorkPanel | None:
    """A lay member's own induction steps that are late. One query."""
    partnership = _governance_on(request)
    user = request.user
    if partnership is None or not grants_for(user).has_anywhere("governance.view_laymemberinduction"):
        return None
    today = timezone.localdate()
    rows = [
        (induction, steps)
        for induction in LayMemberInduction.objects.visible_to(user)
        .filter(member__person=user, member__group__partnership=partnership)
        .filter(Q(member__ends_on__isnull=True) | Q(member__ends_on__gte=today))
        .filter(_overdue_filter(today))
        .select_related("member__group", "member__person")
        .order_by("member__starts_on", "id")[:5]
        if (steps := _late_steps(induction, today))
    ]
    if not rows:
        return None
    count = sum(len(steps) for _, steps in rows)
    return WorkPanel(
        title="Your induction",
        template="governance/meetings/panels/my_induction.html",
        context={"rows": rows},
        order=15,
        count=count,
        urgent=count,
        summary=plural(count, "induction step overdue", "induction steps overdue"),
        key="my-induction",
    )


def my_meetings_panel(request: AuthenticatedHttpRequest) -> WorkPanel | None:
    """The next meetings of the groups the person sits on, with how many papers there are to read. One query."""
    partnership = _governance_on(request)
    user = request.user
    if partnership is None or not user_can(user, "governance.view_meeting", partnership):
        return None
    today = timezone.localdate()
    seated = GroupMember.objects.filter(group_id=OuterRef("group_id"), person=user, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    meetings = list(
        Meeting.objects.visible_to(user, partnership=partnership)
        .filter(starts_at__gte=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(Exists(seated))
        .annotate(paper_count=Count("items__papers"))
        .select_related("group")
        .order_by("starts_at", "id")[:5]
    )
    if not meetings:
        return None
    papers = sum(m.paper_count for m in meetings)
    return WorkPanel(
        title="Your next meetings",
        template="governance/meetings/panels/my_meetings.html",
        context={"meetings": meetings},
        order=30,
        count=len(meetings),
        summary=plural(len(meetings), "meeting coming up", "meetings coming up")
        + (f", with {plural(papers, 'paper', 'papers')} to read" if papers else ""),
        key="my-meetings",
    )


def minutes_panel(request: AuthenticatedHttpRequest) -> WorkPanel | None:
    """Draft minutes waiting for approval (the business unit records it) and approved minutes waiting
    for the chair's sign-off (groups the person chairs). At most two queries."""
    partnership = _governance_on(request)
    user = request.user
    if partnership is None:
        return None
    drafts: list[Meeting] = []
    sign_off: list[Meeting] = []
    if user_can(user, "governance.change_meeting", partnership):
        drafts = list(
            Meeting.objects.visible_to(user, "change", partnership=partnership)
            .filter(minutes_status=MinutesStatus.DRAFT, starts_at__lt=timezone.now())
            .exclude(status=MeetingStatus.CANCELLED)
            .select_related("group")
            .order_by("starts_at", "id")[: SHORT_LIMIT + 1]
        )
    if user_can(user, "governance.view_meeting", partnership):
        sign_off = list(
            Meeting.objects.visible_to(user, partnership=partnership)
            .filter(
                group__chair=user,
                minutes_status__in=[MinutesStatus.APPROVED, MinutesStatus.PUBLISHED],
                minutes_signed_off_at__isnull=True,
            )
            .select_related("group")
            .order_by("starts_at", "id")[: SHORT_LIMIT + 1]
        )
    if not drafts and not sign_off:
        return None
    late_before = timezone.now() - dt.timedelta(days=MINUTES_WAITING_DAYS)
    parts = []
    if sign_off:
        parts.append(plural(len(sign_off[:SHORT_LIMIT]), "set of minutes to sign off", "sets of minutes to sign off"))
    if drafts:
        parts.append(plural(len(drafts[:SHORT_LIMIT]), "draft waiting for approval", "drafts waiting for approval"))
    return WorkPanel(
        title="Minutes",
        template="governance/meetings/panels/minutes.html",
        context={
            "drafts": drafts[:SHORT_LIMIT],
            "more_drafts": len(drafts) > SHORT_LIMIT,
            "sign_off": sign_off[:SHORT_LIMIT],
            "more_sign_off": len(sign_off) > SHORT_LIMIT,
            "late_before": late_before,
            "next": request.get_full_path(),
        },
        order=20,
        count=len(drafts[:SHORT_LIMIT]) + len(sign_off[:SHORT_LIMIT]),
        urgent=sum(1 for m in drafts[:SHORT_LIMIT] if m.ends_at < late_before),
        summary=" and ".join(parts),
        key="minutes",
    )


def attendance_missing_panel(request: AuthenticatedHttpRequest) -> WorkPanel | None:
    """Meetings that have happened with no attendance recorded, for those who record it. One query."""
    partnership = _governance_on(request)
    user = request.user
    if partnership is None or not user_can(user, "governance.change_attendance", partnership):
        return None
    meetings = list(
        Meeting.objects.visible_to(user, "change", partnership=partnership)
        .filter(starts_at__lt=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(~Exists(Attendance.objects.filter(meeting_id=OuterRef("pk"))))
        .select_related("group")
        .order_by("-starts_at", "-id")[: SHORT_LIMIT + 1]
    )
    if not meetings:
        return None
    shown = meetings[:SHORT_LIMIT]
    return WorkPanel(
        title="Attendance to record",
        template="governance/meetings/panels/attendance_missing.html",
        context={"meetings": shown, "more": len(meetings) > SHORT_LIMIT},
        order=25,
        count=len(shown),
        urgent=len(shown),
        summary=plural(
            len(shown), "meeting held without attendance recorded", "meetings held without attendance recorded"
        ),
        key="attendance-missing",
    )
