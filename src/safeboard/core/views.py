from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView

from safeboard.core.audit import AccessAction, AccessLogEntry, ChangeLogEntry, record_access
from safeboard.core.filters import AccessLogFilter, AgencyFilter, ChangeLogFilter, LocalityFilter
from safeboard.core.forms import (
    AddExistingAgencyForm,
    AgencyForm,
    AreaForm,
    LocalityForm,
    NewPartnershipForm,
    PartnershipForm,
)
from safeboard.core.middleware import CURRENT_PARTNERSHIP
from safeboard.core.models import Agency, AuditedModel, LocalAuthorityArea, Locality, Partnership
from safeboard.core.modules import MODULES_BY_KEY, ModuleInfo
from safeboard.core.pagination import keyset_page
from safeboard.core.panels import panels_for
from safeboard.core.permissions import Role, grants_for
from safeboard.core.querysets import user_can
from safeboard.core.tables import AccessLogTable, AgencyTable, ChangeLogTable, LocalityTable, PartnershipTable
from safeboard.core.views_base import (
    PartnershipView,
    PostOnlyView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    SignedInView,
)

# --- My work -----------------------------------------------------------------------------------------


class HomeView(SignedInView, TemplateView):
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
            modules=[
                (MODULES_BY_KEY[k], _module_url(MODULES_BY_KEY[k]))
                for k in (partnership.modules if partnership else [])
                if k in MODULES_BY_KEY
            ],
            recent_changes=ChangeLogEntry.objects.filter(actor_id=user.pk).order_by("-id")[:10],
            panels=panels_for(self.request),
            is_system_administrator=user.is_system_administrator,
        )
        return context


def _module_url(module: ModuleInfo) -> str | None:
    if not module.url_name:
        return None
    try:
        return reverse(module.url_name)
    except NoReverseMatch:
        return None


class SwitchPartnershipView(PostOnlyView):
    """The header's partnership switcher: only partnerships the person may see can be chosen."""

    def post(self, request):  # type: ignore[no-untyped-def]
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

    template_name = "core/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if not grants_for(self.request.user).everywhere("core.add_partnership"):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        page = keyset_page(Partnership.objects.all(), ("name", "id"), self.request.GET.get("cursor"))
        context.update(
            title="Partnerships",
            table=PartnershipTable(page.object_list),
            page=page,
            add_url=reverse("core:partnership-new"),
            add_label="Add a partnership",
        )
        return context


class PartnershipCreateView(SignedInView, FormView):
    template_name = "core/form.html"
    form_class = NewPartnershipForm

    def dispatch(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        if request.user.is_authenticated and not grants_for(request.user).everywhere("core.add_partnership"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title="Add a partnership", **kwargs)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if user_can(self.request.user, "core.add_agency", self.request.partnership):
            context.update(
                add_url=reverse("core:agency-new"),
                add_label="Add an agency",
                secondary_url=reverse("core:agency-join"),
                secondary_label="Add an agency already on another board",
            )
        return context


class AgencyDetailView(ScopedDetailView):
    model = Agency
    template_name = "core/agency_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        partnership = self.request.partnership
        context.update(
            partnerships=Partnership.objects.visible_to(user).filter(agencies=self.object),
            can_change=Agency.objects.visible_to(user, "change").filter(pk=self.object.pk).exists(),
            can_see_history=user_can(user, "core.view_history", partnership),
        )
        return context


class AgencyCreateView(ScopedCreateView):
    model = Agency
    form_class = AgencyForm
    template_name = "core/form.html"
    extra_context = {"title": "Add an agency"}

    def save_object(self, form):  # type: ignore[no-untyped-def]
        # In the same transaction as the save, before the check that the new agency is in sight.
        agency = super().save_object(form)
        agency.partnerships.add(self.request.partnership)
        return agency


class AgencyJoinView(PartnershipView, FormView):
    """Adds an agency that already sits on another board to the current partnership."""

    template_name = "core/form.html"
    form_class = AddExistingAgencyForm
    extra_context = {"title": "Add an agency already on another board"}

    def dispatch(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        if request.user.is_authenticated and request.partnership is not None:
            if not user_can(request.user, "core.add_agency", request.partnership):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "partnership": self.request.partnership}

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        agency = form.cleaned_data["agency"]
        agency.partnerships.add(self.request.partnership)
        messages.success(self.request, f"{agency} now sits on {self.request.partnership}.")
        return redirect(agency)


class AgencyUpdateView(ScopedUpdateView):
    model = Agency
    form_class = AgencyForm
    template_name = "core/form.html"

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


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


class PartnershipFormKwargsMixin:
    request: Any

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "partnership": self.request.partnership}  # type: ignore[misc]

    def extra_form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.request.partnership}


class LocalityCreateView(PartnershipFormKwargsMixin, ScopedCreateView):
    model = Locality
    form_class = LocalityForm
    template_name = "core/form.html"
    extra_context = {"title": "Add a locality"}

    def get_success_url(self) -> str:
        return reverse("core:locality-list")


class LocalityUpdateView(PartnershipFormKwargsMixin, ScopedUpdateView):
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

    template_name = "core/record_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        model = _audited_model(kwargs["app_label"], kwargs["model_name"])
        obj = get_object_or_404(model.objects.visible_to(user), pk=kwargs["pk"])  # type: ignore[attr-defined]
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

    template_name = "core/audit_log.html"
    log = "changes"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if not grants_for(self.request.user).everywhere("core.view_auditlog"):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        if self.log == "changes":
            model, filter_class, table_class, title = ChangeLogEntry, ChangeLogFilter, ChangeLogTable, "Changes"
        else:
            model, filter_class, table_class, title = AccessLogEntry, AccessLogFilter, AccessLogTable, "Record views"
        filterset = filter_class(self.request.GET or None, queryset=model.objects.all())
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else model.objects.all()
        page = keyset_page(queryset, ("-id",), self.request.GET.get("cursor"))
        query = self.request.GET.copy()
        query.pop("cursor", None)
        context.update(
            title=f"Audit trail: {title.lower()}",
            log=self.log,
            filterset=filterset,
            table=table_class(page.object_list),
            page=page,
            querystring=query.urlencode(),
        )
        return context


# --- Health -----------------------------------------------------------------------------------------------


def healthz(request):  # type: ignore[no-untyped-def]
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


def readyz(request):  # type: ignore[no-untyped-def]
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


def not_found(request, exception=None):  # type: ignore[no-untyped-def]
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "core/errors/404.html", status=404)


def forbidden(request, exception=None):  # type: ignore[no-untyped-def]
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "You do not have permission to do this."}, status=403)
    return render(request, "core/errors/403.html", {"reason": str(exception or "")}, status=403)


def server_error(request):  # type: ignore[no-untyped-def]
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side. It has been logged."}, status=500)
    return render(request, "core/errors/500.html", status=500)
