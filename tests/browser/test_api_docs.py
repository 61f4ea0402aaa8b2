"""Swagger UI works under the strict Content Security Policy: no style or script is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import session_cookie

pytestmark = pytest.mark.browser


def test_swagger_ui_draws_and_opens_an_operation_with_nothing_refused(
    transactional_db, world, new_context, live_server
) -> None:  # type: ignore[no-untyped-def]
    context = new_context()
    session_cookie(context, live_server, world.partnership_admin)
    page = context.new_page()
    refusals: list[str] = []
    page.on("console", lambda msg: refusals.append(msg.text) if "Content Security Policy" in msg.text else None)
    response = page.goto("/api/docs/")
    assert response is not None and response.ok
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    operation = page.locator(".swagger-ui .opblock-summary").first
    expect(operation).to_be_visible()
    operation.click()  # opening an operation draws its parameters and example bodies
    expect(page.locator(".swagger-ui .opblock-body").first).to_be_visible()
    expect(page.locator(".swagger-ui .responses-table").first).to_be_visible()
    # The stylesheet that replaced the inline block applied.
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    page.wait_for_load_state("load")
    assert refusals == []
