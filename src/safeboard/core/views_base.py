"""Generic views every module reuses: scoped lists, details, create and edit forms.

Each view starts from ``Model.objects.visible_to(user, action)``: an object outside that set is a
404. An object the person may see but not change is a 403 on its edit page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.views import View
from django.views.generic import DetailView, TemplateView
from django.views.generic.edit import CreateView, UpdateView

from safeboard.core.audit import AccessAction, record_access, record_list_access
from safeboard.core.concurrency import CONFLICT_MESSAGE, EditConflict
from safeboard.core.pagination import keyset_page
from safeboard.core.querysets import permission_name, user_can


class SignedInView(LoginRequiredMixin, View):
    """Base for every page behind sign-in."""


class PartnershipView(SignedInView):
    """A page that works inside the current partnership; without one there is nothing to show."""

    def dispatch(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        if request.user.is_authenticated and request.partnership is None:
            raise PermissionDenied("You do not have a role in any partnership yet.")
        return super().dispatch(request, *args, **kwargs)


class ScopedListView(PartnershipView, TemplateView):
    """A filtered, keyset-paged list of the current partnership's records the person may see."""

    model: type[models.Model]
    filterset_class: Any = None
    table_class: Any = None
    ordering: tuple[str, ...] = ("id",)
    per_page = 50
    permission_action = "view"
    select_related: tuple[str, ...] = ()
    title = ""

    def base_queryset(self) -> models.QuerySet:
        user = self.request.user
        perm = permission_name(self.model, self.permission_action)
        if not user_can(user, perm, self.request.partnership):
            raise PermissionDenied
        partnership = self.request.partnership
        queryset = self.model.objects.visible_to(user, self.permission_action, partnership=partnership)  # type: ignore[attr-defined]
        queryset = queryset.in_partnership(partnership)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        queryset = self.base_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
            queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        page = keyset_page(queryset, self.ordering, self.request.GET.get("cursor"), self.per_page)
        table = self.table_class(page.object_list) if self.table_class else None
        query = self.request.GET.copy()
        query.pop("cursor", None)
        if getattr(self.model, "holds_personal_data", False):
            # Personal data read in bulk: one access-log entry names every record on the page.
            shown = f"{self.model._meta.verbose_name_plural} list" + (f" ({query.urlencode()})" if query else "")
            record_list_access(self.model, [obj.pk for obj in page.object_list], shown, self.request.partnership)
        context.update(
            title=self.title or self.model._meta.verbose_name_plural.capitalize(),
            filterset=filterset,
            table=table,
            page=page,
            querystring=query.urlencode(),
        )
        return context

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["core/includes/list_results.html"]
        return [self.template_name or "core/list.html"]


class ScopedDetailView(PartnershipView, DetailView):
    permission_action = "view"

    def get_queryset(self) -> models.QuerySet:
        return self.model.objects.visible_to(self.request.user, self.permission_action)  # type: ignore[attr-defined]

    def get_object(self, queryset: models.QuerySet | None = None) -> models.Model:
        obj = super().get_object(queryset)
        if getattr(obj, "holds_personal_data", False):
            record_access(obj, AccessAction.VIEW)
        return obj


class ScopedCreateView(PartnershipView, CreateView):
    """Adds a record to the current partnership; needs the ``add`` permission there."""

    success_message = "{object} has been added."

    def dispatch(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        if request.user.is_authenticated and request.partnership is not None:
            if not user_can(request.user, permission_name(self.model, "add"), request.partnership):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        # A new record belongs to the partnership the person is working in, never one from the form.
        if any(f.name == "partnership" for f in self.model._meta.concrete_fields):
            form.instance.partnership = self.request.partnership
        response = super().form_valid(form)
        messages.success(self.request, self.success_message.format(object=self.object))
        return response


class ScopedUpdateView(PartnershipView, UpdateView):
    """Edits a record: 404 when out of sight, 403 when visible but not changeable, conflict-safe."""

    success_message = "Your changes to {object} have been saved."

    def get_queryset(self) -> models.QuerySet:
        return self.model.objects.visible_to(self.request.user, "view")  # type: ignore[attr-defined]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change {self.object}")
        return super().get_context_data(**kwargs)

    def get_object(self, queryset: models.QuerySet | None = None) -> models.Model:
        obj = super().get_object(queryset)
        changeable = self.model.objects.visible_to(self.request.user, "change")  # type: ignore[attr-defined]
        if not changeable.filter(pk=obj.pk).exists():
            raise PermissionDenied
        return obj

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        try:
            self.object = form.save_checked()
        except EditConflict as conflict:
            saved = type(conflict.current)._base_manager.get(pk=conflict.current.pk)
            current_values = [
                (field.label, display_value(saved, name))
                for name, field in form.fields.items()
                if name != "version_seen"
            ]
            data = self.request.POST.copy()
            data["version_seen"] = str(saved.version)
            form = self.get_form_class()(
                data=data, files=self.request.FILES, instance=conflict.current, **self.extra_form_kwargs()
            )
            form.is_valid()
            form.add_error(None, CONFLICT_MESSAGE)
            return self.render_to_response(
                self.get_context_data(form=form, conflict=saved, conflict_values=current_values), status=409
            )
        messages.success(self.request, self.success_message.format(object=self.object))
        return redirect(self.get_success_url())

    def extra_form_kwargs(self) -> dict[str, Any]:
        return {}


def display_value(obj: models.Model, name: str) -> str:
    """A field's value as a person reads it: choice labels, Yes/No, names of related records."""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field
        return str(getattr(obj, name, ""))
    if getattr(field, "choices", None):
        return str(getattr(obj, f"get_{name}_display")())
    value = getattr(obj, name)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field.many_to_many:
        return ", ".join(str(v) for v in value.all())
    return "" if value is None else str(value)


class PostOnlyView(SignedInView):
    """Actions that change state (sign out, revoke, remove) take POST only; GET is a 405."""

    http_method_names = ["post", "options"]
