"""Keyset pagination for list pages.

Why hand-written: Django's Paginator (and django-tables2's) use OFFSET and a full COUNT, both of
which slow down as a table grows to millions of rows. Keyset paging asks for "the next 50 after
this row" along an index, so page 4,000 costs the same as page 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet

_SALT = "safeboard.keyset"


@dataclass
class KeysetPage:
    object_list: list[Any]
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)


def _after(ordering: tuple[str, ...], values: list[Any], backwards: bool) -> Q:
    """(a, b, c) > (x, y, z) written out for databases and mixed directions.

    The extra ``a >= x`` bound says the same thing again in a form the database can use to start
    an index range scan; without it the OR below makes it read and discard every earlier row.
    """
    lead = ordering[0].lstrip("-")
    lead_descending = ordering[0].startswith("-") != backwards
    bound = Q(**{f"{lead}__{'lte' if lead_descending else 'gte'}": values[0]})
    query = Q(pk__in=[])
    for i, field in enumerate(ordering):
        name = field.lstrip("-")
        descending = field.startswith("-") != backwards
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[i]})
        for j in range(i):
            step &= Q(**{ordering[j].lstrip("-"): values[j]})
        query |= step
    return bound & query


def _flip(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


def keyset_page(
    queryset: QuerySet[Any], ordering: tuple[str, ...], cursor: str | None, per_page: int = 50
) -> KeysetPage:
    """One page of ``queryset`` along ``ordering`` (whose last field must be unique, e.g. ``id``)."""
    backwards = False
    values = None
    if cursor:
        try:
            data = signing.loads(cursor, salt=_SALT)
            backwards = data["d"] == "p"
            values = data["v"]
            if len(values) != len(ordering):
                values = None
        except (signing.BadSignature, KeyError, TypeError):
            values = None
    if values is not None:
        queryset = queryset.filter(_after(ordering, values, backwards))
    order = tuple(_flip(f) for f in ordering) if backwards else ordering
    rows = list(queryset.order_by(*order)[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()

    def cursor_for(row: Any, direction: str) -> str:
        return signing.dumps({"d": direction, "v": [_value(row, f.lstrip("-")) for f in ordering]}, salt=_SALT)

    next_cursor = previous_cursor = None
    if rows:
        if more or backwards:
            next_cursor = cursor_for(rows[-1], "n")
        if values is not None and (not backwards or more):
            previous_cursor = cursor_for(rows[0], "p")
    return KeysetPage(rows, next_cursor, previous_cursor)


def _value(row: Any, path: str) -> Any:
    for part in path.split("__"):
        row = getattr(row, part)
    if hasattr(row, "isoformat"):
        return row.isoformat()
    return row
