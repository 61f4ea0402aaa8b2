"""Issue 6 §5: "Change your details" answered 500 on every POST, and "Add a person" told any
administrator whether an address had an account anywhere on the platform."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from safeboard.accounts.models import Membership, User
from safeboard.core.permissions import Role
from tests.conftest import sign_in


def test_a_person_changes_their_own_details(world, signed_in):
    person = world.practitioner_a
    client = signed_in(person)
    response = client.post(
        reverse("accounts:my-details"),
        {
            "full_name": "Pat Alpha-Jones",
            "job_title": "Team manager",
            "phone": "0100 555 666",
            "version_seen": person.version,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.job_title, person.phone) == ("Pat Alpha-Jones", "Team manager", "0100 555 666")


def test_a_stale_form_for_ones_own_details_is_refused_and_keeps_the_typing(world, signed_in):
    person = world.practitioner_a
    client = signed_in(person)
    data = {"full_name": "Pat One", "job_title": "", "phone": "", "version_seen": person.version}
    assert client.post(reverse("accounts:my-details"), data).status_code == 302
    stale = client.post(reverse("accounts:my-details"), {**data, "full_name": "Pat Two"})
    assert stale.status_code == 409
    assert "Pat Two" in stale.content.decode()
    person.refresh_from_db()
    assert person.full_name == "Pat One"


def new_person(email: str, **changes) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "full_name": "Typed Name",
        "email": email,
        "job_title": "Typed title",
        "agency": "",
        "phone": "",
        "role": Role.PRACTITIONER,
    }
    data.update(changes)
    return data


def answer(response) -> tuple:  # type: ignore[no-untyped-def]
    return (
        response.status_code,
        response.get("Location"),
        response.content,
        [str(m) for m in get_messages(response.wsgi_request)],
    )


def test_adding_a_person_answers_the_same_whether_or_not_the_address_has_an_account(world):
    existing = world.other_admin  # a Beta administrator Alpha's administrator cannot see
    before = (existing.full_name, existing.job_title, existing.agency_id, existing.phone)
    known = sign_in(Client(), world.partnership_admin).post(
        reverse("accounts:person-new"), new_person(existing.email.upper(), agency=world.agency_a.pk)
    )
    unknown = sign_in(Client(), world.partnership_admin).post(
        reverse("accounts:person-new"), new_person("brand.new@example.test", agency=world.agency_a.pk)
    )
    first, second = answer(known), answer(unknown)
    assert first[:3] == second[:3]
    assert [m.replace(existing.email, "X") for m in first[3]] == [
        m.replace("brand.new@example.test", "X") for m in second[3]
    ]
    # The existing person keeps their identity and gains the role; they are told by email.
    existing.refresh_from_db()
    assert (existing.full_name, existing.job_title, existing.agency_id, existing.phone) == before
    assert Membership.objects.filter(user=existing, partnership=world.alpha, role=Role.PRACTITIONER).exists()
    told = next(m for m in mail.outbox if m.to == [existing.email])
    assert world.alpha.name in told.body and "/password-reset/" not in told.body
    # The new person is created from the form and gets the welcome email.
    new = User.objects.get(email="brand.new@example.test")
    assert new.full_name == "Typed Name" and not new.has_usable_password()
    welcome = next(m for m in mail.outbox if m.to == [new.email])
    assert "/password-reset/" in welcome.body


def test_adding_someone_who_already_holds_the_role_answers_the_same_too(world):
    repeat = sign_in(Client(), world.partnership_admin).post(
        reverse("accounts:person-new"), new_person(world.practitioner_b.email, agency=world.agency_b.pk)
    )
    fresh = sign_in(Client(), world.partnership_admin).post(
        reverse("accounts:person-new"), new_person("another.new@example.test", agency=world.agency_b.pk)
    )
    assert answer(repeat)[:3] == answer(fresh)[:3]
    assert Membership.objects.filter(user=world.practitioner_b, partnership=world.alpha).count() == 1


def test_the_add_form_still_validates(world, signed_in):
    response = signed_in(world.partnership_admin).post(reverse("accounts:person-new"), new_person("not-an-email"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Someone already has an account" not in body
