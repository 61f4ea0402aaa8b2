"""Small builders for the action log tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeboard.actions.models import Action
from safeboard.actions.services import create_action


def make_action(world: Any, *, owner=None, agency=None, partnership=None, due_in: int = 30, **fields: Any) -> Action:  # type: ignore[no-untyped-def]
    """An action in Alpha, owned by practitioner A of agency A unless told otherwise."""
    return create_action(
        partnership=partnership or world.alpha,
        title=fields.pop("title", "Audit the neglect pathway"),
        owner=owner or world.practitioner_a,
        agency=agency or world.agency_a,
        due_date=fields.pop("due_date", None) or timezone.localdate() + dt.timedelta(days=due_in),
        created_by=fields.pop("created_by", None) or world.partnership_admin,
        **fields,
    )
