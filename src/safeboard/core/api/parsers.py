"""The API's JSON parser: a body nested too deeply is a 400, never a crash.

Python's ``json`` module recurses once per level of nesting, so a body of a hundred thousand ``[``
exhausts the stack (a ``RecursionError``, which DRF's own parser lets through as a 500). Nothing the API
accepts is nested more than a few levels, so anything deeper than ``MAX_DEPTH`` is refused before a
serializer (or a questionnaire's answers) walks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def nesting_depth(value: Any) -> int:
    """How many lists and objects deep ``value`` goes (a scalar is 0), walked without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, depth) for child in children)
    return deepest


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than ``MAX_DEPTH`` with a 400."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        too_deep = ParseError(f"JSON parse error - the body is nested more than {MAX_DEPTH} levels deep.")
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if nesting_depth(data) > MAX_DEPTH:
            raise too_deep
        return data
