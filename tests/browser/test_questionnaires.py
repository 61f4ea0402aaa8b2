"""Questionnaires in a real browser: the administrator's pages and the GOV.UK form, with axe on each state."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, session_cookie
from tests.core.matrix_rows_questionnaires import build

pytestmark = pytest.mark.browser


def test_an_administrator_previews_a_version_sees_the_errors_then_valid_answers(
    transactional_db, world, new_context, live_server
) -> None:
    build(world)
    context = new_context(bypass_csp=True)  # axe is injected as an inline script
    session_cookie(context, live_server, world.partnership_admin)
    page = context.new_page()

    page.goto("/questionnaires/")
    expect(page.locator("h1")).to_have_text("Questionnaires")
    assert_accessible(page)
    page.get_by_role("link", name="Exploitation screening (example)").click()
    expect(page.get_by_role("button", name="Publish version 2")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Preview version 2").click()
    expect(page.locator("h1")).to_have_text("Screening, shorter")
    assert_accessible(page)
    page.get_by_role("button", name="Check these answers").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Select yes if the child has gone missing in the last three months")
    assert_accessible(page)
    # The summary's link takes the person to the question.
    summary.get_by_role("link", name="Select yes if the child has gone missing in the last three months").click()
    expect(page.locator("#q-missing")).to_be_focused()

    fieldset = page.get_by_role("group", name="When was the concern first raised?")
    fieldset.get_by_label("Day").fill("2")
    fieldset.get_by_label("Month").fill("11")
    fieldset.get_by_label("Year").fill("2026")
    page.get_by_role("radio", name="School or college").check()
    page.get_by_role(
        "group", name="Has the child gone missing from home or care in the last three months?"
    ).get_by_role("radio", name="No").check()
    page.get_by_role("group", name="Does the child have money, phones").get_by_role("radio", name="No").check()
    page.get_by_role("group", name="Is the child spending time with older people").get_by_role(
        "radio", name="Yes"
    ).check()
    page.get_by_role("checkbox", name="Carrying drugs, weapons or large amounts of cash").check()
    page.get_by_role("radio", name="Excluded, or rarely attends").check()
    page.get_by_role("radio", name="4", exact=True).check()
    page.get_by_label("What makes you think this?").fill("Seen at an address the police know.")
    page.get_by_role("button", name="Check these answers").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("These answers are valid")
    expect(page.locator(".govuk-panel__body")).to_have_text("Score 11: Medium")
    assert_accessible(page)

    page.goto(f"/questionnaires/responses/{world.extras['response'].pk}/")
    expect(page.locator("h1")).to_have_text("Exploitation screening (example)")
    assert_accessible(page)
