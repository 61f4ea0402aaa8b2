"""Widgets that render faster than Django's templates where a page has many options.

Django renders a ``<select>`` through one template for the element and one more for every option.
On a list page whose filters offer hundreds of people or agencies, those option templates were most
of the page's time (benchmarks/README.md). ``GovukSelect`` writes the same HTML in Python.
Every GOV.UK form and filter form gets it in place of ``forms.Select`` (``use_fast_select``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

_OPTION = '\n  <option value="{}">{}</option>'
_SELECTED_OPTION = '\n  <option value="{}" selected>{}</option>'
_END_GROUP = SafeString("\n  </optgroup>")  # a constant: nothing from outside goes into it


def _attributes(attrs: dict[str, Any]) -> SafeString:
    """HTML attributes as Django's ``attrs.html`` writes them: False leaves one out, True writes
    its name alone, anything else its escaped text."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)))
    return _joined(parts)


def _joined(parts: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


class GovukSelect(forms.Select):
    """A ``<select>`` whose options are written in Python: the same markup as ``forms.Select``
    (first matching option selected, option groups, the widget's attributes), without a template
    per option."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        wanted = set(self.format_value(value))
        chosen = False
        out = [format_html('<select name="{}"{}>', name, _attributes(final_attrs))]

        def option(option_value: Any, label: Any) -> SafeString:
            nonlocal chosen
            text = "" if option_value is None else str(option_value)
            selected = (not chosen or self.allow_multiple_selected) and text in wanted
            chosen = chosen or selected
            return format_html(_SELECTED_OPTION if selected else _OPTION, text, label)

        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # an option group
                out.append(format_html('\n  <optgroup label="{}">', option_value))
                out.extend(option(v, text) for v, text in label)
                out.append(_END_GROUP)
            else:
                out.append(option(option_value, label))
        return format_html("{}\n</select>", _joined(out))


# Django's own templates for a single ``<input>``: they all include input.html and nothing else.
_PLAIN_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html" for kind in ("text", "number", "email", "url", "password", "search", "tel")
)


def plain_input_html(widget: forms.Widget, name: str, value: Any, attrs: dict[str, Any]) -> SafeString | None:
    """The ``<input>`` Django's input.html would write for ``widget``, written in Python; None for a
    widget that is not a plain input (its own template or its own ``render``), which must be
    rendered the usual way. Same markup: type, name, the value when there is one, the attributes."""
    if (
        not isinstance(widget, forms.widgets.Input)
        or widget.template_name not in _PLAIN_INPUT_TEMPLATES
        or type(widget).render is not forms.Widget.render
    ):
        return None
    context = widget.get_context(name, value, attrs)["widget"]
    shown = context["value"]
    value_html = format_html(' value="{}"', str(shown)) if shown is not None else ""
    return format_html(
        '<input type="{}" name="{}"{}{}>', context["type"], name, value_html, _attributes(context["attrs"])
    )


def use_fast_select(field: forms.Field) -> None:
    """Give ``field`` a ``GovukSelect`` when it has a plain ``forms.Select`` (same attributes and choices)."""
    widget = field.widget
    if type(widget) is not forms.Select:
        return
    fast = GovukSelect(attrs=widget.attrs)
    fast.choices = widget.choices
    fast.is_required = widget.is_required
    fast.is_localized = widget.is_localized
    field.widget = fast
