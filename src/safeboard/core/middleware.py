"""Request id and actor for the audit trail, the current partnership, and no-store caching."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers

from safeboard.core import context
from safeboard.core.http import SafeboardRequest

GetResponse = Callable[[HttpRequest], HttpResponseBase]

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
CURRENT_PARTNERSHIP = "safeboard_partnership_id"


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address; behind N trusted proxies, the Nth-from-last X-Forwarded-For entry."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    if proxies:
        forwarded: list[str] = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    address: str | None = request.META.get("REMOTE_ADDR") or None
    return address


class RequestContextMiddleware:
    """Gives each request an id (or keeps a well-formed X-Request-ID from the load balancer)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: SafeboardRequest) -> HttpResponseBase:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.client_ip = client_ip(request)
        token = context.set_request(request)
        try:
            response = self.get_response(request)
        finally:
            context.reset_request(token)
        response["X-Request-ID"] = request.request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = context.current_request()
        record.request_id = getattr(request, "request_id", "-")
        return True


class CurrentPartnershipMiddleware:
    """Sets ``request.partnership``: the partnership the person is working in now.

    It comes from the session (the header's switcher) and is checked against what the person may
    see on every request, so a removed role takes effect at once.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: SafeboardRequest) -> HttpResponseBase:
        request.partnership = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from safeboard.core.models import Partnership

            visible = Partnership.objects.visible_to(user).filter(is_active=True)
            wanted = request.session.get(CURRENT_PARTNERSHIP)
            partnership = visible.filter(pk=wanted).first() if wanted else None
            if partnership is None:
                partnership = visible.order_by("name").first()
                if partnership is not None:
                    request.session[CURRENT_PARTNERSHIP] = partnership.pk
            request.partnership = partnership
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in person (and every API answer) must not sit in a browser or proxy cache."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: SafeboardRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith("/api/") or "Authorization" in request.headers:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response
