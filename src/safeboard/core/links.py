"""Links to records, for pages that link dozens of them.

``reverse`` walks the URL patterns every time it is called: on a list page of fifty records, each
linked by ``get_absolute_url``, that was a noticeable part of the page (benchmarks/README.md,
issue 8 §5). ``record_url`` reverses a view's URL once, with a placeholder number for each id, and
fills in each record's ids. It takes whole-number ids only (the ``<id:...>`` converter's), so
nothing needs quoting; anything else goes to ``reverse`` as usual.
"""

from __future__ import annotations

from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse

_PLACEHOLDER = 7_390_001_000
_templates: dict[tuple[str, int, tuple[str, ...], str, Any], tuple[str, tuple[str, ...]] | None] = {}


def _template(viewname: str, count: int, names: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    # The script prefix and the URL conf are part of the key: a site served under a prefix, or a
    # test that swaps the URL conf, gets its own template.
    key = (viewname, count, names, get_script_prefix(), get_urlconf())
    if key not in _templates:
        placeholders = tuple(str(_PLACEHOLDER + index) for index in range(count + len(names)))
        if names:
            url = reverse(viewname, kwargs=dict(zip(names, placeholders, strict=True)))
        else:
            url = reverse(viewname, args=placeholders)
        found = all(url.count(p) == 1 for p in placeholders)
        if len(_templates) > 1024:
            _templates.clear()
        _templates[key] = (url, placeholders) if found else None
    return _templates[key]


def record_url(viewname: str, *ids: Any, **named_ids: Any) -> str:
    """``reverse(viewname, args=ids)`` (or ``kwargs=named_ids``) for ids that are whole numbers,
    without walking the URL patterns each time."""
    values = ids or tuple(named_ids.values())
    whole = all(type(i) is int and i >= 0 for i in values) and not (ids and named_ids)
    template = _template(viewname, len(ids), tuple(named_ids)) if whole else None
    if template is None:
        return reverse(viewname, args=ids or None, kwargs=named_ids or None)
    url, placeholders = template
    for placeholder, value in zip(placeholders, values, strict=True):
        url = url.replace(placeholder, str(value))
    return url
