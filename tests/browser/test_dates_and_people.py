"""The GOV.UK date input and the person picker in a real browser, with and without JavaScript, and axe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from safeboard.actions.models import Action
from safeboard.core.people import PersonPicker
from tests.browser.conftest import assert_accessible, session_cookie

pytestmark = pytest.mark.browser


def _fill_action(page: Page, title: str) -> None:
    page.get_by_label("What needs to be done").fill(title)
    page.locator("#id_due_date-day").fill("8")
    page.locator("#id_due_date-month").fill("1")
    page.locator("#id_due_date-year").fill("2027")
    page.get_by_label("Agency responsible").select_option(label="Alpha Police")


def test_without_javascript_a_date_and_a_person_are_entered_and_saved(  # type: ignore[no-untyped-def]
    transactional_db, world, new_context, live_server
) -> None:
    context = new_context(java_script_enabled=False)
    session_cookie(context, live_server, world.partnership_admin)
    page = context.new_page()
    page.goto("/actions/new/")
    expect(page.locator("input[type=date], input[type=time]")).to_have_count(0)
    _fill_action(page, "Refresh the neglect toolkit")
    owner = page.get_by_label("Owner", exact=True)
    expect(owner).to_contain_text("Pat Alpha (Alpha Police, Practitioner)")  # agency and role
    owner.select_option(label="Pat Alpha (Alpha Police, Practitioner)")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Refresh the neglect toolkit")
    expect(page.locator("main")).to_contain_text("8 January 2027")
    action = Action.objects.get(title="Refresh the neglect toolkit")
    assert action.due_date == dt.date(2027, 1, 8) and action.owner == world.practitioner_a


def test_without_javascript_a_long_list_of_people_is_a_search_step(  # type: ignore[no-untyped-def]
    transactional_db, world, new_context, live_server, monkeypatch
) -> None:
    monkeypatch.setattr(PersonPicker, "list_limit", 2)  # the live server runs in this process
    context = new_context(java_script_enabled=False)
    session_cookie(context, live_server, world.partnership_admin)
    page = context.new_page()
    page.goto("/actions/new/")
    expect(page.get_by_label("Owner", exact=True).locator("option")).to_have_count(1)
    _fill_action(page, "Audit the missing episodes")
    page.locator("#id_owner-search").fill("pat alpha")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the owner in the list of people found")
    # What was typed is kept, the date too; the matches are offered.
    expect(page.locator("#id_due_date-day")).to_have_value("8")
    page.get_by_label("Owner", exact=True).select_option(label="Pat Alpha (Alpha Police, Practitioner)")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit the missing episodes")
    assert Action.objects.get(title="Audit the missing episodes").owner == world.practitioner_a


def test_with_javascript_the_person_picker_is_an_autocomplete(  # type: ignore[no-untyped-def]
    transactional_db, world, new_context, live_server
) -> None:
    context = new_context()  # the Content Security Policy applies: a refused script fails the test
    session_cookie(context, live_server, world.partnership_admin)
    page = context.new_page()
    page.goto("/actions/new/")
    combobox = page.get_by_role("combobox", name="Owner")
    expect(combobox).to_be_visible()
    expect(page.locator("select#id_owner-select")).to_be_hidden()
    _fill_action(page, "Write the exploitation strategy")
    combobox.fill("pat")
    option = page.get_by_role("option", name=re.compile(r"Pat Alpha\s*Alpha Police, Practitioner"))
    expect(option).to_be_visible()
    option.click()
    expect(combobox).to_have_value("Pat Alpha (Alpha Police, Practitioner)")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Write the exploitation strategy")
    action = Action.objects.get(title="Write the exploitation strategy")
    assert action.owner == world.practitioner_a and action.due_date == dt.date(2027, 1, 8)


def test_the_date_input_and_the_picker_pass_axe(  # type: ignore[no-untyped-def]
    transactional_db, world, new_context, live_server, monkeypatch
) -> None:
    monkeypatch.setattr(PersonPicker, "list_limit", 2)  # the search box and its select, as well
    for enhanced in (True, False):
        context = new_context(bypass_csp=True)  # axe is injected as a script
        if not enhanced:
            # The page as it is without JavaScript (its scripts never load), while axe can still run.
            context.route(
                re.compile(r".*\.(m?js)(\?.*)?$"),
                lambda route: route.fulfill(status=200, content_type="text/javascript", body=""),
            )
        session_cookie(context, live_server, world.partnership_admin)
        page = context.new_page()
        page.goto("/actions/new/")
        if enhanced:
            page.get_by_role("combobox", name="Owner").fill("alpha")
            expect(page.get_by_role("option").first).to_be_visible()
        else:
            expect(page.locator("#id_owner-search")).to_be_visible()
        assert_accessible(page)
        # With errors: the date's boxes in error, the summary linking to the first box.
        page.get_by_label("What needs to be done").fill("Something")
        page.locator("#id_due_date-day").fill("31")
        page.locator("#id_due_date-month").fill("2")
        page.locator("#id_due_date-year").fill("2027")
        page.get_by_role("button", name="Save").click()
        expect(page).to_have_title(re.compile(r"^Error: "))
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Due date must be a real date")
        expect(summary.get_by_role("link", name="Due date must be a real date")).to_have_attribute(
            "href", "#id_due_date-day"
        )
        assert_accessible(page)
