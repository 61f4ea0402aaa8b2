"""core.exports: Excel with a frozen, filtered, bold header, real dates and an "about" sheet; CSV with
the same columns; formulas written as text. core.pdf: tagged PDFs with a language and a title."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace

import django_filters
import pytest
from django.core.exceptions import ImproperlyConfigured
from openpyxl import load_workbook
from pypdf import PdfReader

from safeboard.core import charts
from safeboard.core.exports import Column, ExportInfo, applied_filters, csv_lines, xlsx_bytes
from safeboard.core.pdf import html_to_pdf, join_pdfs

UTC = dt.UTC
EXPORTED_AT = dt.datetime(2026, 11, 30, 16, 5, tzinfo=UTC)

ROWS = [
    SimpleNamespace(
        ref="A-0001",
        title="Audit the neglect pathway",
        due=dt.date(2026, 12, 7),
        updated=dt.datetime(2026, 7, 1, 11, 30, tzinfo=UTC),  # 12:30 in London (summer time)
        cost=Decimal("60000"),
        rate=45,
    ),
    SimpleNamespace(
        ref="A-0002",
        title='=HYPERLINK("http://evil.test")',
        due=dt.date(2027, 1, 8),
        updated=None,
        cost=Decimal("12.5"),
        rate=None,
    ),
]
COLUMNS = [
    Column("Reference", lambda r: r.ref),
    Column("Title", lambda r: r.title),
    Column("Due date", lambda r: r.due, kind="date"),
    Column("Updated", lambda r: r.updated, kind="datetime"),
    Column("Cost", lambda r: r.cost, kind="money"),
    Column("Rate", lambda r: r.rate, kind="percent"),
]
INFO = ExportInfo(
    title="Action log of Alpha",
    partnership="Alpha Safeguarding Partnership",
    exported_by="Ada Admin (ada@example.test)",
    exported_at=EXPORTED_AT,
    filters=(("Status", "Open"), ("Agency", "Alpha Police")),
)


def workbook(rows=ROWS, info=INFO):  # type: ignore[no-untyped-def]
    content, count = xlsx_bytes(iter(rows), COLUMNS, info, sheet_title="Actions")
    return load_workbook(io.BytesIO(content)), count


def test_the_data_sheet_has_a_bold_frozen_filtered_header():
    book, count = workbook()
    sheet = book.active
    assert sheet.title == "Actions" and count == 2
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    assert all(c.font.b for c in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F3"


def test_dates_are_real_dates_shown_the_uk_way_and_times_are_uk_time():
    sheet = workbook()[0].active
    due = sheet["C2"]
    assert due.is_date and due.value.date() == dt.date(2026, 12, 7)
    assert due.number_format == "dd/mm/yyyy"
    updated = sheet["D2"]
    assert updated.is_date and updated.value == dt.datetime(2026, 7, 1, 12, 30)
    assert updated.number_format == "dd/mm/yyyy hh:mm"
    assert sheet["D3"].value is None
    assert sheet["E2"].value == 60000 and sheet["E2"].number_format == '"£"#,##0.00'
    assert sheet["F2"].value == pytest.approx(0.45) and sheet["F2"].number_format == "0%"


def test_columns_are_wide_enough_for_their_contents_but_not_too_wide():
    long = SimpleNamespace(**{**vars(ROWS[0]), "title": "x" * 300})
    sheet = workbook([*ROWS, long])[0].active
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEF"}
    assert widths["A"] >= len("Reference") and widths["C"] >= 10 and widths["D"] >= 16
    assert widths["B"] == 60


def test_the_first_sheet_says_what_was_exported_by_whom_when_and_with_which_filters():
    book, _ = workbook()
    assert book.sheetnames[0] == "About this export"
    about = {row[0]: row[1] for row in book["About this export"].iter_rows(values_only=True) if row and row[0]}
    assert about["Partnership"] == "Alpha Safeguarding Partnership"
    assert about["Exported by"] == "Ada Admin (ada@example.test)"
    assert about["Exported on (UK time)"] == dt.datetime(2026, 11, 30, 16, 5)  # GMT in November
    assert book["About this export"]["B5"].number_format == "dd/mm/yyyy hh:mm"
    assert about["Rows"] == 2
    assert about["Status"] == "Open" and about["Agency"] == "Alpha Police"
    assert book.properties.title == "Action log of Alpha" and book.properties.creator == INFO.exported_by
    unfiltered, _ = workbook(info=ExportInfo(**{**vars(INFO), "filters": ()}))
    rows = list(unfiltered["About this export"].iter_rows(values_only=True))
    assert ("None", "every record you may see") in rows


def test_text_that_looks_like_a_formula_is_written_as_text_in_both():
    cell = workbook()[0].active["B3"]
    assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("http://evil.test")'
    rows = list(csv.reader(io.StringIO("".join(csv_lines(ROWS, COLUMNS)).lstrip("\ufeff"))))
    assert rows[2][1].startswith("'=")


def test_the_csv_has_the_same_columns_and_rows_as_the_workbook():
    text = "".join(csv_lines(ROWS, COLUMNS))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    sheet = workbook()[0].active
    assert rows[0] == [c.value for c in sheet[1]]
    assert [r[0] for r in rows[1:]] == [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[1][2:] == ["2026-12-07", "2026-07-01 12:30", "60000", "45"]
    assert rows[2][3] == "" and rows[2][5] == ""


def test_an_empty_export_still_has_its_header_and_filter():
    book, count = workbook(rows=[])
    assert count == 0
    assert book.active.auto_filter.ref == "A1:F1"
    assert [c.value for c in book.active[1]][0] == "Reference"


def test_sheet_names_excel_would_refuse_are_cleaned():
    content, _ = xlsx_bytes(iter(ROWS), COLUMNS, INFO, sheet_title="Actions: 2026/27 [draft] and a long tail")
    assert load_workbook(io.BytesIO(content)).active.title == "Actions  2026 27  draft  and a"


class _Filters(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="Status", choices=[("open", "Open"), ("closed", "Closed")])
    due_from = django_filters.DateFilter(label="Due on or after", field_name="due", lookup_expr="gte")
    theme = django_filters.CharFilter(label="Theme contains")


def test_applied_filters_are_written_in_words(db):
    from safeboard.core.models import Agency

    bound = _Filters({"status": "open", "due_from": "2026-12-07", "theme": ""}, queryset=Agency.objects.none())
    assert applied_filters(bound) == [("Status", "Open"), ("Due on or after", "7 December 2026")]
    assert applied_filters(_Filters(None, queryset=Agency.objects.none())) == []
    invalid = _Filters({"status": "nonsense"}, queryset=Agency.objects.none())
    assert applied_filters(invalid) == []  # the list ignores invalid filters, so the export says none


def test_export_info_names_the_person_and_the_partnership(rf, world):
    request = rf.get("/")
    request.user, request.partnership = world.partnership_admin, world.alpha
    info = ExportInfo.for_request(request, "Action log", [("Status", "Open")])
    assert info.exported_by == f"Ada Admin ({world.partnership_admin.email})"
    assert info.partnership == "Alpha Safeguarding Partnership"
    assert info.exported_at.tzinfo is not None and info.filters == (("Status", "Open"),)


# --- PDFs --------------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>A test report</title></head>
<body><h1>A test report</h1><p>Some words.</p>{chart}</body></html>"""


def catalogue(pdf: bytes):  # type: ignore[no-untyped-def]
    reader = PdfReader(io.BytesIO(pdf))
    return reader, reader.trailer["/Root"]


def structure_tags(node, found=None):  # type: ignore[no-untyped-def]
    """Every structure type in the PDF's tag tree (/H1, /P, /Table, /Figure…)."""
    found = found if found is not None else []
    node = node.get_object()
    if isinstance(node, dict):
        if "/S" in node:
            found.append((node["/S"], node.get("/Alt")))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict | list):
                    structure_tags(kid, found)
    elif isinstance(node, list):
        for kid in node:
            structure_tags(kid, found)
    return found


def test_a_pdf_is_tagged_with_its_language_and_title():
    chart = charts.bar("Places booked", ["Police", "Health"], [12, 8], category_header="Agency")
    reader, root = catalogue(html_to_pdf(PAGE.format(chart=chart.render())))
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == "A test report"
    tags = structure_tags(root["/StructTreeRoot"])
    kinds = {str(kind) for kind, _ in tags}
    assert {"/H1", "/P", "/Table", "/TH", "/TD", "/Figure"} <= kinds
    # The chart is a figure whose alternative text sends the reader to its table.
    assert [str(alt) for kind, alt in tags if kind == "/Figure"] == [
        "Chart: Places booked. The figures are in the table with it."
    ]


@pytest.mark.parametrize(
    "html",
    [
        "<!DOCTYPE html><html><head><title>No language</title></head><body><p>x</p></body></html>",
        '<!DOCTYPE html><html lang="en-GB"><head></head><body><p>No title</p></body></html>',
    ],
)
def test_a_page_without_a_language_or_title_is_refused(html):
    with pytest.raises(ImproperlyConfigured):
        html_to_pdf(html)


def test_a_pdf_fetches_nothing_from_the_network(monkeypatch):
    import urllib.request

    opened = []

    def record(self, url, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(getattr(url, "full_url", url))
        raise OSError("no network in tests")

    # WeasyPrint swallows fetch errors, so record the attempt rather than fail inside it.
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", record)
    page = PAGE.format(chart='<img src="/media/secret.png" alt="A picture"><img src="http://127.0.0.1:9/t.png" alt="">')
    assert html_to_pdf(page, base_url="http://testserver/").startswith(b"%PDF")
    assert opened == []


def test_papers_joined_after_a_printed_cover_keep_the_covers_tags():
    cover = html_to_pdf(PAGE.format(chart=""))
    paper = html_to_pdf(PAGE.replace("A test report", "A paper").format(chart=""))
    reader, root = catalogue(join_pdfs(cover, [(paper, "Item 1: a paper"), (paper, "Item 2: another")]))
    assert len(reader.pages) == 3
    assert root["/Lang"] == "en-GB" and root["/MarkInfo"]["/Marked"].value is True and "/StructTreeRoot" in root
    assert reader.metadata.title == "A test report"
    assert [item["/Title"] for item in reader.outline if isinstance(item, dict)][1:] == [
        "Item 1: a paper",
        "Item 2: another",
    ]
