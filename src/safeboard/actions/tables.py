from __future__ import annotations

import datetime as dt

import django_tables2 as tables
from django.utils.html import format_html

from safeboard.actions.models import Action
from safeboard.actions.templatetags.actions_tags import rag_tag, status_tag
from safeboard.core.tables import GovukTable
from safeboard.core.text import day_text


class ActionTable(GovukTable):
    # Cells are rendered by methods, not TemplateColumn/DateColumn: those compile a template for
    # every cell, which was most of the page's time at national scale (benchmarks/README.md).
    title = tables.Column(verbose_name="Action")
    source_label = tables.Column(verbose_name="Came from", default="—")
    owner = tables.Column(accessor="owner__full_name", verbose_name="Owner")
    agency = tables.Column(accessor="agency__name", verbose_name="Agency")
    due_date = tables.Column(verbose_name="Due")
    priority = tables.Column(verbose_name="Priority")
    status = tables.Column(verbose_name="Status")
    rag = tables.Column(verbose_name="RAG rating", empty_values=())

    class Meta(GovukTable.Meta):
        model = Action
        fields = ["title", "source_label", "owner", "agency", "due_date", "priority", "status", "rag"]

    def render_title(self, value: str, record: Action) -> str:
        return format_html(
            '<a class="govuk-link" href="{}"><span class="govuk-!-font-weight-bold">{}</span> {}</a>',
            record.get_absolute_url(),
            record.reference,
            value,
        )

    def render_due_date(self, value: dt.date) -> str:
        return day_text(value)

    def render_status(self, record: Action) -> str:
        return status_tag(record.status)

    def render_rag(self, value: str) -> str:  # the list's ActionQuerySet.with_rag() annotation
        return rag_tag(value)
