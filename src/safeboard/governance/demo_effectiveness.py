"""Invented demo data for the board's effectiveness and money: this year's budget with its spending
lines (signed off by two of the three statutory partners), last year's signed budget, the board
self-assessment answered in two years, and the chair's annual review waiting for the police's sign-off."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from safeboard.accounts.demo import DemoWorld
from safeboard.accounts.models import User
from safeboard.core.permissions import Role
from safeboard.core.questionnaires.services import submit_response
from safeboard.governance.effectiveness.services import self_assessment_version
from safeboard.governance.models import (
    Budget,
    BudgetLine,
    ChairReview,
    SelfAssessment,
    SignOff,
    StatutoryPartner,
    StatutoryPosition,
    business_year_of,
)

SPENDING = (
    ("Business unit staff", 52000, 0.55),
    ("Independent chair and scrutineer", 24000, 0.6),
    ("Multi-agency training programme", 18000, 0.4),
    ("Local child safeguarding practice reviews", 15000, 0.3),
    ("Website, printing and events", 4000, 0.7),
)
STATEMENTS = (
    "chair_holds_to_account",
    "independent_voice",
    "members_senior_enough",
    "challenge_welcomed",
    "challenge_followed_up",
    "roles_clear",
    "few_clear_priorities",
    "priorities_from_evidence",
    "plan_reviewed",
    "children_heard",
    "frontline_heard",
    "difference_known",
    "papers_on_time",
    "meetings_decide",
    "groups_work_together",
)


def _sign(subject: Any, partnership: Any, positions: list[str], on: dt.datetime) -> None:
    partners = {p.position: p for p in StatutoryPartner.objects.filter(partnership=partnership)}
    for position in positions:
        SignOff.objects.create(
            partnership=partnership,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            position=position,
            person=partners[position].person,
            signed_at=on,
        )


def build(world: DemoWorld) -> None:
    rng = random.Random(2027)
    partnership = world.partnerships["nm"]
    people = world.people
    today = timezone.localdate()
    now = timezone.now()
    year = business_year_of(today, partnership.business_year_start_month)

    # --- Budgets: last year's, signed off; this year's, waiting for the police ---------------------------------
    for budget_year, spent_share in ((year - 1, 1.0), (year, None)):
        budget = Budget.objects.create(
            partnership=partnership,
            business_year=budget_year,
            notes="Contributions follow the stepped agreements of 2025. Any balance is carried to training.",
        )
        for title, planned, share in SPENDING:
            fraction = spent_share if spent_share is not None else share
            BudgetLine.objects.create(
                budget=budget,
                title=title,
                planned=Decimal(planned),
                spent=Decimal(round(planned * fraction * rng.uniform(0.9, 1.02))),
            )
        positions = list(StatutoryPosition.values) if budget_year < year else ["local_authority", "health"]
        _sign(budget, partnership, positions, now - dt.timedelta(days=20 if budget_year == year else 380))

    # --- The board self-assessment, last year and this year ----------------------------------------------------
    version = self_assessment_version(partnership)
    board_roles = [Role.BOARD_MEMBER, Role.LAY_MEMBER, Role.INDEPENDENT_CHAIR, Role.AGENCY_SAFEGUARDING_LEAD]
    members = list(
        User.objects.filter(memberships__partnership=partnership, memberships__role__in=board_roles)
        .distinct()
        .order_by("id")
    )
    members += list(
        User.objects.filter(memberships__partnership=partnership).exclude(pk__in=[m.pk for m in members])[:14]
    )
    for assessment_year, answered, lift in ((year - 1, 16, 0), (year, 12, 1)):
        assessment = SelfAssessment.objects.create(
            partnership=partnership,
            business_year=assessment_year,
            questionnaire_version=version,
            answer_by=today + dt.timedelta(days=21) if assessment_year == year else today - dt.timedelta(days=330),
        )
        # The demo login for the board ("board") has not answered this year's yet: they see the button.
        for person in [m for m in members if m != people["board"]][:answered]:
            answers: dict[str, Any] = {
                key: min(5, max(1, rng.choice([2, 3, 3, 4, 4, 4, 5]) + (lift if key.startswith("children") else 0)))
                for key in STATEMENTS
            }
            answers["one_change"] = rng.choice(["", "Fewer, shorter papers.", "More time for the voice of children."])
            submit_response(version, partnership=partnership, data=answers, submitted_by=person, subject=assessment)

    # --- The chair's annual review of last year ----------------------------------------------------------------
    review = ChairReview.objects.create(
        partnership=partnership,
        business_year=year - 1,
        chair=people["chair"],
        reviewed_on=today - dt.timedelta(days=30),
        strengths="Keeps the board to its three priorities and makes sure every agency answers challenges on time.",
        areas_to_develop="Hear more often from schools and from young people directly, not only through reports.",
        objectives="Chair two board meetings with the young advisers; lead the peer review with a neighbouring "
        "partnership; see the neglect strategy through its first year.",
    )
    _sign(review, partnership, ["local_authority", "health"], now - dt.timedelta(days=10))
