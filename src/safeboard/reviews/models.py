"""Learning from case reviews: the review register, the rapid review and the partners' decision.

A **review** is known by its case reference, never by a name: the children on it are case
references with an age band, sex and ethnicity. It records the three dates the clocks run from
(the incident, the day the local authority became aware, the day the Panel, Ofsted and the DfE
were notified), the agencies involved, and the partners' decision. The **rapid review** carries
the agencies' summaries and the recommendation the three statutory partners sign off
(``governance.SignOff``, about the rapid review) and send to the Panel. Conflicts of interest are
declared in the shared register (``core.interests.InterestDeclaration`` about the review); a partner
who declares one stands aside, and the record shows who signed in their place.

Chronologies, findings, recommendations, publication and the family's involvement attach later,
each to ``Review`` by a foreign key.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from safeboard.core.fields import PARAGRAPHS, BoundedTextField
from safeboard.core.models import Agency, AuditedModel, Partnership
from safeboard.core.querysets import ScopedQuerySet
from safeboard.reviews.access import ReviewScopedQuerySet
from safeboard.reviews.choices import AgeBand, ClockStart, Ethnicity, PanelResponse, Recommendation, Sex

User = settings.AUTH_USER_MODEL

# The statutory and expected time limits (the figures the guidance sets; the start of the rapid
# review's clock and the final report's notice are each partnership's settings).
NOTIFY_WITHIN_WORKING_DAYS = 5
RAPID_REVIEW_WITHIN_WORKING_DAYS = 15
PUBLISH_WITHIN_MONTHS = 6
FINAL_REPORT_DAYS_DEFAULT = 7


class ReviewSettings(AuditedModel):
    """A partnership's settings for its review clocks (a partnership without a row has the defaults)."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="review_settings")
    rapid_review_starts = models.CharField(
        "The rapid review's 15 working days start from",
        max_length=20,
        choices=ClockStart.choices,
        default=ClockStart.AWARENESS,
    )
    final_report_days = models.PositiveSmallIntegerField(
        "Working days before publication the final report must reach the Panel and the Secretary of State",
        default=FINAL_REPORT_DAYS_DEFAULT,
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "review settings"

    def __str__(self) -> str:
        return "Case review settings"

    def clean(self) -> None:
        if self.final_report_days is not None and not 1 <= self.final_report_days <= 60:
            raise ValidationError({"final_report_days": "Enter a number of working days from 1 to 60."})


def settings_for(partnership: Partnership) -> ReviewSettings:
    """The partnership's settings, or the defaults (unsaved) when it has not changed them."""
    found = ReviewSettings.objects.filter(partnership=partnership).first()
    return found or ReviewSettings(partnership=partnership)


class ReviewType(AuditedModel):
    """A type of review, in the partnership's own editable list."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField("Order in lists", default=0)
    is_active = models.BooleanField("In use", default=True, help_text="Types no longer in use stay on old reviews.")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="unique_review_type_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reviews:type-list")


class ReviewQuerySet(ReviewScopedQuerySet["Review"]):
    owner_field = "manager"


class Review(AuditedModel):
    """One case notified or considered for review, known by its case reference."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField("Case reference", max_length=40, help_text="Never a name. For example CR-2026-04.")
    review_type = models.ForeignKey(ReviewType, on_delete=models.PROTECT, related_name="reviews")
    manager = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", help_text="The review manager who looks after it."
    )
    incident_on = models.DateField("Date of the incident")
    aware_on = models.DateField("Date the local authority became aware")
    notified_on = models.DateField("Date the Panel, Ofsted and the DfE were notified", null=True, blank=True)
    agencies: models.ManyToManyField[Agency, Any] = models.ManyToManyField(
        Agency, related_name="+", blank=True, verbose_name="Agencies involved"
    )
    area_of_residence = models.CharField(
        "Area where the child lives, when it is not this partnership's",
        max_length=120,
        blank=True,
        help_text="That area works with us on the review; the area where the incident happened leads.",
    )
    looked_after_child_death = models.BooleanField(
        "The death of a looked-after child",
        default=False,
        help_text="Also notified to the Secretary of State and Ofsted.",
    )
    # The partners' decision whether to carry out a local review.
    decision = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    decided_on = models.DateField("Date of the decision", null=True, blank=True)
    decision_rationale = BoundedTextField("Reasons for the decision", max_length=PARAGRAPHS, blank=True)
    decided_by: models.ManyToManyField[Any, Any] = models.ManyToManyField(User, related_name="+", blank=True)
    stood_aside: models.ManyToManyField[Any, Any] = models.ManyToManyField(User, related_name="+", blank=True)
    # Publication of a local review: the clocks need these dates; the rest of publication comes later.
    publication_planned_on = models.DateField("Planned publication date", null=True, blank=True)
    final_report_sent_on = models.DateField(
        "Date the final report went to the Panel and the Secretary of State", null=True, blank=True
    )
    published_on = models.DateField("Date published", null=True, blank=True)

    objects = ReviewQuerySet.as_manager()
    holds_personal_data = True

    class Meta:
        ordering = ["-aware_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["partnership", "reference"], name="unique_review_reference")]
        indexes = [
            # The register's default order within a partnership (ReviewListView, keyset paging).
            models.Index(fields=["partnership", "-aware_on", "-id"], name="review_register"),
            # The register's filter by type.
            models.Index(fields=["review_type", "-aware_on"], name="review_by_type"),
            # The clocks page, My work and the reminders: reviews still running (no publication yet).
            models.Index(fields=["partnership", "published_on"], name="review_open"),
            models.Index(fields=["manager", "published_on"], name="review_manager_open"),
        ]

    def __str__(self) -> str:
        return f"Case {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review-detail", args=[self.pk])

    def source_label(self) -> str:
        return f"Case {self.reference}"

    def clean(self) -> None:
        errors = {}
        if self.incident_on and self.aware_on and self.aware_on < self.incident_on:
            errors["aware_on"] = "The date the local authority became aware must be on or after the incident."
        if self.aware_on and self.notified_on and self.notified_on < self.aware_on:
            errors["notified_on"] = (
                "The notification date must be on or after the date the local authority became aware."
            )
        today = timezone.localdate()
        for name, what in (
            ("incident_on", "The date of the incident"),
            ("aware_on", "The date the local authority became aware"),
            ("notified_on", "The notification date"),
        ):
            value = getattr(self, name)
            if value and value > today and name not in errors:
                errors[name] = f"{what} must be today or in the past."
        if errors:
            raise ValidationError(errors)


class ReviewChildQuerySet(ReviewScopedQuerySet["ReviewChild"]):
    partnership_field = "review__partnership"
    review_path = "review"


class ReviewChild(AuditedModel):
    """A child the review is about: a case reference and broad characteristics, never a name."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="children")
    case_reference = models.CharField("Child's case reference", max_length=40, help_text="Never a name.")
    age_band = models.CharField("Age", max_length=10, choices=AgeBand.choices)
    sex = models.CharField(max_length=10, choices=Sex.choices)
    ethnicity = models.CharField(max_length=12, choices=Ethnicity.choices)

    objects = ReviewChildQuerySet.as_manager()
    holds_personal_data = True

    class Meta:
        ordering = ["review", "id"]
        verbose_name_plural = "children"
        constraints = [models.UniqueConstraint(fields=["review", "case_reference"], name="unique_child_on_review")]

    def __str__(self) -> str:
        return f"Child {self.case_reference}"

    def get_absolute_url(self) -> str:
        return self.review.get_absolute_url()


class RapidReviewQuerySet(ReviewScopedQuerySet["RapidReview"]):
    partnership_field = "review__partnership"
    review_path = "review"


class RapidReview(AuditedModel):
    """The rapid review of a notified case: the recommendation the partners sign off and send to the
    Panel, and the Panel's response."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="rapid_review")
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices)
    rationale = BoundedTextField("Reasons, against the criteria for a local review", max_length=PARAGRAPHS)
    sent_to_panel_on = models.DateField("Date sent to the Panel", null=True, blank=True)
    panel_response = models.CharField("The Panel's response", max_length=10, choices=PanelResponse.choices, blank=True)
    panel_response_on = models.DateField("Date of the Panel's response", null=True, blank=True)
    panel_comment = BoundedTextField("What the Panel said", max_length=PARAGRAPHS, blank=True)

    objects = RapidReviewQuerySet.as_manager()
    holds_personal_data = True

    def __str__(self) -> str:
        return f"Rapid review of case {self.review.reference}"

    def get_absolute_url(self) -> str:
        return self.review.get_absolute_url()


class AgencySummaryQuerySet(ReviewScopedQuerySet["AgencySummary"]):
    partnership_field = "review__partnership"
    review_path = "review"
    agency_field = "agency"


class AgencySummary(AuditedModel):
    """One agency's summary for the rapid review, with the safety actions it took at once. An agency
    sees only its own."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="agency_summaries")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    summary = BoundedTextField("What the agency knew and did", max_length=PARAGRAPHS)
    safety_actions = BoundedTextField("Safety actions taken at once", max_length=PARAGRAPHS, blank=True)

    objects = AgencySummaryQuerySet.as_manager()
    holds_personal_data = True

    class Meta:
        ordering = ["review", "agency__name", "id"]
        verbose_name_plural = "agency summaries"
        constraints = [models.UniqueConstraint(fields=["review", "agency"], name="one_summary_per_agency")]

    def __str__(self) -> str:
        return f"Summary from {self.agency}"

    def get_absolute_url(self) -> str:
        return self.review.get_absolute_url()
