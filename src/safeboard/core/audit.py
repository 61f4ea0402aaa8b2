"""The audit trail: a change log and an access log, both append-only, hash-chained and checkpointed.

Why hand-written: the libraries we looked at (django-simple-history, django-auditlog) record
changes well but neither chains entries so that a deleted or edited row is detectable, nor logs
views. The design follows NetBox's change logging (signals plus a request context).

* ``ChangeLogEntry``: every create, update and delete of a model that inherits ``AuditedModel``
  (and changes to its many-to-many links), with before and after values, written in the same
  transaction as the change.
* ``AccessLogEntry``: every view, download or export of a record that holds personal data
  (``record_access``), and every page that lists personal data, as one entry naming the records
  shown (``record_list_access``).

**Which partnerships an entry belongs to.** ``AuditedModel.audit_partnership_ids()`` says which
partnerships a record is in (worked out from its ``ScopedQuerySet.partnership_field`` path, so a
meeting's agenda item is in its group's partnership). An entry about a record of one partnership
belongs to that partnership. An entry about a record shared by several (a person, an agency) belongs
to the partnership the change or view was made in, when the person acting holds a role there and was
working in it; otherwise (the system administrator, a task, the API with a token) to every
partnership the record is in. ``partnership_id`` holds the first; ``partnership_ids`` all of them
(hashed); ``ChangeLogPartnership``/``AccessLogPartnership`` rows index the others, so "entries in
the partnerships I administer" is one indexed query.

**One chain per partnership.** Each entry stores its chain (the partnership id, or 0 for entries
that belong to no partnership), its position in that chain (``seq``, 1, 2, 3…), the hash of the
entry before it and a SHA-256 over its own content. A writer claims the next position of its own
chain with the insert itself (``INSERT … ON CONFLICT DO NOTHING`` on the unique (chain, seq)
constraint; when another writer has just taken the position, it reads the new head and tries the
next one), so there is no lock, and a view in one partnership never waits for a change in another.
A web page's access-log entries are written together when its view ends (``access_entries_at_the_end``).
We chose this over appending without a lock and chaining in a later sealing step because the entry
is chained in the same transaction that writes it: there is no window in which fresh entries sit
unchained, no update of append-only rows to seal them, and no worker that must keep running.

**Signed checkpoints.** Every ``SAFEBOARD_AUDIT_CHECKPOINT_EVERY`` entries of a chain, and on its
first entry ``SAFEBOARD_AUDIT_CHECKPOINT_MINUTES`` after its last checkpoint (and whenever
``manage.py audit_checkpoint`` runs), an ``AuditCheckpoint`` records the chain's position and head
hash, signed with HMAC-SHA256 under ``SAFEBOARD_AUDIT_KEY``, a key held outside the database. A copy
goes to the ``safeboard.audit.checkpoints`` logger once the transaction commits (the outside
witness: docs/deployment.md). ``manage.py verify_audit`` walks every chain and checks every
checkpoint, so it reports an edited entry, a removed entry, a deleted tail (a checkpoint names a
position no longer there), a rewritten chain (recomputed hashes no longer match a signed
checkpoint) and an emptied log. Someone who could also delete the checkpoints from the database is
caught by comparing with the witness copy (``verify_audit --witness FILE``).

The application never updates or deletes entries. The database refuses it too (core migrations
0002 and 0008): on PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE on every audit table; on
SQLite a trigger refuses UPDATE.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeGuard

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models.constants import OnConflict
from django.db.models.fields.files import FieldFile
from django.db.models.fields.mixins import FieldCacheMixin
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from safeboard.core.context import current_actor, current_request

if TYPE_CHECKING:
    from safeboard.core.models import AuditedModel

GENESIS = "0" * 64
PLATFORM_CHAIN = 0  # the chain of entries that belong to no partnership
LEGACY_CHAIN = -1  # in checkpoints: the entries written before chains per partnership, in id order
CHECKPOINT_LOGGER = "safeboard.audit.checkpoints"
witness_log = logging.getLogger(CHECKPOINT_LOGGER)


class ChangeAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    DOWNLOAD = "download", "Downloaded"
    EXPORT = "export", "Exported"
    LIST = "list", "Listed"


class ChainedEntry(models.Model):
    """Common columns of both logs. No foreign keys: an entry outlives whatever it mentions."""

    recorded_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=300)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # The partnership the entry belongs to first, and its chain; every partnership it belongs to.
    partnership_id = models.BigIntegerField(null=True, blank=True)
    partnership_ids = models.JSONField(default=list, blank=True)
    content_type_id = models.IntegerField()
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    # The chain (a partnership id, or 0) and the position in it. Both empty on entries written
    # before chains per partnership: those form one chain in id order.
    chain = models.BigIntegerField(null=True, blank=True)
    seq = models.BigIntegerField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    log_name: str = ""  # "change" or "access": names the log in checkpoints and lock keys
    chain_lock_key: int = 0
    legacy_hashed_fields: tuple[str, ...] = ()  # what entries from before chains per partnership hash
    hashed_fields: tuple[str, ...] = ()
    link_model: type[EntryPartnership]

    objects = models.Manager()  # as Django would add; named here so that code on any log can use it

    class Meta:
        abstract = True

    def payload(self) -> dict[str, Any]:
        names = self.legacy_hashed_fields if self.seq is None else self.hashed_fields
        data = {name: getattr(self, name) for name in names}
        data["recorded_at"] = self.recorded_at.astimezone(UTC).isoformat(timespec="microseconds")
        return data

    def compute_hash(self) -> str:
        body = json.dumps(self.payload(), sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
        return hashlib.sha256((self.prev_hash + body).encode()).hexdigest()

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_id(self.content_type_id)

    @classmethod
    def in_partnerships(cls, partnership_ids: Iterable[int]) -> models.Q:
        """Entries that belong to any of ``partnership_ids`` (first or shared), as one indexed condition."""
        wanted = list(partnership_ids)
        links = cls.link_model.objects.filter(entry_id=models.OuterRef("pk"), partnership_id__in=wanted)
        return models.Q(partnership_id__in=wanted) | models.Q(models.Exists(links))


class EntryPartnership(models.Model):
    """A further partnership an entry belongs to (the first is the entry's own ``partnership_id``).

    Written only for entries that belong to several partnerships; ``partnership_ids`` on the entry
    is the hashed copy that ``verify_audit`` compares these rows with.
    """

    entry_id = models.BigIntegerField()
    partnership_id = models.BigIntegerField()

    objects = models.Manager()  # as Django would add; named here so that code on any log can use it

    class Meta:
        abstract = True


class ChangeLogPartnership(EntryPartnership):
    class Meta:
        constraints = [
            # "Entries in these partnerships" looks rows up by entry, inside the record history query.
            models.UniqueConstraint(fields=["entry_id", "partnership_id"], name="changelog_partnership_link")
        ]


class AccessLogPartnership(EntryPartnership):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry_id", "partnership_id"], name="accesslog_partnership_link")
        ]


_COMMON = (
    "recorded_at",
    "actor_id",
    "actor_name",
    "request_id",
    "ip_address",
    "partnership_id",
    "content_type_id",
    "object_id",
    "object_repr",
)
_CHAINED = ("chain", "seq", "partnership_ids")


class ChangeLogEntry(ChainedEntry):
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    log_name = "change"
    chain_lock_key = 71_002_001
    legacy_hashed_fields = (*_COMMON, "action", "before", "after")
    hashed_fields = (*legacy_hashed_fields, *_CHAINED)
    link_model = ChangeLogPartnership
    _names: dict[type[models.Model], dict[str, str]]  # set by prefetch_names for a page of entries

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "change log entries"
        indexes = [
            # Record history: every change to one record, newest first.
            models.Index(fields=["content_type_id", "object_id", "-id"], name="changelog_object"),
            # "Recent activity" on My work and the audit search by person.
            models.Index(fields=["actor_id", "-id"], name="changelog_actor"),
            # The audit search within a partnership.
            models.Index(fields=["partnership_id", "-id"], name="changelog_partnership"),
        ]
        constraints = [
            # One entry per position: two writers can never fork a chain. Also the index that finds
            # a chain's head and walks it in order.
            models.UniqueConstraint(fields=["chain", "seq"], name="changelog_chain_position"),
        ]

    def changed_field_names(self) -> list[str]:
        """The names of the fields that changed (no look-ups: safe for long lists)."""
        before, after = self.before or {}, self.after or {}
        return [n for n in sorted(set(before) | set(after)) if before.get(n) != after.get(n)]

    def _fields_by_name(self) -> dict[str, Any]:
        model = self.content_type.model_class()
        fields: dict[str, Any] = {}
        if model is not None:
            for field in model._meta.get_fields():
                fields[getattr(field, "attname", field.name)] = field
                fields[field.name] = field
        return fields

    def changed_fields(self, names: dict[type, dict[str, str]] | None = None) -> list[tuple[str, Any, Any]]:
        """(label, before, after) for each field that changed, in words a reader understands.

        ``names`` maps related models to {id: name}; ``prefetch_names`` builds it for a whole page so
        that related records are looked up once per model, not once per entry.
        """
        before, after = self.before or {}, self.after or {}
        fields = self._fields_by_name()
        names = names if names is not None else getattr(self, "_names", None)
        rows = []
        for name in self.changed_field_names():
            old, new = before.get(name), after.get(name)
            field = fields.get(name)
            label = str(getattr(field, "verbose_name", name)).capitalize() if field is not None else name
            choices = dict(getattr(field, "flatchoices", None) or [])
            if choices:
                old, new = choices.get(old, old), choices.get(new, new)
            elif field is not None and field.is_relation and field.related_model is not None:
                known = names.get(field.related_model) if names is not None else None
                old, new = _names(field.related_model, old, known), _names(field.related_model, new, known)
            rows.append((label, _readable(old), _readable(new)))
        return rows

    @classmethod
    def prefetch_names(cls, entries: list[ChangeLogEntry]) -> None:
        """Look up the names of every related record a page of entries mentions, one query per model."""
        wanted: dict[type[models.Model], set[str]] = {}
        for entry in entries:
            fields = entry._fields_by_name()
            for name in entry.changed_field_names():
                field = fields.get(name)
                if field is None or not field.is_relation or field.related_model is None:
                    continue
                for value in ((entry.before or {}).get(name), (entry.after or {}).get(name)):
                    for item in value if isinstance(value, list) else [value]:
                        if item not in (None, ""):
                            wanted.setdefault(field.related_model, set()).add(str(item))
        names = {
            model: {str(o.pk): str(o) for o in model._base_manager.filter(pk__in=ids)} for model, ids in wanted.items()
        }
        for entry in entries:
            entry._names = names


def _names(model: type[models.Model], value: Any, known: dict[str, str] | None = None) -> Any:
    """Related records by name (still there) or by number (since deleted), for the history page."""
    if value in (None, [], ""):
        return value
    ids = value if isinstance(value, list) else [value]
    found = known if known is not None else {str(o.pk): str(o) for o in model._base_manager.filter(pk__in=ids)}
    named = [found.get(str(i), f"#{i} (deleted)") for i in ids]
    return named if isinstance(value, list) else named[0]


def _readable(value: Any) -> Any:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return value


class AccessLogEntry(ChainedEntry):
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    detail = models.CharField(max_length=300, blank=True)
    # A list page: the ids of the records it showed (``object_id`` is then empty).
    object_ids = models.JSONField(null=True, blank=True)

    log_name = "access"
    chain_lock_key = 71_002_002
    legacy_hashed_fields = (*_COMMON, "action", "detail")
    hashed_fields = (*legacy_hashed_fields, *_CHAINED, "object_ids")
    link_model = AccessLogPartnership

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "access log entries"
        indexes = [
            # "Who viewed this": every access to one record, newest first.
            models.Index(fields=["content_type_id", "object_id", "-id"], name="accesslog_object"),
            # Everything one person looked at (for an investigation).
            models.Index(fields=["actor_id", "-id"], name="accesslog_actor"),
        ]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="accesslog_chain_position")]


LOGS: tuple[type[ChainedEntry], ...] = (ChangeLogEntry, AccessLogEntry)
LOG_BY_NAME: dict[str, type[ChainedEntry]] = {model.log_name: model for model in LOGS}
# Every table the database keeps append-only (core migrations 0002 and 0008).
APPEND_ONLY_TABLES = (
    "core_changelogentry",
    "core_accesslogentry",
    "core_changelogpartnership",
    "core_accesslogpartnership",
    "core_auditcheckpoint",
)


# --- Checkpoints ----------------------------------------------------------------------------------------


def _audit_key() -> bytes:
    return settings.SAFEBOARD_AUDIT_KEY.encode()


def key_id(key: bytes) -> str:
    """A short public fingerprint of a key: says which key signed a checkpoint, without revealing it."""
    return hashlib.sha256(b"safeboard audit key id:" + key).hexdigest()[:16]


class AuditCheckpoint(models.Model):
    """A signed statement: "on ``made_at``, chain ``chain`` of ``log`` reached ``seq`` with this hash".

    The signature is an HMAC-SHA256 under ``SAFEBOARD_AUDIT_KEY``, which is never stored in the
    database: someone who rewrites the log cannot sign checkpoints to match.
    """

    log = models.CharField(max_length=10, choices=[("change", "Change log"), ("access", "Access log")])
    chain = models.BigIntegerField()
    seq = models.BigIntegerField()
    entry_id = models.BigIntegerField()
    entry_hash = models.CharField(max_length=64)
    made_at = models.DateTimeField()
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        constraints = [
            # Also the index behind "this chain's last checkpoint", read on every append.
            models.UniqueConstraint(fields=["log", "chain", "seq"], name="audit_checkpoint_position")
        ]

    def __str__(self) -> str:
        return f"{self.log} log, chain {self.chain}, position {self.seq}"

    def signed_text(self) -> bytes:
        made_at = self.made_at.astimezone(UTC).isoformat(timespec="microseconds")
        return (
            f"safeboard audit checkpoint v1|{self.log}|{self.chain}|{self.seq}|{self.entry_id}|{self.entry_hash}|{made_at}"
        ).encode()

    def expected_signature(self, key: bytes) -> str:
        return hmac.new(key, self.signed_text(), hashlib.sha256).hexdigest()

    def signature_holds(self, key: bytes) -> bool:
        return hmac.compare_digest(self.expected_signature(key), self.signature)

    def as_witness(self) -> dict[str, Any]:
        """The copy sent outside the database (one JSON object per line)."""
        return {
            "log": self.log,
            "chain": self.chain,
            "seq": self.seq,
            "entry_id": self.entry_id,
            "entry_hash": self.entry_hash,
            "made_at": self.made_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "key_id": self.key_id,
            "signature": self.signature,
        }

    @classmethod
    def from_witness(cls, data: dict[str, Any]) -> AuditCheckpoint:
        return cls(
            log=str(data["log"]),
            chain=int(data["chain"]),
            seq=int(data["seq"]),
            entry_id=int(data["entry_id"]),
            entry_hash=str(data["entry_hash"]),
            made_at=datetime.fromisoformat(str(data["made_at"])),
            key_id=str(data["key_id"]),
            signature=str(data["signature"]),
        )


def _send_to_witness(checkpoint: AuditCheckpoint) -> None:
    witness_log.info("audit checkpoint %s", json.dumps(checkpoint.as_witness(), sort_keys=True))


def _position(value: int | None) -> int:
    """A chain or a position in it, which a checkpoint must have."""
    if value is None:
        raise ValueError("A checkpoint needs the chain and the position it signs.")
    return value


def write_checkpoint(
    model: type[ChainedEntry], entry: ChainedEntry, chain: int | None = None, seq: int | None = None
) -> AuditCheckpoint:
    """Sign the chain's position at ``entry`` (its head). Call with the chain locked.

    ``chain`` and ``seq`` are given for the entries from before chains per partnership, which have none.
    """
    key = _audit_key()
    checkpoint = AuditCheckpoint(
        log=model.log_name,
        chain=_position(entry.chain if chain is None else chain),
        seq=_position(entry.seq if seq is None else seq),
        entry_id=entry.pk,
        entry_hash=entry.entry_hash,
        made_at=timezone.now(),
        key_id=key_id(key),
    )
    checkpoint.signature = checkpoint.expected_signature(key)
    checkpoint.save(force_insert=True)
    # Only what commits goes to the witness: a rolled-back checkpoint would look like a deleted tail.
    transaction.on_commit(lambda: _send_to_witness(checkpoint))
    return checkpoint


def _checkpoint_due(entry: ChainedEntry, last_seq: int | None, last_made_at: datetime | None) -> bool:
    if last_seq is None or last_made_at is None:
        return True  # a chain's first entry: from now on, emptying it is detectable
    every = settings.SAFEBOARD_AUDIT_CHECKPOINT_EVERY
    minutes = settings.SAFEBOARD_AUDIT_CHECKPOINT_MINUTES
    assert entry.seq is not None
    return entry.seq - last_seq >= every or entry.recorded_at - last_made_at >= timedelta(minutes=minutes)


def checkpoint_every_chain() -> int:
    """Checkpoint the head of every chain that has grown since its last checkpoint (for a scheduled job).

    Returns how many checkpoints were written.
    """
    written = 0
    for model in LOGS:
        written += _checkpoint_legacy(model)
        chains = model.objects.filter(seq__isnull=False).order_by("chain").values_list("chain", flat=True).distinct()
        for chain in [c for c in chains if c is not None]:  # every entry with a position has a chain
            with transaction.atomic():
                _lock_chain(model, chain)
                head = model.objects.filter(chain=chain).order_by("-seq").first()
                last = (
                    AuditCheckpoint.objects.filter(log=model.log_name, chain=chain)
                    .order_by("-seq")
                    .values_list("seq", flat=True)
                    .first()
                )
                if head is not None and head.seq is not None and (last is None or last < head.seq):
                    write_checkpoint(model, head)
                    written += 1
    return written


def _checkpoint_legacy(model: type[ChainedEntry]) -> int:
    """Sign the head of the entries from before chains per partnership, once (they never grow)."""
    legacy = model.objects.filter(seq__isnull=True)
    with transaction.atomic():
        _lock_chain(model, LEGACY_CHAIN)
        count = legacy.count()
        signed = (
            AuditCheckpoint.objects.filter(log=model.log_name, chain=LEGACY_CHAIN)
            .order_by("-seq")
            .values_list("seq", flat=True)
            .first()
        )
        head = legacy.order_by("-id").first()
        if head is None or (signed is not None and signed >= count):
            return 0
        write_checkpoint(model, head, chain=LEGACY_CHAIN, seq=count)
    return 1


# --- Writing entries ------------------------------------------------------------------------------------


def _lock_chain(model: type[ChainedEntry], chain: int) -> None:
    """For the scheduled checkpoint job: one job at a time checkpoints a chain (writers take no lock).

    On SQLite, IMMEDIATE transactions already hold the database's write lock here.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The two-key form: (log, partnership). A partnership id beyond 32 bits shares a key with
            # another partnership: that costs a wait, never correctness (positions are unique).
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s::integer, %s::integer)",
                [model.chain_lock_key, chain % 2_147_483_647],
            )


@dataclass
class _Pending:
    """An entry waiting to be chained: everything but its place in the chain."""

    model: type[ChainedEntry]
    partnership_id: int | None
    partnership_ids: list[int]
    values: dict[str, Any]
    recorded_at: datetime = field(default_factory=timezone.now)

    @property
    def chain(self) -> int:
        return self.partnership_id if self.partnership_id is not None else PLATFORM_CHAIN


# Entries of the request being served, written together when its view ends (``access_entries_at_the_end``).
_batch: ContextVar[list[_Pending] | None] = ContextVar("safeboard_audit_batch", default=None)


def _head(model: type[ChainedEntry], chain: int) -> tuple[int, str, int | None, datetime | None] | None:
    """The chain's last position and hash, with its last checkpoint's position and time (one query)."""
    checkpoints = AuditCheckpoint.objects.filter(log=model.log_name, chain=chain).order_by("-seq")
    row = (
        model.objects.filter(chain=chain)
        .order_by("-seq")
        .annotate(
            checkpoint_seq=models.Subquery(checkpoints.values("seq")[:1]),
            checkpoint_at=models.Subquery(checkpoints.values("made_at")[:1]),
        )
        .values_list("seq", "entry_hash", "checkpoint_seq", "checkpoint_at")
        .first()
    )
    if row is None:
        return None
    seq, entry_hash, checkpoint_seq, checkpoint_at = row
    return (seq or 0, entry_hash, checkpoint_seq, checkpoint_at)


def _insert_unless_taken(entry: ChainedEntry) -> bool:
    """Insert ``entry`` at its position unless another writer has just taken that position.

    ``INSERT … ON CONFLICT DO NOTHING`` (``INSERT OR IGNORE`` on SQLite), against the unique
    ``(chain, seq)`` constraint: when another transaction is inserting the
    same position, the database waits for it to end; if it committed, nothing is inserted and we
    answer False (the caller reads the new head and tries the next position); if it rolled back,
    our insert goes ahead. So no lock is needed (one statement fewer than locking the chain first),
    and the chain still cannot fork: a position holds one entry, and each entry names the hash of the
    one before it.
    """
    model = type(entry)
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    # QuerySet._insert is Django's own insert with ON CONFLICT (as bulk_create uses); the stubs omit it.
    rows = model._base_manager.all()._insert(  # type: ignore[attr-defined]
        [entry], fields=fields, returning_fields=[meta.pk], on_conflict=OnConflict.IGNORE
    )
    row = rows[0] if rows else None
    if row is None:
        return False
    entry.pk = row[0]
    entry._state.adding = False
    entry._state.db = connection.alias
    return True


def _write_chain(model: type[ChainedEntry], chain: int, pending: list[_Pending]) -> list[ChainedEntry]:
    """Chain and write ``pending`` (entries of one chain, in order): one query for the head, then one
    insert per entry, plus partnership links and any checkpoint that falls due."""
    actor = current_actor()
    written: list[ChainedEntry] = []
    # No savepoint of its own: should an insert fail, the whole transaction (the change, the
    # request) must fail with it.
    with transaction.atomic(savepoint=False):
        head = _head(model, chain)
        position = conflicts = 0
        while position < len(pending):
            item = pending[position]
            entry = model(
                recorded_at=item.recorded_at,
                actor_id=actor.user_id,
                actor_name=actor.name[:300],
                request_id=actor.request_id,
                ip_address=actor.ip_address,
                partnership_id=item.partnership_id,
                partnership_ids=item.partnership_ids,
                chain=chain,
                seq=head[0] + 1 if head else 1,
                prev_hash=head[1] if head else GENESIS,
                **item.values,
            )
            entry.entry_hash = entry.compute_hash()
            if not _insert_unless_taken(entry):
                conflicts += 1
                if conflicts > 1000:
                    raise RuntimeError(
                        f"Could not append to the {model.log_name} log's chain {chain}: too many writers"
                    )
                head = _head(model, chain)  # another writer took the position: chain after theirs
                continue
            others = [pid for pid in item.partnership_ids if pid != item.partnership_id]
            if others:
                model.link_model.objects.bulk_create(
                    [model.link_model(entry_id=entry.pk, partnership_id=pid) for pid in others]
                )
            last_seq, last_at = (head[2], head[3]) if head else (None, None)
            if _checkpoint_due(entry, last_seq, last_at):
                checkpoint = write_checkpoint(model, entry)
                last_seq, last_at = checkpoint.seq, checkpoint.made_at
            assert entry.seq is not None
            head = (entry.seq, entry.entry_hash, last_seq, last_at)
            written.append(entry)
            position += 1
    return written


def _write(pending: list[_Pending]) -> list[ChainedEntry]:
    """Write entries chain by chain, in a fixed order of chains (two requests never wait on each other
    in opposite orders)."""
    by_chain: dict[tuple[str, int], list[_Pending]] = defaultdict(list)
    for item in pending:
        by_chain[(item.model.log_name, item.chain)].append(item)
    written: list[ChainedEntry] = []
    for (_, chain), items in sorted(by_chain.items()):
        written.extend(_write_chain(items[0].model, chain, items))
    return written


def _append(
    model: type[ChainedEntry], partnership_id: int | None, partnership_ids: list[int], **values: Any
) -> ChainedEntry | None:
    """Append an entry now, or at the end of the view when the request collects its entries."""
    item = _Pending(model, partnership_id, partnership_ids, values)
    batch = _batch.get()
    if batch is not None and model is AccessLogEntry:
        batch.append(item)
        return None
    return _write([item])[0]


@contextmanager
def access_entries_at_the_end() -> Iterator[None]:
    """Collect the access-log entries a view writes and write them when it ends, in the request's
    transaction (``ATOMIC_REQUESTS``): the view's own queries then run before any writing, and the
    entries of one chain are chained together. Entries are still written when the view fails (and
    rolled back with its transaction, as before)."""
    if _batch.get() is not None:  # already collecting (a view calling another)
        yield
        return
    pending: list[_Pending] = []
    token = _batch.set(pending)
    try:
        yield
    except BaseException:
        _batch.reset(token)
        if pending and not (connection.in_atomic_block and transaction.get_rollback()):
            _write(pending)
        raise
    _batch.reset(token)
    if pending:
        _write(pending)


# --- Which partnerships a record is in -------------------------------------------------------------------


def partnerships_by_path(instance: models.Model) -> set[int]:
    """The partnerships ``instance`` is in, following its ``ScopedQuerySet.partnership_field`` path.

    Relations already loaded on the instance are followed in memory; the rest of the path is one
    query. A path that names no field raises: a model placed in no partnership must say so by
    overriding ``audit_partnership_ids``.
    """
    queryset_class = getattr(type(instance)._default_manager, "_queryset_class", None)
    path = getattr(queryset_class, "partnership_field", None)
    if not path:
        return set()
    if path == "pk":
        return {int(instance.pk)} if instance.pk is not None else set()
    return _follow(instance, path.split("__"))


def _follow(obj: models.Model, parts: list[str]) -> set[int]:
    name, rest = parts[0], parts[1:]
    relation = obj._meta.get_field(name)
    if relation.concrete and (relation.many_to_one or relation.one_to_one):
        value = getattr(obj, relation.attname)
        if value is None:
            return set()
        if not rest:
            return {int(value)}
        if isinstance(relation, FieldCacheMixin) and relation.is_cached(obj):
            return _follow(getattr(obj, name), rest)
        related = relation.related_model
        assert isinstance(related, type)
        rows = related._base_manager.filter(pk=value).values_list("__".join(rest), flat=True)
        return {int(v) for v in rows if v is not None}
    # Many records on this step (a many-to-many field, or the records that point here): one query.
    if obj.pk is None:
        return set()
    rows = type(obj)._base_manager.filter(pk=obj.pk).values_list("__".join(parts), flat=True)
    return {int(v) for v in rows if v is not None}


def partnerships_of(instance: models.Model) -> set[int]:
    remembered = getattr(instance, "_audit_partnerships", None)  # taken before a delete
    if remembered is not None:
        return set(remembered)
    method = getattr(instance, "audit_partnership_ids", None)
    if callable(method):
        return set(method())
    value = getattr(instance, "partnership_id", None)
    return {int(value)} if value is not None else set()


def _working_in() -> int | None:
    """The partnership the person acting is working in, when they act through a role of theirs there."""
    from safeboard.core.permissions import grants_for

    request = current_request()
    partnership = getattr(request, "partnership", None)
    user = getattr(request, "user", None)
    if partnership is None or user is None or not user.is_authenticated:
        return None
    return partnership.pk if partnership.pk in grants_for(user).roles else None


def placement(partnership_ids: set[int]) -> tuple[int | None, list[int]]:
    """(first partnership, every partnership) of an entry about a record in ``partnership_ids``."""
    ids = sorted(partnership_ids)
    if len(ids) == 1:
        return ids[0], ids
    here = _working_in()
    if here is not None and (here in ids or not ids):
        return here, [here]
    if ids:
        return ids[0], ids
    return None, []


# --- What the rest of the code calls ---------------------------------------------------------------------


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The record's own column values, as the change log stores them."""
    redacted: frozenset[str] = getattr(instance, "audit_redacted_fields", frozenset())
    ignored: frozenset[str] = getattr(instance, "audit_ignored_fields", frozenset())
    data: dict[str, Any] = {}
    for model_field in instance._meta.concrete_fields:
        if model_field.name in ("created_at", "updated_at", "version") or model_field.name in ignored:
            continue
        value = model_field.value_from_object(instance)
        if isinstance(value, FieldFile):
            value = value.name or ""
        if model_field.name in redacted:
            value = "[redacted]" if value else ""
        data[model_field.attname if model_field.is_relation else model_field.name] = value
    stored: dict[str, Any] = _json_safe(data)
    return stored


def record_change(
    instance: models.Model,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    partnership_ids: set[int] | None = None,
) -> ChangeLogEntry:
    first, every = placement(partnerships_of(instance) if partnership_ids is None else partnership_ids)
    entry = _append(
        ChangeLogEntry,
        first,
        every,
        content_type_id=ContentType.objects.get_for_model(instance).pk,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        action=action,
        before=before,
        after=after,
    )
    assert isinstance(entry, ChangeLogEntry)
    return entry


def access_logging_on() -> bool:
    return bool(getattr(settings, "SAFEBOARD_ACCESS_LOG", True))


def record_access(instance: models.Model, action: str = AccessAction.VIEW, detail: str = "") -> AccessLogEntry | None:
    """Write who looked at ``instance``. Call it from every view, download and export of personal data."""
    if not access_logging_on():
        return None  # the concurrency benchmark's "off" runs only: production refuses the setting
    first, every = placement(partnerships_of(instance))
    entry = _append(
        AccessLogEntry,
        first,
        every,
        content_type_id=ContentType.objects.get_for_model(instance).pk,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        action=action,
        detail=detail[:300],
    )
    assert entry is None or isinstance(entry, AccessLogEntry)
    return entry


def record_list_access(
    model: type[models.Model], ids: Iterable[Any], detail: str, partnership: models.Model | None = None
) -> AccessLogEntry | None:
    """Write one entry for a page that lists personal data: who looked, and the ids of the records shown.

    ``partnership`` is the partnership whose list it is (by default the one the person is working in).
    """
    if not access_logging_on():
        return None
    shown = _json_safe(list(ids))
    pid = partnership.pk if partnership is not None else _working_in()
    plural = str(model._meta.verbose_name_plural)
    entry = _append(
        AccessLogEntry,
        pid,
        [pid] if pid is not None else [],
        content_type_id=ContentType.objects.get_for_model(model).pk,
        object_id="",
        object_repr=f"{plural[:1].upper()}{plural[1:]}: a list of {len(shown)}"[:300],
        action=AccessAction.LIST,
        detail=detail[:300],
        object_ids=shown,
    )
    assert entry is None or isinstance(entry, AccessLogEntry)
    return entry


def _is_audited(sender: type) -> bool:
    from safeboard.core.models import AuditedModel

    return isinstance(sender, type) and issubclass(sender, AuditedModel)


def _audited(instance: models.Model) -> TypeGuard[AuditedModel]:
    """Is this record one whose changes are logged? (Its class is the signal's sender.)"""
    return _is_audited(type(instance))


@receiver(pre_save, dispatch_uid="audit_pre_save")
def _remember_before(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not _audited(instance):
        return
    instance._audit_before = None
    if instance.pk is not None and not instance._state.adding:
        old = sender._base_manager.filter(pk=instance.pk).first()
        instance._audit_before = snapshot(old) if old is not None else None


@receiver(post_save, dispatch_uid="audit_post_save")
def _log_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not _audited(instance):
        return
    after = snapshot(instance)
    before = None if created else getattr(instance, "_audit_before", None)
    if not created and before == after:
        return  # saved without a change: nothing to log
    record_change(instance, ChangeAction.CREATE if created else ChangeAction.UPDATE, before, after)


@receiver(pre_delete, dispatch_uid="audit_pre_delete")
def _remember_partnerships(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    # Before anything is deleted: a cascade may remove the records the path runs through.
    if _audited(instance):
        instance._audit_partnerships = frozenset(partnerships_of(instance))


@receiver(post_delete, dispatch_uid="audit_post_delete")
def _log_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _audited(instance):
        record_change(instance, ChangeAction.DELETE, snapshot(instance), None)


@receiver(m2m_changed, dispatch_uid="audit_m2m")
def _log_links(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    """Many-to-many changes are logged on the record that owns the field, as an update."""
    if reverse or action not in ("pre_add", "pre_remove", "pre_clear", "post_add", "post_remove", "post_clear"):
        return
    if not _audited(instance):
        return
    links = next((f for f in instance._meta.many_to_many if f.remote_field.through is sender), None)
    if links is None:
        return
    if action.startswith("pre_"):
        instance._audit_links_before = sorted(getattr(instance, links.name).values_list("pk", flat=True))
        instance._audit_partnerships_before = partnerships_of(instance)
        return
    before_ids = getattr(instance, "_audit_links_before", [])
    after_ids = sorted(getattr(instance, links.name).values_list("pk", flat=True))
    if before_ids != after_ids:
        # An agency joining or leaving a partnership concerns the partnerships on both sides.
        partnerships = partnerships_of(instance) | getattr(instance, "_audit_partnerships_before", set())
        record_change(instance, ChangeAction.UPDATE, {links.name: before_ids}, {links.name: after_ids}, partnerships)


# --- Verification -----------------------------------------------------------------------------------------


@dataclass
class Finding:
    """One problem ``verify_audit`` found, in words an auditor understands."""

    kind: str  # removed, edited, missing tail, rewritten, truncated, bad checkpoint, bad link, witness
    message: str
    entry_id: int | None = None


@dataclass
class ChainReport:
    log: str
    chain: int | None  # None: the entries written before chains per partnership
    checked: int = 0
    head: int = 0  # the last position present
    checkpoints: int = 0
    covered: int = 0  # the last position a valid checkpoint signs
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings


@dataclass
class LogReport:
    label: str
    chains: list[ChainReport] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # about the log as a whole

    @property
    def checked(self) -> int:
        return sum(chain.checked for chain in self.chains)

    @property
    def checkpoints(self) -> int:
        return sum(chain.checkpoints for chain in self.chains)

    @property
    def uncovered(self) -> int:
        """Entries newer than their chain's last checkpoint (not yet protected against deletion)."""
        return sum(max(chain.head - chain.covered, 0) for chain in self.chains)

    @property
    def legacy(self) -> int:
        """Entries written before chains per partnership."""
        return sum(chain.checked for chain in self.chains if chain.chain is None)

    @property
    def all_findings(self) -> list[Finding]:
        return self.findings + [f for chain in self.chains for f in chain.findings]

    @property
    def intact(self) -> bool:
        return not self.all_findings

    @property
    def broken_at(self) -> int | None:
        """The first entry named in a finding (the earliest problem of the first broken chain)."""
        return next((f.entry_id for f in self.all_findings if f.entry_id is not None), None)

    @property
    def reason(self) -> str:
        found = self.all_findings
        return found[0].message if found else ""


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def _walk(
    entries: Iterator[ChainedEntry], report: ChainReport, wanted: set[int], links: dict[int, set[int]]
) -> dict[int, tuple[int, str]]:
    """Check each entry follows the one before it and still matches its hash; note the hashes at ``wanted``.

    ``links`` holds the rows of the log's partnership index, by entry, to compare with what entries name.
    """
    legacy = report.chain is None
    previous, expected = GENESIS, 1
    at: dict[int, tuple[int, str]] = {}
    broken = False
    for entry in entries:
        if not broken:
            problem = None
            if not legacy and entry.seq != expected:
                problem = Finding(
                    "removed",
                    f"entry {entry.pk} stands at position {entry.seq} but position {expected} is missing: "
                    "an entry was removed",
                    entry.pk,
                )
            elif entry.prev_hash != previous:
                problem = Finding(
                    "removed",
                    f"entry {entry.pk} does not follow the entry before it (one was removed or changed)",
                    entry.pk,
                )
            elif entry.compute_hash() != entry.entry_hash:
                problem = Finding(
                    "edited", f"entry {entry.pk}: its content no longer matches its hash (it was edited)", entry.pk
                )
            elif not legacy and links.get(entry.pk, set()) != set(entry.partnership_ids) - {entry.partnership_id}:
                problem = Finding(
                    "bad link",
                    f"entry {entry.pk}: the partnerships it is filed under no longer match the ones it names",
                    entry.pk,
                )
            if problem is not None:
                report.findings.append(problem)
                broken = True  # what follows a break is its consequence: report the break only
        position = report.checked + 1 if legacy or entry.seq is None else entry.seq
        if position in wanted:
            at[position] = (entry.pk, entry.entry_hash)
        previous, expected = entry.entry_hash, (entry.seq or 0) + 1
        report.checked += 1
        report.head = position
    return at


def _check_checkpoints(
    report: ChainReport, checkpoints: list[AuditCheckpoint], at: dict[int, tuple[int, str]], key: bytes
) -> None:
    """Compare the chain with every signed checkpoint of it."""
    my_key = key_id(key)
    valid: list[AuditCheckpoint] = []
    for checkpoint in checkpoints:
        report.checkpoints += 1
        if not checkpoint.signature_holds(key):
            why = (
                "its signature does not match: it was altered or forged"
                if checkpoint.key_id == my_key
                else f"it was signed with another key ({checkpoint.key_id}): the key was changed, or it was forged"
            )
            report.findings.append(
                Finding("bad checkpoint", f"the checkpoint of {_when(checkpoint.made_at)} cannot be trusted: {why}")
            )
            continue
        valid.append(checkpoint)
    if not valid:
        return
    report.covered = max(c.seq for c in valid)
    for checkpoint in valid:
        found = at.get(checkpoint.seq)
        if found is not None and found[1] != checkpoint.entry_hash:
            report.findings.append(
                Finding(
                    "rewritten",
                    f"the entry at position {checkpoint.seq} (entry {found[0]}) no longer has the hash signed in the "
                    f"checkpoint of {_when(checkpoint.made_at)}: the chain was rewritten from there or before",
                    found[0],
                )
            )
            break
    last = max(valid, key=lambda c: c.seq)
    if report.head == 0:
        report.findings.append(
            Finding(
                "truncated",
                f"the chain is empty, but a signed checkpoint of {_when(last.made_at)} recorded {last.seq} "
                "entries: the log was emptied (truncated)",
            )
        )
    elif last.seq > report.head:
        report.findings.append(
            Finding(
                "missing tail",
                f"the newest entries were deleted: a signed checkpoint of {_when(last.made_at)} recorded "
                f"{last.seq} entries (the last was entry {last.entry_id}), but the chain now ends at position "
                f"{report.head}",
            )
        )


def chain_label(chain: int | None, names: dict[int, str] | None = None) -> str:
    if chain is None:
        return "entries from before chains per partnership"
    if chain == PLATFORM_CHAIN:
        return "entries of no partnership"
    if names is None:
        from safeboard.core.models import Partnership

        names = dict(Partnership._base_manager.filter(pk=chain).values_list("pk", "name"))
    return names.get(chain, f"partnership {chain} (deleted)")


def verify_log(model: type[ChainedEntry], chunk_size: int = 5000) -> LogReport:
    """Walk every chain of one log and check it against every signed checkpoint of that log."""
    from safeboard.core.models import Partnership

    label = f"{model.log_name} log"
    report = LogReport(label)
    key = _audit_key()
    checkpoints: dict[int, list[AuditCheckpoint]] = defaultdict(list)
    for checkpoint in AuditCheckpoint.objects.filter(log=model.log_name).order_by("chain", "seq"):
        checkpoints[checkpoint.chain].append(checkpoint)
    chains = {
        c for c in model.objects.filter(seq__isnull=False).values_list("chain", flat=True).distinct() if c is not None
    }
    chains |= set(checkpoints)
    names = dict(Partnership._base_manager.filter(pk__in=chains).values_list("pk", "name"))
    links: dict[int, set[int]] = defaultdict(set)
    for entry_id, partnership_id in model.link_model.objects.values_list("entry_id", "partnership_id"):
        links[entry_id].add(partnership_id)

    legacy = model.objects.filter(seq__isnull=True).order_by("id")
    if legacy.exists() or checkpoints.get(LEGACY_CHAIN):
        chain_report = ChainReport(label, None)
        signed = checkpoints.pop(LEGACY_CHAIN, [])
        at = _walk(legacy.iterator(chunk_size=chunk_size), chain_report, {c.seq for c in signed}, links)
        _check_checkpoints(chain_report, signed, at, key)
        for finding in chain_report.findings:
            finding.message = f"{chain_label(None)}: {finding.message}"
        report.chains.append(chain_report)
    chains.discard(LEGACY_CHAIN)
    for chain in sorted(chains):
        chain_report = ChainReport(label, chain)
        entries = model.objects.filter(chain=chain, seq__isnull=False).order_by("seq").iterator(chunk_size=chunk_size)
        at = _walk(entries, chain_report, {c.seq for c in checkpoints[chain]}, links)
        _check_checkpoints(chain_report, checkpoints[chain], at, key)
        for finding in chain_report.findings:
            finding.message = f"{chain_label(chain, names)}: {finding.message}"
        report.chains.append(chain_report)
    if checkpoints and not model.objects.exists():
        report.findings.append(
            Finding(
                "truncated",
                f"the {label} holds no entries at all, but {sum(len(c) for c in checkpoints.values())} signed "
                "checkpoints say it held some: it was emptied (truncated)",
            )
        )
    return report


def verify_chain(model: type[ChainedEntry], chunk_size: int = 5000) -> LogReport:
    """Kept for callers of the single-chain days: the whole log's report."""
    return verify_log(model, chunk_size)


def read_witness(lines: Iterable[str]) -> list[AuditCheckpoint]:
    """Checkpoints from a witness copy: any log line holding the JSON object ``_send_to_witness`` wrote."""
    found = []
    for line in lines:
        start = line.find("{")
        if "audit checkpoint" not in line or start < 0:
            continue
        try:
            found.append(AuditCheckpoint.from_witness(json.loads(line[start:])))
        except (ValueError, KeyError, TypeError):
            continue
    return found


def verify_witness(copies: list[AuditCheckpoint]) -> list[Finding]:
    """Compare checkpoints copied outside the database with the database: catches a tail deleted together
    with the checkpoints that named it, and checkpoints removed from the database."""
    key = _audit_key()
    findings: list[Finding] = []
    by_chain: dict[tuple[str, int], list[AuditCheckpoint]] = defaultdict(list)
    for copy in copies:
        if not copy.signature_holds(key) or copy.log not in LOG_BY_NAME:
            findings.append(
                Finding("witness", f"a witness copy of {_when(copy.made_at)} does not carry a valid signature")
            )
            continue
        by_chain[(copy.log, copy.chain)].append(copy)
    for (log, chain), chain_copies in sorted(by_chain.items()):
        model = LOG_BY_NAME[log]
        label = f"{model.log_name} log, {chain_label(chain)}"
        present = dict(
            model.objects.filter(chain=chain, seq__in=[c.seq for c in chain_copies]).values_list("seq", "entry_hash")
        )
        stored = set(
            AuditCheckpoint.objects.filter(log=log, chain=chain, seq__in=[c.seq for c in chain_copies]).values_list(
                "seq", flat=True
            )
        )
        head = model.objects.filter(chain=chain).order_by("-seq").values_list("seq", flat=True).first() or 0
        for copy in sorted(chain_copies, key=lambda c: c.seq):
            if copy.seq not in present:
                kind = "truncated" if head == 0 else "missing tail"
                what = "the log was emptied" if head == 0 else f"the chain now ends at position {head}"
                findings.append(
                    Finding(
                        kind,
                        f"{label}: the witness copy of the checkpoint of {_when(copy.made_at)} names position "
                        f"{copy.seq}, which is gone ({what})",
                    )
                )
                break
            if present[copy.seq] != copy.entry_hash:
                findings.append(
                    Finding(
                        "rewritten",
                        f"{label}: position {copy.seq} no longer has the hash of the witness copy of "
                        f"{_when(copy.made_at)}: the chain was rewritten",
                    )
                )
                break
            if copy.seq not in stored:
                findings.append(
                    Finding(
                        "bad checkpoint",
                        f"{label}: the checkpoint of {_when(copy.made_at)} is in the witness copy but was "
                        "deleted from the database",
                    )
                )
    return findings
