"""The one next step of a review (``core/steps.py``): notification, rapid review, the partners'
sign-off, sending it to the Panel, the Panel's response, the decision, publication."""

from __future__ import annotations

from django.urls import reverse

from safeboard.core.steps import NextStep, Step
from safeboard.reviews.choices import Recommendation
from safeboard.reviews.models import RapidReview, Review

STAGES = (
    "Notified",
    "Rapid review",
    "Partners' sign-off",
    "Sent to the Panel",
    "Panel's response",
    "Decision",
    "Published",
)


def review_next_step(review: Review, rapid: RapidReview | None, signed: int, can_change: bool) -> NextStep:
    """``signed``: how many of the three statutory partners have signed off the rapid review."""

    def url(name: str) -> str:
        return reverse(f"reviews:{name}", args=[review.pk])

    if review.notified_on is None:
        current, label, name = 0, "Record the notification", "review-notify"
        note = "The Panel, Ofsted and the DfE must be notified within 5 working days of the local authority becoming aware."
    elif rapid is None:
        current, label, name = 1, "Record the rapid review", "review-rapid"
        note = "Collect the agencies' summaries, then record the recommendation."
    elif signed < 3:
        current, label, name = 2, "Record the partners' sign-off", "rapid-sign-off"
        note = "The three statutory partners sign off the rapid review before it goes to the Panel."
    elif rapid.sent_to_panel_on is None:
        current, label, name = 3, "Record the date sent to the Panel", "rapid-send"
        note = "The signed-off rapid review goes to the Panel."
    elif not rapid.panel_response:
        current, label, name = 4, "Record the Panel's response", "panel-response"
        note = "Waiting for the Panel's response."
    elif not review.decision:
        current, label, name = 5, "Record the partners' decision", "review-decide"
        note = "The three statutory partners decide whether to carry out a local review."
    elif review.decision == Recommendation.LOCAL_REVIEW and review.published_on is None:
        current, label, name = 6, "Record the publication dates", "review-publication"
        note = "A local review is published within 6 months of the decision."
    else:
        done = "No local review: the learning is carried into findings and actions."
        if review.decision == Recommendation.LOCAL_REVIEW:
            done = "The local review has been published."
        elif review.decision == Recommendation.NATIONAL_REVIEW:
            done = "A national review was suggested to the Panel."
        return NextStep(STAGES, len(STAGES), note=done, status="Done")
    if not can_change:
        return NextStep(STAGES, current, note=note)
    secondary: list[Step] = []
    if current >= 1 and name != "review-rapid" and rapid is None:
        secondary.append(Step("Record the rapid review", url("review-rapid")))
    if current >= 4 and name != "review-decide":
        secondary.append(
            Step("Record a new decision" if review.decision else "Record the decision", url("review-decide"))
        )
    return NextStep(STAGES, current, primary=Step(label, url(name)), secondary=tuple(secondary), note=note)
