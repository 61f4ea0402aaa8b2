"""One way to print: an HTML template rendered to a tagged, accessible PDF by WeasyPrint.

    pdf = render_pdf("actions/quarterly_report_print.html", context, request=request,
                     stylesheets=["actions/report.css"])
    return pdf_response(pdf, "action-report-2026-Q4")

Every PDF is made as PDF/UA-1 (WeasyPrint's ``pdf_variant="pdf/ua-1"``): it carries a structure tree
(headings, paragraphs, lists and tables tagged, table cells tied to their headers), is marked as
tagged, takes its language from ``<html lang="en-GB">`` and its title from ``<title>``, which the
reader shows instead of the file name. A print template therefore extends ``core/print_base.html``,
which sets both; ``render_pdf`` refuses a page without them. Charts print from their SVG, whose
``<title>`` becomes the figure's alternative text; their tables follow them.

``join_pdfs`` adds other PDFs after a printed one (an agenda pack's papers) and keeps its tags.

``core/static/safeboard/print.css`` (fonts, tables, charts, hidden text) comes first, then the
module's own stylesheets (page size, running footers). WeasyPrint fetches nothing over the network:
only ``data:`` URLs, so a PDF never calls back into the site or anywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

PDF_VARIANT = "pdf/ua-1"
BASE_STYLESHEET = "safeboard/print.css"
_LANG = re.compile(r"<html[^>]*\slang=\"[A-Za-z-]+\"", re.IGNORECASE)
_TITLE = re.compile(r"<title>\s*\S.*?</title>", re.IGNORECASE | re.DOTALL)


def _stylesheet(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise ImproperlyConfigured(f"Print stylesheet {path!r} is not among the static files")
    return str(found)


def html_to_pdf(html: str, *, base_url: str = "", stylesheets: Sequence[str] = (), css: str = "") -> bytes:
    """A tagged PDF (PDF/UA-1) of ``html``. ``stylesheets`` are static file paths; ``css`` is extra CSS."""
    import weasyprint  # heavy: loaded only when a PDF is made
    from weasyprint.urls import URLFetcher

    if not _LANG.search(html) or not _TITLE.search(html):
        raise ImproperlyConfigured("A printed page needs <html lang=…> and a <title> (extend core/print_base.html)")
    sheets = [weasyprint.CSS(filename=_stylesheet(path)) for path in (BASE_STYLESHEET, *stylesheets)]
    if css:
        sheets.append(weasyprint.CSS(string=css))
    document = weasyprint.HTML(
        string=html, base_url=base_url or None, url_fetcher=URLFetcher(allowed_protocols=["data"])
    )
    pdf: bytes = document.write_pdf(stylesheets=sheets, pdf_variant=PDF_VARIANT)
    return pdf


def render_pdf(
    template_name: str,
    context: dict[str, Any],
    *,
    request: HttpRequest | None = None,
    stylesheets: Sequence[str] = (),
    css: str = "",
) -> bytes:
    """Render ``template_name`` (which extends ``core/print_base.html``) and print it."""
    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else ""
    return html_to_pdf(html, base_url=base_url, stylesheets=stylesheets, css=css)


def join_pdfs(first: bytes, others: Sequence[tuple[bytes, str]]) -> bytes:
    """``first`` (a PDF printed here) followed by other PDFs, each with a bookmark (its title), as in
    an agenda pack. The result keeps ``first``'s tags, language and title: the other PDFs' pages are
    added as they are (pypdf cannot merge their tag trees)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(first))
    for data, title in others:
        writer.append(io.BytesIO(data), outline_item=title)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A PDF as a download (``filename`` without ".pdf")."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response
