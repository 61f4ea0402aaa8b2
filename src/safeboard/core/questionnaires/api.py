"""Questionnaires over the API, and the pieces a module's API reuses.

Read: questionnaires, their versions (with the definition, so an agency's own system can draw the
form) and responses, each scoped by ``visible_to``. ``POST /api/v1/questionnaire-versions/<id>/validate/``
checks answers without storing them: the same ``validate_answers`` the web form and imports use.

A module that stores answers on its own endpoint uses ``AnswersSubmissionSerializer`` (give the version
in the serializer context) and then ``services.submit_response``; its errors come back per question,
under ``errors.answers``, in the API's usual 400 shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safeboard.core.http import AuthenticatedApiRequest
from safeboard.core.questionnaires.answers import score_answers, validate_answers
from safeboard.core.questionnaires.models import (
    Questionnaire,
    QuestionnaireResponse,
    QuestionnaireVersion,
    VersionStatus,
)
from safeboard.core.questionnaires.services import AnswersInvalid

if TYPE_CHECKING:
    from rest_framework.permissions import _SupportsHasPermission  # the stubs' name for a permission


class QuestionnaireSerializer(serializers.ModelSerializer[Questionnaire]):
    published_version = serializers.SerializerMethodField(help_text="The id of the published version, if any.")

    class Meta:
        model = Questionnaire
        fields = ["id", "key", "title", "description", "partnership", "published_version"]
        read_only_fields = fields

    def get_published_version(self, questionnaire: Questionnaire) -> int | None:
        published = [v for v in questionnaire.versions.all() if v.status == VersionStatus.PUBLISHED]
        return published[0].pk if published else None


class QuestionnaireVersionSerializer(serializers.ModelSerializer[QuestionnaireVersion]):
    key = serializers.CharField(source="questionnaire.key", read_only=True)
    definition = serializers.JSONField(read_only=True, help_text="The questions: see docs/questionnaire.schema.json.")

    class Meta:
        model = QuestionnaireVersion
        fields = ["id", "questionnaire", "key", "number", "status", "published_at", "definition"]
        read_only_fields = fields


class QuestionnaireResponseSerializer(serializers.ModelSerializer[QuestionnaireResponse]):
    """A stored response, with the version it answered. Modules embed it in their own records."""

    questionnaire = serializers.CharField(source="questionnaire_version.questionnaire.key", read_only=True)
    version_number = serializers.IntegerField(source="questionnaire_version.number", read_only=True)
    subject_type = serializers.SerializerMethodField(help_text="The kind of record it is about, as app_label.model.")
    final_level = serializers.CharField(read_only=True, help_text="The level that stands, after any override.")

    class Meta:
        model = QuestionnaireResponse
        fields = [
            "id",
            "partnership",
            "questionnaire",
            "questionnaire_version",
            "version_number",
            "subject_type",
            "subject_id",
            "answers",
            "score",
            "section_scores",
            "level",
            "level_override",
            "override_reason",
            "final_level",
            "submitted_by",
            "submitted_at",
        ]
        read_only_fields = fields

    def get_subject_type(self, response: QuestionnaireResponse) -> str | None:
        subject_type = response.subject_type if response.subject_type_id else None
        if subject_type is None:
            return None
        return f"{subject_type.app_label}.{subject_type.model}"


class AnswersSubmissionSerializer(serializers.Serializer[dict[str, Any]]):
    """``{"answers": {question_key: answer, ...}}`` checked against ``context["version"]``.

    After ``is_valid()``, ``validated_data["answers"]`` holds the cleaned answers.
    """

    answers = serializers.JSONField(help_text="One entry per question key; see docs/questionnaires.md for each type.")

    def validate_answers(self, value: Any) -> dict[str, Any]:
        cleaned, errors = validate_answers(self.context["version"], value)
        if errors:
            raise serializers.ValidationError({key: [message] for key, message in errors.items()})
        return cleaned


def answers_invalid_error(error: AnswersInvalid) -> serializers.ValidationError:
    """``services.submit_response``'s refusal as the API's 400, one message per question."""
    return serializers.ValidationError({"answers": {key: [message] for key, message in error.errors.items()}})


class QuestionnaireViewSet(viewsets.ReadOnlyModelViewSet[Questionnaire]):
    """Questionnaires of the partnerships the caller works in, and those every partnership uses."""

    request: AuthenticatedApiRequest

    serializer_class = QuestionnaireSerializer
    filterset_fields = ["partnership", "key"]

    def get_queryset(self) -> QuerySet[Questionnaire]:
        return Questionnaire.objects.visible_to(self.request.user).prefetch_related("versions")


class QuestionnaireVersionViewSet(viewsets.ReadOnlyModelViewSet[QuestionnaireVersion]):
    """Versions with their definitions. ``validate`` checks answers against one, storing nothing."""

    request: AuthenticatedApiRequest

    serializer_class = QuestionnaireVersionSerializer
    filterset_fields = ["questionnaire", "status"]

    def get_queryset(self) -> QuerySet[QuestionnaireVersion]:
        return QuestionnaireVersion.objects.visible_to(self.request.user).select_related("questionnaire")

    def get_permissions(self) -> Sequence[_SupportsHasPermission]:
        if self.action == "validate":
            # Checking answers changes nothing: anyone who may read the version may check them.
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    @action(detail=True, methods=["post"], serializer_class=AnswersSubmissionSerializer)
    def validate(self, request: Request, pk: str | None = None) -> Response:
        """Check answers against this version: 200 with the cleaned answers and the score they make, or
        400 with one message per question."""
        version = self.get_object()
        serializer = AnswersSubmissionSerializer(data=request.data, context={"version": version})
        serializer.is_valid(raise_exception=True)
        cleaned = serializer.validated_data["answers"]
        score = score_answers(version, cleaned)
        return Response(
            {
                "answers": cleaned,
                "score": score.total,
                "section_scores": score.sections if score.total is not None else {},
                "level": score.level.key if score.level else "",
            }
        )


class QuestionnaireResponseViewSet(viewsets.ReadOnlyModelViewSet[QuestionnaireResponse]):
    """Responses the caller may see: their own, or the partnership's for its administrators."""

    request: AuthenticatedApiRequest

    serializer_class = QuestionnaireResponseSerializer
    filterset_fields = ["partnership", "questionnaire_version"]

    def get_queryset(self) -> QuerySet[QuestionnaireResponse]:
        return QuestionnaireResponse.objects.visible_to(self.request.user).select_related(
            "questionnaire_version__questionnaire", "subject_type"
        )
