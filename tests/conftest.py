from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from safeboard.accounts.models import APIToken, Membership, User
from safeboard.core.models import Agency, LocalAuthorityArea, Locality, Partnership
from safeboard.core.permissions import Role
from safeboard.core.workdays import forget_bank_holidays
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    LocalityFactory,
    PartnershipFactory,
    UserFactory,
    authenticator,
    member,
)


def sign_in(client: Client, user: User) -> Client:
    """Sign ``user`` in as if they had entered their password and an authenticator code."""
    client.force_login(user)
    device = authenticator(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@dataclass
class World:
    """Two partnerships and the standard personas (see the permission matrix test)."""

    alpha: Partnership
    beta: Partnership
    agency_a: Agency
    agency_b: Agency
    agency_c: Agency
    area: LocalAuthorityArea
    locality: Locality
    practitioner_a: User
    practitioner_b: User
    agency_lead: User
    partnership_admin: User
    other_admin: User
    scrutiny: User
    system_admin: User
    membership: Membership
    token: APIToken
    token_secret: str
    # Records that modules add for their tests (see tests/<module>/matrix_rows.py ``build``).
    extras: dict[str, Any] = field(default_factory=dict)

    def persona(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


PERSONAS = (
    "anonymous",
    "practitioner_a",
    "practitioner_b",
    "agency_lead",
    "partnership_admin",
    "other_admin",
    "scrutiny",
    "system_admin",
)


@pytest.fixture(autouse=True)
def _fresh_bank_holidays():  # type: ignore[no-untyped-def]
    """Bank holidays are cached per process; a test that changed them must not leave them cached."""
    yield
    forget_bank_holidays()


@pytest.fixture
def world(db) -> World:
    return make_world()


def make_world() -> World:
    """The standard personas in two partnerships (the ``world`` fixture; the permission matrix builds it once)."""
    alpha = PartnershipFactory(name="Alpha Safeguarding Partnership", short_name="Alpha")
    beta = PartnershipFactory(name="Beta Safeguarding Partnership", short_name="Beta")
    agency_a = AgencyFactory(name="Alpha Police", partnerships=[alpha])
    agency_b = AgencyFactory(name="Alpha Health Trust", partnerships=[alpha])
    agency_c = AgencyFactory(name="Beta Council", partnerships=[beta])
    area = AreaFactory(partnership=alpha, name="Alphaton")
    locality = LocalityFactory(partnership=alpha, area=area, name="Alphaton North")
    practitioner_a = member(alpha, Role.PRACTITIONER, agency_a, full_name="Pat Alpha")
    practitioner_b = member(alpha, Role.PRACTITIONER, agency_b, full_name="Pip Bravo")
    agency_lead = member(alpha, Role.AGENCY_SAFEGUARDING_LEAD, agency_a, full_name="Lee Lead")
    partnership_admin = member(alpha, Role.PARTNERSHIP_ADMINISTRATOR, agency_a, full_name="Ada Admin")
    other_admin = member(beta, Role.PARTNERSHIP_ADMINISTRATOR, agency_c, full_name="Otto Other")
    scrutiny = member(alpha, Role.SCRUTINY, agency_a, full_name="Sue Scrutiny")
    system_admin = UserFactory(full_name="Sam Sysadmin", is_system_administrator=True)
    token, secret = APIToken.issue(practitioner_a, "Test token")
    return World(
        alpha=alpha,
        beta=beta,
        agency_a=agency_a,
        agency_b=agency_b,
        agency_c=agency_c,
        area=area,
        locality=locality,
        practitioner_a=practitioner_a,
        practitioner_b=practitioner_b,
        agency_lead=agency_lead,
        partnership_admin=partnership_admin,
        other_admin=other_admin,
        scrutiny=scrutiny,
        system_admin=system_admin,
        membership=practitioner_a.memberships.get(),
        token=token,
        token_secret=secret,
    )


@pytest.fixture
def signed_in(client):  # type: ignore[no-untyped-def]
    """``signed_in(user)`` returns the test client signed in as that person, second factor done."""

    def _sign_in(user: User) -> Client:
        return sign_in(client, user)

    return _sign_in
