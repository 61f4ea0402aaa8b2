"""The audit trail cannot lose its tail: each attack of the outside test, replayed, is now reported.

The attacker has the database (they drop or switch off the append-only triggers, as its owner
could) but not ``SAFEBOARD_AUDIT_KEY``, which lives outside it. Each test runs on SQLite and on
PostgreSQL; the TRUNCATE test on PostgreSQL only.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, InternalError, OperationalError, ProgrammingError, connection, transaction

from safeboard.core.audit import (
    APPEND_ONLY_TABLES,
    CHECKPOINT_LOGGER,
    PLATFORM_CHAIN,
    AccessAction,
    AccessLogEntry,
    AuditCheckpoint,
    ChangeLogEntry,
    ChangeLogPartnership,
    checkpoint_every_chain,
    record_access,
    verify_log,
)
from tests.core.audit_helpers import working_in

DB_REFUSALS = (IntegrityError, InternalError, OperationalError, ProgrammingError)


def as_attacker() -> None:
    """Switch off every audit trigger inside the test's transaction (rolled back afterwards)."""
    with connection.cursor() as cursor:
        for table in APPEND_ONLY_TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only")


def delete_rows(table: str, where: str = "", params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} {where}", params or [])


@pytest.fixture
def views(world):  # type: ignore[no-untyped-def]
    """Eight views of Alpha's people by its safeguarding lead: Alpha's access chain, positions 1 to 8."""
    with working_in(world.agency_lead, world.alpha):
        for _ in range(4):
            record_access(world.practitioner_a)
            record_access(world.practitioner_b)
    entries = list(AccessLogEntry.objects.filter(chain=world.alpha.pk).order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, 9))
    return entries


def verify() -> str:
    """Run ``verify_audit``; return what it said on stderr (it must fail)."""
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit", stderr=err, stdout=StringIO())
    return err.getvalue()


def test_a_clean_trail_verifies_with_its_checkpoints(views, capsys):
    checkpoint_every_chain()
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "Access log: " in out and "Every chain intact and matching its checkpoints" in out
    report = verify_log(AccessLogEntry)
    assert report.intact and report.uncovered == 0
    assert report.checked == AccessLogEntry.objects.count()


def test_deleting_the_newest_entries_is_reported_as_a_missing_tail(world, views):
    checkpoint_every_chain()  # the scheduled job has signed every chain's head
    as_attacker()
    delete_rows("core_accesslogentry", "WHERE id IN (%s, %s)", [views[-1].pk, views[-2].pk])

    said = verify()
    assert "Alpha Safeguarding Partnership: the newest entries were deleted" in said
    assert "recorded 8 entries" in said and "now ends at position 6" in said
    # Without the checkpoint the chain itself looks whole: that was the finding of the outside test.
    chain = next(c for c in verify_log(AccessLogEntry).chains if c.chain == world.alpha.pk)
    assert [f.kind for f in chain.findings] == ["missing tail"]


def test_a_tail_newer_than_the_last_checkpoint_is_caught_once_the_scheduled_job_has_run(world, views, settings):
    as_attacker()
    # Position 1 was checkpointed when it was written; 2 to 8 are newer. Deleting them leaves a
    # chain that checks out: the reason `manage.py audit_checkpoint` runs every few minutes.
    delete_rows("core_accesslogentry", "WHERE chain = %s AND seq > 1", [world.alpha.pk])
    assert verify_log(AccessLogEntry).intact

    settings.SAFEBOARD_AUDIT_CHECKPOINT_EVERY = 3
    with working_in(world.agency_lead, world.alpha):
        for _ in range(3):
            record_access(world.practitioner_a)  # positions 2, 3, 4: 4 is checkpointed on writing
    delete_rows("core_accesslogentry", "WHERE chain = %s AND seq = 4", [world.alpha.pk])
    assert "now ends at position 3" in verify()


def test_editing_an_entry_and_recomputing_every_hash_after_it_is_reported_as_a_rewritten_chain(world, views):
    checkpoint_every_chain()
    as_attacker()
    # Rewrite position 3 (who looked) and re-chain 3 to 8 so that every link and hash checks out.
    previous = views[1].entry_hash
    for entry in views[2:]:
        if entry.seq == 3:
            entry.actor_name = "Someone else entirely"
        entry.prev_hash = previous
        entry.entry_hash = previous = entry.compute_hash()
        AccessLogEntry.objects.filter(pk=entry.pk).update(
            actor_name=entry.actor_name, prev_hash=entry.prev_hash, entry_hash=entry.entry_hash
        )

    chain = next(c for c in verify_log(AccessLogEntry).chains if c.chain == world.alpha.pk)
    assert [f.kind for f in chain.findings] == ["rewritten"]  # the links alone no longer tell
    said = verify()
    assert "the chain was rewritten" in said and "position 8" in said


def test_forging_the_checkpoint_too_is_reported(world, views):
    checkpoint_every_chain()
    as_attacker()
    delete_rows("core_accesslogentry", "WHERE id = %s", [views[-1].pk])
    # They move the last checkpoint back to position 7, but cannot sign it without the key.
    AuditCheckpoint.objects.filter(log="access", chain=world.alpha.pk, seq=8).update(
        seq=7, entry_id=views[-2].pk, entry_hash=views[-2].entry_hash
    )
    said = verify()
    assert "cannot be trusted: its signature does not match: it was altered or forged" in said


def test_emptying_the_log_is_reported_as_truncated(world, views):
    as_attacker()
    delete_rows("core_accesslogentry")

    said = verify()
    assert "Alpha Safeguarding Partnership: the chain is empty" in said
    assert "the access log holds no entries at all" in said and "emptied (truncated)" in said


def test_verify_audit_reads_the_witness_copy_outside_the_database(
    world, tmp_path, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level("INFO", logger=CHECKPOINT_LOGGER)
    with django_capture_on_commit_callbacks(execute=True):
        with working_in(world.agency_lead, world.alpha):
            for _ in range(3):
                record_access(world.practitioner_a)
        checkpoint_every_chain()
    witness = tmp_path / "checkpoints.log"
    witness.write_text("\n".join(f"INFO {CHECKPOINT_LOGGER}: {r.getMessage()}" for r in caplog.records) + "\n")
    copies = [json.loads(line[line.index("{") :]) for line in witness.read_text().splitlines()]
    assert {"log": "access", "chain": world.alpha.pk, "seq": 3}.items() <= copies[-1].items()

    call_command("verify_audit", "--witness", str(witness))  # all matching

    # The attacker deletes the tail AND the checkpoints that name it: the database alone agrees
    # with itself, but the copy outside it does not.
    as_attacker()
    delete_rows("core_accesslogentry", "WHERE chain = %s AND seq > 1", [world.alpha.pk])
    delete_rows("core_auditcheckpoint", "WHERE log = 'access' AND chain = %s AND seq > 1", [world.alpha.pk])
    assert verify_log(AccessLogEntry).intact
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit", "--witness", str(witness))


def test_a_checkpoint_is_written_on_a_chains_first_entry_and_then_every_n_entries(world, settings):
    settings.SAFEBOARD_AUDIT_CHECKPOINT_EVERY = 3
    with working_in(world.agency_lead, world.alpha):
        for _ in range(7):
            record_access(world.practitioner_a)
    made = AuditCheckpoint.objects.filter(log="access", chain=world.alpha.pk).order_by("seq")
    assert [c.seq for c in made] == [1, 4, 7]
    assert all(c.signature_holds(settings.SAFEBOARD_AUDIT_KEY.encode()) for c in made)


def test_a_checkpoint_is_written_after_the_set_minutes(world, settings, time_machine):
    settings.SAFEBOARD_AUDIT_CHECKPOINT_MINUTES = 10
    time_machine.move_to("2026-11-30 09:00:00+00:00", tick=False)
    with working_in(world.agency_lead, world.alpha):
        record_access(world.practitioner_a)  # position 1: checkpointed
        record_access(world.practitioner_a)  # 2: not yet
        time_machine.move_to("2026-11-30 09:11:00+00:00", tick=False)
        record_access(world.practitioner_a)  # 3: eleven minutes later
    made = AuditCheckpoint.objects.filter(log="access", chain=world.alpha.pk).order_by("seq")
    assert [c.seq for c in made] == [1, 3]


def test_each_partnership_has_its_own_chain(world):
    with working_in(world.agency_lead, world.alpha):
        record_access(world.practitioner_a)
    with working_in(world.other_admin, world.beta):
        record_access(world.other_admin)
    with working_in(world.agency_lead, world.alpha):
        record_access(world.practitioner_b)
    alpha = list(AccessLogEntry.objects.filter(chain=world.alpha.pk).order_by("seq"))
    beta = list(AccessLogEntry.objects.filter(chain=world.beta.pk).order_by("seq"))
    assert [e.seq for e in alpha] == [1, 2] and [e.seq for e in beta] == [1]
    assert alpha[1].prev_hash == alpha[0].entry_hash  # Beta's entry between them is not in this chain
    assert {e.partnership_id for e in alpha} == {world.alpha.pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_a_writer_takes_no_lock_on_any_chain(world):
    # A position in a chain is claimed by the insert itself (test_audit_concurrent_writers.py).
    with working_in(world.agency_lead, world.alpha):
        record_access(world.practitioner_a)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND pid = pg_backend_pid()",
            [AccessLogEntry.chain_lock_key],
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_postgresql_refuses_to_truncate_the_audit_tables(world, views):
    for table in APPEND_ONLY_TABLES:
        with pytest.raises(DB_REFUSALS, match="append-only: TRUNCATE"), transaction.atomic():
            with connection.cursor() as cursor:
                # The test settings let the test runner empty a test database between tests; this
                # is what any other database, or session, gets.
                cursor.execute("SET LOCAL safeboard.allow_audit_truncate = 'off'")
                cursor.execute(f"TRUNCATE {table}")
    assert AccessLogEntry.objects.count() == len(views)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE trigger is PostgreSQL-only")
def test_postgresql_refuses_to_delete_checkpoints_and_partnership_links(world, views):
    world.agency_a.partnerships.add(world.beta)  # no one working anywhere: the entry is in both, a link row
    assert ChangeLogPartnership.objects.exists()
    for table in ("core_auditcheckpoint", "core_changelogpartnership"):
        with pytest.raises(DB_REFUSALS), transaction.atomic():
            delete_rows(table)


def test_the_database_refuses_to_update_checkpoints(world, views):
    with pytest.raises(DB_REFUSALS), transaction.atomic():
        AuditCheckpoint.objects.update(seq=99)


@pytest.mark.django_db(transaction=True)
def test_the_test_runner_can_still_empty_the_audit_tables_between_tests():
    """A transactional test is emptied with TRUNCATE on PostgreSQL: that must go on working."""
    from safeboard.core.context import acting_as
    from tests.factories import PartnershipFactory

    with acting_as("test"):
        PartnershipFactory()
    assert ChangeLogEntry.objects.exists() and AuditCheckpoint.objects.exists()


def test_switching_the_access_log_off_writes_nothing(world, settings):
    settings.SAFEBOARD_ACCESS_LOG = False
    assert record_access(world.practitioner_a, AccessAction.VIEW) is None
    assert not AccessLogEntry.objects.exists()


def test_an_entry_outside_any_partnership_goes_to_the_platform_chain(world):
    from tests.factories import UserFactory

    loner = UserFactory(full_name="Nora Noroles")  # no role anywhere
    entry = record_access(loner)
    assert entry is not None and entry.chain == PLATFORM_CHAIN and entry.partnership_ids == []


def test_entries_from_before_chains_per_partnership_still_verify_and_are_checkpointed(world):
    from django.utils import timezone

    from safeboard.core.audit import GENESIS

    previous = GENESIS
    for n in range(3):  # as the single chain wrote them: no chain, no position, linked in id order
        entry = ChangeLogEntry(
            recorded_at=timezone.now(),
            actor_name="before the upgrade",
            content_type_id=1,
            object_id=str(n),
            object_repr=f"Record {n}",
            action="update",
            prev_hash=previous,
        )
        entry.entry_hash = previous = entry.compute_hash()
        entry.save(force_insert=True)
    report = verify_log(ChangeLogEntry)
    assert report.intact and report.legacy == 3 and report.uncovered >= 3
    checkpoint_every_chain()
    assert AuditCheckpoint.objects.filter(chain=-1, seq=3).exists()
    assert verify_log(ChangeLogEntry).uncovered == 0

    as_attacker()
    delete_rows("core_changelogentry", "WHERE id = %s", [entry.pk])
    assert "entries from before chains per partnership: the newest entries were deleted" in verify()
