"""Permission matrix rows for the board's effectiveness: the yearly self-assessment and the chair's
annual review. Persona order: anon prA prB lead adm oth scr sys (see the matrix test)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeboard.governance.effectiveness.services import self_assessment_version
from safeboard.governance.models import ChairReview, SelfAssessment
from tests.matrix import NO_POST, POST_ONLY, Row, none, pk, text

#                 anon prA prB lead adm oth scr sys
MANAGERS_ADD = "302 403 403 403 200 200 403 403"
# The self-assessment: board members and agency leads answer it and read its results (figures only).
ASSESSMENT_LIST = "302 403 403 200 200 200 403 403"
ASSESSMENT = "302 404 404 200 200 404 404 404"
ASSESSMENT_TEXT = text("effectiveness_assessment", "business_year")
# The chair's review: the business unit, the chair and the statutory partners only. Agency A's lead
# signs for the police in Alpha (matrix_rows_members): they read it and sign it off, never change it.
REVIEW_LIST = "302 403 403 200 200 200 403 403"
REVIEW = "302 404 404 200 200 404 404 404"
REVIEW_CHANGE = "302 404 404 403 200 404 404 404"
REVIEW_TEXT = text("effectiveness_review", "strengths")

ROWS: dict[str, Row] = {
    "governance:selfassessment-list": Row(none, ASSESSMENT_LIST, NO_POST),
    "governance:selfassessment-new": Row(none, MANAGERS_ADD, MANAGERS_ADD),
    "governance:selfassessment-detail": Row(pk("effectiveness_assessment"), ASSESSMENT, NO_POST, shows=ASSESSMENT_TEXT),
    "governance:selfassessment-answer": Row(
        pk("effectiveness_assessment"), ASSESSMENT, ASSESSMENT, shows=lambda w: "The chair holds every partner"
    ),
    "governance:chairreview-list": Row(none, REVIEW_LIST, NO_POST),
    "governance:chairreview-new": Row(none, MANAGERS_ADD, MANAGERS_ADD),
    "governance:chairreview-detail": Row(pk("effectiveness_review"), REVIEW, NO_POST, shows=REVIEW_TEXT),
    "governance:chairreview-edit": Row(pk("effectiveness_review"), REVIEW_CHANGE, REVIEW_CHANGE, shows=REVIEW_TEXT),
    "governance:chairreview-sign-off": Row(pk("effectiveness_review"), POST_ONLY, "302 404 404 302 302 404 404 404"),
}


def build(world: Any) -> None:
    """A self-assessment and a chair's review in Alpha."""
    today = timezone.localdate()
    assessment = SelfAssessment.objects.create(
        partnership=world.alpha,
        business_year=2026,
        questionnaire_version=self_assessment_version(world.alpha),
        answer_by=today + dt.timedelta(days=30),
    )
    review = ChairReview.objects.create(
        partnership=world.alpha,
        business_year=2025,
        chair=world.partnership_admin,
        reviewed_on=today,
        strengths="Matrix strengths of the chair.",
        areas_to_develop="Matrix areas.",
        objectives="Matrix objectives.",
    )
    world.extras.update(effectiveness_assessment=assessment, effectiveness_review=review)
