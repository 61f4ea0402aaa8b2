"""Board business, oversight: agency accountability sessions, the business plan (priorities,
objectives, measures of impact), the challenge log and funding. Django finds these through
``governance/models.py`` (the app's model module, app label ``governance``)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from safeboard.core.fields import NOTE, PARAGRAPHS, BoundedTextField
from safeboard.core.links import record_url
from safeboard.core.models import Agency, AuditedModel, Partnership
from safeboard.core.querysets import ScopedQuerySet
from safeboard.core.text import day_text
from safeboard.governance.arrangements.models import StatutoryPartnersReadQuerySet
from safeboard.governance.meetings.models import Meeting
from safeboard.governance.oversight.choices import ChallengeStatus

User = settings.AUTH_USER_MODEL


class AgencyRecordQuerySet(ScopedQuerySet):
    """Records about one agency: an agency lead's AGENCY scope reaches their own agency's."""

    agency_field = "agency"


class FundingQuerySet(StatutoryPartnersReadQuerySet):
    """Funding records: an agency lead reads their own agency's (AGENCY scope, as ``AgencyRecordQuerySet``);
    the statutory partners, who sign the budget off, read the partnership's in full."""

    agency_field = "agency"


class ChallengeQuerySet(AgencyRecordQuerySet):
    """Challenges: an agency lead reaches those to their own agency; scrutiny (OWN) those it raised."""

    owner_field = "raised_by"


class AccountabilitySession(AuditedModel):
    """An agency's annual session in front of the board: the data it presented and the challenges raised."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    held_on = models.DateField()
    presented_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    data_presented = BoundedTextField(max_length=PARAGRAPHS)
    challenges_raised = BoundedTextField(blank=True, max_length=PARAGRAPHS)
    document = models.FileField(upload_to="governance/accountability/%Y/", blank=True)

    objects = AgencyRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.agency} accountability session, {self.held_on:%B %Y}"


class BusinessPlan(AuditedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="business_plans")
    title = models.CharField(max_length=200)
    first_year = models.PositiveSmallIntegerField(
        help_text="The year the plan's first business year starts, for example 2026."
    )
    last_year = models.PositiveSmallIntegerField(
        help_text="At most two years after the first (a plan covers up to three years)."
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-first_year"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("governance:plan-detail", self.pk)

    def clean(self) -> None:
        if self.first_year and self.last_year and not 0 <= self.last_year - self.first_year <= 2:
            raise ValidationError({"last_year": "A plan covers one to three business years."})


class PriorityQuerySet(ScopedQuerySet):
    partnership_field = "plan__partnership"


class Priority(AuditedModel):
    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    sponsor = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", help_text="The board member who answers for it."
    )
    rationale = BoundedTextField(
        max_length=PARAGRAPHS, help_text="What local knowledge it came from: data, audits, reviews, what children said."
    )

    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return f"Priority {self.number}: {self.title}"


class ObjectiveQuerySet(ScopedQuerySet):
    partnership_field = "priority__plan__partnership"


class Objective(AuditedModel):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    business_year = models.PositiveSmallIntegerField()
    text = BoundedTextField("Objective", max_length=NOTE)

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "business_year", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def source_label(self) -> str:
        """The action log's "came from": the plan and priority as well as the objective."""
        priority = self.priority
        return f"{priority.plan.title}, priority {priority.number}: {self.text[:120]}"

    def get_absolute_url(self) -> str:
        return self.priority.plan.get_absolute_url()

    @property
    def partnership_id(self) -> int:
        return self.priority.plan.partnership_id


class MeasureQuerySet(ScopedQuerySet):
    partnership_field = "action__partnership"
    agency_field = "action__agency"
    owner_field = "action__owner"


class Measure(AuditedModel):
    """How we will know an action made a difference for children."""

    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE, related_name="measures")
    description = models.CharField(max_length=300)
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    latest_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    latest_on = models.DateField("Latest value as at", null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True, help_text="For example ‘%’ or ‘children’.")
    is_proxy = models.BooleanField(
        "This is a proxy measure",
        default=False,
        help_text="It measures activity or process, not the difference for children directly.",
    )

    objects = MeasureQuerySet.as_manager()

    def __str__(self) -> str:
        return self.description

    @property
    def partnership_id(self) -> int:
        return self.action.partnership_id


class Challenge(AuditedModel):
    """Scrutiny and challenge between partners, and how each was answered."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField()
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Agency challenged",
        help_text="Leave blank for a challenge to the board itself.",
    )
    raised_by_scrutiny = models.BooleanField("Raised by the scrutiny committee", default=False)
    issue = BoundedTextField(max_length=PARAGRAPHS)
    forum = models.CharField(
        max_length=150, blank=True, help_text="Where it was raised, for example ‘Board, 12 March’."
    )
    response_due = models.DateField(null=True, blank=True)
    response = BoundedTextField(blank=True, max_length=PARAGRAPHS)
    outcome = BoundedTextField(blank=True, max_length=PARAGRAPHS)
    status = models.CharField(max_length=12, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN)
    escalation_level = models.PositiveSmallIntegerField(
        default=0, help_text="0 when not escalated; 1 to 3 for each step up."
    )

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["partnership", "agency", "raised_on"], name="challenge_agency")]
        constraints = [
            # Escalated means stepped up at least once: level 0 is "not escalated".
            models.CheckConstraint(
                condition=~models.Q(status="escalated", escalation_level=0), name="challenge_escalated_has_level"
            )
        ]

    def __str__(self) -> str:
        return f"Challenge to {self.challenged}, {day_text(self.raised_on)}"

    def source_label(self) -> str:
        return f"Challenge to {self.challenged}, raised {day_text(self.raised_on)}"

    @property
    def is_overdue(self) -> bool:
        """Still waiting for the agency's response after the date it was due."""
        from django.utils import timezone

        return (
            self.status == ChallengeStatus.OPEN
            and self.response_due is not None
            and self.response_due < timezone.localdate()
        )

    @property
    def challenged(self) -> str:
        """Who the challenge is aimed at: an agency, or the board itself."""
        return str(self.agency) if self.agency_id else "the board"

    def clean(self) -> None:
        if self.status == ChallengeStatus.ESCALATED and not self.escalation_level:
            raise ValidationError(
                {"escalation_level": "An escalated challenge is at level 1, 2 or 3. Level 0 means not escalated."}
            )


class FundingContribution(AuditedModel):
    """What an agency paid the partnership for one business year (the received side of its agreement),
    in cash and in kind."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    business_year = models.PositiveSmallIntegerField()
    cash = models.DecimalField("Cash received", max_digits=12, decimal_places=2, default=0)
    in_kind_hours = models.DecimalField(max_digits=8, decimal_places=1, default=0)
    in_kind_value = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    in_kind_description = models.CharField("What the in-kind help was for", max_length=300, blank=True)

    objects = FundingQuerySet.as_manager()

    class Meta:
        ordering = ["-business_year", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "agency", "business_year"], name="unique_contribution")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.business_year}/{(self.business_year + 1) % 100:02d}"


# An agreement covers one to five business years, each with its own amount (a step).
MAX_AGREEMENT_YEARS = 5


class FundingAgreement(AuditedModel):
    """An agency's funding agreement: the business years it covers and the cash agreed for each of
    them (its steps, ``FundingStep``). Two agreements of the same agency in the same partnership never
    cover the same year."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    signed_on = models.DateField(null=True, blank=True)
    document = models.FileField(upload_to="governance/funding/%Y/", blank=True)

    objects = FundingQuerySet.as_manager()

    class Meta:
        ordering = ["-first_year", "agency__name"]
        indexes = [
            # The overlap check and the funding page: an agency's agreements around a year.
            models.Index(fields=["partnership", "agency", "first_year"], name="funding_agreement_years")
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(last_year__gte=models.F("first_year")), name="agreement_years")
        ]

    def __str__(self) -> str:
        return f"{self.agency} agreement {self.first_year} to {self.last_year + 1}"

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def overlapping(self) -> models.QuerySet[FundingAgreement]:
        """Other agreements of the same agency and partnership that cover any of this one's years."""
        return FundingAgreement.objects.filter(
            partnership_id=self.partnership_id,
            agency_id=self.agency_id,
            first_year__lte=self.last_year,
            last_year__gte=self.first_year,
        ).exclude(pk=self.pk)

    def clean(self) -> None:
        if self.first_year is None or self.last_year is None:
            return
        if self.last_year < self.first_year:
            raise ValidationError({"last_year": "The last business year must be the same as or after the first."})
        if self.last_year - self.first_year >= MAX_AGREEMENT_YEARS:
            raise ValidationError({"last_year": f"An agreement covers at most {MAX_AGREEMENT_YEARS} business years."})
        if self.partnership_id and self.agency_id:
            clash = self.overlapping().order_by("first_year").first()
            if clash is not None:
                raise ValidationError(
                    {
                        "first_year": f"This agency already has an agreement covering {clash.first_year} "
                        f"to {clash.last_year + 1}. Agreements of one agency cannot cover the same year: "
                        "change that agreement, or choose other years."
                    }
                )


class FundingStepQuerySet(StatutoryPartnersReadQuerySet):
    partnership_field = "agreement__partnership"
    agency_field = "agreement__agency"


class FundingStep(AuditedModel):
    """The cash an agreement sets for one business year."""

    agreement = models.ForeignKey(FundingAgreement, on_delete=models.CASCADE, related_name="steps")
    business_year = models.PositiveSmallIntegerField()
    cash = models.DecimalField("Cash agreed", max_digits=12, decimal_places=2)

    objects = FundingStepQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "business_year"]
        constraints = [models.UniqueConstraint(fields=["agreement", "business_year"], name="one_step_per_year")]
        # The budget summary: what was agreed for one year (joined to the agreement's partnership).
        indexes = [models.Index(fields=["business_year", "agreement"], name="funding_step_year")]

    def __str__(self) -> str:
        return f"{self.agreement.agency} {self.business_year} to {self.business_year + 1}"


class Budget(AuditedModel):
    """The partnership's budget for one business year: its spending lines, read beside the agreed and
    received contributions, signed off by the three statutory partners."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    business_year = models.PositiveSmallIntegerField()
    notes = BoundedTextField("Notes for the annual report", max_length=PARAGRAPHS, blank=True)

    objects = StatutoryPartnersReadQuerySet.as_manager()

    class Meta:
        ordering = ["-business_year"]
        constraints = [models.UniqueConstraint(fields=["partnership", "business_year"], name="one_budget_per_year")]

    def __str__(self) -> str:
        return f"Budget for {self.business_year} to {self.business_year + 1}"

    def get_absolute_url(self) -> str:
        return record_url("governance:budget-detail", self.pk)


class BudgetLineQuerySet(StatutoryPartnersReadQuerySet):
    partnership_field = "budget__partnership"


class BudgetLine(AuditedModel):
    """One line of spending against the budget: what it is for, the amount planned and what has been spent."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    title = models.CharField("Budget line", max_length=150)
    planned = models.DecimalField("Planned", max_digits=12, decimal_places=2)
    spent = models.DecimalField("Spent so far", max_digits=12, decimal_places=2, default=0)
    note = models.CharField(max_length=300, blank=True)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["budget", "title", "id"]
        constraints = [models.UniqueConstraint(fields=["budget", "title"], name="unique_budget_line_title")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.budget.get_absolute_url()

    @property
    def left(self) -> Decimal:
        """Planned but not yet spent (negative when the line is overspent)."""
        return self.planned - self.spent

    @property
    def partnership_id(self) -> int:
        return self.budget.partnership_id
