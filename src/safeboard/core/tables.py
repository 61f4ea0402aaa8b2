from __future__ import annotations

import django_tables2 as tables

from safeboard.core.audit import AccessLogEntry, ChangeLogEntry
from safeboard.core.models import Agency, Locality, Partnership


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


class ChangeLogTable(GovukTable):
    recorded_at = tables.DateTimeColumn(verbose_name="When (UK time)", format="j M Y H:i:s")
    actor_name = tables.Column(verbose_name="Who")
    action = tables.Column()
    object_repr = tables.TemplateColumn(
        "{% if record.action == 'delete' %}{{ record.object_repr }}{% else %}"
        '<a class="govuk-link" href="{% url \'core:record-history\' record.content_type.app_label '
        'record.content_type.model record.object_id %}">{{ record.object_repr }}</a>{% endif %} '
        '<span class="govuk-hint govuk-!-display-inline">({{ record.content_type.name }})</span>',
        verbose_name="Record",
    )
    fields_changed = tables.TemplateColumn(
        "{{ record.changed_field_names|join:', ' }}",
        verbose_name="What changed",
    )
    request_id = tables.Column(verbose_name="Request id")

    class Meta(GovukTable.Meta):
        model = ChangeLogEntry
        fields = ["recorded_at", "actor_name", "action", "object_repr", "fields_changed", "request_id"]


class AccessLogTable(GovukTable):
    recorded_at = tables.DateTimeColumn(verbose_name="When (UK time)", format="j M Y H:i:s")
    actor_name = tables.Column(verbose_name="Who")
    action = tables.Column()
    object_repr = tables.Column(verbose_name="Record")
    ip_address = tables.Column(verbose_name="IP address", default="—")

    class Meta(GovukTable.Meta):
        model = AccessLogEntry
        fields = ["recorded_at", "actor_name", "action", "object_repr", "ip_address"]
