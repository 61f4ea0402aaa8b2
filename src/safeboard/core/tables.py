from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import datetime
from typing import Any

import django_tables2 as tables
import django_tables2.utils as tables_utils
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from safeboard.core.audit import AccessLogEntry, ChangeLogEntry
from safeboard.core.models import Agency, Locality, Partnership

# django-tables2 asks ``inspect.signature`` which arguments a render method takes, for every cell of
# every row: a few per cent of a list page's time. A function's signature never changes, so it is
# worked out once per function (a bound method: once per class's function, the instance removed).
_uncached_signature = tables_utils.signature
_signatures: dict[tuple[Callable[..., Any], bool], tuple[tuple[str, ...], str | None]] = {}


def _signature(fn: Callable[..., Any]) -> tuple[tuple[str, ...], str | None]:
    if inspect.ismethod(fn):
        key = (fn.__func__, True)
    elif inspect.isfunction(fn):
        key = (fn, False)
    else:
        uncached: tuple[tuple[str, ...], str | None] = _uncached_signature(fn)
        return uncached
    found = _signatures.get(key)
    if found is None:
        if len(_signatures) > 4096:  # functions made on the fly: keep the memory bounded
            _signatures.clear()
        found = _signatures[key] = _uncached_signature(fn)
    return found


tables_utils.signature = _signature


class GovukTable(tables.Table):
    class Meta:
        abstract = True
        orderable = False  # order is fixed so that keyset paging can follow an index
        attrs = {"class": "govuk-table"}


class AgencyTable(GovukTable):
    name = tables.Column(linkify=True)
    agency_type = tables.Column(verbose_name="Type")
    email = tables.EmailColumn(verbose_name="Safeguarding contact")

    class Meta(GovukTable.Meta):
        model = Agency
        fields = ["name", "agency_type", "email"]


class LocalityTable(GovukTable):
    name = tables.Column()
    area = tables.Column(verbose_name="Area", default="—")
    edit = tables.TemplateColumn(
        '<a class="govuk-link" href="{% url \'core:locality-edit\' record.pk %}">Change<span class="govuk-visually-hidden"> {{ record.name }}</span></a>',
        verbose_name="",
    )

    class Meta(GovukTable.Meta):
        model = Locality
        fields = ["name", "area", "edit"]


class PartnershipTable(GovukTable):
    name = tables.Column(linkify=("core:partnership-detail", {"pk": tables.A("pk")}))
    short_name = tables.Column(verbose_name="Short name")
    is_active = tables.BooleanColumn(verbose_name="Active")

    class Meta(GovukTable.Meta):
        model = Partnership
        fields = ["name", "short_name", "is_active"]


def _when(value: datetime) -> str:
    return date_format(timezone.localtime(value), "j F Y, H:i:s")


# The audit tables render cells with methods rather than TemplateColumn/DateTimeColumn: those
# compile a template per cell, which dominated the page's time at national scale (benchmarks/).
class ChangeLogTable(GovukTable):
    recorded_at = tables.Column(verbose_name="When (UK time)")
    actor_name = tables.Column(verbose_name="Who")
    action = tables.Column()
    object_repr = tables.Column(verbose_name="Record")
    fields_changed = tables.Column(verbose_name="What changed", empty_values=(), accessor="pk")
    request_id = tables.Column(verbose_name="Request id")

    class Meta(GovukTable.Meta):
        model = ChangeLogEntry
        fields = ["recorded_at", "actor_name", "action", "object_repr", "fields_changed", "request_id"]

    def render_recorded_at(self, value: datetime) -> str:
        return _when(value)

    def render_object_repr(self, value: str, record: ChangeLogEntry) -> str:
        content_type = record.content_type
        kind = format_html('<span class="govuk-hint govuk-!-display-inline">({})</span>', content_type.name)
        if record.action == "delete":
            return format_html("{} {}", value, kind)
        url = reverse("core:record-history", args=[content_type.app_label, content_type.model, record.object_id])
        return format_html('<a class="govuk-link" href="{}">{}</a> {}', url, value, kind)

    def render_fields_changed(self, record: ChangeLogEntry) -> str:
        return ", ".join(record.changed_field_names())


class AccessLogTable(GovukTable):
    recorded_at = tables.Column(verbose_name="When (UK time)")
    actor_name = tables.Column(verbose_name="Who")
    action = tables.Column()
    object_repr = tables.Column(verbose_name="Record")
    detail = tables.Column(verbose_name="Details", empty_values=(), accessor="pk")
    ip_address = tables.Column(verbose_name="IP address", default="—")

    class Meta(GovukTable.Meta):
        model = AccessLogEntry
        fields = ["recorded_at", "actor_name", "action", "object_repr", "detail", "ip_address"]

    def render_detail(self, record: AccessLogEntry) -> str:
        parts = [record.detail] if record.detail else []
        if record.object_ids is not None:  # a list page: which records it showed
            parts.append("records " + (", ".join(str(i) for i in record.object_ids) or "none"))
        return "; ".join(parts) or "—"

    def render_recorded_at(self, value: datetime) -> str:
        return _when(value)
