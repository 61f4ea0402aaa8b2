from __future__ import annotations

import django_tables2 as tables

from safeboard.actions.models import Action
from safeboard.core.tables import GovukTable


class ActionTable(GovukTable):
    title = tables.TemplateColumn(
        '<a class="govuk-link" href="{{ record.get_absolute_url }}">'
        '<span class="govuk-!-font-weight-bold">{{ record.reference }}</span> {{ record.title }}</a>',
        verbose_name="Action",
    )
    source_label = tables.Column(verbose_name="Came from", default="—")
    owner = tables.Column(accessor="owner__full_name", verbose_name="Owner")
    agency = tables.Column(accessor="agency__name", verbose_name="Agency")
    due_date = tables.DateColumn(verbose_name="Due", format="j M Y")
    priority = tables.Column(verbose_name="Priority")
    status = tables.TemplateColumn("{% load actions_tags %}{{ record.status|status_tag }}", verbose_name="Status")
    rag = tables.TemplateColumn("{% load actions_tags %}{{ record.rag|rag_tag }}", verbose_name="RAG rating")

    class Meta(GovukTable.Meta):
        model = Action
        fields = ["title", "source_label", "owner", "agency", "due_date", "priority", "status", "rag"]
