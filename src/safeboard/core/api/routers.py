"""The API's router: every record's URL takes its id through the ``<id:…>`` converter (core/ids.py)."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter


class IdRouter(DefaultRouter):
    """``DefaultRouter`` with Django path converters, ``<id:pk>`` unless a viewset names another."""

    include_format_suffixes = False

    def __init__(self) -> None:
        super().__init__(use_regex_path=False)
        self._default_value_pattern = "id"
