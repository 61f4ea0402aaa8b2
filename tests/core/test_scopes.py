"""The generic scopes of ``ScopedQuerySet`` (own, agency, partnership) and sealed compartments."""

from __future__ import annotations

import pytest

from safeboard.core.models import Compartment
from safeboard.core.permissions import ROLE_GRANTS, Role, Scope, forget_grants
from tests.sealedapp.models import Note

PERM = "sealedapp.view_note"


@pytest.fixture
def notes(world, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(ROLE_GRANTS[Role.PRACTITIONER], PERM, Scope.OWN)
    monkeypatch.setitem(ROLE_GRANTS[Role.AGENCY_SAFEGUARDING_LEAD], PERM, Scope.AGENCY)
    monkeypatch.setitem(ROLE_GRANTS[Role.PARTNERSHIP_ADMINISTRATOR], PERM, Scope.PARTNERSHIP)
    sealed = Compartment.objects.create(partnership=world.alpha, name="Operation Heron")
    sealed.members.add(world.practitioner_a)
    made = {
        "mine": Note.objects.create(
            partnership=world.alpha, agency=world.agency_a, owner=world.practitioner_a, text="mine"
        ),
        "my agency": Note.objects.create(partnership=world.alpha, agency=world.agency_a, text="my agency"),
        "other agency": Note.objects.create(partnership=world.alpha, agency=world.agency_b, text="other agency"),
        "sealed, mine": Note.objects.create(
            partnership=world.alpha,
            agency=world.agency_a,
            owner=world.practitioner_a,
            compartment=sealed,
            text="sealed, mine",
        ),
        "sealed, other agency": Note.objects.create(
            partnership=world.alpha, agency=world.agency_b, compartment=sealed, text="sealed, other agency"
        ),
        "beta": Note.objects.create(partnership=world.beta, agency=world.agency_c, text="beta"),
    }
    return made


def seen(user) -> set[str]:  # type: ignore[no-untyped-def]
    forget_grants(user)
    return set(Note.objects.visible_to(user).values_list("text", flat=True))


def test_own_scope_sees_own_records_and_sealed_ones_only_when_on_the_list(world, notes):
    assert seen(world.practitioner_a) == {"mine", "sealed, mine"}
    assert seen(world.practitioner_b) == set()


def test_agency_scope_sees_the_agencys_records_but_not_sealed_ones(world, notes):
    assert seen(world.agency_lead) == {"mine", "my agency"}


def test_partnership_scope_sees_everything_unsealed_in_the_partnership(world, notes):
    assert seen(world.partnership_admin) == {"mine", "my agency", "other agency"}
    assert seen(world.other_admin) == {"beta"}  # their own partnership's, never Alpha's


def test_being_on_the_list_opens_sealed_records_within_the_role_scope(world, notes):
    Compartment.objects.get(name="Operation Heron").members.add(world.partnership_admin)
    assert seen(world.partnership_admin) == {
        "mine",
        "my agency",
        "other agency",
        "sealed, mine",
        "sealed, other agency",
    }


def test_system_administrators_see_no_casework(world, notes):
    assert seen(world.system_admin) == set()


def test_no_role_no_records(world, notes):
    assert seen(world.scrutiny) == set()
