from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from safeboard.accounts.models import Membership, User
from safeboard.accounts.rules import PersonRules
from safeboard.accounts.services import (
    PersonError,
    StaleVersion,
    change_details,
    deactivate,
    reactivate,
)
from safeboard.core.api.versioning import IfMatchUpdateMixin, PreconditionFailed, if_match_version
from safeboard.core.audit import AccessAction, record_access, record_list_access
from safeboard.core.http import AuthenticatedApiRequest
from safeboard.core.models import Agency


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "safeboard.accounts.authentication.PersonalAPITokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A personal API token (sbk_…) from My account."}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "safeboard.accounts.authentication.VerifiedSessionAuthentication"
    name = "browserSession"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        from django.conf import settings

        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "The signed-in browser session, after two-factor sign-in.",
        }


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    class Meta:
        model = Membership
        fields = ["partnership", "role", "is_active"]


class PersonSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ["id", "full_name", "email", "job_title", "agency", "phone", "is_active", "version"]
        read_only_fields = fields


class PersonChangeSerializer(serializers.Serializer[dict[str, Any]]):
    """What a PATCH may send. The email address is not here: it changes only through the link sent to
    the new address (on the website)."""

    full_name = serializers.CharField(max_length=150, required=False)
    job_title = serializers.CharField(max_length=150, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True), required=False)
    is_active = serializers.BooleanField(required=False)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, dict) and "email" in data:
            raise serializers.ValidationError(
                {"email": ["An email address changes only through the link sent to the new address. Use the website."]}
            )
        return super().to_internal_value(data)


class PersonViewSet(IfMatchUpdateMixin, viewsets.ReadOnlyModelViewSet[User]):
    """People the caller may see. Reading one person is written to the access log.

    PATCH follows the rule for people shared between partnerships (accounts/rules.py): name, job title,
    phone and agency, and deactivating, only by someone who administers every partnership the person
    works in (or the system administrator); a person may change their own name, job title and phone.
    Send ``If-Match: <version>``.
    """

    request: AuthenticatedApiRequest
    serializer_class = PersonSerializer
    filterset_fields = ["agency", "is_active"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[User]:
        return User.objects.visible_to(self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        # Emails and phones read in bulk: one access-log entry names every person on the page.
        record_list_access(User, [row["id"] for row in response.data.get("results", [])], "API people list")
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        record_access(person, AccessAction.VIEW, detail="API")
        return Response(self.get_serializer(person).data)

    @extend_schema(
        request=PersonChangeSerializer,
        responses=PersonSerializer,
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        request = self.request
        person = self.get_object()
        rules = PersonRules(request.user, person)
        if not rules.can_edit():
            raise PermissionDenied(rules.who_can_change())
        expected = str(if_match_version(request))
        changes = PersonChangeSerializer(data=request.data, partial=True)
        changes.is_valid(raise_exception=True)
        values = dict(changes.validated_data)
        active = values.pop("is_active", None)
        try:
            if values:
                person = change_details(person=person, by=request.user, changes=values, version=int(expected))
                expected = str(person.version)
            if active is not None and active != person.is_active:
                if not rules.can_deactivate():
                    raise PermissionDenied(rules.who_can_change() if not rules.is_self else "")
                if str(User.objects.get(pk=person.pk).version) != expected:
                    raise PreconditionFailed()
                (reactivate if active else deactivate)(person, by=request.user)
        except StaleVersion:
            raise PreconditionFailed() from None
        except PersonError as refused:
            raise PermissionDenied(str(refused)) from None
        person = User.objects.get(pk=person.pk)
        return Response(PersonSerializer(person).data)

    @action(detail=False, methods=["get"])
    def me(self, request: AuthenticatedApiRequest) -> Response:
        """The token's owner, with their roles."""
        data = dict(PersonSerializer(request.user).data)
        data["roles"] = MembershipSerializer(request.user.memberships.filter(is_active=True), many=True).data
        return Response(data)
