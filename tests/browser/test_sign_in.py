"""Signing in through the real pages, first-time authenticator set-up, and the partnership switcher."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from safeboard.accounts.models import Membership
from safeboard.core.permissions import Role
from tests.browser.conftest import current_code, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

HEADER_SERVICE = ".sb-header__service"


def test_a_person_signs_in_with_password_and_authenticator_code(transactional_db, world, page: Page) -> None:
    sign_in(page, world.partnership_admin)

    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.locator("main")).to_contain_text("You are working in Alpha Safeguarding Partnership")
    expect(page.locator(HEADER_SERVICE)).to_contain_text("Alpha")
    expect(page.locator("header")).to_contain_text("Ada Admin")
    # One partnership only: no switcher.
    expect(page.locator("#partnership-switcher")).to_have_count(0)


def test_a_wrong_authenticator_code_is_refused(transactional_db, world, page: Page) -> None:
    device = TOTPDevice.objects.create(user=world.practitioner_a, name="Phone", confirmed=True)
    page.goto("/sign-in/")
    page.locator("#id_email").fill(world.practitioner_a.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/sign-in/code/"))

    good = current_code(device)
    page.locator("#id_code").fill(f"{(int(good) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    expect(page.locator(".govuk-error-summary a[href='#id_code']")).to_contain_text("That code is not right")
    # Until the code is given, every other page sends the person back to the code page.
    page.goto("/agencies/")
    expect(page).to_have_url(re.compile(r"/sign-in/code/$"))


def test_first_sign_in_without_an_authenticator_sets_one_up(transactional_db, world, page: Page) -> None:
    person = world.practitioner_a
    assert not TOTPDevice.objects.filter(user=person).exists()

    page.goto("/sign-in/")
    page.locator("#id_email").fill(person.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/account/two-factor/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.locator(".sb-qr svg")).to_be_visible()
    expect(page.locator("#secret-key")).to_have_text(re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$"))

    device = TOTPDevice.objects.get(user=person, confirmed=False)
    page.locator("#id_code").fill(current_code(device))
    page.get_by_role("button", name="Confirm and continue").click()

    expect(page).to_have_title("My work – Safeboard")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your authenticator app is set up.")
    expect(page.locator("main")).to_contain_text("Alpha Safeguarding Partnership")
    device.refresh_from_db()
    assert device.confirmed


def test_switching_partnership_from_the_header(transactional_db, world, page: Page) -> None:
    Membership.objects.create(user=world.partnership_admin, partnership=world.beta, role=Role.BOARD_MEMBER)
    sign_in(page, world.partnership_admin)

    switcher = page.locator("#partnership-switcher")
    expect(switcher.locator("option:checked")).to_have_text("Alpha Safeguarding Partnership")
    expect(page.locator(HEADER_SERVICE)).to_contain_text("Alpha")

    page.goto("/agencies/")
    expect(page.locator("#list-results")).to_contain_text("Alpha Police")
    switcher.select_option(label="Beta Safeguarding Partnership")
    page.get_by_role("button", name="Switch").click()

    # Back on the page the person was on, now in Beta.
    expect(page).to_have_url(re.compile(r"/agencies/$"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You are now working in Beta Safeguarding Partnership."
    )
    expect(page.locator(HEADER_SERVICE)).to_contain_text("Beta")
    expect(page.locator(HEADER_SERVICE)).not_to_contain_text("Alpha")
    expect(switcher.locator("option:checked")).to_have_text("Beta Safeguarding Partnership")
    expect(page.locator("#list-results")).to_contain_text("Beta Council")
    expect(page.locator("#list-results")).not_to_contain_text("Alpha Police")

    page.get_by_role("link", name="My work").click()
    expect(page.locator("main")).to_contain_text("You are working in Beta Safeguarding Partnership")


def test_signing_out_ends_the_session(transactional_db, world, page: Page) -> None:
    sign_in(page, world.scrutiny)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You have signed out.")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
