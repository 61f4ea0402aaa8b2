"""The annual cycle's pages: a group's forward plan (its series, standing items, planned items and
the quarter's agendas), the paper pipeline (request, submit with a cover sheet, check), the
supplementary pack, decisions (between meetings, ratification, the decision log) and the approval of
a closing group's final minutes by chair's action.

Every query starts from ``visible_to``: a group's forward plan, papers asked for and decisions are
read under the group's access rule and the confidential rule (``meetings/access.py``). Every write
finds its record with ``visible_to(user, "change")`` (through ``may`` or the views' bases), so only
the host partnership's business unit changes a shared group's cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from safeboard.core.audit import AccessAction, record_access
from safeboard.core.http import PartnershipRequest
from safeboard.core.querysets import may, user_can
from safeboard.core.services import ServiceError
from safeboard.core.text import day_text
from safeboard.core.views_base import (
    PartnershipView,
    ScopedChildCreateView,
    ScopedObjectView,
    ScopedUpdateView,
    WorkflowStepView,
)
from safeboard.governance.cycle import services
from safeboard.governance.cycle.forms import (
    DecisionForm,
    DecisionUpdateForm,
    ForwardPlanForm,
    GenerateForm,
    PaperRequestForm,
    SeriesForm,
    StandingItemForm,
    SubmitPaperForm,
)
from safeboard.governance.cycle.models import (
    ForwardPlanItem,
    MeetingSeries,
    PaperRequest,
    PaperStatus,
    StandingItem,
    StandingKind,
)
from safeboard.governance.meetings.choices import MeetingStatus
from safeboard.governance.meetings.models import AgendaItem, Group, Meeting, Paper
from safeboard.governance.meetings.services import agenda_pack_pdf
from safeboard.governance.meetings.views import MeetingObjectView, MeetingStepView
from safeboard.governance.members.models import ItemDecision


def _crumbs(group: Group | None = None) -> list[tuple[str, str]]:
    crumbs = [("Board business", reverse("governance:home"))]
    if group is not None:
        crumbs += [
            (group.name, group.get_absolute_url()),
            ("Forward plan", reverse("governance:forward-plan", args=[group.pk])),
        ]
    return crumbs


def _plan_url(group_id: int) -> str:
    return reverse("governance:forward-plan", args=[group_id])


class GroupPageMixin(PartnershipView):
    """A page about a group the person may read (404 otherwise) that needs ``permission`` in the
    partnership they work in (403 otherwise)."""

    request: PartnershipRequest
    permission = "governance.view_forwardplanitem"
    group: Group

    http_method_names = ["get", "head", "options"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        allowed = (request.method or "").lower() in self.http_method_names
        if allowed and request.user.is_authenticated and getattr(request, "partnership", None) is not None:
            self.group = get_object_or_404(
                Group.objects.visible_to(request.user).select_related("partnership"), pk=kwargs["pk"]
            )
            if not user_can(request.user, self.permission, self.request.partnership):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- The forward plan -------------------------------------------------------------------------------------


class ForwardPlanView(GroupPageMixin, TemplateView):
    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    template_name = "governance/cycle/forward_plan.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, group = self.request.user, self.group
        can_manage = may(user, "change", group)
        first, last = services.quarter_after(timezone.localdate(), group.partnership.business_year_start_month or 4)
        zone = timezone.get_current_timezone()
        plan = list(
            ForwardPlanItem.objects.visible_to(user)
            .filter(group=group)
            .select_related("presenter", "agency", "meeting", "agenda_item__meeting")
            .order_by("agenda_item_id", "target_month", "id")
        )
        standing = list(StandingItem.objects.visible_to(user).filter(group=group).order_by("at_end", "position", "id"))
        coming = list(
            Meeting.objects.visible_to(user)
            .filter(group=group, starts_at__gte=timezone.now())
            .exclude(status=MeetingStatus.CANCELLED)
            .annotate(item_count=models.Count("items"))
            .order_by("starts_at", "id")[:8]
        )
        decisions = list(
            ItemDecision.objects.visible_to(user)
            .filter(group=group, needs_ratification=True, ratified_at__isnull=True)
            .order_by("decided_on", "id")
        )
        return super().get_context_data(
            title=f"Forward plan: {group.name}",
            group=group,
            can_manage=can_manage,
            series=list(MeetingSeries.objects.visible_to(user).filter(group=group)),
            standing=standing,
            default_standing=services.default_standing_items(group) if not standing else [],
            unplaced=[p for p in plan if not p.is_placed],
            placed=[p for p in plan if p.is_placed],
            coming=coming,
            decisions=decisions,
            quarter_first=first,
            quarter_last=last,
            quarter_from=timezone.make_aware(dt.datetime.combine(first, dt.time.min), zone),
            breadcrumbs=_crumbs()[:1] + [(group.name, group.get_absolute_url())],
            **kwargs,
        )


class GroupStepView(WorkflowStepView):
    model = Group
    permission = "change"
    select_related = ("partnership",)

    def get_success_url(self) -> str:
        return _plan_url(self.object.pk)


class BuildAgendasView(GroupStepView):
    """The business unit's action: next quarter's agendas, from the series, standing items and forward plan."""

    http_method_names = ["post", "options"]

    def perform(self, form: forms.BaseForm) -> services.BuildReport:
        group = self.object
        first, last = services.quarter_after(timezone.localdate(), group.partnership.business_year_start_month or 4)
        return services.build_agendas(group, first, last)

    def get_success_message(self, result: services.BuildReport) -> str:
        return f"Next quarter's agendas: {result.summary}"


# --- Meeting series -----------------------------------------------------------------------------------------


class SeriesCreateView(ScopedChildCreateView):
    model = MeetingSeries
    form_class = SeriesForm
    parent_model = Group
    parent_field = "group"
    parent_select_related = ("partnership",)
    title = "Add a meeting series"
    success_message = "The meeting series has been added."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault(
            "lede", f"{self.parent}: the pattern its meetings follow. You can then make its meetings for a period."
        )
        return super().get_context_data(**kwargs)

    def save_object(self, form: forms.BaseForm) -> MeetingSeries:
        series: MeetingSeries = super().save_object(form)  # type: ignore[assignment]
        services.ensure_standing_items(self.parent)
        return series

    def get_success_url(self) -> str:
        return _plan_url(self.parent.pk)


class SeriesUpdateView(ScopedUpdateView):
    model = MeetingSeries
    form_class = SeriesForm
    template_name = "core/form.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("group__partnership")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change the meeting series of {self.object.group}")
        kwargs.setdefault("lede", "Meetings already made stay as they are.")
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return _plan_url(self.object.group_id)


class SeriesGenerateView(WorkflowStepView):
    model = MeetingSeries
    permission = "change"
    select_related = ("group__partnership",)
    form_class = GenerateForm
    title = "Make the series' meetings"

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        return {"start": today, "end": today.replace(year=today.year + 1) - dt.timedelta(days=1)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("lede", f"{self.object}. Each meeting is scheduled; days that have one already are skipped.")
        return super().get_context_data(**kwargs)

    def perform(self, form: forms.BaseForm) -> list[Meeting]:
        return services.generate_meetings(self.object, form.cleaned_data["start"], form.cleaned_data["end"])

    def get_success_message(self, result: list[Meeting]) -> str:
        if not result:
            return "No new meetings: the group already has a meeting on each day of the series in that period."
        return (
            f"{len(result)} meeting{'s' if len(result) != 1 else ''} scheduled, from {day_text(result[0].starts_at)}."
        )

    def get_success_url(self) -> str:
        return _plan_url(self.object.group_id)


# --- Standing items -------------------------------------------------------------------------------------------


class StandingItemCreateView(ScopedChildCreateView):
    model = StandingItem
    form_class = StandingItemForm
    parent_model = Group
    parent_field = "group"
    parent_select_related = ("partnership",)
    title = "Add a standing item"
    success_message = "‘{object}’ will be on every agenda."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("lede", f"An item on every agenda of {self.parent} built from now on.")
        return super().get_context_data(**kwargs)

    def save_object(self, form: forms.BaseForm) -> StandingItem:
        services.ensure_standing_items(self.parent)
        return super().save_object(form)  # type: ignore[return-value]

    def get_success_url(self) -> str:
        return _plan_url(self.parent.pk)


class StandingItemUpdateView(ScopedUpdateView):
    model = StandingItem
    form_class = StandingItemForm
    template_name = "core/form.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("group__partnership")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change the standing item ‘{self.object}’")
        if self.object.kind == StandingKind.DECLARATIONS:
            kwargs.setdefault(
                "lede", "Members record their declarations against this meeting or an item; see the meeting's page."
            )
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return _plan_url(self.object.group_id)


# --- Forward plan items -------------------------------------------------------------------------------------


class ForwardPlanCreateView(ScopedChildCreateView):
    model = ForwardPlanItem
    form_class = ForwardPlanForm
    parent_model = Group
    parent_field = "group"
    parent_select_related = ("partnership",)
    title = "Add to the forward plan"
    success_message = "‘{object}’ is on the forward plan."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("lede", str(self.parent))
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return _plan_url(self.parent.pk)


class ForwardPlanUpdateView(ScopedUpdateView):
    model = ForwardPlanItem
    form_class = ForwardPlanForm
    template_name = "core/form.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("group__partnership")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change ‘{self.object}’")
        if self.object.is_placed:
            kwargs.setdefault("lede", "It is already on an agenda: change the agenda item there too.")
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return _plan_url(self.object.group_id)


# --- The paper pipeline --------------------------------------------------------------------------------------


class PaperRequestCreateView(ScopedChildCreateView):
    model = PaperRequest
    form_class = PaperRequestForm
    parent_model = AgendaItem
    parent_field = "item"
    parent_select_related = ("meeting__group__partnership",)
    title = "Ask for a paper"
    success_message = "The paper has been asked for."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        deadline = services.author_deadline(self.parent.meeting)
        kwargs.setdefault(
            "lede",
            f"For item {self.parent} at {self.parent.meeting}. The author's usual deadline is {day_text(deadline)}.",
        )
        return super().get_context_data(**kwargs)

    def save_object(self, form: forms.BaseForm) -> PaperRequest:
        data = form.cleaned_data
        return services.request_paper(
            item=self.parent,
            title=data["title"],
            author=data["author"],
            agency=data.get("agency"),
            due_on=data.get("due_on"),
        )

    def get_success_url(self) -> str:
        return f"{self.parent.meeting.get_absolute_url()}#item-{self.parent.pk}"


class PaperRequestView(ScopedObjectView, TemplateView):
    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    http_method_names = ["get", "head", "options"]
    model = PaperRequest
    select_related = ("item__meeting__group__partnership", "author", "agency", "paper", "checked_by")
    template_name = "governance/cycle/paper_request.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        request: PaperRequest = self.object
        user = self.request.user
        meeting = request.item.meeting
        return super().get_context_data(
            title=request.title,
            paper_request=request,
            meeting=meeting,
            can_submit=may(user, "submit", request) and meeting.status == MeetingStatus.SCHEDULED,
            can_check=request.status == PaperStatus.SUBMITTED and services.may_check(user, request),
            late=request.status == PaperStatus.REQUESTED and timezone.localdate() > request.due_on,
            breadcrumbs=_crumbs()[:1] + [(str(meeting), meeting.get_absolute_url())],
            **kwargs,
        )


class PaperSubmitView(WorkflowStepView):
    model = PaperRequest
    permission = "submit"
    select_related = ("item__meeting__group__partnership",)
    form_class = SubmitPaperForm
    title = "Send your paper"
    success_message = "‘{object}’ has been sent with its cover sheet. The business unit will check it."

    def get_initial(self) -> dict[str, Any]:
        request: PaperRequest = self.object
        return {name: getattr(request, name) for name in services.COVER_FIELDS}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        request: PaperRequest = self.object
        kwargs.setdefault(
            "lede",
            f"‘{request.title}’ for {request.item.meeting}, due by {day_text(request.due_on)}. "
            "Every paper has a cover sheet: fill in each part.",
        )
        return super().get_context_data(**kwargs)

    def perform(self, form: forms.BaseForm) -> PaperRequest:
        data = form.cleaned_data
        return services.submit_paper(
            self.object,
            by=self.request.user,
            file=data["file"],
            confidential_reason=data.get("confidential_reason") or "",
            **{name: data[name] for name in services.COVER_FIELDS},
        )


class PaperCheckView(WorkflowStepView):
    model = PaperRequest
    permission = "check"
    http_method_names = ["post", "options"]
    select_related = ("item__meeting__group__partnership",)
    success_message = "‘{object}’ has been checked: it will go out with the papers."

    def check_object(self, obj: Any) -> None:
        if not services.may_check(self.request.user, obj):
            raise PermissionDenied("Papers are checked by the business unit or a member of the executive.")

    def perform(self, form: forms.BaseForm) -> PaperRequest:
        return services.check_paper(self.object, by=self.request.user)


class SupplementaryPackView(MeetingObjectView):
    """Only the papers added or sent again since the agenda pack was circulated (the open part)."""

    permission = "view"
    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.meeting
        if meeting.papers_circulated_at is None:
            raise Http404("The papers have not been circulated yet.")
        user = request.user
        papers = [
            paper
            for paper in Paper.objects.visible_to(user)
            .filter(item__meeting=meeting, uploaded_at__gt=meeting.papers_circulated_at)
            .select_related("item", "agency")
            .order_by("item__number", "id")
            if not paper.is_confidential
        ]
        with_papers = {paper.item_id for paper in papers}
        items = [
            item
            for item in AgendaItem.objects.visible_to(user)
            .filter(meeting=meeting, pk__in=with_papers)
            .select_related("presenter", "agency")
            .order_by("number")
            if not item.is_confidential
        ]
        pdf = agenda_pack_pdf(meeting, items, papers, base_url=request.build_absolute_uri("/"), supplementary=True)
        record_access(meeting, AccessAction.EXPORT, detail="Supplementary agenda pack (PDF)")
        response = HttpResponse(pdf, content_type="application/pdf")
        day = timezone.localtime(meeting.starts_at).date().isoformat()
        response["Content-Disposition"] = f'attachment; filename="agenda-pack-supplementary-{day}.pdf"'
        return response


# --- Decisions ---------------------------------------------------------------------------------------------


class DecisionListView(GroupPageMixin, TemplateView):
    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    permission = "governance.view_itemdecision"
    template_name = "governance/cycle/decision_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, group = self.request.user, self.group
        decisions = list(
            ItemDecision.objects.visible_to(user)
            .filter(group=group)
            .select_related("item__meeting", "lead", "ratified_at")
            .prefetch_related("decided_by")
            .order_by("-recorded_at", "-id")[:200]
        )
        return super().get_context_data(
            title=f"Decisions: {group.name}",
            group=group,
            decisions=decisions,
            can_manage=may(user, "change", group) and user_can(user, "governance.add_itemdecision", group.partnership),
            breadcrumbs=_crumbs()[:1] + [(group.name, group.get_absolute_url())],
            **kwargs,
        )


class DecisionCreateView(ScopedChildCreateView):
    model = ItemDecision
    form_class = DecisionForm
    parent_model = Group
    parent_field = "group"
    parent_select_related = ("partnership",)
    title = "Record a decision taken between meetings"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault(
            "lede",
            f"{self.parent}: by the chair's action or by email. It is put to the group's next meeting to ratify.",
        )
        return super().get_context_data(**kwargs)

    success_message = "The decision has been recorded. It waits for the group's next meeting to ratify it."

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "group": self.parent}

    def save_object(self, form: forms.BaseForm) -> ItemDecision:
        data = form.cleaned_data
        return services.record_decision_between_meetings(
            group=self.parent,
            decision=data["decision"],
            means=data["means"],
            decided_on=data["decided_on"],
            decided_by=list(data["decided_by"]),
            lead=data.get("lead"),
            due_on=data.get("due_on"),
            confidential_reason=data.get("confidential_reason") or "",
        )

    def get_success_url(self) -> str:
        return reverse("governance:decision-list", args=[self.parent.pk])


class DecisionUpdateView(ScopedUpdateView):
    model = ItemDecision
    form_class = DecisionUpdateForm
    template_name = "core/form.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("group__partnership", "item__meeting")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", "Change a decision")
        kwargs.setdefault("lede", "What was decided, who leads on it and by when.")
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return reverse("governance:decision-list", args=[self.object.group_id])


class DecisionRatifyView(WorkflowStepView):
    """Recorded at the group's meeting that ratified a decision taken between meetings."""

    model = ItemDecision
    permission = "change"
    http_method_names = ["post", "options"]
    select_related = ("group",)
    success_message = "The decision has been recorded as ratified."

    def perform(self, form: forms.BaseForm) -> ItemDecision:
        meeting_id = self.request.POST.get("meeting", "")
        meeting = (
            Meeting.objects.visible_to(self.request.user, "change").filter(pk=meeting_id).first()
            if meeting_id.isdigit()
            else None
        )
        if meeting is None:
            raise ServiceError("Choose the meeting that ratified the decision.")
        self.meeting = meeting
        return services.ratify_decision(self.object, meeting)

    def get_success_url(self) -> str:
        meeting = getattr(self, "meeting", None)
        if meeting is not None:
            return f"{meeting.get_absolute_url()}#decisions-to-ratify"
        return reverse("governance:decision-list", args=[self.object.group_id])


class FinalMinutesView(MeetingStepView):
    """The chair approves the minutes of a closing group's final meeting by chair's action."""

    permission = "view"
    title = "Approve the final minutes by chair's action"
    success_message = "The minutes have been approved by chair's action."
    anchor = "#minutes"

    def check_object(self, obj: Any) -> None:
        if obj.group.chair_id != self.request.user.pk:
            raise PermissionDenied("Only the group's chair approves minutes by chair's action.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault(
            "lede",
            f"{self.meeting.group} is closing and this is its final meeting, so no later meeting can approve these "
            "minutes. As chair, you approve them yourself; this is recorded as a chair's action.",
        )
        return super().get_context_data(**kwargs)

    def perform(self, form: forms.BaseForm) -> Meeting:
        return services.approve_final_minutes(self.meeting, self.request.user)


def meeting_cycle_extras(user: Any, meeting: Meeting, items: list[AgendaItem], can_manage: bool) -> dict[str, Any]:
    """For the meeting's page: the papers asked for each item, the decisions taken between meetings
    that wait for this meeting to ratify them, the late and supplementary packs, and the chair's
    action on a closing group's final minutes. Three queries."""
    requests: dict[int, list[PaperRequest]] = {}
    for request in (
        PaperRequest.objects.visible_to(user)
        .filter(item__meeting=meeting)
        .select_related("author")
        .order_by("item_id", "id")
    ):
        requests.setdefault(request.item_id, []).append(request)
    for item in items:
        item.papers_asked = requests.get(item.pk, [])  # type: ignore[attr-defined]
    to_ratify = list(
        ItemDecision.objects.visible_to(user)
        .filter(group_id=meeting.group_id, needs_ratification=True, ratified_at__isnull=True)
        .filter(decided_on__lte=timezone.localtime(meeting.starts_at).date())
        .order_by("decided_on", "id")
    )
    if meeting.status == MeetingStatus.CANCELLED:
        to_ratify = []
    ratified = list(ItemDecision.objects.visible_to(user).filter(ratified_at=meeting).order_by("decided_on", "id"))
    partnership = meeting.group.partnership
    chairs_action = (
        meeting.group.chair_id == user.pk and meeting.minutes_status == "draft" and services.is_final_meeting(meeting)
    )
    return {
        "can_request_paper": can_manage and user_can(user, "governance.add_paperrequest", partnership),
        "to_ratify": to_ratify,
        "ratified": ratified,
        "can_ratify": can_manage and meeting.starts_at <= timezone.now(),
        "chairs_action": chairs_action,
        "declarations_item": next(
            (i.pk for i in items if i.standing_item_id and i.title.startswith(StandingKind.DECLARATIONS.label)), None
        ),
    }
