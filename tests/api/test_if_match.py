"""Writes over the API need ``If-Match`` (issue 6, section 5): the last writer no longer wins silently."""

from __future__ import annotations

import pytest
import yaml
from django.test import Client

from safeboard.accounts.models import APIToken, User
from safeboard.config.api_urls import router
from safeboard.core.api.versioning import IfMatchUpdateMixin, is_versioned
from safeboard.core.models import Agency
from tests.conftest import sign_in


def admin_client(world) -> Client:  # type: ignore[no-untyped-def]
    _, secret = APIToken.issue(world.partnership_admin, "admin")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def agency_row(pk: int) -> dict:  # type: ignore[type-arg]
    return Agency.objects.values().get(pk=pk)


@pytest.mark.parametrize("method", ["patch", "put"])
def test_an_agency_write_without_if_match_is_refused_with_428_and_changes_nothing(world, method):
    client = admin_client(world)
    before = agency_row(world.agency_b.pk)
    body = {"name": "Renamed without reading", "agency_type": before["agency_type"]}
    response = getattr(client, method)(f"/api/v1/agencies/{world.agency_b.pk}/", body, content_type="application/json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert agency_row(world.agency_b.pk) == before


@pytest.mark.parametrize("header", ["999", "abc", 'W/"0"', "²"])
def test_an_agency_write_with_a_stale_or_junk_version_is_refused_with_412(world, header):
    client = admin_client(world)
    before = agency_row(world.agency_b.pk)
    response = client.patch(
        f"/api/v1/agencies/{world.agency_b.pk}/",
        {"name": "Stale"},
        content_type="application/json",
        HTTP_IF_MATCH=header,
    )
    assert response.status_code == 412
    assert agency_row(world.agency_b.pk) == before


@pytest.mark.parametrize("header", ["{v}", '"{v}"', 'W/"{v}"'])
def test_an_agency_write_with_the_current_version_saves_and_moves_the_version_on(world, header):
    client = admin_client(world)
    version = Agency.objects.get(pk=world.agency_b.pk).version
    response = client.patch(
        f"/api/v1/agencies/{world.agency_b.pk}/",
        {"email": "safeguarding@health.example"},
        content_type="application/json",
        HTTP_IF_MATCH=header.format(v=version),
    )
    assert response.status_code == 200
    assert response.json()["version"] == version + 1
    agency = Agency.objects.get(pk=world.agency_b.pk)
    assert (agency.email, agency.version) == ("safeguarding@health.example", version + 1)
    replay = client.patch(
        f"/api/v1/agencies/{world.agency_b.pk}/",
        {"email": "second@health.example"},
        content_type="application/json",
        HTTP_IF_MATCH=str(version),
    )
    assert replay.status_code == 412  # the same write again, from the version now gone
    assert Agency.objects.get(pk=world.agency_b.pk).email == "safeguarding@health.example"


def test_a_person_write_without_if_match_is_refused_with_428(world):
    client = admin_client(world)
    before = User.objects.values().get(pk=world.practitioner_b.pk)
    response = client.patch(
        f"/api/v1/people/{world.practitioner_b.pk}/", {"phone": "0100 000 000"}, content_type="application/json"
    )
    assert response.status_code == 428
    assert User.objects.values().get(pk=world.practitioner_b.pk) == before


def test_every_writable_viewset_of_versioned_records_requires_if_match():
    writable = []
    for prefix, viewset, _ in router.registry:
        model = viewset.serializer_class.Meta.model
        if is_versioned(model) and (hasattr(viewset, "update") or hasattr(viewset, "partial_update")):
            writable.append(prefix)
            assert issubclass(viewset, IfMatchUpdateMixin), prefix
    assert {"agencies", "people"} <= set(writable)


def test_the_schema_documents_if_match_412_and_428_on_every_patch_and_put(world):
    spec = yaml.safe_load(sign_in(Client(), world.partnership_admin).get("/api/schema/").content)
    operations = [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in ("patch", "put")
    ]
    assert operations
    for path, method, operation in operations:
        headers = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "header"}
        assert headers.get("If-Match", {}).get("required") is True, (path, method)
        assert {"412", "428"} <= set(operation["responses"]), (path, method)
