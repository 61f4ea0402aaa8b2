"""Issue 6 §2: password reset requests are rate-limited per account and per address, and reset links
point at the configured site address, never at whatever Host header the request carried."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeboard.core.permissions import Role

RESET = "/password-reset/"


def ask(email: str, address: str = "198.51.100.1", **extra):  # type: ignore[no-untyped-def]
    return Client(REMOTE_ADDR=address, **extra).post(RESET, {"email": email})


def test_reset_links_use_the_configured_site_address_not_the_host_header(world, settings):
    settings.SAFEBOARD_SITE_URL = "https://safeboard.example.org"
    settings.ALLOWED_HOSTS = ["*"]  # even on a server that answers any host name
    response = ask(world.practitioner_a.email, HTTP_HOST="evil.example")
    assert response.status_code == 302
    body = mail.outbox[-1].body
    assert "evil.example" not in body
    assert re.search(r"https://safeboard\.example\.org/password-reset/\S+/\S+/", body)


def test_the_welcome_email_uses_the_configured_site_address(world, settings, signed_in):
    settings.SAFEBOARD_SITE_URL = "https://safeboard.example.org"
    client = signed_in(world.partnership_admin)
    client.post(
        reverse("accounts:person-new"),
        {
            "full_name": "Nina New",
            "email": "nina.new@example.test",
            "job_title": "Midwife",
            "agency": world.agency_b.pk,
            "phone": "",
            "role": Role.PRACTITIONER,
        },
        HTTP_HOST="localhost",
    )
    body = mail.outbox[-1].body
    assert "localhost" not in body and "testserver" not in body
    assert "https://safeboard.example.org/password-reset/" in body


def test_resets_for_one_account_are_limited_per_hour_from_any_address(world, settings):
    settings.SAFEBOARD_PASSWORD_RESETS_PER_ACCOUNT = 3
    answers = [ask(world.practitioner_a.email, f"203.0.113.{i}") for i in range(1, 7)]
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, reverse("accounts:password-reset-sent"))}
    assert len(mail.outbox) == 3  # the same answer every time; only three emails
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61), tick=False):
        ask(world.practitioner_a.email, "203.0.113.50")
    assert len(mail.outbox) == 4


def test_resets_from_one_address_are_limited_per_hour_whatever_the_account(world, settings):
    settings.SAFEBOARD_PASSWORD_RESETS_PER_ADDRESS = 4
    people = [world.practitioner_a, world.practitioner_b, world.agency_lead, world.scrutiny, world.partnership_admin]
    for person in people:
        assert ask(person.email, "203.0.113.99").status_code == 302
    assert [m.to for m in mail.outbox] == [[p.email] for p in people[:4]]
    assert ask(world.partnership_admin.email, "203.0.113.100").status_code == 302  # another address is fine
    assert mail.outbox[-1].to == [world.partnership_admin.email]


def test_unknown_addresses_count_towards_the_address_limit(world, settings):
    settings.SAFEBOARD_PASSWORD_RESETS_PER_ADDRESS = 3
    for i in range(3):
        ask(f"guess{i}@example.test", "203.0.113.7")
    ask(world.practitioner_a.email, "203.0.113.7")
    assert mail.outbox == []


def test_the_limit_store_keeps_no_email_address(world):
    from safeboard.accounts.models import PasswordResetRequest

    ask(world.practitioner_a.email, "203.0.113.8")
    row = PasswordResetRequest.objects.get()
    assert world.practitioner_a.email not in row.account_key
    assert row.ip_address == "203.0.113.8"
