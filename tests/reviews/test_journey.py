"""The review manager's journey on the web pages: add a review, notify, rapid review, sign-off, send,
the Panel's response, the decision; with the conflicts of interest rule and refused dates."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from safeboard.core.interests import InterestDeclaration
from safeboard.governance.arrangements.models import SignOff
from safeboard.reviews.models import Review, ReviewType
from tests.conftest import sign_in
from tests.reviews.helpers import make_review, partners, review_manager, switch_on

TODAY = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


@pytest.fixture
def setup(world, client):  # type: ignore[no-untyped-def]
    switch_on(world.alpha)
    manager = review_manager(world.alpha)
    people = partners(world.alpha)
    return sign_in(client, manager), manager, people


@time_machine.travel(TODAY, tick=False)
def test_a_new_partnership_has_the_six_default_types(world):  # type: ignore[no-untyped-def]
    names = list(ReviewType.objects.filter(partnership=world.alpha).values_list("name", flat=True))
    assert len(names) == 6
    assert "Appreciative inquiry (a case that went well)" in names


@time_machine.travel(TODAY, tick=False)
def test_the_review_manager_adds_a_review_with_its_first_child(world, setup):  # type: ignore[no-untyped-def]
    client, manager, _ = setup
    review_type = ReviewType.objects.filter(partnership=world.alpha).first()
    data = {
        "reference": "CR-2026-07",
        "review_type": review_type.pk,
        "manager": manager.pk,
        **date("incident_on", dt.date(2026, 11, 9)),
        **date("aware_on", dt.date(2026, 11, 10)),
        "agencies": [world.agency_a.pk],
        "case_reference": "C-1001",
        "age_band": "1_4",
        "sex": "male",
        "ethnicity": "mixed",
    }
    response = client.post(reverse("reviews:review-new"), data)
    assert response.status_code == 302, response.context["form"].errors
    review = Review.objects.get(reference="CR-2026-07")
    assert review.partnership == world.alpha
    assert review.children.get().case_reference == "C-1001"
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Record the notification" in page
    assert "Statutory" in page


@time_machine.travel(TODAY, tick=False)
def test_the_whole_rapid_review_and_decision(world, setup):  # type: ignore[no-untyped-def]
    client, manager, people = setup
    review = make_review(world.alpha, manager, aware_on=dt.date(2026, 11, 2), agencies=[world.agency_a])

    def step(name: str, data: dict) -> None:  # type: ignore[type-arg]
        response = client.post(reverse(f"reviews:{name}", args=[review.pk]), data)
        assert response.status_code == 302, response.context["form"].errors

    step("review-notify", date("notified_on", dt.date(2026, 11, 5)))
    step("summary-new", {"agency": world.agency_a.pk, "summary": "Known to the team since the spring."})
    step("review-rapid", {"recommendation": "local_review", "rationale": "Agencies' work together is in question."})
    step("rapid-sign-off", {})
    step("rapid-send", date("sent_on", dt.date(2026, 11, 18)))
    step("panel-response", {"response": "agree", **date("responded_on", dt.date(2026, 11, 19))})
    step(
        "review-decide",
        {"decision": "local_review", **date("decided_on", dt.date(2026, 11, 19)), "rationale": "The Panel agrees."},
    )
    review.refresh_from_db()
    assert review.decision == "local_review"
    assert set(review.decided_by.all()) == set(people.values())
    assert SignOff.objects.about(review.rapid_review).count() == 3
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Record the publication dates" in page
    assert "Met" in page


@time_machine.travel(TODAY, tick=False)
def test_a_decision_dated_before_the_notification_is_refused_with_a_clear_message(world, setup):  # type: ignore[no-untyped-def]
    client, manager, _ = setup
    review = make_review(world.alpha, manager, aware_on=dt.date(2026, 11, 2), notified_on=dt.date(2026, 11, 6))
    response = client.post(
        reverse("reviews:review-decide", args=[review.pk]),
        {"decision": "no_local_review", **date("decided_on", dt.date(2026, 11, 5)), "rationale": "Too early."},
    )
    assert response.status_code == 200
    assert "The decision cannot be dated before the notification (6 November 2026)." in response.content.decode()
    review.refresh_from_db()
    assert review.decision == ""


@time_machine.travel(TODAY, tick=False)
def test_a_partner_who_declares_an_interest_is_left_out_and_the_stand_in_is_shown(world, setup):  # type: ignore[no-untyped-def]
    client, manager, people = setup
    review = make_review(world.alpha, manager, aware_on=dt.date(2026, 11, 2), notified_on=dt.date(2026, 11, 4))
    police = people["police"]
    response = client.post(
        reverse("reviews:review-declare", args=[review.pk]),
        {"person": police.pk, "description": "Line manager of an officer involved.", "stands_aside": "on"},
    )
    assert response.status_code == 302
    assert InterestDeclaration.objects.about(review).get().person == police
    decide = reverse("reviews:review-decide", args=[review.pk])
    body = {"decision": "local_review", **date("decided_on", dt.date(2026, 11, 12)), "rationale": "Criteria met."}
    # Without a stand-in the named partner would sign: refused, and the form says what to do.
    refused = client.post(decide, body)
    assert refused.status_code == 200
    assert "choose who signs for the police in their place" in refused.content.decode()
    deputy = world.agency_lead
    response = client.post(decide, {**body, "police": deputy.pk})
    assert response.status_code == 302
    review.refresh_from_db()
    assert police not in review.decided_by.all()
    assert deputy in review.decided_by.all()
    assert list(review.stood_aside.all()) == [police]
    page = client.get(review.get_absolute_url()).content.decode()
    assert f"standing in for {police.full_name}, who declared an interest" in page


@time_machine.travel(TODAY, tick=False)
def test_two_people_editing_a_review_cannot_overwrite_each_other(world, setup):  # type: ignore[no-untyped-def]
    client, manager, _ = setup
    review = make_review(world.alpha, manager, aware_on=dt.date(2026, 11, 2))
    url = reverse("reviews:review-edit", args=[review.pk])
    form = client.get(url).context["form"]
    data = {
        "reference": "CR-2026-01",
        "review_type": review.review_type_id,
        "manager": manager.pk,
        **date("incident_on", review.incident_on),
        **date("aware_on", review.aware_on),
        "area_of_residence": "Beta",
        "version_seen": form.initial["version_seen"],
    }
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "area_of_residence": "Gamma"})
    assert stale.status_code == 409
    review.refresh_from_db()
    assert review.area_of_residence == "Beta"


@time_machine.travel(TODAY, tick=False)
def test_review_types_are_the_partnerships_own_list(world, setup):  # type: ignore[no-untyped-def]
    client, _, _ = setup
    response = client.post(reverse("reviews:type-new"), {"name": "Rapid review", "position": 9})
    assert "There is already a type with this name." in response.content.decode()
    assert client.post(reverse("reviews:type-new"), {"name": "Thematic review", "position": 7}).status_code == 302
    made = ReviewType.objects.get(partnership=world.alpha, name="Thematic review")
    assert not ReviewType.objects.filter(partnership=world.beta, name="Thematic review").exists()
    edit = reverse("reviews:type-edit", args=[made.pk])
    retired = {"name": "Thematic review", "position": 7, "version_seen": made.version}
    assert client.post(edit, retired).status_code == 302
    made.refresh_from_db()
    assert not made.is_active
    offered = client.get(reverse("reviews:review-new")).context["form"].fields["review_type"].queryset
    assert made not in offered and offered.count() == 6


@time_machine.travel(TODAY, tick=False)
def test_the_clock_settings_change_the_rapid_review_clock(world, setup):  # type: ignore[no-untyped-def]
    client, manager, _ = setup
    review = make_review(world.alpha, manager, aware_on=dt.date(2026, 11, 2), notified_on=dt.date(2026, 11, 5))
    response = client.post(reverse("reviews:settings"), {"rapid_review_starts": "notification", "final_report_days": 0})
    assert "Enter a number of working days from 1 to 60." in response.content.decode()
    response = client.post(
        reverse("reviews:settings"), {"rapid_review_starts": "notification", "final_report_days": 10}
    )
    assert response.status_code == 302
    clocks = client.get(review.get_absolute_url()).context["clocks"]
    assert next(c for c in clocks if c.key == "rapid_review").due_on == dt.date(2026, 11, 26)
