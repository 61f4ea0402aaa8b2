"""A new partnership starts with the six default review types (its own list, to edit as it likes)."""

from __future__ import annotations

from typing import Any

from safeboard.core.models import Partnership


def default_types_for_new_partnership(
    sender: type, instance: Partnership, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        from safeboard.reviews.services import add_default_types

        add_default_types(instance)
