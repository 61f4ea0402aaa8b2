from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

if TYPE_CHECKING:
    from safeboard.accounts.models import User

SIGNED_IN_AT = "safeboard_signed_in_at"


@receiver(user_logged_in, dispatch_uid="remember_sign_in_time")
def remember_sign_in_time(sender: type, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """The absolute session lifetime counts from here (see SessionLifetimeMiddleware)."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = timezone.now().timestamp()
        if not request.session.session_key:
            request.session.save()
        from safeboard.accounts.models import SignedInSession

        session_key = request.session.session_key
        assert session_key is not None  # the session was saved above
        SignedInSession.objects.create(user=user, session_key=session_key)
