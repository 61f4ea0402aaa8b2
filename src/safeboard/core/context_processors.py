from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from safeboard.core.http import signed_in
from safeboard.core.models import Partnership
from safeboard.core.modules import MODULES_BY_KEY
from safeboard.core.navigation import navigation_for, section_crumbs


def layout(request: HttpRequest) -> dict[str, Any]:
    """What the page template needs on every page: the partnership switcher and the navigation."""
    user = getattr(request, "user", None)
    if user is None or not signed_in(request):
        return {}
    partnership = getattr(request, "partnership", None)

    def switchable() -> list[Partnership]:  # evaluated only when the template renders the switcher
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
