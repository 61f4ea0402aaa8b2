"""Forms of the case review module. Dates are core's GOV.UK date inputs, people core's picker."""

from __future__ import annotations

from typing import Any

from django import forms

from safeboard.accounts.models import User
from safeboard.core.concurrency import VersionedFormMixin
from safeboard.core.fields import NOTE, PARAGRAPHS
from safeboard.core.forms import GovukForm, GovukModelForm, PartnershipFormMixin, model_choice_field
from safeboard.core.models import Agency
from safeboard.core.permissions import Role
from safeboard.governance.arrangements.models import StatutoryPartner, StatutoryPosition
from safeboard.reviews.choices import AgeBand, Ethnicity, PanelResponse, Recommendation, Sex
from safeboard.reviews.models import AgencySummary, Review, ReviewChild, ReviewSettings, ReviewType


def _people(partnership: Any) -> Any:
    return User.objects.in_partnership(partnership).filter(is_active=True).order_by("full_name", "id")


def _review_managers(partnership: Any) -> Any:
    return _people(partnership).filter(
        memberships__partnership=partnership, memberships__role=Role.REVIEW_MANAGER, memberships__is_active=True
    )


class ReviewForm(PartnershipFormMixin, VersionedFormMixin, GovukModelForm):
    instance: Review

    message_names = {
        "reference": "the case reference",
        "review_type": "the type of review",
        "manager": "the review manager",
        "incident_on": "the date of the incident",
        "aware_on": "the date the local authority became aware",
        "notified_on": "the date the Panel was notified",
        "agencies": "the agencies involved",
        "area_of_residence": "the area where the child lives",
    }

    class Meta:
        model = Review
        fields = [
            "reference",
            "review_type",
            "manager",
            "incident_on",
            "aware_on",
            "notified_on",
            "agencies",
            "area_of_residence",
            "looked_after_child_death",
        ]
        labels = {"review_type": "Type of review", "manager": "Review manager"}
        widgets = {"agencies": forms.CheckboxSelectMultiple}
        help_texts = {"notified_on": "Leave empty if the Panel has not been notified yet."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = ReviewType.objects.filter(partnership=self.partnership)
        if self.instance.pk and self.instance.review_type_id:
            types = types.filter(is_active=True) | types.filter(pk=self.instance.review_type_id)
        else:
            types = types.filter(is_active=True)
        model_choice_field(self, "review_type").queryset = types.order_by("position", "name")
        model_choice_field(self, "agencies").queryset = Agency.objects.filter(
            partnerships=self.partnership, is_active=True
        ).order_by("name")
        self.pick_person("manager", _review_managers(self.partnership))

    def clean(self) -> dict[str, Any]:
        self.instance.partnership = self.partnership
        super().clean()
        data = self.cleaned_data
        reference = data.get("reference")
        if reference:
            others = Review.objects.filter(partnership=self.partnership, reference__iexact=reference)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("reference", "Another review already has this case reference.")
        return data


class ReviewCreateForm(ReviewForm):
    """A new review with its first child (more children are added on the review's page)."""

    message_names = {**ReviewForm.message_names, "case_reference": "the child's case reference"}

    case_reference = forms.CharField(
        label="Child's case reference", max_length=40, help_text="Never a name. For example C-7731."
    )
    age_band = forms.ChoiceField(label="Age", choices=[("", "Choose"), *AgeBand.choices])
    sex = forms.ChoiceField(label="Sex", choices=[("", "Choose"), *Sex.choices])
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=[("", "Choose"), *Ethnicity.choices])


class ChildForm(GovukModelForm):
    message_names = {"case_reference": "the child's case reference"}

    class Meta:
        model = ReviewChild
        fields = ["case_reference", "age_band", "sex", "ethnicity"]


class NotifyForm(GovukForm):
    message_names = {"notified_on": "the date the Panel was notified"}

    notified_on = forms.DateField(label="Date the Panel, Ofsted and the DfE were notified")


class RapidReviewForm(GovukForm):
    message_names = {"recommendation": "the recommendation", "rationale": "the reasons"}

    recommendation = forms.ChoiceField(
        label="The rapid review recommends", choices=Recommendation.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label="Reasons, against the criteria for a local review",
        max_length=PARAGRAPHS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Why the case does or does not meet the criteria in the regulations and the current guidance.",
    )


class SummaryForm(PartnershipFormMixin, GovukModelForm):
    """An agency's summary. An agency's lead writes their own agency's only."""

    instance: AgencySummary
    message_names = {"summary": "what the agency knew and did", "safety_actions": "the safety actions"}

    class Meta:
        model = AgencySummary
        fields = ["agency", "summary", "safety_actions"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(partnerships=self.partnership).order_by("name")
        review = self.instance.review if self.instance.review_id else None
        if review is not None:
            agencies = agencies.filter(pk__in=review.agencies.values("pk"))
        from safeboard.core.querysets import user_can

        if not user_can(self.user, "reviews.change_review", self.partnership):
            # Not the review manager: the person's own agency only.
            own = getattr(self.user, "agency_id", None)
            agencies = agencies.filter(pk=own) if own else agencies.none()
        model_choice_field(self, "agency").queryset = agencies


class SignersForm(PartnershipFormMixin, GovukForm):
    """Who signs for each statutory partner: the named partner, or the person in their place when the
    partner declared an interest and stands aside."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = {p.position: p for p in StatutoryPartner.objects.filter(partnership=self.partnership)}
        self.message_names = dict(self.message_names)
        for position in StatutoryPosition:
            name = position.label.split(" (")[0].lower()
            self.message_names[position.value] = f"the person who signs for the {name}"
            partner = partners.get(position.value)
            self.fields[position.value] = forms.ModelChoiceField(
                queryset=_people(self.partnership),
                label=f"Signs for the {name}",
                required=False,
                help_text="Leave as it is unless the partner stands aside: then choose who signs in their place.",
            )
            self.pick_person(position.value, _people(self.partnership), empty_label="The named partner")
            if partner is not None:
                self.initial.setdefault(position.value, partner.person_id)


class SentForm(GovukForm):
    message_names = {"sent_on": "the date it was sent"}

    sent_on = forms.DateField(label="Date sent to the Panel")


class PanelResponseForm(GovukForm):
    message_names = {
        "response": "the Panel's response",
        "responded_on": "the date of the response",
        "comment": "what the Panel said",
    }

    response = forms.ChoiceField(label="The Panel", choices=PanelResponse.choices, widget=forms.RadioSelect)
    responded_on = forms.DateField(label="Date of the Panel's response")
    comment = forms.CharField(
        label="What the Panel said", max_length=PARAGRAPHS, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(SignersForm):
    decision = forms.ChoiceField(label="The partners decided", choices=Recommendation.choices, widget=forms.RadioSelect)
    decided_on = forms.DateField(label="Date of the decision")
    rationale = forms.CharField(
        label="Reasons for the decision", max_length=PARAGRAPHS, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.message_names.update(
            {"decision": "the decision", "decided_on": "the date of the decision", "rationale": "the reasons"}
        )
        self.govuk_fields()


class DeclarationForm(PartnershipFormMixin, GovukForm):
    message_names = {"person": "the person declaring the interest", "description": "the interest declared"}

    person = forms.ModelChoiceField(queryset=User.objects.none(), label="Who declares the interest")
    description = forms.CharField(
        label="The interest declared", max_length=NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )
    stands_aside = forms.BooleanField(
        label="They stand aside from the decision",
        required=False,
        initial=True,
        help_text="They take no part in the rapid review's sign-off or the decision.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pick_person("person", _people(self.partnership))


class PublicationForm(GovukForm):
    message_names = {
        "planned_on": "the planned publication date",
        "report_sent_on": "the date the final report was sent",
        "published_on": "the publication date",
    }

    planned_on = forms.DateField(label="Planned publication date", required=False)
    report_sent_on = forms.DateField(
        label="Date the final report went to the Panel and the Secretary of State", required=False
    )
    published_on = forms.DateField(label="Date published", required=False)


class ReviewTypeForm(PartnershipFormMixin, VersionedFormMixin, GovukModelForm):
    instance: ReviewType

    class Meta:
        model = ReviewType
        fields = ["name", "position", "is_active"]
        labels = {"name": "Name"}

    def clean(self) -> dict[str, Any]:
        self.instance.partnership = self.partnership
        super().clean()
        data = self.cleaned_data
        name = data.get("name")
        if name:
            others = ReviewType.objects.filter(partnership=self.partnership, name__iexact=name)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("name", "There is already a type with this name.")
        return data


class ReviewSettingsForm(VersionedFormMixin, GovukModelForm):
    instance: ReviewSettings
    message_names = {
        "rapid_review_starts": "when the rapid review's clock starts",
        "final_report_days": "the number of working days",
    }

    class Meta:
        model = ReviewSettings
        fields = ["rapid_review_starts", "final_report_days"]
        widgets = {"rapid_review_starts": forms.RadioSelect}
