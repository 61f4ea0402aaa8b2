from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import IntegrityError, InternalError, OperationalError, ProgrammingError, connection, transaction
from django.db.models import Count
from django.urls import reverse

from safeboard.core.audit import AccessLogEntry, ChangeAction, ChangeLogEntry, verify_chain
from safeboard.core.context import acting_as
from safeboard.core.models import Agency

DB_REFUSALS = (IntegrityError, InternalError, OperationalError, ProgrammingError)


def entries_for(obj) -> list[ChangeLogEntry]:  # type: ignore[no-untyped-def]
    ct = ContentType.objects.get_for_model(obj)
    return list(ChangeLogEntry.objects.filter(content_type_id=ct.pk, object_id=str(obj.pk)).order_by("id"))


def test_it_records_who_changed_an_agency_with_before_and_after(world, signed_in):
    client = signed_in(world.partnership_admin)
    url = reverse("core:agency-edit", args=[world.agency_a.pk])
    response = client.post(
        url,
        {
            "name": "Alpha Constabulary",
            "agency_type": "police",
            "email": "",
            "is_active": "on",
            "version_seen": world.agency_a.version,
        },
        HTTP_X_REQUEST_ID="req-test-0001",
    )
    assert response.status_code == 302
    entry = entries_for(world.agency_a)[-1]
    assert entry.action == ChangeAction.UPDATE
    assert entry.actor_id == world.partnership_admin.pk
    assert world.partnership_admin.email in entry.actor_name
    assert entry.request_id == "req-test-0001"
    assert entry.ip_address == "127.0.0.1"
    assert entry.changed_fields() == [("Name", "Alpha Police", "Alpha Constabulary")]

    history = client.get(reverse("core:record-history", args=["core", "agency", world.agency_a.pk]))
    assert history.status_code == 200
    assert b"Alpha Police" in history.content and b"Alpha Constabulary" in history.content
    assert b"Ada Admin" in history.content


def test_it_records_creation_link_changes_and_deletion(world):
    with acting_as("test"):
        agency = Agency.objects.create(name="Gamma Trust", agency_type="nhs_trust")
        agency.partnerships.add(world.alpha)
        pk = agency.pk
        agency.delete()
    actions = [
        e.action
        for e in ChangeLogEntry.objects.filter(
            object_id=str(pk), content_type_id=ContentType.objects.get_for_model(Agency).pk
        ).order_by("id")
    ]
    assert actions == ["create", "update", "delete"]
    link = ChangeLogEntry.objects.filter(object_id=str(pk), action="update").get()
    assert link.before == {"partnerships": []} and link.after == {"partnerships": [world.alpha.pk]}


def test_it_keeps_passwords_out_of_the_change_log(world):
    world.practitioner_a.set_password("another-long-password-1")
    world.practitioner_a.save()
    entry = entries_for(world.practitioner_a)[-1]
    assert entry.after["password"] == "[redacted]"
    assert "another-long-password-1" not in str(entry.before) + str(entry.after)


def test_viewing_a_profile_writes_an_access_entry(world, signed_in):
    client = signed_in(world.agency_lead)
    client.get(reverse("accounts:person-detail", args=[world.practitioner_a.pk]))
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry is not None
    assert entry.actor_id == world.agency_lead.pk
    assert entry.object_id == str(world.practitioner_a.pk)
    assert entry.action == "view"


def test_a_refused_view_writes_no_access_entry(world, signed_in):
    before = AccessLogEntry.objects.count()
    signed_in(world.practitioner_b).get(reverse("accounts:person-detail", args=[world.practitioner_a.pk]))
    assert AccessLogEntry.objects.count() == before


def test_who_viewed_this_is_shown_on_the_history_page(world, signed_in):
    signed_in(world.agency_lead).get(reverse("accounts:person-detail", args=[world.practitioner_a.pk]))
    from django.test import Client

    from tests.conftest import sign_in

    admin = sign_in(Client(), world.partnership_admin)
    page = admin.get(reverse("core:record-history", args=["accounts", "user", world.practitioner_a.pk]))
    assert page.status_code == 200
    assert b"Who has viewed this record" in page.content
    assert b"Lee Lead" in page.content


def test_verify_audit_passes_on_clean_data(world, capsys):
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "chain intact" in out
    assert verify_chain(ChangeLogEntry).checked == ChangeLogEntry.objects.count()


def _without_append_only_trigger():  # type: ignore[no-untyped-def]
    """Test-only: drop the trigger inside the test's transaction (rolled back afterwards)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_changelogentry DISABLE TRIGGER core_changelogentry_append_only")
        else:
            cursor.execute("DROP TRIGGER core_changelogentry_append_only")


def test_verify_audit_names_the_first_edited_entry(world):
    victim = ChangeLogEntry.objects.order_by("id")[3]
    _without_append_only_trigger()
    ChangeLogEntry.objects.filter(pk=victim.pk).update(object_repr="Someone else entirely")
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit")
    report = verify_chain(ChangeLogEntry)
    assert report.broken_at == victim.pk
    assert "edited" in report.reason


def test_verify_audit_notices_a_removed_entry(world):
    # Each partnership has a chain of its own: the entry after the victim is the next in its chain.
    longest = ChangeLogEntry.objects.values("chain").annotate(n=Count("id")).order_by("-n")[0]["chain"]
    victim, follower = ChangeLogEntry.objects.filter(chain=longest).order_by("seq")[2:4]
    _without_append_only_trigger()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_changelogentry WHERE id = %s", [victim.pk])
    else:
        ChangeLogEntry.objects.filter(pk=victim.pk).delete()
    report = verify_chain(ChangeLogEntry)
    assert report.broken_at == follower.pk
    assert "removed" in report.reason


def test_the_database_refuses_to_update_the_change_log(world):
    entry = ChangeLogEntry.objects.order_by("id").first()
    with pytest.raises(DB_REFUSALS), transaction.atomic():
        ChangeLogEntry.objects.filter(pk=entry.pk).update(actor_name="nobody")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE trigger is PostgreSQL-only")
def test_postgresql_refuses_to_delete_from_the_audit_tables(world):
    from safeboard.core.audit import record_access

    record_access(world.practitioner_a)
    entry = ChangeLogEntry.objects.order_by("id").first()
    with pytest.raises(DB_REFUSALS), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_changelogentry WHERE id = %s", [entry.pk])
    with pytest.raises(DB_REFUSALS), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_accesslogentry")
