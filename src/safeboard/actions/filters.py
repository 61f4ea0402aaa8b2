from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from safeboard.accounts.models import User
from safeboard.actions.models import LIVE_STATUSES, RAG, Action, ActionStatus
from safeboard.core.filters import DateFilter, GovukFilterSet, PersonChoiceFilter, filter_of
from safeboard.core.forms import form_field, model_choice_field
from safeboard.core.http import PartnershipRequest
from safeboard.core.models import Agency
from safeboard.core.people import PersonField

NO_SOURCE = "none"
ANY_STATUS = "any"


def source_type_key(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"


def source_type_label(content_type: ContentType | None) -> str:
    if content_type is None:
        return "No source"
    model = content_type.model_class()
    return str(model._meta.verbose_name).capitalize() if model else content_type.model


class ActionFilter(GovukFilterSet):
    q = django_filters.CharFilter(
        label="Reference or title contains",
        method="filter_text",
        help_text="A reference such as A-0042, or a word from the title",
    )
    source_type = django_filters.ChoiceFilter(label="Came from", method="filter_source", empty_label="Anywhere")
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.none(), empty_label="Any agency")
    owner = PersonChoiceFilter(queryset=User.objects.none(), empty_label="Anyone", scope="action-owners")
    # Live actions unless the person asks otherwise: closed and cancelled ones are behind this filter.
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(ANY_STATUS, "Any status, closed and cancelled too"), *ActionStatus.choices],
        empty_label="Live (open, in progress or awaiting review)",
        method="filter_status",
    )
    rag = django_filters.ChoiceFilter(label="RAG rating", choices=RAG.choices, empty_label="Any rating")
    due_from = DateFilter(
        label="Due on or after",
        field_name="due_date",
        lookup_expr="gte",
        subject="The start of the due date range",
    )
    due_to = DateFilter(
        label="Due on or before",
        field_name="due_date",
        lookup_expr="lte",
        subject="The end of the due date range",
    )
    theme = django_filters.CharFilter(label="Theme contains", lookup_expr="icontains", help_text="For example neglect")
    message_names = {"source_type": "where the actions came from"}
    applied_when_empty = {"status": "Live (open, in progress or awaiting review)"}

    class Meta:
        model = Action
        fields = ["q", "source_type", "agency", "owner", "status", "rag", "due_from", "due_to", "theme"]

    def __init__(self, *args: Any, request: PartnershipRequest, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        partnership = request.partnership
        # Choices come from the actions this person can see (one query each, whatever the rows).
        visible = self.queryset
        assert visible is not None  # FilterSet takes the model's records when given none
        agencies = (
            Agency.objects.visible_to(request.user).in_partnership(partnership).order_by("name").only("id", "name")
        )
        filter_of(self, "agency", django_filters.ModelChoiceFilter).queryset = agencies
        model_choice_field(self.form, "agency").queryset = agencies
        # Only what an option shows: hundreds of people are listed, and whole rows cost time to build.
        owners: QuerySet[User] = (
            User.objects.filter(pk__in=visible.order_by().values("owner_id"))
            .order_by("full_name", "id")
            .only("id", "full_name", "email", "agency__name")
        )
        filter_of(self, "owner", PersonChoiceFilter).queryset = owners
        owner_field = form_field(self.form, "owner", PersonField)
        owner_field.limit_to(owners, request.user, partnership)
        owner_field.picker().always_search = True
        types = ContentType.objects.filter(pk__in=visible.order_by().values("source_type_id"))
        choices = sorted(((source_type_key(ct), source_type_label(ct)) for ct in types), key=lambda c: c[1])
        choices.append((NO_SOURCE, "No source (added directly)"))
        self.filters["source_type"].extra["choices"] = choices
        form_field(self.form, "source_type", forms.ChoiceField).choices = choices  # the field adds "Anywhere" itself

    def filter_queryset(self, queryset: QuerySet[Action]) -> QuerySet[Action]:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=LIVE_STATUSES)
        return queryset

    def filter_status(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        return queryset if value == ANY_STATUS else queryset.filter(status=value)

    def filter_text(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value)) if value else queryset

    def filter_source(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        if value == NO_SOURCE:
            return queryset.filter(source_type__isnull=True)
        app_label, _, model = value.partition(".")
        try:
            content_type = ContentType.objects.get_by_natural_key(app_label, model)
        except ContentType.DoesNotExist:
            return queryset.none()
        return queryset.filter(source_type=content_type)

    def is_valid(self) -> bool:
        valid = super().is_valid()
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        start, end = data.get("due_from"), data.get("due_to")
        if valid and start and end and end < start:
            self.form.add_error("due_to", "The end of the due date range must be on or after its start")
            return False
        return valid
