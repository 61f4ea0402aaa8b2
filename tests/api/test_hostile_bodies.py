"""Bodies built to crash the API get a 400, and change nothing (issue 6, section 5)."""

from __future__ import annotations

import pytest
from django.test import Client

from safeboard.accounts.models import APIToken
from safeboard.core.api.parsers import MAX_DEPTH, nesting_depth
from safeboard.core.models import Agency


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,  # deep enough to exhaust Python's stack
        '{"name": ' + '{"a": ' * 5_000 + "1" + "}" * 5_000 + "}",
        '{"name": ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "}",  # parses, but deeper than we accept
    ],
    ids=["stack-exhausting-list", "deep-object", "just-too-deep"],
)
def test_a_deeply_nested_body_is_refused_with_400_and_changes_nothing(world, body):
    _, secret = APIToken.issue(world.partnership_admin, "admin")
    before = Agency.objects.values().get(pk=world.agency_a.pk)
    response = Client().patch(
        f"/api/v1/agencies/{world.agency_a.pk}/",
        body,
        content_type="application/json",
        HTTP_IF_MATCH=str(world.agency_a.version),
        **bearer(secret),
    )
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]
    assert Agency.objects.values().get(pk=world.agency_a.pk) == before


def test_every_json_endpoint_uses_the_safe_parser(world):
    _, secret = APIToken.issue(world.practitioner_a, "p")
    body = "[" * 100_000 + "]" * 100_000
    response = Client().patch(
        f"/api/v1/people/{world.practitioner_a.pk}/",
        body,
        content_type="application/json",
        HTTP_IF_MATCH=str(world.practitioner_a.version),
        **bearer(secret),
    )
    assert response.status_code == 400


def test_nesting_depth_counts_levels():
    assert nesting_depth(1) == 0
    assert nesting_depth({"a": [1, {"b": []}]}) == 4
    assert nesting_depth([[]] * 3) == 2
