from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from safeboard.accounts.models import Membership, User
from safeboard.core.audit import AccessAction, record_access, record_list_access


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "safeboard.accounts.authentication.PersonalAPITokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {"type": "http", "scheme": "bearer", "description": "A personal API token (sbk_…) from My account."}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "safeboard.accounts.authentication.VerifiedSessionAuthentication"
    name = "browserSession"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        from django.conf import settings

        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "The signed-in browser session, after two-factor sign-in.",
        }


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["partnership", "role", "is_active"]


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name", "email", "job_title", "agency", "phone", "is_active"]
        read_only_fields = fields


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People the caller may see. Reading one person is written to the access log."""

    serializer_class = PersonSerializer
    filterset_fields = ["agency", "is_active"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return User.objects.visible_to(self.request.user)

    def list(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().list(request, *args, **kwargs)
        # Emails and phones read in bulk: one access-log entry names every person on the page.
        record_list_access(User, [row["id"] for row in response.data.get("results", [])], "API people list")
        return response

    def retrieve(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        person = self.get_object()
        record_access(person, AccessAction.VIEW, detail="API")
        return Response(self.get_serializer(person).data)

    @action(detail=False, methods=["get"])
    def me(self, request):  # type: ignore[no-untyped-def]
        """The token's owner, with their roles."""
        data = dict(PersonSerializer(request.user).data)
        data["roles"] = MembershipSerializer(request.user.memberships.filter(is_active=True), many=True).data
        return Response(data)
