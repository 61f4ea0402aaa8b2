"""Case reviews in a browser: the review manager adds a notified case, records the notification, the
rapid review with the partners' sign-off, the Panel's response and the decision, and watches the
clocks; axe finds nothing on any page on the way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safeboard.core.workdays import add_working_days
from safeboard.reviews.models import Review
from tests.browser.conftest import assert_accessible, session_cookie
from tests.reviews.helpers import partners, review_manager, switch_on

pytestmark = pytest.mark.browser


def fill_date(page: Page, name: str, day: dt.date) -> None:
    page.locator(f"#id_{name}-day").fill(str(day.day))
    page.locator(f"#id_{name}-month").fill(str(day.month))
    page.locator(f"#id_{name}-year").fill(str(day.year))


def go(page: Page, name: str) -> None:
    """Follow a step: the primary one is a link drawn as a button, the others plain links."""
    page.get_by_role("button", name=name).or_(page.get_by_role("link", name=name)).first.click()


def save(page: Page) -> None:
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()


def test_the_review_manager_notifies_records_the_rapid_review_and_decision_and_sees_the_clock(
    transactional_db, world, new_context, live_server
) -> None:
    switch_on(world.alpha)
    manager = review_manager(world.alpha, world.agency_a)
    partners(world.alpha)
    today = timezone.localdate()
    aware_on = add_working_days(today, -3, world.alpha)
    context = new_context(bypass_csp=True)  # axe is injected as an inline script
    session_cookie(context, live_server, manager)
    page = context.new_page()

    page.goto("/reviews/")
    assert_accessible(page)
    go(page, "Add a review")
    assert_accessible(page)
    page.get_by_label("Case reference", exact=True).fill("CR-BROWSER-1")
    page.get_by_label("Type of review").select_option(label="Rapid review")
    fill_date(page, "incident_on", aware_on)
    fill_date(page, "aware_on", aware_on)
    page.get_by_label("Alpha Police").check()
    page.get_by_label("Child's case reference").fill("C-501")
    page.get_by_label("Age", exact=True).select_option(label="1 to 4")
    page.get_by_label("Sex", exact=True).select_option(label="Female")
    page.get_by_label("Ethnicity", exact=True).select_option(label="Not known or not recorded")
    save(page)

    # The statutory clock runs: 2 working days left to notify the Panel.
    clocks = page.locator("#clocks + table")
    expect(clocks).to_contain_text("Panel, Ofsted and the DfE notified")
    expect(clocks).to_contain_text("Statutory")
    expect(clocks).to_contain_text("2 working days left")
    assert_accessible(page)

    go(page, "Record the notification")
    save(page)
    expect(page.locator("#clocks + table")).to_contain_text("Met")

    go(page, "Add an agency's summary")
    page.get_by_label("Agency", exact=True).select_option(label="Alpha Police")
    page.get_by_label("What the agency knew and did").fill("Attended the address twice in the spring.")
    save(page)

    go(page, "Record the rapid review")
    assert_accessible(page)
    page.get_by_label("Carry out a local child safeguarding practice review").check()
    page.get_by_label("Reasons, against the criteria for a local review").fill(
        "Agencies' work together is in question."
    )
    save(page)

    go(page, "Record the partners' sign-off")
    assert_accessible(page)
    save(page)
    go(page, "Record the date sent to the Panel")
    save(page)
    go(page, "Record the Panel's response")
    page.get_by_label("Agrees", exact=True).check()
    fill_date(page, "responded_on", today)
    save(page)

    go(page, "Record the partners' decision")
    assert_accessible(page)
    # A decision dated before the notification is refused, with the reason beside the date.
    page.get_by_label("Carry out a local child safeguarding practice review").check()
    fill_date(page, "decided_on", aware_on - dt.timedelta(days=1))
    page.get_by_label("Reasons for the decision").fill("The Panel agrees.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The decision cannot be dated before the notification")
    assert_accessible(page)
    fill_date(page, "decided_on", today)
    save(page)

    expect(page.locator("#clocks + table")).to_contain_text("Local review published")
    expect(page.get_by_role("button", name="Record the publication dates")).to_be_visible()
    assert_accessible(page)
    review = Review.objects.get(reference="CR-BROWSER-1")
    assert review.decision == "local_review" and review.decided_by.count() == 3

    page.goto("/reviews/clocks/")
    assert_accessible(page)
