"""The partnership action log: list, exports, detail, create and edit, the workflow steps (progress,
evidence, review, close, cancel, reopen) and the quarterly monitoring report.

Every page starts from ``Action.objects.visible_to``: an action out of sight is a 404; one in sight
that the person may not change is a 403. State changes go through ``actions.services``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from safeboard.actions import services
from safeboard.actions.filters import ActionFilter, source_type_label
from safeboard.actions.forms import ActionForm, EvidenceForm, ProgressUpdateForm, ReasonForm, ReviewForm
from safeboard.actions.models import (
    RAG,
    Action,
    ActionEvidence,
    ActionQuerySet,
    ActionStatus,
    ActionUpdate,
    EvidenceReview,
)
from safeboard.actions.reports import parse_quarter, quarter_choices, quarter_containing, quarterly_report
from safeboard.actions.steps import action_next_step
from safeboard.actions.tables import ActionTable
from safeboard.core.audit import AccessAction, record_access
from safeboard.core.exports import Column, ExportInfo, applied_filters, csv_response, xlsx_bytes, xlsx_response
from safeboard.core.forms import GovukForm, form_field
from safeboard.core.http import PartnershipRequest
from safeboard.core.ids import parse_id
from safeboard.core.pdf import pdf_response, render_pdf
from safeboard.core.querysets import ScopedQuerySet, may, user_can
from safeboard.core.views_base import (
    FileDownloadView,
    PartnershipView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    WorkflowStepView,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from safeboard.accounts.models import User


class _ExportFields(TypedDict):
    """What ``with_export_fields`` adds to each action of an export (after ``with_rag``'s ``rag``)."""

    latest_update_text: str | None
    latest_update_at: datetime | None
    latest_evidence_review: str | None
    evidence_count: int
    evidence_accepted: int


if TYPE_CHECKING:
    ExportedAction = WithAnnotations[Action, _ExportFields]

# --- The log and its exports ---------------------------------------------------------------------------------


class ActionLogMixin(ScopedListView):
    """The current partnership's actions the person may see, with RAG, filtered as the list is."""

    model = Action
    filterset_class = ActionFilter
    filters_applied: list[tuple[str, str]] = []
    ordering = ("due_date", "id")
    select_related = ("owner", "agency", "source_type")

    def base_queryset(self) -> ActionQuerySet:
        queryset = super().base_queryset()
        assert isinstance(queryset, ActionQuerySet)  # Action.objects
        return queryset.with_rag(self.request.partnership.action_amber_days)

    def filtered_queryset(self) -> models.QuerySet[Action]:
        """The log as filtered; ``filters_applied`` then says, in words, which filters were used (none
        when they were not valid, as the list ignores them then too)."""
        queryset: models.QuerySet[Action] = self.base_queryset()
        filterset = ActionFilter(self.request.GET, queryset=queryset, request=self.request)
        self.filters_applied = applied_filters(filterset)
        if filterset.is_valid():
            queryset = filterset.qs
        return queryset.order_by(*self.ordering)


class ActionListView(ActionLogMixin, ScopedListView):
    table_class = ActionTable
    template_name = "actions/action_list.html"
    title = "Action log"
    empty_message = (
        "No live actions. Actions agreed at meetings, or added to the log, appear here. "
        "To see closed and cancelled actions, choose ‘Any status’ under Status and apply the filters."
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if user_can(self.request.user, "actions.add_action", self.request.partnership):
            context.update(add_url=reverse("actions:action-new"), add_label="Add an action")
        context["report_url"] = reverse("actions:quarterly-report")
        return context

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["actions/includes/action_results.html"]
        return [self.template_name]


def _evidence_status(action: ExportedAction) -> str:
    """The state of an action's evidence in words, from the counts annotated by ``with_export_fields``."""
    if not action.evidence_count:
        return "None added"
    if action.evidence_accepted:
        return "Accepted"
    labels: dict[str | None, str] = dict(EvidenceReview.choices)
    return labels.get(action.latest_evidence_review, "")


def came_from(action: Action) -> str:
    """The record an action came from, as the log stores it: the richest label there is without
    fetching the record (a meeting's item names its meeting; ``source_label`` in ``create_action``)."""
    if action.source_label:
        return action.source_label
    return source_type_label(ContentType.objects.get_for_id(action.source_type_id)) if action.source_type_id else ""


EXPORT_COLUMNS = (
    Column("Reference", lambda a: a.reference),
    Column("Title", lambda a: a.title),
    Column(
        "Came from (type)",
        lambda a: source_type_label(ContentType.objects.get_for_id(a.source_type_id)) if a.source_type_id else "",
    ),
    Column("Came from", came_from),
    Column("Owner", lambda a: a.owner.full_name),
    Column("Agency", lambda a: a.agency.name),
    Column("Due date", lambda a: a.due_date, kind="date"),
    Column("Priority", lambda a: a.get_priority_display()),
    Column("Status", lambda a: a.get_status_display()),
    Column("RAG rating", lambda a: dict(RAG.choices).get(a.rag, a.rag)),
    Column("Theme", lambda a: a.theme),
    Column("Latest progress update", lambda a: a.latest_update_text or "", width=60),
    Column("Progress updated on", lambda a: a.latest_update_at, kind="datetime"),
    Column("Evidence", _evidence_status),
)


def with_export_fields(actions: models.QuerySet[Action]) -> models.QuerySet[ExportedAction]:
    """The latest progress update and the evidence's state, as sub-queries of the one query."""
    updates = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-written_at", "-id")
    evidence = ActionEvidence.objects.filter(action=OuterRef("pk")).order_by()

    def evidence_count(**conditions: Any) -> Coalesce:
        counted = evidence.filter(**conditions).values("action").annotate(n=Count("id")).values("n")
        return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)

    return actions.annotate(
        latest_update_text=Subquery(updates.values("text")[:1]),
        latest_update_at=Subquery(updates.values("written_at")[:1]),
        latest_evidence_review=Subquery(evidence.order_by("-added_at", "-id").values("review")[:1]),
        evidence_count=evidence_count(),
        evidence_accepted=evidence_count(review=EvidenceReview.ACCEPTED),
    )


class ActionExportView(ActionLogMixin, ScopedListView):
    """Every row of the filtered log (all pages), in the columns above; written to the access log."""

    def export_queryset(self) -> models.QuerySet[ExportedAction]:
        return with_export_fields(self.filtered_queryset())  # checks the permission before any work starts


class ActionExportCSVView(ActionExportView):
    # A streamed download, where TemplateView's stub allows only an HttpResponse.
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> StreamingHttpResponse:  # type: ignore[override]
        request = self.request
        actions = self.export_queryset()
        count = actions.count()
        record_access(request.partnership, AccessAction.EXPORT, detail=f"actions CSV, {count} rows")
        return csv_response(actions.iterator(chunk_size=500), EXPORT_COLUMNS, _export_name(request))


class ActionExportXLSXView(ActionExportView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request = self.request
        actions = self.export_queryset()
        info = ExportInfo.for_request(request, f"Action log of {request.partnership.name}", self.filters_applied)
        content, count = xlsx_bytes(actions.iterator(chunk_size=500), EXPORT_COLUMNS, info, sheet_title="Actions")
        record_access(request.partnership, AccessAction.EXPORT, detail=f"actions XLSX, {count} rows")
        return xlsx_response(content, _export_name(request))


def _export_name(request: PartnershipRequest) -> str:
    return f"actions-{request.partnership.slug}-{timezone.localdate():%Y-%m-%d}"


# --- One action ------------------------------------------------------------------------------------------------


def _may(user: User, action: Action, what: str) -> bool:
    return Action.objects.visible_to(user, what).filter(pk=action.pk).exists()


def visible_source(action: Action, user: User) -> tuple[str, str | None] | None:
    """The record the action came from as (label, link): the link only when the person may see it."""
    if not action.source_type_id:
        return None
    content_type = ContentType.objects.get_for_id(action.source_type_id)
    model = content_type.model_class()
    label = action.source_label or source_type_label(content_type)
    manager = getattr(model, "objects", None) if model else None
    if manager is None or not hasattr(manager, "visible_to"):
        return label, None
    try:
        record = manager.visible_to(user).filter(pk=action.source_id).first()
    except (ValueError, ValidationError):
        record = None
    url = None
    if record is not None and hasattr(record, "get_absolute_url"):
        try:
            url = record.get_absolute_url()
        except Exception:  # noqa: BLE001  a source without a page of its own
            url = None
    return label, url


class ActionDetailView(ScopedDetailView):
    object: Action
    model = Action
    template_name = "actions/action_detail.html"

    def get_queryset(self) -> models.QuerySet[Action]:
        return (
            super()
            .get_queryset()
            .select_related("owner", "agency", "partnership", "created_by", "closed_by", "source_type")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        action, user = self.object, self.request.user
        is_owner = action.owner_id == user.pk
        may_close = _may(user, action, "close")
        evidence = list(
            ActionEvidence.objects.visible_to(user).filter(action=action).select_related("added_by", "reviewed_by")
        )
        can_update = action.is_live and _may(user, action, "update")
        can_change = action.is_live and _may(user, action, "change")
        context.update(
            title=str(action),
            rag=action.rag_status(),
            source=visible_source(action, user),
            updates=ActionUpdate.objects.visible_to(user).filter(action=action).select_related("author"),
            evidence=evidence,
            next_step=action_next_step(
                action,
                user,
                evidence,
                can_update=can_update,
                can_change=can_change,
                may_close=may_close,
                can_close_now=action.is_live
                and may_close
                and not is_owner
                and services.has_independently_accepted_evidence(action),
            ),
            measures=list(action.measures.all()) if hasattr(action, "measures") else [],
            can_change=can_change,
            can_update=can_update,
            can_review=action.is_live and may_close and not is_owner,
            can_close=action.is_live and may_close and not is_owner,
            can_reopen=not action.is_live and may_close,
            is_owner=is_owner,
            pending=EvidenceReview.PENDING,
            breadcrumbs=[("Action log", reverse("actions:action-list"))],
        )
        return context


class SourceMixin:
    """``?source_type=<app_label.model>&source_id=<id>``: the record a new action comes from.

    The record must exist, be visible to the person (its model's ``visible_to``) and sit in the
    current partnership; anything else is a 404.
    """

    request: PartnershipRequest
    _source: models.Model | None

    def get_source(self) -> models.Model | None:
        if hasattr(self, "_source"):
            return self._source
        kind, pk = self.request.GET.get("source_type", ""), self.request.GET.get("source_id", "")
        source = None
        if kind or pk:
            app_label, _, model_name = kind.partition(".")
            try:
                model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
            except ContentType.DoesNotExist:
                raise Http404("No such record") from None
            records = model._default_manager.all() if model is not None else None
            if not isinstance(records, ScopedQuerySet):
                raise Http404("No such record")
            source_id = parse_id(pk)
            source = None if source_id is None else records.visible_to(self.request.user).filter(pk=source_id).first()
            if source is None:
                raise Http404("No such record")
            partnership_id = getattr(source, "partnership_id", None)
            if partnership_id is not None and partnership_id != self.request.partnership.pk:
                raise Http404("No such record")
        self._source = source
        return source


def _warn_if_past(request: HttpRequest, action: Action) -> None:
    if action.is_live and action.due_date < timezone.localdate():
        messages.warning(request, f"The due date of {action.reference} ({action.due_date:%-d %B %Y}) has passed.")


class ActionCreateView(SourceMixin, ScopedCreateView):
    request: PartnershipRequest  # as both bases
    model = Action
    form_class = ActionForm
    template_name = "actions/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "partnership": self.request.partnership, "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        source = self.get_source()
        source_url = getattr(source, "get_absolute_url", None)
        kwargs.update(
            title="Add an action",
            lede=f"From: {source}" if source is not None else "",
            cancel_url=(source_url() if source_url is not None else None) or reverse("actions:action-list"),
        )
        return super().get_context_data(**kwargs)

    def save_object(self, form: forms.BaseForm) -> Action:
        data = form.cleaned_data
        return services.create_action(
            partnership=self.request.partnership,
            title=data["title"],
            detail=data["detail"],
            owner=data["owner"],
            agency=data["agency"],
            due_date=data["due_date"],
            priority=data["priority"],
            theme=data["theme"],
            created_by=self.request.user,
            source=self.get_source(),
        )

    def form_valid(self, form: ActionForm) -> HttpResponse:
        response = super().form_valid(form)
        if response.status_code == 302 and isinstance(self.object, Action):
            _warn_if_past(self.request, self.object)
        return response


class ActionEditView(ScopedUpdateView):
    object: Action
    model = Action
    form_class = ActionForm
    template_name = "actions/form.html"

    def get_object(self, queryset: models.QuerySet[Any] | None = None) -> Action:
        action = super().get_object(queryset)
        assert isinstance(action, Action)  # Action.objects
        if not action.is_live:
            raise PermissionDenied("This action is closed or cancelled, so it can no longer be changed.")
        return action

    def extra_form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.object.partnership, "user": self.request.user}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), **self.extra_form_kwargs()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("cancel_url", self.object.get_absolute_url())
        return super().get_context_data(**kwargs)

    def form_valid(self, form: ActionForm) -> HttpResponse:
        response = super().form_valid(form)
        if response.status_code == 302:
            _warn_if_past(self.request, self.object)
        return response

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


# --- Workflow steps --------------------------------------------------------------------------------------------


class ActionStepView(WorkflowStepView):
    """A step on one action (``core.views_base.WorkflowStepView``): 404 when the action is out of
    sight, 403 without ``permission`` on it or, when ``needs_live``, once it is closed or cancelled.
    The service's refusal (``ServiceError``) goes on the form."""

    object: Action
    model = Action
    template_name = "actions/form.html"
    permission = "update"
    select_related = ("owner", "agency", "partnership")
    needs_live = True

    def check_object(self, action: Action) -> None:
        if self.needs_live and not action.is_live:
            raise PermissionDenied(f"This action is {action.get_status_display().lower()}; it is read-only.")

    def get_action(self) -> Action:
        return self.object

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        action = self.get_action()
        kwargs.setdefault("caption", str(action))
        kwargs.setdefault("cancel_url", action.get_absolute_url())
        kwargs.setdefault("action", action)
        return super().get_context_data(**kwargs)

    def message_context(self, result: Any) -> dict[str, Any]:
        return {**super().message_context(result), "action": self.get_action()}


class ProgressUpdateCreateView(ActionStepView):
    form_class = ProgressUpdateForm
    title = "Add a progress update"
    success_message = "Your progress update on {action.reference} has been added."

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "can_start": self.get_action().status == ActionStatus.OPEN}

    def perform(self, form: forms.BaseForm) -> None:
        services.add_progress_update(
            action=self.get_action(),
            author=self.request.user,
            text=form.cleaned_data["text"],
            start=form.cleaned_data.get("start", False),
        )


class EvidenceCreateView(ActionStepView):
    form_class = EvidenceForm
    title = "Add evidence"
    lede = "Show that the action is done. Someone other than the owner will review it before the action is closed."
    success_message = "Your evidence has been added. {action.reference} now waits for the evidence to be reviewed."

    def perform(self, form: forms.BaseForm) -> None:
        services.add_evidence(
            action=self.get_action(),
            added_by=self.request.user,
            description=form.cleaned_data["description"],
            file=form.cleaned_data.get("file"),
            link=form.cleaned_data.get("link", ""),
        )


class EvidenceReviewView(ActionStepView):
    form_class = ReviewForm
    permission = "close"
    title = "Review evidence"
    template_name = "actions/evidence_review.html"

    def get_object(self) -> Action:
        # The URL names the evidence; the step is on its action, found and checked as for any step.
        queryset = ActionEvidence.objects.visible_to(self.request.user).select_related("added_by", "action")
        self.evidence = get_object_or_404(queryset, pk=self.kwargs["pk"])
        action: Action = get_object_or_404(self.get_queryset(), pk=self.evidence.action_id)
        if not may(self.request.user, self.permission, action):
            raise PermissionDenied
        self.check_object(action)
        return action

    def get_evidence(self) -> ActionEvidence:
        return self.evidence

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        action = self.get_action()
        kwargs.update(
            evidence=self.get_evidence(),
            is_owner=action.owner_id == self.request.user.pk,
            already_reviewed=self.get_evidence().review != EvidenceReview.PENDING,
        )
        return super().get_context_data(**kwargs)

    def perform(self, form: forms.BaseForm) -> None:
        accept = form.cleaned_data["decision"] == "accept"
        services.review_evidence(
            evidence=self.get_evidence(), reviewer=self.request.user, accept=accept, note=form.cleaned_data["note"]
        )
        self.success_message = (
            "The evidence has been accepted."
            if accept
            else "The evidence was not enough: the action is back in progress."
        )


class ActionCloseView(ActionStepView):
    form_class = ReasonForm
    permission = "close"
    title = "Close this action"
    template_name = "actions/action_close.html"
    success_message = "{action.reference} has been closed."

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "label": "Why can this action be closed?",
            "help_text": "Say what changed and how the evidence shows it. This is kept with the action.",
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        action = self.get_action()
        kwargs.update(
            is_owner=action.owner_id == self.request.user.pk,
            ready=services.has_independently_accepted_evidence(action),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form: forms.BaseForm) -> None:
        services.close_action(action=self.get_action(), closed_by=self.request.user, reason=form.cleaned_data["reason"])


class ActionCancelView(ActionStepView):
    form_class = ReasonForm
    permission = "close"
    title = "Cancel this action"
    lede = "Cancel an action that is no longer needed. It stays in the log, marked cancelled."
    success_message = "{action.reference} has been cancelled."

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "label": "Why is this action no longer needed?"}

    def perform(self, form: forms.BaseForm) -> None:
        services.cancel_action(
            action=self.get_action(), cancelled_by=self.request.user, reason=form.cleaned_data["reason"]
        )


class ActionReopenView(ActionStepView):
    form_class = ReasonForm
    permission = "close"
    needs_live = False
    title = "Reopen this action"
    lede = "The action goes back to in progress. Its earlier closure stays in its history."
    success_message = "{action.reference} has been reopened."

    def check_object(self, action: Action) -> None:
        if action.is_live:
            raise PermissionDenied("This action is not closed or cancelled.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "label": "Why is this action being reopened?"}

    def perform(self, form: forms.BaseForm) -> None:
        services.reopen_action(
            action=self.get_action(), reopened_by=self.request.user, reason=form.cleaned_data["reason"]
        )


class EvidenceDownloadView(FileDownloadView):
    """An evidence file, for those who may see its action; logged as a download."""

    model = ActionEvidence
    select_related = ("action",)


# --- The quarterly monitoring report --------------------------------------------------------------------------


class QuarterForm(GovukForm):
    quarter = forms.ChoiceField(label="Quarter")


class QuarterlyReportView(PartnershipView, TemplateView):
    """Live and recently finished actions in one business quarter, by source and agency."""

    request: PartnershipRequest  # as PartnershipView (TemplateView declares a plain HttpRequest)
    template_name = "actions/quarterly_report.html"

    def report_context(self) -> dict[str, Any]:
        user, partnership = self.request.user, self.request.partnership
        if not user_can(user, "actions.view_action", partnership):
            raise PermissionDenied
        today = timezone.localdate()
        start_month = partnership.business_year_start_month
        choices = quarter_choices(today, start_month)
        quarter = parse_quarter(self.request.GET.get("quarter", ""), start_month)
        if quarter is None or quarter not in choices:
            quarter = quarter_containing(today, start_month)
        form = QuarterForm(initial={"quarter": quarter.key})
        form_field(form, "quarter", forms.ChoiceField).choices = [(q.key, q.label) for q in choices]
        report = quarterly_report(user, partnership, quarter, today=today)
        return {
            **report,
            "partnership": partnership,
            "form": form,
            "title": f"Action monitoring report: {quarter.label}",
            "generated": timezone.localtime(),
            "pdf_url": f"{reverse('actions:quarterly-report-pdf')}?quarter={quarter.key}",
            "rags": [(value, label) for value, label in RAG.choices],
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.report_context())
        context["breadcrumbs"] = [("Action log", reverse("actions:action-list"))]
        return context


class QuarterlyReportPDFView(QuarterlyReportView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request = self.request
        context = self.report_context()
        pdf = render_pdf(
            "actions/quarterly_report_print.html", context, request=request, stylesheets=["actions/report.css"]
        )
        quarter = context["quarter"]
        record_access(request.partnership, AccessAction.EXPORT, detail=f"actions quarterly report {quarter.key} (PDF)")
        return pdf_response(pdf, f"action-report-{request.partnership.slug}-{quarter.key}")
