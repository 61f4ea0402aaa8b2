"""The one rule for people and agencies shared between partnerships (accounts/rules.py, core/rules.py)."""

from __future__ import annotations

import pytest

from safeboard.accounts.models import Membership
from safeboard.accounts.rules import IDENTITY_FIELDS, OWN_FIELDS, PersonRules
from safeboard.core.permissions import Role, forget_grants
from safeboard.core.rules import AgencyRules
from tests.factories import AgencyFactory, PartnershipFactory, UserFactory, member


def rules(user, person) -> PersonRules:  # type: ignore[no-untyped-def]
    return PersonRules(user, person)


def test_an_administrator_changes_someone_who_works_only_in_their_partnership(world):
    r = rules(world.partnership_admin, world.practitioner_a)
    assert r.can_change_identity() and r.can_deactivate() and r.can_edit()
    assert r.editable_fields() == IDENTITY_FIELDS


def test_a_role_in_a_partnership_they_do_not_administer_takes_the_identity_out_of_their_hands(world):
    Membership.objects.create(user=world.practitioner_a, partnership=world.beta, role=Role.PRACTITIONER)
    for admin in (world.partnership_admin, world.other_admin):
        r = rules(admin, world.practitioner_a)
        assert not r.can_change_identity() and not r.can_deactivate() and not r.can_edit()
        assert r.editable_fields() == ()
        assert "system administrator" in r.who_can_change()
    assert rules(world.system_admin, world.practitioner_a).can_change_identity()


def test_administering_every_partnership_the_person_works_in_is_enough(world):
    Membership.objects.create(user=world.practitioner_a, partnership=world.beta, role=Role.PRACTITIONER)
    Membership.objects.create(user=world.partnership_admin, partnership=world.beta, role=Role.PARTNERSHIP_ADMINISTRATOR)
    assert rules(world.partnership_admin, world.practitioner_a).can_change_identity()


def test_a_non_administrative_role_in_the_other_partnership_does_not_count(world):
    Membership.objects.create(user=world.practitioner_a, partnership=world.beta, role=Role.PRACTITIONER)
    Membership.objects.create(user=world.partnership_admin, partnership=world.beta, role=Role.BOARD_MEMBER)
    assert not rules(world.partnership_admin, world.practitioner_a).can_change_identity()


def test_an_ended_role_elsewhere_does_not_count_but_an_active_one_does(world):
    elsewhere = Membership.objects.create(
        user=world.practitioner_a, partnership=world.beta, role=Role.PRACTITIONER, is_active=False
    )
    assert rules(world.partnership_admin, world.practitioner_a).can_change_identity()
    elsewhere.is_active = True
    elsewhere.save()
    assert not rules(world.partnership_admin, world.practitioner_a).can_change_identity()


def test_someone_whose_roles_have_all_ended_still_belongs_to_those_partnerships(world):
    Membership.objects.filter(user=world.practitioner_a).update(is_active=False)
    Membership.objects.create(
        user=world.practitioner_a, partnership=world.beta, role=Role.PRACTITIONER, is_active=False
    )
    assert not rules(world.partnership_admin, world.practitioner_a).can_change_identity()
    assert not rules(world.other_admin, world.practitioner_a).can_change_identity()


def test_someone_with_no_role_anywhere_is_the_system_administrators_alone(world):
    loner = UserFactory()
    assert not rules(world.partnership_admin, loner).can_change_identity()
    assert rules(world.system_admin, loner).can_change_identity()


def test_a_person_changes_their_own_name_job_title_and_phone_only(world):
    r = rules(world.practitioner_a, world.practitioner_a)
    assert r.can_change_own_details() and r.can_edit()
    assert not r.can_change_identity() and not r.can_deactivate()
    assert r.editable_fields() == OWN_FIELDS


def test_an_administrator_may_not_deactivate_themself(world):
    r = rules(world.partnership_admin, world.partnership_admin)
    assert r.can_change_identity()
    assert not r.can_deactivate()


@pytest.mark.parametrize("persona", ["practitioner_b", "agency_lead", "scrutiny", "other_admin"])
def test_nobody_else_changes_a_person(world, persona):
    r = rules(getattr(world, persona), world.practitioner_a)
    assert not r.can_edit() and not r.can_deactivate()


def test_an_inactive_partnership_gives_its_administrator_nothing(world):
    world.alpha.is_active = False
    world.alpha.save()
    assert not rules(world.partnership_admin, world.practitioner_a).can_change_identity()


# --- Agencies -------------------------------------------------------------------------------------------


def test_an_agency_on_one_partnership_is_its_administrators(world):
    r = AgencyRules(world.partnership_admin, world.agency_a)
    assert r.can_change_identity() and r.can_remove_from(world.alpha) and r.can_decide_joining()
    assert not r.can_remove_from(world.beta)


def test_a_shared_agency_is_changed_only_by_someone_who_administers_all_its_partnerships(world):
    world.agency_a.partnerships.add(world.beta)
    for admin, own in ((world.partnership_admin, world.alpha), (world.other_admin, world.beta)):
        r = AgencyRules(admin, world.agency_a)
        assert not r.can_change_identity()
        assert r.can_remove_from(own) and r.can_decide_joining()
    assert AgencyRules(world.system_admin, world.agency_a).can_change_identity()
    Membership.objects.create(user=world.partnership_admin, partnership=world.beta, role=Role.PARTNERSHIP_ADMINISTRATOR)
    forget_grants(world.partnership_admin)  # grants are worked out once per request
    assert AgencyRules(world.partnership_admin, world.agency_a).can_change_identity()


def test_an_agency_on_no_partnership_is_the_system_administrators_alone(world):
    orphan = AgencyFactory()
    assert not AgencyRules(world.partnership_admin, orphan).can_change_identity()
    assert not AgencyRules(world.partnership_admin, orphan).can_decide_joining()
    assert AgencyRules(world.system_admin, orphan).can_change_identity()
    assert AgencyRules(world.system_admin, orphan).can_decide_joining()


@pytest.mark.parametrize("persona", ["practitioner_a", "agency_lead", "scrutiny"])
def test_members_without_administration_change_no_agency(world, persona):
    r = AgencyRules(getattr(world, persona), world.agency_a)
    assert not r.can_change_identity() and not r.can_remove_from(world.alpha) and not r.can_decide_joining()


def test_an_administrator_elsewhere_decides_nothing_for_an_agency_not_on_their_board(world):
    third = PartnershipFactory()
    stranger = member(third, Role.PARTNERSHIP_ADMINISTRATOR)
    assert not AgencyRules(stranger, world.agency_a).can_decide_joining()
