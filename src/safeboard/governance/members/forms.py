"""Forms for the register of interests, declarations, apologies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from safeboard.accounts.models import User
from safeboard.core.concurrency import VersionedFormMixin
from safeboard.core.fields import NOTE
from safeboard.core.forms import GovukForm, GovukModelForm, PartnershipFormMixin, model_choice_field
from safeboard.core.interests import Interest


class InterestForm(PartnershipFormMixin, VersionedFormMixin, GovukModelForm):
    """An entry in a register. ``for_others``: the business unit chooses whose register; anyone else
    writes in their own."""

    instance: Interest

    message_names = {
        "person": "the person whose register it is",
        "organisation": "the organisation or person",
        "description": "what the interest is",
        "since": "the date it was held since",
        "ended_on": "the date it ended",
    }

    person = forms.ModelChoiceField(queryset=User.objects.none(), label="Whose register", required=False)

    class Meta:
        model = Interest
        fields = ["kind", "organisation", "description", "since", "ended_on"]
        labels = {"kind": "Type of interest", "organisation": "Organisation or person (optional)"}
        widgets = {"since": forms.DateInput, "ended_on": forms.DateInput}

    def __init__(self, *args: Any, for_others: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.for_others = for_others and self.instance.pk is None
        if self.for_others:
            model_choice_field(self, "person").queryset = (
                User.objects.in_partnership(self.partnership).filter(is_active=True).order_by("full_name", "id")
            )
            self.fields["person"].required = True
            self.fields["person"].initial = self.user.pk
        else:
            del self.fields["person"]
        if self.instance.pk is None:
            del self.fields["ended_on"]
            self.fields["since"].help_text = "For example 27 3 2024."

    def clean_since(self) -> Any:
        since = self.cleaned_data.get("since")
        if since and since > timezone.localdate():
            raise forms.ValidationError("An interest cannot be held since a date in the future.")
        return since


class DeclarationForm(PartnershipFormMixin, GovukForm):
    """A declaration about an item or a meeting. The business unit records anyone's; a member their own."""

    message_names = {
        "person": "the person declaring",
        "interest": "the interest from the register",
        "description": "the interest declared",
    }

    person = forms.ModelChoiceField(queryset=User.objects.none(), label="Who is declaring")
    interest = forms.ModelChoiceField(
        queryset=Interest.objects.none(), label="From the register of interests (optional)", required=False
    )
    description = forms.CharField(
        label="The interest declared", max_length=NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )
    stands_aside = forms.BooleanField(
        label="They stand aside from this item's discussion and decision", required=False, initial=True
    )

    def __init__(self, *args: Any, seated: Any = None, for_others: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if seated is None:
            seated = User.objects.none()
        model_choice_field(self, "person").queryset = seated
        if not for_others:
            model_choice_field(self, "person").queryset = seated.filter(pk=self.user.pk)
            self.fields["person"].initial = self.user.pk
        model_choice_field(self, "interest").queryset = (
            Interest.objects.filter(partnership=self.partnership, ended_on__isnull=True)
            .select_related("person")
            .order_by("person__full_name", "id")
        )
        if not for_others:
            interests = model_choice_field(self, "interest")
            interests.queryset = interests.queryset.filter(person=self.user) if interests.queryset is not None else None
        model_choice_field(self, "interest").label_from_instance = lambda i: f"{i.person}: {i}"  # type: ignore[method-assign, assignment]  # a label for this field only
        model_choice_field(self, "interest").empty_label = "Not in the register"


class ApologiesForm(GovukForm):
    """Apologies for one meeting, naming the deputy who will attend in the member's place (or none)."""

    message_names = {"deputy": "who will attend in your place", "note": "the note for the chair"}

    deputy: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Who will attend in your place?",
        empty_label="Nobody: I am sending apologies only",
        blank=True,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
    )
    note = forms.CharField(label="Anything the chair should know (optional)", required=False, max_length=200)

    def __init__(self, *args: Any, deputies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if deputies is None:
            from safeboard.governance.meetings.models import GroupMember

            deputies = GroupMember.objects.none()
        field = model_choice_field(self, "deputy")
        field.queryset = deputies
        field.label_from_instance = lambda seat: f"{seat.person} (your named deputy)"  # type: ignore[method-assign, assignment]  # a label for this field only
        if not deputies:
            field.help_text = "Your seat has no named deputy. The business unit can add one."
