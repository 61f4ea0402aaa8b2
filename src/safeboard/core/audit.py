"""The audit trail: a change log and an access log, both append-only and hash-chained.

Why hand-written: the libraries we looked at (django-simple-history, django-auditlog) record
changes well but neither chains entries so that a deleted or edited row is detectable, nor logs
views. The design follows NetBox's change logging (signals plus a request context).

* ``ChangeLogEntry``: every create, update and delete of a model that inherits ``AuditedModel``
  (and changes to its many-to-many links), with before and after values, written in the same
  transaction as the change.
* ``AccessLogEntry``: every view, download or export of a record that holds personal data.

Each entry stores the hash of the entry before it and its own hash over its content, so
``manage.py verify_audit`` can name the first entry that was changed or removed. The application
never updates or deletes entries; on PostgreSQL a trigger refuses UPDATE and DELETE outright, and
on SQLite a trigger refuses UPDATE (see migration 0002).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from safeboard.core.context import current_actor

GENESIS = "0" * 64


class ChangeAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    DOWNLOAD = "download", "Downloaded"
    EXPORT = "export", "Exported"


class ChainedEntry(models.Model):
    """Common columns of both logs. No foreign keys: an entry outlives whatever it mentions."""

    recorded_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=300)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    partnership_id = models.BigIntegerField(null=True, blank=True)
    content_type_id = models.IntegerField()
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    chain_lock_key: int = 0
    hashed_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def payload(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.hashed_fields}
        data["recorded_at"] = self.recorded_at.astimezone(UTC).isoformat(timespec="microseconds")
        return data

    def compute_hash(self) -> str:
        body = json.dumps(self.payload(), sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
        return hashlib.sha256((self.prev_hash + body).encode()).hexdigest()

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_id(self.content_type_id)


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


class ChangeLogEntry(ChainedEntry):
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    chain_lock_key = 71_002_001
    hashed_fields = (*_COMMON, "action", "before", "after")

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
        wanted: dict[type, set[str]] = {}
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

    chain_lock_key = 71_002_002
    hashed_fields = (*_COMMON, "action", "detail")

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "access log entries"
        indexes = [
            # "Who viewed this": every access to one record, newest first.
            models.Index(fields=["content_type_id", "object_id", "-id"], name="accesslog_object"),
            # Everything one person looked at (for an investigation).
            models.Index(fields=["actor_id", "-id"], name="accesslog_actor"),
        ]


def _append(model: type[ChainedEntry], **values: Any) -> ChainedEntry:
    actor = current_actor()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One writer at a time extends a chain; the lock is released at commit.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [model.chain_lock_key])
        # On SQLite, IMMEDIATE transactions already hold the database's write lock here.
        head = model.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        entry = model(
            recorded_at=timezone.now(),
            actor_id=actor.user_id,
            actor_name=actor.name[:300],
            request_id=actor.request_id,
            ip_address=actor.ip_address,
            prev_hash=head or GENESIS,
            **values,
        )
        entry.entry_hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry


def _partnership_id(instance: models.Model) -> int | None:
    from safeboard.core.models import Partnership

    if isinstance(instance, Partnership):
        return instance.pk
    value = getattr(instance, "partnership_id", None)
    return int(value) if value is not None else None


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The record's own column values, as the change log stores them."""
    redacted = getattr(instance, "audit_redacted_fields", frozenset())
    ignored = getattr(instance, "audit_ignored_fields", frozenset())
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in ("created_at", "updated_at", "version") or field.name in ignored:
            continue
        value = field.value_from_object(instance)
        if isinstance(value, FieldFile):
            value = value.name or ""
        if field.name in redacted:
            value = "[redacted]" if value else ""
        data[field.attname if field.is_relation else field.name] = value
    return _json_safe(data)


def record_change(instance: models.Model, action: str, before: dict | None, after: dict | None) -> ChangeLogEntry:
    entry = _append(
        ChangeLogEntry,
        partnership_id=_partnership_id(instance),
        content_type_id=ContentType.objects.get_for_model(instance).pk,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        action=action,
        before=before,
        after=after,
    )
    assert isinstance(entry, ChangeLogEntry)
    return entry


def record_access(instance: models.Model, action: str = AccessAction.VIEW, detail: str = "") -> AccessLogEntry:
    """Write who looked at ``instance``. Call it from every view, download and export of personal data."""
    entry = _append(
        AccessLogEntry,
        partnership_id=_partnership_id(instance),
        content_type_id=ContentType.objects.get_for_model(instance).pk,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        action=action,
        detail=detail[:300],
    )
    assert isinstance(entry, AccessLogEntry)
    return entry


def _is_audited(sender: type) -> bool:
    from safeboard.core.models import AuditedModel

    return isinstance(sender, type) and issubclass(sender, AuditedModel)


@receiver(pre_save, dispatch_uid="audit_pre_save")
def _remember_before(sender, instance, raw=False, **kwargs):  # type: ignore[no-untyped-def]
    if raw or not _is_audited(sender):
        return
    instance._audit_before = None
    if instance.pk is not None and not instance._state.adding:
        old = sender._base_manager.filter(pk=instance.pk).first()
        instance._audit_before = snapshot(old) if old is not None else None


@receiver(post_save, dispatch_uid="audit_post_save")
def _log_save(sender, instance, created, raw=False, **kwargs):  # type: ignore[no-untyped-def]
    if raw or not _is_audited(sender):
        return
    after = snapshot(instance)
    before = None if created else getattr(instance, "_audit_before", None)
    if not created and before == after:
        return  # saved without a change: nothing to log
    record_change(instance, ChangeAction.CREATE if created else ChangeAction.UPDATE, before, after)


@receiver(post_delete, dispatch_uid="audit_post_delete")
def _log_delete(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
    if _is_audited(sender):
        record_change(instance, ChangeAction.DELETE, snapshot(instance), None)


@receiver(m2m_changed, dispatch_uid="audit_m2m")
def _log_links(sender, instance, action, reverse, model, pk_set, **kwargs):  # type: ignore[no-untyped-def]
    """Many-to-many changes are logged on the record that owns the field, as an update."""
    if reverse or action not in ("pre_add", "pre_remove", "pre_clear", "post_add", "post_remove", "post_clear"):
        return
    if not _is_audited(type(instance)):
        return
    field = next((f for f in instance._meta.many_to_many if f.remote_field.through is sender), None)
    if field is None:
        return
    if action.startswith("pre_"):
        instance._audit_links_before = sorted(getattr(instance, field.name).values_list("pk", flat=True))
        return
    before_ids = getattr(instance, "_audit_links_before", [])
    after_ids = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    if before_ids != after_ids:
        record_change(instance, ChangeAction.UPDATE, {field.name: before_ids}, {field.name: after_ids})


@dataclass
class ChainReport:
    label: str
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain(model: type[ChainedEntry], chunk_size: int = 5000) -> ChainReport:
    """Walk a log in order and return the first entry whose link or content does not check out."""
    label = str(model._meta.verbose_name_plural)
    previous = GENESIS
    checked = 0
    entries: Iterator[ChainedEntry] = model.objects.order_by("id").iterator(chunk_size=chunk_size)
    for entry in entries:
        if entry.prev_hash != previous:
            return ChainReport(
                label, checked, entry.pk, "it does not follow the entry before it (one was removed or changed)"
            )
        if entry.compute_hash() != entry.entry_hash:
            return ChainReport(label, checked, entry.pk, "its content no longer matches its hash (it was edited)")
        previous = entry.entry_hash
        checked += 1
    return ChainReport(label, checked)
