"""Sign-in lockout per account and per address (django-axes), and the account name it counts.

Two things went wrong before (issue 6 §2): the sign-in view authenticates with ``username=`` while
axes looked for an ``email`` field, so every failure was stored without an account name and all of
them landed in one shared bucket; and a successful sign-in wiped every failure from its address,
including failures against other people's accounts.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.http import HttpRequest


def username_for_lockout(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str | None:
    """The account a sign-in attempt was for, spelled one way (``AXES_USERNAME_CALLABLE``).

    Django's failure signal passes ``{"username": …}``; axes's own calls pass ``{"email": …}`` (the
    form field); before authentication axes reads the posted form. Case and spaces never make a new
    bucket: " Pat@Example.test" and "pat@example.test" are one account.
    """
    value: Any = None
    if credentials:
        value = credentials.get("username") or credentials.get("email")
    if not value and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("email")
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower()


class AccountLockoutHandler(AxesDatabaseHandler):
    """Axes's database handler, but a successful sign-in clears only the failures against that account.

    The stock handler clears every failure from the address as well (it deletes by address *or*
    name), so an insider could guess a colleague's password five times, sign in to their own account
    from the same desk, and start again without ever reaching the limit.
    """

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        username = username_for_lockout(request, credentials)
        if username is None:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
