"""``GovukSelect`` writes in Python exactly the markup Django's ``forms.Select`` templates write."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms

from safeboard.core.fields import GovukDateField
from safeboard.core.filters import AgencyFilter
from safeboard.core.forms import GovukForm
from safeboard.core.widgets import GovukSelect, plain_input_html, use_fast_select


def _same_markup(html: str) -> str:
    """Django's templates put blank lines between options; the markup is otherwise the same."""
    return re.sub(r">\s+<", "><", str(html)).strip()


CHOICES: list[tuple[Any, Any]] = [
    ("", "Anyone"),
    (1, "Ann <Smith> & Co"),
    ("2", 'Bob "Quoted"'),
    (None, "Nothing"),
    ("Group one", [(3, "Cat"), (4, "Dan")]),
    ("1", "A second option with the first value"),
]


@pytest.mark.parametrize("value", [None, "", 1, "2", 3, "4", "missing"])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"class": "govuk-select", "id": "id_owner"},
        {"required": True, "disabled": False, "aria-describedby": "x_error", "data-x": 'a"b'},
    ],
)
def test_same_markup_as_djangos_select(value: Any, attrs: dict[str, Any] | None) -> None:
    django_select = forms.Select(choices=CHOICES, attrs={"class": "govuk-select"})
    ours = GovukSelect(choices=CHOICES, attrs={"class": "govuk-select"})
    expected = django_select.render("owner", value, attrs)
    assert _same_markup(ours.render("owner", value, attrs)) == _same_markup(expected)


@pytest.mark.parametrize("value", [None, ["1"], ["1", "3"]])
def test_same_markup_when_several_may_be_chosen(value: Any) -> None:
    class Multiple(GovukSelect):
        allow_multiple_selected = True

    expected = forms.SelectMultiple(choices=CHOICES).render("owners", value)
    assert _same_markup(Multiple(choices=CHOICES).render("owners", value)) == _same_markup(expected)


def test_model_choices_and_escaping(db: None) -> None:
    from tests.factories import AgencyFactory

    agency = AgencyFactory(name="Health <script>alert(1)</script>")
    field = forms.ModelChoiceField(queryset=type(agency).objects.all(), empty_label="Any agency")
    expected = field.widget.render("agency", agency.pk, {"id": "id_agency"})
    use_fast_select(field)
    assert isinstance(field.widget, GovukSelect)
    rendered = field.widget.render("agency", agency.pk, {"id": "id_agency"})
    assert _same_markup(rendered) == _same_markup(expected)
    assert "<script>" not in rendered
    assert f'<option value="{agency.pk}" selected>' in rendered


def test_forms_and_filters_use_it() -> None:
    class Form(GovukForm):
        kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
        kinds = forms.MultipleChoiceField(choices=[("a", "A")])  # not a plain Select: left alone

    form = Form()
    assert type(form.fields["kind"].widget) is GovukSelect
    assert type(form.fields["kinds"].widget) is forms.SelectMultiple
    assert 'class="govuk-select"' in str(form["kind"])
    assert type(AgencyFilter().form.fields["agency_type"].widget) is GovukSelect


# --- Form groups and inputs written in Python (GovukBoundField) -----------------------------------


def _template_group(bound: Any) -> str:
    """The field as core/forms/field.html and Django's widget templates write it."""
    from django.forms.boundfield import BoundField

    plain = BoundField(bound.form, bound.field, bound.name)
    return str(plain.as_field_group())


def _bound_fields(form: Any) -> list[Any]:
    inner = form.form if hasattr(form, "qs") else form
    return [inner[name] for name in inner.fields]


def test_every_field_of_every_form_is_written_as_the_templates_write_it(world) -> None:  # type: ignore[no-untyped-def]
    from safeboard.core.forms import GovukBoundField
    from tests.core.form_walk import all_forms, build_world_records

    build_world_records(world)
    compared = fast = 0
    for name, form in all_forms(world):
        for bound in _bound_fields(form):
            assert isinstance(bound, GovukBoundField), name
            ours = _same_markup(bound.as_field_group())
            assert ours == _same_markup(_template_group(bound)), f"{name}.{bound.name}"
            compared += 1
            fast += plain_input_html(bound.field.widget, bound.html_name, None, {}) is not None
    assert compared > 200 and fast > 50, (compared, fast)


def test_a_field_with_errors_a_hint_and_a_value_is_written_as_the_template_writes_it() -> None:
    class _Form(GovukForm):
        name = forms.CharField(label="Name <b>", help_text="Your <i>full</i> name", max_length=3)
        email = forms.EmailField(required=False)
        count = forms.IntegerField(min_value=1, required=False)
        kind = forms.ChoiceField(choices=[("a", "A & B"), ("b", "B")], required=False)
        when = GovukDateField(label="When <it> happened")
        since = GovukDateField(label="Since", required=False, help_text="The <first> day")

        def clean_name(self) -> str:
            raise forms.ValidationError(["First & <problem>", "Second problem"])

    data = {"name": 'Ann "Smith"', "email": "not an email", "count": "0", "kind": "zzz"}
    data.update({"when-day": "31", "when-month": "2", "when-year": "2027", "since-day": "1", "since-month": "<b>"})
    form = _Form(data=data)
    assert not form.is_valid()
    for bound in form:
        assert _same_markup(bound.as_field_group()) == _same_markup(_template_group(bound)), bound.name
    assert "govuk-form-group--error" in str(form["name"].as_field_group())
    assert 'value="Ann &quot;Smith&quot;"' in str(form["name"].as_field_group())
    assert "govuk-input--error" in str(form["when"].as_field_group())
    assert 'value="&lt;b&gt;"' in str(form["since"].as_field_group())
