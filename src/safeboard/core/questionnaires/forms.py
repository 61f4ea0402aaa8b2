"""A questionnaire version as a GOV.UK form, rendered on the server.

``questionnaire_form(version, data=None, initial=None)`` gives a Django form: ``{{ form }}`` renders the
sections and questions with GOV.UK Frontend's markup (radios, checkboxes, inputs, textareas and the
day/month/year date input), an error summary and a message per question. Nothing needs JavaScript: a
question that depends on an earlier answer carries the hint "Answer this only if…", and an answer
given to it when it does not apply is dropped.

Validation is not done by Django fields: every field hands back what was typed, and ``clean()`` calls
``validate_answers`` (the one validator the API and imports use as well). So the person's input is
kept, as typed, when the page comes back with errors.

The date question uses the project's GOV.UK date input, ``safeboard.core.fields.GovukDateInput``
(three boxes, named ``<key>-day``, ``<key>-month`` and ``<key>-year``), drawn by the same template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django import forms

from safeboard.core.fields import DATE_PARTS, GovukDateInput
from safeboard.core.questionnaires.answers import NON_FIELD, Score, definition_of, score_answers, validate_answers
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
    Question,
    Section,
)
from safeboard.core.questionnaires.models import QuestionnaireVersion

QuestionnaireDateInput = GovukDateInput  # the one GOV.UK date input (kept under its old name for callers)


class _AsTyped(forms.Field):
    """Hands back what was sent, unchanged: ``validate_answers`` does all the checking."""

    def __init__(self, widget: forms.Widget) -> None:
        super().__init__(required=False, widget=widget)

    def clean(self, value: Any) -> Any:
        return value


def _widget(question: Question) -> forms.Widget:
    if question.type == MULTIPLE_CHOICE:
        return forms.CheckboxSelectMultiple()
    if question.type == DATE:
        return QuestionnaireDateInput()
    return forms.TextInput()


def _as_typed(question: Question, answer: Any) -> Any:
    """A stored answer as the form shows it (to start from earlier answers)."""
    if answer is None:
        return None
    if question.type == DATE:
        day = dt.date.fromisoformat(answer)
        return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}
    if question.type == MULTIPLE_CHOICE:
        return list(answer)
    return str(answer)


@dataclass
class Choice:
    value: str
    label: str
    hint: str
    id: str
    checked: bool


@dataclass
class QuestionView:
    """Everything the template needs to draw one question."""

    question: Question
    name: str
    id: str
    value: Any
    error: str = ""
    condition: str = ""
    choices: list[Choice] = field(default_factory=list)
    date_parts: list[tuple[str, str, str, bool]] = field(default_factory=list)  # part, id, value, in error
    date_widget: dict[str, Any] = field(default_factory=dict)  # the GOV.UK date input's template context

    @property
    def template(self) -> str:
        return f"core/questionnaires/questions/{self.question.type}.html"

    @property
    def anchor(self) -> str:
        """Where the error summary's link goes: the first box in error, or the first option."""
        if self.date_parts:
            return next((pid for _, pid, _, wrong in self.date_parts if wrong), self.date_parts[0][1])
        return self.id

    @property
    def hint(self) -> str:
        if self.question.type == DATE and not self.question.hint:
            return "For example, 27 3 2026"
        return self.question.hint

    @property
    def label(self) -> str:
        return self.question.label if self.question.required else f"{self.question.label} (optional)"

    @property
    def described_by(self) -> str:
        ids = []
        if self.hint or self.condition:
            ids.append(f"{self.id}-hint")
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)

    @property
    def inline(self) -> bool:
        return self.question.type in (YES_NO, RATING)

    @property
    def width_class(self) -> str:
        return "govuk-input--width-5" if self.question.type == NUMBER else ""

    @property
    def text_input(self) -> bool:
        return self.question.type in (NUMBER, SHORT_TEXT)

    @property
    def long_text(self) -> bool:
        return self.question.type == LONG_TEXT


@dataclass
class SectionView:
    section: Section
    questions: list[QuestionView]


def _condition_hint(definition: Definition, question: Question) -> str:
    if question.show_if is None:
        return ""
    earlier = definition.question(question.show_if.question)
    if earlier is None:
        return ""
    labels = dict(earlier.choices)
    wanted = " or ".join(f"‘{labels.get(str(v), v)}’" for v in question.show_if.values)
    verb = "chose" if earlier.type == MULTIPLE_CHOICE else "answered"
    return f"Answer this only if you {verb} {wanted} for ‘{earlier.label}’."


class QuestionnaireForm(forms.Form):
    """One version's questions; after ``is_valid()``, ``answers`` holds the cleaned answers and
    ``score`` the score they make."""

    template_name = "core/questionnaires/form.html"

    def __init__(
        self,
        source: QuestionnaireVersion | Definition,
        data: Any = None,
        initial: dict[str, Any] | None = None,
        prefix: str | None = None,
    ) -> None:
        self.version = source if isinstance(source, QuestionnaireVersion) else None
        self.definition = definition_of(source)
        question_initial = {
            q.key: _as_typed(q, (initial or {}).get(q.key)) for q in self.definition.questions if initial
        }
        super().__init__(data=data, initial=question_initial, prefix=prefix)
        for question in self.definition.questions:
            self.fields[question.key] = _AsTyped(_widget(question))
        self.answers: dict[str, Any] = {}
        self.score: Score | None = None

    def clean(self) -> dict[str, Any]:
        raw = {key: value for key, value in self.cleaned_data.items() if key in self.fields}
        cleaned, errors = validate_answers(self.definition, raw)
        for key, message in errors.items():
            self.add_error(key if key in self.fields and key != NON_FIELD else None, message)
        self.answers = cleaned
        self.score = score_answers(self.definition, cleaned)
        return self.cleaned_data

    def _value(self, key: str) -> Any:
        bound = self[key]
        return bound.data if self.is_bound else bound.initial

    def sections(self) -> list[SectionView]:
        out = []
        for section in self.definition.sections:
            views = []
            for question in section.questions:
                bound = self[question.key]
                value = self._value(question.key)
                error = " ".join(str(e) for e in bound.errors) if self.is_bound else ""
                view = QuestionView(
                    question=question,
                    name=bound.html_name,
                    id=f"q-{bound.html_name}",
                    value=value if value is not None else "",
                    error=error,
                    condition=_condition_hint(self.definition, question),
                )
                if question.type in (YES_NO, SINGLE_CHOICE, RATING, MULTIPLE_CHOICE):
                    picked = {str(v) for v in value} if isinstance(value, list) else {str(value)}
                    hints = {o.value: o.hint for o in question.options}
                    view.choices = [
                        Choice(v, label, hints.get(v, ""), view.id if n == 0 else f"{view.id}-{n + 1}", v in picked)
                        for n, (v, label) in enumerate(question.choices)
                    ]
                if question.type == DATE:
                    parts = value if isinstance(value, dict) else {}
                    typed = {p: str(parts.get(p, "") or "") for p in DATE_PARTS}
                    missing = {p for p in DATE_PARTS if not typed[p].strip()}
                    wrong = missing if error and missing and len(missing) < 3 else (set(DATE_PARTS) if error else set())
                    view.date_parts = [(p, f"{view.id}-{p}", typed[p], p in wrong) for p in DATE_PARTS]
                    widget = GovukDateInput()
                    widget.error_parts = tuple(p for p in DATE_PARTS if p in wrong)
                    view.date_widget = widget.get_context(view.name, typed, {"id": view.id})["widget"]
                views.append(view)
            out.append(SectionView(section, views))
        return out

    def error_list(self) -> list[tuple[str, str]]:
        """(message, anchor) for the error summary, in question order."""
        if not self.is_bound or not self.errors:
            return []
        out = [(str(message), "") for message in self.non_field_errors()]
        for section in self.sections():
            for view in section.questions:
                if view.error:
                    out.append((view.error, view.anchor))
        return out


def questionnaire_form(
    version: QuestionnaireVersion | Definition,
    data: Any = None,
    initial: dict[str, Any] | None = None,
    prefix: str | None = None,
) -> QuestionnaireForm:
    """The GOV.UK form for one version: bound to ``data`` (``request.POST``) or started from ``initial``
    (stored answers, e.g. last cycle's, to carry forward)."""
    return QuestionnaireForm(version, data=data, initial=initial, prefix=prefix)
