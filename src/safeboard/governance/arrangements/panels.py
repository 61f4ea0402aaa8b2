"""The statutory partners' panel on "My work": what waits for their sign-off in the current
partnership (a draft of the arrangements, the business plan, the budget, the chair's annual review).

One query finds whether the person signs for a statutory partner here; then one query for each kind of
record, whatever the amount waiting (a ``NOT EXISTS`` on the sign-offs for their position).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef

from safeboard.core.http import AuthenticatedHttpRequest
from safeboard.core.panels import WorkPanel, plural
from safeboard.governance.arrangements.models import SIGNED_OFF_KINDS, DocumentVersion, SignOff, StatutoryPartner
from safeboard.governance.effectiveness.models import ChairReview
from safeboard.governance.oversight.models import Budget, BudgetLine, BusinessPlan
from safeboard.governance.oversight.reports import current_business_year

PANEL_LIMIT = 10


def _not_signed(model: type[Any], position: str) -> Any:
    return ~Exists(
        SignOff.objects.filter(
            subject_type=ContentType.objects.get_for_model(model), subject_id=OuterRef("pk"), position=position
        )
    )


def sign_offs_panel(request: AuthenticatedHttpRequest) -> WorkPanel | None:
    partnership = getattr(request, "partnership", None)
    user = request.user
    if partnership is None or "governance" not in partnership.modules or not user.is_authenticated:
        return None
    partner = StatutoryPartner.objects.filter(partnership=partnership, person_id=user.pk).first()
    if partner is None:
        return None
    position = partner.position
    # Records of the current business year or later (last year's chair review is reviewed this year).
    year = current_business_year(partnership)
    waiting: list[tuple[str, str]] = []
    versions = (
        DocumentVersion.objects.visible_to(user, partnership=partnership)
        .filter(
            document__partnership=partnership,
            document__kind__in=list(SIGNED_OFF_KINDS),
            published_on__isnull=True,
        )
        .filter(_not_signed(DocumentVersion, position))
        .select_related("document")
        .order_by("id")[: PANEL_LIMIT + 1]
    )
    waiting += [(str(v), v.get_absolute_url()) for v in versions]
    plans = (
        BusinessPlan.objects.visible_to(user, partnership=partnership)
        .filter(partnership=partnership, last_year__gte=year)
        .filter(_not_signed(BusinessPlan, position))
        .order_by("first_year", "id")[: PANEL_LIMIT + 1]
    )
    waiting += [(f"Business plan: {p}", p.get_absolute_url()) for p in plans]
    budgets = (
        Budget.objects.visible_to(user, partnership=partnership)
        .filter(partnership=partnership, business_year__gte=year)
        .filter(Exists(BudgetLine.objects.filter(budget=OuterRef("pk"))))
        .filter(_not_signed(Budget, position))
        .order_by("business_year", "id")[: PANEL_LIMIT + 1]
    )
    waiting += [(str(b), b.get_absolute_url()) for b in budgets]
    reviews = (
        ChairReview.objects.visible_to(user, partnership=partnership)
        .filter(partnership=partnership, business_year__gte=year - 1)
        .filter(_not_signed(ChairReview, position))
        .order_by("business_year", "id")[: PANEL_LIMIT + 1]
    )
    waiting += [(str(r), r.get_absolute_url()) for r in reviews]
    if not waiting:
        return None
    shown = waiting[:PANEL_LIMIT]
    return WorkPanel(
        title="Waiting for your sign-off",
        template="governance/arrangements/panels/sign_offs.html",
        context={"waiting": shown, "more": len(waiting) > PANEL_LIMIT, "position": partner.get_position_display()},
        order=30,
        count=len(shown),
        summary=plural(len(shown), "record", "records") + " waiting for your sign-off",
        key="sign-offs",
    )
