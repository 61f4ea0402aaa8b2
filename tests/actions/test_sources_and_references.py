"""Action references come from a counter on the partnership row; the label the log shows for an
action's source comes from the source (so a sealed record prints a reference, never a name)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from safeboard.actions.models import Action
from safeboard.actions.services import create_action
from safeboard.actions.tasks import DIGEST_WEEKDAY, DUE_SOON_DAYS, run_reminders
from safeboard.core.models import Compartment, Partnership
from tests.actions.helpers import make_action
from tests.sealedapp.models import Note

# --- References --------------------------------------------------------------------------------------------


def test_the_10_002nd_action_of_a_partnership_gets_its_number(world):
    today = timezone.localdate()
    Action.objects.bulk_create(
        Action(
            partnership=world.alpha,
            reference=f"A-{n:04d}",
            title="Bulk",
            owner=world.practitioner_a,
            agency=world.agency_a,
            due_date=today,
            created_by=world.partnership_admin,
        )
        for n in range(1, 10_002)
    )
    Partnership.objects.filter(pk=world.alpha.pk).update(last_action_number=10_001)
    assert Action.objects.filter(partnership=world.alpha).count() == 10_001
    # As text, "A-9999" sorts after "A-10001": a maximum taken over the references would give A-10000 again.
    action = make_action(world)
    assert action.reference == "A-10002"
    assert make_action(world).reference == "A-10003"


def test_each_partnership_counts_its_own_actions(world):
    assert make_action(world).reference == "A-0001"
    assert make_action(world).reference == "A-0002"
    beta = make_action(world, partnership=world.beta, owner=world.other_admin, agency=world.agency_c)
    assert beta.reference == "A-0001"
    world.alpha.refresh_from_db()
    assert world.alpha.last_action_number == 2


def test_saving_a_partnership_read_earlier_does_not_put_the_counter_back(world):
    stale = Partnership.objects.get(pk=world.alpha.pk)
    make_action(world)
    stale.short_name = "Alpha SCP"
    stale.save()
    assert make_action(world).reference == "A-0002"
    assert Partnership.objects.get(pk=world.alpha.pk).short_name == "Alpha SCP"


def test_the_migration_starts_each_counter_at_the_highest_number_so_far(world):
    from importlib import import_module

    migration = import_module("safeboard.core.migrations.0006_partnership_action_counter")
    for number in (9, 10_000, 42):
        a = make_action(world)
        Action.objects.filter(pk=a.pk).update(reference=f"A-{number:04d}")
    make_action(world, partnership=world.beta, owner=world.other_admin, agency=world.agency_c)
    Partnership.objects.update(last_action_number=0)

    migration.count_existing_actions(django_apps, None)

    assert Partnership.objects.get(pk=world.alpha.pk).last_action_number == 10_000
    assert Partnership.objects.get(pk=world.beta.pk).last_action_number == 1


# --- What the log says about where an action came from -----------------------------------------------------

CHILD = "Kayden Marsh-Oduya"


@pytest.fixture
def sealed_note(world):  # type: ignore[no-untyped-def]
    sealed = Compartment.objects.create(partnership=world.alpha, name="Operation Heron")
    sealed.members.add(world.partnership_admin)
    return Note.objects.create(partnership=world.alpha, agency=world.agency_a, compartment=sealed, text=CHILD)


def test_the_source_gives_the_label_the_log_shows(world, sealed_note):
    action = make_action(world, source=sealed_note)
    assert action.source_label == f"Sealed note N-{sealed_note.pk:05d}"
    assert make_action(world, source=sealed_note, source_label="Referral 7").source_label == "Referral 7"


def test_a_sealed_source_without_its_own_label_is_shown_by_reference(world, sealed_note, monkeypatch):
    monkeypatch.delattr(Note, "source_label")
    assert make_action(world, source=sealed_note).source_label == f"Note {sealed_note.pk}"
    # An ordinary record keeps its own name.
    assert make_action(world, source=world.locality).source_label == "Alphaton North"


def test_no_name_from_a_sealed_record_reaches_the_log_its_exports_or_its_emails(world, signed_in, sealed_note):
    today = timezone.localdate()
    monday = today + dt.timedelta(days=(DIGEST_WEEKDAY - today.weekday()) % 7)
    action = create_action(
        partnership=world.alpha,
        title="Refer to the exploitation panel",
        owner=world.practitioner_a,
        agency=world.agency_a,
        due_date=monday + dt.timedelta(days=DUE_SOON_DAYS),
        created_by=world.partnership_admin,
        source=sealed_note,
    )
    client = signed_in(world.partnership_admin)
    pages = {
        "log": client.get(reverse("actions:action-list")).content.decode(),
        "detail": client.get(action.get_absolute_url()).content.decode(),
        "csv": b"".join(client.get(reverse("actions:action-export-csv")).streaming_content).decode("utf-8-sig"),
        "api": client.get(f"/api/v1/actions/{action.pk}/").content.decode(),
    }
    workbook = load_workbook(io.BytesIO(client.get(reverse("actions:action-export-xlsx")).content))
    pages["xlsx"] = " ".join(str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row)
    mail.outbox.clear()
    run = run_reminders(monday)
    assert run.due_soon == [action.reference] and run.digests  # the reminder and the digest were sent
    pages["emails"] = " ".join(f"{m.subject} {m.body}" for m in mail.outbox)

    label = f"Sealed note N-{sealed_note.pk:05d}"
    assert label in pages["log"] and label in pages["csv"] and label in pages["xlsx"]
    for name, text in pages.items():
        assert CHILD not in text, name
        assert "Kayden" not in text, name
