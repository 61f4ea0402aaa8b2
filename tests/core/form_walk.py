"""Every form class and filter set in the project, instantiated: for the tests that walk them all.

``all_forms(world)`` imports every ``safeboard`` module, finds each subclass of Django's ``BaseForm``
and django-filter's ``FilterSet`` defined there, and builds one of each with the keyword arguments
its ``__init__`` asks for (the partnership, the person, a record of the right model…) taken from
the permission matrix's records. A class this cannot build is reported, so that a new form with a
new argument is added here rather than silently skipped.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import django_filters
from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.db import models
from django.test import RequestFactory

import safeboard
from safeboard.accounts.models import User
from safeboard.core.questionnaires.forms import QuestionnaireForm
from safeboard.governance.meetings.models import Meeting
from tests.core.questionnaire_helpers import published

# Abstract bases and forms not drawn as pages of this project (the API's filters read query strings).
SKIP = {
    "safeboard.core.forms.GovukForm",
    "safeboard.core.forms.GovukModelForm",
    "safeboard.core.filters.GovukFilterSet",
    "safeboard.governance.oversight.forms.OversightForm",
    "safeboard.governance.oversight.filters._BusinessYearFilterSet",
}


def _import_all() -> None:
    for module in pkgutil.walk_packages(safeboard.__path__, "safeboard."):
        if ".migrations" in module.name or module.name.startswith("safeboard.config.settings"):
            continue
        if module.name.endswith((".tests", ".conftest")):
            continue
        importlib.import_module(module.name)


def _subclasses(cls: type) -> list[type]:
    found: list[type] = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def form_classes() -> list[type]:
    """The project's own form and filter set classes (not Django's, not the REST API's)."""
    _import_all()
    classes = {*_subclasses(forms.BaseForm), *_subclasses(django_filters.FilterSet)}
    out = []
    for cls in classes:
        name = f"{cls.__module__}.{cls.__qualname__}"
        if not cls.__module__.startswith("safeboard.") or name in SKIP or ".api" in cls.__module__:
            continue
        if cls.__name__.endswith("Form") and cls.__module__ == "django_filters.filterset":
            continue
        out.append(cls)
    return sorted(out, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _keywords(cls: type) -> set[str]:
    names: set[str] = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
                names.add(parameter.name)
    return names


def _record_for(model: type[models.Model], world: Any) -> models.Model:
    for record in world.extras.values():
        if isinstance(record, model):
            return record
    if model is User:
        return world.practitioner_a
    for candidate in (world.alpha, world.agency_a, world.area, world.locality):
        if isinstance(candidate, model):
            return candidate
    return model()


def build_form(cls: type, world: Any) -> Any:
    """One instance of ``cls``, unbound."""
    user = world.partnership_admin
    request = RequestFactory().get("/")
    request.user = user
    request.partnership = world.alpha
    meeting = world.extras.get("meetings_meeting")
    offered: dict[str, Any] = {
        "partnership": world.alpha,
        "user": user,
        "person": world.practitioner_a,
        "request": request,
        "seats": [world.extras["meetings_seat"]],
        "people": User.objects.all(),
        "current": {},
        "meeting": meeting,
        "items": [world.extras["meetings_item"]],
        "choices": Meeting.objects.all(),
        "agency_only": None,
        "can_start": True,
        "years": [2026, 2027],
    }
    kwargs = {name: value for name, value in offered.items() if name in _keywords(cls)}
    if issubclass(cls, django_filters.FilterSet):
        return cls(None, queryset=cls._meta.model.objects.all(), request=request)
    if issubclass(cls, SetPasswordForm | PasswordChangeForm):
        return cls(user)
    if issubclass(cls, QuestionnaireForm):
        if "questionnaire" not in world.extras:
            world.extras["questionnaire"] = published("exploitation-screening", world.alpha)
        return cls(world.extras["questionnaire"])
    if issubclass(cls, forms.BaseModelForm):
        kwargs["instance"] = _record_for(cls._meta.model, world)
    return cls(**kwargs)


def build_world_records(world: Any) -> None:
    from tests.actions.matrix_rows import build as build_actions
    from tests.governance.matrix_rows_meetings import build as build_meetings
    from tests.governance.matrix_rows_oversight import build as build_oversight

    build_actions(world)
    build_meetings(world)
    build_oversight(world)


def all_forms(world: Any) -> list[tuple[str, Any]]:
    """(dotted name, unbound instance) for every form class; ``world`` needs ``build_world_records``."""
    return [(f"{cls.__module__}.{cls.__qualname__}", build_form(cls, world)) for cls in form_classes()]


def fields_of(form: Any) -> dict[str, forms.Field]:
    return dict((form.form if isinstance(form, django_filters.FilterSet) else form).fields)
