"""Ids: what the URLs, the filters and hand-read query parameters accept as a record's id.

A primary key here is a positive 64-bit integer. Anything else sent where an id is expected (a number
too big for the database, a negative, ``²`` or ``abc``) is refused where it arrives: a path with such
an id does not match (404), a filter refuses it as a form error (400 on the API), and ``parse_id``
returns ``None``. SQLite raises ``OverflowError`` for integers beyond 64 bits, and a ``Decimal``
from a number filter is no id at all, so nothing unchecked may reach a query.

- URLs: ``<id:pk>`` (registered by ``CoreConfig.ready``), never ``<id:pk>``.
- Filters: ``IdFilter`` (a filter that only takes ids; on the API every foreign key gets one), never a
  ``NumberFilter``, which hands the database a ``Decimal``.
- Hand-read parameters: ``parse_id(request.GET.get("group"))``.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from drf_spectacular.utils import extend_schema_field

MAX_ID = 2**63 - 1
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(value: Any) -> int | None:
    """``value`` as an id (1 to 2⁶³ − 1, ASCII digits only), or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_ID else None
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > _MAX_DIGITS:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


class IdConverter:
    """The ``<id:…>`` path converter: only ids in range match, anything else is a 404."""

    regex = f"[0-9]{{1,{_MAX_DIGITS}}}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(f"{value!r} is not an id")
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


class IdField(forms.IntegerField):
    """A form field for an id: a whole number from 1 to 2⁶³ − 1."""

    default_error_messages = {"invalid": "Enter the id of a record (a whole number)."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [MinValueValidator(1), MaxValueValidator(MAX_ID)]

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text.isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(text)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    """Filter by the id of a related record (``field_name="meeting__group"``); refuses what is no id."""

    field_class = IdField  # any number field will do
