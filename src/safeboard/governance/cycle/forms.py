"""Forms for the annual cycle: a meeting series and the meetings it makes, standing items, forward
plan items, paper requests and submissions, decisions between meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from safeboard.accounts.models import User
from safeboard.core.concurrency import VersionedFormMixin
from safeboard.core.fields import PARAGRAPHS
from safeboard.core.forms import GovukForm, GovukModelForm, PartnershipFormMixin, form_field, model_choice_field
from safeboard.core.models import Agency
from safeboard.core.uploads import UploadField
from safeboard.governance.cycle.models import (
    ForwardPlanItem,
    MeetingSeries,
    PaperRequest,
    StandingItem,
    Weekday,
    WeekOfMonth,
    add_months,
)
from safeboard.governance.meetings.choices import ConfidentialReason, MeetingStatus
from safeboard.governance.meetings.forms import _confidential_radios, _radios
from safeboard.governance.meetings.models import Group, GroupMember, Meeting
from safeboard.governance.members.models import DecisionMeans, ItemDecision


def _people(partnership: Any) -> QuerySet[User]:
    return User.objects.in_partnership(partnership).filter(is_active=True).order_by("full_name", "id")


def _agencies(partnership: Any) -> QuerySet[Agency]:
    return Agency.objects.in_partnership(partnership).filter(is_active=True).order_by("name")


def _narrow(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        form.fields[name].widget.attrs["class"] += " govuk-input--width-4"


class SeriesForm(VersionedFormMixin, GovukModelForm):
    instance: MeetingSeries

    message_names = {
        "every_months": "how often the group meets",
        "rule": "which day of the month",
        "week_of_month": "the week of the month",
        "weekday": "the day of the week",
        "day_of_month": "the date of the month",
        "length_minutes": "the length of the meeting",
        "online_link": "the online meeting link",
        "starts_on": "the date of the first meeting",
        "start_time": "the start time",
        "ends_on": "the last date",
    }

    class Meta:
        model = MeetingSeries
        fields = [
            "every_months",
            "starts_on",
            "rule",
            "week_of_month",
            "weekday",
            "day_of_month",
            "start_time",
            "length_minutes",
            "venue",
            "online_link",
            "ends_on",
        ]
        labels = {
            "starts_on": "Date of the first meeting, or any day in its month",
            "week_of_month": "Week of the month (for a weekday)",
            "weekday": "Day of the week (for a weekday)",
            "day_of_month": "Date of the month (for a date)",
            "start_time": "Start time",
            "venue": "Venue (optional)",
            "online_link": "Online meeting link (optional)",
        }
        help_texts = {
            "day_of_month": "From 1 to 31. In a shorter month the meeting is on its last day.",
            "ends_on": "Leave empty for a series with no end.",
            "length_minutes": "For example 120 for two hours.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _radios(form_field(self, "rule", forms.ChoiceField))
        _narrow(self, "day_of_month", "length_minutes")
        for name, choices in (("week_of_month", WeekOfMonth.choices), ("weekday", Weekday.choices)):
            form_field(self, name, forms.ChoiceField).choices = [("", "Choose"), *choices]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not (data.get("venue") or "").strip() and not data.get("online_link") and "online_link" not in self.errors:
            self.add_error("venue", "Enter a venue, an online meeting link, or both.")
        return data


class GenerateForm(GovukForm):
    message_names = {"start": "the first day of the period", "end": "the last day of the period"}

    start = forms.DateField(label="From")
    end = forms.DateField(label="To", help_text="Up to two years. Days that already have a meeting are left alone.")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The last day must be on or after the first day.")
        return data


class StandingItemForm(VersionedFormMixin, GovukModelForm):
    instance: StandingItem

    message_names = {
        "position": "the order",
        "minutes_allowed": "the time allowed",
        "at_end": "where it goes on the agenda",
        "is_active": "whether it goes on every agenda",
    }

    class Meta:
        model = StandingItem
        fields = ["title", "minutes_allowed", "position", "at_end", "is_active"]
        help_texts = {
            "position": "Items at the start, and items at the end, are placed in this order.",
            "at_end": "After the forward plan's items, like any other business.",
            "is_active": "Untick to leave it off the agendas built from now on.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _narrow(self, "minutes_allowed", "position")


def _month_choices(today: dt.date, current: dt.date | None) -> list[tuple[str, str]]:
    first = add_months(today.replace(day=1), -1)
    months = [add_months(first, n) for n in range(0, 26)]
    if current is not None and current.replace(day=1) not in months:
        months.insert(0, current.replace(day=1))
    return [("", "Choose a month"), *[(m.isoformat(), f"{m:%B %Y}") for m in months]]


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{timezone.localtime(obj.starts_at):%-d %B %Y, %H:%M}"


class ForwardPlanForm(PartnershipFormMixin, VersionedFormMixin, GovukModelForm):
    instance: ForwardPlanItem

    message_names = {
        "target_month": "the month",
        "meeting": "the meeting",
        "minutes_allowed": "the time allowed",
        "confidential_reason": "why the item is confidential",
        "presenter": "the presenter",
    }

    target_month = forms.TypedChoiceField(
        label="Month (optional if you choose a meeting)",
        required=False,
        coerce=dt.date.fromisoformat,
        empty_value=None,
        help_text="It goes on the agenda of the group's first meeting from the start of this month.",
    )

    class Meta:
        model = ForwardPlanItem
        fields = [
            "title",
            "purpose",
            "presenter",
            "agency",
            "target_month",
            "meeting",
            "minutes_allowed",
            "confidential_reason",
        ]
        labels = {
            "presenter": "Presenter (optional)",
            "agency": "Agency (optional)",
            "meeting": "A specific meeting (optional)",
            "confidential_reason": "Is this item confidential?",
        }
        help_texts = {"agency": "The agency presenting. Its safeguarding lead can upload the paper."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_id = self.instance.group_id  # none only when a form is built outside its page
        self.pick_person("presenter", _people(self.partnership), empty_label="Not chosen yet", required=False)
        model_choice_field(self, "agency").queryset = _agencies(self.partnership)
        model_choice_field(self, "agency").empty_label = "None"
        meetings = (
            Meeting.objects.filter(group_id=group_id, starts_at__gte=timezone.now())
            .exclude(status=MeetingStatus.CANCELLED)
            .order_by("starts_at")
        )
        self.fields["meeting"] = MeetingChoiceField(
            queryset=meetings,
            required=False,
            label=self.fields["meeting"].label,
            empty_label="No specific meeting",
        )
        field = form_field(self, "target_month", forms.TypedChoiceField)
        field.choices = _month_choices(timezone.localdate(), self.instance.target_month)
        if self.instance.target_month:
            self.initial["target_month"] = self.instance.target_month.isoformat()
        _radios(form_field(self, "purpose", forms.ChoiceField))
        _confidential_radios(form_field(self, "confidential_reason", forms.ChoiceField))
        _narrow(self, "minutes_allowed")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("target_month") and not data.get("meeting") and "target_month" not in self.errors:
            self.add_error("target_month", "Choose a month, a meeting, or both.")
        return data


class PaperRequestForm(PartnershipFormMixin, GovukModelForm):
    instance: PaperRequest

    message_names = {"author": "the author", "due_on": "the author's deadline", "agency": "the agency"}

    class Meta:
        model = PaperRequest
        fields = ["title", "author", "agency", "due_on"]
        labels = {"agency": "Agency (optional)", "due_on": "Author's deadline (optional)"}
        help_texts = {"due_on": "Leave empty for the usual deadline: working days before the papers go out."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pick_person("author", _people(self.partnership))
        model_choice_field(self, "agency").queryset = _agencies(self.partnership)
        model_choice_field(self, "agency").empty_label = "None"
        self.fields["due_on"].required = False


class SubmitPaperForm(GovukForm):
    message_names = {
        "purpose": "the purpose of the paper",
        "decision_asked": "what the group is asked to decide",
        "impact_on_children": "the impact on children",
        "risks": "the risks",
        "confidential_reason": "why the paper is confidential",
    }

    file = UploadField(label="The paper")
    purpose = forms.CharField(
        label="Purpose of the paper", max_length=PARAGRAPHS, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision_asked = forms.CharField(
        label="What is the group asked to decide?",
        max_length=PARAGRAPHS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Or say that it is for information only.",
    )
    impact_on_children = forms.CharField(
        label="What is the impact on children?", max_length=PARAGRAPHS, widget=forms.Textarea(attrs={"rows": 3})
    )
    risks = forms.CharField(
        label="What are the risks?",
        max_length=PARAGRAPHS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Or say that there are none.",
    )
    confidential_reason = forms.ChoiceField(
        choices=[("", ""), *ConfidentialReason.choices], label="Is this paper confidential?"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _confidential_radios(form_field(self, "confidential_reason", forms.ChoiceField))


class DecisionForm(PartnershipFormMixin, GovukForm):
    """A decision taken between meetings, by chair's action or by email."""

    message_names = {
        "decision": "what was decided",
        "means": "how the decision was taken",
        "decided_on": "the date of the decision",
        "decided_by": "who took the decision",
        "lead": "the lead",
        "due_on": "the date it is due",
        "confidential_reason": "why the decision is confidential",
    }

    decision = forms.CharField(
        label="What was decided", max_length=PARAGRAPHS, widget=forms.Textarea(attrs={"rows": 4})
    )
    means = forms.ChoiceField(
        label="How was it decided?",
        choices=[(DecisionMeans.CHAIRS_ACTION, "Chair's action"), (DecisionMeans.EMAIL, "By email")],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label="Decided on")
    decided_by = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label="Who took the decision",
        widget=forms.CheckboxSelectMultiple,
        help_text="For chair's action, the chair; by email, the members who agreed.",
    )
    lead = forms.ModelChoiceField(queryset=User.objects.none(), label="Lead (optional)", required=False)
    due_on = forms.DateField(label="Due by (optional)", required=False)
    confidential_reason = forms.ChoiceField(
        choices=[("", ""), *ConfidentialReason.choices], label="Is it confidential?"
    )

    def __init__(self, *args: Any, group: Group | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pick_person("lead", _people(self.partnership), required=False, empty_label="No lead")
        _confidential_radios(form_field(self, "confidential_reason", forms.ChoiceField))
        if group is None:  # the people who may have taken it are the group's
            return
        today = timezone.localdate()
        seated = GroupMember.objects.filter(group=group, starts_on__lte=today).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )
        people = User.objects.filter(
            Q(pk__in=seated.values("person_id")) | Q(pk=group.chair_id) | Q(pk=group.vice_chair_id)
        ).order_by("full_name", "id")
        model_choice_field(self, "decided_by").queryset = people


class DecisionUpdateForm(PartnershipFormMixin, VersionedFormMixin, GovukModelForm):
    instance: ItemDecision

    message_names = {"decision": "what was decided", "lead": "the lead", "due_on": "the date it is due"}

    class Meta:
        model = ItemDecision
        fields = ["decision", "lead", "due_on"]
        labels = {"lead": "Lead (optional)", "due_on": "Due by (optional)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].required = True
        self.pick_person("lead", _people(self.partnership), required=False, empty_label="No lead")
