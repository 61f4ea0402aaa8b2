"""Filters for the review register."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from safeboard.core.filters import DateFilter, GovukFilterSet, filter_of
from safeboard.core.forms import model_choice_field
from safeboard.core.http import SafeboardRequest
from safeboard.reviews.choices import Recommendation
from safeboard.reviews.models import Review, ReviewType

STAGE_CHOICES = [("running", "Still running"), ("finished", "Finished")]


class ReviewFilter(GovukFilterSet):
    reference = django_filters.CharFilter(label="Case reference contains", lookup_expr="icontains")
    review_type = django_filters.ModelChoiceFilter(
        queryset=ReviewType.objects.none(), label="Type of review", empty_label="Any type"
    )
    decision = django_filters.ChoiceFilter(label="Decision", choices=Recommendation.choices, empty_label="Any decision")
    stage = django_filters.ChoiceFilter(label="Stage", choices=STAGE_CHOICES, empty_label="Any", method="filter_stage")
    aware_after = DateFilter(
        field_name="aware_on", lookup_expr="gte", label="Became aware on or after", subject="The earliest date"
    )

    class Meta:
        model = Review
        fields = ["reference", "review_type", "decision", "stage", "aware_after"]

    def __init__(self, *args: Any, request: SafeboardRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        if request is not None and request.partnership is not None:
            types = ReviewType.objects.filter(partnership=request.partnership).order_by("position", "name")
            filter_of(self, "review_type", django_filters.ModelChoiceFilter).queryset = types
            model_choice_field(self.form, "review_type").queryset = types

    def filter_stage(self, queryset: QuerySet[Review], name: str, value: str) -> QuerySet[Review]:
        from safeboard.reviews.clocks import running

        still = running(queryset)
        if value == "running":
            return still
        if value == "finished":
            return queryset.exclude(pk__in=still.values("pk"))
        return queryset
