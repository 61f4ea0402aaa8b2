from __future__ import annotations

import django_tables2 as tables

from safeboard.accounts.models import User
from safeboard.core.tables import GovukTable


class PersonTable(GovukTable):
    full_name = tables.Column(verbose_name="Name", linkify=("accounts:person-detail", {"pk": tables.A("pk")}))
    job_title = tables.Column(default="—")
    agency = tables.Column(default="—")
    email = tables.EmailColumn()
    is_active = tables.BooleanColumn(verbose_name="Active")

    class Meta(GovukTable.Meta):
        model = User
        fields = ["full_name", "job_title", "agency", "email", "is_active"]
