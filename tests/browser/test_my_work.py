"""Acceptance: each demo role signs in and sees first, on My work, what waits for them.

The demo data (``manage.py load_demo``) gives each of these people something to do; the test
checks that My work opens with "Waiting for you", lists exactly the kinds of work each person has,
puts late things first, and shows no card for a module that is not there yet.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from safeboard.accounts.demo import build_demo
from tests.browser.conftest import session_cookie

pytestmark = pytest.mark.browser

# Demo login -> the panels they must see (and, for some, a phrase inside one).
EXPECTED: dict[str, tuple[list[str], list[str]]] = {
    "chair": (["Evidence to review", "Minutes", "Your next meetings"], ["to sign off as chair"]),
    "admin": (
        ["Attendance to record", "Evidence to review", "Minutes", "Challenges with an overdue response"],
        ["Draft minutes waiting for approval", "Record attendance"],
    ),
    "board": (
        ["Your next meetings", "Your actions", "Challenges with an overdue response", "Minutes"],
        ["re-referral rate", "to sign off as chair"],
    ),
    "lay": (["Your induction", "Your next meetings"], ["Six-month meeting with the chair was due"]),
    "lead.police": (
        ["Challenges with an overdue response", "Your actions", "Your next meetings"],
        ["return interview within 72 hours"],
    ),
    "practitioner": (["Your actions"], []),
    "qa": (["Your actions"], []),
}
ABSENT: dict[str, list[str]] = {
    "chair": ["Attendance to record", "Board business to follow up"],
    "lay": ["Evidence to review", "Attendance to record"],
    "practitioner": ["Evidence to review", "Minutes", "Your next meetings"],
    "lead.police": ["Evidence to review", "Attendance to record"],
}


def test_each_demo_role_sees_first_what_waits_for_them(transactional_db, new_context, live_server) -> None:
    world = build_demo()
    for login, (panels, phrases) in EXPECTED.items():
        context = new_context(viewport={"width": 1280, "height": 800})
        session_cookie(context, live_server, world.people[login])
        page = context.new_page()
        page.goto("/")
        main = page.locator("#main-content")
        expect(main).not_to_contain_text("Not yet available")
        # The first thing after the page heading is the list of what waits.
        assert main.locator("h2").first.inner_text() == "Waiting for you", login
        headings = [h.split(" ")[0:] for h in main.locator("section[id^=work-] > h2").all_inner_texts()]
        titles = [" ".join(word for word in h if not word.isdigit()).strip() for h in headings]
        for title in panels:
            assert title in titles, f"{login} should see {title!r}; saw {titles}"
        for title in ABSENT.get(login, []):
            assert title not in titles, f"{login} should not see {title!r}"
        for phrase in phrases:
            expect(main).to_contain_text(phrase)
        # Late things first: once a panel without anything overdue appears, no overdue one follows.
        urgent = main.locator(".sb-work-summary li").evaluate_all(
            "items => items.map(li => li.querySelector('.govuk-tag--red') !== null)"
        )
        assert urgent == sorted(urgent, reverse=True), f"{login}: {urgent}"
        # Every link in a panel leads somewhere the person may go.
        for href in main.locator("section[id^=work-] a[href^='/']").evaluate_all(
            "links => [...new Set(links.map(a => a.getAttribute('href')))].slice(0, 6)"
        ):
            response = page.request.get(href)
            assert response.status == 200, f"{login}: {href} answered {response.status}"
        context.close()
