"""Forms for the board self-assessment and the chair's annual review."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safeboard.core.concurrency import VersionedFormMixin
from safeboard.core.forms import GovukModelForm, PartnershipFormMixin
from safeboard.governance.effectiveness.models import ChairReview, SelfAssessment
from safeboard.governance.oversight.forms import people_of

YEAR_HINT = "The year the business year starts, for example 2026 for 2026 to 2027."


def _check_year(form: Any, name: str = "business_year") -> None:
    year = form.cleaned_data.get(name)
    if year is not None and not 2000 <= year <= 2100:
        form.add_error(name, "Enter a year such as 2026.")


class SelfAssessmentForm(PartnershipFormMixin, GovukModelForm):
    """Start a business year's self-assessment: the year and the date members answer by."""

    instance: SelfAssessment

    message_names = {"answer_by": "the date to answer by"}

    class Meta:
        model = SelfAssessment
        fields = ["business_year", "answer_by"]
        labels = {"business_year": "Business year", "answer_by": "Answer by"}
        help_texts = {"business_year": YEAR_HINT, "answer_by": "Members can answer until the end of this day."}

    def clean(self) -> dict[str, Any]:
        super().clean()
        _check_year(self)
        answer_by = self.cleaned_data.get("answer_by")
        if answer_by is not None and answer_by < timezone.localdate():
            self.add_error("answer_by", "The date to answer by must be today or in the future.")
        year = self.cleaned_data.get("business_year")
        if year and SelfAssessment.objects.filter(partnership=self.partnership, business_year=year).exists():
            self.add_error("business_year", "There is already a self-assessment for this business year.")
        return self.cleaned_data


class ChairReviewForm(VersionedFormMixin, PartnershipFormMixin, GovukModelForm):
    """The statutory partners' review of the chair for one business year."""

    instance: ChairReview

    message_names = {
        "chair": "the chair reviewed",
        "reviewed_on": "the date of the review",
        "areas_to_develop": "the areas to develop",
        "objectives": "the objectives for the next year",
    }

    class Meta:
        model = ChairReview
        fields = ["business_year", "chair", "reviewed_on", "strengths", "areas_to_develop", "objectives"]
        labels = {
            "business_year": "Business year reviewed",
            "chair": "Chair reviewed",
            "reviewed_on": "Date of the review",
            "strengths": "Strengths",
            "areas_to_develop": "Areas to develop",
            "objectives": "Objectives for the next year",
        }
        help_texts = {
            "business_year": YEAR_HINT,
            "objectives": "What the chair will do in the coming year, and how the partners will know it is done.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pick_person("chair", people_of(self.partnership, self.user))

    def clean(self) -> dict[str, Any]:
        super().clean()
        _check_year(self)
        reviewed_on = self.cleaned_data.get("reviewed_on")
        if reviewed_on is not None and reviewed_on > timezone.localdate():
            self.add_error("reviewed_on", "The date of the review must be today or in the past.")
        year = self.cleaned_data.get("business_year")
        if year:
            clash = ChairReview.objects.filter(partnership=self.partnership, business_year=year).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error("business_year", "There is already a chair's review for this business year.")
        return self.cleaned_data
