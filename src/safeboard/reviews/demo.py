"""Invented case reviews for the demo: about thirty Northmoor cases over eight years, with clocks in
every state (met, met late, overdue, due soon, running), rapid reviews signed off by the three
statutory partners, one decision where a partner declared an interest and stood aside, and a Three
Rivers case that Northmoor's people never see. Case references only: no names anywhere."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from safeboard.accounts.demo import DEMO_STEPS, DemoWorld
from safeboard.core.interests import InterestDeclaration
from safeboard.core.models import Partnership
from safeboard.core.permissions import Role
from safeboard.core.workdays import add_working_days
from safeboard.governance.arrangements.models import SignOff, StatutoryPartner
from safeboard.reviews.choices import AgeBand, Ethnicity, PanelResponse, Recommendation, Sex
from safeboard.reviews.clocks import add_months
from safeboard.reviews.models import AgencySummary, RapidReview, Review, ReviewChild, ReviewType

SUMMARIES = {
    "nm_cs": (
        "An assessment was open; the last home visit was three weeks before the incident and the plan was "
        "not reviewed when a new adult joined the household.",
        "Strategy discussion held the next day; the siblings' plans reviewed within a week.",
    ),
    "police": (
        "Two domestic incidents were attended in the year before. Neither was shared with the school.",
        "The notification process for incidents where children live at the address has been checked.",
    ),
    "nm_trust": (
        "The child attended the emergency department twice with minor injuries; the second visit was not "
        "linked to the first.",
        "A flag was added to the records of the children in the household.",
    ),
    "community_trust": (
        "The health visitor had seen the child at the one-year check and noted missed appointments since.",
        "Missed appointments for children under two now trigger a call to the family the same week.",
    ),
    "nm_schools": (
        "Attendance had fallen to below seventy per cent over the autumn term.",
        "The school's attendance officer now reviews children under a plan every fortnight.",
    ),
    "probation": (
        "An adult in the household was under supervision; the address was known but the children were not.",
        "Home circumstances of people on licence checked against children's services records.",
    ),
}
AGENCY_KEYS = list(SUMMARIES)


def _sign(subject: Any, partnership: Partnership, signers: dict[str, Any], day: dt.date) -> None:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(16, 0)))
    subject_type = ContentType.objects.get_for_model(subject)
    for position, person in signers.items():
        SignOff.objects.create(
            partnership=partnership,
            subject_type=subject_type,
            subject_id=subject.pk,
            position=position,
            person=person,
            signed_at=at,
        )


def build(world: DemoWorld) -> None:
    rng = random.Random(1010)
    partnership = world.partnerships["nm"]
    manager = world.people["reviews"]
    partners = {p.position: p.person for p in StatutoryPartner.objects.filter(partnership=partnership)}
    types = {t.name: t for t in ReviewType.objects.filter(partnership=partnership)}
    rapid_type = types["Rapid review"]
    practice = types["Child safeguarding practice review"]
    learning = types["Local learning review"]
    audit = types["Multi-agency case audit (below the review threshold)"]
    today = timezone.localdate()
    number = 0

    def case(
        aware_on: dt.date,
        *,
        review_type: ReviewType = rapid_type,
        notified: int | None = 3,
        rapid: Recommendation | None = None,
        sent: int | None = None,
        signed: int = 3,
        response: PanelResponse | None = PanelResponse.AGREE,
        decision: Recommendation | None = None,
        decided_after: int = 2,
        published_after: int | None = None,
        planned_after: int | None = None,
        report_before: int | None = None,
        looked_after: bool = False,
        residence: str = "",
    ) -> Review:
        """One case: working days after awareness for notification, sending and the decision; calendar
        months from the decision for publication."""
        nonlocal number
        number += 1
        year = aware_on.year
        notified_on = add_working_days(aware_on, notified, partnership) if notified is not None else None
        review = Review.objects.create(
            partnership=partnership,
            reference=f"NM-{year}-{number:02d}",
            review_type=review_type,
            manager=manager,
            incident_on=aware_on - dt.timedelta(days=rng.randint(0, 6)),
            aware_on=aware_on,
            notified_on=notified_on if notified_on is None or notified_on <= today else None,
            area_of_residence=residence,
            looked_after_child_death=looked_after,
        )
        agencies = rng.sample(AGENCY_KEYS, rng.randint(3, 5))
        review.agencies.set([world.agencies[key] for key in agencies])
        for child in range(rng.choice([1, 1, 1, 2])):
            ReviewChild.objects.create(
                review=review,
                case_reference=f"C-{year % 100:02d}{number:02d}{child + 1}",
                age_band=rng.choice(AgeBand.values),
                sex=rng.choice([Sex.FEMALE, Sex.MALE]),
                ethnicity=rng.choice(Ethnicity.values),
            )
        for key in agencies[: max(2, len(agencies) - 1)] if rapid is not None or sent is not None else agencies[:2]:
            summary, actions = SUMMARIES[key]
            AgencySummary.objects.create(
                review=review, agency=world.agencies[key], summary=summary, safety_actions=actions
            )
        if rapid is None:
            return review
        rapid_review = RapidReview.objects.create(
            review=review,
            recommendation=rapid,
            rationale=(
                "Agencies' work together needs to be looked at closely: information held by two agencies was not "
                "shared, and the learning may apply more widely."
                if rapid == Recommendation.LOCAL_REVIEW
                else "The agencies worked together well; the learning is for single agencies and goes into their plans."
            ),
        )
        if signed:
            positions = list(partners)[:signed]
            _sign(
                rapid_review,
                partnership,
                {p: partners[p] for p in positions},
                add_working_days(aware_on, 10, partnership),
            )
        if sent is None or signed < 3:
            return review
        sent_on = add_working_days(aware_on, sent, partnership)
        rapid_review.sent_to_panel_on = sent_on
        if response is not None:
            rapid_review.panel_response = response
            rapid_review.panel_response_on = add_working_days(sent_on, 10, partnership)
            rapid_review.panel_comment = (
                "The Panel agrees with the partners' recommendation." if response == PanelResponse.AGREE else ""
            )
        rapid_review.save()
        if decision is None or rapid_review.panel_response_on is None:
            return review
        decided_on = add_working_days(rapid_review.panel_response_on, decided_after, partnership)
        review.decision, review.decided_on = decision, decided_on
        review.decision_rationale = "The partners agree with the rapid review and the Panel."
        if decision == Recommendation.LOCAL_REVIEW:
            if planned_after is not None:
                review.publication_planned_on = add_months(decided_on, planned_after)
            if report_before is not None and review.publication_planned_on:
                review.final_report_sent_on = add_working_days(
                    review.publication_planned_on, -report_before, partnership
                )
            if published_after is not None and review.publication_planned_on:
                review.published_on = add_months(decided_on, published_after)
        review.save()
        _sign(review, partnership, partners, decided_on)
        review.decided_by.set(partners.values())
        return review

    # Eight years of finished cases: mostly met, some late (the dates are invented).
    for year in range(today.year - 7, today.year):
        for k in range(rng.randint(2, 4)):
            aware_on = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            late_notice = rng.random() < 0.2
            if rng.random() < 0.45:
                published_after = rng.choice([5, 6, 6, 8])
                case(
                    aware_on,
                    review_type=practice,
                    notified=7 if late_notice else rng.randint(1, 5),
                    rapid=Recommendation.LOCAL_REVIEW,
                    sent=rng.choice([12, 14, 15, 19]),
                    decision=Recommendation.LOCAL_REVIEW,
                    planned_after=published_after,
                    report_before=rng.choice([7, 9, 5]),
                    published_after=published_after,
                    looked_after=k == 0 and year % 3 == 0,
                )
            else:
                case(
                    aware_on,
                    review_type=rng.choice([rapid_type, rapid_type, learning, audit]),
                    notified=7 if late_notice else rng.randint(1, 5),
                    rapid=Recommendation.NO_LOCAL_REVIEW,
                    sent=rng.choice([10, 13, 15, 18]),
                    decision=Recommendation.NO_LOCAL_REVIEW,
                    residence="Three Rivers (Ashdale)" if k == 1 else "",
                )

    # This year's cases, counted back from today so that the clocks show every state.

    def back(n: int) -> dt.date:
        return add_working_days(today, -n, partnership)

    case(back(3), notified=None)  # notification: 2 working days left (due soon)
    case(back(8), notified=None)  # notification: 3 working days late
    case(back(1), notified=None, residence="Three Rivers (Brookvale)")  # running: 4 working days left
    case(back(14), notified=2, rapid=Recommendation.LOCAL_REVIEW, signed=2)  # rapid review: 1 left, waiting for health
    case(back(20), notified=4, rapid=Recommendation.NO_LOCAL_REVIEW, signed=3)  # rapid review: 5 working days late
    case(back(30), notified=3, rapid=Recommendation.LOCAL_REVIEW, sent=14, response=None)  # waiting for the Panel
    # A local review decided nearly six months ago: publication and the final report both due soon.
    decided = case(
        back(150),
        review_type=practice,
        notified=2,
        rapid=Recommendation.LOCAL_REVIEW,
        sent=15,
        decision=Recommendation.LOCAL_REVIEW,
        looked_after=True,
    )
    # Publication due on the next working day; the final report due then too (7 working days before the plan).
    due = add_working_days(today, 1, partnership)
    decided.decided_on = add_months(due, -6)
    decided.publication_planned_on = add_working_days(today, 8, partnership)
    decided.save()

    # A decision taken with the police partner standing aside (an interest declared) and a deputy in their place.
    conflicted = case(
        back(40),
        review_type=practice,
        notified=2,
        rapid=Recommendation.LOCAL_REVIEW,
        sent=13,
        decision=Recommendation.LOCAL_REVIEW,
    )
    police = partners.get("police")
    stand_in = next(
        (
            m.user
            for m in partnership.memberships.select_related("user").filter(role=Role.BOARD_MEMBER).order_by("id")
            if m.user not in partners.values()
        ),
        None,
    )
    if police is not None and stand_in is not None and conflicted.decided_on is not None:
        InterestDeclaration.objects.create(
            partnership=partnership,
            person=police,
            subject_type=ContentType.objects.get_for_model(conflicted),
            subject_id=conflicted.pk,
            description="Manages the officers who attended the family's address.",
            stands_aside=True,
            declared_at=timezone.make_aware(dt.datetime.combine(conflicted.decided_on, dt.time(9, 0))),
            recorded_by=manager,
        )
        SignOff.objects.about(conflicted).filter(position="police").update(person=stand_in)
        conflicted.decided_by.set([stand_in, *[p for pos, p in partners.items() if pos != "police"]])
        conflicted.stood_aside.set([police])

    # Three Rivers has its own case, out of Northmoor's sight.
    other = world.partnerships["tr"]
    tr_type = ReviewType.objects.filter(partnership=other, name="Rapid review").first()
    tr_manager = world.people["admin.threerivers"]
    if tr_type is not None:
        Review.objects.create(
            partnership=other,
            reference="TR-2026-01",
            review_type=tr_type,
            manager=tr_manager,
            incident_on=back(12),
            aware_on=back(11),
            notified_on=back(8),
        )


DEMO_STEPS.append(build)
