"""The partnership administrator's journeys on agencies: add, change, see the history; form errors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from safeboard.core.models import Agency
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

SUCCESS = ".govuk-notification-banner--success"


def test_an_administrator_adds_an_agency_changes_it_and_reads_its_history(transactional_db, world, page: Page) -> None:
    sign_in(page, world.partnership_admin)

    page.get_by_role("link", name="Agencies", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agencies")
    page.get_by_role("button", name="Add an agency").click()  # a link styled, and announced, as a button
    expect(page).to_have_url(re.compile(r"/agencies/new/$"))

    page.locator("#id_name").fill("Alphaton Youth Justice Service")
    page.locator("#id_agency_type").select_option(label="Youth justice service")
    page.locator("#id_email").fill("safeguarding@yjs.example.test")
    page.get_by_role("button", name="Save").click()

    expect(page.locator(SUCCESS)).to_contain_text("Alphaton Youth Justice Service has been added.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alphaton Youth Justice Service")
    details = page.locator(".govuk-summary-list")
    expect(details).to_contain_text("Youth justice service")
    expect(details).to_contain_text("safeguarding@yjs.example.test")
    expect(details).to_contain_text("Alpha Safeguarding Partnership")
    agency = Agency.objects.get(name="Alphaton Youth Justice Service")
    assert list(agency.partnerships.all()) == [world.alpha]
    expect(page).to_have_url(re.compile(rf"/agencies/{agency.pk}/$"))

    page.get_by_role("button", name="Change this agency").click()
    expect(page).to_have_url(re.compile(rf"/agencies/{agency.pk}/edit/$"))
    expect(page.locator("#id_name")).to_have_value("Alphaton Youth Justice Service")
    page.locator("#id_name").fill("Alphaton Youth Offending Team")
    page.get_by_role("button", name="Save").click()

    expect(page.locator(SUCCESS)).to_contain_text("Your changes to Alphaton Youth Offending Team have been saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alphaton Youth Offending Team")

    page.get_by_role("link", name="History of this record").click()
    expect(page).to_have_url(re.compile(rf"/history/core/agency/{agency.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("History of Alphaton Youth Offending Team")
    changes = page.locator(".govuk-summary-card")
    # Newest first: the rename, joining the partnership (same request as the creation), the creation.
    expect(changes).to_have_count(3)
    newest = changes.first
    expect(newest.locator(".govuk-summary-card__title")).to_contain_text("by Ada Admin")
    name_row = newest.locator("tbody tr").filter(
        has=page.locator("th", has_text=re.compile(r"^\s*name\s*$", re.IGNORECASE))
    )
    expect(name_row).to_have_count(1)
    expect(name_row.locator("td").nth(0)).to_have_text("Alphaton Youth Justice Service")  # before
    expect(name_row.locator("td").nth(1)).to_have_text("Alphaton Youth Offending Team")  # after
    # Only the name changed, so only the name is listed for that change.
    expect(newest.locator("tbody tr")).to_have_count(1)
    expect(changes.nth(1)).to_contain_text("Partnerships")
    created = changes.last
    expect(created.locator(".govuk-summary-card__title")).to_contain_text("Created by Ada Admin")
    expect(created).to_contain_text("safeguarding@yjs.example.test")
    expect(created).to_contain_text("Alphaton Youth Justice Service")


def test_an_empty_agency_form_shows_the_error_summary(transactional_db, world, page: Page) -> None:
    sign_in(page, world.partnership_admin)
    page.goto("/agencies/new/")
    page.get_by_role("button", name="Save").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", level=2)).to_have_text("There is a problem")
    # GOV.UK Frontend moves focus to the summary so screen reader users hear it first.
    expect(summary).to_be_focused()
    name_link = summary.locator("a[href='#id_name']")
    expect(name_link).to_have_text("Enter the name")
    expect(summary.locator("a[href='#id_agency_type']")).to_have_count(1)
    expect(page.locator("#id_name")).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    # The message is tied to its input, so a screen reader reads it with the field.
    expect(page.locator("#id_name")).to_have_accessible_description("Error: Enter the name")
    expect(page.locator("#id_agency_type")).to_have_accessible_description("Error: Select the type of agency")

    name_link.click()
    expect(page.locator("#id_name")).to_be_focused()
    assert (
        not Agency.objects.filter(partnerships=world.alpha)
        .exclude(pk__in=[world.agency_a.pk, world.agency_b.pk])
        .exists()
    )


def test_an_agency_on_another_board_joins_after_its_administrator_approves(
    transactional_db, world, new_context
) -> None:
    world.agency_c.code = "BC1"
    world.agency_c.save()
    asker = new_context().new_page()
    sign_in(asker, world.partnership_admin)
    asker.goto("/agencies/")
    asker.get_by_role("link", name="Add an agency already on another board").click()
    expect(asker.get_by_role("heading", level=1)).to_have_text("Add an agency already on another board")
    asker.get_by_label("Exact name or code of the agency").fill("bc1")
    asker.get_by_role("button", name="Search").click()
    expect(asker.locator(".govuk-summary-card__title")).to_have_text("Beta Council")
    asker.get_by_label("Why does your partnership need this agency? (optional)").fill("Our children go to its schools.")
    asker.get_by_role("button", name="Ask to add Beta Council").click()
    expect(asker.locator(SUCCESS)).to_contain_text("You have asked to add Beta Council")
    expect(asker.locator("main")).to_contain_text("Waiting for a decision")

    approver = new_context().new_page()
    sign_in(approver, world.other_admin)
    panel = approver.locator("section", has=approver.get_by_role("heading", name="Agencies waiting for your decision"))
    panel.get_by_role("link", name=re.compile("Alpha asks to add Beta Council")).click()
    expect(approver.locator("main")).to_contain_text("Our children go to its schools.")
    approver.get_by_label("Approve: add the agency to their partnership").check()
    approver.get_by_role("button", name="Save decision").click()
    expect(approver.locator(SUCCESS)).to_contain_text("Beta Council now sits on Alpha Safeguarding Partnership too.")

    asker.goto("/agencies/")
    expect(asker.locator("#list-results")).to_contain_text("Beta Council")
    asker.get_by_role("link", name="Beta Council").click()
    # Shared with Beta now: Alpha cannot rename it, but can take it off Alpha again.
    expect(asker.locator(".govuk-inset-text")).to_contain_text("also sits on partnerships you do not administer")
    expect(asker.get_by_role("button", name="Change this agency")).to_have_count(0)
    asker.get_by_role("button", name="Remove from Alpha").click()
    expect(asker.locator("main")).to_contain_text("stays on the other partnerships it sits on")
    asker.get_by_role("button", name="Remove from Alpha").click()
    expect(asker.locator(SUCCESS)).to_contain_text("Beta Council no longer sits on Alpha Safeguarding Partnership.")
    assert list(Agency.objects.get(pk=world.agency_c.pk).partnerships.all()) == [world.beta]
