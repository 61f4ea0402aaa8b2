"""The GOV.UK date input, a time box and the person picker: the one way Safeboard asks for a date,
a time or a person.

- ``GovukDateField`` (widget ``GovukDateInput``): three boxes, day, month and year, with the Design
  System's messages ("Start date must include a month", "Start date must be a real date"). The
  browser's own date picker is never used: it shows mm/dd/yyyy in some browsers, and 08/01/2027 typed
  as 8 January came back as 1 August. ``parse_date_parts`` is the one reading of the three boxes
  (questionnaires use it too).
- ``GovukTimeField``: one text box that takes "14:30", "2:30pm", "14.30" or "2pm".
- ``PersonField`` (widget ``PersonPicker``): see ``safeboard.core.people``.

Every ``GovukForm``/``GovukModelForm`` turns a plain ``DateField`` or ``TimeField`` into these, and
``safeboard.core.filters.DateFilter`` is the filters' date; so no form in the project renders
``type="date"`` or ``type="time"`` (a test walks them all).

- ``BoundedTextField``: free text with a limit the model itself enforces.

A ``TextField``'s ``max_length`` reaches its form field and DRF's model serializers, but Django adds no
validator for it, so ``full_clean()`` (imports, services) let any length through and a 1 MB "detail"
was stored. ``BoundedTextField`` requires a ``max_length`` and validates it on the model too. Every
free-text field is either a ``CharField`` (whose ``max_length`` Django validates) or one of these;
``tests/core/test_text_limits.py`` walks every model and fails on a ``TextField`` without a limit.

Sizes used: ``NOTE`` for a reason or a short note, ``PARAGRAPHS`` for a description or progress
written in a few paragraphs, ``DOCUMENT`` for minutes and terms of reference.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

DATE_PARTS = ("day", "month", "year")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


def message_subject(label: Any) -> str:
    """A field's label as the subject of a message: "Start date (optional)" → "Start date"."""
    text = re.sub(r"\s*\((optional|if any)\)\s*$", "", str(label or "").strip(), flags=re.IGNORECASE)
    text = text.rstrip("?:. ")
    return text[:1].upper() + text[1:] if text else "Date"


@dataclass
class DateProblem:
    """Why the boxes do not make a date: the message, and which boxes to highlight."""

    message: str
    code: str
    parts: tuple[str, ...]


def parse_date_parts(parts: dict[str, Any], subject: str) -> dt.date | DateProblem | None:
    """Day, month and year as typed → a date, a ``DateProblem``, or ``None`` when all are empty.

    The month may be a number or a name ("jan", "January"); spaces around numbers are ignored.
    """
    typed = {part: str(parts.get(part) if parts.get(part) is not None else "").strip() for part in DATE_PARTS}
    missing = tuple(part for part in DATE_PARTS if not typed[part])
    if len(missing) == len(DATE_PARTS):
        return None
    if missing:
        return DateProblem(f"{subject} must include a {' and '.join(missing)}", "incomplete", missing)
    month_text = typed["month"].lower()
    month = _MONTHS.get(month_text)
    if month is None and month_text.isdigit():
        month = int(month_text)
    wrong = tuple(
        part
        for part, ok in (
            ("day", typed["day"].isdigit()),
            ("month", month is not None),
            ("year", typed["year"].isdigit()),
        )
        if not ok
    )
    if wrong:
        return DateProblem(f"{subject} must be a real date", "invalid", wrong)
    if len(typed["year"]) != 4:
        return DateProblem("Year must include 4 numbers", "year_length", ("year",))
    try:
        return dt.date(int(typed["year"]), month or 0, int(typed["day"]))
    except ValueError:
        return DateProblem(f"{subject} must be a real date", "invalid", DATE_PARTS)


class GovukDateInput(forms.Widget):
    """The GOV.UK date input: boxes named ``<name>-day``, ``<name>-month`` and ``<name>-year``.

    Its value is a ``{"day", "month", "year"}`` dict of strings as typed, so a page that comes back
    with errors shows what the person typed. ``error_parts`` (set by the form after validation)
    says which boxes to highlight.
    """

    template_name = "core/forms/widgets/date.html"
    use_fieldset = True
    error_parts: tuple[str, ...] = ()

    def format_value(self, value: Any) -> dict[str, str]:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return self.format_value(dt.date.fromisoformat(value))
            except ValueError:
                pass
        if isinstance(value, dict):
            return {part: str(value.get(part) or "") for part in DATE_PARTS}
        return {part: "" for part in DATE_PARTS}

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        typed = self.format_value(value)
        context["widget"]["parts"] = [
            {
                "part": part,
                "label": part.capitalize(),
                "name": f"{name}-{part}",
                "id": f"{base_id}-{part}",
                "value": typed[part],
                "width": 4 if part == "year" else 2,
                "error": part in self.error_parts,
            }
            for part in DATE_PARTS
        ]
        context["widget"]["id"] = base_id
        return context

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        """The markup of core/forms/widgets/date.html, written in Python (a list page's filters have two
        of these; the template was a millisecond each). tests/core/test_widgets.py compares the two."""
        widget = self.get_context(name, value, attrs)["widget"]
        boxes = format_html_join(
            "",
            '<div class="govuk-date-input__item"><div class="govuk-form-group">'
            '<label class="govuk-label govuk-date-input__label" for="{}">{}</label>'
            '<input class="govuk-input govuk-date-input__input govuk-input--width-{}{}" id="{}" name="{}"'
            ' type="text" inputmode="numeric" value="{}"></div></div>',
            (
                (
                    part["id"],
                    part["label"],
                    part["width"],
                    " govuk-input--error" if part["error"] else "",
                    part["id"],
                    part["name"],
                    part["value"],
                )
                for part in widget["parts"]
            ),
        )
        return format_html('<div class="govuk-date-input" id="{}">{}</div>', widget["id"], boxes)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}-{self.anchor_part}" if id_ else id_

    @property
    def anchor_part(self) -> str:
        """The box an error summary link goes to: the first in error, else the day."""
        return self.error_parts[0] if self.error_parts else "day"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str] | str:
        if all(f"{name}-{part}" not in data for part in DATE_PARTS) and name in data:
            # A link or an API-style query (``?due_from=2027-05-01``) gives the date whole, as YYYY-MM-DD.
            return str(data.get(name, ""))
        return {part: str(data.get(f"{name}-{part}", "")) for part in DATE_PARTS}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and all(f"{name}-{part}" not in data for part in DATE_PARTS)


class GovukDateField(forms.Field):
    """A date typed into the GOV.UK date input.

    ``subject`` names the date in messages ("Due date must be a real date"); it defaults to the
    label without "(optional)". ``error_messages["required"]`` is the message for nothing typed.
    """

    widget = GovukDateInput
    default_error_messages = {"required": "Enter the date"}

    def __init__(self, *, subject: str = "", **kwargs: Any) -> None:
        kwargs.pop("input_formats", None)
        super().__init__(**kwargs)
        self.subject = subject

    def message_subject(self) -> str:
        return self.subject or message_subject(self.label)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValidationError(f"{self.message_subject()} must be a real date", code="invalid")
            value = GovukDateInput().format_value(text)
            if not any(value.values()):
                raise ValidationError(f"{self.message_subject()} must be a real date", code="invalid")
        if not value:
            return None
        result = parse_date_parts(value, self.message_subject())
        if isinstance(result, DateProblem):
            raise ValidationError(result.message, code=result.code, params={"parts": result.parts})
        return result

    def prepare_value(self, value: Any) -> Any:
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True


def date_error_parts(error: ValidationError) -> tuple[str, ...]:
    """The boxes a date field's error concerns (all three when it does not say)."""
    params = getattr(error, "params", None) or {}
    return tuple(params.get("parts") or DATE_PARTS)


# --- Times ---------------------------------------------------------------------------------------------

_TIME = re.compile(
    r"^\s*(?P<hour>\d{1,2})(?:\s*[:.]\s*(?P<minute>\d{2}))?\s*(?P<half>[ap]\.?\s*m\.?)?\s*$",
    re.IGNORECASE,
)


def parse_time(text: str) -> dt.time | None:
    """ "14:30", "14.30", "2:30pm", "2.30 pm", "2pm", "12am", "9" (a whole hour) → a time; else ``None``.

    "12pm" is midday and "12am" midnight; "midday"/"noon" and "midnight" are read as well.
    """
    text = text.strip().lower()
    if text in ("midday", "noon", "12 noon"):
        return dt.time(12, 0)
    if text == "midnight":
        return dt.time(0, 0)
    match = _TIME.match(text)
    if not match:
        return None
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    half = (match["half"] or "").replace(".", "").replace(" ", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match["minute"] is None and hour > 24:
        return None
    if hour == 24 and minute == 0 and not half:
        return None  # "24:00" is the next day: ask for 23:59 or 00:00 instead
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return dt.time(hour, minute)


class GovukTimeInput(forms.TextInput):
    """A text box for a time (never the browser's own time picker)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"class": "govuk-input govuk-input--width-5", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.time):
            return value.strftime("%H:%M")
        formatted: str | None = super().format_value(value)
        return formatted


class GovukTimeField(forms.Field):
    """A time typed as "14:30", "2:30pm", "14.30" or "2pm"."""

    widget = GovukTimeInput
    default_error_messages = {
        "required": "Enter the time",
        "invalid": "{subject} must be a time, like 14:30 or 2:30pm",
    }

    def __init__(self, *, subject: str = "", **kwargs: Any) -> None:
        kwargs.pop("input_formats", None)
        kwargs.setdefault("help_text", "For example 14:30 or 2:30pm")
        super().__init__(**kwargs)
        self.subject = subject

    def to_python(self, value: Any) -> dt.time | None:
        if isinstance(value, dt.time):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        parsed = parse_time(text)
        if parsed is None:
            subject = self.subject or message_subject(self.label)
            raise ValidationError(self.error_messages["invalid"].format(subject=subject), code="invalid")
        return parsed


# Free text with a limit (see the module docstring).
NOTE = 2_000
PARAGRAPHS = 10_000
DOCUMENT = 50_000


if TYPE_CHECKING:
    _TextField = models.TextField[str, str]
else:
    _TextField = models.TextField


class BoundedTextField(_TextField):
    """A ``TextField`` that refuses text longer than ``max_length`` in the model, the form and the API."""

    def __init__(self, *args: Any, max_length: int, **kwargs: Any) -> None:
        kwargs["max_length"] = max_length
        super().__init__(*args, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))
