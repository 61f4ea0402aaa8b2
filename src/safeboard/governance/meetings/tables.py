"""Tables for the board business list pages."""

from __future__ import annotations

import django_tables2 as tables

from safeboard.core.tables import GovukTable
from safeboard.governance.meetings.models import Group, Meeting


class GroupTable(GovukTable):
    name = tables.Column(linkify=True, verbose_name="Group")
    kind = tables.Column(verbose_name="Type")
    parent = tables.Column(verbose_name="Reports to", default="—")
    chair = tables.Column(default="Not chosen yet")
    meeting_frequency = tables.Column(verbose_name="Meets")

    class Meta(GovukTable.Meta):
        model = Group
        fields = ["name", "kind", "parent", "chair", "meeting_frequency"]


class MeetingTable(GovukTable):
    starts_at = tables.DateTimeColumn(
        verbose_name="Date", format="j F Y, H:i", linkify=lambda record: record.get_absolute_url()
    )
    group = tables.Column(verbose_name="Group")
    status = tables.Column()
    minutes_status = tables.Column(verbose_name="Minutes")

    class Meta(GovukTable.Meta):
        model = Meeting
        fields = ["starts_at", "group", "status", "minutes_status"]
