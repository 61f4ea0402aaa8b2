"""The API's paging answers every cursor and page size as its schema says (issue 6, section 5)."""

from __future__ import annotations

import pytest
from django.test import Client

from safeboard.accounts.models import APIToken
from tests.factories import AgencyFactory


@pytest.fixture
def api(world) -> Client:  # type: ignore[no-untyped-def]
    _, secret = APIToken.issue(world.partnership_admin, "admin")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.mark.parametrize("cursor", ["schemathesis", "////", "%C2%94T", "cD1hYmM=", "cD0tNQ=="])  # p=abc, p=-5
def test_a_cursor_the_list_did_not_give_is_a_400(api, cursor):
    response = api.get(f"/api/v1/agencies/?cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_an_empty_cursor_is_the_first_page_and_a_given_cursor_the_next(world, api):
    for n in range(3):
        AgencyFactory(name=f"Alpha agency {n}", partnerships=[world.alpha])
    first = api.get("/api/v1/agencies/?cursor=&page_size=2")
    assert first.status_code == 200
    assert first.json() == api.get("/api/v1/agencies/?page_size=2").json()
    following = api.get(first.json()["next"])
    assert following.status_code == 200
    assert following.json()["results"][0]["id"] > first.json()["results"][-1]["id"]


@pytest.mark.parametrize("size", ["0", "null", "-1", "201", "1.5", "abc", str(2**64)])
def test_a_page_size_outside_1_to_200_is_a_400(api, size):
    response = api.get(f"/api/v1/agencies/?page_size={size}")
    assert response.status_code == 400
    assert "page_size" in response.json()["errors"]


@pytest.mark.parametrize(("size", "rows"), [("", 2), ("1", 1), ("200", 2)])
def test_a_page_size_from_1_to_200_or_none_is_accepted(api, size, rows):
    response = api.get(f"/api/v1/agencies/?page_size={size}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows
