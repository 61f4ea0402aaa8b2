"""Browser tests: Playwright (sync API) driving Debian's /usr/bin/chromium against pytest-django's live server.

One browser for the whole session; every test gets a fresh context (its own cookies), so tests
never see each other's sessions. Never a downloaded browser: no ``playwright install``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

# Playwright's sync API runs an asyncio loop in this thread; Django would otherwise refuse ORM calls
# from the test code ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.oath import TOTP, totp  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright  # noqa: E402

from safeboard.accounts.models import User  # noqa: E402
from tests.factories import PASSWORD, authenticator  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 10_000

# Every Playwright assertion waits up to this long (the default is 5 s; a busy 2-core CI box needs more).
expect.set_options(timeout=TIMEOUT_MS)


# --- The browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh (never `playwright install`).")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class PageErrors(list):
    """JavaScript exceptions and console errors (a Content Security Policy refusal is one) seen by a context."""


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator[Callable[..., BrowserContext]]:  # type: ignore[no-untyped-def]
    """``new_context(**options)``: a fresh browser context on the live server, closed after the test.

    Each context gets ``context.js_errors``, filled as its pages report errors; the test fails if
    any are left at the end, so a script the Content Security Policy blocks cannot go unnoticed.
    """
    contexts: list[BrowserContext] = []

    def _new(**options) -> BrowserContext:  # type: ignore[no-untyped-def]
        context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
        context.set_default_timeout(TIMEOUT_MS)
        errors = PageErrors()
        context.js_errors = errors  # type: ignore[attr-defined]

        def watch(page: Page) -> None:
            page.on("pageerror", lambda exc: errors.append(f"{page.url}: uncaught {exc}"))
            page.on("console", lambda msg: errors.append(f"{page.url}: console {msg.text}") if msg.type == "error" else None)

        context.on("page", watch)
        contexts.append(context)
        return context

    yield _new
    failures = []
    for context in contexts:
        failures.extend(context.js_errors)  # type: ignore[attr-defined]
        context.close()
    if failures:
        pytest.fail("The browser reported errors:\n" + "\n".join(failures), pytrace=False)


@pytest.fixture
def page(new_context) -> Page:  # type: ignore[no-untyped-def]
    """A page in a fresh, JavaScript-enabled context."""
    return new_context().new_page()


# --- Signing in -----------------------------------------------------------------------------------------


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now, for ``device``.

    django-otp refuses a code for a time step it has already accepted (replay protection), so after
    a sign-in in the same 30 seconds this gives the next step's code, which the device's drift
    tolerance accepts.
    """
    device.refresh_from_db()
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    drift = device.drift + max(0, device.last_t + 1 - now)
    assert drift - device.drift <= device.tolerance, "signed in too often in one minute for the device to accept"
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):0{device.digits}d}"


def sign_in(page: Page, user: User, device: TOTPDevice | None = None) -> None:
    """The real sign-in: email and password, then the code from the authenticator app; ends on My work."""
    device = device or authenticator(user)
    page.goto("/sign-in/")
    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sign-in/code/**")
    page.locator("#id_code").fill(current_code(device))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    expect(page).to_have_title("My work – Safeboard")


def session_cookie(context: BrowserContext, live_server, user: User, *, second_factor: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Put a ready-made session for ``user`` into ``context`` (faster than the pages, for page sweeps).

    With ``second_factor=False`` the person has given their password only, and still owes a code.
    """
    client = Client()
    client.force_login(user)
    if second_factor:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
        session.save()
    context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])


# --- Accessibility ----------------------------------------------------------------------------------------


def axe_violations(page: Page) -> list[dict]:
    """Runs axe-core against the page (WCAG 2.0, 2.1 and 2.2, levels A and AA) and returns its violations.

    The context must have ``bypass_csp=True``: axe is injected as an inline script.
    """
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def describe_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        node = v["nodes"][0] if v["nodes"] else {}
        lines.append(
            f"- {v['id']} ({v['impact']}): {v['help']}\n"
            f"    target: {json.dumps(node.get('target'))} ({len(v['nodes'])} node(s))\n"
            f"    html:   {node.get('html', '')[:300]}\n"
            f"    why:    {node.get('failureSummary', '').replace(chr(10), ' ')[:400]}\n"
            f"    see:    {v['helpUrl']}"
        )
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(page.url, violations)
