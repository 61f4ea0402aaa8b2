"""Shared records' history shows each partnership its own entries; lists of personal data are logged.

Issue 6: the record history of a person or an agency shared between partnerships shows only the
changes and views made in partnerships the reader administers, unless the reader is the system
administrator; and a page that lists people (web and API) or a named member's attendance writes
one access-log entry naming the records it showed.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safeboard.accounts.models import Membership, User
from safeboard.core.audit import AccessAction, AccessLogEntry, ChangeLogEntry, record_access
from safeboard.core.context import acting_as
from safeboard.core.permissions import Role
from safeboard.governance.models import Attendance
from tests.conftest import sign_in
from tests.core.audit_helpers import working_in
from tests.factories import AgencyFactory, member


@pytest.fixture
def shared(world):  # type: ignore[no-untyped-def]
    """An agency on both boards and a person with a role in both; each partnership works on them."""
    agency = AgencyFactory(name="Riverside Constabulary", partnerships=[world.alpha, world.beta])
    person = member(world.alpha, Role.PRACTITIONER, agency, full_name="Sasha Shared")
    Membership.objects.create(user=person, partnership=world.beta, role=Role.PRACTITIONER)

    with working_in(world.partnership_admin, world.alpha):
        agency.email = "alpha-desk@riverside.example"
        agency.save()
        record_access(person, detail="seen in Alpha")
    with working_in(world.other_admin, world.beta):
        agency.email = "beta-desk@riverside.example"
        agency.save()
        record_access(person, detail="seen in Beta")
    with working_in(world.system_admin, world.alpha):  # no role in Alpha: acts for the platform
        agency.name = "Riverside Police"
        agency.save()
    return agency, person


def history(user: User, record) -> str:  # type: ignore[no-untyped-def]
    meta = record._meta
    page = sign_in(Client(), user).get(
        reverse("core:record-history", args=[meta.app_label, meta.model_name, record.pk])
    )
    assert page.status_code == 200
    return page.content.decode()


def test_entries_about_a_shared_record_belong_to_the_partnership_they_were_made_in(world, shared):
    agency, person = shared
    changes = ChangeLogEntry.objects.filter(object_id=str(agency.pk), action="update").order_by("id")
    assert [(e.partnership_id, e.partnership_ids) for e in changes][-3:] == [
        (world.alpha.pk, [world.alpha.pk]),
        (world.beta.pk, [world.beta.pk]),
        (world.alpha.pk, sorted([world.alpha.pk, world.beta.pk])),  # the system administrator's: both
    ]


def test_each_administrator_sees_only_the_changes_and_views_made_in_their_partnership(world, shared):
    agency, person = shared

    alpha = history(world.partnership_admin, agency)
    assert "Changed by Ada Admin" in alpha and "alpha-desk@riverside.example" in alpha
    assert "Changed by Otto Other" not in alpha and "beta-desk@riverside.example" not in alpha  # made in Beta
    assert "Changed by Sam Sysadmin" in alpha and "Riverside Police" in alpha  # the platform's: both see it
    assert "also in partnerships you do not administer" in alpha

    beta = history(world.other_admin, agency)
    assert "Changed by Otto Other" in beta and "beta-desk@riverside.example" in beta
    assert "Changed by Ada Admin" not in beta
    assert "Changed by Sam Sysadmin" in beta

    alpha_person = history(world.partnership_admin, person)
    assert "seen in Alpha" in alpha_person and "seen in Beta" not in alpha_person
    beta_person = history(world.other_admin, person)
    assert "seen in Beta" in beta_person and "seen in Alpha" not in beta_person


def test_the_system_administrator_sees_every_partnerships_entries(world, shared):
    agency, person = shared
    everything = history(world.system_admin, agency)
    assert "alpha-desk@riverside.example" in everything and "beta-desk@riverside.example" in everything
    assert "also in partnerships you do not administer" not in everything
    people = history(world.system_admin, person)
    assert "seen in Alpha" in people and "seen in Beta" in people


def test_a_view_through_the_web_belongs_to_the_readers_partnership(world, shared):
    _, person = shared
    sign_in(Client(), world.other_admin).get(reverse("accounts:person-detail", args=[person.pk]))
    entry = AccessLogEntry.objects.filter(object_id=str(person.pk), action=AccessAction.VIEW).latest("id")
    assert entry.actor_id == world.other_admin.pk and entry.partnership_ids == [world.beta.pk]
    assert "Otto Other" not in history(world.partnership_admin, person)
    assert "Otto Other" in history(world.other_admin, person)


def test_a_record_of_a_partnership_the_reader_does_not_administer_has_no_history_for_them(world, shared):
    _, person = shared
    Membership.objects.filter(user=person, partnership=world.alpha).update(is_active=False)
    client = sign_in(Client(), world.partnership_admin)
    url = reverse("core:record-history", args=["accounts", "user", person.pk])
    assert client.get(url).status_code == 403  # the role in Alpha has ended: Beta's person now


# --- Lists of personal data -----------------------------------------------------------------------------


def list_entries() -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(action=AccessAction.LIST).order_by("id"))


def test_the_people_list_writes_one_entry_naming_everyone_on_the_page(world, signed_in):
    client = signed_in(world.partnership_admin)
    page = client.get(reverse("accounts:person-list"))
    assert page.status_code == 200
    [entry] = list_entries()
    alpha_people = set(User.objects.in_partnership(world.alpha).values_list("pk", flat=True))
    assert set(entry.object_ids) == alpha_people and len(entry.object_ids) == len(alpha_people)
    assert entry.actor_id == world.partnership_admin.pk and entry.partnership_id == world.alpha.pk
    assert entry.object_id == "" and entry.detail == "people list"
    assert entry.object_repr == f"People: a list of {len(alpha_people)}"

    client.get(reverse("accounts:person-list"), {"search": "Pat Alpha"})
    searched = list_entries()[-1]
    assert searched.object_ids == [world.practitioner_a.pk]
    assert searched.detail == "people list (search=Pat+Alpha)"


def test_a_refused_people_list_writes_nothing(world, signed_in):
    assert signed_in(world.scrutiny).get(reverse("accounts:person-list")).status_code == 403
    assert list_entries() == []


def test_the_api_people_list_writes_one_entry_per_page(world):
    client = Client()
    answer = client.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {world.token_secret}")
    assert answer.status_code == 200
    [entry] = list_entries()
    assert entry.object_ids == [row["id"] for row in answer.json()["results"]] == [world.practitioner_a.pk]
    assert entry.actor_id == world.practitioner_a.pk and entry.detail == "API people list"


def test_a_named_members_attendance_record_writes_one_entry_with_the_records_shown(world, signed_in):
    from tests.governance.matrix_rows_oversight import build

    with acting_as("test"):
        build(world)
    seat = world.extras["oversight_seat"]
    client = signed_in(world.partnership_admin)
    page = client.get(reverse("governance:attendance-member", args=[seat.pk]))
    assert page.status_code == 200
    [entry] = list_entries()
    assert entry.object_ids == list(Attendance.objects.filter(member=seat).values_list("pk", flat=True))
    assert entry.content_type.model_class() is Attendance
    assert entry.partnership_id == world.alpha.pk
    assert entry.detail == f"attendance record of {seat.person.full_name}, {seat.group.name}"


def test_the_access_log_page_says_which_records_a_list_showed(world, signed_in):
    signed_in(world.partnership_admin).get(reverse("accounts:person-list"), {"search": "Pat Alpha"})
    page = sign_in(Client(), world.system_admin).get(reverse("core:audit-access"))
    assert page.status_code == 200
    assert f"people list (search=Pat+Alpha); records {world.practitioner_a.pk}" in page.content.decode()
