from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from safeboard.core.audit import AccessLogEntry, ChangeAction, ChangeLogEntry
from safeboard.core.models import Agency, AgencyType, Locality


def filter_of[F: django_filters.Filter](filterset: django_filters.FilterSet, name: str, kind: type[F]) -> F:
    """The filter set's filter ``name``, checked to be a ``kind`` (for code that changes its choices)."""
    found = filterset.filters[name]
    if not isinstance(found, kind):
        raise ImproperlyConfigured(f"{type(filterset).__name__}.{name} is not a {kind.__name__}.")
    return found


class GovukFilterSet(django_filters.FilterSet):
    """Filter forms styled as GOV.UK inputs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.form.fields.values():
            if isinstance(f.widget, forms.Select):
                f.widget.attrs.setdefault("class", "govuk-select")
            else:
                f.widget.attrs.setdefault("class", "govuk-input govuk-input--width-20")


class AgencyFilter(GovukFilterSet):
    name = django_filters.CharFilter(label="Name contains", lookup_expr="icontains")
    agency_type = django_filters.ChoiceFilter(
        label="Type of agency", choices=AgencyType.choices, empty_label="Any type"
    )

    class Meta:
        model = Agency
        fields = ["name", "agency_type"]


class LocalityFilter(GovukFilterSet):
    name = django_filters.CharFilter(label="Name contains", lookup_expr="icontains")

    class Meta:
        model = Locality
        fields = ["name"]


class ChangeLogFilter(GovukFilterSet):
    action = django_filters.ChoiceFilter(choices=ChangeAction.choices, empty_label="Any action")
    actor = django_filters.CharFilter(label="Person (name or email contains)", method="filter_actor")
    object_repr = django_filters.CharFilter(label="Record contains", lookup_expr="icontains")
    request_id = django_filters.CharFilter(label="Request id")

    class Meta:
        model = ChangeLogEntry
        fields = ["action", "actor", "object_repr", "request_id"]

    def filter_actor(self, queryset: QuerySet[ChangeLogEntry], name: str, value: str) -> QuerySet[ChangeLogEntry]:
        # Entries keep a copy of the person's name and email, so deleted or renamed people are found
        # too. On PostgreSQL a trigram index serves this search (core migration 0003).
        return queryset.filter(actor_name__icontains=value)


class AccessLogFilter(GovukFilterSet):
    actor = django_filters.CharFilter(
        label="Person (name or email contains)", field_name="actor_name", lookup_expr="icontains"
    )
    object_repr = django_filters.CharFilter(label="Record contains", lookup_expr="icontains")

    class Meta:
        model = AccessLogEntry
        fields = ["actor", "object_repr"]
