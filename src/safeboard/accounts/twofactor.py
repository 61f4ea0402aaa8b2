"""Whether a signed-in person still owes their second factor."""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice


def has_authenticator(user) -> bool:  # type: ignore[no-untyped-def]
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_set_up_authenticator(user) -> bool:  # type: ignore[no-untyped-def]
    return settings.SAFEBOARD_REQUIRE_2FA and user.needs_two_factor() and not has_authenticator(user)


def owes_second_factor(user) -> bool:  # type: ignore[no-untyped-def]
    """True until the person has entered a code, if they have an app or their roles demand one.

    Anyone with an app set up always gives a code, even where the demo profile relaxes the rule.
    """
    if not user.is_authenticated or user.is_verified():
        return False
    return has_authenticator(user) or (settings.SAFEBOARD_REQUIRE_2FA and user.needs_two_factor())
