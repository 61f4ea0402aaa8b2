"""An action's one next step (core/steps.py): open → in progress → evidence review → closed.

"Close this action" is offered only once evidence has been accepted by someone other than the
owner (the rule in ``services.close_action``); "Review the evidence" only to someone who may judge
it (not the owner, not whoever added it). Cancelling is the destructive step, low on the page.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from safeboard.actions.models import Action, ActionEvidence, ActionStatus, EvidenceReview
from safeboard.core.steps import NextStep, Step

STAGES = ("Open", "In progress", "Evidence review", "Closed")
_STAGE = {
    ActionStatus.OPEN: 0,
    ActionStatus.IN_PROGRESS: 1,
    ActionStatus.AWAITING_REVIEW: 2,
    ActionStatus.CLOSED: 4,
}


def action_next_step(
    action: Action,
    user: Any,
    evidence: list[ActionEvidence],
    *,
    can_update: bool,
    can_change: bool,
    may_close: bool,
    can_close_now: bool,
) -> NextStep:
    is_owner = action.owner_id == user.pk
    if action.status == ActionStatus.CANCELLED:
        reopen = (Step("Reopen this action", reverse("actions:action-reopen", args=[action.pk])),) if may_close else ()
        return NextStep(STAGES, None, None, reopen, status="Cancelled", note=action.closure_reason)
    if action.status == ActionStatus.CLOSED:
        reopen = (Step("Reopen this action", reverse("actions:action-reopen", args=[action.pk])),) if may_close else ()
        return NextStep(STAGES, len(STAGES), None, reopen, status="Closed")

    current = _STAGE.get(ActionStatus(action.status), 0)
    to_review = [
        e for e in evidence if e.review == EvidenceReview.PENDING and e.added_by_id != user.pk and not is_owner
    ]
    update = Step("Add a progress update", reverse("actions:action-update-new", args=[action.pk]))
    add_evidence = Step("Add evidence", reverse("actions:action-evidence-new", args=[action.pk]))
    change = Step("Change this action", reverse("actions:action-edit", args=[action.pk]))
    close = Step("Close this action", reverse("actions:action-close", args=[action.pk]))
    cancel = (
        (Step("Cancel this action", reverse("actions:action-cancel", args=[action.pk])),)
        if may_close and not is_owner
        else ()
    )

    primary: Step | None = None
    secondary: list[Step] = []
    note = ""
    if may_close and not is_owner and to_review:
        primary = Step("Review the evidence", reverse("actions:evidence-review", args=[to_review[0].pk]))
        note = f"{len(to_review)} piece{'s' if len(to_review) != 1 else ''} of evidence waiting for your review."
        if can_close_now:
            secondary.append(close)
    elif may_close and not is_owner and can_close_now:
        primary = close
        note = "Evidence has been accepted: the action can be closed."
    elif can_update:
        if action.status == ActionStatus.AWAITING_REVIEW:
            note = "The evidence is waiting for review by someone who may close the action."
            secondary += [update, add_evidence]
        elif action.status == ActionStatus.IN_PROGRESS:
            primary, secondary = add_evidence, [update]
            note = "When the work is done, add evidence: someone else reviews it and closes the action."
        else:
            primary, secondary = update, [add_evidence]
            note = "Say how the work has started with a progress update."
    elif action.status == ActionStatus.AWAITING_REVIEW:
        note = "The evidence is waiting for review."
    if can_update and primary not in (update, add_evidence) and update not in secondary:
        secondary += [update, add_evidence]
    if can_change:
        secondary.append(change)
    return NextStep(STAGES, current, primary, tuple(secondary), cancel, note=note)
