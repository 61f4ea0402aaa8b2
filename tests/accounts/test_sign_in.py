from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from safeboard.accounts.services import deactivate
from safeboard.core.permissions import Role
from tests.factories import PASSWORD, authenticator

SIGN_IN = "/sign-in/"


def code_for(device) -> str:  # type: ignore[no-untyped-def]
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_step(client: Client, email: str, password: str = PASSWORD, **extra):  # type: ignore[no-untyped-def]
    return client.post(SIGN_IN, {"email": email, "password": password}, **extra)


def test_it_signs_in_with_password_and_authenticator_code(world):
    client = Client()
    device = authenticator(world.practitioner_a)
    response = password_step(client, world.practitioner_a.email)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:sign-in-code"))
    # Until the code is entered, every page sends the person back to the code step.
    assert client.get("/agencies/")["Location"] == reverse("accounts:sign-in-code")
    response = client.post(reverse("accounts:sign-in-code"), {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/agencies/").status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message(world):
    client = Client()
    authenticator(world.practitioner_a)
    password_step(client, world.practitioner_a.email)
    response = client.post(reverse("accounts:sign-in-code"), {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/").status_code == 302


def test_two_factor_is_mandatory_for_roles_that_see_personal_data(world):
    client = Client()
    response = password_step(client, world.practitioner_a.email)
    assert response["Location"].startswith(reverse("accounts:two-factor-setup"))
    assert client.get("/")["Location"] == reverse("accounts:two-factor-setup")
    assert client.get("/api/v1/people/").status_code in (401, 403)  # the API does not accept a half-signed-in session
    page = client.get(reverse("accounts:two-factor-setup"))
    assert b"<svg" in page.content  # the QR code
    device = world.practitioner_a.totpdevice_set.get(confirmed=False)
    response = client.post(reverse("accounts:two-factor-setup"), {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_scrutiny_only_members_may_sign_in_without_an_authenticator(world):
    client = Client()
    response = password_step(client, world.scrutiny.email)
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_seventh_sign_in_after_six_failures_in_a_minute_is_refused(world):
    client = Client()
    for _ in range(5):
        response = password_step(client, world.practitioner_a.email, "wrong-password-123")
        assert response.status_code == 200
        assert "Enter the email address and password" in response.content.decode()
    sixth = password_step(client, world.practitioner_a.email, "wrong-password-123")
    assert sixth.status_code == 429  # the sixth failure locks the account for a minute
    response = password_step(client, world.practitioner_a.email)  # the seventh, even with the right password
    assert response.status_code == 429
    assert "too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # A minute later the account may try again.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61), tick=False):
        response = password_step(Client(), world.practitioner_a.email)
        assert response.status_code == 302


def test_the_seventh_failure_from_one_address_is_refused_whichever_account(world):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(6):
        password_step(client, f"nobody{i}@example.test", "wrong-password-123")
    response = password_step(client, world.practitioner_b.email)
    assert response.status_code == 429
    # Another address is not affected.
    assert password_step(Client(REMOTE_ADDR="203.0.113.10"), world.practitioner_b.email).status_code == 302


def test_a_session_ends_after_thirty_idle_minutes(world, signed_in):
    client = signed_in(world.practitioner_a)
    start = timezone.now()
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200  # activity keeps the session alive
    with time_machine.travel(start + dt.timedelta(minutes=58), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=89), tick=False):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(world, signed_in):
    client = signed_in(world.practitioner_a)
    start = timezone.now()
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200, f"signed out early, after {minutes} minutes"
    with time_machine.travel(start + dt.timedelta(hours=12, minutes=5), tick=False):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


def test_deactivating_a_person_ends_their_session_at_once(world, signed_in):
    client = signed_in(world.practitioner_a)
    assert client.get("/").status_code == 200
    admin = Client()
    from tests.conftest import sign_in

    sign_in(admin, world.partnership_admin)
    response = admin.post(reverse("accounts:person-status", args=[world.practitioner_a.pk]))
    assert response.status_code == 302
    world.practitioner_a.refresh_from_db()
    assert not world.practitioner_a.is_active
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=client.session.session_key).exists()  # the session row is gone
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)
    assert password_step(Client(), world.practitioner_a.email).status_code == 200  # cannot sign in again


def test_deactivation_revokes_api_tokens(world):
    deactivate(world.practitioner_a)
    response = Client().get("/api/v1/people/me/", HTTP_AUTHORIZATION=f"Bearer {world.token_secret}")
    assert response.status_code == 401


def test_password_reset_by_email(world):
    client = Client()
    response = client.post(reverse("accounts:password-reset"), {"email": world.practitioner_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.practitioner_a.email]
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    short = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert "too short" in short.content.decode()
    done = client.post(
        set_url, {"new_password1": "correct horse battery staple", "new_password2": "correct horse battery staple"}
    )
    assert done.status_code == 302
    assert password_step(Client(), world.practitioner_a.email, "correct horse battery staple").status_code == 302


def test_password_reset_says_nothing_about_unknown_addresses(db):
    response = Client().post(reverse("accounts:password-reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_sign_in_never_redirects_to_another_site(world):
    authenticator(world.scrutiny)
    client = Client()
    response = client.post(
        SIGN_IN + "?next=https://evil.example/",
        {"email": world.scrutiny.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert "evil.example" not in response["Location"]


def test_authenticated_pages_are_never_cached(world, signed_in):
    response = signed_in(world.practitioner_a).get("/")
    assert "no-store" in response["Cache-Control"]


def test_pages_carry_a_strict_content_security_policy(db):
    response = Client().get(SIGN_IN)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_a_new_person_gets_an_email_to_set_their_password(world, signed_in):
    client = signed_in(world.partnership_admin)
    response = client.post(
        reverse("accounts:person-new"),
        {
            "full_name": "Nina New",
            "email": "Nina.New@Example.test",
            "job_title": "Midwife",
            "agency": world.agency_b.pk,
            "phone": "",
            "role": Role.PRACTITIONER,
        },
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nina.new@example.test"]
    assert "/password-reset/" in mail.outbox[-1].body
