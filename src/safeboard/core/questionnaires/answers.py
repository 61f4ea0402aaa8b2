"""Answers: one validator for the web, the API and imports, the score, and answers as people read them.

``validate_answers(version, data)`` takes the raw answers, keyed by question key, as any channel sends
them (a web form's strings, an API's JSON values, a spreadsheet row's cells) and returns
``(cleaned, errors)``. ``cleaned`` holds the answers in one stored form:

=================  ==========================================================================
question type      stored answer
=================  ==========================================================================
yes_no             ``"yes"`` or ``"no"`` (``true``/``false`` are accepted)
single_choice      the option's value
multiple_choice    a list of option values, in the definition's order
rating             a whole number within the scale
number             a whole number, or a decimal when ``whole_number`` is false
date               ``"YYYY-MM-DD"`` (accepted as that, or as ``{"day", "month", "year"}``)
short_text         the text, trimmed
long_text          the text, trimmed
=================  ==========================================================================

``errors`` maps a question key to one message in the GOV.UK style ("Select yes or no", "Date must
include a month"). An unanswered optional question, and any question whose ``show_if`` condition is
not met, is left out of ``cleaned`` (an answer sent for a question that does not apply is dropped, as
the GOV.UK conditional reveal drops a hidden field).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from safeboard.core.fields import DateProblem, parse_date_parts
from safeboard.core.questionnaires.definition import (
    DATE,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NUMBER,
    RATING,
    SHORT_TEXT,
    SINGLE_CHOICE,
    YES_NO,
    Definition,
    Level,
    Question,
    level_for,
    parse_definition,
)

if TYPE_CHECKING:
    from safeboard.core.questionnaires.models import QuestionnaireVersion

NON_FIELD = "__all__"
_PARTS = ("day", "month", "year")


def definition_of(source: Definition | QuestionnaireVersion | dict[str, Any]) -> Definition:
    """A parsed definition from a definition, a version or the raw JSON."""
    if isinstance(source, Definition):
        return source
    if isinstance(source, dict):
        return parse_definition(source)
    return source.parsed


class _Invalid(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return all(_blank(v) for v in value)
    if isinstance(value, dict):
        return all(_blank(value.get(part)) for part in _PARTS)
    return False


def _name(question: Question, default: str) -> str:
    return question.error_name or default


def _missing_message(question: Question) -> str:
    if question.error_message:
        return question.error_message
    return {
        YES_NO: "Select yes or no",
        SINGLE_CHOICE: "Select an answer",
        MULTIPLE_CHOICE: "Select at least one answer",
        RATING: f"Select a rating on the scale of {question.scale_min} to {question.scale_max}",
        NUMBER: "Enter a number",
        DATE: "Enter a date",
    }.get(question.type, "Enter an answer")


def _number_text(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _clean_yes_no(question: Question, value: Any) -> str:
    if value is True or value is False:
        return "yes" if value else "no"
    if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
        return value.strip().lower()
    raise _Invalid("Select yes or no")


def _clean_single(question: Question, value: Any) -> str:
    allowed = {v for v, _ in question.choices}
    if isinstance(value, str) and value.strip() in allowed:
        return value.strip()
    raise _Invalid("Select one of the answers listed")


def _clean_multiple(question: Question, value: Any) -> list[str]:
    chosen = [value] if isinstance(value, str) else value
    if not isinstance(chosen, list | tuple) or not all(isinstance(v, str) for v in chosen):
        raise _Invalid("Select only the answers listed")
    chosen = {v.strip() for v in chosen if v.strip()}
    order = [v for v, _ in question.choices]
    if chosen - set(order):
        raise _Invalid("Select only the answers listed")
    return [v for v in order if v in chosen]


def _clean_rating(question: Question, value: Any) -> int:
    if isinstance(value, bool):
        raise _Invalid(_missing_message(question))
    try:
        rating = int(str(value).strip())
    except ValueError:
        raise _Invalid(f"Select a rating on the scale of {question.scale_min} to {question.scale_max}") from None
    if not question.scale_min <= rating <= question.scale_max:
        raise _Invalid(f"Select a rating on the scale of {question.scale_min} to {question.scale_max}")
    return rating


def _clean_number(question: Question, value: Any) -> int | float:
    name = _name(question, "The number")
    if isinstance(value, bool):
        raise _Invalid("Enter a number")
    text = str(value).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Invalid("Enter a number") from None
    if not number.is_finite():
        raise _Invalid("Enter a number")
    whole = number == number.to_integral_value()
    if question.whole_number and not whole:
        raise _Invalid(f"{name} must be a whole number")
    low, high = question.minimum, question.maximum
    if (low is not None and number < Decimal(str(low))) or (high is not None and number > Decimal(str(high))):
        if low is not None and high is not None:
            raise _Invalid(f"{name} must be between {_number_text(low)} and {_number_text(high)}")
        if low is not None:
            raise _Invalid(f"{name} must be {_number_text(low)} or more")
        raise _Invalid(f"{name} must be {_number_text(high)} or less")
    return int(number) if whole else float(number)


def _clean_date(question: Question, value: Any) -> str:
    name = _name(question, "Date")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, dict):
        parsed = parse_date_parts(value, name)
        if parsed is None:
            raise _Invalid(_missing_message(question))
        if isinstance(parsed, DateProblem):
            raise _Invalid(parsed.message)
        day = parsed
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise _Invalid(f"{name} must be a real date") from None
    else:
        raise _Invalid(f"{name} must be a real date, written as YYYY-MM-DD")
    today = timezone.localdate()
    if question.past_only and day > today:
        raise _Invalid(f"{name} must be today or in the past")
    if question.future_only and day < today:
        raise _Invalid(f"{name} must be today or in the future")
    return day.isoformat()


def _clean_text(question: Question, value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid("Enter the answer as text")
    text = value.strip()
    if len(text) > question.max_length:
        raise _Invalid(f"{_name(question, 'Answer')} must be {question.max_length:,} characters or fewer")
    return text


_CLEANERS = {
    YES_NO: _clean_yes_no,
    SINGLE_CHOICE: _clean_single,
    MULTIPLE_CHOICE: _clean_multiple,
    RATING: _clean_rating,
    NUMBER: _clean_number,
    DATE: _clean_date,
    SHORT_TEXT: _clean_text,
    LONG_TEXT: _clean_text,
}


def validate_answers(
    source: Definition | QuestionnaireVersion | dict[str, Any], data: Any
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check raw answers against one version's questions: ``(cleaned, errors)``.

    The only validator: the web form, the API and imports all call it, so an answer means the same
    whichever way it came in.
    """
    definition = definition_of(source)
    if not isinstance(data, dict):
        return {}, {NON_FIELD: "Send the answers as an object, with one entry per question key"}
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    known = {q.key for q in definition.questions}
    for key in data:
        if key not in known:
            errors[str(key)] = f"There is no question ‘{key}’ in this version of the questionnaire"
    for question in definition.questions:
        if question.show_if is not None and not question.show_if.met(cleaned):
            continue  # does not apply: whatever was sent for it is dropped
        value = data.get(question.key)
        if _blank(value):
            if question.required:
                errors[question.key] = _missing_message(question)
            continue
        try:
            cleaned[question.key] = _CLEANERS[question.type](question, value)
        except _Invalid as invalid:
            errors[question.key] = invalid.message
    return cleaned, errors


# --- Scores -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    total: int | None
    sections: dict[str, int] = field(default_factory=dict)
    level: Level | None = None
    section_levels: dict[str, Level] = field(default_factory=dict)


def score_answers(source: Definition | QuestionnaireVersion | dict[str, Any], cleaned: dict[str, Any]) -> Score:
    """Points per section, the total, and the levels they reach. An unscored questionnaire scores None."""
    definition = definition_of(source)
    if not definition.scored:
        return Score(total=None)
    sections: dict[str, int] = {}
    section_levels: dict[str, Level] = {}
    for section in definition.sections:
        points = 0
        for question in section.questions:
            if question.key in cleaned:
                points += question.points_for(cleaned[question.key]) or 0
        sections[section.key] = points
        level = level_for(section.levels, points)
        if level is not None:
            section_levels[section.key] = level
    total = sum(sections.values())
    return Score(
        total=total, sections=sections, level=level_for(definition.levels, total), section_levels=section_levels
    )


# --- Answers as people read them -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerLine:
    question: Question
    text: str
    answered: bool
    points: int | None = None


@dataclass(frozen=True)
class AnswerSection:
    key: str
    title: str
    lines: list[AnswerLine]
    points: int | None = None
    level: Level | None = None


def _display(question: Question, answer: Any) -> str:
    labels = dict(question.choices)
    if question.type == MULTIPLE_CHOICE:
        return "; ".join(labels.get(v, v) for v in answer)
    if question.type in (YES_NO, SINGLE_CHOICE, RATING):
        return labels.get(str(answer), str(answer))
    if question.type == DATE:
        day = dt.date.fromisoformat(answer)
        return f"{day.day} {day:%B %Y}"
    if question.type == NUMBER:
        text = f"{answer:,}"
        return f"{text} {question.suffix}".strip()
    return str(answer)


def display_answers(
    source: Definition | QuestionnaireVersion | dict[str, Any], answers: dict[str, Any], score: Score | None = None
) -> list[AnswerSection]:
    """Stored answers laid out by the definition they were given against, for a summary list."""
    definition = definition_of(source)
    out = []
    for section in definition.sections:
        lines = []
        for question in section.questions:
            if question.key in answers:
                lines.append(
                    AnswerLine(
                        question,
                        _display(question, answers[question.key]),
                        True,
                        question.points_for(answers[question.key]) if definition.scored else None,
                    )
                )
            elif question.show_if is None or question.show_if.met(answers):
                lines.append(AnswerLine(question, "Not answered", False))
        out.append(
            AnswerSection(
                section.key,
                section.title,
                lines,
                score.sections.get(section.key) if score else None,
                score.section_levels.get(section.key) if score else None,
            )
        )
    return out
