"""Forms for documents and their versions, the statutory partners, seat criteria and induction."""

from __future__ import annotations

from typing import Any

from django import forms

from safeboard.accounts.models import User
from safeboard.core.concurrency import VersionedFormMixin
from safeboard.core.fields import DOCUMENT, PARAGRAPHS
from safeboard.core.forms import GovukForm, GovukModelForm, PartnershipFormMixin, model_choice_field
from safeboard.governance.arrangements.models import (
    DocumentKind,
    PartnershipDocument,
    SeatCriteria,
    StatutoryPosition,
)
from safeboard.governance.meetings.models import Group


def _people(partnership: Any) -> Any:
    return User.objects.in_partnership(partnership).filter(is_active=True).order_by("full_name", "id")


class DocumentForm(PartnershipFormMixin, VersionedFormMixin, GovukModelForm):
    instance: PartnershipDocument

    message_names = {"group": "the group", "owner": "the person who keeps it up to date"}

    class Meta:
        model = PartnershipDocument
        fields = ["kind", "group", "title", "owner"]
        labels = {
            "kind": "Type of document",
            "group": "Group (for terms of reference)",
            "owner": "Who keeps it up to date",
        }
        help_texts = {"owner": "They are reminded a month before each review date."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "group").queryset = Group.objects.filter(partnership=self.partnership).order_by("name")
        model_choice_field(self, "group").empty_label = "Not for a group"
        self.pick_person("owner", _people(self.partnership))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.instance.partnership = self.partnership
        kind, group = data.get("kind"), data.get("group")
        if kind == DocumentKind.ARRANGEMENTS and not group:
            others = PartnershipDocument.objects.filter(partnership=self.partnership, kind=kind)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("kind", "The partnership already has its arrangements: add a version to them.")
        if group is not None:
            others = PartnershipDocument.objects.filter(group=group)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("group", "This group already has its terms of reference: add a version to them.")
        return data


class VersionForm(GovukForm):
    message_names = {"text": "the document's text", "changes": "what changed", "review_by": "the review date"}

    text = forms.CharField(label="The document's text", max_length=DOCUMENT, widget=forms.Textarea(attrs={"rows": 16}))
    changes = forms.CharField(
        label="What changed from the last version",
        required=False,
        max_length=PARAGRAPHS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed from the second version on. The lines that changed are also shown side by side.",
    )
    review_by = forms.DateField(label="Review by", help_text="Usually a year from now. For example 31 3 2027.")


class StatutoryPartnersForm(PartnershipFormMixin, GovukForm):
    """One person for each statutory partner."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.message_names = {}
        for position in StatutoryPosition:
            name = position.label.split(" (")[0].lower()
            self.message_names[position.value] = f"the person who signs for the {name}"
            self.fields[position.value] = forms.ModelChoiceField(
                queryset=_people(self.partnership), label=f"Signs for {position.label}", required=False
            )
            self.pick_person(position.value, _people(self.partnership), empty_label="Not named yet")


class SeatCriteriaForm(VersionedFormMixin, GovukModelForm):
    instance: SeatCriteria

    class Meta:
        model = SeatCriteria
        fields = ["seniority", "criteria", "met"]
        help_texts = {
            "seniority": "For example ‘Director of Children’s Services or a named deputy at assistant director level’."
        }


class StepDoneForm(GovukForm):
    message_names = {"done_on": "the date it was done"}

    done_on = forms.DateField(label="Done on", required=False, help_text="Leave empty for today.")
