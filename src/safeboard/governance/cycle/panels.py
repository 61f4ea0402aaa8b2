"""The annual cycle on "My work": for the business unit, forward plan items with no meeting to go
to, papers waiting for their check and decisions taken between meetings waiting to be ratified
(three queries); for an author, the papers they owe with their deadlines (one query)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

from safeboard.core.http import AuthenticatedHttpRequest
from safeboard.core.panels import WorkPanel, plural
from safeboard.core.querysets import user_can
from safeboard.governance.cycle.models import ForwardPlanItem, PaperRequest, PaperStatus
from safeboard.governance.meetings.choices import MeetingStatus
from safeboard.governance.meetings.models import Meeting
from safeboard.governance.meetings.panels import SHORT_LIMIT, _governance_on
from safeboard.governance.members.models import ItemDecision


def _meeting_to_go_to() -> Exists:
    """A meeting of the item's group, to come and not cancelled, from the start of its target month."""
    return Exists(
        Meeting.objects.filter(group_id=OuterRef("group_id"), starts_at__gte=OuterRef("target_month"))
        .filter(starts_at__gte=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
    )


def annual_cycle_panel(request: AuthenticatedHttpRequest) -> WorkPanel | None:
    """The business unit's annual cycle: three queries."""
    partnership = _governance_on(request)
    user = request.user
    if partnership is None or not user_can(user, "governance.change_forwardplanitem", partnership):
        return None
    unplaced = list(
        ForwardPlanItem.objects.visible_to(user, "change", partnership=partnership)
        .filter(agenda_item__isnull=True, meeting__isnull=True)
        .filter(~_meeting_to_go_to())
        .select_related("group")
        .order_by("target_month", "id")[: SHORT_LIMIT + 1]
    )
    to_check = list(
        PaperRequest.objects.visible_to(user, "change", partnership=partnership)
        .filter(status=PaperStatus.SUBMITTED)
        .select_related("item__meeting__group", "author")
        .order_by("item__meeting__starts_at", "id")[: SHORT_LIMIT + 1]
    )
    to_ratify = list(
        ItemDecision.objects.visible_to(user, "change", partnership=partnership)
        .filter(needs_ratification=True, ratified_at__isnull=True)
        .select_related("group")
        .order_by("decided_on", "id")[: SHORT_LIMIT + 1]
    )
    if not unplaced and not to_check and not to_ratify:
        return None
    parts = []
    if to_check:
        parts.append(plural(len(to_check[:SHORT_LIMIT]), "paper to check", "papers to check"))
    if to_ratify:
        parts.append(plural(len(to_ratify[:SHORT_LIMIT]), "decision to ratify", "decisions to ratify"))
    if unplaced:
        parts.append(
            plural(
                len(unplaced[:SHORT_LIMIT]), "forward plan item with no meeting", "forward plan items with no meeting"
            )
        )
    return WorkPanel(
        title="The annual cycle",
        template="governance/cycle/panels/annual_cycle.html",
        context={
            "unplaced": unplaced[:SHORT_LIMIT],
            "to_check": to_check[:SHORT_LIMIT],
            "to_ratify": to_ratify[:SHORT_LIMIT],
            "more": max(len(unplaced), len(to_check), len(to_ratify)) > SHORT_LIMIT,
        },
        order=35,
        count=len(unplaced[:SHORT_LIMIT]) + len(to_check[:SHORT_LIMIT]) + len(to_ratify[:SHORT_LIMIT]),
        urgent=len(to_check[:SHORT_LIMIT]),
        summary=" and ".join(parts),
        key="annual-cycle",
    )


def papers_owed_panel(request: AuthenticatedHttpRequest) -> WorkPanel | None:
    """The papers asked of this person and not sent yet, with their deadlines: one query."""
    partnership = _governance_on(request)
    user = request.user
    if partnership is None or not user_can(user, "governance.view_paperrequest", partnership):
        return None
    owed = list(
        PaperRequest.objects.visible_to(user, partnership=partnership)
        .filter(author=user, status=PaperStatus.REQUESTED)
        .exclude(item__meeting__status=MeetingStatus.CANCELLED)
        .select_related("item__meeting__group")
        .order_by("due_on", "id")[: SHORT_LIMIT + 1]
    )
    if not owed:
        return None
    today = timezone.localdate()
    shown = owed[:SHORT_LIMIT]
    late = sum(1 for request in shown if request.due_on < today)
    return WorkPanel(
        title="Papers you owe",
        template="governance/cycle/panels/papers_owed.html",
        context={"owed": shown, "more": len(owed) > SHORT_LIMIT, "today": today},
        order=12,
        count=len(shown),
        urgent=late,
        summary=plural(len(shown), "paper to send", "papers to send"),
        key="papers-owed",
    )
