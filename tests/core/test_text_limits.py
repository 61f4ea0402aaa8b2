"""Every free-text field has a limit, in the model, the forms and the API (issue 6, section 5).

A 1 MB action "detail" was stored and rendered. Now a ``TextField`` must be a ``BoundedTextField``
(``core/fields.py``) and every text input of a form or serializer has a ``max_length``.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.test import Client
from django.urls import reverse
from rest_framework import serializers

import safeboard
from safeboard.accounts.models import APIToken, User
from safeboard.actions.models import Action, ActionUpdate
from safeboard.core.models import Agency
from tests.actions.test_workflow import action_form
from tests.conftest import sign_in

ONE_MEGABYTE = "x" * 1_000_000


def safeboard_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("safeboard.")]


def test_every_text_field_of_every_model_has_a_limit_the_model_enforces():
    unlimited = []
    for model in safeboard_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.CharField | models.TextField):
                continue
            limit = field.max_length
            enforced = any(isinstance(v, MaxLengthValidator) and v.limit_value == limit for v in field.validators)
            if limit is None or not enforced:
                unlimited.append(f"{model._meta.label}.{field.name}")
    assert unlimited == []
    assert len(safeboard_models()) > 20  # the walk found the models


def _form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(safeboard.__path__, "safeboard."):
        if module.name.rsplit(".", 1)[-1] in ("forms", "filters", "views"):
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    stack: list[type] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("safeboard."):
                found.append(sub)
    return found


def test_every_text_input_of_every_form_has_a_limit():
    unlimited = []
    classes = _form_classes()
    for form_class in classes:
        for name, field in form_class.base_fields.items():
            if type(field) is forms.CharField and not isinstance(field.widget, forms.PasswordInput):
                if field.max_length is None:
                    unlimited.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert unlimited == []
    assert len(classes) > 30


def _serializer_classes() -> list[type[serializers.Serializer]]:
    for module in pkgutil.walk_packages(safeboard.__path__, "safeboard."):
        if module.name.endswith(".api") or ".api." in module.name:
            importlib.import_module(module.name)
    found: list[type[serializers.Serializer]] = []
    stack: list[type] = [serializers.Serializer]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("safeboard."):
                found.append(sub)
    return found


def test_every_writable_text_field_of_the_api_has_a_limit():
    unlimited = []
    classes = _serializer_classes()
    for serializer_class in classes:
        try:
            fields = serializer_class().fields
        except Exception:  # noqa: BLE001 - a serializer that needs context has no writable text to check here
            continue
        for name, field in fields.items():
            if isinstance(field, serializers.CharField) and not field.read_only and field.max_length is None:
                unlimited.append(f"{serializer_class.__module__}.{serializer_class.__name__}.{name}")
    assert unlimited == []
    assert {c.__name__ for c in classes} >= {"AgencySerializer", "PersonChangeSerializer"}


def test_the_model_refuses_a_one_megabyte_action_detail(world):
    action = Action(partnership=world.alpha, title="Too long", detail=ONE_MEGABYTE, owner=world.practitioner_a)
    with pytest.raises(ValidationError) as refused:
        action.full_clean(exclude=["reference", "agency", "due_date"])
    assert "detail" in refused.value.message_dict


def test_the_new_action_form_refuses_a_one_megabyte_detail(world):
    admin = sign_in(Client(), world.partnership_admin)
    response = admin.post(reverse("actions:action-new"), action_form(world, detail=ONE_MEGABYTE))
    assert response.status_code == 200
    assert "detail" in response.context["form"].errors
    assert not Action.objects.exists()


def test_a_progress_update_of_one_megabyte_is_refused(world):
    admin = sign_in(Client(), world.partnership_admin)
    admin.post(reverse("actions:action-new"), action_form(world))
    action = Action.objects.get()
    response = admin.post(reverse("actions:action-update-new", args=[action.pk]), {"text": ONE_MEGABYTE})
    assert response.status_code == 200
    assert "text" in response.context["form"].errors
    assert not ActionUpdate.objects.exists()


def test_the_api_refuses_one_megabyte_of_text_with_400_and_changes_nothing(world):
    _, secret = APIToken.issue(world.partnership_admin, "admin")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    # The action log is read-only over the API: a write is refused outright and stores nothing.
    assert api.post("/api/v1/actions/", {"detail": ONE_MEGABYTE}, content_type="application/json").status_code == 405
    assert not Action.objects.exists()
    before = Agency.objects.values().get(pk=world.agency_b.pk)
    response = api.patch(
        f"/api/v1/agencies/{world.agency_b.pk}/",
        {"name": ONE_MEGABYTE},
        content_type="application/json",
        HTTP_IF_MATCH=str(world.agency_b.version),
    )
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert Agency.objects.values().get(pk=world.agency_b.pk) == before
    person = User.objects.values().get(pk=world.partnership_admin.pk)
    response = api.patch(
        f"/api/v1/people/{world.partnership_admin.pk}/",
        {"job_title": ONE_MEGABYTE},
        content_type="application/json",
        HTTP_IF_MATCH=str(world.partnership_admin.version),
    )
    assert response.status_code == 400
    assert User.objects.values().get(pk=world.partnership_admin.pk) == person


def test_a_one_megabyte_note_on_a_follow_up_is_refused(world):
    from safeboard.governance.meetings.models import AbsenceFollowUp
    from tests.governance.matrix_rows_meetings import build

    build(world)
    follow_up = world.extras["meetings_follow_up"]
    admin = sign_in(Client(), world.partnership_admin)
    response = admin.post(reverse("governance:followup-done", args=[follow_up.pk]), {"note": ONE_MEGABYTE})
    assert response.status_code == 302
    stored = AbsenceFollowUp.objects.get(pk=follow_up.pk)
    assert (stored.note, stored.done_on) == ("", None)
