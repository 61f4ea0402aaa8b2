"""The business manager's "My work" panel: overdue lay member induction steps and open absence follow-ups."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from safeboard.core.http import AuthenticatedHttpRequest, signed_in
from safeboard.core.panels import WorkPanel
from safeboard.core.querysets import user_can
from safeboard.core.text import day_text
from safeboard.governance.meetings.models import AbsenceFollowUp, LayMemberInduction
from safeboard.governance.meetings.services import INDUCTION_PACK_DAYS

PANEL_LIMIT = 20


def overdue_inductions(request: AuthenticatedHttpRequest, today: dt.date) -> list[tuple[LayMemberInduction, list[str]]]:
    """Induction steps that are late: the pack not sent 14 days after the start, the six-month
    meeting with the chair past its due date and not held. One query."""
    partnership = request.partnership
    pack_cutoff = today - dt.timedelta(days=INDUCTION_PACK_DAYS)
    # Anyone who started more than five months ago might be past the six-month date; the exact date
    # (which clamps to the 28th) is checked below on the few rows that come back.
    meeting_cutoff = today - dt.timedelta(days=150)
    candidates = (
        LayMemberInduction.objects.visible_to(request.user)
        .filter(member__group__partnership=partnership)
        .filter(Q(member__ends_on__isnull=True) | Q(member__ends_on__gte=today))
        .filter(
            Q(pack_sent_on__isnull=True, member__starts_on__lt=pack_cutoff)
            | Q(six_month_meeting_held_on__isnull=True, member__starts_on__lt=meeting_cutoff)
        )
        .select_related("member__person", "member__group")
        .order_by("member__starts_on", "id")[: PANEL_LIMIT * 2]
    )
    rows = []
    for induction in candidates:
        steps = []
        if induction.pack_sent_on is None and induction.member.starts_on < pack_cutoff:
            steps.append("Induction pack not sent")
        if induction.six_month_meeting_held_on is None and induction.six_month_meeting_due < today:
            steps.append(f"Six-month meeting with the chair was due on {day_text(induction.six_month_meeting_due)}")
        if steps:
            rows.append((induction, steps))
    return rows[:PANEL_LIMIT]


def open_follow_ups(request: AuthenticatedHttpRequest) -> list[AbsenceFollowUp]:
    return list(
        AbsenceFollowUp.objects.visible_to(request.user)
        .filter(attendance__meeting__group__partnership=request.partnership, done_on__isnull=True)
        .select_related("attendance__member__person", "attendance__member__agency", "attendance__meeting__group")
        .order_by("attendance__meeting__starts_at", "id")[:PANEL_LIMIT]
    )


def business_manager_panel(request: HttpRequest) -> WorkPanel | None:
    """Shown only to people who manage meetings in the current partnership. Two queries."""
    partnership = getattr(request, "partnership", None)
    if partnership is None or not signed_in(request) or "governance" not in partnership.modules:
        return None
    if not user_can(request.user, "governance.change_meeting", partnership):
        return None
    today = timezone.localdate()
    return WorkPanel(
        title="Board business to follow up",
        template="governance/meetings/panel.html",
        context={
            "inductions": overdue_inductions(request, today),
            "follow_ups": open_follow_ups(request),
            "next": request.get_full_path(),
        },
        order=20,
    )
