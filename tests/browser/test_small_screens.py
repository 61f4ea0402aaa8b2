"""At 375 px wide (a small phone) no core page scrolls sideways: the header wraps, the service
navigation folds into its "Menu" button, and wide tables scroll inside their own box. Each page is
also checked with axe at that width."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from safeboard.accounts.demo import build_demo
from safeboard.actions.models import Action, ActionStatus
from safeboard.governance.models import BusinessPlan, Challenge, Group, Meeting
from tests.browser.conftest import assert_accessible, session_cookie

pytestmark = pytest.mark.browser

WIDTH = 375


def pages(world) -> list[str]:  # type: ignore[no-untyped-def]
    partnership = world.partnerships["nm"]
    held = Meeting.objects.filter(group__partnership=partnership, status="held").order_by("-starts_at").first()
    board = Group.objects.filter(partnership=partnership, kind="board").first()
    action = Action.objects.filter(partnership=partnership, status=ActionStatus.AWAITING_REVIEW).first()
    agency = partnership.agencies.order_by("name").first()
    return [
        reverse("core:home"),
        reverse("core:agency-list"),
        reverse("core:agency-detail", args=[agency.pk]),
        reverse("core:partnership-detail", args=[partnership.pk]),
        reverse("core:locality-list"),
        reverse("accounts:person-list"),
        reverse("accounts:my-account"),
        reverse("governance:home"),
        reverse("governance:group-detail", args=[board.pk]),
        reverse("governance:meeting-list"),
        reverse("governance:meeting-detail", args=[held.pk]),
        reverse("governance:meeting-attendance", args=[held.pk]),
        reverse("governance:attendance"),
        reverse("governance:challenge-list"),
        reverse("governance:challenge-detail", args=[Challenge.objects.filter(partnership=partnership).first().pk]),
        reverse("governance:plan-detail", args=[BusinessPlan.objects.filter(partnership=partnership).first().pk]),
        reverse("actions:action-list"),
        reverse("actions:action-detail", args=[action.pk]),
    ]


def test_no_core_page_is_wider_than_a_small_phone(transactional_db, new_context, live_server) -> None:
    world = build_demo()
    context = new_context(viewport={"width": WIDTH, "height": 800}, bypass_csp=True)
    session_cookie(context, live_server, world.people["admin"])
    page = context.new_page()
    too_wide = []
    for url in pages(world):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            culprit = page.evaluate(
                """w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1 && e.children.length === 0
                     && !e.closest('.sb-scroll-table')).slice(0, 4).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""",
                WIDTH,
            )
            too_wide.append(f"{url}: {width}px wide ({culprit})")
        assert_accessible(page)
    # My work as the chair and a lay member see it (other panels: sign-off buttons, induction steps).
    for login in ("chair", "lay", "lead.police"):
        other = new_context(viewport={"width": WIDTH, "height": 800}, bypass_csp=True)
        session_cookie(other, live_server, world.people[login])
        own = other.new_page()
        own.goto("/")
        if own.evaluate("document.documentElement.scrollWidth") > WIDTH:
            too_wide.append(f"My work as {login}")
        assert_accessible(own)
    assert not too_wide, "\n".join(too_wide)


def test_the_navigation_folds_into_a_menu_button(transactional_db, world, new_context, live_server) -> None:
    context = new_context(viewport={"width": WIDTH, "height": 800})
    session_cookie(context, live_server, world.partnership_admin)
    page = context.new_page()
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.locator("#navigation")).to_be_hidden()
    menu.click()
    expect(page.locator("#navigation")).to_be_visible()
    expect(page.locator("#navigation").get_by_role("link", name="My work")).to_be_visible()


def test_the_attendance_dashboard_fits_a_laptop_screen(transactional_db, new_context, live_server) -> None:
    """Issue 7, section 3: the dashboard (chart, agency and group summaries, then every seat) fits 1280 px."""
    world = build_demo()
    context = new_context(viewport={"width": 1280, "height": 800})
    session_cookie(context, live_server, world.people["admin"])
    page = context.new_page()
    page.goto(reverse("governance:attendance"))
    expect(page.locator(".sb-chart")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    headings = page.locator("#main-content h2").all_inner_texts()
    assert headings.index("By agency") < headings.index("By member")
