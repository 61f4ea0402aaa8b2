"""Whether a signed-in person still owes their second factor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from safeboard.accounts.models import User


def has_authenticator(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def must_set_up_authenticator(user: User) -> bool:
    return bool(settings.SAFEBOARD_REQUIRE_2FA) and user.needs_two_factor() and not has_authenticator(user)


def owes_second_factor(user: User | AnonymousUser) -> bool:
    """True until the person has entered a code, if they have an app or their roles demand one.

    Anyone with an app set up always gives a code, even where the demo profile relaxes the rule.
    """
    if not user.is_authenticated or user.is_verified():
        return False
    return has_authenticator(user) or (bool(settings.SAFEBOARD_REQUIRE_2FA) and user.needs_two_factor())
