"""State changes of actions. Views, the API, tasks and other modules all come through here."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Max

from safeboard.actions.models import Action, ActionPriority, ActionStatus
from safeboard.core.models import Agency, Partnership


def next_reference(partnership: Partnership) -> str:
    """A-0001, A-0002… per partnership. Call inside the transaction that creates the action."""
    # Lock the partnership row so that two new actions cannot take the same number.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    last = (
        Action.objects.filter(partnership=partnership, reference__startswith="A-")
        .aggregate(last=Max("reference"))
        .get("last")
    )
    number = int(last[2:]) + 1 if last else 1
    return f"A-{number:04d}"


def create_action(
    *,
    partnership: Partnership,
    title: str,
    owner,  # type: ignore[no-untyped-def]
    agency: Agency,
    due_date: dt.date,
    created_by,  # type: ignore[no-untyped-def]
    source: models.Model | None = None,
    detail: str = "",
    priority: str = ActionPriority.MEDIUM,
    theme: str = "",
) -> Action:
    """Add an action to the partnership's log, linked to the record it came from (if any).

    Other modules call this to put their actions in the one log: a meeting's agenda item, a plan's
    objective, an audit finding, a review's recommendation.
    """
    with transaction.atomic():
        action = Action(
            partnership=partnership,
            reference=next_reference(partnership),
            title=title,
            detail=detail,
            owner=owner,
            agency=agency,
            due_date=due_date,
            priority=priority,
            status=ActionStatus.OPEN,
            theme=theme,
            created_by=created_by,
        )
        if source is not None:
            action.source_type = ContentType.objects.get_for_model(source)
            action.source_id = str(source.pk)
            action.source_label = str(source)[:300]
        action.full_clean(exclude=["reference"])
        action.save()
    return action
