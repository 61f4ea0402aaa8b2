"""Tags for the action log: status and RAG shown as GOV.UK tags with words, not colour alone."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from safeboard.actions.models import RAG, ActionStatus

register = template.Library()

_RAG_CLASS: dict[str, str] = {
    RAG.RED: "govuk-tag--red",
    RAG.AMBER: "govuk-tag--yellow",
    RAG.GREEN: "govuk-tag--green",
    RAG.DONE: "govuk-tag--grey",
}
_STATUS_CLASS: dict[str, str] = {
    ActionStatus.OPEN: "govuk-tag--blue",
    ActionStatus.IN_PROGRESS: "govuk-tag--light-blue",
    ActionStatus.AWAITING_REVIEW: "govuk-tag--purple",
    ActionStatus.CLOSED: "govuk-tag--green",
    ActionStatus.CANCELLED: "govuk-tag--grey",
}
_RAG_LABELS: dict[str, str] = dict(RAG.choices)
_STATUS_LABELS: dict[str, str] = dict(ActionStatus.choices)


@register.filter
def rag_tag(value: str) -> str:
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', _RAG_CLASS.get(value, ""), _RAG_LABELS.get(value, value)
    )


@register.filter
def status_tag(value: str) -> str:
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', _STATUS_CLASS.get(value, ""), _STATUS_LABELS.get(value, value)
    )
