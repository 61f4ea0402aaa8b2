"""Filters for the oversight lists."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from safeboard.core.filters import GovukFilterSet
from safeboard.core.http import SafeboardRequest
from safeboard.core.models import Agency
from safeboard.governance.oversight.choices import ChallengeStatus
from safeboard.governance.oversight.models import AccountabilitySession, Challenge
from safeboard.governance.oversight.reports import business_year_dates


def _agencies(request: SafeboardRequest | None) -> QuerySet[Agency]:
    if request is None or request.partnership is None:
        return Agency.objects.none()
    return Agency.objects.visible_to(request.user).in_partnership(request.partnership).order_by("name")


def _year_options() -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    return [(y, f"{y} to {y + 1}") for y in range(this_year + 1, this_year - 6, -1)]


class _BusinessYearFilterSet(GovukFilterSet):
    year = django_filters.ChoiceFilter(
        label="Business year", method="filter_year", choices=_year_options, empty_label="Any year"
    )
    date_field = ""
    request: SafeboardRequest | None

    def filter_year(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value or not str(value).isdigit():
            return queryset
        assert self.request is not None and self.request.partnership is not None  # list pages give their request
        start, end = business_year_dates(self.request.partnership, int(value))
        return queryset.filter(**{f"{self.date_field}__gte": start, f"{self.date_field}__lt": end})


class ChallengeFilter(_BusinessYearFilterSet):
    # django-filter calls a queryset given as a function with the request; its stubs allow only a queryset.
    agency = django_filters.ModelChoiceFilter(
        label="Agency challenged",
        queryset=_agencies,  # type: ignore[arg-type]
        empty_label="Any agency",
    )
    status = django_filters.ChoiceFilter(label="Status", choices=ChallengeStatus.choices, empty_label="Any status")
    date_field = "raised_on"

    class Meta:
        model = Challenge
        fields = ["agency", "status", "year"]


class AccountabilityFilter(_BusinessYearFilterSet):
    agency = django_filters.ModelChoiceFilter(
        label="Agency",
        queryset=_agencies,  # type: ignore[arg-type]  # a function of the request, as in ChallengeFilter
        empty_label="Any agency",
    )
    date_field = "held_on"

    class Meta:
        model = AccountabilitySession
        fields = ["agency", "year"]
