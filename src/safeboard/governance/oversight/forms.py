"""Forms for board oversight: accountability sessions, the business plan, the challenge log, funding.

Files go through ``UploadField`` (the one upload rule, ``core/uploads.py``). Forms whose choices come
from the partnership inherit ``PartnershipFormMixin``: the views give them the partnership and the
person filling them in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from safeboard.accounts.models import User
from safeboard.actions.forms import possible_owners
from safeboard.core.concurrency import VersionedFormMixin
from safeboard.core.fields import PARAGRAPHS, GovukDateField
from safeboard.core.forms import GovukForm, GovukModelForm, PartnershipFormMixin, form_field, model_choice_field
from safeboard.core.models import Agency, Partnership
from safeboard.core.people import PersonField
from safeboard.core.querysets import user_can
from safeboard.core.uploads import UploadField
from safeboard.governance.meetings.models import Meeting
from safeboard.governance.oversight.choices import ChallengeStatus
from safeboard.governance.oversight.models import (
    MAX_AGREEMENT_YEARS,
    AccountabilitySession,
    Budget,
    BudgetLine,
    BusinessPlan,
    Challenge,
    FundingAgreement,
    FundingContribution,
    Measure,
    Objective,
    Priority,
)


def people_of(partnership: Partnership, viewer: User) -> QuerySet[User]:
    """People of the partnership the person filling in the form may see."""
    return User.objects.visible_to(viewer).in_partnership(partnership).filter(is_active=True).order_by("full_name")


def agencies_of(partnership: Partnership, viewer: User) -> QuerySet[Agency]:
    return Agency.objects.visible_to(viewer).in_partnership(partnership).filter(is_active=True).order_by("name")


class OversightForm(PartnershipFormMixin, GovukModelForm):
    """A model form of the oversight pages; ``past_date_warnings`` are shown once it is saved."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.past_date_warnings: list[str] = []


# --- Accountability ------------------------------------------------------------------------------------------


class AccountabilitySessionForm(VersionedFormMixin, OversightForm):
    instance: AccountabilitySession

    message_names = {
        "presented_by": "the person who presented",
        "data_presented": "what data the agency presented",
    }

    document = UploadField(label="Document (optional)", required=False)

    class Meta:
        model = AccountabilitySession
        fields = ["agency", "held_on", "presented_by", "meeting", "data_presented", "challenges_raised", "document"]
        labels = {
            "agency": "Agency",
            "held_on": "Date of the session",
            "presented_by": "Who presented (optional)",
            "meeting": "Board meeting (optional)",
            "data_presented": "What data the agency presented",
            "challenges_raised": "Challenges the board raised (optional)",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "agency").queryset = agencies_of(self.partnership, self.user)
        self.pick_person("presented_by", people_of(self.partnership, self.user))
        model_choice_field(self, "meeting").queryset = (
            Meeting.objects.visible_to(self.user).in_partnership(self.partnership).select_related("group")
        )


# --- Business plan -------------------------------------------------------------------------------------------


class BusinessPlanForm(VersionedFormMixin, OversightForm):
    instance: BusinessPlan

    class Meta:
        model = BusinessPlan
        fields = ["title", "first_year", "last_year"]
        labels = {"first_year": "First business year", "last_year": "Last business year"}
        help_texts = {
            "first_year": "The year the plan's first business year starts, for example 2026 for 2026 to 2027.",
            "last_year": "A plan covers up to three business years: at most two years after the first.",
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", "The last business year must be the same as or after the first.")
        elif first and last and last - first > 2:
            self.add_error("last_year", "A plan covers up to three business years.")
        return data


class PriorityForm(VersionedFormMixin, OversightForm):
    instance: Priority

    message_names = {
        "rationale": "why this is a priority",
    }

    class Meta:
        model = Priority
        fields = ["number", "title", "sponsor", "rationale"]
        labels = {"number": "Priority number", "sponsor": "Board sponsor", "rationale": "Why this is a priority"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan = self.instance.plan
        self.pick_person("sponsor", people_of(self.partnership, self.user))
        if not self.instance.pk:
            self.initial.setdefault("number", plan.priorities.count() + 1)

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        clash = Priority.objects.filter(plan=self.plan, number=number).exclude(pk=self.instance.pk)
        if number < 1:
            raise ValidationError("Enter a number of 1 or more.")
        if clash.exists():
            raise ValidationError("Another priority of this plan already has this number.")
        return number


class ObjectiveForm(VersionedFormMixin, OversightForm):
    instance: Objective

    class Meta:
        model = Objective
        fields = ["business_year", "text"]
        labels = {"business_year": "Business year", "text": "Objective for the year"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = self.instance.priority.plan
        years = range(plan.first_year, plan.last_year + 1)
        self.fields["business_year"] = forms.TypedChoiceField(
            label="Business year",
            coerce=int,
            choices=[(y, f"{y} to {y + 1}") for y in years],
            widget=forms.Select(attrs={"class": "govuk-select"}),
        )


class ObjectiveActionForm(PartnershipFormMixin, GovukForm):
    """An action under an objective (or a challenge): it goes into the partnership's action log."""

    message_names = {
        "title": "what needs to be done",
        "owner": "the person who owns the action",
    }

    title = forms.CharField(label="What needs to be done", max_length=200)
    detail = forms.CharField(
        label="More detail (optional)", widget=forms.Textarea, required=False, max_length=PARAGRAPHS
    )
    owner = PersonField(
        label="Who owns the action",
        scope="action-owners",
        error_messages={"required": "Select the person who owns the action"},
    )
    agency = forms.ModelChoiceField(label="Agency responsible", queryset=Agency.objects.none())
    due_date = GovukDateField(label="Due date", error_messages={"required": "Enter the date the action is due"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.past_date_warnings: list[str] = []
        self.pick_person("owner", possible_owners(self.partnership), scope="action-owners")
        model_choice_field(self, "agency").queryset = agencies_of(self.partnership, self.user)

    def clean_due_date(self) -> dt.date:
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            self.past_date_warnings.append("The due date you gave is in the past. The action is overdue already.")
        return due


class MeasureForm(VersionedFormMixin, GovukModelForm):
    instance: Measure

    message_names = {
        "description": "what will show the difference for children",
    }

    class Meta:
        model = Measure
        fields = ["description", "baseline", "target", "latest_value", "latest_on", "unit", "is_proxy"]
        labels = {
            "description": "What will show the difference for children",
            "baseline": "Baseline (optional)",
            "target": "Target (optional)",
            "latest_value": "Latest value (optional)",
            "latest_on": "Date of the latest value (optional)",
            "unit": "Unit (optional)",
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("latest_value") is not None and not data.get("latest_on"):
            self.add_error("latest_on", "Enter the date of the latest value.")
        if data.get("latest_on") and data["latest_on"] > timezone.localdate():
            self.add_error("latest_on", "The date of the latest value must be today or in the past.")
        return data


# --- Challenge log ---------------------------------------------------------------------------------------------


class ChallengeForm(VersionedFormMixin, OversightForm):
    instance: Challenge

    message_names = {
        "raised_by": "the person who raised it",
        "raised_by_agency": "the agency of the person raising it",
        "forum": "where it was raised",
        "response_due": "the date the response is due",
        "agency": "the agency challenged",
    }

    class Meta:
        model = Challenge
        fields = [
            "raised_on",
            "raised_by",
            "raised_by_agency",
            "raised_by_scrutiny",
            "agency",
            "issue",
            "forum",
            "response_due",
            "response",
            "outcome",
            "status",
            "escalation_level",
        ]
        labels = {
            "raised_on": "Date raised",
            "raised_by": "Raised by",
            "raised_by_agency": "Agency of the person raising it (optional)",
            "agency": "Who is challenged",
            "raised_by_scrutiny": "Raised by the scrutiny committee",
            "issue": "The issue",
            "forum": "Where it was raised (optional)",
            "response_due": "Response due by (optional)",
            "response": "The agency's response (optional)",
            "outcome": "Outcome (optional)",
            "escalation_level": "Escalation level",
        }

    # Fields only the business unit completes after the challenge is raised.
    follow_up_fields = ("response", "outcome", "status", "escalation_level")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pick_person("raised_by", people_of(self.partnership, self.user))
        model_choice_field(self, "raised_by_agency").queryset = agencies_of(self.partnership, self.user)
        model_choice_field(self, "agency").queryset = agencies_of(self.partnership, self.user)
        self.fields["agency"].required = False
        model_choice_field(self, "agency").empty_label = "The board itself"
        self.fields["agency"].help_text = "An agency, or the board itself (for example its chair or its business unit)."
        if self.scrutiny_only:
            # Scrutiny raises challenges in its own name: the form says so, and it cannot be unticked.
            # It picks nobody (scrutiny may not search the partnership's people): the challenge is its own.
            del self.fields["raised_by_scrutiny"]
            del self.fields["raised_by"]
        if not self.instance.pk:
            for name in self.follow_up_fields:
                del self.fields[name]
            self.initial.setdefault("raised_on", timezone.localdate())
            self.initial.setdefault("raised_by", self.user.pk)
            if self.user.agency_id:
                self.initial.setdefault("raised_by_agency", self.user.agency_id)

    @property
    def scrutiny_only(self) -> bool:
        """The person raises challenges as scrutiny (and may not manage the log)."""
        return not user_can(self.user, "governance.change_challenge", self.partnership) and user_can(
            self.user, "governance.view_published_minutes", self.partnership
        )

    def clean_escalation_level(self) -> int:
        level = self.cleaned_data["escalation_level"]
        if level > 3:
            raise ValidationError("The escalation level must be from 0 to 3.")
        return level

    def save(self, commit: bool = True) -> Challenge:
        if self.scrutiny_only:
            self.instance.raised_by_scrutiny = True
            if not self.instance.pk:
                self.instance.raised_by = self.user
        saved: Challenge = super().save(commit)
        return saved

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        raised, due = data.get("raised_on"), data.get("response_due")
        if raised and raised > timezone.localdate():
            self.add_error("raised_on", "The date raised must be today or in the past.")
        if raised and due and due < raised:
            self.add_error("response_due", "The response due date must be on or after the date raised.")
        elif due and due < timezone.localdate() and data.get("status", "open") == "open":
            self.past_date_warnings.append("The response due date is in the past: the response is overdue.")
        return data


class ChallengeResponseForm(VersionedFormMixin, OversightForm):
    """The challenged agency's response, entered by its safeguarding lead (or the business unit)."""

    message_names = {"response": "the agency's response"}

    instance: Challenge

    class Meta:
        model = Challenge
        fields = ["response"]
        labels = {"response": "Your agency's response"}

    def clean_response(self) -> str:
        response = self.cleaned_data["response"].strip()
        if not response:
            raise ValidationError("Enter the agency's response.")
        return response

    def save(self, commit: bool = True) -> Challenge:
        if self.instance.status == ChallengeStatus.OPEN:
            self.instance.status = ChallengeStatus.RESPONDED
        saved: Challenge = super().save(commit)
        return saved


class ChallengeActionForm(ObjectiveActionForm):
    pass


# --- Funding -----------------------------------------------------------------------------------------------


class FundingContributionForm(VersionedFormMixin, OversightForm):
    instance: FundingContribution

    message_names = {
        "cash": "the cash",
        "in_kind_hours": "the hours of in-kind help",
        "in_kind_value": "the value of the in-kind help",
        "in_kind_description": "what the in-kind help was for",
    }

    class Meta:
        model = FundingContribution
        fields = ["agency", "business_year", "cash", "in_kind_hours", "in_kind_value", "in_kind_description"]
        labels = {
            "business_year": "Business year",
            "cash": "Cash (£)",
            "in_kind_hours": "In-kind help (hours)",
            "in_kind_value": "Value of the in-kind help (£)",
            "in_kind_description": "What the in-kind help was for (optional)",
        }
        help_texts = {"business_year": "The year the business year starts, for example 2026 for 2026 to 2027."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "agency").queryset = agencies_of(self.partnership, self.user)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name in ("cash", "in_kind_hours", "in_kind_value"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, "Enter an amount of 0 or more.")
        year, agency = data.get("business_year"), data.get("agency")
        if year and not 2000 <= year <= 2100:
            self.add_error("business_year", "Enter a year such as 2026.")
        elif year and agency:
            clash = FundingContribution.objects.filter(
                partnership=self.partnership, agency=agency, business_year=year
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("business_year", "This agency's contribution for this year is already recorded.")
        return data


def _step_field(number: int) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"Cash agreed for year {number} of the agreement (£)",
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text="Leave blank for years the agreement does not cover." if number > 1 else "",
    )


class FundingAgreementForm(VersionedFormMixin, OversightForm):
    """An agreement and its steps: the cash agreed for each business year it covers (one to five years,
    each its own amount). Two agreements of one agency never cover the same year (checked here, by the
    model and again with the agency's agreements locked when saving)."""

    instance: FundingAgreement

    message_names = {
        "first_year": "the first business year of the agreement",
        "last_year": "the last business year of the agreement",
        **{f"cash_{n}": f"the cash agreed for year {n}" for n in range(1, MAX_AGREEMENT_YEARS + 1)},
    }

    document = UploadField(label="Signed agreement (optional)", required=False)
    cash_1 = _step_field(1)
    cash_2 = _step_field(2)
    cash_3 = _step_field(3)
    cash_4 = _step_field(4)
    cash_5 = _step_field(5)

    class Meta:
        model = FundingAgreement
        fields = ["agency", "first_year", "last_year", "signed_on", "document"]
        labels = {
            "first_year": "First business year of the agreement",
            "last_year": "Last business year of the agreement",
            "signed_on": "Date signed (optional)",
        }
        help_texts = {
            "first_year": "The year the business year starts, for example 2026 for 2026 to 2027.",
            "last_year": f"The same as the first year for a one-year agreement; at most {MAX_AGREEMENT_YEARS} years.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "agency").queryset = agencies_of(self.partnership, self.user)
        if self.instance.pk:
            for step in self.instance.steps.order_by("business_year"):
                number = step.business_year - self.instance.first_year + 1
                if 1 <= number <= MAX_AGREEMENT_YEARS:
                    self.initial.setdefault(f"cash_{number}", step.cash)

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        first, last = data.get("first_year"), data.get("last_year")
        for name, value in (("first_year", first), ("last_year", last)):
            if value is not None and not 2000 <= value <= 2100:
                self.add_error(name, "Enter a year such as 2026.")
        if data.get("signed_on") and data["signed_on"] > timezone.localdate():
            self.add_error("signed_on", "The date signed must be today or in the past.")
        for number in range(1, MAX_AGREEMENT_YEARS + 1):
            cash = data.get(f"cash_{number}")
            if cash is not None and cash < 0:
                self.add_error(f"cash_{number}", "Enter an amount of 0 or more.")
        if first is None or last is None or "first_year" in self.errors or "last_year" in self.errors:
            return data
        if last < first:
            self.add_error("last_year", "The last business year must be the same as or after the first.")
            return data
        years = last - first + 1
        if years > MAX_AGREEMENT_YEARS:
            self.add_error("last_year", f"An agreement covers at most {MAX_AGREEMENT_YEARS} business years.")
            return data
        for number in range(1, MAX_AGREEMENT_YEARS + 1):
            name, year = f"cash_{number}", first + number - 1
            if number <= years and data.get(name) is None:
                self.add_error(name, f"Enter the cash agreed for year {number} ({year} to {year + 1}).")
            elif number > years and data.get(name) is not None:
                self.add_error(
                    name,
                    f"The agreement ends in {last} to {last + 1}: clear the amount for year {number}, "
                    "or change the last business year.",
                )
        super().clean()  # the model's own check, overlapping agreements included
        return data

    def steps(self) -> dict[int, Any]:
        """The cash agreed for each business year, as entered."""
        first, last = self.cleaned_data["first_year"], self.cleaned_data["last_year"]
        return {year: self.cleaned_data[f"cash_{year - first + 1}"] for year in range(first, last + 1)}

    def save(self, commit: bool = True) -> FundingAgreement:
        from safeboard.governance.oversight.services import save_agreement

        agreement = super().save(commit=False)
        return save_agreement(agreement, self.steps())


def budget_signed_off(budget: Budget) -> bool:
    """Has any statutory partner signed the budget off? (Its lines' names and planned amounts then stay.)"""
    from safeboard.governance.arrangements.models import SignOff

    return SignOff.objects.about(budget).exists()


class BudgetForm(VersionedFormMixin, OversightForm):
    """A business year's budget: the year (once) and notes for the annual report."""

    instance: Budget

    message_names = {"notes": "the notes for the annual report"}

    class Meta:
        model = Budget
        fields = ["business_year", "notes"]
        labels = {"business_year": "Business year", "notes": "Notes for the annual report (optional)"}
        help_texts = {"business_year": "The year the business year starts, for example 2026 for 2026 to 2027."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["business_year"]  # a budget stays the budget of its year

    def clean(self) -> dict[str, Any]:
        super().clean()
        year = self.cleaned_data.get("business_year")
        if year is not None and not self.instance.pk:
            if not 2000 <= year <= 2100:
                self.add_error("business_year", "Enter a year such as 2026.")
            elif Budget.objects.filter(partnership=self.partnership, business_year=year).exists():
                self.add_error("business_year", "There is already a budget for this business year.")
        return self.cleaned_data


class BudgetLineForm(VersionedFormMixin, GovukModelForm):
    """A spending line: what it is for, the amount planned and what has been spent so far."""

    instance: BudgetLine

    message_names = {"title": "the budget line", "planned": "the amount planned", "spent": "the amount spent"}

    class Meta:
        model = BudgetLine
        fields = ["title", "planned", "spent", "note"]
        labels = {
            "title": "Budget line",
            "planned": "Amount planned (£)",
            "spent": "Amount spent so far (£)",
            "note": "Note (optional)",
        }
        help_texts = {"title": "What the money is for, for example ‘Independent scrutineer’ or ‘Training venues’."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and budget_signed_off(self.instance.budget):
            # What the statutory partners signed stays as they signed it; spending is still recorded.
            for name in ("title", "planned"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "The budget has been signed off, so this cannot be changed."

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name in ("planned", "spent"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, "Enter an amount of 0 or more.")
        title = (data.get("title") or "").strip()
        if title and self.instance.budget_id:
            clash = BudgetLine.objects.filter(budget_id=self.instance.budget_id, title__iexact=title).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error("title", "This budget already has a line with this name.")
        return data


class YearForm(GovukForm):
    """The business-year selector on the dashboards."""

    year = forms.TypedChoiceField(label="Business year", coerce=int, choices=[])

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "year", forms.ChoiceField).choices = [(y, f"{y} to {y + 1}") for y in years]
