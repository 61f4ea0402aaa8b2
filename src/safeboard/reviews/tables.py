"""The review register's table."""

from __future__ import annotations

import django_tables2 as tables

from safeboard.core.tables import GovukTable
from safeboard.reviews.models import Review


class ReviewTable(GovukTable):
    reference = tables.Column(verbose_name="Case", linkify=lambda record: record.get_absolute_url())
    review_type = tables.Column(verbose_name="Type")
    aware_on = tables.DateColumn(verbose_name="Local authority aware", format="j F Y")
    notified_on = tables.DateColumn(verbose_name="Panel notified", format="j F Y", default="Not yet")
    decision = tables.Column(verbose_name="Decision", default="Not yet")

    class Meta(GovukTable.Meta):
        model = Review
        fields = ["reference", "review_type", "aware_on", "notified_on", "decision"]
