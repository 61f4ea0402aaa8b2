"""Who sees and changes a review, attacks replayed, what scrutiny reads, and the register's query count."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeboard.core.permissions import Role
from safeboard.reviews.models import AgencySummary, Review
from tests.conftest import sign_in
from tests.factories import member
from tests.reviews.helpers import make_review, partners, review_manager, switch_on

TODAY = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def snapshot(review: Review) -> tuple:  # type: ignore[type-arg]
    review.refresh_from_db()
    return (review.version, review.notified_on, review.decision, AgencySummary.objects.filter(review=review).count())


@time_machine.travel(TODAY, tick=False)
def test_another_partnerships_review_manager_can_neither_see_nor_change_a_review(world, client):  # type: ignore[no-untyped-def]
    review = make_review(world.alpha, review_manager(world.alpha))
    intruder = sign_in(client, review_manager(world.beta, name="Beta Manager"))
    before = snapshot(review)
    assert intruder.get(review.get_absolute_url()).status_code == 404
    for name, data in (
        ("review-notify", {"notified_on-day": "5", "notified_on-month": "11", "notified_on-year": "2026"}),
        ("review-rapid", {"recommendation": "no_local_review", "rationale": "Taken over."}),
        ("summary-new", {"agency": world.agency_a.pk, "summary": "Planted."}),
        ("review-edit", {"reference": "STOLEN"}),
    ):
        assert intruder.post(reverse(f"reviews:{name}", args=[review.pk]), data).status_code == 404, name
    assert snapshot(review) == before


@time_machine.travel(TODAY, tick=False)
def test_an_agency_sees_only_reviews_it_is_involved_in_and_only_its_own_summary(world, client):  # type: ignore[no-untyped-def]
    manager = review_manager(world.alpha)
    ours = make_review(world.alpha, manager, reference="CR-A", agencies=[world.agency_a, world.agency_b])
    theirs = make_review(world.alpha, manager, reference="CR-B", agencies=[world.agency_b])
    AgencySummary.objects.create(review=ours, agency=world.agency_a, summary="Police attended twice.")
    AgencySummary.objects.create(review=ours, agency=world.agency_b, summary="Missed health visits.")
    lead = member(world.alpha, Role.AGENCY_SAFEGUARDING_LEAD, world.agency_a, full_name="Ana Lead")
    c = sign_in(client, lead)
    page = c.get(ours.get_absolute_url()).content.decode()
    assert "Police attended twice." in page
    assert "Missed health visits." not in page
    assert c.get(theirs.get_absolute_url()).status_code == 404
    listed = c.get(reverse("reviews:review-list")).content.decode()
    assert "CR-A" in listed and "CR-B" not in listed
    # The lead writes a summary only for their own agency: another agency's is refused by the form.
    response = c.post(reverse("reviews:summary-new", args=[theirs.pk]), {"agency": world.agency_b.pk, "summary": "x"})
    assert response.status_code == 404
    response = c.post(
        reverse("reviews:summary-new", args=[ours.pk]), {"agency": world.agency_b.pk, "summary": "Forged."}
    )
    assert response.status_code == 200
    assert not AgencySummary.objects.filter(summary="Forged.").exists()
    # ...and may not change the review itself.
    assert c.get(reverse("reviews:review-notify", args=[ours.pk])).status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_partners_and_case_review_group_members_see_the_partnerships_reviews(world, client):  # type: ignore[no-untyped-def]
    from safeboard.governance.models import Group, GroupKind, GroupMember

    review = make_review(world.alpha, review_manager(world.alpha))
    people = partners(world.alpha)
    assert sign_in(client, people["health"]).get(review.get_absolute_url()).status_code == 200
    board = member(world.alpha, Role.BOARD_MEMBER, full_name="Bo Board")
    assert sign_in(client, board).get(review.get_absolute_url()).status_code == 404
    group = Group.objects.create(partnership=world.alpha, name="Case review group", kind=GroupKind.CASE_REVIEW)
    seat = GroupMember.objects.create(group=group, person=board, starts_on=dt.date(2026, 1, 1))
    assert sign_in(client, board).get(review.get_absolute_url()).status_code == 200
    seat.ends_on = dt.date(2026, 10, 31)
    seat.save()
    assert sign_in(client, board).get(review.get_absolute_url()).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_scrutiny_reads_suppressed_counts_and_nothing_identifying(world, client):  # type: ignore[no-untyped-def]
    manager = review_manager(world.alpha)
    for i in range(7):
        make_review(world.alpha, manager, reference=f"CR-2025-{i}", aware_on=dt.date(2025, 3, 3 + i))
    make_review(world.alpha, manager, reference="CR-2026-SOLO", aware_on=dt.date(2026, 2, 2))
    c = sign_in(client, world.scrutiny)
    assert c.get(reverse("reviews:review-list")).status_code == 403
    assert c.get(Review.objects.get(reference="CR-2026-SOLO").get_absolute_url()).status_code == 404
    response = c.get(reverse("reviews:figures"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "CR-20" not in page
    rows = {year: (cells, total) for year, cells, total in response.context["rows"]}
    assert rows[2026] == ([None], None)  # one review: hidden, and not to be worked out from the rest
    assert response.context["suppressed"].total == 8


@time_machine.travel(TODAY, tick=False)
def test_the_register_runs_a_fixed_number_of_queries(world, client):  # type: ignore[no-untyped-def]
    manager = review_manager(world.alpha)
    c = sign_in(client, manager)
    url = reverse("reviews:review-list")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert c.get(url).status_code == 200
        return len(captured)

    make_review(world.alpha, manager, reference="CR-0")
    count()
    few = count()
    for i in range(1, 30):
        make_review(world.alpha, manager, reference=f"CR-{i}")
    assert count() == few
    assert few <= 16


@time_machine.travel(TODAY, tick=False)
def test_the_clocks_page_runs_a_fixed_number_of_queries(world, client):  # type: ignore[no-untyped-def]
    switch_on(world.alpha)
    manager = review_manager(world.alpha)
    c = sign_in(client, manager)
    url = reverse("reviews:clock-list")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert c.get(url).status_code == 200
        return len(captured)

    make_review(world.alpha, manager, reference="CR-0", aware_on=dt.date(2026, 11, 2))
    count()
    few = count()
    for i in range(1, 20):
        make_review(world.alpha, manager, reference=f"CR-{i}", aware_on=dt.date(2026, 11, 2))
    assert count() == few
    page = c.get(url).content.decode()
    assert "Case CR-19" in page and "working days late" in page
