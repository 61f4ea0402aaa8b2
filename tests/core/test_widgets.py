"""``GovukSelect`` writes in Python exactly the markup Django's ``forms.Select`` templates write."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms

from safeboard.core.filters import AgencyFilter
from safeboard.core.forms import GovukForm
from safeboard.core.widgets import GovukSelect, use_fast_select


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
