"""Every audited record knows its partnerships: its audit entries carry them and its history page lists them.

Records placed in a partnership through a relation (a meeting through its group, a paper through
its agenda item…) used to be written to the audit trail without a partnership, so their history
pages were empty. The test walks every model that inherits ``AuditedModel`` (found through
``apps.get_models()``, so a new model is covered, or fails here, the day it is added).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from safeboard.accounts.models import APIToken
from safeboard.actions.models import ActionUpdate
from safeboard.core.audit import ChangeAction, ChangeLogEntry, partnerships_by_path
from safeboard.core.context import acting_as
from safeboard.core.models import AuditedModel, Compartment
from safeboard.core.permissions import ROLE_GRANTS, Role, Scope
from tests.sealedapp.models import Note
from tests.test_permission_matrix import BUILDERS

MARK = " (changed for the history test)"


def audited_models() -> list[type[AuditedModel]]:
    found = [m for m in apps.get_models() if issubclass(m, AuditedModel)]
    return sorted(found, key=lambda m: m._meta.label)


@pytest.fixture
def full_world(world, monkeypatch):  # type: ignore[no-untyped-def]
    """The permission matrix's world (core, people, actions, governance), plus the records it lacks."""
    for build in BUILDERS:
        build(world)
    # Notes (a test-only module) and compartments (the exploitation module's, still to come) are
    # granted to no role yet: give them to the administrator, as those modules will.
    for perm in ("sealedapp.view_note", "core.view_compartment"):
        monkeypatch.setitem(ROLE_GRANTS[Role.PARTNERSHIP_ADMINISTRATOR], perm, Scope.PARTNERSHIP)
    # Case reviews are read by the review manager, the partners and the case review group, not by the
    # business unit as such: let the administrator read them here, to reach their history pages.
    for perm in ROLE_GRANTS[Role.REVIEW_MANAGER]:
        if perm.startswith("reviews.view_"):
            monkeypatch.setitem(ROLE_GRANTS[Role.PARTNERSHIP_ADMINISTRATOR], perm, Scope.PARTNERSHIP)
    compartment = Compartment.objects.create(partnership=world.alpha, name="Operation Kestrel")
    compartment.members.add(world.partnership_admin)
    Note.objects.create(partnership=world.alpha, agency=world.agency_a, text="A note")
    APIToken.issue(world.partnership_admin, "Administrator's token")
    ActionUpdate.objects.create(action=world.extras["action"], author=world.practitioner_a, text="Drafted.")
    return world


def an_alpha_record(model: type[AuditedModel], world: Any) -> AuditedModel:
    for obj in model._base_manager.order_by("-pk")[:200]:
        if world.alpha.pk in obj.audit_partnership_ids():
            if model is APIToken and obj.user_id != world.partnership_admin.pk:
                continue  # a token is seen by its owner only
            return obj
    raise AssertionError(f"No {model._meta.label} in Alpha: add one to the full_world fixture")


def change(obj: AuditedModel) -> tuple[str, Any]:
    """Change one field the way an edit would; returns the field's name and its new value."""
    for kind in (models.TextField, models.CharField, models.BooleanField, models.DateField, models.IntegerField):
        for field in obj._meta.concrete_fields:
            skip = (
                not field.editable
                or field.primary_key
                or field.is_relation
                or field.choices
                or field.unique
                or field.name in obj.audit_redacted_fields | obj.audit_ignored_fields
                or field.name in ("created_at", "updated_at", "version")
                or isinstance(field, models.EmailField | models.URLField | models.SlugField | models.FileField)
                or isinstance(field, models.DateTimeField)
            )
            if skip or not isinstance(field, kind):
                continue
            old = getattr(obj, field.attname)
            if kind is models.BooleanField:
                new: Any = not old
            elif kind is models.DateField:
                new = (old or dt.date(2026, 1, 1)) + dt.timedelta(days=1)
            elif kind is models.IntegerField:
                new = (old or 0) + 1
            else:
                new = ((old or "") + MARK)[-(field.max_length or 1000) :]
            setattr(obj, field.attname, new)
            with acting_as("history test"):
                obj.save()
            # As stored (a model may tidy a value as it saves it, say upper-case a code).
            return field.name, getattr(type(obj)._base_manager.get(pk=obj.pk), field.attname)
    raise AssertionError(f"No field of {obj._meta.label} to change: teach change() how")


@pytest.mark.parametrize("model", audited_models(), ids=lambda m: m._meta.label)
def test_every_audited_models_history_page_lists_its_changes(model, full_world, signed_in):
    obj = an_alpha_record(model, full_world)
    name, new = change(obj)

    content_type = ContentType.objects.get_for_model(model)
    entry = ChangeLogEntry.objects.filter(content_type_id=content_type.pk, object_id=str(obj.pk)).latest("id")
    assert entry.action == ChangeAction.UPDATE
    assert full_world.alpha.pk in entry.partnership_ids, f"the entry about {obj!r} does not name Alpha"

    client = signed_in(full_world.partnership_admin)
    url = reverse("core:record-history", args=[model._meta.app_label, model._meta.model_name, obj.pk])
    page = client.get(url)
    assert page.status_code == 200, f"{url} answered {page.status_code} to Alpha's administrator"
    shown = {"True": "Yes", "False": "No"}.get(str(new), str(new))
    if isinstance(new, dt.date):
        shown = new.isoformat()
    assert str(shown).replace("'", "&#x27;") in page.content.decode(), f"{url} does not list the change of {name}"


def test_the_path_is_followed_through_loaded_relations_without_a_query(full_world, django_assert_num_queries):
    paper = full_world.extras["meetings_paper"]
    paper.item.meeting.group  # noqa: B018  (loads the relations, as a view that shows them has)
    with django_assert_num_queries(0):
        assert partnerships_by_path(paper) == {full_world.alpha.pk}


def test_the_path_of_a_record_loaded_alone_costs_one_query(full_world, django_assert_num_queries):
    from safeboard.governance.models import Paper

    paper = Paper.objects.get(pk=full_world.extras["meetings_paper"].pk)
    with django_assert_num_queries(1):
        assert paper.audit_partnership_ids() == {full_world.alpha.pk}


def test_deleting_a_record_keeps_its_partnership_even_when_its_parent_goes_with_it(full_world):
    meeting = full_world.extras["meetings_meeting"]
    item = full_world.extras["meetings_item"]
    item_type = ContentType.objects.get_for_model(item)
    with acting_as("history test"):
        meeting.delete()  # takes its agenda items, papers and attendance with it
    gone = ChangeLogEntry.objects.get(content_type_id=item_type.pk, object_id=str(item.pk), action="delete")
    assert gone.partnership_id == full_world.alpha.pk


def test_a_person_and_an_agency_are_in_the_partnerships_of_their_active_roles_and_boards(world):
    from tests.factories import MembershipFactory

    ended = MembershipFactory(user=world.practitioner_a, partnership=world.beta, role=Role.PRACTITIONER)
    assert world.practitioner_a.audit_partnership_ids() == {world.alpha.pk, world.beta.pk}
    ended.is_active = False
    ended.save()
    assert world.practitioner_a.audit_partnership_ids() == {world.alpha.pk}
    world.agency_a.partnerships.add(world.beta)
    assert world.agency_a.audit_partnership_ids() == {world.alpha.pk, world.beta.pk}
