"""Session lifetime and mandatory two-factor sign-in."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from safeboard.accounts.signals import SIGNED_IN_AT
from safeboard.accounts.twofactor import has_authenticator, owes_second_factor
from safeboard.core.middleware import GetResponse

# Pages a signed-in person who still owes a second factor may open.
_TWO_FACTOR_EXEMPT = (
    "accounts:sign-in-code",
    "accounts:two-factor-setup",
    "accounts:sign-out",
)


class SessionLifetimeMiddleware:
    """Ends a session 12 hours (configurable) after sign-in, however active it has been.

    The 30-minute idle timeout is Django's own: SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            limit = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
            if started is None or timezone.now().timestamp() - float(started) > limit:
                logout(request)
                messages.info(request, "Your session has ended. Sign in again to carry on.")
                if not request.path.startswith("/api/"):
                    return redirect(f"{reverse('accounts:sign-in')}?next={request.path}")
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Sends anyone who must use two-factor sign-in, and has not yet, to enter or set up a code."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and not request.path.startswith("/api/") and owes_second_factor(user):
            try:
                view_name = resolve(request.path_info).view_name
            except Resolver404:
                view_name = None
            if view_name not in _TWO_FACTOR_EXEMPT:
                if has_authenticator(user):
                    return redirect("accounts:sign-in-code")
                return redirect("accounts:two-factor-setup")
        return self.get_response(request)
