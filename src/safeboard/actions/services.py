"""State changes of actions. Views, the API, tasks and other modules all come through here.

A refusal is a ``ServiceError`` (``core/services.py``) whose message says why, in plain words; the
workflow step views turn it into a message on the form.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

if TYPE_CHECKING:
    from django.core.files import File

    from safeboard.accounts.models import User

from safeboard.actions.models import (
    Action,
    ActionEvidence,
    ActionPriority,
    ActionStatus,
    ActionUpdate,
    EvidenceReview,
)
from safeboard.core.concurrency import bump_version
from safeboard.core.models import Agency, Partnership
from safeboard.core.services import ServiceError


def next_reference(partnership: Partnership) -> str:
    """A-0001, A-0002… A-10000… per partnership, from the counter on the partnership's row. Call
    inside the transaction that creates the action: the row stays locked until it commits, so two
    new actions never take the same number."""
    last = (
        Partnership.objects.select_for_update()
        .filter(pk=partnership.pk)
        .values_list("last_action_number", flat=True)
        .get()
    )
    number = last + 1
    Partnership.objects.filter(pk=partnership.pk).update(last_action_number=number)
    return f"A-{number:04d}"


def label_for_source(source: models.Model) -> str:
    """What the action log shows for the record an action came from.

    The record's own ``source_label()`` when its model has one (a sealed module returns a reference
    such as "Case 2026-0042", never a child's name); otherwise a reference made from the kind of
    record and its number for records that are sealed or hold personal data; otherwise its name.
    """
    own = getattr(source, "source_label", None)
    if callable(own):
        return str(own())[:300]
    queryset = type(source)._default_manager.all()
    if getattr(queryset, "compartment_field", None) or getattr(source, "holds_personal_data", False):
        return f"{str(source._meta.verbose_name).capitalize()} {source.pk}"
    return str(source)[:300]


def create_action(
    *,
    partnership: Partnership,
    title: str,
    owner: User | None,
    agency: Agency,
    due_date: dt.date,
    created_by: User,
    source: models.Model | None = None,
    source_label: str | None = None,
    detail: str = "",
    priority: str = ActionPriority.MEDIUM,
    theme: str = "",
) -> Action:
    """Add an action to the partnership's log, linked to the record it came from (if any).

    Other modules call this to put their actions in the one log: a meeting's agenda item, a plan's
    objective, an audit finding, a review's recommendation. The log shows ``source_label`` for the
    source when given, else ``label_for_source(source)``: never a child's name from a sealed record.
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
            action.source_label = (source_label if source_label is not None else label_for_source(source))[:300]
        try:
            action.full_clean(exclude=["reference"])
        except ValidationError as error:
            raise ServiceError(" ".join(error.messages)) from error
        action.save()
    return action


# --- The workflow: progress, evidence, review, closing --------------------------------------------------


def _locked(action: Action) -> Action:
    """The action's row, locked until the end of the transaction, with its current state."""
    return Action.objects.select_for_update().get(pk=action.pk)


def _may(user: User, action: Action, what: str) -> bool:
    return Action.objects.visible_to(user, what).filter(pk=action.pk).exists()


def _require_live(action: Action) -> None:
    if not action.is_live:
        raise ServiceError(f"This action is {action.get_status_display().lower()}: it can no longer be changed.")


def _require_not_owner(action: Action, user: User, doing: str) -> None:
    if action.owner_id == user.pk:
        raise ServiceError(f"You own this action, so someone else must {doing}.")


def _save(action: Action, fields: list[str]) -> None:
    bump_version(action)
    action.save(update_fields=[*fields, "version", "updated_at"])


def add_progress_update(*, action: Action, author: User, text: str, start: bool = False) -> ActionUpdate:
    """A dated note from the owner, their agency lead or the business unit. ``start`` moves an open
    action to in progress."""
    with transaction.atomic():
        current = _locked(action)
        if not _may(author, current, "update"):
            raise ServiceError("You may not add progress to this action.")
        _require_live(current)
        update = ActionUpdate.objects.create(action=current, author=author, text=text)
        if start and current.status == ActionStatus.OPEN:
            current.status = ActionStatus.IN_PROGRESS
            _save(current, ["status"])
    return update


def add_evidence(
    *, action: Action, added_by: User, description: str, file: File[bytes] | None = None, link: str = ""
) -> ActionEvidence:
    """Evidence that the action is done. The action then waits for someone to review it."""
    if not file and not link:
        raise ServiceError("Add a file or a link as evidence.")
    with transaction.atomic():
        current = _locked(action)
        if not _may(added_by, current, "update"):
            raise ServiceError("You may not add evidence to this action.")
        _require_live(current)
        evidence = ActionEvidence(action=current, description=description, link=link or "", added_by=added_by)
        if file:
            evidence.file = file
        evidence.save()
        if current.status != ActionStatus.AWAITING_REVIEW:
            current.status = ActionStatus.AWAITING_REVIEW
            _save(current, ["status"])
    return evidence


def review_evidence(*, evidence: ActionEvidence, reviewer: User, accept: bool, note: str = "") -> ActionEvidence:
    """Accept or reject one piece of evidence. Never by the action's owner; a rejection sends the
    action back to in progress."""
    with transaction.atomic():
        current = _locked(evidence.action)
        item = ActionEvidence.objects.select_for_update().get(pk=evidence.pk, action=current)
        if not _may(reviewer, current, "close"):
            raise ServiceError("You may not review evidence for this action.")
        _require_not_owner(current, reviewer, "review its evidence")
        _require_live(current)
        if item.added_by_id == reviewer.pk:
            # Whoever supplied the evidence cannot judge it, even after the action changes hands.
            raise ServiceError("Someone other than the person who added this evidence must review it.")
        if item.review != EvidenceReview.PENDING:
            raise ServiceError("This evidence has already been reviewed.")
        if not accept and not note.strip():
            raise ServiceError("Say why the evidence is not enough, so the owner knows what to add.")
        item.review = EvidenceReview.ACCEPTED if accept else EvidenceReview.REJECTED
        item.reviewed_by = reviewer
        item.reviewed_at = timezone.now()
        item.review_note = note
        bump_version(item)
        item.save()
        if not accept and current.status == ActionStatus.AWAITING_REVIEW:
            current.status = ActionStatus.IN_PROGRESS
            _save(current, ["status"])
    return item


def has_independently_accepted_evidence(action: Action) -> bool:
    """At least one piece of evidence accepted by someone who is not the action's owner."""
    return (
        action.evidence.filter(review=EvidenceReview.ACCEPTED, reviewed_by__isnull=False)
        .exclude(reviewed_by_id=action.owner_id)
        .exclude(reviewed_by_id=F("added_by_id"))
        .exists()
    )


def close_action(*, action: Action, closed_by: User, reason: str) -> Action:
    """Close a finished action. Needs accepted evidence reviewed by someone other than the owner,
    and is never done by the owner; who, when and why are recorded."""
    if not reason.strip():
        raise ServiceError("Say why the action can be closed.")
    with transaction.atomic():
        current = _locked(action)
        if not _may(closed_by, current, "close"):
            raise ServiceError("You may not close this action.")
        _require_not_owner(current, closed_by, "close it")
        _require_live(current)
        if not has_independently_accepted_evidence(current):
            raise ServiceError(
                "This action cannot be closed yet: at least one piece of evidence must be accepted by "
                "someone other than the owner."
            )
        current.status = ActionStatus.CLOSED
        current.closed_by = closed_by
        current.closed_at = timezone.now()
        current.closure_reason = reason
        _save(current, ["status", "closed_by", "closed_at", "closure_reason"])
    return current


def cancel_action(*, action: Action, cancelled_by: User, reason: str) -> Action:
    """Stop an action that is no longer needed. The reason is recorded; never done by the owner."""
    if not reason.strip():
        raise ServiceError("Say why the action is being cancelled.")
    with transaction.atomic():
        current = _locked(action)
        if not _may(cancelled_by, current, "close"):
            raise ServiceError("You may not cancel this action.")
        _require_not_owner(current, cancelled_by, "cancel it")
        _require_live(current)
        current.status = ActionStatus.CANCELLED
        current.closed_by = cancelled_by
        current.closed_at = timezone.now()
        current.closure_reason = reason
        _save(current, ["status", "closed_by", "closed_at", "closure_reason"])
    return current


def reopen_action(*, action: Action, reopened_by: User, reason: str) -> Action:
    """Open a closed or cancelled action again (it goes back to in progress); the reason becomes a
    progress note, and the change log keeps the earlier closure."""
    if not reason.strip():
        raise ServiceError("Say why the action is being reopened.")
    with transaction.atomic():
        current = _locked(action)
        if not _may(reopened_by, current, "close"):
            raise ServiceError("You may not reopen this action.")
        if current.is_live:
            raise ServiceError("This action is not closed or cancelled.")
        current.status = ActionStatus.IN_PROGRESS
        current.closed_by = None
        current.closed_at = None
        current.closure_reason = ""
        _save(current, ["status", "closed_by", "closed_at", "closure_reason"])
        ActionUpdate.objects.create(action=current, author=reopened_by, text=f"Reopened: {reason}")
    return current
