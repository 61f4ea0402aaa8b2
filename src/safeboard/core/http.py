"""Typed requests: what our middleware and sign-in put on Django's ``HttpRequest``, for mypy.

Django types ``request.user`` as "a user or the anonymous user", and knows nothing of the
attributes our middleware adds. The views behind sign-in declare which of these they receive, so
that ``request.user`` is a ``User`` and ``request.partnership`` a ``Partnership`` without a check
or a cast at each use:

- ``SafeboardRequest``: any request that went through the middleware (``request_id``,
  ``client_ip`` and ``partnership``, which is ``None`` for someone signed out or without a role);
- ``AuthenticatedHttpRequest``: a signed-in person (``SignedInView``);
- ``PartnershipRequest``: a signed-in person working in a partnership (``PartnershipView`` refuses
  the request before any handler runs when there is none).

These classes are never instantiated: Django builds the request, and the annotation records what
the middleware and the view's ``dispatch`` have already guaranteed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from django.http import HttpRequest
from rest_framework.request import Request

if TYPE_CHECKING:
    from safeboard.accounts.models import User
    from safeboard.core.models import Partnership


class SafeboardRequest(HttpRequest):
    """A request that went through ``RequestContextMiddleware`` and ``CurrentPartnershipMiddleware``."""

    request_id: str
    client_ip: str | None
    partnership: Partnership | None


class AuthenticatedHttpRequest(SafeboardRequest):
    """A request from a signed-in person."""

    user: User


class PartnershipRequest(AuthenticatedHttpRequest):
    """A request from a signed-in person working in a partnership (their current one)."""

    partnership: Partnership


def signed_in(request: HttpRequest) -> TypeGuard[AuthenticatedHttpRequest]:
    """Is someone signed in? (For code that runs before the sign-in check: middleware, ``dispatch``.)"""
    return request.user.is_authenticated


class AuthenticatedApiRequest(Request):
    """An API request from a signed-in person (``ScopedObjectPermission`` lets no one else through)."""

    user: User
