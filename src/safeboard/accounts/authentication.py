"""API authentication: personal tokens, and the browser session once two-factor sign-in is done.

Kept apart from ``api.py`` because DRF imports these classes while it is itself being imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from safeboard.accounts.models import APIToken, User
from safeboard.accounts.twofactor import owes_second_factor

if TYPE_CHECKING:  # DRF imports this module while it is itself being imported
    from rest_framework.request import Request


class PersonalAPITokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer sbk_…``: a personal token, acting with its owner's access."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, APIToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].decode().lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise AuthenticationFailed("Send the token as: Authorization: Bearer <token>.")
        token = APIToken.authenticate(header[1].decode(errors="ignore"))
        if token is None:
            raise AuthenticationFailed("This token is not valid: it may have expired or been revoked.")
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            # Operational metadata, not a change to the token: kept out of the change log.
            APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser session, but only once the person has passed two-factor sign-in when required."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        if owes_second_factor(request._request.user):
            return None
        return result
