"""GOV.UK Design System forms on top of Django's own form rendering."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.forms.renderers import TemplatesSetting

from safeboard.core.concurrency import VersionedFormMixin
from safeboard.core.models import Agency, LocalAuthorityArea, Locality, Partnership
from safeboard.core.modules import MODULE_CHOICES

if TYPE_CHECKING:  # the mixins below go before a Form: type them as one, leave them plain classes at run time
    from safeboard.accounts.models import User

    _FormBase = forms.BaseForm
else:
    _FormBase = object

_INPUT_CLASS = {
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
}
_ERROR_CLASS = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


def form_field[F: forms.Field](form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """The form's field ``name``, checked to be a ``kind`` (for code that changes its choices)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise ImproperlyConfigured(f"{type(form).__name__}.{name} is not a {kind.__name__}.")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field ``name``, a choice of records, so that a form can narrow its choices."""
    return form_field(form, name, forms.ModelChoiceField)


class GovukFormRenderer(TemplatesSetting):
    """Every ``{{ form }}`` renders GOV.UK form groups: label, hint, error message, input."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


def _css_class(widget: forms.Widget) -> str:
    for widget_type in type(widget).__mro__:
        if widget_type in _INPUT_CLASS:
            return _INPUT_CLASS[widget_type]
    return "govuk-input"


class GovukFormMixin(_FormBase):
    """Adds the Design System's classes to every widget, and the error variants after validation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # GOV.UK asks for a message that names the field rather than "This field is required."
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                label = str(field.label or name.replace("_", " ")).strip().rstrip("?").lower()
                choosing = isinstance(field.widget, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple)
                field.error_messages["required"] = f"{'Choose' if choosing else 'Enter'} {label}"
            css = _css_class(field.widget)
            existing = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = f"{css} {existing}".strip()
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"
                field.widget.format = "%Y-%m-%d"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            field = self.fields.get(name)
            if field is None:
                continue
            base = field.widget.attrs.get("class", "").split()[0] if field.widget.attrs.get("class") else ""
            error_class = _ERROR_CLASS.get(base)
            if error_class and error_class not in field.widget.attrs["class"]:
                field.widget.attrs["class"] += f" {error_class}"


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm[Any]):
    pass


# --- Forms for the partnership's own records ------------------------------------------------------


class PartnershipForm(VersionedFormMixin, GovukModelForm):
    modules = forms.MultipleChoiceField(
        choices=MODULE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Modules this partnership uses",
    )

    class Meta:
        model = Partnership
        fields = [
            "name",
            "short_name",
            "modules",
            "business_year_start_month",
            "papers_due_days",
            "action_amber_days",
            "division",
        ]
        labels = {"business_year_start_month": "Business year starts in month"}


class NewPartnershipForm(GovukModelForm):
    modules = PartnershipForm.base_fields["modules"]

    class Meta:
        model = Partnership
        fields = ["name", "short_name", "slug", "modules", "business_year_start_month"]
        labels = {"slug": "Short web name", "business_year_start_month": "Business year starts in month"}
        help_texts = {"slug": "Lower-case letters, numbers and hyphens, for example northmoor-scp."}


class AgencyForm(VersionedFormMixin, GovukModelForm):
    class Meta:
        model = Agency
        fields = ["name", "agency_type", "code", "email", "is_active"]
        labels = {"is_active": "This agency is active", "code": "Agency code (optional)"}
        error_messages = {
            "name": {
                "unique": "An agency with this name is already on Safeboard. To add it to your partnership, "
                "use ‘Add an agency already on another board’.",
            },
        }

    def clean_code(self) -> str:
        code: str = self.cleaned_data.get("code", "").strip().upper()
        if code and Agency.objects.filter(code__iexact=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                "An agency with this code is already on Safeboard. To add it to your partnership, "
                "use ‘Add an agency already on another board’."
            )
        return code


class AgencySearchForm(GovukForm):
    """Find an agency already on another board by its exact name or code: the platform's agencies are
    never listed, so an administrator finds only the one they already know."""

    q = forms.CharField(
        label="Exact name or code of the agency",
        help_text="For example ‘Riverside Constabulary’, or an NHS body's ODS code such as RX9.",
        max_length=200,
    )


class AgencyJoinRequestForm(GovukForm):
    """Ask for a found agency to join this partnership too."""

    q = forms.CharField(widget=forms.HiddenInput, max_length=200)
    agency = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label="Why does your partnership need this agency? (optional)",
        help_text="The administrators who decide will see this.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class JoinDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve: add the agency to their partnership"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or decline the request"},
    )
    note = forms.CharField(
        label="Note to the partnership that asked (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AreaForm(VersionedFormMixin, GovukModelForm):
    class Meta:
        model = LocalAuthorityArea
        fields = ["name", "code"]
        labels = {"code": "ONS code (optional)"}


class LocalityForm(VersionedFormMixin, GovukModelForm):
    instance: Locality

    class Meta:
        model = Locality
        fields = ["name", "area"]
        labels = {"area": "Local authority area"}

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        model_choice_field(self, "area").queryset = LocalAuthorityArea.objects.filter(partnership=partnership)
        self.fields["area"].required = False


# --- Forms that work inside one partnership -------------------------------------------------------


class PartnershipFormMixin(_FormBase):
    """A form whose choices come from one partnership, filled in by one person.

    The generic views in ``core/views_base.py`` give every form with this mixin the partnership it
    works in (the current one for a new record, the record's own when editing, the parent's for a
    record created under another) and the person filling it in, as ``partnership`` and ``user``.
    """

    def __init__(self, *args: Any, partnership: Partnership, user: User, **kwargs: Any) -> None:
        self.partnership = partnership
        self.user = user
        super().__init__(*args, **kwargs)
