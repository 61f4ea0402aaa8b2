"""Every main page, checked with axe-core against WCAG 2.0, 2.1 and 2.2 at levels A and AA.

Each case opens one page as one kind of person (signed in as a partnership administrator, as a
system administrator, half-way through sign-in, or signed out), optionally does one thing on it
(submits a form to show errors, saves to show a banner), then expects zero axe violations. Every
case runs twice: in a laptop-sized window and at 375 px wide, a small phone (issue 7, acceptance 3),
where the header wraps, the navigation folds into its Menu button and tables scroll in their own box.
All cases share the one browser of the session; each gets only a fresh context.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from safeboard.accounts.models import Membership
from safeboard.core.permissions import Role
from tests.actions.matrix_rows import build as build_actions
from tests.browser.conftest import assert_accessible, axe_violations, describe_violations, session_cookie
from tests.factories import authenticator
from tests.governance.matrix_rows_meetings import build as build_meetings
from tests.governance.matrix_rows_oversight import build as build_oversight

pytestmark = pytest.mark.browser


def _submit_empty(page: Page) -> None:
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def _submit_token_form_empty(page: Page) -> None:
    # The expiry radios start with one chosen; clear them to see both error styles (input and fieldset).
    page.evaluate("document.querySelectorAll('input[name=days]').forEach(radio => { radio.checked = false; })")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary li")).to_have_count(2)


def _has_switcher(page: Page) -> None:
    expect(page.locator("#partnership-switcher")).to_be_visible()


def _save_unchanged(page: Page) -> None:
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()


def _wrong_password(page: Page) -> None:
    page.locator("#id_email").fill("nobody@example.test")
    page.locator("#id_password").fill("not-the-password")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def _wrong_code(page: Page) -> None:
    page.locator("#id_code").fill("12345x")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def _join_request(w, suffix: str = "") -> str:  # type: ignore[no-untyped-def]
    """Alpha asks to add Beta's council; the path of the requests page, or of the request itself."""
    from safeboard.core.models import AgencyJoinRequest

    join = AgencyJoinRequest.objects.create(agency=w.agency_c, partnership=w.alpha, requested_by=w.partnership_admin)
    return f"/agencies/requests/{join.pk}/" if suffix == "detail" else "/agencies/requests/"


def _shared_person(w) -> str:  # type: ignore[no-untyped-def]
    Membership.objects.create(user=w.practitioner_b, partnership=w.beta, role=Role.PRACTITIONER)
    return f"/people/{w.practitioner_b.pk}/"


def _email_link(w) -> str:  # type: ignore[no-untyped-def]
    from django.core import signing

    from safeboard.accounts.services import EMAIL_CHANGE_SALT

    person = w.practitioner_a
    token = signing.dumps(
        {"person": person.pk, "old": person.email, "new": "pat.new@example.test"}, salt=EMAIL_CHANGE_SALT
    )
    return f"/account/email/confirm/{token}/"


def _submit_decision_empty(page: Page) -> None:
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


@dataclass(frozen=True)
class Case:
    who: str  # a persona from the world, "anonymous", "two_partnerships", "needs_setup" or "needs_code"
    path: Callable[..., str]
    then: Callable[[Page], None] | None = None
    status: int = 200


ADMIN, SYSADMIN = "partnership_admin", "system_admin"

CASES = {
    # Signed in as the partnership administrator.
    "my-work": Case(ADMIN, lambda w: "/"),
    "agencies": Case(ADMIN, lambda w: "/agencies/"),
    "agencies-filtered-to-nothing": Case(ADMIN, lambda w: "/agencies/?name=zzz"),
    "agency": Case(ADMIN, lambda w: f"/agencies/{w.agency_a.pk}/"),
    "agency-edit": Case(ADMIN, lambda w: f"/agencies/{w.agency_a.pk}/edit/"),
    "agency-saved-banner": Case(ADMIN, lambda w: f"/agencies/{w.agency_a.pk}/edit/", then=_save_unchanged),
    "agency-new": Case(ADMIN, lambda w: "/agencies/new/"),
    "agency-new-errors": Case(ADMIN, lambda w: "/agencies/new/", then=_submit_empty),
    "localities": Case(ADMIN, lambda w: "/localities/"),
    "people": Case(ADMIN, lambda w: "/people/"),
    "person": Case(ADMIN, lambda w: f"/people/{w.practitioner_a.pk}/"),
    "person-new": Case(ADMIN, lambda w: "/people/new/"),
    "my-account": Case(ADMIN, lambda w: "/account/"),
    "token-new": Case(ADMIN, lambda w: "/account/tokens/new/"),
    "token-new-errors": Case(ADMIN, lambda w: "/account/tokens/new/", then=_submit_token_form_empty),
    "partnership": Case(ADMIN, lambda w: f"/partnerships/{w.alpha.pk}/"),
    # Shared people and agencies (issue 6).
    "agency-join-found": Case(ADMIN, lambda w: "/agencies/join/?q=Beta+Council"),
    "agency-join-nothing-found": Case(ADMIN, lambda w: "/agencies/join/?q=zzz"),
    "agency-remove": Case(ADMIN, lambda w: f"/agencies/{w.agency_a.pk}/remove/"),
    "agency-requests": Case("other_admin", _join_request),
    "agency-request-errors": Case("other_admin", lambda w: _join_request(w, "detail"), then=_submit_decision_empty),
    "person-shared": Case(ADMIN, _shared_person),
    "email-change": Case(ADMIN, lambda w: "/account/email/"),
    "email-confirm": Case("anonymous", _email_link),
    "agency-history": Case(ADMIN, lambda w: f"/history/core/agency/{w.agency_a.pk}/"),
    "header-switcher": Case("two_partnerships", lambda w: "/", then=_has_switcher),
    "not-found": Case(ADMIN, lambda w: "/agencies/999999999/", status=404),
    "forbidden": Case(ADMIN, lambda w: "/audit/", status=403),
    # Board business and the action log (records made by the modules' matrix builders).
    "board-home": Case(ADMIN, lambda w: "/board/"),
    "groups": Case(ADMIN, lambda w: "/board/groups/"),
    "group": Case(ADMIN, lambda w: f"/board/groups/{w.extras['meetings_group'].pk}/"),
    "meeting": Case(ADMIN, lambda w: f"/board/meetings/{w.extras['meetings_meeting'].pk}/"),
    "meeting-attendance": Case(ADMIN, lambda w: f"/board/meetings/{w.extras['meetings_meeting'].pk}/attendance/"),
    "meeting-minutes": Case(ADMIN, lambda w: f"/board/meetings/{w.extras['meetings_meeting'].pk}/minutes/"),
    "meeting-cancel": Case(ADMIN, lambda w: f"/board/meetings/{w.extras['meetings_meeting'].pk}/cancel/"),
    "meeting-new": Case(ADMIN, lambda w: f"/board/groups/{w.extras['meetings_group'].pk}/meetings/new/"),
    "attendance-dashboard": Case(ADMIN, lambda w: "/board/attendance/"),
    "plans": Case(ADMIN, lambda w: "/board/plans/"),
    "plan": Case(ADMIN, lambda w: f"/board/plans/{w.extras['oversight_plan'].pk}/"),
    "challenges": Case(ADMIN, lambda w: "/board/challenges/"),
    "funding": Case(ADMIN, lambda w: "/board/funding/"),
    "accountability": Case(ADMIN, lambda w: "/board/accountability/"),
    "actions": Case(ADMIN, lambda w: "/actions/"),
    "action": Case(ADMIN, lambda w: f"/actions/{w.extras['action'].pk}/"),
    "action-new": Case(ADMIN, lambda w: "/actions/new/"),
    "action-evidence-new": Case(ADMIN, lambda w: f"/actions/{w.extras['action'].pk}/evidence/new/"),
    "actions-report": Case(ADMIN, lambda w: "/actions/report/"),
    # Signed in as the system administrator.
    "sysadmin-my-work": Case(SYSADMIN, lambda w: "/"),
    "partnerships": Case(SYSADMIN, lambda w: "/partnerships/"),
    "audit-changes": Case(SYSADMIN, lambda w: "/audit/"),
    "audit-views": Case(SYSADMIN, lambda w: "/audit/views/"),
    # Half-way through signing in: password given, code not yet.
    "two-factor-setup": Case("needs_setup", lambda w: "/account/two-factor/"),
    "sign-in-code": Case("needs_code", lambda w: "/sign-in/code/"),
    "sign-in-code-error": Case("needs_code", lambda w: "/sign-in/code/", then=_wrong_code),
    # Signed out.
    "sign-in": Case("anonymous", lambda w: "/sign-in/"),
    "sign-in-error": Case("anonymous", lambda w: "/sign-in/", then=_wrong_password),
    "password-reset": Case("anonymous", lambda w: "/password-reset/"),
}


# Window widths every case is checked at: Playwright's default laptop window, and a small phone.
VIEWPORTS = {"1280px": {"width": 1280, "height": 720}, "375px": {"width": 375, "height": 800}}


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_page_has_no_accessibility_violations(
    transactional_db, world, new_context, live_server, case: Case, viewport: dict[str, int]
) -> None:
    # axe is injected as an inline script, which Safeboard's Content Security Policy would refuse.
    context = new_context(bypass_csp=True, viewport=viewport)
    if case.who == "needs_setup":
        assert not TOTPDevice.objects.filter(user=world.practitioner_a).exists()
        session_cookie(context, live_server, world.practitioner_a, second_factor=False)
    elif case.who == "needs_code":
        authenticator(world.practitioner_b)
        session_cookie(context, live_server, world.practitioner_b, second_factor=False)
    elif case.who == "two_partnerships":
        Membership.objects.create(user=world.partnership_admin, partnership=world.beta, role=Role.BOARD_MEMBER)
        session_cookie(context, live_server, world.partnership_admin)
    elif case.who != "anonymous":
        session_cookie(context, live_server, world.persona(case.who))
    page = context.new_page()

    for build in (build_actions, build_meetings, build_oversight):
        build(world)
    path = case.path(world)
    response = page.goto(path)
    assert response is not None and response.status == case.status, f"{path} answered {response and response.status}"
    assert page.url == live_server.url + path, f"{path} redirected to {page.url}"
    expect(page.locator("h1")).to_have_count(1)
    if case.then:
        case.then(page)

    assert_accessible(page)


def test_api_docs_load(transactional_db, world, new_context, live_server) -> None:
    """Swagger UI (third-party markup, so no axe run): it loads and reads the schema."""
    context = new_context()
    session_cookie(context, live_server, world.partnership_admin)
    page = context.new_page()
    response = page.goto("/api/docs/")
    assert response is not None and response.ok
    expect(page).to_have_title(re.compile("Safeboard API"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Safeboard API")
    expect(page.locator(".swagger-ui .opblock-tag").first).to_be_visible()


def test_the_accessibility_check_finds_a_planted_violation(transactional_db, world, new_context) -> None:
    """Guards the check itself: a silent axe failure must not look like an accessible page."""
    page = new_context(bypass_csp=True).new_page()
    page.goto("/sign-in/")
    assert_accessible(page)
    page.evaluate("document.querySelector('label[for=id_email]').remove()")
    violations = axe_violations(page)
    assert [v["id"] for v in violations] == ["label"], describe_violations(page.url, violations)
    assert violations[0]["nodes"][0]["target"] == ["#id_email"]
