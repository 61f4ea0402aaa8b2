from __future__ import annotations

import datetime as dt

import yaml
from django.test import Client
from django.utils import timezone
from openapi_spec_validator import validate

from safeboard.accounts.models import APIToken
from tests.conftest import sign_in


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_schema_is_valid_openapi_3(world):
    client = sign_in(Client(), world.partnership_admin)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    spec = yaml.safe_load(response.content)
    assert spec["openapi"].startswith("3.")
    validate(spec)
    assert "/api/v1/people/" in spec["paths"]
    assert "personalToken" in spec["components"]["securitySchemes"]


def test_a_token_sees_only_its_owners_scope(world):
    client = Client()
    me = client.get("/api/v1/people/me/", **bearer(world.token_secret))
    assert me.status_code == 200
    assert me.json()["email"] == world.practitioner_a.email
    people = client.get("/api/v1/people/", **bearer(world.token_secret)).json()
    assert [p["id"] for p in people["results"]] == [world.practitioner_a.pk]  # a practitioner sees only themself
    agencies = client.get("/api/v1/agencies/", **bearer(world.token_secret)).json()
    assert {a["name"] for a in agencies["results"]} == {"Alpha Police", "Alpha Health Trust"}  # never Beta's
    assert client.get(f"/api/v1/agencies/{world.agency_c.pk}/", **bearer(world.token_secret)).status_code == 404
    assert client.get(f"/api/v1/people/{world.practitioner_b.pk}/", **bearer(world.token_secret)).status_code == 404


def test_an_agency_leads_token_sees_their_agencys_people(world):
    _, secret = APIToken.issue(world.agency_lead, "lead")
    people = Client().get("/api/v1/people/", **bearer(secret)).json()["results"]
    assert {p["full_name"] for p in people} == {"Pat Alpha", "Lee Lead", "Ada Admin", "Sue Scrutiny"}


def test_bad_revoked_and_expired_tokens_get_401(world):
    client = Client()
    assert client.get("/api/v1/people/me/").status_code == 401
    assert client.get("/api/v1/people/me/", **bearer("sbk_nope_nope")).status_code == 401
    token, secret = APIToken.issue(world.practitioner_a, "short-lived", days=1)
    with __import__("time_machine").travel(timezone.now() + dt.timedelta(days=2), tick=False):
        response = client.get("/api/v1/people/me/", **bearer(secret))
    assert response.status_code == 401
    assert "expired or been revoked" in response.json()["detail"]
    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/api/v1/people/me/", **bearer(secret)).status_code == 401


def test_tokens_are_stored_only_as_a_hash(world):
    token = APIToken.objects.get(pk=world.token.pk)
    assert world.token_secret.split("_", 2)[2] not in token.key_hash
    assert len(token.key_hash) == 64


def test_invalid_input_gets_400_with_field_messages(world):
    _, secret = APIToken.issue(world.partnership_admin, "admin")
    response = Client().post(
        f"/api/v1/agencies/?partnership={world.alpha.pk}",
        {"name": "", "agency_type": "wizards"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"name", "agency_type"}
    assert "Traceback" not in response.content.decode()


def test_an_administrator_adds_and_changes_an_agency_through_the_api(world):
    _, secret = APIToken.issue(world.partnership_admin, "admin")
    client = Client()
    created = client.post(
        f"/api/v1/agencies/?partnership={world.alpha.pk}",
        {"name": "Alpha Youth Justice", "agency_type": "youth_justice"},
        content_type="application/json",
        **bearer(secret),
    )
    assert created.status_code == 201
    agency = created.json()
    assert agency["partnerships"] == [world.alpha.pk]
    stale = client.patch(
        f"/api/v1/agencies/{agency['id']}/",
        {"email": "a@example.test"},
        content_type="application/json",
        HTTP_IF_MATCH=str(agency["version"] + 5),
        **bearer(secret),
    )
    assert stale.status_code == 412
    fresh = client.patch(
        f"/api/v1/agencies/{agency['id']}/",
        {"email": "a@example.test"},
        content_type="application/json",
        HTTP_IF_MATCH=str(agency["version"]),
        **bearer(secret),
    )
    assert fresh.status_code == 200 and fresh.json()["version"] == agency["version"] + 1


def test_practitioners_cannot_change_agencies_and_outsiders_cannot_find_them(world):
    client = Client()
    response = client.patch(
        f"/api/v1/agencies/{world.agency_a.pk}/",
        {"name": "Mine now"},
        content_type="application/json",
        **bearer(world.token_secret),
    )
    assert response.status_code == 403
    _, outsider = APIToken.issue(world.other_admin, "outsider")
    response = client.patch(
        f"/api/v1/agencies/{world.agency_a.pk}/",
        {"name": "Mine now"},
        content_type="application/json",
        **bearer(outsider),
    )
    assert response.status_code == 404
    response = client.post(
        f"/api/v1/agencies/?partnership={world.alpha.pk}",
        {"name": "Sneaky", "agency_type": "other"},
        content_type="application/json",
        **bearer(outsider),
    )
    assert response.status_code == 403
    missing = client.post(
        "/api/v1/agencies/?partnership=999999",
        {"name": "Sneaky", "agency_type": "other"},
        content_type="application/json",
        **bearer(outsider),
    )
    # Alpha is not open to them: the answer is the same as for a partnership that does not exist.
    assert (missing.status_code, missing.json()) == (403, response.json())


def test_api_lists_use_cursor_pagination(world):
    _, secret = APIToken.issue(world.system_admin, "sys")
    page = Client().get("/api/v1/people/?page_size=2", **bearer(secret)).json()
    assert len(page["results"]) == 2
    assert "cursor=" in page["next"]
    assert "count" not in page


def test_reading_a_person_through_the_api_is_logged(world):
    from safeboard.core.audit import AccessLogEntry

    _, secret = APIToken.issue(world.agency_lead, "lead")
    Client().get(f"/api/v1/people/{world.practitioner_a.pk}/", **bearer(secret))
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry.actor_id == world.agency_lead.pk and entry.detail == "API"
