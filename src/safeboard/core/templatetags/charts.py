"""``{% chart obj %}``: a chart from ``safeboard.core.charts`` with its table of figures."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from safeboard.core.charts import Chart

register = template.Library()


@register.simple_tag
def chart(obj: Chart | None) -> SafeString | str:
    """Renders nothing for ``None``, so that a page can leave a chart out."""
    return obj.render() if obj is not None else ""
