"""The service navigation: the links a person sees depend on what they may do."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from safeboard.core.http import AuthenticatedHttpRequest
from safeboard.core.permissions import grants_for
from safeboard.core.querysets import user_can


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation_for(request: AuthenticatedHttpRequest) -> list[NavItem]:
    user = request.user
    partnership = request.partnership
    path = request.path
    items: list[tuple[str, str, str]] = [("My work", "core:home", "/")]
    if partnership is not None:
        if "governance" in partnership.modules and user_can(user, "governance.view_group", partnership):
            items.append(("Board business", "governance:home", "/board/"))
        if "reviews" in partnership.modules and user_can(user, "reviews.view_review", partnership):
            from safeboard.reviews.access import can_open_register

            if can_open_register(user, partnership):
                items.append(("Case reviews", "reviews:review-list", "/reviews/"))
        if user_can(user, "actions.view_action", partnership):
            items.append(("Actions", "actions:action-list", "/actions/"))
        if user_can(user, "core.view_agency", partnership):
            items.append(("Agencies", "core:agency-list", "/agencies/"))
        # Places are the business unit's set-up: people who only read them (board and lay members,
        # practitioners) meet them inside forms and filters, not as a page of their own.
        if user_can(user, "core.add_locality", partnership) or user_can(user, "core.change_locality", partnership):
            items.append(("Areas and localities", "core:locality-list", "/localities/"))
        if user_can(user, "accounts.view_user", partnership) and (
            user_can(user, "accounts.add_user", partnership) or user_can(user, "accounts.view_membership", partnership)
        ):
            items.append(("People", "accounts:person-list", "/people/"))
    grants = grants_for(user)
    if grants.everywhere("core.view_auditlog"):
        items.append(("Partnerships", "core:partnership-list", "/partnerships/"))
        items.append(("Audit trail", "core:audit-changes", "/audit/"))
    items.append(("My account", "accounts:my-account", "/account/"))
    result = []
    for label, name, prefix in items:
        try:
            url = reverse(name)
        except NoReverseMatch:  # a module whose pages are not installed
            continue
        active = path == "/" if prefix == "/" else path.startswith(prefix)
        result.append(NavItem(label, url, active))
    return result


def section_crumbs(path: str, navigation: list[NavItem]) -> list[tuple[str, str]]:
    """The breadcrumb a page below the top level gets when its view sets none: back to the section
    it sits in (the navigation item that is active), or to My work. Top-level pages get none."""
    if any(item.url == path for item in navigation) or path == "/":
        return []
    for item in navigation:
        if item.active and item.url != "/":
            return [(item.label, item.url)]
    home = next((item for item in navigation if item.url == "/"), None)
    return [(home.label, home.url)] if home else []
