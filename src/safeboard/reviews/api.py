"""Case reviews over the API: read the reviews the caller may see, and add one (the review manager).

Scoped exactly as the web pages: the queryset starts from ``visible_to`` (a review out of sight is a
404 and absent from every list). A new review belongs to the partnership named in the body, where
the caller must be allowed to add reviews; its type, manager and agencies must be that
partnership's. The children are case references with broad characteristics: no names. Each review
carries its clocks as of today. Changing a review is for the web pages in this version.
"""

from __future__ import annotations

from typing import Any

import django_filters.rest_framework as filters
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from safeboard.accounts.models import User
from safeboard.core.api.filters import ApiFilterSet
from safeboard.core.http import AuthenticatedApiRequest
from safeboard.core.ids import parse_id
from safeboard.core.models import Agency, Partnership
from safeboard.core.permissions import Role, grants_for
from safeboard.core.querysets import user_can
from safeboard.reviews.choices import AgeBand, ClockKind, ClockState, Ethnicity, Recommendation, Sex
from safeboard.reviews.clocks import rapid_of, review_clocks, settings_by_partnership
from safeboard.reviews.models import Review, ReviewChild, ReviewSettings, ReviewType


class ChildSerializer(serializers.ModelSerializer[ReviewChild]):
    case_reference = serializers.CharField(max_length=40, help_text="A case reference, never a name.")
    age_band = serializers.ChoiceField(choices=AgeBand.choices)
    sex = serializers.ChoiceField(choices=Sex.choices)
    ethnicity = serializers.ChoiceField(choices=Ethnicity.choices)

    class Meta:
        model = ReviewChild
        fields = ["case_reference", "age_band", "sex", "ethnicity"]


class ClockSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=ClockKind.choices, read_only=True)
    due_on = serializers.DateField(read_only=True, allow_null=True)
    done_on = serializers.DateField(read_only=True, allow_null=True)
    state = serializers.ChoiceField(choices=ClockState.choices, read_only=True)
    days_left = serializers.IntegerField(read_only=True, allow_null=True, help_text="Working days, while it runs.")
    days_late = serializers.IntegerField(read_only=True, allow_null=True, help_text="Working days past the due date.")


class ReviewSerializer(serializers.ModelSerializer[Review]):
    partnership = serializers.PrimaryKeyRelatedField(queryset=Partnership.objects.all())
    review_type = serializers.PrimaryKeyRelatedField(queryset=ReviewType.objects.all())
    manager = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), help_text="A review manager's id.")
    agencies = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), many=True, required=False)
    reference = serializers.CharField(max_length=40, help_text="The case reference, never a name.")
    area_of_residence = serializers.CharField(max_length=120, required=False, allow_blank=True)
    children = ChildSerializer(many=True, help_text="One to 20 children, each a case reference.")
    decision = serializers.ChoiceField(
        choices=Recommendation.choices, read_only=True, allow_blank=True, help_text="Empty until the partners decide."
    )
    clocks = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "partnership",
            "reference",
            "review_type",
            "manager",
            "incident_on",
            "aware_on",
            "notified_on",
            "agencies",
            "area_of_residence",
            "looked_after_child_death",
            "children",
            "decision",
            "decided_on",
            "clocks",
            "updated_at",
            "version",
        ]
        read_only_fields = ["id", "decision", "decided_on", "clocks", "updated_at", "version"]
        # The unique case reference is checked in ``validate`` with a written message.
        validators: list[Any] = []

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, review: Review) -> list[dict[str, Any]]:
        settings = self.context.get("review_settings", {}).get(review.partnership_id) or ReviewSettings(
            partnership_id=review.partnership_id
        )
        clocks = review_clocks(review, rapid_of(review), settings, timezone.localdate())
        return [ClockSerializer(clock).data for clock in clocks]

    def validate_children(self, children: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not 1 <= len(children) <= 20:
            raise serializers.ValidationError("Give from 1 to 20 children, each with a case reference.")
        return children

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        partnership = attrs["partnership"]
        errors: dict[str, str] = {}
        if attrs["review_type"].partnership_id != partnership.pk or not attrs["review_type"].is_active:
            errors["review_type"] = "Choose a type of review of this partnership that is in use."
        manager = attrs["manager"]
        if not manager.memberships.filter(partnership=partnership, role=Role.REVIEW_MANAGER, is_active=True).exists():
            errors["manager"] = "Choose a review manager of this partnership."
        if any(not agency.partnerships.filter(pk=partnership.pk).exists() for agency in attrs.get("agencies", [])):
            errors["agencies"] = "Choose agencies that sit on this partnership."
        if Review.objects.filter(partnership=partnership, reference__iexact=attrs["reference"]).exists():
            errors["reference"] = "Another review already has this case reference."
        references = [child["case_reference"] for child in attrs["children"]]
        if len(set(references)) != len(references):
            errors["children"] = "Each child needs a different case reference."
        candidate = Review(**{k: v for k, v in attrs.items() if k not in ("agencies", "children")})
        try:
            candidate.clean()
        except Exception as invalid:  # a ValidationError with one message per date field
            for field, messages in getattr(invalid, "message_dict", {}).items():
                errors[field] = " ".join(messages)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Review:
        children = validated_data.pop("children")
        agencies = validated_data.pop("agencies", [])
        with transaction.atomic():
            review = Review.objects.create(**validated_data)
            review.agencies.set(agencies)
            for child in children:
                ReviewChild.objects.create(review=review, **child)
        return review


class ReviewFilter(ApiFilterSet):
    decision = filters.ChoiceFilter(choices=Recommendation.choices)

    class Meta:
        model = Review
        fields = ["partnership", "review_type", "decision"]


class ReviewViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Review]):
    """Case reviews the caller may see, in every partnership they work in, with their clocks. Filter by
    ``partnership``, ``review_type`` or ``decision``. The review manager adds a review with its first
    children (POST); the partnership is in the body and must be one where the caller adds reviews."""

    request: AuthenticatedApiRequest
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter

    def get_queryset(self) -> QuerySet[Review]:
        return (
            Review.objects.visible_to(self.request.user)
            .select_related("partnership", "rapid_review")
            .prefetch_related("agencies", "children")
            .order_by("-aware_on", "-id")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        user = getattr(self.request, "user", None)
        ids = (
            set(grants_for(user).scopes("reviews.view_review")) if user is not None and user.is_authenticated else set()
        )
        context["review_settings"] = settings_by_partnership(ids)
        return context

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Whose record is this? Before anything in the body is checked (a case reference already used
        # elsewhere, a type that is not theirs), the caller must add reviews in the partnership named.
        data = request.data if isinstance(request.data, dict) else {}
        partnership_id = parse_id(data.get("partnership"))
        if partnership_id is not None:
            partnership = Partnership.objects.visible_to(request.user).filter(pk=partnership_id).first()
            if partnership is None or not user_can(request.user, "reviews.add_review", partnership):
                raise PermissionDenied("You may not add reviews to this partnership.")
        elif not grants_for(self.request.user).has_anywhere("reviews.add_review"):
            raise PermissionDenied("You may not add reviews.")
        return super().create(request, *args, **kwargs)
