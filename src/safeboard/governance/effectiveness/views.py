"""The board self-assessment (members answer a ``core`` questionnaire once a year; the results are
compared year on year, small numbers hidden) and the chair's annual review (signed off by the
statutory partners through the one sign-off mechanism, ``governance/arrangements``).

Every query starts from ``visible_to``: out of sight is a 404, in sight but not allowed a 403.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from safeboard.core.http import PartnershipRequest
from safeboard.core.querysets import may, user_can
from safeboard.core.questionnaires.forms import questionnaire_form
from safeboard.core.questionnaires.models import QuestionnaireResponse
from safeboard.core.questionnaires.services import AnswersInvalid
from safeboard.core.services import ServiceError
from safeboard.core.suppression import hidden_note
from safeboard.core.views_base import (
    PartnershipView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedObjectView,
    ScopedUpdateView,
    WorkflowStepView,
)
from safeboard.governance.arrangements.models import SignOff, statutory_partner_in
from safeboard.governance.effectiveness import reports, services
from safeboard.governance.effectiveness.forms import ChairReviewForm, SelfAssessmentForm
from safeboard.governance.effectiveness.models import ChairReview, SelfAssessment
from safeboard.governance.oversight.reports import current_business_year

FORM_TEMPLATE = "core/form.html"


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Board business", reverse("governance:home")), *extra]


# --- The self-assessment ------------------------------------------------------------------------------------


class SelfAssessmentListView(PartnershipView, TemplateView):
    request: PartnershipRequest
    template_name = "governance/effectiveness/self_assessment_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, partnership = self.request.user, self.request.partnership
        if not user_can(user, "governance.view_selfassessment", partnership):
            raise PermissionDenied
        assessments = list(
            SelfAssessment.objects.visible_to(user, partnership=partnership)
            .in_partnership(partnership)
            .order_by("-business_year")[:50]
        )
        return super().get_context_data(
            title="Board self-assessment",
            assessments=assessments,
            can_add=user_can(user, "governance.add_selfassessment", partnership),
            breadcrumbs=_crumbs(),
            **kwargs,
        )


class SelfAssessmentCreateView(ScopedCreateView):
    object: SelfAssessment
    model = SelfAssessment
    form_class = SelfAssessmentForm
    template_name = FORM_TEMPLATE
    extra_context = {
        "title": "Start this year's self-assessment",
        "lede": "Every member of the board is asked the same questions once a year. The results are compared "
        "with earlier years.",
    }
    success_message = "The {object} has started. Members can now answer it."

    def get_initial(self) -> dict[str, Any]:
        return {"business_year": current_business_year(self.request.partnership)}

    def save_object(self, form: forms.BaseModelForm[Any]) -> SelfAssessment:
        data = form.cleaned_data
        return services.start_self_assessment(
            partnership=self.request.partnership, business_year=data["business_year"], answer_by=data["answer_by"]
        )

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class SelfAssessmentDetailView(ScopedDetailView):
    object: SelfAssessment
    model = SelfAssessment
    template_name = "governance/effectiveness/self_assessment_detail.html"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("questionnaire_version", "partnership")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, assessment = self.request.user, self.object
        compared = reports.compared_assessments(assessment, SelfAssessment.objects.visible_to(user))
        results = reports.results(compared, assessment.questionnaire_version.parsed)
        can_answer = may(user, "answer", assessment)
        answered = services.has_answered(assessment, user)
        is_open = assessment.answer_by >= timezone.localdate()
        context.update(
            title=str(assessment),
            results=results,
            hidden_note=hidden_note(),
            is_open=is_open,
            answered=answered,
            can_answer=can_answer and is_open and not answered,
            can_manage=may(user, "change", assessment),
            breadcrumbs=_crumbs(("Board self-assessment", reverse("governance:selfassessment-list"))),
        )
        if context["can_manage"]:
            # The business unit sees how many have answered (to chase), never who said what.
            context["answer_count"] = QuestionnaireResponse.objects.for_subject(assessment).count()
        return context


class SelfAssessmentAnswerView(ScopedObjectView):
    """A member answers the year's self-assessment, once, by its date."""

    request: PartnershipRequest
    model = SelfAssessment
    permission = "answer"
    select_related = ("questionnaire_version", "partnership")
    http_method_names = ["get", "post", "options"]

    def refuse_if_done(self) -> HttpResponse | None:
        assessment = self.object
        if services.has_answered(assessment, self.request.user):
            messages.info(self.request, "You have already answered this self-assessment. Thank you.")
        elif assessment.answer_by < timezone.localdate():
            messages.error(self.request, "This self-assessment has closed: the date to answer by has passed.")
        else:
            return None
        return HttpResponseRedirect(assessment.get_absolute_url())

    def page(self, form: Any) -> HttpResponse:
        assessment = self.object
        return TemplateResponse(
            self.request,
            "governance/effectiveness/self_assessment_answer.html",
            {
                "object": assessment,
                "form": form,
                "title": f"Answer the {assessment}",
                "breadcrumbs": _crumbs(
                    ("Board self-assessment", reverse("governance:selfassessment-list")),
                    (str(assessment), assessment.get_absolute_url()),
                ),
            },
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.refuse_if_done() or self.page(questionnaire_form(self.object.questionnaire_version))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        done = self.refuse_if_done()
        if done is not None:
            return done
        form = questionnaire_form(self.object.questionnaire_version, data=request.POST)
        if not form.is_valid():
            return self.page(form)
        try:
            services.answer_self_assessment(self.object, request.user, form.answers)
        except AnswersInvalid as invalid:
            for key, message in invalid.errors.items():
                form.add_error(key if key in form.fields else None, message)
            return self.page(form)
        except ServiceError as refusal:
            messages.error(request, refusal.message)
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(request, "Thank you: your answers have been saved.")
        return HttpResponseRedirect(self.object.get_absolute_url())


# --- The chair's annual review ------------------------------------------------------------------------------


class ChairReviewListView(PartnershipView, TemplateView):
    request: PartnershipRequest
    template_name = "governance/effectiveness/chair_review_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, partnership = self.request.user, self.request.partnership
        reviews = list(
            ChairReview.objects.visible_to(user, partnership=partnership)
            .in_partnership(partnership)
            .select_related("chair")
            .order_by("-business_year")[:50]
        )
        can_add = user_can(user, "governance.add_chairreview", partnership)
        if not (
            reviews
            or can_add
            or user_can(user, "governance.view_chairreview", partnership)
            or statutory_partner_in(user, partnership)
        ):
            raise PermissionDenied
        return super().get_context_data(
            title="Chair's annual review", reviews=reviews, can_add=can_add, breadcrumbs=_crumbs(), **kwargs
        )


class ChairReviewCreateView(ScopedCreateView):
    object: ChairReview
    model = ChairReview
    form_class = ChairReviewForm
    template_name = FORM_TEMPLATE
    extra_context = {
        "title": "Record the chair's annual review",
        "lede": "The statutory partners review the independent chair once a year. Once recorded, each of them "
        "signs the review off.",
    }
    success_message = "The {object} has been recorded. The statutory partners can now sign it off."

    def get_initial(self) -> dict[str, Any]:
        return {"business_year": current_business_year(self.request.partnership) - 1}

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class ChairReviewDetailView(ScopedDetailView):
    object: ChairReview
    model = ChairReview
    template_name = "governance/effectiveness/chair_review_detail.html"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("chair", "partnership")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, review = self.request.user, self.object
        from safeboard.governance.arrangements.views import sign_off_rows

        context.update(sign_off_rows(user, review, review.partnership))
        context.update(
            title=str(review),
            can_change=may(user, "change", review) and not SignOff.objects.about(review).exists(),
            breadcrumbs=_crumbs(("Chair's annual review", reverse("governance:chairreview-list"))),
        )
        return context


class ChairReviewUpdateView(ScopedUpdateView):
    """Changing the review is possible until the first statutory partner signs it off."""

    model = ChairReview
    form_class = ChairReviewForm
    template_name = FORM_TEMPLATE

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        review = super().get_object(queryset)
        if SignOff.objects.about(review).exists():
            raise PermissionDenied("This review has been signed off, so it can no longer be changed.")
        return review

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class ChairReviewSignOffView(WorkflowStepView):
    """A statutory partner signs off the chair's review (one button on the review's page)."""

    model = ChairReview
    http_method_names = ["post", "options"]
    success_message = "You have signed off the {object}."

    def perform(self, form: forms.BaseForm) -> SignOff:
        from safeboard.governance.arrangements.services import sign_off

        return sign_off(self.object, self.request.user)
