"""Issue 6 §3: agencies shared between partnerships.

The attack that worked: any administrator joined any agency of the platform to their partnership
(the join form listed them all), then renamed it, changed its email or deactivated it for every
partnership it sits on, on the web and through ``PATCH /api/v1/agencies/<id>/``.
"""

from __future__ import annotations

from django.core import mail
from django.test import Client
from django.urls import reverse

from safeboard.accounts.models import APIToken, Membership
from safeboard.core.models import Agency, AgencyJoinRequest, JoinRequestStatus
from safeboard.core.permissions import Role
from tests.conftest import sign_in
from tests.factories import AgencyFactory, PartnershipFactory


def identity(agency: Agency) -> tuple:
    agency = Agency.objects.get(pk=agency.pk)
    return (agency.name, agency.agency_type, agency.code, agency.email, agency.is_active)


def partnerships_of(agency: Agency) -> set[int]:
    return set(Agency.objects.get(pk=agency.pk).partnerships.values_list("pk", flat=True))


def agency_form(agency: Agency, **changes) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "name": agency.name,
        "agency_type": agency.agency_type,
        "code": agency.code,
        "email": agency.email,
        "is_active": "on" if agency.is_active else "",
        "version_seen": agency.version,
    }
    data.update(changes)
    return data


def test_joining_another_boards_agency_is_a_request_not_a_fact(world):
    # The attack's first step: Alpha's administrator adds Beta's council to Alpha.
    client = sign_in(Client(), world.partnership_admin)
    response = client.post(reverse("core:agency-join"), {"q": "Beta Council", "agency": world.agency_c.pk})
    assert response.status_code == 302
    assert partnerships_of(world.agency_c) == {world.beta.pk}  # nothing joined yet
    request = AgencyJoinRequest.objects.get()
    assert (request.agency, request.partnership, request.status) == (
        world.agency_c,
        world.alpha,
        JoinRequestStatus.PENDING,
    )
    # Alpha cannot yet see the agency, let alone change it.
    assert client.get(reverse("core:agency-detail", args=[world.agency_c.pk])).status_code == 404
    assert (
        client.post(reverse("core:agency-edit", args=[world.agency_c.pk]), agency_form(world.agency_c)).status_code
        == 404
    )


def test_the_join_page_does_not_list_every_agency_on_the_platform(world):
    others = [AgencyFactory(name=f"Faraway Agency {i}", code=f"FA{i}", partnerships=[world.beta]) for i in range(3)]
    client = sign_in(Client(), world.partnership_admin)
    page = client.get(reverse("core:agency-join")).content.decode()
    for agency in [world.agency_c, *others]:
        assert agency.name not in page
    # A part of a name finds nothing; the exact name or the exact code finds one agency.
    assert "Faraway Agency 1" not in client.get(reverse("core:agency-join"), {"q": "Faraway"}).content.decode()
    by_name = client.get(reverse("core:agency-join"), {"q": "faraway agency 1"}).content.decode()
    assert "Faraway Agency 1" in by_name and "Faraway Agency 2" not in by_name
    by_code = client.get(reverse("core:agency-join"), {"q": "fa2"}).content.decode()
    assert "Faraway Agency 2" in by_code and "Faraway Agency 1" not in by_code


def test_an_agency_id_that_the_search_did_not_find_cannot_be_asked_for(world):
    client = sign_in(Client(), world.partnership_admin)
    response = client.post(reverse("core:agency-join"), {"q": "Nothing like it", "agency": world.agency_c.pk})
    assert response.status_code == 200
    assert not AgencyJoinRequest.objects.exists()


def test_an_administrator_of_a_partnership_it_sits_on_approves_and_the_requester_is_told(world):
    sign_in(Client(), world.partnership_admin).post(
        reverse("core:agency-join"),
        {"q": "Beta Council", "agency": world.agency_c.pk, "reason": "Our children attend its schools."},
    )
    request = AgencyJoinRequest.objects.get()
    approver = sign_in(Client(), world.other_admin)
    assert "Beta Council" in approver.get(reverse("core:home")).content.decode()  # the My work panel
    listing = approver.get(reverse("core:agency-requests")).content.decode()
    assert reverse("core:agency-request", args=[request.pk]) in listing
    response = approver.post(reverse("core:agency-request", args=[request.pk]), {"decision": "approve", "note": ""})
    assert response.status_code == 302
    assert partnerships_of(world.agency_c) == {world.alpha.pk, world.beta.pk}
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.APPROVED and request.decided_by == world.other_admin
    told = [m for m in mail.outbox if m.to == [world.partnership_admin.email]]
    assert told and "approved" in told[-1].body
    # Deciding twice does nothing more.
    again = approver.post(reverse("core:agency-request", args=[request.pk]), {"decision": "decline", "note": "no"})
    assert again.status_code == 409
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.APPROVED


def test_a_declined_request_leaves_the_agency_where_it_was(world):
    sign_in(Client(), world.partnership_admin).post(
        reverse("core:agency-join"), {"q": "Beta Council", "agency": world.agency_c.pk}
    )
    request = AgencyJoinRequest.objects.get()
    response = sign_in(Client(), world.system_admin).post(
        reverse("core:agency-request", args=[request.pk]), {"decision": "decline", "note": "Not on your patch."}
    )
    assert response.status_code == 302
    assert partnerships_of(world.agency_c) == {world.beta.pk}
    assert "Not on your patch." in mail.outbox[-1].body


def test_the_requester_cannot_approve_their_own_request(world):
    client = sign_in(Client(), world.partnership_admin)
    client.post(reverse("core:agency-join"), {"q": "Beta Council", "agency": world.agency_c.pk})
    request = AgencyJoinRequest.objects.get()
    response = client.post(reverse("core:agency-request", args=[request.pk]), {"decision": "approve", "note": ""})
    assert response.status_code == 403
    assert partnerships_of(world.agency_c) == {world.beta.pk}
    assert (
        sign_in(Client(), world.practitioner_a).get(reverse("core:agency-request", args=[request.pk])).status_code
        == 404
    )


def test_an_agency_on_no_partnership_is_joined_only_through_the_system_administrator(world):
    orphan = AgencyFactory(name="Lonely Trust", code="LT1")
    sign_in(Client(), world.partnership_admin).post(reverse("core:agency-join"), {"q": "LT1", "agency": orphan.pk})
    assert partnerships_of(orphan) == set()
    request = AgencyJoinRequest.objects.get(agency=orphan)
    assert (
        sign_in(Client(), world.other_admin).get(reverse("core:agency-request", args=[request.pk])).status_code == 404
    )
    sysadmin = sign_in(Client(), world.system_admin)
    assert sysadmin.post(reverse("core:agency-request", args=[request.pk]), {"decision": "approve"}).status_code == 302
    assert partnerships_of(orphan) == {world.alpha.pk}


def test_an_administrator_of_both_partnerships_joins_at_once(world):
    Membership.objects.create(user=world.partnership_admin, partnership=world.beta, role=Role.PARTNERSHIP_ADMINISTRATOR)
    client = sign_in(Client(), world.partnership_admin)
    response = client.post(reverse("core:agency-join"), {"q": "Beta Council", "agency": world.agency_c.pk})
    assert response.status_code == 302
    assert partnerships_of(world.agency_c) == {world.alpha.pk, world.beta.pk}
    assert AgencyJoinRequest.objects.get().status == JoinRequestStatus.APPROVED


# --- Changing a shared agency ----------------------------------------------------------------------------


def share_alpha_police_with_beta(world) -> Agency:  # type: ignore[no-untyped-def]
    world.agency_a.partnerships.add(world.beta)
    return world.agency_a


def test_a_shared_agencys_identity_cannot_be_changed_by_one_of_its_partnerships(world):
    shared = share_alpha_police_with_beta(world)
    before = identity(shared)
    client = sign_in(Client(), world.other_admin)
    url = reverse("core:agency-edit", args=[shared.pk])
    assert client.get(url).status_code == 403
    for changes in ({"name": "Beta's Police Now"}, {"email": "all.mail@evil.example"}, {"is_active": ""}):
        assert client.post(url, agency_form(shared, **changes)).status_code == 403, changes
    assert identity(shared) == before
    page = client.get(reverse("core:agency-detail", args=[shared.pk])).content.decode()
    assert "also sits on partnerships you do not administer" in page
    assert url not in page


def test_deactivating_from_one_partnership_ends_its_membership_there_only(world):
    shared = share_alpha_police_with_beta(world)
    client = sign_in(Client(), world.other_admin)
    url = reverse("core:agency-remove", args=[shared.pk])
    page = client.get(url).content.decode()
    assert "stays on the other partnerships" in page
    assert client.post(url).status_code == 302
    assert partnerships_of(shared) == {world.alpha.pk}
    assert identity(shared)[-1] is True  # still active for Alpha
    assert client.get(reverse("core:agency-detail", args=[shared.pk])).status_code == 404


def test_an_administrator_of_every_partnership_it_sits_on_may_change_it(world):
    client = sign_in(Client(), world.partnership_admin)
    response = client.post(
        reverse("core:agency-edit", args=[world.agency_a.pk]),
        agency_form(world.agency_a, name="Alpha Police Service", code="ap1"),
    )
    assert response.status_code == 302
    assert identity(world.agency_a)[:3] == ("Alpha Police Service", world.agency_a.agency_type, "AP1")


def test_the_system_administrator_may_change_a_shared_agency(world):
    shared = share_alpha_police_with_beta(world)
    response = sign_in(Client(), world.system_admin).post(
        reverse("core:agency-edit", args=[shared.pk]), agency_form(shared, email="desk@police.example.test")
    )
    assert response.status_code == 302
    assert identity(shared)[3] == "desk@police.example.test"


def test_agency_codes_are_unique_when_given(world):
    client = sign_in(Client(), world.partnership_admin)
    AgencyFactory(name="Coded Trust", code="RX1", partnerships=[world.beta])
    response = client.post(
        reverse("core:agency-new"), {"name": "Another Trust", "agency_type": "nhs_trust", "code": "rx1"}
    )
    assert response.status_code == 200
    assert "already" in response.content.decode()
    for name in ("Codeless One", "Codeless Two"):
        assert (
            client.post(reverse("core:agency-new"), {"name": name, "agency_type": "other", "code": ""}).status_code
            == 302
        )


# --- The API ---------------------------------------------------------------------------------------------


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, secret = APIToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_api_refuses_to_change_a_shared_agency_for_everyone(world):
    shared = share_alpha_police_with_beta(world)
    before = identity(shared)
    client = Client()
    headers = bearer(world.other_admin)
    url = f"/api/v1/agencies/{shared.pk}/"
    for body in ({"name": "Beta's Police Now"}, {"email": "all.mail@evil.example"}, {"is_active": False}):
        response = client.patch(
            url, body, content_type="application/json", HTTP_IF_MATCH=str(shared.version), **headers
        )
        assert response.status_code == 403, body
    assert identity(shared) == before


def test_the_api_removes_an_agency_from_one_partnership_only(world):
    shared = share_alpha_police_with_beta(world)
    client = Client()
    url = reverse("api:agency-leave", args=[shared.pk])
    refused = client.post(f"{url}?partnership={world.alpha.pk}", **bearer(world.other_admin))
    assert refused.status_code == 403  # Alpha is not theirs to speak for
    response = client.post(f"{url}?partnership={world.beta.pk}", **bearer(world.other_admin))
    assert response.status_code == 200
    assert partnerships_of(shared) == {world.alpha.pk}
    assert Agency.objects.get(pk=shared.pk).is_active


# --- Query counts ----------------------------------------------------------------------------------------


def test_the_requests_page_and_the_panel_run_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(client, url: str) -> int:  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def ask(n: int) -> None:
        for _ in range(n):
            asking = PartnershipFactory()
            agency = AgencyFactory(partnerships=[world.beta])
            AgencyJoinRequest.objects.create(agency=agency, partnership=asking, requested_by=world.partnership_admin)
            AgencyJoinRequest.objects.create(agency=agency, partnership=world.beta, requested_by=world.other_admin)

    client = sign_in(Client(), world.other_admin)
    ask(1)
    for url in (reverse("core:agency-requests"), reverse("core:home")):
        count(client, url)
        before = count(client, url)
        ask(10)
        after = count(client, url)
        assert after == before, f"{url}: {before} queries, then {after} with more requests (N+1?)"


def test_administrators_of_unrelated_partnerships_are_not_asked(world):
    from safeboard.accounts.models import User
    from tests.factories import member

    sign_in(Client(), world.partnership_admin).post(
        reverse("core:agency-join"), {"q": "Beta Council", "agency": world.agency_c.pk}
    )
    request = AgencyJoinRequest.objects.get()
    stranger: User = member(PartnershipFactory(), Role.PARTNERSHIP_ADMINISTRATOR)
    assert not AgencyJoinRequest.objects.awaiting_decision_by(stranger).exists()
    assert not AgencyJoinRequest.objects.awaiting_decision_by(world.partnership_admin).exists()  # the asker
    assert list(AgencyJoinRequest.objects.awaiting_decision_by(world.other_admin)) == [request]
    client = sign_in(Client(), stranger)
    assert "Beta Council" not in client.get(reverse("core:home")).content.decode()
    assert "Beta Council" not in client.get(reverse("core:agency-requests")).content.decode()
    assert client.get(reverse("core:agency-request", args=[request.pk])).status_code == 404
