"""State changes for board oversight. Each locks the rows it depends on, checks, then changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from safeboard.actions.models import Action
from safeboard.actions.services import create_action
from safeboard.core.concurrency import bump_version
from safeboard.core.models import Agency
from safeboard.core.services import ServiceError
from safeboard.governance.oversight.choices import ChallengeStatus
from safeboard.governance.oversight.models import (
    Budget,
    BudgetLine,
    Challenge,
    FundingAgreement,
    FundingStep,
    Objective,
    Priority,
)

# The board agrees a small number of priorities; more than this is allowed but flagged.
PRIORITY_WARNING_ABOVE = 5


def add_priority(*, priority: Priority) -> tuple[Priority, bool]:
    """Save a new priority on its plan; the second value is True when the plan now has more than
    five priorities (a warning, not an error)."""
    with transaction.atomic():
        # Lock the plan so that two people adding priorities at once count each other's.
        plan = type(priority.plan)._base_manager.select_for_update().get(pk=priority.plan_id)
        if Priority.objects.filter(plan=plan, number=priority.number).exists():
            raise ServiceError("Another priority of this plan already has this number.", field="number")
        priority.save()
        too_many = Priority.objects.filter(plan=plan).count() > PRIORITY_WARNING_ABOVE
    return priority, too_many


def add_objective_action(
    *, objective: Objective, title: str, owner: Any, agency: Any, due_date: dt.date, detail: str, created_by: Any
) -> Action:
    """An action under a plan objective, in the partnership's action log with the objective as source."""
    with transaction.atomic():
        objective = (
            Objective._base_manager.select_for_update()
            .select_related("priority__plan__partnership")
            .get(pk=objective.pk)
        )
        return create_action(
            partnership=objective.priority.plan.partnership,
            title=title,
            owner=owner,
            agency=agency,
            due_date=due_date,
            detail=detail,
            created_by=created_by,
            source=objective,
        )


def add_challenge_action(
    *, challenge: Challenge, title: str, owner: Any, agency: Any, due_date: dt.date, detail: str, created_by: Any
) -> Action:
    """An action agreed in answer to a challenge. A resolved challenge takes no new actions."""
    with transaction.atomic():
        challenge = Challenge._base_manager.select_for_update().select_related("partnership").get(pk=challenge.pk)
        if challenge.status == ChallengeStatus.RESOLVED:
            raise ServiceError("This challenge is resolved. Reopen it before adding actions.")
        return create_action(
            partnership=challenge.partnership,
            title=title,
            owner=owner,
            agency=agency,
            due_date=due_date,
            detail=detail,
            created_by=created_by,
            source=challenge,
        )


# --- Funding and the budget -----------------------------------------------------------------------------


def save_agreement(agreement: FundingAgreement, steps: dict[int, Decimal]) -> FundingAgreement:
    """Save an agreement with its steps (the cash for each business year it covers). Two agreements of
    one agency in one partnership never cover the same year: checked again here with the agency's row
    locked, so two people recording agreements at once cannot both get through."""
    if set(steps) != set(range(agreement.first_year, agreement.last_year + 1)):
        raise ServiceError("Give the cash agreed for every business year the agreement covers.")
    with transaction.atomic():
        Agency._base_manager.select_for_update().filter(pk=agreement.agency_id).exists()
        clash = agreement.overlapping().order_by("first_year").first()
        if clash is not None:
            raise ServiceError(
                f"This agency already has an agreement covering {clash.first_year} to "
                f"{clash.last_year + 1}. Agreements of one agency cannot cover the same year.",
                field="first_year",
            )
        agreement.save()
        agreement.steps.exclude(business_year__in=list(steps)).delete()
        existing = {step.business_year: step for step in agreement.steps.all()}
        for year, cash in steps.items():
            step = existing.get(year)
            if step is None:
                FundingStep.objects.create(agreement=agreement, business_year=year, cash=cash)
            elif step.cash != cash:
                step.cash = cash
                bump_version(step)
                step.save()
    return agreement


def add_budget_line(*, budget: Budget, line: BudgetLine) -> BudgetLine:
    """A spending line on a budget; each line's name is used once per budget, and none is added once
    the budget has a sign-off."""
    from safeboard.governance.arrangements.models import SignOff

    with transaction.atomic():
        locked = Budget._base_manager.select_for_update().get(pk=budget.pk)
        if SignOff.objects.about(locked).exists():
            raise ServiceError(
                "The statutory partners have started signing this budget off, so no line can be added. "
                "Record the spending against an existing line."
            )
        if BudgetLine.objects.filter(budget=locked, title__iexact=line.title.strip()).exists():
            raise ServiceError("This budget already has a line with this name.", field="title")
        line.budget = locked
        line.save()
    return line
