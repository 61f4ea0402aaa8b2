"""Questionnaire pages for the partnership's administrators: the list, one questionnaire's versions, a
preview of a version as the GOV.UK form (answers checked, nothing stored), publishing, and a stored
response read with its own version.

Modules put the form on their own pages (``questionnaire_form``) and store answers with
``services.submit_response``; they show stored answers with ``core/questionnaires/answers.html``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from safeboard.core.http import AuthenticatedHttpRequest, PartnershipRequest, signed_in
from safeboard.core.querysets import user_can
from safeboard.core.questionnaires.answers import display_answers, score_answers
from safeboard.core.questionnaires.forms import questionnaire_form
from safeboard.core.questionnaires.models import (
    Questionnaire,
    QuestionnaireError,
    QuestionnaireResponse,
    QuestionnaireVersion,
    VersionStatus,
)
from safeboard.core.questionnaires.services import publish
from safeboard.core.views_base import PartnershipView, PostOnlyView, ScopedDetailView

MANAGE = "core.change_questionnaire"


class _ManagerPage(PartnershipView):
    """Pages for people who look after the partnership's questionnaires (403 for everyone else)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if signed_in(request) and request.partnership is not None:
            if not user_can(request.user, MANAGE, request.partnership):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def can_change(self, questionnaire: Questionnaire) -> bool:
        """Platform-wide questionnaires are read by every partnership and changed by none."""
        return Questionnaire.objects.visible_to(self.request.user, "change").filter(pk=questionnaire.pk).exists()


class QuestionnaireListView(_ManagerPage, TemplateView):
    request: PartnershipRequest  # as PartnershipView (TemplateView declares a plain HttpRequest)
    template_name = "core/questionnaires/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        partnership = self.request.partnership
        questionnaires = (
            Questionnaire.objects.visible_to(self.request.user, "view", partnership=partnership)
            .in_partnership(partnership)
            .prefetch_related(
                Prefetch(
                    "versions",
                    queryset=QuestionnaireVersion.objects.only("id", "questionnaire_id", "number", "status").order_by(
                        "-number"
                    ),
                )
            )
            .order_by("title", "id")
        )
        rows = []
        for questionnaire in questionnaires:
            versions = list(questionnaire.versions.all())
            published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
            rows.append((questionnaire, published, versions[0] if versions else None))
        return super().get_context_data(title="Questionnaires", rows=rows, **kwargs)


class QuestionnaireDetailView(_ManagerPage, TemplateView):
    request: PartnershipRequest  # as PartnershipView (TemplateView declares a plain HttpRequest)
    template_name = "core/questionnaires/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        questionnaire = get_object_or_404(Questionnaire.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        return super().get_context_data(
            title=questionnaire.title,
            questionnaire=questionnaire,
            versions=questionnaire.versions.select_related("published_by").order_by("-number"),
            can_change=self.can_change(questionnaire),
            breadcrumbs=[("Questionnaires", reverse("core:questionnaire-list"))],
            **kwargs,
        )


class VersionPreviewView(_ManagerPage, TemplateView):
    """The version as the people answering it will see it. Submitting checks the answers and shows the
    score they would make; nothing is stored."""

    request: PartnershipRequest  # as PartnershipView (TemplateView declares a plain HttpRequest)

    template_name = "core/questionnaires/preview.html"

    def get_version(self) -> QuestionnaireVersion:
        return get_object_or_404(
            QuestionnaireVersion.objects.visible_to(self.request.user).select_related("questionnaire"),
            pk=self.kwargs["pk"],
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        version = self.get_version()
        form = questionnaire_form(version, data=request.POST)
        context: dict[str, Any] = {"version": version, "form": form}
        if form.is_valid():
            context["checked"] = display_answers(version, form.answers, form.score)
            context["score"] = form.score
        return self.render_to_response(self.get_context_data(**context))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        version = kwargs.pop("version", None) or self.get_version()
        kwargs.setdefault("form", questionnaire_form(version))
        return super().get_context_data(
            title=f"Preview: {version.parsed.title}",
            version=version,
            breadcrumbs=[
                ("Questionnaires", reverse("core:questionnaire-list")),
                (version.questionnaire.title, reverse("core:questionnaire-detail", args=[version.questionnaire_id])),
            ],
            **kwargs,
        )


class VersionPublishView(PostOnlyView):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        version = get_object_or_404(QuestionnaireVersion.objects.visible_to(request.user), pk=pk)
        if not QuestionnaireVersion.objects.visible_to(request.user, "change").filter(pk=version.pk).exists():
            raise PermissionDenied
        if not user_can(request.user, "core.publish_questionnaireversion", version.questionnaire.partnership):
            raise PermissionDenied
        try:
            published = publish(version, by=request.user)
        except QuestionnaireError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                f"Version {published.number} is published. Answers already given to earlier versions keep their own questions.",
            )
        return redirect("core:questionnaire-detail", pk=version.questionnaire_id)


class ResponseDetailView(ScopedDetailView):
    """One stored response, read with the questions of the version it answered."""

    model = QuestionnaireResponse
    template_name = "core/questionnaires/response_detail.html"
    context_object_name = "response"

    def get_queryset(self) -> QuerySet[QuestionnaireResponse]:
        return (
            super()
            .get_queryset()
            .select_related("questionnaire_version__questionnaire", "submitted_by", "overridden_by")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        response: QuestionnaireResponse = self.object
        version = response.questionnaire_version
        score = None
        if response.score is not None:
            score = score_answers(version, response.answers)
        return super().get_context_data(
            title=str(version.questionnaire),
            version=version,
            answer_sections=display_answers(version, response.answers, score),
            scored=score is not None,
            score=score,
            **kwargs,
        )
