"""Issue 6 §2: sign-in failures are counted per account and per address, never in one shared bucket.

What the outside test measured: 20 wrong passwords for one account from 20 addresses, then the right
password from a 21st signed in; and six failures anywhere on the platform locked out everyone's typo.
"""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD

SIGN_IN = "/sign-in/"
WRONG = "wrong-password-123"


def attempt(email: str, password: str = PASSWORD, address: str = "198.51.100.1", **extra):  # type: ignore[no-untyped-def]
    return Client(REMOTE_ADDR=address, **extra).post(SIGN_IN, {"email": email, "password": password})


def test_twenty_addresses_cannot_guess_one_accounts_password(world):
    victim = world.scrutiny  # no authenticator needed, so a successful password signs straight in
    answers = [attempt(victim.email, WRONG, f"203.0.113.{i}").status_code for i in range(1, 21)]
    assert answers[:5] == [200] * 5  # five plain "wrong password" answers
    assert set(answers[5:]) == {429}  # the sixth failure locks the account, whatever the address
    right = attempt(victim.email, PASSWORD, "203.0.113.21")
    assert right.status_code == 429
    # Another account, from one of the same addresses, is not affected.
    assert attempt(world.practitioner_b.email, PASSWORD, "203.0.113.3").status_code == 302
    # A minute after the last failure the account may sign in again.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61), tick=False):
        assert attempt(victim.email, PASSWORD, "203.0.113.22").status_code == 302


def test_failures_on_other_accounts_do_not_lock_out_someone_elses_typo(world):
    for i in range(6):
        attempt(f"someone{i}@example.test", WRONG, f"192.0.2.{i + 1}")
    typo = attempt(world.practitioner_b.email, WRONG, "192.0.2.50")
    assert typo.status_code == 200
    assert "Enter the email address and password" in typo.content.decode()
    assert attempt(world.practitioner_b.email, PASSWORD, "192.0.2.50").status_code == 302


def test_the_account_name_is_counted_however_it_is_typed(world):
    victim = world.scrutiny
    spellings = [
        victim.email.upper(),
        f"  {victim.email}",
        victim.email.title(),
        victim.email,
        victim.email.upper(),
        victim.email,
    ]
    for i, spelling in enumerate(spellings):
        attempt(spelling, WRONG, f"203.0.113.{100 + i}")
    assert attempt(victim.email, PASSWORD, "203.0.113.120").status_code == 429


def test_signing_in_to_ones_own_account_does_not_wipe_failures_against_another(world):
    # An insider guesses a colleague's password from their own desk, signing in to their own account
    # between guesses: the guesses against the colleague must still add up.
    desk = "198.51.100.77"
    for _ in range(3):
        attempt(world.scrutiny.email, WRONG, desk)
    assert attempt(world.practitioner_b.email, PASSWORD, desk).status_code == 302
    for _ in range(3):
        attempt(world.scrutiny.email, WRONG, desk)
    assert attempt(world.scrutiny.email, PASSWORD, "198.51.100.78").status_code == 429


def test_six_failures_from_one_address_lock_that_address_only(world):
    for i in range(6):
        attempt(f"nobody{i}@example.test", WRONG, "203.0.113.9")
    assert attempt(world.practitioner_b.email, PASSWORD, "203.0.113.9").status_code == 429
    assert attempt(world.practitioner_b.email, PASSWORD, "203.0.113.10").status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(world, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    for i in range(6):
        attempt(f"nobody{i}@example.test", WRONG, "10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{i + 1}")
    # Six different callers behind one load balancer: no address has six failures.
    response = attempt(world.practitioner_b.email, PASSWORD, "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.30")
    assert response.status_code == 302
    for i in range(6):
        attempt(f"other{i}@example.test", WRONG, "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.40")
    response = attempt(world.practitioner_b.email, PASSWORD, "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.40")
    assert response.status_code == 429


def test_the_lockout_name_comes_from_the_form_or_the_credentials():
    from django.test import RequestFactory

    from safeboard.accounts.lockout import username_for_lockout

    request = RequestFactory().post(SIGN_IN, {"email": " Pat@Example.TEST ", "password": "x"})
    assert username_for_lockout(request, None) == "pat@example.test"
    assert username_for_lockout(request, {"username": "Lee@Example.test", "password": "****"}) == "lee@example.test"
    assert username_for_lockout(request, {"email": "ada@example.test"}) == "ada@example.test"
    assert username_for_lockout(RequestFactory().post(SIGN_IN, {}), None) is None
