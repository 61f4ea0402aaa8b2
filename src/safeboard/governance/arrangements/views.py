"""The partnership's documents (arrangements, terms of reference) with their versions, changes,
review dates and sign-off by the statutory partners; the business plan's sign-off; seat criteria
and every member's induction.

Every query starts from ``visible_to``: out of sight is a 404, in sight but not allowed a 403.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from safeboard.core.http import PartnershipRequest, signed_in
from safeboard.core.querysets import may, user_can
from safeboard.core.services import ServiceError
from safeboard.core.views_base import (
    PartnershipView,
    ScopedChildCreateView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedObjectView,
    WorkflowStepView,
    add_refusal,
    safe_next_url,
)
from safeboard.governance.arrangements import services
from safeboard.governance.arrangements.forms import (
    DocumentForm,
    SeatCriteriaForm,
    StatutoryPartnersForm,
    StepDoneForm,
    VersionForm,
)
from safeboard.governance.arrangements.models import (
    DocumentVersion,
    InductionStep,
    PartnershipDocument,
    SeatCriteria,
    SignOff,
    StatutoryPartner,
    StatutoryPosition,
)
from safeboard.governance.meetings.models import GroupMember
from safeboard.governance.oversight.models import Budget, BusinessPlan


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Board business", reverse("governance:home")), *extra]


def sign_off_rows(user: Any, subject: models.Model, partnership: Any) -> dict[str, Any]:
    """For a page showing a record to be signed off: each statutory partner, who they are, and whether
    and when they signed; and whether the person looking is one of them and has yet to sign."""
    partners = {
        p.position: p for p in StatutoryPartner.objects.filter(partnership=partnership).select_related("person")
    }
    signed = {s.position: s for s in SignOff.objects.about(subject).select_related("person")}
    rows = [(position, partners.get(position.value), signed.get(position.value)) for position in StatutoryPosition]
    mine = next((p for p in partners.values() if p.person_id == user.pk), None)
    return {
        "sign_off_rows": rows,
        "can_sign": mine is not None and mine.position not in signed,
        "fully_signed": len(signed) == len(StatutoryPosition),
    }


# --- Documents ----------------------------------------------------------------------------------------------


class DocumentListView(PartnershipView, TemplateView):
    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    template_name = "governance/arrangements/document_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, partnership = self.request.user, self.request.partnership
        if not user_can(user, "governance.view_partnershipdocument", partnership):
            raise PermissionDenied
        today = timezone.localdate()
        documents = list(
            PartnershipDocument.objects.visible_to(user, partnership=partnership)
            .filter(partnership=partnership)
            .select_related("group", "owner")
            .prefetch_related(models.Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number")))
            .order_by("kind", "title", "id")
        )
        rows = []
        for document in documents:
            versions = list(document.versions.all())
            current = next((v for v in versions if not v.is_draft), None)
            draft = next((v for v in versions if v.is_draft), None)
            rows.append((document, current, draft, bool(current and current.review_by < today)))
        return super().get_context_data(
            title="Arrangements and terms of reference",
            rows=rows,
            partners=list(
                StatutoryPartner.objects.visible_to(user, partnership=partnership)
                .filter(partnership=partnership)
                .select_related("person")
            ),
            can_add=user_can(user, "governance.add_partnershipdocument", partnership),
            can_name_partners=user_can(user, "governance.add_statutorypartner", partnership),
            breadcrumbs=_crumbs(),
            **kwargs,
        )


class DocumentCreateView(ScopedCreateView):
    model = PartnershipDocument
    form_class = DocumentForm
    template_name = "core/form.html"
    extra_context = {"title": "Add a document", "lede": "Then add its first version, with the date to review it by."}


class DocumentDetailView(ScopedDetailView):
    model = PartnershipDocument
    template_name = "governance/arrangements/document_detail.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("partnership", "group", "owner")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, document = self.request.user, self.object
        versions = list(DocumentVersion.objects.visible_to(user).filter(document=document).order_by("-number"))
        chosen = versions[0] if versions else None
        wanted = self.request.GET.get("version", "")
        if wanted.isdigit():
            chosen = next((v for v in versions if v.number == int(wanted)), chosen)
        previous = next((v for v in versions if chosen and v.number < chosen.number), None)
        context.update(
            title=document.title,
            versions=versions,
            chosen=chosen,
            previous=previous,
            changes=services.changes_between(previous, chosen) if chosen else [],
            can_add_version=user_can(user, "governance.add_documentversion", document.partnership),
            can_publish=chosen is not None and chosen.is_draft and may(user, "change", chosen),
            today=timezone.localdate(),
            breadcrumbs=_crumbs(("Arrangements and terms of reference", reverse("governance:document-list"))),
        )
        if chosen is not None and document.needs_sign_off:
            context.update(sign_off_rows(user, chosen, document.partnership))
            context["can_sign"] = context["can_sign"] and chosen.is_draft
        return context


class VersionCreateView(ScopedChildCreateView):
    form_class = VersionForm
    parent_model = PartnershipDocument
    parent_select_related = ("partnership",)
    permissions = ("governance.add_documentversion",)

    def get_initial(self) -> dict[str, Any]:
        current = self.parent.versions.order_by("-number").first()
        return {"text": current.text} if current else {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"New version of {self.parent}")
        kwargs.setdefault("lede", "Start from the current text and change what needs changing.")
        return super().get_context_data(**kwargs)

    def save_object(self, form: forms.BaseForm) -> DocumentVersion:
        data = form.cleaned_data
        return services.add_version(
            document=self.parent, text=data["text"], changes=data["changes"], review_by=data["review_by"]
        )

    def get_success_message(self) -> str:
        need = " The statutory partners can now sign it off." if self.parent.needs_sign_off else ""
        return f"Version {self.object.number} has been saved as a draft.{need}"

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class VersionSignOffView(WorkflowStepView):
    """A statutory partner signs off a draft version (one button on the document's page)."""

    model = DocumentVersion
    select_related = ("document__partnership",)
    http_method_names = ["post", "options"]
    success_message = "You have signed off this version."

    def perform(self, form: forms.BaseForm) -> SignOff:
        return services.sign_off(self.object, self.request.user)


class VersionPublishView(WorkflowStepView):
    model = DocumentVersion
    permission = "change"
    select_related = ("document__partnership",)
    http_method_names = ["post", "options"]
    success_message = "Version {object.number} has been published."

    def perform(self, form: forms.BaseForm) -> DocumentVersion:
        return services.publish_version(self.object)


class PlanSignOffView(WorkflowStepView):
    """A statutory partner signs off the business plan (one button on the plan's page)."""

    model = BusinessPlan
    http_method_names = ["post", "options"]
    success_message = "You have signed off the business plan."

    def perform(self, form: forms.BaseForm) -> SignOff:
        return services.sign_off(self.object, self.request.user)


class BudgetSignOffView(WorkflowStepView):
    """A statutory partner signs off a year's budget (one button on the budget's page)."""

    model = Budget
    http_method_names = ["post", "options"]
    success_message = "You have signed off the {object}."

    def perform(self, form: forms.BaseForm) -> SignOff:
        return services.sign_off(self.object, self.request.user)


class StatutoryPartnersView(PartnershipView, FormView):
    """The business unit names the person who signs for each statutory partner."""

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    template_name = "core/form.html"
    form_class = StatutoryPartnersForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if signed_in(request) and request.partnership is not None:
            if not user_can(request.user, "governance.add_statutorypartner", request.partnership):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "partnership": self.request.partnership, "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {p.position: p.person_id for p in StatutoryPartner.objects.filter(partnership=self.request.partnership)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", "The statutory partners")
        kwargs.setdefault(
            "lede", "One person signs for each: the arrangements, the business plan, the budget and the annual report."
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                for position in StatutoryPosition:
                    person = form.cleaned_data.get(position.value)
                    if person is not None:
                        services.set_statutory_partner(
                            partnership=self.request.partnership, position=position.value, person=person
                        )
        except ServiceError as refusal:
            add_refusal(form, refusal)
            return self.form_invalid(form)
        messages.success(self.request, "The statutory partners have been saved.")
        return HttpResponseRedirect(reverse("governance:document-list"))


# --- Seat criteria and induction ----------------------------------------------------------------------------


class SeatCriteriaView(ScopedObjectView, FormView):
    """What a seat asks of whoever holds it (the business unit writes it; meeting readers read it on the group)."""

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    model = GroupMember
    permission = "change"
    select_related = ("group__partnership", "person")
    template_name = "core/form.html"
    form_class = SeatCriteriaForm

    def get_form_kwargs(self) -> dict[str, Any]:
        existing = SeatCriteria.objects.filter(member=self.object).first()
        return {**super().get_form_kwargs(), "instance": existing or SeatCriteria(member=self.object)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Criteria for the seat of {self.object.person} on {self.object.group}")
        kwargs.setdefault("object", self.object.group)
        return super().get_context_data(**kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        from safeboard.core.concurrency import EditConflict

        try:
            form.save_checked()
        except EditConflict:
            form.add_error(None, "Someone else changed these criteria while you were editing. Check and save again.")
            return self.form_invalid(form)
        messages.success(self.request, "The seat's criteria have been saved.")
        return HttpResponseRedirect(self.object.group.get_absolute_url())


class InductionView(ScopedObjectView, TemplateView):
    """A member's induction steps: the member reads their own, the business unit records each step."""

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    model = InductionStep
    template_name = "governance/arrangements/induction.html"

    def get_object(self) -> Any:
        # The steps decide: the member sees their own, the business unit everyone's; otherwise 404.
        steps = list(
            InductionStep.objects.visible_to(self.request.user)
            .filter(member_id=self.kwargs["pk"])
            .select_related("member__group__partnership", "member__person")
            .order_by("due_on", "id")
        )
        if not steps:
            raise Http404("No induction in sight")
        self.steps = steps
        return steps[0].member

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        seat = self.object
        today = timezone.localdate()
        for step in self.steps:
            step.overdue = step.is_overdue(today)  # type: ignore[attr-defined]
        return super().get_context_data(
            title=f"Induction: {seat.person}",
            seat=seat,
            steps=self.steps,
            can_record=may(self.request.user, "change", self.steps[0]),
            breadcrumbs=_crumbs((seat.group.name, seat.group.get_absolute_url())),
            **kwargs,
        )


class StepDoneView(WorkflowStepView):
    model = InductionStep
    permission = "change"
    select_related = ("member",)
    http_method_names = ["post", "options"]
    form_class = StepDoneForm
    success_message = "‘{object}’ has been marked as done."

    def perform(self, form: forms.BaseForm) -> InductionStep:
        return services.complete_step(self.object, form.cleaned_data.get("done_on"))

    def get_success_url(self) -> str:
        return safe_next_url(self.request, reverse("governance:member-induction", args=[self.object.member_id]))
