from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from safeboard.core.http import signed_in
from safeboard.core.models import Partnership
from safeboard.core.modules import MODULES_BY_KEY
from safeboard.core.navigation import navigation_for, section_crumbs
from safeboard.core.permissions import grants_for


def layout(request: HttpRequest) -> dict[str, Any]:
    """What the page template needs on every page: the partnership switcher and the navigation."""
    user = getattr(request, "user", None)
    if user is None or not signed_in(request):
        # base.html reads section_crumbs as a filter argument, which Django resolves strictly.
        return {"section_crumbs": []}
    partnership = getattr(request, "partnership", None)

    def switchable() -> list[Partnership]:  # evaluated only when the template renders the switcher
        grants = grants_for(user)
        if len(grants.roles) <= 1 and not grants.everywhere("core.view_partnership"):
            # Partnerships are visible through roles only: one role's partnership (the current one) at
            # most, so there is nothing to switch to and no need to ask the database.
            return [partnership] if partnership is not None else []
        return list(Partnership.objects.visible_to(user).filter(is_active=True).only("id", "name", "short_name"))

    modules = [MODULES_BY_KEY[key] for key in (partnership.modules if partnership else []) if key in MODULES_BY_KEY]
    navigation = navigation_for(request)
    return {
        "current_partnership": partnership,
        "switchable_partnerships": switchable,
        "partnership_modules": modules,
        "navigation": navigation,
        # Pages that set no breadcrumbs of their own get one back to their section (see base.html).
        "section_crumbs": section_crumbs(request.path, navigation),
    }
