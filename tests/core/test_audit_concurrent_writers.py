"""Writing access-log entries: together at the end of a view, and by many writers at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeboard.core.audit import AccessLogEntry, access_entries_at_the_end, record_access, verify_log
from tests.core.audit_helpers import working_in


def _chain(partnership_id: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(chain=partnership_id).order_by("seq"))


def _linked(entries: list[AccessLogEntry]) -> bool:
    return all(later.prev_hash == earlier.entry_hash for earlier, later in zip(entries, entries[1:], strict=False))


def test_the_entries_of_a_view_are_written_together_when_it_ends(world):
    before = AccessLogEntry.objects.count()
    with working_in(world.agency_lead, world.alpha), access_entries_at_the_end():
        record_access(world.practitioner_a)
        record_access(world.practitioner_b, detail="second")
        assert AccessLogEntry.objects.count() == before  # nothing yet: the view is still working
    chain = _chain(world.alpha.pk)
    assert AccessLogEntry.objects.count() == before + 2
    assert [e.object_id for e in chain[-2:]] == [str(world.practitioner_a.pk), str(world.practitioner_b.pk)]
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1)) and _linked(chain)
    assert verify_log(AccessLogEntry).intact


def test_entries_are_still_written_when_the_view_fails(world):
    with pytest.raises(ZeroDivisionError), working_in(world.agency_lead, world.alpha), access_entries_at_the_end():
        record_access(world.practitioner_a)
        _ = 1 / 0
    assert _chain(world.alpha.pk)[-1].object_id == str(world.practitioner_a.pk)


def test_a_person_page_writes_its_entry_after_its_own_queries(world, signed_in):
    client = signed_in(world.partnership_admin)
    url = reverse("accounts:person-detail", args=[world.practitioner_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    insert = next(i for i, q in enumerate(sql) if q.startswith("INSERT") and '"core_accesslogentry"' in q)
    # The request's transaction (ATOMIC_REQUESTS) ends straight after the entry: the view's own queries
    # (such as whether the person holds a role here) ran before it, so no lock or row is held while they run.
    end = next(i for i, q in enumerate(sql) if i > insert and q.startswith(("RELEASE SAVEPOINT", "COMMIT")))
    assert all("core_auditcheckpoint" in q or "core_accesslogpartnership" in q for q in sql[insert + 1 : end])
    assert any(q.startswith('SELECT 1 AS "a" FROM "accounts_membership"') for q in sql[:insert])
    assert not any("pg_advisory" in q for q in sql)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time")
@pytest.mark.django_db(transaction=True)
def test_many_writers_of_one_chain_at_once_never_fork_it(world):
    writers, each = 8, 5
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write() -> None:
        try:
            start.wait()
            for _ in range(each):
                with working_in(world.agency_lead, world.alpha), transaction.atomic():
                    record_access(world.practitioner_a)
                    # Hold the transaction open a moment, as a page does, so that others collide.
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_sleep(0.01)")
        except BaseException as exc:  # noqa: BLE001 (reported below, in the test's thread)
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    chain = _chain(world.alpha.pk)
    assert [e.seq for e in chain] == list(range(1, writers * each + 1))
    assert _linked(chain)
    assert verify_log(AccessLogEntry).intact
