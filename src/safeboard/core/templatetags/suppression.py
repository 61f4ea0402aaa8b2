"""Showing suppressed figures: ``{{ value|suppressed }}`` and ``{% suppression_note %}``.

Every hidden value looks the same, "[c]" with a footnote, whether it was hidden because it is small
(primary) or to protect another one (secondary). Saying "fewer than 5" beside each primary value would
tell the reader which hidden values are small, and with a total that can pin them down (two hidden
values of "fewer than 5" in a row whose other cells and total are shown, adding up to 2, are both 1).
The footnote says what the threshold is.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from safeboard.core.suppression import HIDDEN_MARK, hidden_note

register = template.Library()


@register.filter
def suppressed(value: int | None) -> SafeString | str:
    """A published count: the number with thousands separated, or the hidden mark read out as "hidden"."""
    if value is None:
        return format_html(
            '<span aria-hidden="true">{}</span><span class="govuk-visually-hidden">hidden</span>', HIDDEN_MARK
        )
    return f"{value:,}"


@register.simple_tag
def suppression_note(threshold: int | None = None) -> str:
    """The footnote to print under a table or chart that may hide values."""
    return hidden_note(threshold)
