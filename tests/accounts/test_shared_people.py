"""Issue 6 §1: a person's identity belongs to no single partnership.

The attack that worked: the administrator of another partnership (Beta here, Three Rivers in the
report) changed the email address of someone who also holds a role in their partnership (Alpha's
administrator), reset the password by email and signed in as them. Each test replays a step of it.
"""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from safeboard.accounts.models import APIToken, Membership, User
from safeboard.core.permissions import Role
from tests.conftest import sign_in

ATTACKER_MAILBOX = "taken.over@evil.example"


def share_with_beta(person: User, role: str = Role.BOARD_MEMBER) -> Membership:
    return Membership.objects.create(user=person, partnership=person_partnership_beta(), role=role)


def person_partnership_beta():  # type: ignore[no-untyped-def]
    from safeboard.core.models import Partnership

    return Partnership.objects.get(short_name="Beta")


def identity(person: User) -> tuple:
    person = User.objects.get(pk=person.pk)
    return (person.full_name, person.email, person.job_title, person.agency_id, person.phone, person.is_active)


def edit_form(person: User, **changes) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "full_name": person.full_name,
        "email": person.email,
        "job_title": person.job_title,
        "agency": person.agency_id or "",
        "phone": person.phone,
        "version_seen": person.version,
    }
    data.update(changes)
    return data


def test_the_original_attack_fails_at_every_step(world):
    victim = world.partnership_admin  # Alpha's administrator, also a board member of Beta
    share_with_beta(victim)
    before = identity(victim)
    attacker = sign_in(Client(), world.other_admin)

    edit = reverse("accounts:person-edit", args=[victim.pk])
    assert attacker.get(edit).status_code == 403
    response = attacker.post(edit, edit_form(victim, email=ATTACKER_MAILBOX, agency=world.agency_c.pk))
    assert response.status_code == 403
    assert identity(victim) == before

    # The reset goes nowhere near the attacker's mailbox.
    Client().post(reverse("accounts:password-reset"), {"email": ATTACKER_MAILBOX})
    assert [m for m in mail.outbox if ATTACKER_MAILBOX in m.to] == []

    status = reverse("accounts:person-status", args=[victim.pk])
    assert attacker.get(status).status_code == 403
    assert attacker.post(status).status_code == 403
    assert identity(victim) == before


def test_an_administrator_of_one_of_two_partnerships_cannot_change_a_shared_persons_email(world):
    # The brief's case: Beta's administrator shares practitioner B with Alpha.
    shared = world.practitioner_b
    share_with_beta(shared, Role.PRACTITIONER)
    before = identity(shared)
    client = sign_in(Client(), world.other_admin)
    for changes in ({"email": ATTACKER_MAILBOX}, {"full_name": "Someone Else"}, {"phone": "0100 000 000"}):
        response = client.post(reverse("accounts:person-edit", args=[shared.pk]), edit_form(shared, **changes))
        assert response.status_code == 403, changes
    assert client.post(reverse("accounts:person-status", args=[shared.pk])).status_code == 403
    assert identity(shared) == before
    assert mail.outbox == []


def test_changing_a_shared_persons_agency_is_refused(world):
    # Moving Beta's administrator into Alpha Police would put them under Alpha's police lead.
    shared = world.other_admin
    Membership.objects.create(user=shared, partnership=world.alpha, role=Role.BOARD_MEMBER)
    before = identity(shared)
    response = sign_in(Client(), world.partnership_admin).post(
        reverse("accounts:person-edit", args=[shared.pk]), edit_form(shared, agency=world.agency_a.pk)
    )
    assert response.status_code == 403
    assert identity(shared) == before


def test_the_page_says_who_can_change_a_shared_person(world):
    share_with_beta(world.practitioner_b, Role.PRACTITIONER)
    page = sign_in(Client(), world.other_admin).get(reverse("accounts:person-detail", args=[world.practitioner_b.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "also holds roles in partnerships you do not administer" in body
    assert "system administrator" in body
    assert reverse("accounts:person-edit", args=[world.practitioner_b.pk]) not in body
    assert reverse("accounts:person-status", args=[world.practitioner_b.pk]) not in body
    # Acting on roles in their own partnership is still theirs to do.
    assert reverse("accounts:membership-new", args=[world.practitioner_b.pk]) in body


def test_an_administrator_of_every_partnership_the_person_is_in_may_change_them(world):
    share_with_beta(world.practitioner_b, Role.PRACTITIONER)
    Membership.objects.create(user=world.partnership_admin, partnership=world.beta, role=Role.PARTNERSHIP_ADMINISTRATOR)
    client = sign_in(Client(), world.partnership_admin)
    person = world.practitioner_b
    response = client.post(
        reverse("accounts:person-edit", args=[person.pk]), edit_form(person, full_name="Pip Bravo-Jones")
    )
    assert response.status_code == 302
    assert User.objects.get(pk=person.pk).full_name == "Pip Bravo-Jones"


def test_the_system_administrator_may_change_and_deactivate_a_shared_person(world):
    share_with_beta(world.practitioner_b, Role.PRACTITIONER)
    client = sign_in(Client(), world.system_admin)
    person = world.practitioner_b
    response = client.post(reverse("accounts:person-edit", args=[person.pk]), edit_form(person, phone="0100 111 222"))
    assert response.status_code == 302
    assert client.post(reverse("accounts:person-status", args=[person.pk])).status_code == 302
    person.refresh_from_db()
    assert person.phone == "0100 111 222" and not person.is_active


def test_a_shared_person_changes_their_own_name_and_phone_but_not_their_agency(world):
    person = world.practitioner_b
    share_with_beta(person, Role.PRACTITIONER)
    client = sign_in(Client(), person)
    url = reverse("accounts:person-edit", args=[person.pk])
    assert set(client.get(url).context["form"].fields) == {"full_name", "job_title", "phone", "version_seen"}
    email = person.email
    response = client.post(
        url,
        edit_form(person, full_name="Pip B", phone="0100 222 333", agency=world.agency_a.pk, email=ATTACKER_MAILBOX),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.phone, person.agency, person.email) == (
        "Pip B",
        "0100 222 333",
        world.agency_b,
        email,
    )


def test_an_email_change_waits_for_the_link_sent_to_the_new_address(world):
    person = world.practitioner_a  # only in Alpha: Alpha's administrator may change them
    old = person.email
    client = sign_in(Client(), world.partnership_admin)
    response = client.post(
        reverse("accounts:person-edit", args=[person.pk]), edit_form(person, email="pat.new@example.test")
    )
    assert response.status_code == 302
    assert User.objects.get(pk=person.pk).email == old  # nothing changes until the link is followed
    to_new = next(m for m in mail.outbox if m.to == ["pat.new@example.test"])
    to_old = next(m for m in mail.outbox if m.to == [old])
    assert "pat.new@example.test" in to_old.body
    link = re.search(r"https?://[^/\s]+(/account/email/confirm/\S+/)", to_new.body).group(1)
    assert link in to_new.body

    page = Client().get(link)
    assert page.status_code == 200 and "pat.new@example.test" in page.content.decode()
    assert User.objects.get(pk=person.pk).email == old  # opening the link (a mail scanner) changes nothing
    done = Client().post(link)
    assert done.status_code == 302
    assert User.objects.get(pk=person.pk).email == "pat.new@example.test"
    assert any(m.to == [old] and "has been changed" in m.body for m in mail.outbox)
    # The link works once.
    again = Client().post(link)
    assert again.status_code == 400
    assert User.objects.get(pk=person.pk).email == "pat.new@example.test"


def test_an_email_change_link_expires(world, settings):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    person = world.practitioner_a
    sign_in(Client(), world.partnership_admin).post(
        reverse("accounts:person-edit", args=[person.pk]), edit_form(person, email="pat.late@example.test")
    )
    body = next(m for m in mail.outbox if m.to == ["pat.late@example.test"]).body
    link = re.search(r"https?://[^/\s]+(/account/email/confirm/\S+/)", body).group(1)
    with time_machine.travel(timezone.now() + dt.timedelta(days=2), tick=False):
        response = Client().post(link)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert User.objects.get(pk=person.pk).email == person.email


def test_a_tampered_email_change_link_is_refused(world):
    from django.core import signing

    forged = signing.dumps(
        {"person": world.partnership_admin.pk, "old": world.partnership_admin.email, "new": ATTACKER_MAILBOX}
    )
    response = Client().post(reverse("accounts:email-confirm", args=[forged]))
    assert response.status_code == 400
    assert User.objects.get(pk=world.partnership_admin.pk).email != ATTACKER_MAILBOX


def test_a_person_asks_to_change_their_own_email_with_their_password(world):
    from tests.factories import PASSWORD

    person = world.practitioner_b
    share_with_beta(person, Role.PRACTITIONER)
    client = sign_in(Client(), person)
    url = reverse("accounts:email-change")
    wrong = client.post(url, {"email": "pip.new@example.test", "password": "not my password"})
    assert wrong.status_code == 200 and "password is not right" in wrong.content.decode()
    assert mail.outbox == []
    response = client.post(url, {"email": "pip.new@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=person.pk).email == person.email
    to_new = next(m for m in mail.outbox if m.to == ["pip.new@example.test"])
    link = re.search(r"https?://[^/\s]+(/account/email/confirm/\S+/)", to_new.body).group(1)
    assert Client().post(link).status_code == 302
    assert User.objects.get(pk=person.pk).email == "pip.new@example.test"


def test_asking_for_an_address_another_account_uses_reveals_nothing_and_changes_nothing(world):
    person = world.practitioner_a
    client = sign_in(Client(), world.partnership_admin)
    taken = world.practitioner_b.email
    response = client.post(reverse("accounts:person-edit", args=[person.pk]), edit_form(person, email=taken))
    fresh = client.post(
        reverse("accounts:person-edit", args=[person.pk]),
        edit_form(User.objects.get(pk=person.pk), email="nobody.yet@example.test"),
    )
    assert response.status_code == fresh.status_code == 302
    assert User.objects.get(pk=person.pk).email == person.email
    to_taken = next(m for m in mail.outbox if m.to == [taken])
    assert "/account/email/confirm/" not in to_taken.body  # no link that could take the address over


# --- The API --------------------------------------------------------------------------------------------


def bearer(user: User) -> dict[str, str]:
    _, secret = APIToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_api_applies_the_same_rule(world):
    victim = world.partnership_admin
    share_with_beta(victim)
    before = identity(victim)
    client = Client()
    url = reverse("api:person-detail", args=[victim.pk])
    headers = bearer(world.other_admin)
    for body in ({"full_name": "Mine now"}, {"agency": world.agency_c.pk}, {"is_active": False}):
        response = client.patch(
            url, body, content_type="application/json", HTTP_IF_MATCH=str(victim.version), **headers
        )
        assert response.status_code == 403, body
    assert identity(victim) == before
    # Email addresses change only through the confirmation link, never by a write call.
    response = client.patch(
        url, {"email": ATTACKER_MAILBOX}, content_type="application/json", HTTP_IF_MATCH=str(victim.version), **headers
    )
    assert response.status_code in (400, 403)
    assert identity(victim) == before


def test_the_api_lets_an_administrator_of_every_partnership_change_a_person(world):
    person = world.practitioner_a
    client = Client()
    url = reverse("api:person-detail", args=[person.pk])
    headers = bearer(world.partnership_admin)
    missing = client.patch(url, {"phone": "0100 333 444"}, content_type="application/json", **headers)
    assert missing.status_code == 428
    stale = client.patch(
        url,
        {"phone": "0100 333 444"},
        content_type="application/json",
        HTTP_IF_MATCH=str(person.version + 3),
        **headers,
    )
    assert stale.status_code == 412
    response = client.patch(
        url,
        {"phone": "0100 333 444", "agency": world.agency_b.pk},
        content_type="application/json",
        HTTP_IF_MATCH=str(person.version),
        **headers,
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert (person.phone, person.agency) == ("0100 333 444", world.agency_b)
    assert response.json()["version"] == person.version


def test_the_api_lets_a_person_change_their_own_name_only(world):
    person = world.practitioner_a
    client = Client()
    url = reverse("api:person-detail", args=[person.pk])
    headers = bearer(person)
    own = client.patch(
        url, {"full_name": "Pat A"}, content_type="application/json", HTTP_IF_MATCH=str(person.version), **headers
    )
    assert own.status_code == 200
    person.refresh_from_db()
    agency = client.patch(
        url,
        {"agency": world.agency_b.pk},
        content_type="application/json",
        HTTP_IF_MATCH=str(person.version),
        **headers,
    )
    assert agency.status_code == 403
    person.refresh_from_db()
    assert (person.full_name, person.agency) == ("Pat A", world.agency_a)
    other = client.patch(
        reverse("api:person-detail", args=[world.agency_lead.pk]),
        {"full_name": "Not me"},
        content_type="application/json",
        HTTP_IF_MATCH="1",
        **headers,
    )
    assert other.status_code == 404


def test_guessing_the_password_on_the_email_page_counts_towards_the_lockout(world):
    from tests.factories import PASSWORD

    person = world.scrutiny
    client = sign_in(Client(), person)
    for _ in range(6):
        client.post(reverse("accounts:email-change"), {"email": "new@example.test", "password": "guess-123456"})
    response = client.post(reverse("accounts:email-change"), {"email": "new@example.test", "password": PASSWORD})
    assert response.status_code == 429  # even the right password is refused while the account is locked
    assert mail.outbox == []
    assert Client().post("/sign-in/", {"email": person.email, "password": PASSWORD}).status_code == 429


def test_the_services_refuse_on_the_locked_row_whoever_calls_them(world):
    import pytest

    from safeboard.accounts.services import PersonError, change_details, deactivate, reactivate

    share_with_beta(world.practitioner_b, Role.PRACTITIONER)
    person = world.practitioner_b
    before = identity(person)
    with pytest.raises(PersonError):
        deactivate(person, by=world.other_admin)
    with pytest.raises(PersonError):
        reactivate(person, by=world.partnership_admin)
    with pytest.raises(PersonError):
        change_details(person=person, by=world.other_admin, changes={"full_name": "X"}, version=person.version)
    with pytest.raises(PersonError):
        change_details(person=person, by=person, changes={"agency": world.agency_a}, version=person.version)
    assert identity(person) == before
    deactivate(person, by=world.system_admin)
    assert not User.objects.get(pk=person.pk).is_active
