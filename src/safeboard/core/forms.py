"""GOV.UK Design System forms on top of Django's own form rendering."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from safeboard.core.concurrency import VersionedFormMixin
from safeboard.core.fields import NOTE, GovukDateField, GovukDateInput, GovukTimeField, GovukTimeInput, date_error_parts
from safeboard.core.models import Agency, LocalAuthorityArea, Locality, Partnership
from safeboard.core.modules import MODULE_CHOICES
from safeboard.core.people import PersonField, PersonPicker, read_search_text
from safeboard.core.widgets import GovukSelect, plain_input_html, use_fast_select

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


# The widgets whose form group is the plain one of core/forms/field.html (label, hint, error, widget);
# the others (checkboxes, radios, the date input) are rendered by that template.
_GROUPED_BY_TEMPLATE = {"checkboxselectmultiple", "radioselect", "checkbox"}


class GovukBoundField(BoundField):
    """A form field that writes its GOV.UK form group in Python when it is a text box or a drop-down.

    Django renders a field through two templates (the group, then the widget); on a list page with
    nine filters that was a quarter of the page's time (benchmarks/README.md, issue 8 §5). For a
    plain ``<input>`` or a ``GovukSelect`` this writes the same markup as core/forms/field.html and
    Django's input.html (tests/core/test_widgets.py compares the two for every form); anything else
    is rendered by the templates as before.
    """

    def as_widget(self, widget: forms.Widget | None = None, attrs: Any = None, only_initial: bool = False) -> Any:
        used = widget or self.field.widget
        if only_initial or self.field.localize:
            return super().as_widget(widget, attrs, only_initial)
        final_attrs = self.build_widget_attrs(attrs or {}, used)
        if self.auto_id and "id" not in used.attrs:
            final_attrs.setdefault("id", self.auto_id)
        fast = plain_input_html(used, self.html_name, self.value(), final_attrs)
        if fast is None:
            return super().as_widget(widget, attrs, only_initial)
        return fast

    def _error_message(self) -> SafeString:
        listed = format_html_join(
            "<br>", '<span class="govuk-visually-hidden">Error:</span> {}', ((error,) for error in self.errors)
        )
        return format_html('<p class="govuk-error-message" id="{}_error">{}</p>', self.auto_id, listed)

    def as_field_group(self) -> Any:
        widget = self.field.widget
        if getattr(self.field, "template_name", None) or self.widget_type in _GROUPED_BY_TEMPLATE:
            return super().as_field_group()
        if type(widget) is GovukDateInput:
            return self._date_group()
        plain = isinstance(widget, GovukSelect) or plain_input_html(widget, self.html_name, None, {}) is not None
        if not plain:
            return super().as_field_group()
        errors = self.errors
        parts = [
            format_html('<div class="govuk-form-group{}">', " govuk-form-group--error" if errors else ""),
            format_html('<label class="govuk-label govuk-label--s" for="{}">{}</label>', self.id_for_label, self.label),
        ]
        if self.help_text:
            parts.append(format_html('<div class="govuk-hint" id="{}_helptext">{}</div>', self.auto_id, self.help_text))
        if errors:
            parts.append(self._error_message())
        parts.append(format_html("{}", self))
        parts.append(SafeString("</div>"))
        return format_html_join("\n", "{}", ((part,) for part in parts))

    def _date_group(self) -> SafeString:
        """The GOV.UK date input's group: a fieldset with the label as its legend, as field.html writes it."""
        errors = self.errors
        described = f"{self.auto_id}_helptext" + (f" {self.auto_id}_error" if errors else "")
        return format_html(
            '<div class="govuk-form-group{}">\n<fieldset class="govuk-fieldset" role="group" aria-describedby="{}">\n'
            '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{}</legend>\n'
            '<div class="govuk-hint" id="{}_helptext">{}</div>\n{}{}\n</fieldset>\n</div>',
            " govuk-form-group--error" if errors else "",
            described,
            self.label,
            self.auto_id,
            self.help_text or "For example, 27 3 2027",
            self._error_message() if errors else "",
            self,
        )


class GovukFormRenderer(TemplatesSetting):
    """Every ``{{ form }}`` renders GOV.UK form groups: label, hint, error message, input."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = GovukBoundField


def govuk_field(field: forms.Field) -> forms.Field:
    """A plain ``DateField`` or ``TimeField`` (a model form's, a filter's) as the GOV.UK date input
    or time box; any other field unchanged."""
    if isinstance(field, forms.DateField):
        replacement: forms.Field = GovukDateField()
    elif isinstance(field, forms.TimeField):
        replacement = GovukTimeField()
    else:
        return field
    for attribute in ("required", "label", "help_text", "initial", "disabled", "show_hidden_initial", "validators"):
        setattr(replacement, attribute, getattr(field, attribute))
    custom = {
        code: message
        for code, message in field.error_messages.items()
        if message != forms.DateField.default_error_messages.get(code, forms.Field.default_error_messages.get(code))
        and message != forms.TimeField.default_error_messages.get(code)
    }
    replacement.error_messages.update(custom)
    return replacement


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, GovukDateInput | PersonPicker):
        return ""
    if isinstance(widget, GovukTimeInput):
        return ""  # its own classes
    for widget_type in type(widget).__mro__:
        if widget_type in _INPUT_CLASS:
            return _INPUT_CLASS[widget_type]
    return "govuk-input"


# --- Written error messages ----------------------------------------------------------------------------

# Words that show a label is not a plain name for the thing ("Why does…", "Upload a file", "Sent on").
_NOT_A_NAME = {
    "why", "what", "when", "who", "whom", "which", "how", "does", "do", "did", "is", "are", "was", "were",
    "can", "will", "should", "has", "have", "this", "these", "that", "upload", "give", "choose", "select",
    "enter", "mark", "send", "add", "or", "and", "if", "starts", "ends", "shows", "contains", "must",
    "would", "your", "our", "my", "i", "we", "you", "it", "they", "their", "its",
}  # fmt: skip
_TRAILING_PREPOSITIONS = {"on", "in", "at", "by", "for", "to", "of", "from", "with", "as", "after", "before"}


def noun_phrase(label: Any) -> str:
    """ "Due date" → "the due date": the label as a name to put in a message, or "" when the label is
    not a plain name (a question, an instruction, "Sent on"…) and so the messages must be written by
    hand. "(optional)" is dropped; words in capitals (ONS, RAG) keep them."""
    text = re.sub(r"\s*\((optional|if any)\)\s*$", "", str(label or "").strip(), flags=re.IGNORECASE)
    if not text or not re.fullmatch(r"[A-Za-z][A-Za-z' -]*", text):
        return ""
    words = text.split()
    lowered = [w.lower() for w in words]
    if len(words) > 5 or any(w in _NOT_A_NAME for w in lowered) or lowered[-1] in _TRAILING_PREPOSITIONS:
        return ""
    first = words[0] if words[0].isupper() and len(words[0]) > 1 else words[0][:1].lower() + words[0][1:]
    return " ".join(["the", first, *words[1:]])


def _subject(noun: str) -> str:
    """ "the due date" → "Due date" (the subject of "… must be a real date")."""
    bare = noun[4:] if noun.startswith("the ") else noun
    return bare[:1].upper() + bare[1:]


_DJANGO_DEFAULTS: set[str] = set()


def django_default_messages() -> set[str]:
    """Every message Django's form fields and validators give when a form does not say its own."""
    if not _DJANGO_DEFAULTS:
        from django.core import validators

        for cls in [forms.Field, *_all_subclasses(forms.Field)]:
            if cls.__module__.startswith("django."):
                _DJANGO_DEFAULTS.update(str(m) for m in getattr(cls, "default_error_messages", {}).values())
        for name in dir(validators):
            message = getattr(getattr(validators, name), "message", None)
            if message:
                _DJANGO_DEFAULTS.add(str(message))
    return _DJANGO_DEFAULTS


def _all_subclasses(cls: type) -> list[type]:
    out: list[type] = []
    sub: type
    for sub in cls.__subclasses__():
        out += [sub, *_all_subclasses(sub)]
    return out


def _is_default(message: Any) -> bool:
    return (
        message is None
        or str(message) in django_default_messages()
        or message
        in (
            GovukDateField.default_error_messages["required"],
            GovukTimeField.default_error_messages["required"],
            PersonField.default_error_messages["search"],
        )
    )


def _limit(field: forms.Field, code: str) -> Any:
    for validator in field.validators:
        if getattr(validator, "code", None) == code:
            return getattr(validator, "limit_value", None)
    return None


def write_messages(field: forms.Field, noun: str) -> None:
    """Give ``field`` the GOV.UK style messages that ``noun`` ("the due date") makes, for each of
    its messages still Django's own. Without a noun nothing is written, and the form must write
    its messages by hand (``test_form_messages`` fails on any left as Django's)."""
    if not noun or isinstance(field.widget, forms.HiddenInput):
        return
    subject = _subject(noun)
    messages = field.error_messages
    choosing = isinstance(field.widget, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple)
    candidates: dict[str, str] = {}
    if isinstance(field, forms.FileField):
        candidates.update(
            required=f"Select {noun} to upload",
            invalid="The selected file could not be uploaded: try again",
            missing="The selected file could not be uploaded: try again",
            empty="The selected file is empty",
            max_length=f"The name of {noun} must be {field.max_length or 100} characters or fewer",
            contradiction=f"Either select {noun} to upload or tick to remove it, not both",
        )
    elif isinstance(field, GovukDateField):
        candidates["required"] = f"Enter {noun}"
        field.subject = field.subject or subject
    elif isinstance(field, GovukTimeField):
        candidates["required"] = f"Enter {noun}"
        field.subject = field.subject or subject
    elif choosing or isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        candidates.update(
            required=f"Select {noun}",
            invalid_choice=f"Select {noun} in the list",
            invalid_list=f"Select {noun} in the list",
            invalid_pk_value=f"Select {noun} in the list",
        )
        if isinstance(field, PersonField):
            candidates["search"] = f"Select {noun} in the list of people found"
    else:
        candidates["required"] = f"Enter {noun}"
    if isinstance(field, forms.IntegerField):
        candidates["invalid"] = f"{subject} must be a whole number, like 3"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        candidates["invalid"] = f"{subject} must be a number"
        candidates["max_digits"] = f"{subject} must have no more than {getattr(field, 'max_digits', 0)} digits"
        candidates["max_decimal_places"] = (
            f"{subject} must have no more than {getattr(field, 'decimal_places', 0)} decimal places"
        )
        candidates["max_whole_digits"] = f"{subject} is too large"
    elif isinstance(field, forms.EmailField):
        candidates["invalid"] = f"Enter {noun} in the correct format, like name@example.org"
    elif isinstance(field, forms.URLField):
        candidates["invalid"] = f"Enter {noun} in the correct format, starting https://"
    max_length, min_length = getattr(field, "max_length", None), getattr(field, "min_length", None)
    if max_length and not isinstance(field, forms.FileField):
        candidates["max_length"] = f"{subject} must be {max_length:,} characters or fewer"
    if min_length:
        candidates["min_length"] = f"{subject} must be {min_length:,} characters or more"
    low, high = _limit(field, "min_value"), _limit(field, "max_value")
    if low is not None:
        candidates["min_value"] = f"{subject} must be {low} or more"
    if high is not None:
        candidates["max_value"] = f"{subject} must be {high} or less"
    for code, message in candidates.items():
        if _is_default(messages.get(code)):
            messages[code] = message


class GovukFormMixin(_FormBase):
    """Adds the Design System's classes to every widget, and the error variants after validation.

    Messages are written, not generated from any label: a field whose label is a plain name ("Due
    date") gets "Enter the due date", "Due date must be 200 characters or fewer"…; for any other
    (a question, an instruction) the form names the thing in ``message_names`` (``{"reason": "the
    reason for cancelling"}``) or writes ``error_messages`` itself.
    """

    message_names: dict[str, str] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # A form's own ``__init__`` often adds or changes fields after this mixin's has run (a field per
        # seat, a select made radios): style them and write their messages once it has finished too.
        super().__init_subclass__(**kwargs)
        own_init = cls.__dict__.get("__init__")
        if own_init is None or getattr(own_init, "_govuk_wrapped", False):
            return

        @functools.wraps(own_init)
        def init_then_style(self: GovukFormMixin, *args: Any, **kw: Any) -> None:
            own_init(self, *args, **kw)
            self.govuk_fields()

        init_then_style._govuk_wrapped = True  # type: ignore[attr-defined]
        cls.__init__ = init_then_style  # type: ignore[method-assign]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govuk_fields()

    def govuk_fields(self) -> None:
        """GOV.UK inputs (dates, times), classes and written messages for every field (idempotent)."""
        read_search_text(self)
        for name, field in list(self.fields.items()):
            self.fields[name] = field = govuk_field(field)
            use_fast_select(field)
            write_messages(field, self.message_names.get(name, "") or noun_phrase(field.label or ""))
            css = _css_class(field.widget)
            existing = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = " ".join(dict.fromkeys(f"{css} {existing}".split()))

    def pick_person(self, name: str, people: Any, *, scope: str = "people", **overrides: Any) -> PersonField:
        """Make ``name`` a person picker over ``people`` (narrowed to those the person filling in the
        form may pick). Label, required, help text and messages are kept unless ``overrides`` says."""
        old = self.fields.get(name)
        options: dict[str, Any] = {
            "label": getattr(old, "label", None),
            "required": getattr(old, "required", True),
            "help_text": getattr(old, "help_text", ""),
            "empty_label": getattr(old, "empty_label", None) or "Not chosen",
            **overrides,
        }
        field = PersonField(scope=scope, **options)
        if old is not None:
            for code, message in old.error_messages.items():
                if not _is_default(message):
                    field.error_messages[code] = message
        field.limit_to(people, self.user, self.partnership)  # type: ignore[attr-defined]
        self.fields[name] = field
        read_search_text(self)
        write_messages(field, self.message_names.get(name, "") or noun_phrase(field.label or ""))
        return field

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            field = self.fields.get(name)
            if field is None:
                continue
            base = field.widget.attrs.get("class", "").split()[0] if field.widget.attrs.get("class") else ""
            if isinstance(field, GovukDateField):
                field.widget.error_parts = tuple(
                    part for error in self.errors.as_data()[name] for part in date_error_parts(error)
                )
            error_class = _ERROR_CLASS.get(base)
            if error_class and error_class not in field.widget.attrs["class"]:
                field.widget.attrs["class"] += f" {error_class}"


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm[Any]):
    pass


# --- Forms for the partnership's own records ------------------------------------------------------


class PartnershipForm(VersionedFormMixin, GovukModelForm):
    message_names = {
        "modules": "the modules this partnership uses",
        "business_year_start_month": "the month the business year starts",
        "papers_due_days": "the number of days before a meeting that its papers are due",
        "action_amber_days": "the number of days before the due date that an action turns amber",
        "deputy_stand_ins_per_year": "the number of times a named deputy may stand in each year",
    }

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
            "deputy_stand_ins_per_year",
            "action_amber_days",
            "division",
            "scrutiny_reads_board_papers",
            "minutes_need_difference_for_children",
            "follow_up_apologies",
        ]
        labels = {"business_year_start_month": "Business year starts in month"}


class NewPartnershipForm(GovukModelForm):
    message_names = {
        "modules": "the modules this partnership uses",
        "business_year_start_month": "the month the business year starts",
        "slug": "the short web name",
    }

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

    message_names = {
        "q": "the exact name or code of the agency",
    }

    q = forms.CharField(
        label="Exact name or code of the agency",
        help_text="For example ‘Riverside Constabulary’, or an NHS body's ODS code such as RX9.",
        max_length=200,
    )


class AgencyJoinRequestForm(GovukForm):
    """Ask for a found agency to join this partnership too."""

    message_names = {
        "reason": "the reason your partnership needs this agency",
    }

    q = forms.CharField(widget=forms.HiddenInput, max_length=200)
    agency = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label="Why does your partnership need this agency? (optional)",
        help_text="The administrators who decide will see this.",
        required=False,
        max_length=NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class JoinDecisionForm(GovukForm):
    message_names = {
        "decision": "your decision",
        "note": "the note",
    }

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve: add the agency to their partnership"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or decline the request"},
    )
    note = forms.CharField(
        label="Note to the partnership that asked (optional)",
        required=False,
        max_length=NOTE,
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
