"""Forms: server-side validation, conflicts between two editors, and people management."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from safeboard.accounts.models import Membership
from safeboard.core.models import Agency, Locality
from safeboard.core.permissions import Role
from tests.conftest import sign_in


def agency_form(agency: Agency, **changes) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "name": agency.name,
        "agency_type": agency.agency_type,
        "email": agency.email,
        "is_active": "on",
        "version_seen": agency.version,
    }
    data.update(changes)
    return data


def test_two_people_editing_one_agency_cannot_overwrite_each_other(world):
    first = sign_in(Client(), world.partnership_admin)
    second = sign_in(Client(), world.system_admin)
    url = reverse("core:agency-edit", args=[world.agency_a.pk])
    opened = world.agency_a.version  # both open the form at the same version
    assert (
        first.post(url, agency_form(world.agency_a, name="Alpha Police Service", version_seen=opened)).status_code
        == 302
    )
    response = second.post(url, agency_form(world.agency_a, email="front.desk@example.test", version_seen=opened))
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved a change" in body
    assert "front.desk@example.test" in body  # their typing is kept in the form
    assert "Alpha Police Service" in body  # and they see what the other person saved
    world.agency_a.refresh_from_db()
    assert world.agency_a.name == "Alpha Police Service" and world.agency_a.email == ""
    # Saving again from the conflict page (which now carries the new version) goes through.
    retry = second.post(url, agency_form(world.agency_a, email="front.desk@example.test"))
    assert retry.status_code == 302
    world.agency_a.refresh_from_db()
    assert world.agency_a.email == "front.desk@example.test"


def test_forms_validate_on_the_server_with_a_clear_summary(world, signed_in):
    response = signed_in(world.partnership_admin).post(reverse("core:agency-new"), {"name": "", "agency_type": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_name"' in body
    assert "govuk-input--error" in body


def test_a_locality_can_only_sit_in_an_area_of_its_own_partnership(world, signed_in):
    from tests.factories import AreaFactory

    beta_area = AreaFactory(partnership=world.beta)
    response = signed_in(world.partnership_admin).post(
        reverse("core:locality-new"), {"name": "Sneaky", "area": beta_area.pk}
    )
    assert response.status_code == 200
    assert not Locality.objects.filter(name="Sneaky").exists()


def test_a_new_agency_joins_the_current_partnership(world, signed_in):
    response = signed_in(world.partnership_admin).post(
        reverse("core:agency-new"), {"name": "Alpha Academy Trust", "agency_type": "schools", "is_active": "on"}
    )
    assert response.status_code == 302
    assert list(Agency.objects.get(name="Alpha Academy Trust").partnerships.all()) == [world.alpha]


def test_an_agency_on_another_board_joins_once_its_administrator_approves(world, signed_in):
    # Joining used to be immediate (issue 6 §3); see tests/core/test_agency_sharing.py for the rules.
    from safeboard.core.models import AgencyJoinRequest

    client = signed_in(world.partnership_admin)
    response = client.post(reverse("core:agency-join"), {"q": "Beta Council", "agency": world.agency_c.pk})
    assert response.status_code == 302
    assert world.alpha not in world.agency_c.partnerships.all()
    request = AgencyJoinRequest.objects.get()
    approver = sign_in(Client(), world.other_admin)
    approver.post(reverse("core:agency-request", args=[request.pk]), {"decision": "approve"})
    assert world.alpha in world.agency_c.partnerships.all()
    assert "Beta Council" in client.get(reverse("core:agency-list")).content.decode()


def test_administrators_give_and_remove_roles(world, signed_in):
    client = signed_in(world.partnership_admin)
    response = client.post(reverse("accounts:membership-new", args=[world.practitioner_b.pk]), {"role": Role.TRAINER})
    assert response.status_code == 302
    trainer = Membership.objects.get(user=world.practitioner_b, role=Role.TRAINER)
    duplicate = client.post(reverse("accounts:membership-new", args=[world.practitioner_b.pk]), {"role": Role.TRAINER})
    assert "already holds this role" in duplicate.content.decode()
    assert client.post(reverse("accounts:membership-remove", args=[trainer.pk])).status_code == 302
    assert not Membership.objects.filter(pk=trainer.pk).exists()


def test_the_last_partnership_administrator_cannot_be_removed(world, signed_in):
    own = Membership.objects.get(user=world.partnership_admin, role=Role.PARTNERSHIP_ADMINISTRATOR)
    signed_in(world.partnership_admin).post(reverse("accounts:membership-remove", args=[own.pk]))
    assert Membership.objects.filter(pk=own.pk).exists()


def test_roles_of_another_partnership_cannot_be_removed(world, signed_in):
    beta_role = Membership.objects.get(user=world.other_admin)
    response = signed_in(world.partnership_admin).post(reverse("accounts:membership-remove", args=[beta_role.pk]))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=beta_role.pk).exists()


def test_someone_elses_token_cannot_be_revoked(world, signed_in):
    response = signed_in(world.practitioner_b).post(reverse("accounts:token-revoke", args=[world.token.pk]))
    assert response.status_code == 404


def test_switching_to_a_partnership_without_a_role_is_refused(world, signed_in):
    client = signed_in(world.partnership_admin)
    assert client.post(reverse("core:switch-partnership"), {"partnership": world.beta.pk}).status_code == 404
    Membership.objects.create(user=world.partnership_admin, partnership=world.beta, role=Role.BOARD_MEMBER)
    response = client.post(reverse("core:switch-partnership"), {"partnership": world.beta.pk, "next": "/agencies/"})
    assert response["Location"] == "/agencies/"
    assert "Beta Council" in client.get("/agencies/").content.decode()


def test_a_person_edits_their_own_details_but_not_their_agency(world, signed_in):
    client = signed_in(world.practitioner_a)
    url = reverse("accounts:person-edit", args=[world.practitioner_a.pk])
    form = client.get(url).context["form"]
    assert set(form.fields) == {"full_name", "job_title", "phone", "version_seen"}
    response = client.post(
        url,
        {
            "full_name": "Pat Alpha-Smith",
            "job_title": "Senior social worker",
            "phone": "",
            "agency": world.agency_b.pk,
            "version_seen": world.practitioner_a.version,
        },
    )
    assert response.status_code == 302
    world.practitioner_a.refresh_from_db()
    assert world.practitioner_a.full_name == "Pat Alpha-Smith"
    assert world.practitioner_a.agency == world.agency_a


def test_an_administrator_sets_when_papers_are_due_and_actions_turn_amber(world, signed_in):
    from safeboard.core.models import Partnership

    response = signed_in(world.partnership_admin).post(
        reverse("core:partnership-edit", args=[world.alpha.pk]),
        {
            "name": world.alpha.name,
            "short_name": world.alpha.short_name,
            "modules": ["governance"],
            "business_year_start_month": 4,
            "papers_due_days": 10,
            "deputy_stand_ins_per_year": 2,
            "action_amber_days": 21,
            "division": "scotland",
            "version_seen": world.alpha.version,
        },
    )
    assert response.status_code == 302
    alpha = Partnership.objects.get(pk=world.alpha.pk)
    assert (alpha.papers_due_days, alpha.action_amber_days, alpha.modules) == (10, 21, ["governance"])
    assert alpha.deputy_stand_ins_per_year == 2
    assert alpha.division == "scotland"
