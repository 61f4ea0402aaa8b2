"""django-tables2 learns each render method's arguments once per function, not once per cell."""

from __future__ import annotations

import django_tables2.utils as tables_utils

from safeboard.core import tables as core_tables


class Cells:
    def render_title(self, value, record):  # type: ignore[no-untyped-def]
        return f"{value}:{record}"

    def render_any(self, **kwargs):  # type: ignore[no-untyped-def]
        return sorted(kwargs)


def test_the_answer_is_the_libraries_own_and_is_worked_out_once(monkeypatch):
    calls = []
    original = core_tables._uncached_signature

    def counting(fn):  # type: ignore[no-untyped-def]
        calls.append(fn)
        return original(fn)

    monkeypatch.setattr(core_tables, "_uncached_signature", counting)
    monkeypatch.setattr(core_tables, "_signatures", {})
    assert tables_utils.signature is core_tables._signature
    first, second = Cells(), Cells()
    assert tables_utils.signature(first.render_title) == (("value", "record"), None)
    assert tables_utils.signature(second.render_title) == (("value", "record"), None)
    assert tables_utils.signature(first.render_any) == ((), "kwargs")
    assert len(calls) == 2  # once for each function, whatever the instance
    assert tables_utils.call_with_appropriate(second.render_title, {"value": 1, "record": 2, "column": 3}) == "1:2"
