"""Exports of a list as CSV and Excel: one way for every module, with the same columns in both.

A view declares its columns once and hands over the rows (a queryset walked with ``iterator()``)::

    COLUMNS = [
        Column("Reference", lambda a: a.reference),
        Column("Due date", lambda a: a.due_date, kind="date"),
    ]
    info = ExportInfo.for_request(request, "Action log", applied_filters(filterset))
    content, count = xlsx_bytes(actions.iterator(), COLUMNS, info, sheet_title="Actions")
    return xlsx_response(content, "actions-2026-11-30")

- **Excel** (``xlsx_bytes``): a first sheet, "About this export", says what the file holds, for which
  partnership, who exported it and when, which filters were applied and how many rows there are. The
  data sheet (the one the workbook opens on) has a bold header row, frozen, with an autofilter,
  column widths that fit the contents, dates as real dates shown dd/mm/yyyy and date-times in UK
  time as dd/mm/yyyy hh:mm, money and percentages as numbers with their format.
- **CSV** (``csv_response``): the same columns, streamed; a byte-order mark so that Excel reads UTF-8;
  dates in ISO 8601 (2026-12-07), which every spreadsheet reads the same way whatever its locale.
- Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``…) is written as plain
  text in both, with a leading apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.db import models
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone

ColumnKind = Literal["text", "date", "datetime", "number", "money", "percent"]
UK = ZoneInfo("Europe/London")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS: dict[str, str] = {
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
    "number": "#,##0.##",
    "money": '"£"#,##0.00',
    "percent": "0%",
}
# Rows read to size the columns before the sheet is written (write-only sheets fix widths first).
SAMPLE_ROWS = 200
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, how to read the value from a row, and what kind it is.

    ``percent`` values are percentages (45 for 45%), as in ``core.charts``.
    """

    header: str
    value: Callable[[Any], Any]
    kind: ColumnKind = "text"
    width: int | None = None


@dataclass(frozen=True)
class ExportInfo:
    """What the first sheet of a workbook says about the export."""

    title: str
    partnership: str
    exported_by: str
    exported_at: dt.datetime
    filters: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @classmethod
    def for_request(cls, request: HttpRequest, title: str, filters: Iterable[tuple[str, str]] = ()) -> ExportInfo:
        user: Any = request.user
        partnership = getattr(request, "partnership", None)
        who = getattr(user, "full_name", "") or str(user)
        email = getattr(user, "email", "")
        return cls(
            title=title,
            partnership=partnership.name if partnership is not None else "",
            exported_by=f"{who} ({email})" if email and email != who else who,
            exported_at=timezone.now(),
            filters=tuple(filters),
        )


def applied_filters(filterset: Any) -> list[tuple[str, str]]:
    """The filters a bound, valid django-filter filterset applied, as (label, value) in words:
    choice labels rather than codes, names rather than ids, dates as "7 December 2026"."""
    if filterset is None or not filterset.is_bound or not filterset.is_valid():
        return []
    form = filterset.form
    applied = []
    # A filter that applies even when left empty (the action log shows live actions) says so.
    by_default = getattr(filterset, "applied_when_empty", {})
    for name, form_field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()) or (isinstance(value, models.QuerySet) and not value.exists()):
            if name in by_default:
                applied.append((str(form_field.label or name), by_default[name]))
            continue
        applied.append((str(form_field.label or name), _in_words(value, form_field)))
    return applied


def _in_words(value: Any, form_field: Any) -> str:
    if isinstance(value, list | tuple | models.QuerySet):
        return ", ".join(_in_words(v, form_field) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value, UK) if timezone.is_aware(value) else value
        return f"{local.day} {local:%B %Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    choices = getattr(form_field, "choices", None)
    if choices is not None and not isinstance(value, models.Model):
        labels = {str(key): label for key, label in choices if not isinstance(label, list | tuple)}
        return str(labels.get(str(value), value))
    return str(value)


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is written as plain text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return f"'{value}"
    return value


def _uk_naive(value: dt.datetime) -> dt.datetime:
    # Excel has no time zones: write the UK wall-clock time.
    return timezone.localtime(value, UK).replace(tzinfo=None) if timezone.is_aware(value) else value


# --- CSV ---------------------------------------------------------------------------------------------------


def _csv_cell(value: Any, kind: str) -> Any:
    if value is None:
        return ""
    if kind == "datetime" and isinstance(value, dt.datetime):
        return _uk_naive(value).strftime("%Y-%m-%d %H:%M")
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    return spreadsheet_safe(value)


class _Echo:
    """A file-like object that hands back what it is given, so that csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Any], columns: Sequence[Column]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheets read the file as UTF-8
    yield writer.writerow([c.header for c in columns])
    for row in rows:
        yield writer.writerow([_csv_cell(c.value(row), c.kind) for c in columns])


def csv_response(rows: Iterable[Any], columns: Sequence[Column], filename: str) -> StreamingHttpResponse:
    """Every row as CSV, streamed (``filename`` without ".csv")."""
    response = StreamingHttpResponse(csv_lines(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


# --- Excel -------------------------------------------------------------------------------------------------


def _xlsx_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "datetime" and isinstance(value, dt.datetime):
        return _uk_naive(value)
    if kind == "date" and isinstance(value, dt.datetime):
        return _uk_naive(value).date()
    if kind == "percent" and isinstance(value, int | float | Decimal):
        return value / 100
    if isinstance(value, Decimal):
        return float(value)
    return spreadsheet_safe(value)


def _display_length(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if kind == "date":
        return 10
    if kind == "datetime":
        return 16
    if isinstance(value, int | float | Decimal):
        return len(f"{value:,}") + (1 if kind == "money" else 0)
    return max((len(line) for line in str(value).splitlines()), default=0)


def _widths(columns: Sequence[Column], sample: list[list[Any]]) -> list[float]:
    widths = []
    for i, column in enumerate(columns):
        if column.width:
            widths.append(float(column.width))
            continue
        longest = max([len(column.header), *(_display_length(row[i], column.kind) for row in sample)])
        widths.append(float(min(max(longest + 2, 8), 60)))
    return widths


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in a sheet's name and cuts it at 31.
    for character in "[]:*?/\\":
        title = title.replace(character, " ")
    return title.strip()[:31].strip() or "Sheet"


def xlsx_bytes(
    rows: Iterable[Any], columns: Sequence[Column], info: ExportInfo, *, sheet_title: str = "Data"
) -> tuple[bytes, int]:
    """The workbook and the number of data rows. Written in openpyxl's write-only mode, so a long
    export is streamed through rather than held as cell objects."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.title = info.title
    workbook.properties.creator = info.exported_by
    about = workbook.create_sheet("About this export")
    data = workbook.create_sheet(_sheet_title(sheet_title))
    bold = Font(bold=True)
    top = Alignment(vertical="top")

    def cell(sheet: Any, value: Any, *, number_format: str | None = None, font: Font | None = None) -> Any:
        item = WriteOnlyCell(sheet, value=value)
        if number_format:
            item.number_format = number_format
        if font is not None:
            item.font = font
        return item

    # The data sheet: widths from the header and the first rows, then the rows.
    iterator = iter(rows)
    first = [[c.value(row) for c in columns] for row in islice(iterator, SAMPLE_ROWS)]
    for i, width in enumerate(_widths(columns, first), start=1):
        data.column_dimensions[get_column_letter(i)].width = width
    data.freeze_panes = "A2"
    data.append([cell(data, c.header, font=bold) for c in columns])
    count = 0
    for values in chain(first, ([c.value(row) for c in columns] for row in iterator)):
        line = []
        for column, value in zip(columns, values, strict=True):
            item = cell(data, _xlsx_value(value, column.kind), number_format=NUMBER_FORMATS.get(column.kind))
            item.alignment = top
            line.append(item)
        data.append(line)
        count += 1
    data.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"

    # The first sheet: what this is, who exported it, when, and with which filters.
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = max([40, *(len(v) + 2 for _, v in info.filters)])
    about.append([cell(about, info.title, font=Font(bold=True, size=14))])
    about.append([])
    about.append([cell(about, "Partnership", font=bold), info.partnership])
    about.append([cell(about, "Exported by", font=bold), info.exported_by])
    about.append(
        [
            cell(about, "Exported on (UK time)", font=bold),
            cell(about, _uk_naive(info.exported_at), number_format=NUMBER_FORMATS["datetime"]),
        ]
    )
    about.append([cell(about, "Rows", font=bold), count])
    about.append([])
    about.append([cell(about, "Filters applied", font=bold)])
    if info.filters:
        for label, value in info.filters:
            about.append([label, spreadsheet_safe(value)])
    else:
        about.append(["None", "every record you may see"])
    workbook.active = 1  # open on the data; "About this export" is the first tab

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook as a download (``filename`` without ".xlsx")."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
