"""Generic views every module reuses: scoped lists and details, create and edit forms, a record
created under another, a workflow step, and a file download.

Each view starts from ``Model.objects.visible_to(user, action)``: an object outside that set is a
404. An object the person may see but not change is a 403 on its edit page. After a save, inside
the same transaction, the record must still be visible to the person who saved it, or the change
is rolled back and the form says why (NetBox's pattern: nobody can save a record out of their own
sight, for example an agency lead moving a record to another agency).
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied, SuspiciousFileOperation
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import get_valid_filename
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django.views.generic.edit import CreateView, UpdateView

from safeboard.core.audit import AccessAction, access_entries_at_the_end, record_access, record_list_access
from safeboard.core.concurrency import CONFLICT_MESSAGE, EditConflict
from safeboard.core.forms import GovukForm, PartnershipFormMixin
from safeboard.core.http import AuthenticatedHttpRequest, PartnershipRequest, signed_in
from safeboard.core.models import Partnership
from safeboard.core.pagination import keyset_page
from safeboard.core.querysets import may, partnership_of, permission_name, scoped, user_can
from safeboard.core.services import ServiceError
from safeboard.core.uploads import content_type_for

logger = logging.getLogger("safeboard.views")

OUT_OF_SIGHT_MESSAGE = (
    "This has not been saved: once saved, the record would be outside what you can see (for example "
    "it would belong to another agency). Check your choices, or ask your partnership's business unit "
    "to make the change."
)


class SignedInView(LoginRequiredMixin, View):
    """Base for every page behind sign-in."""

    request: AuthenticatedHttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # The access-log entries of the page are written when the view has done its own work,
        # together, in the request's transaction (core/audit.py).
        with access_entries_at_the_end():
            return super().dispatch(request, *args, **kwargs)


class PartnershipView(SignedInView):
    """A page that works inside the current partnership; without one there is nothing to show."""

    request: PartnershipRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if signed_in(request) and request.partnership is None:
            raise PermissionDenied("You do not have a role in any partnership yet.")
        return super().dispatch(request, *args, **kwargs)


# --- Helpers the views below share ----------------------------------------------------------------------


class SavedOutOfSight(Exception):
    """Raised inside the save's transaction to roll it back (see ``require_still_visible``)."""


def require_still_visible(user: Any, obj: models.Model) -> None:
    """Inside the transaction that saved ``obj``: refuse (and so roll back) when the person who
    saved it could no longer see it."""
    manager = getattr(type(obj), "objects", None)
    if manager is None or not hasattr(manager, "visible_to"):
        return  # not a scoped record (the module's own bookkeeping)
    if not manager.visible_to(user).filter(pk=obj.pk).exists():
        raise SavedOutOfSight


def partnership_form_kwargs(form_class: Any, partnership: Partnership | None, user: Any) -> dict[str, Any]:
    """``partnership`` and ``user`` for forms built on ``PartnershipFormMixin``; nothing for others."""
    if isinstance(form_class, type) and issubclass(form_class, PartnershipFormMixin):
        return {"partnership": partnership, "user": user}
    return {}


def add_refusal(form: forms.BaseForm, refusal: ServiceError) -> None:
    """Put a service's refusal on the form: on its field when it names one, else at the top."""
    field = refusal.field if refusal.field in form.fields else None
    form.add_error(field, refusal.message)


def safe_next_url(request: HttpRequest, fallback: str) -> str:
    """The ``next`` address posted with a form, when it is on this site; else ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


# --- Lists and details ----------------------------------------------------------------------------------


COUNT_LIMIT = 1_000  # lists count their results up to here ("More than 1,000 actions"), no further: counting
# 10,000 people through the visibility rule was most of the people list's time at national scale


def result_count_text(count: int, singular: str, plural: str) -> str:
    """ "1 action", "23 actions", "No actions", "More than 1,000 actions"."""
    if count > COUNT_LIMIT:
        return f"More than {COUNT_LIMIT:,} {plural}"
    if count == 0:
        return f"No {plural}"
    return f"{count:,} {singular if count == 1 else plural}"


def list_results_context(
    queryset: models.QuerySet[Any],
    model: type[models.Model],
    query: Any,
    empty_message: str = "",
    names: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """What ``core/includes/list_results.html`` needs besides the table and the page: the count
    (up to ``COUNT_LIMIT``), its text, whether filters are applied and the empty-state message.
    Every list page gives it, whether or not it is a ``ScopedListView``."""
    count = queryset.order_by()[: COUNT_LIMIT + 1].count()
    singular, plural = names or (str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
    return {
        "result_count": count,
        "count_text": result_count_text(count, singular, plural),
        "list_filtered": any(value for key, value in query.items() if key != "cursor"),
        "empty_message": empty_message or f"There are no {plural} yet.",
    }


class ScopedListView(PartnershipView, TemplateView):
    """A filtered, keyset-paged list of the current partnership's records the person may see.

    The page says how many records match (counted up to ``COUNT_LIMIT``), has Previous and Next
    links, announces the new count in a polite live region after an htmx filter, and, when nothing
    matches, says what to do: ``empty_message`` when there are no records at all (for example "No
    actions yet. Add one with ‘Add an action’."), otherwise how to change or clear the filters. The
    filter set is always bound, so its defaults (the action log's live actions) apply on arrival.
    """

    request: PartnershipRequest  # as PartnershipView (Django's generic views declare a plain HttpRequest)

    model: type[models.Model]
    filterset_class: Any = None
    table_class: Any = None
    ordering: tuple[str, ...] = ("id",)
    per_page = 50
    permission_action = "view"
    select_related: tuple[str, ...] = ()
    title = ""
    empty_message = ""

    def base_queryset(self) -> models.QuerySet[Any]:
        user = self.request.user
        perm = permission_name(self.model, self.permission_action)
        if not user_can(user, perm, self.request.partnership):
            raise PermissionDenied
        partnership = self.request.partnership
        queryset = scoped(self.model).visible_to(user, self.permission_action, partnership=partnership)
        queryset = queryset.in_partnership(partnership)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        queryset = self.base_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(self.request.GET, queryset=queryset, request=self.request)
            queryset = filterset.qs if filterset.is_valid() else queryset
        page = keyset_page(queryset, self.ordering, self.request.GET.get("cursor"), self.per_page)
        table = self.table_class(page.object_list) if self.table_class else None
        query = self.request.GET.copy()
        query.pop("cursor", None)
        if getattr(self.model, "holds_personal_data", False):
            # Personal data read in bulk: one access-log entry names every record on the page.
            shown = f"{self.model._meta.verbose_name_plural} list" + (f" ({query.urlencode()})" if query else "")
            record_list_access(self.model, [obj.pk for obj in page.object_list], shown, self.request.partnership)
        context.update(list_results_context(self.counted(queryset), self.model, query, self.empty_message))
        context.update(
            title=self.title or str(self.model._meta.verbose_name_plural).capitalize(),
            filterset=filterset,
            table=table,
            page=page,
            querystring=query.urlencode(),
        )
        return context

    def counted(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """The list's records as the count reads them: the same records; a view may add a
        condition that says the same thing in a form the database counts faster."""
        return queryset

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["core/includes/list_results.html"]
        return [self.template_name or "core/list.html"]


class ScopedDetailView(PartnershipView, DetailView[Any]):
    request: PartnershipRequest  # as PartnershipView (Django's generic views declare a plain HttpRequest)
    permission_action = "view"

    def get_queryset(self) -> models.QuerySet[Any]:
        return scoped(self.model).visible_to(self.request.user, self.permission_action)

    def get_object(self, queryset: models.QuerySet[Any] | None = None) -> models.Model:
        obj: models.Model = super().get_object(queryset)
        if getattr(obj, "holds_personal_data", False):
            record_access(obj, AccessAction.VIEW)
        return obj


# --- Creating and editing -------------------------------------------------------------------------------


class ScopedCreateView(PartnershipView, CreateView[Any, Any]):
    """Adds a record to the current partnership; needs the ``add`` permission there.

    Forms built on ``PartnershipFormMixin`` get the current partnership and the person. Override
    ``save_object`` for work that belongs to the same save (linking the new record to others): the
    check that the person can still see the record runs after it, in the same transaction.
    """

    request: PartnershipRequest  # as PartnershipView (Django's generic views declare a plain HttpRequest)

    success_message = "{object} has been added."

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if signed_in(request) and request.partnership is not None:
            if not user_can(request.user, permission_name(self.model, "add"), request.partnership):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(partnership_form_kwargs(self.get_form_class(), self.request.partnership, self.request.user))
        return kwargs

    def save_object(self, form: forms.BaseModelForm[Any]) -> models.Model:
        # A new record belongs to the partnership the person is working in, never one from the form.
        if any(f.name == "partnership" for f in self.model._meta.concrete_fields):
            form.instance.partnership = self.request.partnership
        saved: models.Model = form.save()
        return saved

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                self.object = self.save_object(form)
                require_still_visible(self.request.user, self.object)
        except SavedOutOfSight:
            form.instance.pk = None  # rolled back: the form is for a new record again
            form.instance._state.adding = True
            self.object = None
            form.add_error(None, OUT_OF_SIGHT_MESSAGE)
            return self.form_invalid(form)
        except ServiceError as refusal:
            self.object = None
            add_refusal(form, refusal)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message.format(object=self.object))
        return HttpResponseRedirect(self.get_success_url())


class ScopedUpdateView(PartnershipView, UpdateView[Any, Any]):
    """Edits a record: 404 when out of sight, 403 when visible but not changeable, conflict-safe,
    and refused when the saved record would be out of the person's sight."""

    request: PartnershipRequest  # as PartnershipView (Django's generic views declare a plain HttpRequest)

    success_message = "Your changes to {object} have been saved."

    def get_queryset(self) -> models.QuerySet[Any]:
        return scoped(self.model).visible_to(self.request.user, "view")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change {self.object}")
        return super().get_context_data(**kwargs)

    def get_object(self, queryset: models.QuerySet[Any] | None = None) -> models.Model:
        obj: models.Model = super().get_object(queryset)
        if not may(self.request.user, "change", obj):
            raise PermissionDenied
        return obj

    def form_partnership(self) -> Partnership | None:
        """The partnership the form works in: the record's own."""
        return partnership_of(self.object) or self.request.partnership

    def form_extras(self) -> dict[str, Any]:
        return {
            **partnership_form_kwargs(self.get_form_class(), self.form_partnership(), self.request.user),
            **self.extra_form_kwargs(),
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), **self.form_extras()}

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                self.object = form.save_checked()
                require_still_visible(self.request.user, self.object)
        except EditConflict as conflict:
            return self.conflict(conflict)
        except SavedOutOfSight:
            self.object = type(self.object)._base_manager.get(pk=self.object.pk)
            form.add_error(None, OUT_OF_SIGHT_MESSAGE)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message.format(object=self.object))
        return redirect(self.get_success_url())

    def conflict(self, conflict: EditConflict) -> HttpResponse:
        """Someone else saved first: 409, the person's typing kept, the other person's values shown."""
        saved = type(conflict.current)._base_manager.get(pk=conflict.current.pk)
        data = self.request.POST.copy()
        data["version_seen"] = str(saved.version)
        form = self.get_form_class()(
            data=data, files=self.request.FILES, instance=conflict.current, **self.form_extras()
        )
        current_values = [
            (field.label, display_value(saved, name)) for name, field in form.fields.items() if name != "version_seen"
        ]
        form.is_valid()
        form.add_error(None, CONFLICT_MESSAGE)
        return self.render_to_response(
            self.get_context_data(form=form, conflict=saved, conflict_values=current_values), status=409
        )

    def extra_form_kwargs(self) -> dict[str, Any]:
        """Further keyword arguments for the form (the parent record it belongs to…)."""
        return {}


class ScopedChildCreateView(PartnershipView, FormView[Any]):
    """Creates a record under a parent record (a member of a group, an item on an agenda, an action
    from a challenge): 404 when the parent is out of sight, then 403 without ``permissions`` in the
    parent's partnership (by default the ``add`` permission of ``model``).

    Model forms get a new ``model`` instance whose ``parent_field`` is the parent; forms built on
    ``PartnershipFormMixin`` get the parent's partnership and the person. ``save_object`` saves (or
    calls a service and returns what it made); a ``ServiceError`` goes back on the form, and the new
    record must be visible to the person or the save is rolled back.
    """

    request: PartnershipRequest  # as PartnershipView (Django's generic views declare a plain HttpRequest)

    template_name = "core/form.html"
    model: type[models.Model] | None = None
    parent_model: type[models.Model]
    parent_field = ""
    parent_select_related: tuple[str, ...] = ()
    permissions: tuple[str, ...] = ()
    title = ""
    lede = ""
    success_message = "{object} has been added."
    parent: Any
    object: Any = None

    def parent_queryset(self) -> models.QuerySet[Any]:
        queryset = scoped(self.parent_model).visible_to(self.request.user)
        return queryset.select_related(*self.parent_select_related) if self.parent_select_related else queryset

    def parent_partnership(self) -> Partnership:
        partnership = partnership_of(self.parent)
        if partnership is None:
            raise ImproperlyConfigured(f"{type(self).__name__}: say which partnership {self.parent!r} belongs to.")
        return partnership

    def required_permissions(self) -> tuple[str, ...]:
        if self.permissions:
            return self.permissions
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs ``model`` or ``permissions``.")
        return (permission_name(self.model, "add"),)

    def allowed(self) -> bool:
        """May the person add here? Override for finer rules (an agency lead, their agency's items)."""
        partnership = self.parent_partnership()
        return all(user_can(self.request.user, perm, partnership) for perm in self.required_permissions())

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if signed_in(request) and request.partnership is not None:
            self.parent = get_object_or_404(self.parent_queryset(), pk=kwargs["pk"])
            if not self.allowed():
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def new_object(self) -> models.Model:
        if self.model is None or not self.parent_field:
            raise ImproperlyConfigured(f"{type(self).__name__} needs ``model`` and ``parent_field`` for a model form.")
        return self.model(**{self.parent_field: self.parent})

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        form_class = self.get_form_class()
        if issubclass(form_class, forms.BaseModelForm):
            kwargs["instance"] = self.new_object()
        kwargs.update(partnership_form_kwargs(form_class, self.parent_partnership(), self.request.user))
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", self.title)
        kwargs.setdefault("lede", self.lede)
        kwargs.setdefault("object", self.parent)
        return super().get_context_data(**kwargs)

    def save_object(self, form: forms.BaseForm) -> models.Model:
        if not isinstance(form, forms.BaseModelForm):
            raise ImproperlyConfigured(f"{type(self).__name__}: a form that is not a model form needs save_object.")
        saved: models.Model = form.save()
        return saved

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                self.object = self.save_object(form)
                require_still_visible(self.request.user, self.object)
        except ServiceError as refusal:
            add_refusal(form, refusal)
            return self.form_invalid(form)
        except SavedOutOfSight:
            if isinstance(form, forms.BaseModelForm):
                form.instance.pk = None
                form.instance._state.adding = True
            form.add_error(None, OUT_OF_SIGHT_MESSAGE)
            return self.form_invalid(form)
        message = self.get_success_message()
        if message:
            messages.success(self.request, message)
        self.saved(form)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_message(self) -> str:
        return self.success_message.format(object=self.object, parent=self.parent)

    def saved(self, form: forms.BaseForm) -> None:
        """After a successful save: further messages (a warning that a date is in the past…)."""

    def get_success_url(self) -> str:
        return str(self.parent.get_absolute_url())


# --- One record: its pages, its workflow steps, its files ------------------------------------------------


class ScopedObjectView(PartnershipView):
    """A page about one record: 404 when it is out of sight, 403 without ``permission`` on it
    ("view" needs nothing more; "change", "close"… are checked on this record). ``check_object``
    adds further refusals. The record is ``self.object``."""

    model: type[models.Model]
    permission = "view"
    select_related: tuple[str, ...] = ()
    object: Any

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = scoped(self.model).visible_to(self.request.user)
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    def get_object(self) -> Any:
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if self.permission != "view" and not may(self.request.user, self.permission, obj):
            raise PermissionDenied
        self.check_object(obj)
        return obj

    def check_object(self, obj: Any) -> None:
        """Raise ``PermissionDenied`` (with a reason) when this page does not apply to the record now."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # A method the page does not take is a 405 for everyone, before any lookup.
        allowed = (request.method or "").lower() in self.http_method_names
        if allowed and signed_in(request) and request.partnership is not None:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)


class ConfirmForm(GovukForm):
    """A step that is one button: nothing to fill in."""


class WorkflowStepView(ScopedObjectView, FormView[Any]):
    """One step of a record's workflow (cancel a meeting, publish minutes, close an action).

    The view finds the record (``ScopedObjectView``), shows the step's form, and on a valid POST
    calls ``perform(form)``, which calls the module's service. The service's ``ServiceError`` goes
    on the form, or, for a step that is only a button on another page (``http_method_names`` without
    "get"), comes back there as an error message. Success is a message and a redirect to the record.
    Step views are a few lines each: ``model``, ``permission``, ``form_class``, ``perform``.
    """

    request: PartnershipRequest  # as PartnershipView (Django's generic views declare a plain HttpRequest)

    template_name = "core/form.html"
    form_class: type[forms.BaseForm] = ConfirmForm
    title = ""
    lede = ""
    success_message = ""

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(partnership_form_kwargs(self.get_form_class(), partnership_of(self.object), self.request.user))
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", self.title)
        kwargs.setdefault("lede", self.lede)
        kwargs.setdefault("object", self.object)
        return super().get_context_data(**kwargs)

    def perform(self, form: forms.BaseForm) -> Any:
        """Call the service for this step; raise ``ServiceError`` to refuse."""
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            result = self.perform(form)
        except ServiceError as refusal:
            return self.refused(form, refusal)
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def refused(self, form: forms.BaseForm, refusal: ServiceError) -> HttpResponse:
        if "get" in self.http_method_names:
            add_refusal(form, refusal)
            return self.form_invalid(form)
        messages.error(self.request, refusal.message)
        return HttpResponseRedirect(self.get_success_url())

    def message_context(self, result: Any) -> dict[str, Any]:
        return {"object": self.object, "result": result}

    def get_success_message(self, result: Any) -> str:
        return self.success_message.format(**self.message_context(result))

    def get_success_url(self) -> str:
        return str(self.object.get_absolute_url())


def safe_download_name(stored_name: str) -> str:
    """The file's own name without its folders, reduced to letters, digits, ``-``, ``_`` and ``.``
    (Django's ``get_valid_filename``), so that no name can break the header or a person's disk."""
    name = stored_name.replace("\\", "/").rsplit("/", 1)[-1]
    try:
        return get_valid_filename(name)
    except SuspiciousFileOperation:
        return "download"


class FileDownloadView(ScopedObjectView):
    """A record's file, sent to those who may see the record (404 otherwise).

    404 as well when the record has no file or the file is missing from storage (logged as a
    warning for the operators). A download of a record that holds personal data is written to the
    access log. The answer is always an attachment with a safe file name, the content type of the
    stored file's type, and ``X-Content-Type-Options: nosniff``, so a browser never runs it.
    """

    http_method_names = ["get", "head", "options"]
    file_field = "file"
    detail = ""  # what the file is, for the access log ("Partner agreement"); the file name if empty

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        stored = getattr(self.object, self.file_field)
        if not stored:
            raise Http404("There is no file")
        try:
            handle = stored.open("rb")
        except FileNotFoundError:
            logger.warning(
                "File missing from storage: %s %s, %s = %s",
                self.object._meta.label,
                self.object.pk,
                self.file_field,
                stored.name,
            )
            raise Http404("The file is missing") from None
        filename = safe_download_name(stored.name)
        if getattr(self.object, "holds_personal_data", False):
            record_access(self.object, AccessAction.DOWNLOAD, detail=self.detail or filename)
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type_for(filename))
        response["X-Content-Type-Options"] = "nosniff"
        return response


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
