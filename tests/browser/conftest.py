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

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, expect, sync_playwright

from safeboard.accounts.models import User
from tests.factories import PASSWORD, authenticator

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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """In a run that mixes suites, the browser tests go last (after pytest-django's own ordering).

    While Playwright runs, its asyncio loop stays open in the main thread and the async-unsafe
    escape hatch is set (see ``playwright`` below); no other test should run under either.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    # Playwright's sync API keeps an asyncio loop running in this thread, and Django then refuses ORM
    # calls from the test code ("You cannot call this from an async context"). The variable is set
    # only while the browser tests run: this conftest is imported by every pytest run, including the
    # unit suite, whose subprocesses (``manage.py check --deploy``) must not inherit it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            yield p
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh (never `playwright install`).")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# Console errors from a known app bug, reported rather than fixed at once: name -> pattern. Each is
# ignored by the general check and asserted by its own strict-xfail test, which starts to fail once
# the bug is fixed: then delete the entry and the xfail. None is known today (the last one, htmx's
# inline indicator styles refused by the Content Security Policy, was fixed in core/base.html).
KNOWN_CONSOLE_ERRORS: dict[str, re.Pattern[str]] = {}


def is_known(message: str) -> bool:
    return any(pattern.search(message) for pattern in KNOWN_CONSOLE_ERRORS.values())


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
        errors: list[str] = []  # uncaught exceptions and console errors (a CSP refusal is one)
        context.js_errors = errors  # type: ignore[attr-defined]

        def watch(page: Page) -> None:
            def on_console(msg: ConsoleMessage) -> None:
                if msg.type != "error":
                    return
                if msg.text.startswith("Failed to load resource") and msg.location.get("url") == page.url:
                    return  # the page itself answered 403/404 on purpose; a missing script or stylesheet still counts
                errors.append(f"{page.url}: console {msg.text} ({msg.location.get('url')})")

            page.on("pageerror", lambda exc: errors.append(f"{page.url}: uncaught {exc}"))
            page.on("console", on_console)

        context.on("page", watch)
        contexts.append(context)
        return context

    yield _new
    failures = []
    for context in contexts:
        failures.extend(e for e in context.js_errors if not is_known(e))  # type: ignore[attr-defined]
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
    return (
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):0{device.digits}d}"
    )


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
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


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


# References axe only reports as "needs review": an ARIA attribute, label or in-page link naming an id
# that is not on the page (for example an input described by an error message that has another id).
_BROKEN_REFERENCES_JS = """() => {
  const problems = [];
  const attrs = ['aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-errormessage', 'for'];
  for (const el of document.querySelectorAll(attrs.map(a => `[${a}]`).join(','))) {
    for (const attr of attrs) {
      for (const id of (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) problems.push(`${attr}="${id}" names no element: ${el.outerHTML.slice(0, 200)}`);
      }
    }
  }
  for (const a of document.querySelectorAll('a[href^="#"]')) {
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    if (id && !document.getElementById(id)) problems.push(`link to #${id}, which is not on the page: ${a.outerHTML.slice(0, 200)}`);
  }
  return problems;
}"""


def broken_references(page: Page) -> list[str]:
    return page.evaluate(_BROKEN_REFERENCES_JS)


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(page.url, violations)
    broken = broken_references(page)
    assert not broken, f"Broken id references on {page.url}:\n" + "\n".join(broken)
