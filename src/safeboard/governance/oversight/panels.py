"""The challenge log's panel on "My work": challenges whose response is overdue, for the agency that
owes the response (its people who read the log) and for the business unit that chases it. One query."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from safeboard.core.panels import WorkPanel, plural
from safeboard.core.querysets import user_can
from safeboard.governance.oversight.choices import ChallengeStatus
from safeboard.governance.oversight.models import Challenge

PANEL_LIMIT = 10


def overdue_challenges_panel(request: HttpRequest) -> WorkPanel | None:
    partnership = getattr(request, "partnership", None)
    user = request.user
    if partnership is None or "governance" not in partnership.modules or not user.is_authenticated:
        return None
    if not user_can(user, "governance.view_challenge", partnership):
        return None
    challenges = Challenge.objects.visible_to(user, partnership=partnership).filter(
        status=ChallengeStatus.OPEN, response_due__lt=timezone.localdate()
    )
    if not user_can(user, "governance.change_challenge", partnership):
        # Not the business unit: only the challenges this person's agency owes an answer to.
        if not user.agency_id:
            return None
        challenges = challenges.filter(agency_id=user.agency_id)
    rows = list(challenges.select_related("agency").order_by("response_due", "id")[: PANEL_LIMIT + 1])
    if not rows:
        return None
    shown = rows[:PANEL_LIMIT]
    return WorkPanel(
        title="Challenges with an overdue response",
        template="governance/oversight/panels/overdue_challenges.html",
        context={"challenges": shown, "more": len(rows) > PANEL_LIMIT},
        order=35,
        count=len(shown),
        urgent=len(shown),
        summary=plural(len(shown), "challenge", "challenges") + " with an overdue response",
        key="overdue-challenges",
    )
