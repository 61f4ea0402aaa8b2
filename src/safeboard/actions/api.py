"""The action log over the API: read-only, scoped exactly as the web pages."""

from __future__ import annotations

import django_filters.rest_framework as filters
from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from safeboard.actions.models import Action, ActionStatus
from safeboard.core.api.filters import ApiFilterSet
from safeboard.core.http import AuthenticatedApiRequest


class ActionSerializer(serializers.ModelSerializer[Action]):
    source_type = serializers.SerializerMethodField(help_text="The kind of record it came from, as app_label.model.")
    rag = serializers.SerializerMethodField(help_text="red (overdue), amber (due soon), green or done.")
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "partnership",
            "reference",
            "title",
            "detail",
            "source_type",
            "source_id",
            "source_label",
            "owner",
            "owner_name",
            "agency",
            "agency_name",
            "due_date",
            "priority",
            "status",
            "rag",
            "theme",
            "closed_at",
            "closure_reason",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_source_type(self, action: Action) -> str | None:
        source_type = action.source_type if action.source_type_id else None
        if source_type is None:
            return None
        return f"{source_type.app_label}.{source_type.model}"

    def get_rag(self, action: Action) -> str:
        return str(action.rag_status())


class ActionFilter(ApiFilterSet):
    status = filters.ChoiceFilter(choices=ActionStatus.choices)

    class Meta:
        model = Action
        fields = ["partnership", "status", "agency", "owner"]


class ActionViewSet(viewsets.ReadOnlyModelViewSet[Action]):
    """Actions the caller may see, in every partnership they work in. Filter by ``status``,
    ``agency``, ``owner`` or ``partnership``."""

    request: AuthenticatedApiRequest
    serializer_class = ActionSerializer
    filterset_class = ActionFilter

    def get_queryset(self) -> QuerySet[Action]:
        return Action.objects.visible_to(self.request.user).select_related(
            "partnership", "owner", "agency", "source_type"
        )
