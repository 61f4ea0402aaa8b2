"""Board oversight pages: attendance dashboard, agency accountability, the business plan, the
challenge log and funding.

Built from the generic views in ``core/views_base.py``. Every queryset starts from ``visible_to``:
what a person may not see is a 404 and never reaches a list, a count or a total. Figures are
counted in the database (see ``oversight/reports.py``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from django.views.generic.detail import SingleObjectMixin

from safeboard.actions.models import RAG, Action
from safeboard.core.audit import AccessAction, record_access, record_list_access
from safeboard.core.exports import Column, ExportInfo, csv_response, xlsx_bytes, xlsx_response
from safeboard.core.http import PartnershipRequest
from safeboard.core.ids import parse_id
from safeboard.core.models import Agency, Partnership
from safeboard.core.pdf import pdf_response, render_pdf
from safeboard.core.permissions import Scope, grants_for
from safeboard.core.querysets import may, user_can
from safeboard.core.services import ServiceError
from safeboard.core.views_base import (
    FileDownloadView,
    PartnershipView,
    ScopedChildCreateView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectView,
    ScopedUpdateView,
    add_refusal,
)
from safeboard.governance.arrangements.models import statutory_partner_in
from safeboard.governance.meetings.models import Attendance, Group, GroupMember, Meeting
from safeboard.governance.oversight import reports
from safeboard.governance.oversight.choices import ChallengeStatus
from safeboard.governance.oversight.filters import AccountabilityFilter, ChallengeFilter
from safeboard.governance.oversight.forms import (
    AccountabilitySessionForm,
    BudgetForm,
    BudgetLineForm,
    BusinessPlanForm,
    ChallengeActionForm,
    ChallengeForm,
    ChallengeResponseForm,
    FundingAgreementForm,
    FundingContributionForm,
    MeasureForm,
    ObjectiveActionForm,
    ObjectiveForm,
    PriorityForm,
    YearForm,
    budget_signed_off,
)
from safeboard.governance.oversight.models import (
    AccountabilitySession,
    Budget,
    BudgetLine,
    BusinessPlan,
    Challenge,
    FundingAgreement,
    FundingContribution,
    FundingStep,
    Measure,
    Objective,
    Priority,
)
from safeboard.governance.oversight.services import (
    PRIORITY_WARNING_ABOVE,
    add_budget_line,
    add_challenge_action,
    add_objective_action,
    add_priority,
)
from safeboard.governance.oversight.tables import AccountabilityTable, BusinessPlanTable, ChallengeTable

FORM_TEMPLATE = "core/form.html"
RAG_ORDER = (RAG.RED, RAG.AMBER, RAG.GREEN, RAG.DONE)


def action_url(action: Action) -> str | None:
    """The action's page in the shared action log (None while that page does not exist)."""
    try:
        return action.get_absolute_url()
    except NoReverseMatch:
        return None


def selected_year(request: HttpRequest, partnership: Partnership) -> int:
    """The business year asked for in ``?year=``, or the current one."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return reports.current_business_year(partnership)
    return year if 2000 <= year <= 2100 else reports.current_business_year(partnership)


def warn_past_dates(request: HttpRequest, form: forms.BaseForm) -> None:
    for warning in getattr(form, "past_date_warnings", []):
        messages.warning(request, warning)


class PastDateWarningsMixin:
    """Once a form is saved, its warnings about dates in the past (a warning, not an error)."""

    request: PartnershipRequest  # as the views it goes before

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # type: ignore[misc]  # a mixin: the view after it has form_valid
        if response.status_code == 302:
            warn_past_dates(self.request, form)
        return response


# --- Attendance ---------------------------------------------------------------------------------------------


class AttendanceDashboardView(PartnershipView, TemplateView):
    """Attendance for a business year, per member, per agency and per group."""

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    template_name = "governance/oversight/attendance.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, partnership = self.request.user, self.request.partnership
        if not user_can(user, "governance.count_attendance", partnership):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        year = selected_year(self.request, partnership)
        seats = GroupMember.objects.visible_to(user, "count").in_partnership(partnership)
        attendance = Attendance.objects.visible_to(user, "count").in_partnership(partnership)
        groups = Group.objects.visible_to(user).in_partnership(partnership).order_by("name")
        group_id = parse_id(self.request.GET.get("group"))
        if group_id is not None:
            seats = seats.filter(group_id=group_id)
        dashboard = reports.attendance_dashboard(seats, attendance, partnership, year)
        representation = reports.agency_representation(dashboard)
        context.update(
            title="Attendance at board and group meetings",
            year=year,
            year_label=reports.business_year_label(year),
            year_form=YearForm(
                initial={"year": year},
                years=reports.year_choices(partnership, around=reports.current_business_year(partnership)),
            ),
            groups=groups,
            group_id=group_id,
            dashboard=dashboard,
            representation=representation,
            agency_chart=reports.attendance_by_agency_chart(representation, reports.business_year_label(year))
            if representation
            else None,
            show_names=user_can(user, "governance.view_attendance", partnership),
        )
        return context


class AttendanceMemberView(PartnershipView, TemplateView):
    """The meetings behind one seat's figures, each with the status recorded."""

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    template_name = "governance/oversight/attendance_member.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        seat = get_object_or_404(
            GroupMember.objects.visible_to(user, "count").select_related("group__partnership", "person", "agency"),
            pk=kwargs["pk"],
        )
        partnership = seat.group.partnership
        # Figures-only readers (scrutiny) count seats but never see a named member's record.
        if grants_for(user).scope_in("governance.view_attendance", partnership.pk) is None:
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        year = selected_year(self.request, partnership)
        rows = reports.seat_meetings(
            seat,
            Meeting.objects.visible_to(user),
            Attendance.objects.visible_to(user),
            partnership,
            year,
        )
        # A named member's record: the access log says who read it, and which attendance they saw.
        shown = f"attendance record of {seat.person.full_name}, {seat.group.name}"
        record_list_access(Attendance, [r.pk for _, r in rows if r], shown, partnership)
        context.update(
            title=f"Attendance of {seat.person.full_name}, {seat.group.name}",
            seat=seat,
            rows=rows,
            year=year,
            year_label=reports.business_year_label(year),
            year_form=YearForm(initial={"year": year}, years=reports.year_choices(partnership)),
        )
        return context


# --- Annual agency accountability -----------------------------------------------------------------------------


class AccountabilityListView(ScopedListView):
    model = AccountabilitySession
    filterset_class = AccountabilityFilter
    table_class = AccountabilityTable
    ordering = ("-held_on", "-id")
    select_related = ("agency", "presented_by", "meeting__group")
    title = "Annual agency accountability"
    template_name = "governance/oversight/accountability_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, partnership = self.request.user, self.request.partnership
        year = reports.current_business_year(partnership)
        start, end = reports.business_year_dates(partnership, year)
        sessions = AccountabilitySession.objects.visible_to(user).in_partnership(partnership)
        agencies = Agency.objects.visible_to(user).in_partnership(partnership).filter(is_active=True)
        # Someone who sees only their own agency's sessions is told only about their own agency.
        if grants_for(user).scope_in("governance.view_accountabilitysession", partnership.pk) != Scope.PARTNERSHIP:
            agencies = agencies.filter(pk=user.agency_id) if user.agency_id is not None else agencies.none()
        held = sessions.filter(agency_id=OuterRef("pk"), held_on__gte=start, held_on__lt=end)
        context.update(
            year_label=reports.business_year_label(year),
            agencies_without_session=agencies.exclude(Exists(held)).order_by("name"),
        )
        if user_can(user, "governance.add_accountabilitysession", partnership):
            context.update(add_url=reverse("governance:accountability-new"), add_label="Record a session")
        return context


class AccountabilityCreateView(ScopedCreateView):
    object: AccountabilitySession
    model = AccountabilitySession
    form_class = AccountabilitySessionForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": "Record an agency accountability session"}
    success_message = "The {object} has been recorded."

    def get_success_url(self) -> str:
        return reverse("governance:accountability-detail", args=[self.object.pk])


class AccountabilityDetailView(ScopedDetailView):
    model = AccountabilitySession
    template_name = "governance/oversight/accountability_detail.html"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("agency", "presented_by", "meeting__group")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=str(self.object),
            can_change=may(self.request.user, "change", self.object),
        )
        return context


class AccountabilityUpdateView(ScopedUpdateView):
    model = AccountabilitySession
    form_class = AccountabilitySessionForm
    template_name = FORM_TEMPLATE

    def get_success_url(self) -> str:
        return reverse("governance:accountability-detail", args=[self.object.pk])


# --- Business plan ---------------------------------------------------------------------------------------------


class PlanListView(ScopedListView):
    model = BusinessPlan
    table_class = BusinessPlanTable
    ordering = ("-first_year", "-id")
    title = "Business plans"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if user_can(self.request.user, "governance.add_businessplan", self.request.partnership):
            context.update(add_url=reverse("governance:plan-new"), add_label="Start a business plan")
        return context


class PlanCreateView(ScopedCreateView):
    model = BusinessPlan
    form_class = BusinessPlanForm
    template_name = FORM_TEMPLATE
    extra_context = {
        "title": "Start a business plan",
        "lede": "A plan covers up to three business years. Add its priorities next.",
    }


class PlanUpdateView(ScopedUpdateView):
    model = BusinessPlan
    form_class = BusinessPlanForm
    template_name = FORM_TEMPLATE

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


def plan_tree(plan: BusinessPlan, user: Any) -> dict[str, Any]:
    """Priorities → objectives → actions (with RAG) → measures, and progress per priority.

    A fixed number of queries: priorities, objectives, actions, measures, and the RAG counts.
    """
    partnership = plan.partnership
    priorities = list(
        Priority.objects.visible_to(user).filter(plan=plan).select_related("sponsor").order_by("number", "id")
    )
    objectives_qs = Objective.objects.visible_to(user).filter(priority__plan=plan)
    objectives = list(objectives_qs.order_by("business_year", "id"))
    objective_type = ContentType.objects.get_for_model(Objective)
    actions_qs = Action.objects.visible_to(user).filter(
        source_type=objective_type, source_id__in=[str(o.pk) for o in objectives]
    )
    actions = list(actions_qs.select_related("owner", "agency", "partnership").order_by("due_date", "id"))
    measures = list(Measure.objects.visible_to(user).filter(action__in=[a.pk for a in actions]).order_by("id"))
    rag_counts = reports.rag_counts_by_priority(actions_qs, objectives_qs, partnership.action_amber_days)

    measures_by_action: dict[int, list[Measure]] = defaultdict(list)
    for measure in measures:
        measures_by_action[measure.action_id].append(measure)
    today = timezone.localdate()
    actions_by_objective: dict[str, list[dict[str, Any]]] = defaultdict(list)
    flagged = 0
    for action in actions:
        own = measures_by_action.get(action.pk, [])
        entry: dict[str, Any] = {
            "action": action,
            "url": action_url(action),
            "rag": action.rag_status(today),
            "measures": own,
            "no_measure": not own,
            "proxy_only": bool(own) and all(m.is_proxy for m in own),
        }
        flagged += entry["no_measure"] or entry["proxy_only"]
        actions_by_objective[action.source_id].append(entry)
    objectives_by_priority: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for objective in objectives:
        objectives_by_priority[objective.priority_id].append(
            {"objective": objective, "actions": actions_by_objective.get(str(objective.pk), [])}
        )
    rag_labels = dict(RAG.choices)
    tree = [
        {
            "priority": priority,
            "objectives": objectives_by_priority.get(priority.pk, []),
            "progress": [(rag, rag_labels[rag], rag_counts.get(priority.pk, {}).get(rag, 0)) for rag in RAG_ORDER],
            "action_total": sum(rag_counts.get(priority.pk, {}).values()),
        }
        for priority in priorities
    ]
    actions_by_pk = {action.pk: action for action in actions}
    measure_charts = [
        (actions_by_pk[measure.action_id], chart)
        for measure in measures
        if (chart := reports.measure_chart(measure)) is not None
    ]
    return {
        "tree": tree,
        "measure_charts": measure_charts,
        "too_many_priorities": len(priorities) > PRIORITY_WARNING_ABOVE,
        "priority_limit": PRIORITY_WARNING_ABOVE,
        "flagged_actions": flagged,
    }


class PlanDetailView(ScopedDetailView):
    model = BusinessPlan
    template_name = "governance/oversight/plan_detail.html"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("partnership")

    def get_template_names(self) -> list[str]:
        if self.request.GET.get("print"):
            return ["governance/oversight/plan_print.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, plan = self.request.user, self.object
        context.update(plan_tree(plan, user))
        context.update(
            title=plan.title,
            can_change=may(user, "change", plan),
            can_add_priority=user_can(user, "governance.add_priority", plan.partnership),
            can_change_priority=user_can(user, "governance.change_priority", plan.partnership),
            can_add_objective=user_can(user, "governance.add_objective", plan.partnership),
            can_change_objective=user_can(user, "governance.change_objective", plan.partnership),
            can_add_action=user_can(user, "actions.add_action", plan.partnership)
            and user_can(user, "governance.change_businessplan", plan.partnership),
            can_add_measure=user_can(user, "governance.add_measure", plan.partnership),
            can_change_measure=user_can(user, "governance.change_measure", plan.partnership),
        )
        # Sign-off by the statutory partners (governance/arrangements).
        from safeboard.governance.arrangements.views import sign_off_rows

        context.update(sign_off_rows(user, plan, plan.partnership))
        return context


class PlanPdfView(PlanDetailView):
    """The plan as a PDF, from the printable HTML."""

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        import weasyprint

        html = render_to_string("governance/oversight/plan_print.html", context, request=self.request)
        pdf = weasyprint.HTML(string=html, base_url=self.request.build_absolute_uri("/")).write_pdf(
            stylesheets=[weasyprint.CSS(string=PRINT_CSS)]
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="business-plan-{self.object.pk}.pdf"'
        return response


PRINT_CSS = """
@page { size: A4; margin: 18mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; } }
body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.35; color: #0b0c0c; }
h1 { font-size: 20pt; } h2 { font-size: 15pt; margin-top: 18pt; border-bottom: 1px solid #b1b4b6; }
h3 { font-size: 12pt; } table { border-collapse: collapse; width: 100%; margin-bottom: 8pt; }
th, td { border: 1px solid #b1b4b6; padding: 3pt 5pt; text-align: left; vertical-align: top; }
.flag { font-weight: bold; }
"""


class PriorityCreateView(ScopedChildCreateView):
    model = Priority
    form_class = PriorityForm
    parent_model = BusinessPlan
    parent_field = "plan"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if self.parent.priorities.count() >= PRIORITY_WARNING_ABOVE:
            kwargs.setdefault(
                "lede",
                f"This plan already has {PRIORITY_WARNING_ABOVE} or more priorities. "
                "Boards usually keep to five or fewer so that each gets attention.",
            )
        kwargs.setdefault("title", f"Add a priority to {self.parent}")
        return super().get_context_data(**kwargs)

    def save_object(self, form: forms.BaseForm) -> Priority:
        assert isinstance(form, PriorityForm)  # form_class
        priority, self.too_many = add_priority(priority=form.instance)
        return priority

    def saved(self, form: forms.BaseForm) -> None:
        if self.too_many:
            messages.warning(
                self.request,
                f"This plan now has more than {PRIORITY_WARNING_ABOVE} priorities. "
                "Consider whether the board can give each of them enough attention.",
            )


class PriorityUpdateView(ScopedUpdateView):
    model = Priority
    form_class = PriorityForm
    template_name = FORM_TEMPLATE

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("plan__partnership")

    def get_success_url(self) -> str:
        return self.object.plan.get_absolute_url()


class ObjectiveCreateView(ScopedChildCreateView):
    model = Objective
    form_class = ObjectiveForm
    parent_model = Priority
    parent_field = "priority"
    parent_select_related = ("plan__partnership",)
    success_message = "The objective has been added."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Add an objective to {self.parent}")
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return self.parent.plan.get_absolute_url()


class ObjectiveUpdateView(ScopedUpdateView):
    model = Objective
    form_class = ObjectiveForm
    template_name = FORM_TEMPLATE

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("priority__plan__partnership")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change an objective of {self.object.priority}")
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return self.object.priority.plan.get_absolute_url()


class ObjectiveActionCreateView(ScopedChildCreateView):
    form_class = ObjectiveActionForm
    parent_model = Objective
    parent_select_related = ("priority__plan__partnership",)
    permissions = ("actions.add_action", "governance.change_businessplan")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        existing = Action.objects.visible_to(self.request.user).for_source(self.parent)
        kwargs.setdefault("title", "Add an action to the objective")
        kwargs.setdefault(
            "lede",
            f"{self.parent.text} The action goes into the partnership's action log. "
            "Add at least one measure of the difference for children once it is saved."
            + (f" This objective has {existing.count()} action(s) already." if existing.exists() else ""),
        )
        return super().get_context_data(**kwargs)

    def save_object(self, form: forms.BaseForm) -> Action:
        data = form.cleaned_data
        return add_objective_action(
            objective=self.parent,
            title=data["title"],
            owner=data["owner"],
            agency=data["agency"],
            due_date=data["due_date"],
            detail=data["detail"],
            created_by=self.request.user,
        )

    def get_success_message(self) -> str:
        return f"Action {self.object.reference} has been added. Now add how you will measure its impact."

    def saved(self, form: forms.BaseForm) -> None:
        warn_past_dates(self.request, form)

    def get_success_url(self) -> str:
        return reverse("governance:measure-new", args=[self.object.pk])


def plan_of_action(action: Action) -> BusinessPlan | None:
    """The plan an action belongs to (through its objective), or None."""
    if action.source_type_id != ContentType.objects.get_for_model(Objective).pk:
        return None
    objective = Objective.objects.filter(pk=action.source_id).select_related("priority__plan").first()
    return objective.priority.plan if objective else None


class MeasureCreateView(ScopedChildCreateView):
    """A measure of impact for an action under a plan objective (only those take measures here)."""

    model = Measure
    form_class = MeasureForm
    parent_model = Action
    parent_field = "action"

    def parent_queryset(self) -> QuerySet[Any]:
        objective_type = ContentType.objects.get_for_model(Objective)
        return super().parent_queryset().filter(source_type=objective_type).select_related("partnership")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Add a measure to {self.parent}")
        kwargs.setdefault(
            "lede",
            "How will the board know this action made a difference for children? "
            "Say what you will measure, where it starts and what you aim for.",
        )
        return super().get_context_data(**kwargs)

    def get_success_message(self) -> str:
        return f"The measure ‘{self.object}’ has been added."

    def get_success_url(self) -> str:
        plan = plan_of_action(self.parent)
        return plan.get_absolute_url() if plan else reverse("governance:plan-list")


class MeasureUpdateView(ScopedUpdateView):
    model = Measure
    form_class = MeasureForm
    template_name = FORM_TEMPLATE

    def get_queryset(self) -> QuerySet[Any]:
        # A measure is seen with its action: hidden when the action is.
        return super().get_queryset().filter(action__in=Action.objects.visible_to(self.request.user))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change the measure ‘{self.object}’")
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        plan = plan_of_action(self.object.action)
        return plan.get_absolute_url() if plan else reverse("governance:plan-list")


# --- Challenge log -----------------------------------------------------------------------------------------


class ChallengeListView(ScopedListView):
    model = Challenge
    filterset_class = ChallengeFilter
    table_class = ChallengeTable
    ordering = ("-raised_on", "-id")
    select_related = ("agency", "raised_by")
    title = "Challenge log"
    template_name = "governance/oversight/challenge_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, partnership = self.request.user, self.request.partnership
        challenges = Challenge.objects.visible_to(user).in_partnership(partnership)
        context["summary"] = reports.challenge_summary(challenges, partnership.business_year_start_month)
        if user_can(user, "governance.add_challenge", partnership):
            context.update(add_url=reverse("governance:challenge-new"), add_label="Raise a challenge")
        return context


class ChallengeCreateView(PastDateWarningsMixin, ScopedCreateView):
    request: PartnershipRequest  # as both bases
    object: Challenge
    model = Challenge
    form_class = ChallengeForm
    template_name = FORM_TEMPLATE
    extra_context = {
        "title": "Raise a challenge",
        "lede": "Record a challenge one partner has made to another, so the board can see how it is answered.",
    }
    success_message = "The challenge has been recorded."

    def get_success_url(self) -> str:
        return reverse("governance:challenge-detail", args=[self.object.pk])


class ChallengeDetailView(ScopedDetailView):
    model = Challenge
    template_name = "governance/oversight/challenge_detail.html"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("agency", "raised_by", "raised_by_agency", "partnership")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, challenge = self.request.user, self.object
        actions = [
            (action, action_url(action))
            for action in Action.objects.visible_to(user).for_source(challenge).select_related("owner", "agency")
        ]
        context.update(
            title=str(challenge),
            actions=actions,
            can_change=may(user, "change", challenge),
            can_respond=challenge.status != ChallengeStatus.RESOLVED and may(user, "respond", challenge),
            can_add_action=user_can(user, "actions.add_action", challenge.partnership),
        )
        return context


class ChallengeUpdateView(PastDateWarningsMixin, ScopedUpdateView):
    request: PartnershipRequest  # as both bases
    model = Challenge
    form_class = ChallengeForm
    template_name = FORM_TEMPLATE

    def get_success_url(self) -> str:
        return reverse("governance:challenge-detail", args=[self.object.pk])


class ChallengeRespondView(ScopedUpdateView):
    """The challenged agency's response: its safeguarding lead (``governance.respond_challenge`` at
    agency scope) or the business unit. A challenge to the board itself is answered by the unit."""

    model = Challenge
    form_class = ChallengeResponseForm
    template_name = FORM_TEMPLATE
    success_message = "The response has been recorded."

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        obj = SingleObjectMixin.get_object(self, queryset)
        if not may(self.request.user, "respond", obj):
            raise PermissionDenied
        return obj

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Respond to the challenge to {self.object.challenged}")
        kwargs.setdefault("lede", self.object.issue)
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return reverse("governance:challenge-detail", args=[self.object.pk])


class ChallengeActionCreateView(ScopedChildCreateView):
    form_class = ChallengeActionForm
    parent_model = Challenge
    permissions = ("actions.add_action",)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Add an action in answer to the challenge to {self.parent.challenged}")
        kwargs.setdefault("lede", "The action goes into the partnership's action log, linked to this challenge.")
        return super().get_context_data(**kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"agency": self.parent.agency_id}

    def save_object(self, form: forms.BaseForm) -> Action:
        data = form.cleaned_data
        return add_challenge_action(
            challenge=self.parent,
            title=data["title"],
            owner=data["owner"],
            agency=data["agency"],
            due_date=data["due_date"],
            detail=data["detail"],
            created_by=self.request.user,
        )

    def get_success_message(self) -> str:
        return f"Action {self.object.reference} has been added."

    def saved(self, form: forms.BaseForm) -> None:
        warn_past_dates(self.request, form)

    def get_success_url(self) -> str:
        return reverse("governance:challenge-detail", args=[self.parent.pk])


# --- Funding ---------------------------------------------------------------------------------------------


class FundingView(PartnershipView, TemplateView):
    """Each agency's contribution for a business year, its share of the totals, and the agreements."""

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    template_name = "governance/oversight/funding.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, partnership = self.request.user, self.request.partnership
        if not user_can(user, "governance.view_fundingcontribution", partnership):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        year = selected_year(self.request, partnership)
        contributions = (
            FundingContribution.objects.visible_to(user)
            .in_partnership(partnership)
            .filter(business_year=year)
            .select_related("agency")
        )
        rows, totals = reports.funding_for_year(contributions)
        agreements = []
        if user_can(user, "governance.view_fundingagreement", partnership):
            agreements = list(
                FundingAgreement.objects.visible_to(user)
                .in_partnership(partnership)
                .filter(first_year__lte=year, last_year__gte=year)
                .select_related("agency")
                .prefetch_related(
                    Prefetch("steps", queryset=FundingStep.objects.visible_to(user).order_by("business_year"))
                )
                .order_by("agency__name", "id")
            )
        # Each agreement with its step for the year shown (from the prefetched steps).
        agreement_rows = [
            (agreement, next((step for step in agreement.steps.all() if step.business_year == year), None))
            for agreement in agreements
        ]
        context.update(
            title="Funding",
            year=year,
            year_label=reports.business_year_label(year),
            year_form=YearForm(initial={"year": year}, years=reports.year_choices(partnership)),
            rows=rows,
            totals=totals,
            agreements=agreements,
            agreement_rows=agreement_rows,
            can_add=user_can(user, "governance.add_fundingcontribution", partnership),
            can_change=user_can(user, "governance.change_fundingcontribution", partnership),
            can_add_agreement=user_can(user, "governance.add_fundingagreement", partnership),
            can_change_agreement=user_can(user, "governance.change_fundingagreement", partnership),
            whole_partnership=grants_for(user).scope_in("governance.view_fundingcontribution", partnership.pk)
            == Scope.PARTNERSHIP
            or statutory_partner_in(user, partnership),
            budget=Budget.objects.visible_to(user).in_partnership(partnership).filter(business_year=year).first(),
            can_add_budget=user_can(user, "governance.add_budget", partnership),
        )
        return context


def funding_url(year: int) -> str:
    return f"{reverse('governance:funding')}?year={year}"


class FundingCreateView(ScopedCreateView):
    object: FundingContribution
    model = FundingContribution
    form_class = FundingContributionForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": "Record an agency's contribution"}
    success_message = "The contribution of {object} has been recorded."

    def get_initial(self) -> dict[str, Any]:
        return {"business_year": reports.current_business_year(self.request.partnership)}

    def get_success_url(self) -> str:
        return funding_url(self.object.business_year)


class FundingUpdateView(ScopedUpdateView):
    model = FundingContribution
    form_class = FundingContributionForm
    template_name = FORM_TEMPLATE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change the contribution of {self.object}")
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return funding_url(self.object.business_year)


class AgreementCreateView(ScopedCreateView):
    object: FundingAgreement
    model = FundingAgreement
    form_class = FundingAgreementForm
    template_name = FORM_TEMPLATE
    extra_context = {
        "title": "Record a funding agreement",
        "lede": "An agreement covers one to five business years, with the cash agreed for each year.",
    }
    success_message = "The {object} has been recorded."

    def get_initial(self) -> dict[str, Any]:
        return {"first_year": reports.current_business_year(self.request.partnership)}

    def get_success_url(self) -> str:
        return funding_url(self.object.first_year)


class AgreementUpdateView(ScopedUpdateView):
    model = FundingAgreement
    form_class = FundingAgreementForm
    template_name = FORM_TEMPLATE

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)
        except ServiceError as refusal:  # another agreement was saved for the same years meanwhile
            add_refusal(form, refusal)
            return self.form_invalid(form)

    def get_success_url(self) -> str:
        return funding_url(self.object.first_year)


# --- The budget --------------------------------------------------------------------------------------------


def budget_figures(budget: Budget, user: Any) -> reports.BudgetSummary:
    """The budget's year in figures, from what the person may see of the partnership's funding."""
    partnership, year = budget.partnership, budget.business_year
    return reports.budget_summary(
        year=year,
        steps=FundingStep.objects.visible_to(user).filter(agreement__partnership=partnership, business_year=year),
        contributions=FundingContribution.objects.visible_to(user).filter(partnership=partnership, business_year=year),
        lines=BudgetLine.objects.visible_to(user).filter(budget=budget),
    )


class BudgetListView(PartnershipView, TemplateView):
    """The partnership's budgets, one per business year, newest first."""

    request: PartnershipRequest
    template_name = "governance/oversight/budget_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, partnership = self.request.user, self.request.partnership
        if not (user_can(user, "governance.view_budget", partnership) or statutory_partner_in(user, partnership)):
            raise PermissionDenied
        budgets = list(Budget.objects.visible_to(user).in_partnership(partnership).order_by("-business_year")[:50])
        return super().get_context_data(
            title="Budgets",
            budgets=budgets,
            can_add=user_can(user, "governance.add_budget", partnership),
            breadcrumbs=[("Board business", reverse("governance:home"))],
            **kwargs,
        )


class BudgetCreateView(ScopedCreateView):
    object: Budget
    model = Budget
    form_class = BudgetForm
    template_name = FORM_TEMPLATE
    extra_context = {
        "title": "Start a budget",
        "lede": "A budget holds a business year's spending lines. The agreed and received contributions "
        "come from the funding agreements and the contributions recorded for that year.",
    }
    success_message = "The {object} has been started. Add its spending lines."

    def get_initial(self) -> dict[str, Any]:
        return {"business_year": reports.current_business_year(self.request.partnership)}

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class BudgetDetailView(ScopedDetailView):
    object: Budget
    model = Budget
    template_name = "governance/oversight/budget_detail.html"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("partnership")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, budget = self.request.user, self.object
        summary = budget_figures(budget, user)
        context.update(
            title=str(budget),
            summary=summary,
            chart=summary.chart() if summary.agencies else None,
            year_label=reports.business_year_label(budget.business_year),
            can_change=may(user, "change", budget),
            can_add_line=user_can(user, "governance.add_budgetline", budget.partnership)
            and not budget_signed_off(budget),
            can_change_line=user_can(user, "governance.change_budgetline", budget.partnership),
            breadcrumbs=[
                ("Board business", reverse("governance:home")),
                ("Budgets", reverse("governance:budget-list")),
            ],
        )
        from safeboard.governance.arrangements.views import sign_off_rows

        context.update(sign_off_rows(user, budget, budget.partnership))
        return context


class BudgetUpdateView(ScopedUpdateView):
    model = Budget
    form_class = BudgetForm
    template_name = FORM_TEMPLATE

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class BudgetLineCreateView(ScopedChildCreateView):
    model = BudgetLine
    form_class = BudgetLineForm
    parent_model = Budget
    parent_field = "budget"
    success_message = "The budget line ‘{object}’ has been added."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Add a spending line to the {self.parent}")
        return super().get_context_data(**kwargs)

    def save_object(self, form: forms.BaseForm) -> BudgetLine:
        assert isinstance(form, BudgetLineForm)  # form_class
        return add_budget_line(budget=self.parent, line=form.instance)


class BudgetLineUpdateView(ScopedUpdateView):
    model = BudgetLine
    form_class = BudgetLineForm
    template_name = FORM_TEMPLATE

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("budget__partnership")

    def get_success_url(self) -> str:
        return self.object.budget.get_absolute_url()


def _budget_rows(summary: reports.BudgetSummary) -> list[dict[str, Any]]:
    """The summary as one table: a row per agency, a row per spending line, and the totals."""
    rows: list[dict[str, Any]] = [
        {
            "part": "Income",
            "name": row.name,
            "agreed": row.agreed,
            "received": row.received,
            "outstanding": row.outstanding,
            "share": row.agreed_share,
            "planned": None,
            "spent": None,
        }
        for row in summary.agencies
    ]
    rows += [
        {
            "part": "Spending",
            "name": line.title,
            "agreed": None,
            "received": None,
            "outstanding": None,
            "share": None,
            "planned": line.planned,
            "spent": line.spent,
        }
        for line in summary.lines
    ]
    rows.append(
        {
            "part": "Total",
            "name": f"Balance (received less spent): {summary.balance:,.2f}",
            "agreed": summary.agreed,
            "received": summary.received,
            "outstanding": summary.outstanding,
            "share": 100 if summary.agreed else None,
            "planned": summary.planned,
            "spent": summary.spent,
        }
    )
    return rows


BUDGET_COLUMNS = [
    Column("Part", lambda r: r["part"]),
    Column("Agency or budget line", lambda r: r["name"]),
    Column("Agreed", lambda r: r["agreed"], kind="money"),
    Column("Received", lambda r: r["received"], kind="money"),
    Column("Outstanding", lambda r: r["outstanding"], kind="money"),
    Column("Share of agreed income (%)", lambda r: None if r["share"] is None else round(r["share"], 1), kind="number"),
    Column("Planned", lambda r: r["planned"], kind="money"),
    Column("Spent", lambda r: r["spent"], kind="money"),
]


class BudgetExportView(ScopedObjectView):
    """The budget summary as a spreadsheet (``?format=csv`` for CSV, Excel otherwise)."""

    model = Budget
    select_related = ("partnership",)
    http_method_names = ["get", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        budget = self.object
        rows = _budget_rows(budget_figures(budget, request.user))
        name = f"budget-{budget.partnership.slug}-{budget.business_year}"
        if request.GET.get("format") == "csv":
            record_access(budget, AccessAction.EXPORT, detail=f"budget CSV, {len(rows)} rows")
            return csv_response(rows, BUDGET_COLUMNS, name)
        info = ExportInfo.for_request(request, f"{budget} of {budget.partnership.name}")
        content, count = xlsx_bytes(rows, BUDGET_COLUMNS, info, sheet_title="Budget")
        record_access(budget, AccessAction.EXPORT, detail=f"budget XLSX, {count} rows")
        return xlsx_response(content, name)


class BudgetPdfView(BudgetDetailView):
    """The budget summary for the annual report, as a PDF."""

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        context["printed_on"] = timezone.localdate()
        pdf = render_pdf("governance/oversight/budget_print.html", context, request=self.request)
        return pdf_response(pdf, f"budget-{self.object.partnership.slug}-{self.object.business_year}")


class AccountabilityDocumentView(FileDownloadView):
    model = AccountabilitySession
    file_field = "document"


class AgreementDocumentView(FileDownloadView):
    model = FundingAgreement
    file_field = "document"
