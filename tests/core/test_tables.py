"""``GovukTable.rows_html`` writes exactly the rows django-tables2 writes, cell by cell.

The fast path decides per column what django-tables2 decides per cell (benchmarks/README.md); these
tests hold it to the library's own output: a table with every kind of column the project uses, and
every table of the project over the demo data.
"""

from __future__ import annotations

import importlib
from typing import Any

import django_tables2 as tables
import pytest
from django.core.management import call_command
from django.utils.html import conditional_escape, format_html

from safeboard.accounts.models import Membership, User
from safeboard.core.models import Agency, Partnership
from safeboard.core.tables import GovukTable


def library_rows(table: tables.Table) -> str:
    """The rows as django-tables2 renders them, through ``BoundRow.items``."""
    return "".join(
        '<tr class="govuk-table__row">'
        + "".join(f'<td class="govuk-table__cell">{conditional_escape(cell)}</td>' for _, cell in row.items())
        + "</tr>"
        for row in table.paginated_rows
    )


class EveryKindOfColumn(GovukTable):
    full_name = tables.Column(linkify=("accounts:person-detail", {"pk": tables.A("pk")}))
    job_title = tables.Column(default="—")
    agency = tables.Column(default="—", linkify=True)
    agency_type = tables.Column(accessor="agency__agency_type", default="—")  # choices: shows the label
    agency_name = tables.Column(accessor="agency__name", default="none", linkify=lambda record: f"/x/{record.pk}/")
    email = tables.EmailColumn(attrs={"a": {"class": "govuk-link"}})
    is_active = tables.BooleanColumn()
    initials = tables.Column(accessor="pk", empty_values=())
    template = tables.TemplateColumn("<b>{{ record.full_name }}</b> {{ value }}", accessor="job_title")
    joined = tables.DateTimeColumn(accessor="created_at", format="j F Y")
    memberships = tables.ManyToManyColumn(accessor="memberships", transform=lambda m: m.role)
    text_link = tables.LinkColumn("accounts:person-detail", args=[tables.A("pk")], text="Open", accessor="pk")

    class Meta(GovukTable.Meta):
        model = User
        fields = ["full_name"]

    def render_initials(self, record: User) -> str:
        return format_html("<abbr>{}</abbr>", "".join(part[:1] for part in record.full_name.split()))


@pytest.mark.django_db
def test_every_kind_of_column_matches_the_library(world) -> None:
    other = Agency.objects.create(name='Odd <agency> & "quotes"', agency_type="charity")
    User.objects.create_user("no.agency@example.org", full_name="Zed <b>No</b> Agency", job_title="")
    User.objects.create_user(
        "odd@example.org", full_name="O'Neill & Sons", agency=other, job_title="<script>", is_active=False
    )
    records = User.objects.select_related("agency").order_by("full_name", "id")
    table = EveryKindOfColumn(records)
    assert table.rows_html() == library_rows(table)
    assert "Zed &lt;b&gt;No&lt;/b&gt; Agency" in table.rows_html()


@pytest.mark.django_db
def test_an_empty_table_has_no_rows() -> None:
    assert EveryKindOfColumn(User.objects.none()).rows_html() == ""


@pytest.mark.django_db
def test_the_placeholder_url_is_never_used_for_an_id_that_is_not_a_number(world) -> None:
    class ByEmail(GovukTable):
        full_name = tables.Column(linkify=("accounts:person-detail", {"pk": tables.A("email")}))

        class Meta(GovukTable.Meta):
            model = User
            fields = ["full_name"]

    with pytest.raises(Exception, match="Reverse"):  # the library's own reverse is asked, and refuses
        ByEmail(User.objects.all()).rows_html()


TABLE_MODULES = [
    "safeboard.core.tables",
    "safeboard.accounts.tables",
    "safeboard.actions.tables",
    "safeboard.governance.meetings.tables",
    "safeboard.governance.oversight.tables",
]


def project_tables() -> list[type[GovukTable]]:
    for name in TABLE_MODULES:
        importlib.import_module(name)
    found: list[type[GovukTable]] = []
    pending: list[Any] = list(GovukTable.__subclasses__())
    while pending:
        table = pending.pop()
        pending.extend(table.__subclasses__())
        if table.__module__.startswith("safeboard.") and getattr(table._meta, "model", None) is not None:
            found.append(table)
    return found


@pytest.mark.django_db
def test_every_table_of_the_project_matches_the_library_on_the_demo_data() -> None:
    call_command("load_demo", "--quiet")
    checked = []
    for table_class in project_tables():
        model = table_class._meta.model
        records = list(model._default_manager.order_by("-pk")[:60])
        if model.__name__ == "Action":
            from safeboard.actions.models import Action

            records = list(Action.objects.with_rag(14).order_by("-pk")[:60])
        table = table_class(records)
        assert table.rows_html() == library_rows(table), table_class.__name__
        checked.append((table_class.__name__, len(records)))
    names = {name for name, count in checked if count}
    assert {"PersonTable", "ActionTable", "MeetingTable", "ChangeLogTable", "ChallengeTable"} <= names, checked
    assert Partnership.objects.exists() and Membership.objects.exists()
