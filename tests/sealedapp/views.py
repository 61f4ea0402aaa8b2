"""A test-only module's use of core questionnaires: answers about a note, stored on the web and the API.

This is the pattern a real module follows: find the subject through ``visible_to`` (404 outside scope),
check the module's own permission to record against it (403), draw ``questionnaire_form``, store with
``submit_response``; on the API, ``AnswersSubmissionSerializer`` and the same service.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safeboard.core.questionnaires.api import (
    AnswersSubmissionSerializer,
    QuestionnaireResponseSerializer,
    answers_invalid_error,
)
from safeboard.core.questionnaires.forms import questionnaire_form
from safeboard.core.questionnaires.models import QuestionnaireResponse, QuestionnaireVersion, VersionStatus
from safeboard.core.questionnaires.services import AnswersInvalid, submit_response
from safeboard.core.views_base import SignedInView
from tests.sealedapp.models import Note


def _note_for_recording(user: Any, pk: int) -> Note:
    note = get_object_or_404(Note.objects.visible_to(user, "view"), pk=pk)
    if not Note.objects.visible_to(user, "change").filter(pk=note.pk).exists():
        raise PermissionDenied
    return note


def _published(user: Any, pk: Any) -> QuestionnaireVersion:
    return get_object_or_404(QuestionnaireVersion.objects.visible_to(user).exclude(status=VersionStatus.DRAFT), pk=pk)


class NoteQuestionnaireView(SignedInView):
    def get(self, request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
        note = _note_for_recording(request.user, pk)
        version = _published(request.user, version_pk)
        return self.page(request, note, version, questionnaire_form(version))

    def post(self, request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
        note = _note_for_recording(request.user, pk)
        version = _published(request.user, version_pk)
        form = questionnaire_form(version, data=request.POST)
        if not form.is_valid():
            return self.page(request, note, version, form)
        response = submit_response(
            version, partnership=note.partnership, data=form.answers, submitted_by=request.user, subject=note
        )
        return redirect("core:questionnaire-response-detail", pk=response.pk)

    def page(self, request: HttpRequest, note: Note, version: QuestionnaireVersion, form: Any) -> HttpResponse:
        return TemplateResponse(
            request, "sealedapp/questionnaire.html", {"note": note, "version": version, "form": form}
        )


class NoteResponsesAPIView(APIView):
    """GET: the responses about a note that the caller may see. POST ``{"version": id, "answers": {...}}``."""

    def get(self, request: Request, pk: int) -> Response:
        note = get_object_or_404(Note.objects.visible_to(request.user, "view"), pk=pk)
        responses = QuestionnaireResponse.objects.visible_to(request.user).for_subject(note)
        return Response(QuestionnaireResponseSerializer(responses, many=True).data)

    def post(self, request: Request, pk: int) -> Response:
        note = _note_for_recording(request.user, pk)
        if not isinstance(request.data, dict) or "version" not in request.data:
            raise ValidationError({"version": ["Give the id of the questionnaire version the answers are for."]})
        version = _published(request.user, request.data["version"])
        serializer = AnswersSubmissionSerializer(data=request.data, context={"version": version})
        serializer.is_valid(raise_exception=True)
        try:
            response = submit_response(
                version,
                partnership=note.partnership,
                data=serializer.validated_data["answers"],
                submitted_by=request.user,
                subject=note,
            )
        except AnswersInvalid as error:
            raise answers_invalid_error(error) from None
        return Response(QuestionnaireResponseSerializer(response).data, status=status.HTTP_201_CREATED)
