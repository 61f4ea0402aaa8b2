"""State changes for case reviews: lock, check, change; a refusal is a ``ServiceError``.

The statutory partners' sign-off reuses board business's ``SignOff`` (one row per position about
the signed record) and conflicts of interest the shared register (``InterestDeclaration`` about the
review): a partner who declared an interest and stands aside does not sign; the person recorded in
their place does, and the record shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from safeboard.core.concurrency import bump_version
from safeboard.core.interests import InterestDeclaration, standing_aside
from safeboard.core.models import Partnership
from safeboard.core.services import ServiceError
from safeboard.core.text import day_text
from safeboard.governance.arrangements.models import SignOff, StatutoryPartner, StatutoryPosition
from safeboard.reviews.choices import DEFAULT_REVIEW_TYPES, PanelResponse, Recommendation
from safeboard.reviews.models import AgencySummary, RapidReview, Review, ReviewChild, ReviewType


def add_default_types(partnership: Partnership) -> None:
    """The six types every partnership starts with (once; existing names are left alone)."""
    for position, name in enumerate(DEFAULT_REVIEW_TYPES, start=1):
        ReviewType.objects.get_or_create(partnership=partnership, name=name, defaults={"position": position})


def _not_in_future(day: dt.date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ServiceError(f"{what} must be today or in the past.", field=field)


def _lock(review: Review) -> Review:
    return Review.objects.select_for_update(of=("self",)).get(pk=review.pk)


def _in_partnership(person: Any, partnership_id: int) -> bool:
    return bool(person.memberships.filter(partnership_id=partnership_id, is_active=True).exists())


# --- The register ------------------------------------------------------------------------------------


def add_child(review: Review, *, case_reference: str, age_band: str, sex: str, ethnicity: str) -> ReviewChild:
    if ReviewChild.objects.filter(review=review, case_reference=case_reference).exists():
        raise ServiceError("This child is already on the review.", field="case_reference")
    return ReviewChild.objects.create(
        review=review, case_reference=case_reference, age_band=age_band, sex=sex, ethnicity=ethnicity
    )


def record_notification(review: Review, notified_on: dt.date) -> Review:
    """The day the Panel, Ofsted and the DfE were notified (the statutory clock stops)."""
    _not_in_future(notified_on, "notified_on", "The notification date")
    with transaction.atomic():
        locked = _lock(review)
        if locked.notified_on is not None:
            raise ServiceError(f"The notification was already recorded, on {day_text(locked.notified_on)}.")
        if notified_on < locked.aware_on:
            raise ServiceError(
                f"The notification cannot be before the local authority became aware ({day_text(locked.aware_on)}).",
                field="notified_on",
            )
        locked.notified_on = notified_on
        bump_version(locked)
        locked.save()
    return locked


def save_summary(summary: AgencySummary) -> AgencySummary:
    """An agency's summary: only an agency involved in the review, one summary each."""
    review = summary.review
    if not review.agencies.filter(pk=summary.agency_id).exists():
        raise ServiceError("Choose an agency involved in this review.", field="agency")
    others = AgencySummary.objects.filter(review=review, agency_id=summary.agency_id).exclude(pk=summary.pk)
    if others.exists():
        raise ServiceError("This agency has already given its summary: change that one.", field="agency")
    summary.save()
    return summary


# --- The rapid review --------------------------------------------------------------------------------


def record_rapid_review(review: Review, *, recommendation: str, rationale: str) -> RapidReview:
    """The rapid review's recommendation and reasons; changeable until the partners start signing it off."""
    if recommendation not in Recommendation.values:
        raise ServiceError("Choose the recommendation.", field="recommendation")
    with transaction.atomic():
        locked = _lock(review)
        rapid = RapidReview.objects.filter(review=locked).first()
        if rapid is None:
            return RapidReview.objects.create(review=locked, recommendation=recommendation, rationale=rationale)
        if SignOff.objects.about(rapid).exists():
            raise ServiceError("The partners have started signing off this rapid review, so it can no longer change.")
        rapid.recommendation, rapid.rationale = recommendation, rationale
        bump_version(rapid)
        rapid.save()
    return rapid


def partners_of(partnership_id: int) -> dict[str, StatutoryPartner]:
    return {
        p.position: p for p in StatutoryPartner.objects.filter(partnership_id=partnership_id).select_related("person")
    }


def check_signers(review: Review, signers: Mapping[str, Any]) -> dict[str, Any]:
    """Who signs for each statutory partner: the named partner, unless they declared an interest in the
    review and stand aside; then the person recorded in their place, who must not stand aside too."""
    partners = partners_of(review.partnership_id)
    aside = standing_aside(review)
    chosen: dict[str, Any] = {}
    for position in StatutoryPosition:
        partner = partners.get(position.value)
        name = position.label.split(" (")[0].lower()
        if partner is None:
            raise ServiceError(
                f"The partnership has not named who signs for the {name}: the business unit names the statutory partners."
            )
        person = signers.get(position.value) or partner.person
        if person.pk in aside:
            if person.pk == partner.person_id:
                raise ServiceError(
                    f"{partner.person} declared an interest in this review: choose who signs for the {name} in their place.",
                    field=position.value,
                )
            raise ServiceError(f"{person} declared an interest in this review and cannot sign.", field=position.value)
        if not _in_partnership(person, review.partnership_id):
            raise ServiceError(f"{person} has no role in this partnership.", field=position.value)
        chosen[position.value] = person
    return chosen


def _record_sign_offs(subject: models.Model, partnership_id: int, signers: Mapping[str, Any], at: dt.datetime) -> None:
    subject_type = ContentType.objects.get_for_model(subject)
    for position, person in signers.items():
        SignOff.objects.create(
            partnership_id=partnership_id,
            subject_type=subject_type,
            subject_id=subject.pk,
            position=position,
            person=person,
            signed_at=at,
        )


def sign_off_rapid_review(review: Review, signers: Mapping[str, Any]) -> RapidReview:
    """The three statutory partners' sign-off of the rapid review (recorded by the review manager)."""
    with transaction.atomic():
        locked = _lock(review)
        rapid = RapidReview.objects.filter(review=locked).first()
        if rapid is None:
            raise ServiceError("Record the rapid review's recommendation first.")
        if SignOff.objects.about(rapid).exists():
            raise ServiceError("The partners' sign-off of this rapid review is already recorded.")
        chosen = check_signers(locked, signers)
        _record_sign_offs(rapid, locked.partnership_id, chosen, timezone.now())
    return rapid


def send_to_panel(review: Review, sent_on: dt.date) -> RapidReview:
    _not_in_future(sent_on, "sent_on", "The date it was sent")
    with transaction.atomic():
        locked = _lock(review)
        rapid = RapidReview.objects.select_for_update().filter(review=locked).first()
        if rapid is None or SignOff.objects.about(rapid).count() < len(StatutoryPosition):
            raise ServiceError("The three statutory partners must sign off the rapid review before it is sent.")
        if rapid.sent_to_panel_on is not None:
            raise ServiceError(f"The rapid review was already sent, on {day_text(rapid.sent_to_panel_on)}.")
        if sent_on < locked.aware_on:
            raise ServiceError("The date sent cannot be before the local authority became aware.", field="sent_on")
        rapid.sent_to_panel_on = sent_on
        bump_version(rapid)
        rapid.save()
    return rapid


def record_panel_response(review: Review, *, response: str, responded_on: dt.date, comment: str) -> RapidReview:
    if response not in PanelResponse.values:
        raise ServiceError("Choose the Panel's response.", field="response")
    _not_in_future(responded_on, "responded_on", "The date of the Panel's response")
    with transaction.atomic():
        locked = _lock(review)
        rapid = RapidReview.objects.select_for_update().filter(review=locked).first()
        if rapid is None or rapid.sent_to_panel_on is None:
            raise ServiceError("Send the rapid review to the Panel first.")
        if responded_on < rapid.sent_to_panel_on:
            raise ServiceError(
                f"The response cannot be before the rapid review was sent ({day_text(rapid.sent_to_panel_on)}).",
                field="responded_on",
            )
        rapid.panel_response, rapid.panel_response_on, rapid.panel_comment = response, responded_on, comment
        bump_version(rapid)
        rapid.save()
    return rapid


# --- The partners' decision --------------------------------------------------------------------------


def decide(review: Review, *, decision: str, decided_on: dt.date, rationale: str, signers: Mapping[str, Any]) -> Review:
    """The three statutory partners decide whether to carry out a local review. It cannot be dated
    before the notification; a partner standing aside is left out and the one in their place signs.
    After the Panel's response the partners may decide again: the new decision replaces the old."""
    if decision not in Recommendation.values:
        raise ServiceError("Choose the decision.", field="decision")
    _not_in_future(decided_on, "decided_on", "The date of the decision")
    with transaction.atomic():
        locked = _lock(review)
        if locked.notified_on is None:
            raise ServiceError("Record the notification to the Panel before the decision.")
        if decided_on < locked.notified_on:
            raise ServiceError(
                f"The decision cannot be dated before the notification ({day_text(locked.notified_on)}).",
                field="decided_on",
            )
        chosen = check_signers(locked, signers)
        SignOff.objects.about(locked).delete()
        _record_sign_offs(locked, locked.partnership_id, chosen, timezone.now())
        locked.decision, locked.decided_on, locked.decision_rationale = decision, decided_on, rationale
        bump_version(locked)
        locked.save()
        locked.decided_by.set(list(chosen.values()))
        locked.stood_aside.set(list(standing_aside(locked)))
    return locked


def declare_interest(
    review: Review, *, person: Any, description: str, stands_aside: bool, recorded_by: Any
) -> InterestDeclaration:
    """An interest declared in the review (the shared register of interests)."""
    if not _in_partnership(person, review.partnership_id):
        raise ServiceError(f"{person} has no role in this partnership.", field="person")
    declarations = InterestDeclaration.objects.about(review)
    if declarations.filter(person=person).exists():
        raise ServiceError(f"{person} has already declared an interest in this review.", field="person")
    return InterestDeclaration.objects.create(
        partnership_id=review.partnership_id,
        person=person,
        subject_type=ContentType.objects.get_for_model(review),
        subject_id=review.pk,
        description=description,
        stands_aside=stands_aside,
        declared_at=timezone.now(),
        recorded_by=recorded_by,
    )


def record_publication_dates(
    review: Review,
    *,
    planned_on: dt.date | None,
    report_sent_on: dt.date | None,
    published_on: dt.date | None,
) -> Review:
    with transaction.atomic():
        locked = _lock(review)
        if locked.decision != Recommendation.LOCAL_REVIEW or locked.decided_on is None:
            raise ServiceError("Only a local review the partners decided to carry out is published.")
        for day, field, what in (
            (report_sent_on, "report_sent_on", "The date the final report was sent"),
            (published_on, "published_on", "The publication date"),
        ):
            if day is not None:
                _not_in_future(day, field, what)
                if day < locked.decided_on:
                    raise ServiceError(f"{what} cannot be before the decision.", field=field)
        if planned_on is not None and planned_on < locked.decided_on:
            raise ServiceError("The planned publication date cannot be before the decision.", field="planned_on")
        locked.publication_planned_on = planned_on
        locked.final_report_sent_on = report_sent_on
        locked.published_on = published_on
        bump_version(locked)
        locked.save()
    return locked
