"""The GOV.UK date input and the time box: what people type, what is saved, what they are told."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django import forms
from django.urls import reverse

import safeboard
from safeboard.actions.models import Action
from safeboard.core.fields import GovukDateField, GovukTimeField, parse_time
from safeboard.core.forms import GovukForm
from tests.core.form_walk import all_forms, build_world_records, fields_of


class _DueForm(GovukForm):
    due_date = forms.DateField(label="Due date")  # a plain DateField: the GOV.UK form turns it into the date input
    review_date = forms.DateField(label="Review date (optional)", required=False)


def _date(name: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def test_eight_one_2027_is_the_eighth_of_january() -> None:
    form = _DueForm(data=_date("due_date", "8", "1", "2027"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_date"] == dt.date(2027, 1, 8)


def test_a_plain_date_field_becomes_the_date_input() -> None:
    form = _DueForm()
    assert isinstance(form.fields["due_date"], GovukDateField)
    html = str(form)
    for part in ("day", "month", "year"):
        assert f'name="due_date-{part}"' in html
    assert 'type="date"' not in html
    assert "<legend" in html and "For example, 27 3 2027" in html


@pytest.mark.parametrize(
    ("typed", "message", "highlighted"),
    [
        (("8", "", "2027"), "Due date must include a month", ["month"]),
        (("", "", "2027"), "Due date must include a day and month", ["day", "month"]),
        (("31", "2", "2027"), "Due date must be a real date", ["day", "month", "year"]),
        (("8", "13", "2027"), "Due date must be a real date", ["day", "month", "year"]),
        (("8", "x", "2027"), "Due date must be a real date", ["month"]),
        (("8", "1", "27"), "Year must include 4 numbers", ["year"]),
        (("", "", ""), "Enter the due date", ["day", "month", "year"]),
    ],
)
def test_messages_name_the_field_and_the_boxes_in_error(typed, message, highlighted) -> None:  # type: ignore[no-untyped-def]
    form = _DueForm(data=_date("due_date", *typed))
    assert not form.is_valid()
    assert form.errors["due_date"] == [message]
    html = str(form)
    for part in ("day", "month", "year"):
        box = re.search(rf'<input[^>]*id="id_due_date-{part}"[^>]*>', html)
        assert box is not None
        assert ("govuk-input--error" in box.group(0)) == (part in highlighted), part
    # The error summary's link goes to the first box in error.
    assert f'id="id_due_date-{highlighted[0]}"' in html


def test_what_was_typed_comes_back_and_month_names_are_read() -> None:
    form = _DueForm(data={**_date("due_date", "8", "x", "2027")})
    assert 'value="x"' in str(form)
    named = _DueForm(data=_date("due_date", " 8 ", "Jan", "2027"))
    assert named.is_valid()
    assert named.cleaned_data["due_date"] == dt.date(2027, 1, 8)


def test_an_optional_date_left_empty_is_none_and_a_whole_iso_date_is_read() -> None:
    form = _DueForm(data={**_date("due_date", "1", "2", "2027"), "review_date": "2027-03-04"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["review_date"] == dt.date(2027, 3, 4)
    assert _DueForm(data=_date("due_date", "1", "2", "2027")).is_valid()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", dt.time(14, 30)),
        ("2:30pm", dt.time(14, 30)),
        ("2.30 PM", dt.time(14, 30)),
        ("14.30", dt.time(14, 30)),
        ("2pm", dt.time(14, 0)),
        ("12pm", dt.time(12, 0)),
        ("12am", dt.time(0, 0)),
        ("9:05am", dt.time(9, 5)),
        ("0930", None),
        ("25:00", None),
        ("13pm", None),
        ("14:75", None),
        ("soon", None),
    ],
)
def test_times_people_type(typed: str, expected: dt.time | None) -> None:
    assert parse_time(typed) == expected


def test_a_time_that_is_not_one_has_a_clear_message() -> None:
    class _Form(GovukForm):
        start_time = forms.TimeField(label="Start time")

    form = _Form(data={"start_time": "half two"})
    assert isinstance(form.fields["start_time"], GovukTimeField)
    assert not form.is_valid()
    assert form.errors["start_time"] == ["Start time must be a time, like 14:30 or 2:30pm"]
    assert 'type="time"' not in str(form)


def test_an_action_due_eight_one_2027_is_saved_as_the_eighth_of_january(world, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.partnership_admin)
    data = {
        "title": "Refresh the neglect toolkit",
        "owner": world.practitioner_a.pk,
        "agency": world.agency_a.pk,
        **_date("due_date", "8", "1", "2027"),
        "priority": "medium",
    }
    response = client.post(reverse("actions:action-new"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Action.objects.get(title="Refresh the neglect toolkit").due_date == dt.date(2027, 1, 8)


def test_the_action_log_filters_by_dates_typed_in_boxes(world, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.partnership_admin)
    response = client.get(reverse("actions:action-list"), _date("due_from", "8", "", "2027"))
    page = response.content.decode()
    assert "The start of the due date range must include a month" in page
    assert 'type="date"' not in page


def test_no_template_renders_a_browser_date_or_time_picker() -> None:
    root = Path(safeboard.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if re.search(r"type=[\"']?(date|time|datetime-local)\b", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.django_db
def test_no_form_in_the_project_renders_a_browser_date_or_time_picker(world) -> None:  # type: ignore[no-untyped-def]
    build_world_records(world)
    forms_built = all_forms(world)
    assert len(forms_built) > 40
    for name, form in forms_built:
        fields = fields_of(form)
        for field_name, field in fields.items():
            plain = isinstance(field, forms.DateField | forms.TimeField | forms.DateTimeField)
            assert not plain, f"{name}.{field_name} is a plain {type(field).__name__}"
        html = str(form.form if hasattr(form, "qs") else form)
        assert not re.search(r"type=\"(date|time|datetime-local)\"", html), name
