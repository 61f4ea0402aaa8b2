"""Permission matrix rows for case reviews (see tests/matrix.py for the format).

Persona order: anon prA prB lead adm oth scr sys. The records live in Alpha: a review managed by a
review manager (not a persona), involving agency A, with a child, agency A's summary and a rapid
review; and a type of review. Only the review manager changes a review, so every persona but agency
A's lead (whose agency is involved) finds it out of sight, and the lead may read it and write their
agency's summary only. Everyone but scrutiny may open the register (empty unless entitled); scrutiny
and everyone else read the suppressed figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from safeboard.core.permissions import Role
from safeboard.reviews.choices import AgeBand, Ethnicity, Recommendation, Sex
from safeboard.reviews.models import AgencySummary, RapidReview, Review, ReviewChild, ReviewSettings, ReviewType
from tests.factories import member
from tests.matrix import API_NO_POST, NO_POST, Row, api_id, none, pk, text

#                      anon prA  prB  lead adm  oth  scr  sys
REGISTER = "302 200 200 200 200 200 403 403"  # every role but scrutiny; what is listed is narrowed
MANAGER_ONLY = "302 403 403 403 403 403 403 403"  # the review manager's pages (not a persona)
FIGURES = "302 200 200 200 200 200 200 403"  # suppressed counts: every role, scrutiny too
LEAD_READS = "302 404 404 200 404 404 404 404"  # the review involves agency A: its lead reads it
LEAD_REFUSED = "302 404 404 403 404 404 404 404"  # ...and may not change it
OUT_OF_SIGHT = "302 404 404 404 404 404 404 404"  # the review manager's type of review

ROWS: dict[str, Row] = {
    "reviews:review-list": Row(none, REGISTER, NO_POST),
    "reviews:review-new": Row(none, MANAGER_ONLY, MANAGER_ONLY),
    "reviews:clock-list": Row(none, MANAGER_ONLY, NO_POST),
    "reviews:figures": Row(none, FIGURES, NO_POST),
    "reviews:type-list": Row(none, MANAGER_ONLY, NO_POST),
    "reviews:type-new": Row(none, MANAGER_ONLY, MANAGER_ONLY),
    "reviews:type-edit": Row(pk("review_type"), OUT_OF_SIGHT, OUT_OF_SIGHT),
    "reviews:settings": Row(none, MANAGER_ONLY, MANAGER_ONLY),
    "reviews:review-detail": Row(pk("review"), LEAD_READS, NO_POST, shows=text("review", "reference")),
    "reviews:review-edit": Row(pk("review"), LEAD_REFUSED, LEAD_REFUSED),
    "reviews:child-new": Row(pk("review"), LEAD_REFUSED, LEAD_REFUSED),
    # The lead writes their own agency's summary (an empty form comes back with its errors).
    "reviews:summary-new": Row(pk("review"), LEAD_READS, LEAD_READS, shows=text("review", "reference")),
    "reviews:review-notify": Row(pk("review"), LEAD_REFUSED, LEAD_REFUSED),
    "reviews:review-rapid": Row(pk("review"), LEAD_REFUSED, LEAD_REFUSED),
    "reviews:rapid-sign-off": Row(pk("review"), LEAD_REFUSED, LEAD_REFUSED),
    "reviews:rapid-send": Row(pk("review"), LEAD_REFUSED, LEAD_REFUSED),
    "reviews:panel-response": Row(pk("review"), LEAD_REFUSED, LEAD_REFUSED),
    "reviews:review-decide": Row(pk("review"), LEAD_REFUSED, LEAD_REFUSED),
    "reviews:review-declare": Row(pk("review"), LEAD_REFUSED, LEAD_REFUSED),
    "reviews:review-publication": Row(pk("review"), LEAD_REFUSED, LEAD_REFUSED),
    # The API: each caller's list (empty for most); adding needs the review manager's role there.
    "api:review-list": Row(
        none,
        "401 200 200 200 200 200 200 200",
        "401 403 403 403 403 403 403 403",
        data=lambda w: {
            "partnership": w.alpha.pk,
            "reference": "CR-MATRIX-2",
            "review_type": w.extras["review_type"].pk,
            "manager": w.extras["review_manager"].pk,
            "incident_on": "2026-01-05",
            "aware_on": "2026-01-06",
            "children": [{"case_reference": "C-9", "age_band": "1_4", "sex": "male", "ethnicity": "white"}],
        },
    ),
    "api:review-detail": Row(pk("review"), "401 404 404 200 404 404 404 404", API_NO_POST, shows=api_id("review")),
}


def build(world: Any) -> None:
    manager = member(world.alpha, Role.REVIEW_MANAGER, world.agency_b, full_name="Rhea Reviews")
    review_type = ReviewType.objects.filter(partnership=world.alpha).order_by("position").first()
    review = Review.objects.create(
        partnership=world.alpha,
        reference="CR-MATRIX-1",
        review_type=review_type,
        manager=manager,
        incident_on=dt.date(2026, 1, 2),
        aware_on=dt.date(2026, 1, 5),
        notified_on=dt.date(2026, 1, 8),
    )
    review.agencies.set([world.agency_a])
    ReviewChild.objects.create(
        review=review, case_reference="C-8", age_band=AgeBand.UNDER_ONE, sex=Sex.FEMALE, ethnicity=Ethnicity.NOT_KNOWN
    )
    AgencySummary.objects.create(review=review, agency=world.agency_a, summary="Seen twice at the front desk.")
    RapidReview.objects.create(review=review, recommendation=Recommendation.LOCAL_REVIEW, rationale="Criteria met.")
    ReviewSettings.objects.create(partnership=world.alpha, final_report_days=8)
    world.extras.update(review=review, review_type=review_type, review_manager=manager)
