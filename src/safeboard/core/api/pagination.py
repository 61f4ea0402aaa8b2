"""The API's paging: opaque cursors along an indexed ordering, so page 10,000 costs the same as page 1.

What a list accepts, as its schema says:

- ``cursor``: absent or empty for the first page, else exactly a ``next`` or ``previous`` link's
  cursor. Anything else is a 400 (DRF's own answer, a 404, said the list did not exist).
- ``page_size``: absent or empty for 50, else a whole number from 1 to 200. Anything else (``0``,
  ``null``, ``-1``, ``1000``) is a 400, rather than being quietly replaced by the default.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

from safeboard.core.ids import parse_id


class KeysetCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_description = (
        "The cursor from a `next` or `previous` link; leave it out (or empty) for the first page."
    )
    page_size_query_description = "How many records a page holds: 1 to 200 (50 when left out)."

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        size = parse_id(raw)
        if size is None or size > self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"Give a whole number from 1 to {self.max_page_size}."]}
            )
        return size

    def decode_cursor(self, request: Request) -> Cursor | None:
        if request.query_params.get(self.cursor_query_param) == "":
            return None  # an empty cursor is the first page
        refused = ValidationError(
            {self.cursor_query_param: ["This is not a cursor this list gave. Start again from the first page."]}
        )
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise refused from None
        # The position is the last id seen: a cursor edited to carry anything else never reaches a query.
        ordering = (self.ordering,) if isinstance(self.ordering, str) else tuple(self.ordering)
        by_id = [field.lstrip("-") for field in ordering] in (["id"], ["pk"])
        if cursor is not None and cursor.position is not None and by_id and parse_id(cursor.position) is None:
            raise refused
        return cursor

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters
