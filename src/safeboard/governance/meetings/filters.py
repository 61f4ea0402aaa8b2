"""Filters for the board business list pages."""

from __future__ import annotations

from typing import Any

import django_filters

from safeboard.core.filters import DateFilter, GovukFilterSet, filter_of
from safeboard.core.forms import model_choice_field
from safeboard.core.http import SafeboardRequest
from safeboard.governance.meetings.choices import GroupKind, MinutesStatus
from safeboard.governance.meetings.models import Group, Meeting


class GroupFilter(GovukFilterSet):
    name = django_filters.CharFilter(label="Name contains", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label="Type of group", choices=GroupKind.choices, empty_label="Any type")

    class Meta:
        model = Group
        fields = ["name", "kind"]


class MeetingFilter(GovukFilterSet):
    group = django_filters.ModelChoiceFilter(queryset=Group.objects.none(), label="Group", empty_label="Any group")
    minutes_status = django_filters.ChoiceFilter(
        label="Minutes", choices=MinutesStatus.choices, empty_label="Any stage"
    )
    starts_after = DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label="Held on or after", subject="The earliest meeting date"
    )

    class Meta:
        model = Meeting
        fields = ["group", "minutes_status", "starts_after"]

    def __init__(self, *args: Any, request: SafeboardRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        if request is not None and request.partnership is not None:
            groups = Group.objects.visible_to(request.user).in_partnership(request.partnership)
            filter_of(self, "group", django_filters.ModelChoiceFilter).queryset = groups
            model_choice_field(self.form, "group").queryset = groups
