"""The API's OpenAPI schema: every operation documents the errors it can answer.

drf-spectacular describes the successful answer of each operation. This adds, from one place, what
``core/api/errors.py`` and the viewsets answer when something is wrong, so that the schema and the
answers agree (``tests/api/test_schemathesis.py`` checks that they do):

- 400 with ``detail`` (and ``errors``, field by field) for invalid values, filters, cursors or bodies;
- 401 without valid credentials, 403 when the caller may not do this;
- 404 when a record in the path does not exist or is out of the caller's sight;
- on PATCH and PUT of versioned records, the required ``If-Match`` header, 412 and 428
  (``core/api/versioning.py``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from safeboard.core.api.versioning import IF_MATCH_HELP, IfMatchUpdateMixin

# The body of every error answer (core/api/errors.py).
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in plain English."},
        "errors": {
            "type": "object",
            "additionalProperties": {},
            "description": "On a 400 about the values sent: the messages for each field, by field name.",
        },
    },
    "required": ["detail"],
}


_ERRORS = {
    "400": "The values, filters, cursor or body sent are not valid; ``errors`` says which and why.",
    "401": "No valid personal API token or signed-in session was sent.",
    "403": "The caller may not do this.",
    "404": "No such record, or it is out of the caller's sight.",
    "412": "The record changed since the version in If-Match was read: read it again, then resend.",
    "428": "If-Match is required: send the record's version as you read it.",
}


class SafeboardAutoSchema(AutoSchema):
    def _guards_version(self) -> bool:
        return self.method in ("PATCH", "PUT") and isinstance(self.view, IfMatchUpdateMixin)

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self._guards_version():
            parameters.append(
                OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True, description=IF_MATCH_HELP)
            )
        return parameters

    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403"]
        if "{" in self.path:
            codes.append("404")
        if self._guards_version():
            codes += ["412", "428"]
        return codes

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = {
                    "description": _ERRORS[code],
                    "content": {"application/json": {"schema": ERROR_SCHEMA}},
                }
        return responses
