"""Permission matrix rows for board oversight (attendance figures, accountability, the plan, the
challenge log, funding). Persona order: anon prA prB lead adm oth scr sys (see the matrix test)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from safeboard.actions.services import create_action
from safeboard.governance.models import (
    AccountabilitySession,
    Attendance,
    AttendanceStatus,
    Budget,
    BudgetLine,
    BusinessPlan,
    Challenge,
    FundingAgreement,
    FundingContribution,
    FundingStep,
    Group,
    GroupKind,
    GroupMember,
    Measure,
    Meeting,
    MeetingStatus,
    Objective,
    Priority,
    business_year_of,
)
from tests.matrix import API_NO_POST, NO_POST, POST_ONLY, Row, none, pk, text

#                 anon prA prB lead adm oth scr sys
FIGURES = "302 403 403 200 200 200 200 403"  # attendance dashboard: counts, no names for scrutiny
AGENCY_LIST = "302 403 403 200 200 200 403 403"  # lists an agency lead reads for their own agency
MANAGERS_ADD = "302 403 403 403 200 200 403 403"  # the business unit adds, in its own partnership
AGENCY_A_RECORD = "302 404 404 200 200 404 404 404"  # a record about agency A
AGENCY_A_CHANGE = "302 404 404 403 200 404 404 404"
PLAN_READ = "302 200 200 200 200 200 200 403"
PLAN_RECORD = "302 200 200 200 200 404 200 404"
PLAN_CHANGE = "302 403 403 403 200 404 403 404"
# An action of agency A owned by practitioner A: they and their agency lead see it, nobody else but the unit.
PLAN_ACTION_CHANGE = "302 403 404 403 200 404 404 404"
PLAN = text("oversight_plan", "title")
BUDGET_LIST = "302 403 403 200 200 200 403 403"
BUDGET_RECORD = "302 404 404 200 200 404 404 404"
BUDGET_CHANGE = "302 404 404 403 200 404 404 404"
BUDGET = text("oversight_budget", "notes")

ROWS: dict[str, Row] = {
    "governance:attendance": Row(none, FIGURES, NO_POST),
    # A named seat: scrutiny may count it but not see the person's record.
    "governance:attendance-member": Row(
        pk("oversight_seat"), "302 404 404 200 200 404 403 404", NO_POST, shows=lambda w: w.practitioner_a.full_name
    ),
    "governance:accountability-list": Row(none, AGENCY_LIST, NO_POST),
    "governance:accountability-new": Row(none, MANAGERS_ADD, MANAGERS_ADD),
    "governance:accountability-detail": Row(
        pk("oversight_session"), AGENCY_A_RECORD, NO_POST, shows=text("oversight_session", "data_presented")
    ),
    "governance:accountability-edit": Row(
        pk("oversight_session"), AGENCY_A_CHANGE, AGENCY_A_CHANGE, shows=text("oversight_session", "data_presented")
    ),
    "governance:accountability-document": Row(
        pk("oversight_session"), AGENCY_A_RECORD, NO_POST, shows=lambda w: "session"
    ),
    "governance:plan-list": Row(none, PLAN_READ, NO_POST),
    "governance:plan-new": Row(none, MANAGERS_ADD, MANAGERS_ADD),
    "governance:plan-detail": Row(pk("oversight_plan"), PLAN_RECORD, NO_POST, shows=PLAN),
    "governance:plan-edit": Row(pk("oversight_plan"), PLAN_CHANGE, PLAN_CHANGE, shows=PLAN),
    "governance:plan-pdf": Row(pk("oversight_plan"), PLAN_RECORD, NO_POST, shows=PLAN),
    "governance:priority-new": Row(pk("oversight_plan"), PLAN_CHANGE, PLAN_CHANGE, shows=PLAN),
    "governance:priority-edit": Row(
        pk("oversight_priority"), PLAN_CHANGE, PLAN_CHANGE, shows=text("oversight_priority", "title")
    ),
    "governance:objective-new": Row(
        pk("oversight_priority"), PLAN_CHANGE, PLAN_CHANGE, shows=text("oversight_priority", "title")
    ),
    "governance:objective-edit": Row(
        pk("oversight_objective"), PLAN_CHANGE, PLAN_CHANGE, shows=text("oversight_objective", "text")
    ),
    "governance:objective-action-new": Row(
        pk("oversight_objective"), PLAN_CHANGE, PLAN_CHANGE, shows=text("oversight_objective", "text")
    ),
    "governance:measure-new": Row(
        pk("oversight_action"), PLAN_ACTION_CHANGE, PLAN_ACTION_CHANGE, shows=text("oversight_action", "title")
    ),
    "governance:measure-edit": Row(
        pk("oversight_measure"), PLAN_ACTION_CHANGE, PLAN_ACTION_CHANGE, shows=text("oversight_measure", "description")
    ),
    # Scrutiny raises challenges too, and lists the ones it raised.
    "governance:challenge-list": Row(none, "302 403 403 200 200 200 200 403", NO_POST),
    "governance:challenge-new": Row(none, "302 403 403 403 200 200 200 403", "302 403 403 403 200 200 200 403"),
    # The challenged agency's lead enters its response.
    "governance:challenge-respond": Row(
        pk("oversight_challenge"), AGENCY_A_RECORD, AGENCY_A_RECORD, shows=text("oversight_challenge", "issue")
    ),
    "governance:challenge-detail": Row(
        pk("oversight_challenge"), AGENCY_A_RECORD, NO_POST, shows=text("oversight_challenge", "issue")
    ),
    "governance:challenge-edit": Row(
        pk("oversight_challenge"), AGENCY_A_CHANGE, AGENCY_A_CHANGE, shows=text("oversight_challenge", "issue")
    ),
    "governance:challenge-action-new": Row(
        pk("oversight_challenge"), AGENCY_A_CHANGE, AGENCY_A_CHANGE, shows=lambda w: w.agency_a.name
    ),
    "governance:funding": Row(none, AGENCY_LIST, NO_POST),
    "governance:funding-new": Row(none, MANAGERS_ADD, MANAGERS_ADD),
    "governance:funding-edit": Row(
        pk("oversight_contribution"), AGENCY_A_CHANGE, AGENCY_A_CHANGE, shows=lambda w: w.agency_a.name
    ),
    "governance:agreement-new": Row(none, MANAGERS_ADD, MANAGERS_ADD),
    "governance:agreement-edit": Row(
        pk("oversight_agreement"), AGENCY_A_CHANGE, AGENCY_A_CHANGE, shows=lambda w: w.agency_a.name
    ),
    "governance:agreement-document": Row(
        pk("oversight_agreement"), AGENCY_A_RECORD, NO_POST, shows=lambda w: "agreement"
    ),
    # The budget: the business unit keeps it; those who read board business read it (not agency leads,
    # who see their own agency's funding only, nor scrutiny); Beta's administrator sees none of Alpha's.
    # Agency A's lead is Alpha's police statutory partner (matrix_rows_members): they read the budget
    # they sign off, and cannot change it.
    "governance:budget-list": Row(none, BUDGET_LIST, NO_POST),
    "governance:budget-new": Row(none, MANAGERS_ADD, MANAGERS_ADD),
    "governance:budget-detail": Row(pk("oversight_budget"), BUDGET_RECORD, NO_POST, shows=BUDGET),
    # An empty POST carries no version of the record: the conflict page (409), nothing saved.
    "governance:budget-edit": Row(
        pk("oversight_budget"), BUDGET_CHANGE, "302 404 404 403 409 404 404 404", shows=BUDGET
    ),
    "governance:budget-export": Row(
        pk("oversight_budget"),
        BUDGET_RECORD,
        NO_POST,
        shows=text("oversight_budget_line", "title"),
        query=lambda w: "format=csv",
    ),
    "governance:budget-export@xlsx": Row(pk("oversight_budget"), BUDGET_RECORD, NO_POST, shows=lambda w: "budget-"),
    "governance:budget-pdf": Row(pk("oversight_budget"), BUDGET_RECORD, NO_POST, shows=BUDGET),
    "governance:budget-line-new": Row(
        pk("oversight_budget"), BUDGET_CHANGE, BUDGET_CHANGE, shows=lambda w: "Add a spending line"
    ),
    "governance:budget-line-edit": Row(
        pk("oversight_budget_line"), BUDGET_CHANGE, BUDGET_CHANGE, shows=text("oversight_budget_line", "title")
    ),
    # Signing off: only a statutory partner signs (the service refuses anyone else, with a message).
    "governance:budget-sign-off": Row(pk("oversight_budget"), POST_ONLY, "302 404 404 302 302 404 404 404"),
    "api:board-business-plan-list": Row(none, "401 200 200 200 200 200 200 200", API_NO_POST),
    "api:board-business-plan-detail": Row(
        pk("oversight_plan"), "401 200 200 200 200 404 200 404", API_NO_POST, shows=PLAN
    ),
}


def build(world: Any) -> None:
    """One record of each oversight kind in Alpha, about agency A."""
    today = timezone.localdate()
    year = business_year_of(today, world.alpha.business_year_start_month)
    group = Group.objects.create(partnership=world.alpha, name="Oversight matrix board", kind=GroupKind.BOARD)
    seat = GroupMember.objects.create(
        group=group, person=world.practitioner_a, agency=world.agency_a, starts_on=dt.date(2020, 1, 1)
    )
    starts = timezone.now() - dt.timedelta(days=3)
    meeting = Meeting.objects.create(
        group=group, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), status=MeetingStatus.HELD
    )
    Attendance.objects.create(meeting=meeting, member=seat, status=AttendanceStatus.PRESENT)
    session = AccountabilitySession.objects.create(
        partnership=world.alpha,
        agency=world.agency_a,
        held_on=today,
        data_presented="Invented figures for the matrix test.",
        document=ContentFile(b"%PDF-1.4 test", name="session.pdf"),
    )
    plan = BusinessPlan.objects.create(
        partnership=world.alpha, title="Oversight matrix plan", first_year=year, last_year=year + 2
    )
    priority = Priority.objects.create(
        plan=plan, number=1, title="Neglect", sponsor=world.partnership_admin, rationale="Audit findings."
    )
    objective = Objective.objects.create(priority=priority, business_year=year, text="Spot neglect earlier.")
    action = create_action(
        partnership=world.alpha,
        title="Brief schools on the neglect toolkit",
        owner=world.practitioner_a,
        agency=world.agency_a,
        due_date=today + dt.timedelta(days=60),
        created_by=world.partnership_admin,
        source=objective,
    )
    measure = Measure.objects.create(action=action, description="Children on a plan for neglect for a second time")
    challenge = Challenge.objects.create(
        partnership=world.alpha,
        raised_on=today,
        raised_by=world.partnership_admin,
        agency=world.agency_a,
        issue="Strategy discussions are late.",
    )
    contribution = FundingContribution.objects.create(
        partnership=world.alpha, agency=world.agency_a, business_year=year, cash=Decimal("1000")
    )
    agreement = FundingAgreement.objects.create(
        partnership=world.alpha,
        agency=world.agency_a,
        first_year=year,
        last_year=year + 1,
        document=ContentFile(b"%PDF-1.4 test", name="agreement.pdf"),
    )
    for offset in (0, 1):
        FundingStep.objects.create(agreement=agreement, business_year=year + offset, cash=Decimal("1000"))
    budget = Budget.objects.create(partnership=world.alpha, business_year=year, notes="Matrix budget notes.")
    line = BudgetLine.objects.create(budget=budget, title="Matrix budget line", planned=Decimal("500"))
    world.extras.update(
        oversight_group=group,
        oversight_seat=seat,
        oversight_meeting=meeting,
        oversight_session=session,
        oversight_plan=plan,
        oversight_priority=priority,
        oversight_objective=objective,
        oversight_action=action,
        oversight_measure=measure,
        oversight_challenge=challenge,
        oversight_contribution=contribution,
        oversight_agreement=agreement,
        oversight_budget=budget,
        oversight_budget_line=line,
    )
