"""The review register, a review's page and its workflow steps, the clocks page, review types,
settings and the figures scrutiny may read.

Every query starts from ``visible_to``: out of sight is a 404, in sight but not allowed a 403.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from safeboard.core.concurrency import EditConflict
from safeboard.core.http import PartnershipRequest, signed_in
from safeboard.core.interests import InterestDeclaration
from safeboard.core.querysets import may, user_can
from safeboard.core.suppression import suppress
from safeboard.core.views_base import (
    PartnershipView,
    ScopedChildCreateView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    WorkflowStepView,
    list_results_context,
)
from safeboard.governance.arrangements.models import SignOff, StatutoryPosition
from safeboard.reviews import services
from safeboard.reviews.access import can_open_register
from safeboard.reviews.clocks import needing_attention, rapid_of, review_clocks, running, settings_by_partnership
from safeboard.reviews.filters import ReviewFilter
from safeboard.reviews.forms import (
    ChildForm,
    DecisionForm,
    DeclarationForm,
    NotifyForm,
    PanelResponseForm,
    PublicationForm,
    RapidReviewForm,
    ReviewCreateForm,
    ReviewForm,
    ReviewSettingsForm,
    ReviewTypeForm,
    SentForm,
    SignersForm,
    SummaryForm,
)
from safeboard.reviews.models import AgencySummary, Review, ReviewChild, ReviewType, settings_for
from safeboard.reviews.steps import review_next_step
from safeboard.reviews.tables import ReviewTable


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Case reviews", reverse("reviews:review-list")), *extra]


def _signers(subject: models.Model, partners: dict[str, Any]) -> list[dict[str, Any]]:
    """For each statutory partner: who signed, and whom they stood in for (a partner standing aside)."""
    signed = {s.position: s for s in SignOff.objects.about(subject).select_related("person")}
    rows = []
    for position in StatutoryPosition:
        partner = partners.get(position.value)
        sign = signed.get(position.value)
        stood_in_for = None
        if sign is not None and partner is not None and sign.person_id != partner.person_id:
            stood_in_for = partner.person
        rows.append({"position": position, "partner": partner, "sign": sign, "stood_in_for": stood_in_for})
    return rows


# --- The register ------------------------------------------------------------------------------------


class ReviewListView(ScopedListView):
    model = Review
    filterset_class = ReviewFilter
    table_class = ReviewTable
    ordering = ("-aware_on", "-id")
    select_related = ("review_type",)
    title = "Case reviews"
    empty_message = (
        "There are no reviews you can see. The review manager adds each case notified; statutory partners, "
        "members of a case review group and the agencies involved see the reviews they take part in."
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, partnership = self.request.user, self.request.partnership
        if user_can(user, "reviews.add_review", partnership):
            context.update(add_url=reverse("reviews:review-new"), add_label="Add a review")
        if user_can(user, "reviews.view_review_clocks", partnership):
            context.update(secondary_url=reverse("reviews:clock-list"), secondary_label="Clocks overdue or due soon")
        return context


class ReviewCreateView(ScopedCreateView):
    model = Review
    form_class = ReviewCreateForm
    template_name = "core/form.html"
    success_message = "{object} has been added to the register."
    extra_context = {
        "title": "Add a review",
        "lede": "Use case references only: no names anywhere in this module.",
        "breadcrumbs": None,
    }

    def get_initial(self) -> dict[str, Any]:
        return {"manager": self.request.user.pk}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs["breadcrumbs"] = _crumbs()
        return super().get_context_data(**kwargs)

    def save_object(self, form: Any) -> models.Model:
        review = super().save_object(form)
        assert isinstance(review, Review)
        data = form.cleaned_data
        services.add_child(
            review,
            case_reference=data["case_reference"],
            age_band=data["age_band"],
            sex=data["sex"],
            ethnicity=data["ethnicity"],
        )
        return review


class ReviewUpdateView(ScopedUpdateView):
    model = Review
    form_class = ReviewForm
    template_name = "core/form.html"


class ReviewDetailView(ScopedDetailView):
    model = Review
    template_name = "reviews/review_detail.html"

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().select_related("partnership", "review_type", "manager", "rapid_review")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, review = self.request.user, self.object
        rapid = rapid_of(review)
        can_change = may(user, "change", review)
        partners = services.partners_of(review.partnership_id)
        rapid_signers = _signers(rapid, partners) if rapid else []
        signed = sum(1 for row in rapid_signers if row["sign"])
        summaries = list(
            AgencySummary.objects.visible_to(user)
            .filter(review=review)
            .select_related("agency")
            .order_by("agency__name")
        )
        agencies = list(review.agencies.order_by("name"))
        written = {s.agency_id for s in summaries}
        own_agency_missing = user_can(user, "reviews.add_agencysummary", review.partnership) and any(
            a.pk not in written and (can_change or a.pk == user.agency_id) for a in agencies
        )
        context.update(
            title=str(review),
            children=list(ReviewChild.objects.visible_to(user).filter(review=review).order_by("id")),
            agencies=agencies,
            rapid=rapid,
            rapid_signers=rapid_signers,
            decision_signers=_signers(review, partners) if review.decision else [],
            stood_aside=list(review.stood_aside.order_by("full_name")) if review.decision else [],
            summaries=summaries,
            can_add_summary=own_agency_missing,
            declarations=list(
                InterestDeclaration.objects.about(review).select_related("person").order_by("declared_at")
            ),
            clocks=review_clocks(
                review, rapid, settings_for(review.partnership), timezone.localdate(), review.partnership
            ),
            can_change=can_change,
            next_step=review_next_step(review, rapid, signed, can_change),
            breadcrumbs=_crumbs(),
        )
        return context


class ReviewChildCreateView(ScopedChildCreateView):
    """A record added under a review: the page names the review."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"{self.title}: {self.parent}")
        kwargs.setdefault("breadcrumbs", _crumbs((str(self.parent), self.parent.get_absolute_url())))
        return super().get_context_data(**kwargs)


class ChildCreateView(ReviewChildCreateView):
    model = ReviewChild
    form_class = ChildForm
    parent_model = Review
    parent_field = "review"
    permissions = ("reviews.change_review",)
    title = "Add a child to the review"
    lede = "A case reference and broad characteristics only: never a name."
    success_message = "{object} has been added."

    def allowed(self) -> bool:
        return may(self.request.user, "change", self.parent)

    def save_object(self, form: forms.BaseForm) -> models.Model:
        data = form.cleaned_data
        return services.add_child(
            self.parent,
            case_reference=data["case_reference"],
            age_band=data["age_band"],
            sex=data["sex"],
            ethnicity=data["ethnicity"],
        )


class SummaryCreateView(ReviewChildCreateView):
    """An agency's summary for the rapid review: the review manager for any involved agency, an agency's
    lead for their own."""

    model = AgencySummary
    form_class = SummaryForm
    parent_model = Review
    parent_field = "review"
    title = "Add an agency's summary"
    lede = "What the agency knew and did, and the safety actions it took at once. Case references only."
    success_message = "{object} has been added."

    def save_object(self, form: forms.BaseForm) -> models.Model:
        assert isinstance(form, SummaryForm)
        return services.save_summary(form.instance)


# --- Workflow steps ----------------------------------------------------------------------------------


class ReviewStepView(WorkflowStepView):
    model = Review
    permission = "change"
    select_related = ("partnership",)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"{self.title}: {self.object}")
        kwargs.setdefault("breadcrumbs", _crumbs((str(self.object), self.object.get_absolute_url())))
        return super().get_context_data(**kwargs)


class NotifyView(ReviewStepView):
    form_class = NotifyForm
    title = "Record the notification"
    lede = "The day the Panel, Ofsted and the DfE were notified. It stops the statutory clock."
    success_message = "The notification has been recorded."

    def get_initial(self) -> dict[str, Any]:
        return {"notified_on": timezone.localdate()}

    def perform(self, form: forms.BaseForm) -> Any:
        return services.record_notification(self.object, form.cleaned_data["notified_on"])


class RapidReviewView(ReviewStepView):
    form_class = RapidReviewForm
    title = "Record the rapid review"
    lede = "The recommendation the three statutory partners will sign off, and the reasons for it."
    success_message = "The rapid review has been recorded."

    def get_initial(self) -> dict[str, Any]:
        rapid = rapid_of(self.object)
        return {"recommendation": rapid.recommendation, "rationale": rapid.rationale} if rapid else {}

    def perform(self, form: forms.BaseForm) -> Any:
        data = form.cleaned_data
        return services.record_rapid_review(
            self.object, recommendation=data["recommendation"], rationale=data["rationale"]
        )


class RapidSignOffView(ReviewStepView):
    form_class = SignersForm
    title = "Record the partners' sign-off of the rapid review"
    lede = (
        "Each statutory partner signs for their organisation. A partner who declared an interest in this "
        "review stands aside: choose who signs in their place."
    )
    success_message = "The partners' sign-off has been recorded."

    def perform(self, form: forms.BaseForm) -> Any:
        return services.sign_off_rapid_review(self.object, form.cleaned_data)


class RapidSendView(ReviewStepView):
    form_class = SentForm
    title = "Record the date sent to the Panel"
    success_message = "The date the rapid review was sent has been recorded."

    def get_initial(self) -> dict[str, Any]:
        return {"sent_on": timezone.localdate()}

    def perform(self, form: forms.BaseForm) -> Any:
        return services.send_to_panel(self.object, form.cleaned_data["sent_on"])


class PanelResponseView(ReviewStepView):
    form_class = PanelResponseForm
    title = "Record the Panel's response"
    success_message = "The Panel's response has been recorded."

    def perform(self, form: forms.BaseForm) -> Any:
        data = form.cleaned_data
        return services.record_panel_response(
            self.object, response=data["response"], responded_on=data["responded_on"], comment=data["comment"]
        )


class DecideView(ReviewStepView):
    form_class = DecisionForm
    title = "Record the partners' decision"
    lede = (
        "The three statutory partners decide whether to carry out a local review. A partner who declared an "
        "interest stands aside: choose who decides in their place."
    )
    success_message = "The decision has been recorded."

    def perform(self, form: forms.BaseForm) -> Any:
        data = form.cleaned_data
        return services.decide(
            self.object,
            decision=data["decision"],
            decided_on=data["decided_on"],
            rationale=data["rationale"],
            signers=data,
        )


class DeclareView(ReviewStepView):
    form_class = DeclarationForm
    title = "Record a declaration of interest"
    lede = (
        "It goes into the partnership's register of interests. Someone who stands aside takes no part in the decisions."
    )
    success_message = "The declaration has been recorded."

    def perform(self, form: forms.BaseForm) -> Any:
        data = form.cleaned_data
        return services.declare_interest(
            self.object,
            person=data["person"],
            description=data["description"],
            stands_aside=data["stands_aside"],
            recorded_by=self.request.user,
        )


class PublicationView(ReviewStepView):
    form_class = PublicationForm
    title = "Record the publication dates"
    lede = (
        "The clocks count from these: the final report goes to the Panel and the Secretary of State before publication."
    )
    success_message = "The publication dates have been recorded."

    def get_initial(self) -> dict[str, Any]:
        review = self.object
        return {
            "planned_on": review.publication_planned_on,
            "report_sent_on": review.final_report_sent_on,
            "published_on": review.published_on,
        }

    def perform(self, form: forms.BaseForm) -> Any:
        data = form.cleaned_data
        return services.record_publication_dates(
            self.object,
            planned_on=data["planned_on"],
            report_sent_on=data["report_sent_on"],
            published_on=data["published_on"],
        )


# --- The clocks page ---------------------------------------------------------------------------------


class ClockListView(PartnershipView, TemplateView):
    """Every clock overdue or due within two working days, most urgent first. Three queries."""

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    template_name = "reviews/clock_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, partnership = self.request.user, self.request.partnership
        if not user_can(user, "reviews.view_review_clocks", partnership):
            raise PermissionDenied
        reviews = list(
            running(Review.objects.visible_to(user, partnership=partnership).in_partnership(partnership))
            .select_related("partnership", "rapid_review", "manager")
            .order_by("aware_on", "id")
        )
        found = needing_attention(reviews, settings_by_partnership({partnership.pk}), timezone.localdate())
        return super().get_context_data(
            title="Review clocks overdue or due soon",
            found=found,
            breadcrumbs=_crumbs(),
            **kwargs,
        )


# --- Types, settings and figures ---------------------------------------------------------------------


class ReviewTypeListView(PartnershipView, TemplateView):
    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    template_name = "reviews/type_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, partnership = self.request.user, self.request.partnership
        if not user_can(user, "reviews.view_reviewtype", partnership):
            raise PermissionDenied
        types = (
            ReviewType.objects.visible_to(user, partnership=partnership)
            .in_partnership(partnership)
            .order_by("position", "name", "id")
        )
        return super().get_context_data(
            title="Types of review",
            types=list(types),
            can_add=user_can(user, "reviews.add_reviewtype", partnership),
            breadcrumbs=_crumbs(),
            **list_results_context(types, ReviewType, {}, names=("type of review", "types of review")),
            **kwargs,
        )


class ReviewTypeCreateView(ScopedCreateView):
    model = ReviewType
    form_class = ReviewTypeForm
    template_name = "core/form.html"
    extra_context = {"title": "Add a type of review"}


class ReviewTypeUpdateView(ScopedUpdateView):
    model = ReviewType
    form_class = ReviewTypeForm
    template_name = "core/form.html"


class ReviewSettingsView(PartnershipView, FormView[Any]):
    """The partnership's clock settings (the review manager)."""

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    template_name = "core/form.html"
    form_class = ReviewSettingsForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if signed_in(request) and request.partnership is not None:
            if not user_can(request.user, "reviews.change_reviewsettings", request.partnership):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": settings_for(self.request.partnership)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", "Review clock settings")
        kwargs.setdefault("lede", "When the rapid review's clock starts, and the notice the final report needs.")
        kwargs.setdefault("breadcrumbs", _crumbs())
        return super().get_context_data(**kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            form.instance.partnership = self.request.partnership
            form.save_checked()
        except EditConflict:
            form.add_error(None, "Someone else changed these settings while you were editing. Check and save again.")
            return self.form_invalid(form)
        messages.success(self.request, "The settings have been saved.")
        return HttpResponseRedirect(reverse("reviews:review-list"))


class ReviewFiguresView(PartnershipView, TemplateView):
    """Reviews by year and type, small numbers suppressed: all scrutiny may read of this module."""

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    template_name = "reviews/figures.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, partnership = self.request.user, self.request.partnership
        if not user_can(user, "reviews.count_review", partnership):
            raise PermissionDenied
        counts = (
            Review.objects.visible_to(user, "count", partnership=partnership)
            .in_partnership(partnership)
            .values_list("aware_on__year", "review_type__name")
            .annotate(n=models.Count("id"))
            .order_by()
        )
        table: dict[int, dict[str, int]] = {}
        names: set[str] = set()
        for year, name, n in counts:
            table.setdefault(year, {})[name] = n
            names.add(name)
        years = sorted(table)
        columns = sorted(names)
        suppressed = suppress([[table[y].get(c, 0) for c in columns] for y in years]) if years and columns else None
        return super().get_context_data(
            title="Case review figures",
            years=years,
            columns=columns,
            suppressed=suppressed,
            rows=list(zip(years, suppressed.cells, suppressed.row_totals, strict=True)) if suppressed else [],
            breadcrumbs=_crumbs() if can_open_register(user, partnership) else None,
            **kwargs,
        )
