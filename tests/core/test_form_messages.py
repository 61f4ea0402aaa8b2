"""Every field of every form and filter in the project has written error messages in the GOV.UK
style: never Django's own ("This field is required.", "Select a valid choice…", "Ensure this value
has at most…"), never one made by pasting a label into a sentence ("Choose does this evidence show
the action is done")."""

from __future__ import annotations

from django import forms

from safeboard.core.fields import GovukDateField, GovukTimeField
from safeboard.core.forms import GovukForm, django_default_messages
from safeboard.core.people import PersonField
from tests.core.form_walk import all_forms, build_world_records, fields_of

# Messages a field class has before anyone names the field: generic, so not good enough either.
GENERIC = {
    GovukDateField.default_error_messages["required"],
    GovukTimeField.default_error_messages["required"],
    PersonField.default_error_messages["search"],
}


def codes_that_can_happen(field: forms.Field) -> set[str]:
    """The messages a person can meet on this field."""
    codes: set[str] = set()
    if field.required:
        codes.add("required")
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        codes.add("invalid_choice")
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        codes.update({"invalid_choice", "invalid_list"} if isinstance(field, forms.ModelMultipleChoiceField) else set())
    if isinstance(
        field, forms.IntegerField | forms.DecimalField | forms.FloatField | forms.EmailField | forms.URLField
    ) or isinstance(field, GovukTimeField):
        codes.add("invalid")
    if isinstance(field, forms.FileField):
        codes.update({"invalid", "missing", "empty"})
    elif getattr(field, "max_length", None):
        codes.add("max_length")
    if getattr(field, "min_length", None):
        codes.add("min_length")
    for validator in field.validators:
        if getattr(validator, "code", None) in ("min_value", "max_value"):
            codes.add(validator.code)
    if isinstance(field, PersonField):
        codes.add("search")
    if isinstance(field, GovukDateField | GovukTimeField):
        codes.add("subject")  # "<Subject> must be a real date": the field must have a name to use
    return codes


def problems_with(field: forms.Field, code: str) -> str:
    if code == "subject":
        subject = getattr(field, "subject", "")
        return "" if subject else f"no name for its messages (the label {field.label!r} is not a plain name)"
    message = field.error_messages.get(code)
    if message is None and code in ("max_length", "min_length", "min_value", "max_value"):
        return "the validator's own message (Django's)"
    text = str(message)
    if text in django_default_messages():
        return f"Django's default {text!r}"
    if text in GENERIC:
        return f"a message that does not name the field {text!r}"
    label = str(field.label or "").strip()
    old_generated = {f"{verb} {label.rstrip('?').lower()}" for verb in ("Choose", "Enter")}
    first_word = label.split()[0].lower() if label else ""
    not_pasteable = label.endswith("?") or first_word in {"does", "do", "is", "are", "upload", "or", "give", "choose"}
    if text in old_generated and not_pasteable:
        return f"a message made by pasting the label into a sentence {text!r}"
    if "?" in text or "(optional)" in text:
        return f"a label pasted into a message {text!r}"
    return ""


def test_every_field_of_every_form_has_written_messages(world) -> None:  # type: ignore[no-untyped-def]
    build_world_records(world)
    failures = []
    for name, form in all_forms(world):
        for field_name, field in fields_of(form).items():
            if isinstance(field.widget, forms.HiddenInput) or field.disabled:
                continue
            for code in sorted(codes_that_can_happen(field)):
                problem = problems_with(field, code)
                if problem:
                    failures.append(f"{name}.{field_name} [{code}]: {problem}")
    assert not failures, "\n" + "\n".join(failures)


def test_a_label_that_is_a_plain_name_gives_messages_in_good_english() -> None:
    class _Form(GovukForm):
        title = forms.CharField(label="Title", max_length=200)
        owner = forms.ChoiceField(label="Owner", choices=[("1", "Sam")])
        reason = forms.CharField(label="Why is it late?")
        count = forms.IntegerField(label="Number of children", min_value=0)

    form = _Form(data={"title": "x" * 201, "owner": "9", "count": "-1"})
    assert not form.is_valid()
    assert form.errors["title"] == ["Title must be 200 characters or fewer"]
    assert form.errors["owner"] == ["Select the owner in the list"]
    assert form.errors["count"] == ["Number of children must be 0 or more"]
    # A question is not a name: no message is made from it, and the walk above fails on it.
    assert form.fields["reason"].error_messages["required"] == forms.Field.default_error_messages["required"]
    assert _Form(data={"title": "", "owner": "", "count": "2"}).errors["title"] == ["Enter the title"]
