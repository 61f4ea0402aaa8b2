from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView
from django.views.generic.edit import FormMixin

from safeboard.core import services
from safeboard.core.audit import AccessAction, AccessLogEntry, ChainedEntry, ChangeLogEntry, record_access
from safeboard.core.filters import AccessLogFilter, AgencyFilter, ChangeLogFilter, GovukFilterSet, LocalityFilter
from safeboard.core.forms import (
    AgencyForm,
    AgencyJoinRequestForm,
    AgencySearchForm,
    AreaForm,
    JoinDecisionForm,
    LocalityForm,
    NewPartnershipForm,
    PartnershipForm,
)
from safeboard.core.http import AuthenticatedHttpRequest, PartnershipRequest, signed_in
from safeboard.core.middleware import CURRENT_PARTNERSHIP
from safeboard.core.models import (
    Agency,
    AgencyJoinRequest,
    AuditedModel,
    JoinRequestStatus,
    LocalAuthorityArea,
    Locality,
    Partnership,
)
from safeboard.core.modules import MODULES_BY_KEY, ModuleInfo
from safeboard.core.pagination import keyset_page
from safeboard.core.panels import WorkPanel, panels_for, plural
from safeboard.core.people import PERSON_SCOPES, person_label, pickable, role_text, search
from safeboard.core.people import RESULTS_LIMIT as PEOPLE_RESULTS_LIMIT
from safeboard.core.people import as_json as person_json
from safeboard.core.permissions import Role, grants_for
from safeboard.core.querysets import scoped, user_can
from safeboard.core.rules import AgencyRules
from safeboard.core.tables import (
    AccessLogTable,
    AgencyTable,
    ChangeLogTable,
    GovukTable,
    LocalityTable,
    PartnershipTable,
)
from safeboard.core.views_base import (
    PartnershipView,
    PostOnlyView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    SignedInView,
    list_results_context,
)

# --- My work -----------------------------------------------------------------------------------------


class HomeView(SignedInView, TemplateView):
    request: AuthenticatedHttpRequest  # as SignedInView (TemplateView declares a plain HttpRequest)
    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        memberships = (
            user.memberships.filter(is_active=True, partnership__is_active=True)
            .select_related("partnership")
            .order_by("partnership__name", "role")
        )
        roles_by_partnership: dict[Partnership, list[str]] = {}
        for membership in memberships:
            roles_by_partnership.setdefault(membership.partnership, []).append(membership.get_role_display())
        partnership = self.request.partnership
        context.update(
            roles_by_partnership=roles_by_partnership,
            modules=usable_modules(user, partnership),
            recent_changes=ChangeLogEntry.objects.filter(actor_id=user.pk).order_by("-id")[:10],
            panels=panels_for(self.request),
            is_system_administrator=user.is_system_administrator,
        )
        return context


def usable_modules(user: Any, partnership: Partnership | None) -> list[tuple[ModuleInfo, str]]:
    """The partnership's modules that have pages and that this person may open: never a card for a
    module still to come, nor a link that would end on "you do not have permission"."""
    if partnership is None:
        return []
    usable = []
    for key in partnership.modules:
        module = MODULES_BY_KEY.get(key)
        if module is None or not module.url_name:
            continue
        if module.permission and not user_can(user, module.permission, partnership):
            continue
        try:
            usable.append((module, reverse(module.url_name)))
        except NoReverseMatch:
            continue
    return usable


class SwitchPartnershipView(PostOnlyView):
    """The header's partnership switcher: only partnerships the person may see can be chosen."""

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        try:
            wanted = int(request.POST.get("partnership", ""))
        except ValueError:
            wanted = 0
        partnership = Partnership.objects.visible_to(request.user).filter(pk=wanted, is_active=True).first()
        if partnership is None:
            raise Http404("No such partnership")
        request.session[CURRENT_PARTNERSHIP] = partnership.pk
        messages.success(request, f"You are now working in {partnership.name}.")
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("core:home")
        return HttpResponseRedirect(target)


# --- Partnerships ----------------------------------------------------------------------------------------


class PartnershipListView(SignedInView, TemplateView):
    """Every partnership on the install: system administrators only."""

    request: AuthenticatedHttpRequest  # as SignedInView (TemplateView declares a plain HttpRequest)
    template_name = "core/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if not grants_for(self.request.user).everywhere("core.add_partnership"):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        page = keyset_page(Partnership.objects.all(), ("name", "id"), self.request.GET.get("cursor"))
        context.update(list_results_context(Partnership.objects.all(), Partnership, self.request.GET))
        context.update(
            title="Partnerships",
            table=PartnershipTable(page.object_list),
            page=page,
            add_url=reverse("core:partnership-new"),
            add_label="Add a partnership",
        )
        return context


class PartnershipCreateView(SignedInView, FormView[NewPartnershipForm]):
    request: AuthenticatedHttpRequest  # as SignedInView (FormView declares a plain HttpRequest)
    template_name = "core/form.html"
    form_class = NewPartnershipForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if signed_in(request) and not grants_for(request.user).everywhere("core.add_partnership"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title="Add a partnership", **kwargs)

    def form_valid(self, form: NewPartnershipForm) -> HttpResponse:
        partnership = form.save()
        messages.success(self.request, f"{partnership} has been added. Now add its administrators.")
        return redirect(partnership)


class PartnershipDetailView(ScopedDetailView):
    model = Partnership
    template_name = "core/partnership_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        partnership = self.object
        user = self.request.user
        context.update(
            areas=LocalAuthorityArea.objects.visible_to(user).filter(partnership=partnership),
            agency_count=Agency.objects.visible_to(user).in_partnership(partnership).count(),
            module_names=[MODULES_BY_KEY[k].name for k in partnership.modules if k in MODULES_BY_KEY],
            can_change=Partnership.objects.visible_to(user, "change").filter(pk=partnership.pk).exists(),
            can_see_history=user_can(user, "core.view_history", partnership),
        )
        # A count per role is an aggregate with no one named in it: every member may see it.
        labels = dict(Role.choices)
        rows = partnership.memberships.filter(is_active=True).values("role").annotate(n=Count("id")).order_by("role")
        context["role_counts"] = [(labels.get(r["role"], r["role"]), r["n"]) for r in rows]
        return context


class PartnershipUpdateView(ScopedUpdateView):
    object: Partnership
    model = Partnership
    form_class = PartnershipForm
    template_name = "core/form.html"

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


# --- Agencies ------------------------------------------------------------------------------------------


class AgencyListView(ScopedListView):
    model = Agency
    filterset_class = AgencyFilter
    table_class = AgencyTable
    ordering = ("name", "id")
    title = "Agencies"
    template_name = "core/agency_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, partnership = self.request.user, self.request.partnership
        if user_can(user, "core.add_agency", partnership):
            context.update(add_url=reverse("core:agency-new"), add_label="Add an agency")
        if user_can(user, "core.add_agencyjoinrequest", partnership):
            context.update(
                secondary_url=reverse("core:agency-join"),
                secondary_label="Add an agency already on another board",
                requests_url=reverse("core:agency-requests"),
            )
        return context


class AgencyDetailView(ScopedDetailView):
    model = Agency
    template_name = "core/agency_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        partnership = self.request.partnership
        rules = AgencyRules(user, self.object)
        administers_here = partnership is not None and user_can(user, "core.change_agency", partnership)
        context.update(
            partnerships=Partnership.objects.visible_to(user).filter(agencies=self.object),
            can_change=rules.can_change_identity(),
            # Explain who can, to the administrators who would otherwise expect a "Change" button.
            who_can_change=rules.who_can_change() if administers_here and not rules.can_change_identity() else "",
            can_remove=rules.can_remove_from(partnership),
            can_see_history=user_can(user, "core.view_history", partnership),
        )
        return context


class AgencyCreateView(ScopedCreateView):
    model = Agency
    form_class = AgencyForm
    template_name = "core/form.html"
    extra_context = {"title": "Add an agency"}

    def save_object(self, form: forms.BaseModelForm[Any]) -> Agency:
        # In the same transaction as the save, before the check that the new agency is in sight.
        agency = super().save_object(form)
        assert isinstance(agency, Agency)  # the form is an AgencyForm
        agency.partnerships.add(self.request.partnership)
        return agency


class AgencyJoinView(PartnershipView, TemplateView):
    """Ask for an agency that already sits on another board (or on none) to join this partnership.

    The page never lists the platform's agencies: it finds one by its exact name or code. Joining is
    a request that an administrator of a partnership the agency sits on approves (core.services).
    """

    request: PartnershipRequest  # as PartnershipView (TemplateView declares a plain HttpRequest)
    template_name = "core/agency_join.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if signed_in(request) and request.partnership is not None:
            if not user_can(request.user, "core.add_agencyjoinrequest", request.partnership):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        partnership = self.request.partnership
        search = kwargs.get("search") or AgencySearchForm(self.request.GET or None)
        found: list[tuple[Agency, str, Any]] = []
        if search.is_bound and search.is_valid():
            query = search.cleaned_data["q"]
            on_here = set(Agency.objects.in_partnership(partnership).values_list("pk", flat=True))
            waiting = set(
                AgencyJoinRequest.objects.filter(partnership=partnership, status=JoinRequestStatus.PENDING).values_list(
                    "agency_id", flat=True
                )
            )
            for agency in services.find_agencies(query):
                if agency.pk in on_here:
                    found.append((agency, "here", None))
                elif agency.pk in waiting:
                    found.append((agency, "waiting", None))
                else:
                    # Ids carry the agency's id: a name search and a code search may find two agencies.
                    posted = kwargs.get("request_form")
                    if posted is None or posted.data.get("agency") != str(agency.pk):
                        posted = AgencyJoinRequestForm(
                            initial={"q": query, "agency": agency.pk}, auto_id=f"id_%s_{agency.pk}"
                        )
                    found.append((agency, "ask", posted))
        context.update(
            title="Add an agency already on another board",
            search=search,
            searched=search.is_bound,
            found=found,
            partnership=partnership,
        )
        return context

    def post(self, request: PartnershipRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        agency_id = request.POST.get("agency", "")
        form = AgencyJoinRequestForm(request.POST, auto_id=f"id_%s_{agency_id}" if agency_id.isdigit() else "id_%s")
        search = AgencySearchForm({"q": request.POST.get("q", "")})
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(search=search, request_form=form))
        # Only an agency the search finds may be asked for: an id on its own opens nothing.
        agency = next(
            (a for a in services.find_agencies(form.cleaned_data["q"]) if a.pk == form.cleaned_data["agency"]), None
        )
        if agency is None:
            search.add_error("q", "No agency has exactly that name or code. Check it and search again.")
            return self.render_to_response(self.get_context_data(search=search))
        try:
            join = services.request_to_join(
                agency=agency,
                partnership=request.partnership,
                requested_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.AgencyError as refused:
            search.add_error(None, str(refused))
            return self.render_to_response(self.get_context_data(search=search))
        if join.status == JoinRequestStatus.APPROVED:
            messages.success(request, f"{agency} now sits on {request.partnership}.")
            return redirect(agency)
        messages.success(
            request,
            f"You have asked to add {agency} to {request.partnership}. An administrator of a partnership it "
            "already sits on will decide, and you will get an email when they do.",
        )
        return redirect("core:agency-requests")


class AgencyUpdateView(ScopedUpdateView):
    object: Agency
    """Changing an agency's identity changes it for every partnership it sits on: only someone who
    administers all of them (or the system administrator) may."""

    model = Agency
    form_class = AgencyForm
    template_name = "core/form.html"

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Agency:
        obj: Agency = super(ScopedUpdateView, self).get_object(queryset)
        rules = AgencyRules(self.request.user, obj)
        if not rules.can_change_identity():
            raise PermissionDenied(rules.who_can_change())
        return obj

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class AgencyRemoveView(PartnershipView, TemplateView):
    """Deactivating from one partnership: the agency stops sitting on it and stays on the others."""

    request: PartnershipRequest  # as PartnershipView (TemplateView declares a plain HttpRequest)
    template_name = "core/agency_remove.html"

    def agency(self) -> Agency:
        agency = get_object_or_404(Agency.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        partnership = self.request.partnership
        if not agency.partnerships.filter(pk=partnership.pk).exists():
            raise Http404("This agency does not sit on the partnership you are working in")
        if not AgencyRules(self.request.user, agency).can_remove_from(partnership):
            raise PermissionDenied
        return agency

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        agency = self.agency()
        others = agency.partnerships.exclude(pk=self.request.partnership.pk).count()
        return super().get_context_data(agency=agency, other_partnerships=others, **kwargs)

    def post(self, request: PartnershipRequest, pk: int) -> HttpResponse:
        agency = self.agency()
        try:
            services.remove_from_partnership(agency=agency, partnership=request.partnership, removed_by=request.user)
        except services.AgencyError as refused:
            raise PermissionDenied(str(refused)) from None
        messages.success(
            request, f"{agency} no longer sits on {request.partnership}. It stays on any other partnership it sits on."
        )
        return redirect("core:agency-list")


class AgencyJoinRequestListView(PartnershipView, TemplateView):
    """Requests waiting for the person's decision, and the current partnership's own requests."""

    request: PartnershipRequest  # as PartnershipView (TemplateView declares a plain HttpRequest)
    template_name = "core/agency_requests.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, partnership = self.request.user, self.request.partnership
        if not user_can(user, "core.view_agencyjoinrequest", partnership):
            raise PermissionDenied
        waiting = (
            AgencyJoinRequest.objects.awaiting_decision_by(user)
            .select_related("agency", "partnership", "requested_by")
            .order_by("created_at", "id")[:100]
        )
        sent = (
            AgencyJoinRequest.objects.visible_to(user)
            .filter(partnership=partnership)
            .select_related("agency", "requested_by", "decided_by")
            .order_by("-created_at", "-id")[:50]
        )
        return super().get_context_data(
            title="Requests to add agencies", waiting=waiting, sent=sent, partnership=partnership, **kwargs
        )


class AgencyJoinRequestView(PartnershipView, FormView[JoinDecisionForm]):
    """One request, and the decision for those who may take it."""

    request: PartnershipRequest  # as PartnershipView (FormView declares a plain HttpRequest)
    _join_request: AgencyJoinRequest
    template_name = "core/agency_request.html"
    form_class = JoinDecisionForm

    def join_request(self) -> AgencyJoinRequest:
        if not hasattr(self, "_join_request"):
            queryset = AgencyJoinRequest.objects.visible_to(self.request.user).select_related(
                "agency", "partnership", "requested_by", "decided_by"
            )
            self._join_request = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self._join_request

    def can_decide(self) -> bool:
        join = self.join_request()
        return join.is_pending and AgencyRules(self.request.user, join.agency).can_decide_joining()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        join = self.join_request()
        return super().get_context_data(join=join, can_decide=self.can_decide(), **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        join = self.join_request()
        if not join.is_pending:
            messages.error(request, f"This request has already been {join.get_status_display().lower()}.")
            return self.render_to_response(self.get_context_data(form=self.get_form()), status=409)
        if not AgencyRules(self.request.user, join.agency).can_decide_joining():
            raise PermissionDenied(
                "Only an administrator of a partnership this agency sits on can decide this request."
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: JoinDecisionForm) -> HttpResponse:
        join = self.join_request()
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.decide_join_request(
                request=join, decided_by=self.request.user, approve=approve, note=form.cleaned_data["note"]
            )
        except services.AlreadyDecided as refused:
            form.add_error(None, str(refused))
            return self.render_to_response(self.get_context_data(form=form), status=409)
        except services.AgencyError as refused:
            raise PermissionDenied(str(refused)) from None
        if approve:
            messages.success(self.request, f"{join.agency} now sits on {join.partnership} too. They have been told.")
        else:
            messages.success(self.request, f"You declined {join.partnership}'s request. They have been told.")
        return redirect("core:agency-requests")


def agency_requests_panel(request: HttpRequest) -> WorkPanel | None:
    """The My work panel of agencies waiting for the person's decision: one query, hidden when empty."""
    user = request.user
    if not user.is_authenticated or not grants_for(user).has_anywhere("core.decide_agencyjoinrequest"):
        return None
    rows = list(
        AgencyJoinRequest.objects.awaiting_decision_by(user)
        .select_related("agency", "partnership")
        .order_by("created_at", "id")[: AGENCY_PANEL_SIZE + 1]
    )
    if not rows:
        return None
    return WorkPanel(
        title="Agencies waiting for your decision",
        template="core/panels/agency_requests.html",
        context={"requests": rows[:AGENCY_PANEL_SIZE], "more": len(rows) > AGENCY_PANEL_SIZE},
        order=30,
        count=len(rows[:AGENCY_PANEL_SIZE]),
        summary=plural(len(rows), "agency", "agencies")
        + (" or more" if len(rows) > AGENCY_PANEL_SIZE else "")
        + " waiting for your decision",
        key="agency-requests",
    )


AGENCY_PANEL_SIZE = 5


# --- Areas and localities --------------------------------------------------------------------------


class LocalityListView(ScopedListView):
    model = Locality
    filterset_class = LocalityFilter
    table_class = LocalityTable
    ordering = ("name", "id")
    select_related = ("area",)
    template_name = "core/locality_list.html"
    title = "Areas and localities"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, partnership = self.request.user, self.request.partnership
        context.update(
            areas=LocalAuthorityArea.objects.visible_to(user).in_partnership(partnership),
            can_add=user_can(user, "core.add_locality", partnership),
            can_add_area=user_can(user, "core.add_localauthorityarea", partnership),
        )
        if not context["can_add"]:
            context["table"].exclude = ("edit",)
        return context


class PartnershipFormKwargsMixin(FormMixin[Any]):
    """The current partnership for the form (before a ``ScopedCreateView`` or ``ScopedUpdateView``)."""

    request: PartnershipRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "partnership": self.request.partnership}

    def extra_form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.request.partnership}


class LocalityCreateView(PartnershipFormKwargsMixin, ScopedCreateView):
    request: PartnershipRequest  # as both bases
    model = Locality
    form_class = LocalityForm
    template_name = "core/form.html"
    extra_context = {"title": "Add a locality"}

    def get_success_url(self) -> str:
        return reverse("core:locality-list")


class LocalityUpdateView(PartnershipFormKwargsMixin, ScopedUpdateView):
    request: PartnershipRequest  # as both bases
    model = Locality
    form_class = LocalityForm
    template_name = "core/form.html"

    def get_success_url(self) -> str:
        return reverse("core:locality-list")


class AreaCreateView(ScopedCreateView):
    model = LocalAuthorityArea
    form_class = AreaForm
    template_name = "core/form.html"
    extra_context = {"title": "Add a local authority area"}

    def get_success_url(self) -> str:
        return reverse("core:locality-list")


class AreaUpdateView(ScopedUpdateView):
    model = LocalAuthorityArea
    form_class = AreaForm
    template_name = "core/form.html"

    def get_success_url(self) -> str:
        return reverse("core:locality-list")


# --- Record history and the audit trail ------------------------------------------------------------------


def _audited_model(app_label: str, model_name: str) -> type[AuditedModel]:
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404("No such kind of record") from None
    if not issubclass(model, AuditedModel):
        raise Http404("No such kind of record")
    return model


class RecordHistoryView(SignedInView, TemplateView):
    """Every change to one record (before and after), and who has looked at it.

    Open to those who may see the record and hold ``core.view_history`` in a partnership it is in
    (``AuditedModel.audit_partnership_ids``). They see the entries of the partnerships where they
    hold it: for a person or an agency shared with other partnerships, the changes and views made in
    theirs, not the others'. System administrators see every entry.
    """

    request: AuthenticatedHttpRequest  # as SignedInView (TemplateView declares a plain HttpRequest)
    template_name = "core/record_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        model = _audited_model(kwargs["app_label"], kwargs["model_name"])
        obj = get_object_or_404(scoped(model).visible_to(user), pk=kwargs["pk"])
        grants = grants_for(user)
        in_partnerships = obj.audit_partnership_ids()
        readable: set[int] | None = None  # None: every entry (system administrators)
        if not grants.everywhere("core.view_history"):
            readable = set(grants.scopes("core.view_history"))
            if not readable & in_partnerships:
                raise PermissionDenied
        content_type = ContentType.objects.get_for_model(model)
        changes = ChangeLogEntry.objects.filter(content_type_id=content_type.pk, object_id=str(obj.pk))
        views = AccessLogEntry.objects.filter(content_type_id=content_type.pk, object_id=str(obj.pk))
        if readable is not None:
            changes = changes.filter(ChangeLogEntry.in_partnerships(readable))
            views = views.filter(AccessLogEntry.in_partnerships(readable))
        page = keyset_page(changes, ("-id",), self.request.GET.get("cursor"))
        ChangeLogEntry.prefetch_names(page.object_list)
        recent_views = list(views.order_by("-id")[:100])
        record_access(obj, AccessAction.VIEW, detail="record history")
        context.update(
            object=obj,
            model_name=model._meta.verbose_name,
            page=page,
            views=recent_views,
            holds_personal_data=getattr(obj, "holds_personal_data", False),
            shared_elsewhere=readable is not None and bool(in_partnerships - readable),
        )
        return context


class AuditLogView(SignedInView, TemplateView):
    """The whole change log or access log, searchable: system administrators only."""

    request: AuthenticatedHttpRequest  # as SignedInView (TemplateView declares a plain HttpRequest)
    template_name = "core/audit_log.html"
    log = "changes"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if not grants_for(self.request.user).everywhere("core.view_auditlog"):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        model: type[ChainedEntry]
        filter_class: type[GovukFilterSet]
        table_class: type[GovukTable]
        if self.log == "changes":
            model, filter_class, table_class, title = ChangeLogEntry, ChangeLogFilter, ChangeLogTable, "Changes"
        else:
            model, filter_class, table_class, title = AccessLogEntry, AccessLogFilter, AccessLogTable, "Record views"
        filterset = filter_class(self.request.GET or None, queryset=model._default_manager.all())
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else model._default_manager.all()
        page = keyset_page(queryset, ("-id",), self.request.GET.get("cursor"))
        query = self.request.GET.copy()
        query.pop("cursor", None)
        context.update(
            list_results_context(queryset, model, query, "Nothing has been recorded yet.", ("entry", "entries"))
        )
        context.update(
            title=f"Audit trail: {title.lower()}",
            log=self.log,
            filterset=filterset,
            table=table_class(page.object_list),
            page=page,
            querystring=query.urlencode(),
        )
        return context


# --- Finding a person to pick -----------------------------------------------------------------------------


class PeopleSearchView(PartnershipView, TemplateView):
    """The person picker's search: the people of the current partnership that the person may pick
    (``accounts.pick_user``), within one of ``PERSON_SCOPES``, whose name, agency, email or job
    title contains what was typed. JSON for the autocomplete (``?format=json`` or an ``Accept:
    application/json`` request); otherwise an HTML page with the same search."""

    request: PartnershipRequest  # as PartnershipView (TemplateView declares a plain HttpRequest)

    template_name = "core/people_search.html"

    def results(self) -> tuple[str, list[Any]]:
        partnership = self.request.partnership
        if not user_can(self.request.user, "accounts.pick_user", partnership):
            raise PermissionDenied
        scope = PERSON_SCOPES.get(self.request.GET.get("scope", "people"))
        if scope is None:
            raise Http404("No such list of people")
        text = self.request.GET.get("q", "").strip()[:100]
        if not text:
            return text, []
        people = pickable(self.request.user, partnership, scope(partnership))
        return text, list(search(people, text)[:PEOPLE_RESULTS_LIMIT])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        text, found = self.results()
        if request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"query": text, "results": [person_json(p) for p in found]})
        return self.render_to_response(
            self.get_context_data(
                title="Find a person",
                query=text,
                found=[(p, person_label(p), role_text(p)) for p in found],
                scope=request.GET.get("scope", "people"),
                limit=PEOPLE_RESULTS_LIMIT,
            )
        )


# --- Health -----------------------------------------------------------------------------------------------


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer: the database answers and the task queue table is readable."""
    checks: dict[str, str] = {}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001
        checks["database"] = "unreachable"
        status = 503
    try:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()
        checks["task_queue"] = "ok"
    except Exception:  # noqa: BLE001
        checks["task_queue"] = "unreachable"
        status = 503
    return JsonResponse({"status": "ok" if status == 200 else "failing", "checks": checks}, status=status)


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: healthy, and every migration applied (a new release is not served half-migrated)."""
    response = healthz(request)
    if response.status_code != 200:
        return response
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return JsonResponse({"status": "not ready", "pending_migrations": len(pending)}, status=503)
    return JsonResponse({"status": "ready"})


# --- Error pages --------------------------------------------------------------------------------------------


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "core/errors/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "You do not have permission to do this."}, status=403)
    return render(request, "core/errors/403.html", {"reason": str(exception or "")}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side. It has been logged."}, status=500)
    return render(request, "core/errors/500.html", status=500)
