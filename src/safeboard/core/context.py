"""Who is acting, for the audit trail: set per request by middleware, or by a task or command."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str
    request_id: str = ""
    ip_address: str | None = None


_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("safeboard_request", default=None)
_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("safeboard_actor", default=None)


def set_request(request: HttpRequest) -> contextvars.Token[HttpRequest | None]:
    return _request.set(request)


def reset_request(token: contextvars.Token[HttpRequest | None]) -> None:
    _request.reset(token)


def current_request() -> HttpRequest | None:
    return _request.get()


@contextmanager
def acting_as(name: str, user_id: int | None = None) -> Iterator[None]:
    """Name the actor for work done outside a web request (a task, a command, the demo loader)."""
    token = _actor.set(Actor(user_id=user_id, name=name))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Actor:
    explicit = _actor.get()
    if explicit is not None:
        return explicit
    request = _request.get()
    if request is None:
        return Actor(user_id=None, name="system")
    user = getattr(request, "user", None)
    request_id = getattr(request, "request_id", "")
    ip = getattr(request, "client_ip", None)
    if user is not None and user.is_authenticated:
        return Actor(user_id=user.pk, name=f"{user.full_name} <{user.email}>", request_id=request_id, ip_address=ip)
    return Actor(user_id=None, name="anonymous", request_id=request_id, ip_address=ip)
