"""The action log's panels on My work: the person's own actions (overdue and due soon first) and
the evidence waiting for their review."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from safeboard.actions.models import LIVE_STATUSES, Action, ActionEvidence, EvidenceReview
from safeboard.core.panels import WorkPanel, plural
from safeboard.core.permissions import grants_for

PANEL_SIZE = 10


def my_actions_panel(request: HttpRequest) -> WorkPanel | None:
    """The person's live actions (they own them), across every partnership they can see, soonest due
    first, with how many are overdue and due soon: two queries."""
    user = request.user
    if not user.is_authenticated or not grants_for(user).has_anywhere("actions.view_action"):
        return None
    mine = Action.objects.visible_to(user).live().filter(owner=user)
    rows = list(mine.select_related("partnership", "agency").order_by("due_date", "id")[: PANEL_SIZE + 1])
    if not rows:
        return None
    today = timezone.localdate()
    # "Due soon" follows each partnership's own amber window.
    counts = mine.aggregate(
        total=Count("id"),
        overdue=Count("id", filter=Q(due_date__lt=today)),
    )
    shown = rows[:PANEL_SIZE]
    rag = [(action, action.rag_status(today)) for action in shown]
    due_soon = sum(1 for _, r in rag if r == "amber")
    parts = []
    if counts["overdue"]:
        parts.append(plural(counts["overdue"], "of your actions is overdue", "of your actions are overdue"))
    if due_soon:
        parts.append(f"{due_soon} due soon")
    return WorkPanel(
        title="Your actions",
        template="actions/panels/my_actions.html",
        context={
            "actions": rag,
            "more": len(rows) > PANEL_SIZE,
            "total": counts["total"],
            "overdue": counts["overdue"],
            "list_url": reverse("actions:action-list") + f"?owner={user.pk}",
            "several_partnerships": len({a.partnership_id for a in shown}) > 1,
        },
        order=45,
        count=counts["total"],
        urgent=counts["overdue"],
        summary=", ".join(parts) if parts else plural(counts["total"], "live action", "live actions"),
        key="my-actions",
    )


def evidence_to_review_panel(request: HttpRequest) -> WorkPanel | None:
    """Evidence waiting for a review by this person: on live actions they may close, which they do
    not own and whose evidence they did not add. Two queries (the rows and the count)."""
    user = request.user
    if not user.is_authenticated or not grants_for(user).has_anywhere("actions.close_action"):
        return None
    waiting = (
        ActionEvidence.objects.visible_to(user, "close")
        .filter(review=EvidenceReview.PENDING, action__status__in=LIVE_STATUSES)
        .exclude(action__owner=user)
        .exclude(added_by=user)
    )
    rows = list(waiting.select_related("action__partnership", "added_by").order_by("added_at", "id")[:PANEL_SIZE])
    if not rows:
        return None
    total = waiting.count()
    week_ago = timezone.now() - dt.timedelta(days=7)
    return WorkPanel(
        title="Evidence to review",
        template="actions/panels/evidence_to_review.html",
        context={"evidence": rows, "total": total, "week_ago": week_ago},
        order=10,
        count=total,
        urgent=sum(1 for e in rows if e.added_at < week_ago),
        summary=plural(total, "piece of evidence", "pieces of evidence") + " to review",
        key="evidence-to-review",
    )
