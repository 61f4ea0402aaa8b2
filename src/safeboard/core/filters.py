from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django_filters.filters import QuerySetRequestMixin

from safeboard.core.audit import AccessLogEntry, ChangeAction, ChangeLogEntry
from safeboard.core.fields import GovukDateField
from safeboard.core.forms import GovukForm
from safeboard.core.models import Agency, AgencyType, Locality
from safeboard.core.people import PersonField


class DateFilter(django_filters.Filter):
    """A date filter typed in the GOV.UK date input (day, month, year), never the browser's picker.

    ``subject`` names the date in its messages ("The start of the due date range must be a real
    date"); without it the label does.
    """

    field_class = GovukDateField


class PersonChoiceFilter(QuerySetRequestMixin, django_filters.Filter):
    """A person to filter by, picked with the person picker (``safeboard.core.people``); the filter
    set narrows its people in ``__init__`` with ``limit_to``."""

    field_class = PersonField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The field's own options (scope, empty_label…) pass through to PersonField.
        super().__init__(*args, **kwargs)


def filter_of[F: django_filters.Filter](filterset: django_filters.FilterSet, name: str, kind: type[F]) -> F:
    """The filter set's filter ``name``, checked to be a ``kind`` (for code that changes its choices)."""
    found = filterset.filters[name]
    if not isinstance(found, kind):
        raise ImproperlyConfigured(f"{type(filterset).__name__}.{name} is not a {kind.__name__}.")
    return found


class GovukFilterSet(django_filters.FilterSet):
    """Filter forms built on ``GovukForm``: GOV.UK classes, written messages, and any plain date
    field as the GOV.UK date input."""

    message_names: dict[str, str] = {}  # as on ``GovukForm``: the thing a filter is about, for its messages

    def get_form_class(self) -> type[forms.Form]:
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        meta_form = self._meta.form  # type: ignore[attr-defined]  # FilterSetMetaclass sets _meta; not in the stubs
        base = meta_form if meta_form is not forms.Form else GovukForm
        form_class: type[forms.Form] = type(
            f"{type(self).__name__}Form", (base,), {**fields, "message_names": self.message_names}
        )
        return form_class


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
