"""Helpers for the audit trail's tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test import RequestFactory

from safeboard.core.context import reset_request, set_request


@contextmanager
def working_in(user: Any, partnership: Any) -> Iterator[None]:
    """What the middleware sets up for ``user``'s signed-in request in ``partnership``."""
    request = RequestFactory().get("/")
    request.user, request.partnership = user, partnership
    request.request_id, request.client_ip = "test-request-0001", "127.0.0.1"
    token = set_request(request)
    try:
        yield
    finally:
        reset_request(token)
