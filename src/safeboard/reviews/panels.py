"""The review manager's panel on "My work": the clocks of their reviews that are overdue or due
within two working days. Three queries, whatever the data (the reviews with their rapid reviews
and partnership, the partnership's settings, and the grants)."""

from __future__ import annotations

from django.utils import timezone

from safeboard.core.http import AuthenticatedHttpRequest
from safeboard.core.panels import WorkPanel, plural
from safeboard.core.querysets import user_can
from safeboard.reviews.choices import ClockState
from safeboard.reviews.clocks import needing_attention, running, settings_by_partnership
from safeboard.reviews.models import Review

PANEL_LIMIT = 10


def review_clocks_panel(request: AuthenticatedHttpRequest) -> WorkPanel | None:
    partnership = request.partnership
    user = request.user
    if partnership is None or "reviews" not in partnership.modules:
        return None
    if not user_can(user, "reviews.view_review_clocks", partnership):
        return None
    reviews = list(
        running(Review.objects.visible_to(user, partnership=partnership).in_partnership(partnership))
        .filter(manager=user)
        .select_related("partnership", "rapid_review")
        .order_by("aware_on", "id")
    )
    found = needing_attention(reviews, settings_by_partnership({partnership.pk}), timezone.localdate())
    if not found:
        return None
    shown = found[:PANEL_LIMIT]
    late = sum(1 for _, clocks in found if any(c.state == ClockState.OVERDUE for c in clocks))
    return WorkPanel(
        title="Review clocks",
        template="reviews/panels/clocks.html",
        context={"found": shown, "more": len(found) > PANEL_LIMIT},
        order=30,
        count=len(found),
        urgent=late,
        summary=plural(len(found), "review", "reviews") + " with a clock overdue or due soon",
        key="review-clocks",
    )
