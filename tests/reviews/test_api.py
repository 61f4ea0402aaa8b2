"""Case reviews over the API: read with clocks, add (the review manager), refusals that leak nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.test import Client

from safeboard.accounts.models import APIToken
from safeboard.reviews.models import Review, ReviewType
from tests.reviews.helpers import make_review, review_manager

TODAY = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def api(user: Any) -> Client:
    _, secret = APIToken.issue(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def body(world: Any, manager: Any, **extra: Any) -> dict[str, Any]:
    return {
        "partnership": world.alpha.pk,
        "reference": "CR-API-1",
        "review_type": ReviewType.objects.filter(partnership=world.alpha).first().pk,
        "manager": manager.pk,
        "incident_on": "2026-11-09",
        "aware_on": "2026-11-10",
        "agencies": [world.agency_a.pk],
        "children": [{"case_reference": "C-1", "age_band": "5_9", "sex": "female", "ethnicity": "asian"}],
        **extra,
    }


@time_machine.travel(TODAY, tick=False)
def test_the_review_manager_reads_reviews_with_their_clocks(world):  # type: ignore[no-untyped-def]
    manager = review_manager(world.alpha)
    review = make_review(world.alpha, manager, aware_on=dt.date(2026, 11, 2))
    answer = api(manager).get("/api/v1/reviews/").json()
    found = next(r for r in answer["results"] if r["id"] == review.pk)
    notify = next(c for c in found["clocks"] if c["key"] == "notify")
    assert notify == {
        "key": "notify",
        "name": "Panel, Ofsted and the DfE notified",
        "kind": "statutory",
        "due_on": "2026-11-09",
        "done_on": None,
        "state": "overdue",
        "days_late": 9,
        "days_left": None,
    }
    assert found["children"][0]["case_reference"] == "CR-2026-01-C1"
    assert api(world.practitioner_a).get(f"/api/v1/reviews/{review.pk}/").status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_the_review_manager_adds_a_review_with_its_children(world):  # type: ignore[no-untyped-def]
    manager = review_manager(world.alpha)
    response = api(manager).post("/api/v1/reviews/", body(world, manager), content_type="application/json")
    assert response.status_code == 201, response.json()
    review = Review.objects.get(reference="CR-API-1")
    assert review.partnership == world.alpha
    assert [c.case_reference for c in review.children.all()] == ["C-1"]
    assert response.json()["clocks"][0]["due_on"] == "2026-11-17"


@time_machine.travel(TODAY, tick=False)
def test_bad_values_get_written_messages(world):  # type: ignore[no-untyped-def]
    manager = review_manager(world.alpha)
    client = api(manager)
    make_review(world.alpha, manager, reference="CR-API-1")
    response = client.post(
        "/api/v1/reviews/",
        body(
            world,
            manager,
            notified_on="2026-11-01",
            review_type=ReviewType.objects.filter(partnership=world.beta).first().pk,
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "Another review already has this case reference." in str(errors["reference"])
    assert "Choose a type of review of this partnership that is in use." in str(errors["review_type"])
    assert "on or after the date the local authority became aware" in str(errors["notified_on"])


@time_machine.travel(TODAY, tick=False)
def test_adding_to_another_partnership_is_refused_before_anything_is_checked(world):  # type: ignore[no-untyped-def]
    alpha_manager = review_manager(world.alpha)
    make_review(world.alpha, alpha_manager, reference="CR-SECRET")
    intruder = review_manager(world.beta, name="Beta Manager")
    response = api(intruder).post(
        "/api/v1/reviews/", body(world, alpha_manager, reference="CR-SECRET"), content_type="application/json"
    )
    assert response.status_code == 403
    assert "CR-SECRET" not in response.content.decode() and "reference" not in response.content.decode()
    assert Review.objects.count() == 1
    lead = api(world.agency_lead)
    assert lead.post("/api/v1/reviews/", body(world, alpha_manager), content_type="application/json").status_code == 403


def test_the_review_endpoints_answer_as_their_schema_says_to_the_review_manager(world):  # type: ignore[no-untyped-def]
    """The whole-API schemathesis run works as the administrator, who sees no review: here the review
    manager, with a real review, so the answers with clocks and children are checked against the schema."""
    import schemathesis
    from django.db import connection
    from schemathesis.generation import GenerationMode

    from tests.api.test_schemathesis import KeepConnectionApp, api_spec, run

    if connection.vendor != "sqlite":
        return
    manager = review_manager(world.alpha)
    review = make_review(world.alpha, manager, aware_on=dt.date(2026, 11, 2))
    schema = schemathesis.openapi.from_dict(api_spec())
    schema.app = KeepConnectionApp()
    _, secret = APIToken.issue(manager, "schemathesis")
    auth = {"Authorization": f"Bearer {secret}"}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/api/v1/reviews/"):
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures.append(run(operation, mode, auth))
        if "{id}" in operation.path:
            failures.append(run(operation, GenerationMode.POSITIVE, auth, path_parameters={"id": review.pk}))
    found = [failure for failure in failures if failure]
    assert not found, "\n\n".join(found)
