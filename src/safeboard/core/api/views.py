from __future__ import annotations

import django_filters.rest_framework as filters
from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from safeboard.core.api.filters import ApiFilterSet
from safeboard.core.api.serializers import AgencySerializer, AreaSerializer, LocalitySerializer, PartnershipSerializer
from safeboard.core.api.versioning import IfMatchUpdateMixin
from safeboard.core.http import AuthenticatedApiRequest
from safeboard.core.ids import MAX_ID, IdFilter, parse_id
from safeboard.core.models import Agency, AgencyType, LocalAuthorityArea, Locality, Partnership
from safeboard.core.querysets import user_can
from safeboard.core.rules import AgencyRules
from safeboard.core.services import AgencyError, remove_from_partnership


class PartnershipViewSet(viewsets.ReadOnlyModelViewSet[Partnership]):
    """Partnerships the token's owner holds a role in."""

    request: AuthenticatedApiRequest
    serializer_class = PartnershipSerializer

    def get_queryset(self) -> QuerySet[Partnership]:
        return Partnership.objects.visible_to(self.request.user)


class AgencyFilter(ApiFilterSet):
    partnership = IdFilter(method="in_partnership", label="Partnership id")
    agency_type = filters.ChoiceFilter(choices=AgencyType.choices)

    class Meta:
        model = Agency
        fields = ["partnership", "agency_type", "is_active"]

    def in_partnership(self, queryset: QuerySet[Agency], name: str, value: int) -> QuerySet[Agency]:
        return queryset.filter(partnerships__id=value)


@extend_schema_view(
    create=extend_schema(
        parameters=[
            OpenApiParameter(
                "partnership",
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                required=True,
                description="The partnership the new agency joins (you must administer it).",
            )
        ]
    )
)
class AgencyViewSet(IfMatchUpdateMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Agency]):
    """Agencies on the partnerships the caller can see. Administrators may add and change them.

    To add an agency, give ``partnership`` (an id) in the query string: the new agency joins it.
    Updates need ``If-Match: <version>`` (428 without it; 412 when stale) rather than losing an update.
    """

    request: AuthenticatedApiRequest
    serializer_class = AgencySerializer
    filterset_class = AgencyFilter

    def get_queryset(self) -> QuerySet[Agency]:
        return Agency.objects.visible_to(self.request.user).prefetch_related("partnerships")

    def perform_create(self, serializer: BaseSerializer[Agency]) -> None:
        partnership_id = parse_id(self.request.query_params.get("partnership"))
        if partnership_id is None:
            raise ValidationError({"partnership": ["Give the id of the partnership the agency joins."]})
        # A partnership out of sight and one the caller may not add to get the same answer.
        partnership = Partnership.objects.visible_to(self.request.user).filter(pk=partnership_id).first()
        if partnership is None or not user_can(self.request.user, "core.add_agency", partnership):
            raise PermissionDenied("You may not add agencies to this partnership.")
        with transaction.atomic():
            agency = serializer.save()
            agency.partnerships.add(partnership)

    def check_update_allowed(self, instance: Agency) -> None:
        # Its name, type, code, email and status are shared by every partnership it sits on.
        rules = AgencyRules(self.request.user, instance)
        if not rules.can_change_identity():
            raise PermissionDenied(
                f"{rules.who_can_change()} To stop it sitting on your partnership, "
                f"POST /api/v1/agencies/{instance.pk}/leave/?partnership=<id>."
            )

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                "partnership",
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                required=True,
                description="The partnership it leaves (you must administer it).",
            )
        ],
        responses=AgencySerializer,
    )
    @action(detail=True, methods=["post"])
    def leave(self, request: AuthenticatedApiRequest, pk: str | None = None) -> Response:
        """Take the agency off one partnership. It stays on, and active for, every other one."""
        agency = self.get_object()
        partnership_id = parse_id(request.query_params.get("partnership"))
        if partnership_id is None:
            raise ValidationError({"partnership": ["Give the id of the partnership the agency leaves."]})
        partnership = Partnership.objects.visible_to(request.user).filter(pk=partnership_id).first()
        rules = AgencyRules(request.user, agency)
        if partnership is None or not rules.can_remove_from(partnership):
            raise PermissionDenied("The agency does not sit on a partnership with this id that you administer.")
        try:
            remove_from_partnership(agency=agency, partnership=partnership, removed_by=request.user)
        except AgencyError as refused:
            raise PermissionDenied(str(refused)) from None
        agency.refresh_from_db()
        return Response(self.get_serializer(agency).data)


class AreaViewSet(viewsets.ReadOnlyModelViewSet[LocalAuthorityArea]):
    request: AuthenticatedApiRequest
    serializer_class = AreaSerializer
    filterset_fields = ["partnership"]

    def get_queryset(self) -> QuerySet[LocalAuthorityArea]:
        return LocalAuthorityArea.objects.visible_to(self.request.user)


class LocalityViewSet(viewsets.ReadOnlyModelViewSet[Locality]):
    request: AuthenticatedApiRequest
    serializer_class = LocalitySerializer
    filterset_fields = ["partnership", "area"]

    def get_queryset(self) -> QuerySet[Locality]:
        return Locality.objects.visible_to(self.request.user)
