"""Tables for the oversight lists."""

from __future__ import annotations

import django_tables2 as tables

from safeboard.core.tables import GovukTable
from safeboard.governance.oversight.models import AccountabilitySession, BusinessPlan, Challenge


class AccountabilityTable(GovukTable):
    held_on = tables.DateColumn(
        verbose_name="Date", format="j F Y", linkify=("governance:accountability-detail", {"pk": tables.A("pk")})
    )
    agency = tables.Column(verbose_name="Agency")
    presented_by = tables.Column(verbose_name="Presented by", default="—")
    meeting = tables.Column(verbose_name="Board meeting", default="—")

    class Meta(GovukTable.Meta):
        model = AccountabilitySession
        fields = ["held_on", "agency", "presented_by", "meeting"]


class BusinessPlanTable(GovukTable):
    title = tables.Column(verbose_name="Plan", linkify=True)
    years = tables.TemplateColumn(
        "{{ record.first_year }} to {{ record.last_year|add:1 }}", verbose_name="Business years", orderable=False
    )

    class Meta(GovukTable.Meta):
        model = BusinessPlan
        fields = ["title", "years"]


class ChallengeTable(GovukTable):
    raised_on = tables.DateColumn(verbose_name="Raised", format="j F Y")
    # The link names the challenge (its issue), not the date it was raised.
    issue = tables.TemplateColumn(
        '<a class="govuk-link" href="{% url \'governance:challenge-detail\' record.pk %}">'
        "{{ record.issue|truncatewords:20 }}</a>",
        verbose_name="Issue",
    )
    agency = tables.Column(verbose_name="Who is challenged", default="The board itself")
    raised_by = tables.Column(verbose_name="Raised by")
    response_due = tables.DateColumn(verbose_name="Response due", format="j F Y", default="—")
    status = tables.TemplateColumn(
        '<strong class="govuk-tag govuk-tag--{% if record.status == "open" %}yellow{% elif record.status == "escalated" %}red'
        '{% elif record.status == "resolved" %}green{% else %}blue{% endif %}">{{ record.get_status_display }}</strong>'
        '{% if record.is_overdue %} <strong class="govuk-tag govuk-tag--red">Overdue</strong>{% endif %}',
        verbose_name="Status",
    )

    class Meta(GovukTable.Meta):
        model = Challenge
        fields = ["raised_on", "issue", "agency", "raised_by", "response_due", "status"]
