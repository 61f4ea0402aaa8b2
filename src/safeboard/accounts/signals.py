from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

SIGNED_IN_AT = "safeboard_signed_in_at"


@receiver(user_logged_in, dispatch_uid="remember_sign_in_time")
def remember_sign_in_time(sender, request, user, **kwargs):  # type: ignore[no-untyped-def]
    """The absolute session lifetime counts from here (see SessionLifetimeMiddleware)."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = timezone.now().timestamp()
        if not request.session.session_key:
            request.session.save()
        from safeboard.accounts.models import SignedInSession

        SignedInSession.objects.create(user=user, session_key=request.session.session_key)
