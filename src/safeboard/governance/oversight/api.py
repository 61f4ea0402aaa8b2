"""The business plan over the API, read-only: each plan with its priorities and their objectives.

Scoped exactly as the plan's page (``visible_to`` on the plan, its priorities and its objectives).
A priority's board sponsor is named only to callers who may see people's names in the partnership.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from safeboard.governance.meetings.api import PersonRefSerializer, person_ref
from safeboard.governance.oversight.models import BusinessPlan, Objective, Priority


class ObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objective
        fields = ["id", "business_year", "text"]
        read_only_fields = fields


class PrioritySerializer(serializers.ModelSerializer):
    sponsor = serializers.SerializerMethodField(help_text="The board member who answers for it.")
    objectives = ObjectiveSerializer(many=True, read_only=True, source="visible_objectives")

    class Meta:
        model = Priority
        fields = ["id", "number", "title", "sponsor", "rationale", "objectives"]
        read_only_fields = fields

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_sponsor(self, priority: Priority) -> dict[str, Any] | None:
        return person_ref(priority.sponsor, self.context, self.context["plan"].partnership_id)


class BusinessPlanSerializer(serializers.ModelSerializer):
    priorities = serializers.SerializerMethodField(help_text="The plan's priorities in order, with their objectives.")

    class Meta:
        model = BusinessPlan
        fields = ["id", "partnership", "title", "first_year", "last_year", "priorities", "updated_at", "version"]
        read_only_fields = fields

    @extend_schema_field(PrioritySerializer(many=True))
    def get_priorities(self, plan: BusinessPlan) -> list[dict[str, Any]]:
        context = {**self.context, "plan": plan}
        priorities = plan.visible_priorities  # type: ignore[attr-defined]  # the viewset's Prefetch(to_attr=...)
        return list(PrioritySerializer(priorities, many=True, context=context).data)


class BusinessPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Business plans the caller may read, with their priorities and objectives. Filter by
    ``partnership``."""

    serializer_class = BusinessPlanSerializer
    filterset_fields = ["partnership"]

    def get_queryset(self) -> QuerySet[BusinessPlan]:
        user = self.request.user
        objectives = Objective.objects.visible_to(user).order_by("business_year", "id")
        priorities = (
            Priority.objects.visible_to(user)
            .select_related("sponsor")
            .order_by("number", "id")
            .prefetch_related(Prefetch("objectives", queryset=objectives, to_attr="visible_objectives"))
        )
        return BusinessPlan.objects.visible_to(user).prefetch_related(
            Prefetch("priorities", queryset=priorities, to_attr="visible_priorities")
        )
