"""Safeboard works without JavaScript; with it, list filters update in place (htmx)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import session_cookie, sign_in

pytestmark = pytest.mark.browser


def test_signing_in_and_filtering_agencies_work_without_javascript(transactional_db, world, new_context) -> None:
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, world.partnership_admin)
    # Really without JavaScript: js-enabled.js would have added this class.
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))

    page.get_by_role("link", name="Agencies", exact=True).click()
    results = page.locator("#list-results")
    expect(results).to_contain_text("Alpha Police")
    expect(results).to_contain_text("Alpha Health Trust")
    expect(results).not_to_contain_text("Beta Council")  # another partnership's agency

    page.locator("#id_name").fill("health")
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"/agencies/\?(.*&)?name=health(&|$)"))
    expect(page.locator("#id_name")).to_have_value("health")
    expect(results.get_by_role("link", name="Alpha Health Trust")).to_be_visible()
    expect(results).not_to_contain_text("Alpha Police")

    page.locator("#id_name").fill("no such agency")
    page.get_by_role("button", name="Apply filters").click()
    expect(results).to_contain_text("Nothing matches these filters")

    page.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(re.compile(r"/agencies/$"))
    expect(results).to_contain_text("Alpha Police")


def test_filters_update_the_list_in_place_with_javascript(transactional_db, world, page: Page, live_server) -> None:
    session_cookie(page.context, live_server, world.partnership_admin)
    page.goto("/agencies/")
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    results = page.locator("#list-results")
    expect(results).to_contain_text("Alpha Police")
    page.evaluate("window.stillTheSamePage = true")

    page.locator("#id_name").fill("police")
    page.get_by_role("button", name="Apply filters").click()

    expect(results).not_to_contain_text("Alpha Health Trust")
    expect(results.get_by_role("link", name="Alpha Police")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/agencies/\?(.*&)?name=police(&|$)"))  # pushed, so it can be shared
    assert page.evaluate("window.stillTheSamePage === true"), "the filter reloaded the whole page"
    expect(page.locator("#list-results")).to_have_count(1)  # swapped, not nested


def test_pages_break_no_content_security_policy_rule(transactional_db, world, new_context, live_server) -> None:
    context = new_context()
    session_cookie(context, live_server, world.partnership_admin)
    page = context.new_page()
    page.goto("/agencies/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agencies")
    page.wait_for_load_state("load")
    refused = [e for e in context.js_errors if "Content Security Policy" in e]
    assert not refused, "\n".join(refused)
