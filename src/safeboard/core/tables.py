from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import datetime
from typing import Any

import django_tables2 as tables
import django_tables2.utils as tables_utils
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2.columns.base import BoundColumn, LinkTransform
from django_tables2.columns.booleancolumn import BooleanColumn
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn

from safeboard.core.audit import AccessLogEntry, ChangeLogEntry
from safeboard.core.links import record_url
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


# The arguments django-tables2 offers a render method or a link: the same names, built once per cell
# here instead of through a BoundRow.
_CELL_ARGUMENTS = frozenset({"value", "record", "column", "bound_column", "table"})
_MISSING = object()
Cell = Callable[[Any], Any]


class GovukTable(tables.Table):
    """A django-tables2 table in GOV.UK style whose body is rendered in one pass of Python.

    django-tables2 renders each cell through a ``BoundRow``: an accessor resolved from scratch, a dict
    of arguments, the render method's signature, then a template variable per cell. On a list page of
    50 rows that was a third of the page's time (benchmarks/README.md, issue 8 §5). ``rows_html`` does
    the same work, deciding once per column what can be decided once (the accessor's path, whether
    the field has choices, which arguments the render method takes), and joins the rows' HTML
    directly. Columns it does not model (a many-to-many column, a link column with fixed
    text, a render method asking for ``bound_row``) fall back to django-tables2's own ``get_cell``,
    so the output is always django-tables2's; ``tests/core/test_tables.py`` checks it cell by cell.
    """

    class Meta:
        abstract = True
        orderable = False  # order is fixed so that keyset paging can follow an index
        attrs = {"class": "govuk-table"}

    def rows_html(self) -> SafeString:
        columns = list(self.columns)
        makers = [self._cell_maker(column) for column in columns]
        cells: list[Cell | None] = [None] * len(columns)
        out: list[str] = []
        for counter, row in enumerate(self.paginated_rows):
            record = row.record
            if counter == 0:
                cells = [make(record) if make else None for make in makers]
            out.append('<tr class="govuk-table__row">')
            for index, cell in enumerate(cells):
                content = cell(record) if cell is not None else row.get_cell(columns[index].name)
                out.append(f'<td class="govuk-table__cell">{conditional_escape(content)}</td>')
            out.append("</tr>")
        return mark_safe("".join(out))  # noqa: S308 - every cell went through conditional_escape

    def _cell_maker(self, bound_column: BoundColumn) -> Callable[[Any], Cell | None] | None:
        """What renders this column's cells, given the first record; None for django-tables2's way."""
        column = bound_column.column
        if isinstance(column, ManyToManyColumn) or (isinstance(column, BaseLinkColumn) and column.text is not None):
            return None
        render = bound_column.render
        wanted, catch_all = tables_utils.signature(render)
        if "bound_row" in wanted or catch_all or not set(wanted) <= _CELL_ARGUMENTS:
            return None
        link = _fast_link(bound_column.link) if bound_column.link else None
        default = bound_column.default
        empty_values = column.empty_values
        accessor = tables.A(bound_column.accessor)
        path = accessor.bits
        table = self

        def make(first: Any) -> Cell | None:
            if isinstance(first, dict):
                return None
            # As django-tables2 does: a field with choices shows its label (get_FOO_display).
            display = None
            try:
                penultimate, remainder = accessor.penultimate(first)
            except Exception:  # an unusual accessor: let django-tables2 handle it
                return None
            if isinstance(penultimate, models.Model) and remainder:
                try:
                    field = accessor.get_field(first)
                except Exception:  # not a model field (a property, a method)
                    field = None
                if getattr(field, "choices", None) and hasattr(penultimate, f"get_{remainder}_display"):
                    display = f"get_{remainder}_display"
            draw = render
            if isinstance(column, BooleanColumn) and _is_plain_boolean(column, bound_column, display):
                # A tick or a cross that depends on the value alone: drawn once for each.
                drawn: dict[bool, Any] = {}

                def draw(**arguments: Any) -> Any:
                    flag = bool(arguments["value"])
                    if flag not in drawn:
                        drawn[flag] = render(**arguments)
                    return drawn[flag]

            def resolve(record: Any) -> Any:
                current = record
                try:
                    for index, bit in enumerate(path):
                        if display is not None and index == len(path) - 1:
                            return getattr(current, display)()
                        current = getattr(current, bit)
                        if callable(current) and not getattr(current, "do_not_call_in_templates", False):
                            if getattr(current, "alters_data", False):
                                return None
                            current = current()
                        if current is None:
                            return None
                except Exception:  # django-tables2 shows the default for a failed lookup
                    return None
                return current

            def cell(record: Any) -> Any:
                value = resolve(record)
                if value in empty_values:
                    return default
                arguments = {"value": value, "record": record, "column": column, "bound_column": bound_column}
                arguments["table"] = table
                content = draw(**{name: arguments[name] for name in wanted})
                return link(content, **arguments) if link else content

            return cell

        return make


def _is_plain_boolean(column: BooleanColumn, bound_column: BoundColumn, display: str | None) -> bool:
    drawn_by_column = getattr(bound_column.render, "__func__", None) is BooleanColumn.render
    span = column.attrs.get("span", {})
    return drawn_by_column and display is None and not any(callable(v) for v in span.values())


def _fast_link(link: LinkTransform) -> Callable[..., Any]:
    """``link(content, **arguments)`` as django-tables2's ``LinkTransform`` does it, with the attributes
    and, for ``linkify=(view name, {name: accessor})``, the reversed URL worked out once: the URL is
    filled in through ``record_url``."""
    if any(callable(value) for value in (link.attrs or {}).values()):
        library: Callable[..., Any] = link
        return library
    fixed = tables_utils.AttributeDict(link.attrs or {}).as_html()
    opening = f"<a {fixed} " if fixed else "<a "
    url_of = _url_template(link.reverse_args) if link.reverse_args else None

    def wrap(content: Any, **arguments: Any) -> Any:
        url = url_of(arguments["record"]) if url_of else None
        if url is None:
            url = link.compose_url(**arguments)
            if url is None:
                return content
        return format_html('{}href="{}">{}</a>', mark_safe(opening), url, content)  # noqa: S308 - fixed attributes, escaped by as_html

    return wrap


def _url_template(reverse_args: dict[str, Any]) -> Callable[[Any], str | None] | None:
    """For ``{"viewname": "app:name", "kwargs": {"pk": A("pk")}}``: a function giving a record's URL
    through ``record_url`` (the URL reversed once, each record's ids filled in); None for anything
    else, which django-tables2 reverses itself."""
    if set(reverse_args) - {"viewname", "kwargs"} or not isinstance(reverse_args.get("viewname"), str):
        return None
    kwargs = reverse_args.get("kwargs") or {}
    if not kwargs or not all(isinstance(value, tables.A) for value in kwargs.values()):
        return None
    viewname = reverse_args["viewname"]

    def url(record: Any) -> str | None:
        return record_url(viewname, **{name: accessor.resolve(record, quiet=True) for name, accessor in kwargs.items()})

    return url


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
