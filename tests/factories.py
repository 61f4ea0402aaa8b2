"""Test data factories. Every name is invented."""

from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeboard.accounts.models import Membership, User
from safeboard.core.models import Agency, AgencyType, LocalAuthorityArea, Locality, Partnership
from safeboard.core.permissions import Role

PASSWORD = "a-long-test-password-2026"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Testshire Partnership {n}")
    short_name = factory.Sequence(lambda n: f"Testshire {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    modules = ["governance", "training"]


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    agency_type = AgencyType.POLICE

    @factory.post_generation
    def partnerships(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.partnerships.set(extracted)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthorityArea

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Area {n}")


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Locality {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    job_title = "Social worker"
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = Role.PRACTITIONER


def member(partnership: Partnership, role: str, agency: Agency | None = None, **fields) -> User:  # type: ignore[no-untyped-def]
    user = UserFactory(agency=agency, **fields)
    Membership.objects.create(user=user, partnership=partnership, role=role)
    return user


def authenticator(user: User) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Test app"})
    return device
