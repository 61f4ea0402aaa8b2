"""'My actions' on My work, and the read-only API."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeboard.actions import services
from safeboard.core.permissions import Role
from tests.actions.helpers import make_action
from tests.factories import member


def home_queries(client) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("core:home")).status_code == 200
    return len(captured)


def test_my_actions_lists_the_persons_live_actions_across_partnerships(world, signed_in):
    mine = make_action(world, title="My own action", due_in=3)
    make_action(world, owner=world.agency_lead, title="The lead's action")
    cancelled = make_action(world, title="Cancelled one")
    services.cancel_action(action=cancelled, cancelled_by=world.partnership_admin, reason="No longer needed")
    # Practitioner A also sits on Beta's board with an action there.
    from safeboard.accounts.models import Membership

    Membership.objects.create(user=world.practitioner_a, partnership=world.beta, role=Role.PRACTITIONER)
    beta = make_action(world, partnership=world.beta, agency=world.agency_c, title="Beta board action")

    response = signed_in(world.practitioner_a).get(reverse("core:home"))
    panel = next(p for p in response.context["panels"] if p.title == "Your actions")
    assert [a.pk for a, _ in panel.context["actions"]] == [mine.pk, beta.pk]
    body = response.content.decode()
    assert "My own action" in body and "Beta board action" in body
    assert "Amber (due soon)" in body
    assert "The lead's action" not in body and "Cancelled one" not in body


def test_my_actions_shows_ten_at_most_with_a_fixed_number_of_queries(world, signed_in):
    make_action(world)
    client = signed_in(world.practitioner_a)
    home_queries(client)
    before = home_queries(client)
    for i in range(14):
        make_action(world, title=f"Action {i}", due_in=i + 1)
    after = home_queries(client)
    assert after == before
    panel = next(p for p in client.get(reverse("core:home")).context["panels"] if p.title == "Your actions")
    assert len(panel.context["actions"]) == 10 and panel.context["more"]


def test_people_without_the_action_log_get_no_panel(world, signed_in):
    for person in (world.scrutiny, world.system_admin):
        panels = signed_in(person).get(reverse("core:home")).context["panels"]
        assert "Your actions" not in [p.title for p in panels]


def api(world, user):  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    from safeboard.accounts.models import APIToken

    client = APIClient()
    if user == world.practitioner_a:
        secret = world.token_secret
    else:
        _, secret = APIToken.issue(user, "Test")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_the_api_lists_only_what_the_caller_may_see_and_filters(world):
    own = make_action(world)
    lead_own = make_action(world, owner=world.agency_lead, priority="high")
    other_agency = make_action(world, owner=world.practitioner_b, agency=world.agency_b, source=world.locality)
    services.add_progress_update(action=lead_own, author=world.agency_lead, text="Started", start=True)

    def ids(client, query: str = "") -> set[int]:  # type: ignore[no-untyped-def]
        response = client.get(f"/api/v1/actions/{query}")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids(api(world, world.practitioner_a)) == {own.pk}
    assert ids(api(world, world.agency_lead)) == {own.pk, lead_own.pk}
    admin = api(world, world.partnership_admin)
    assert ids(admin) == {own.pk, lead_own.pk, other_agency.pk}
    assert ids(admin, "?status=in_progress") == {lead_own.pk}
    assert ids(admin, f"?agency={world.agency_b.pk}") == {other_agency.pk}
    assert ids(admin, f"?owner={world.agency_lead.pk}") == {lead_own.pk}
    assert ids(api(world, world.other_admin)) == set()
    assert ids(api(world, world.scrutiny)) == set()

    row = admin.get(f"/api/v1/actions/{other_agency.pk}/").json()
    assert row["reference"] == other_agency.reference
    assert row["source_type"] == "core.locality" and row["rag"] == "green"
    assert row["owner_name"] == "Pip Bravo"
    assert api(world, world.practitioner_a).get(f"/api/v1/actions/{other_agency.pk}/").status_code == 404


def test_the_api_is_read_only(world):
    action = make_action(world)
    client = api(world, world.partnership_admin)
    assert client.post("/api/v1/actions/", {"title": "x"}).status_code == 405
    assert client.patch(f"/api/v1/actions/{action.pk}/", {"title": "x"}).status_code == 405


def test_an_admin_of_two_partnerships_sees_both_in_the_api(world):
    both = member(world.alpha, Role.PARTNERSHIP_ADMINISTRATOR, world.agency_a)
    from safeboard.accounts.models import Membership

    Membership.objects.create(user=both, partnership=world.beta, role=Role.PARTNERSHIP_ADMINISTRATOR)
    alpha_action = make_action(world)
    beta_action = make_action(world, partnership=world.beta, owner=world.other_admin, agency=world.agency_c)
    response = api(world, both).get(f"/api/v1/actions/?partnership={world.beta.pk}")
    assert [row["id"] for row in response.json()["results"]] == [beta_action.pk]
    assert alpha_action.pk != beta_action.pk
