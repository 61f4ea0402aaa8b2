"""Questionnaire definitions: read from files, checked against the published JSON Schema and against the
rules a schema cannot say (keys unique, conditions pointing back to earlier questions, points on
answers that exist), and turned into plain objects the renderer and the validator share.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SCHEMA_FILE = Path(__file__).resolve().parent / "schema.json"

YES_NO = "yes_no"
SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
RATING = "rating"
NUMBER = "number"
DATE = "date"
SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
CHOICE_TYPES = frozenset({YES_NO, SINGLE_CHOICE, MULTIPLE_CHOICE, RATING})
TEXT_LIMITS = {SHORT_TEXT: 200, LONG_TEXT: 5000}


class DefinitionError(ValueError):
    """A definition that cannot be used, with every problem found, each in plain English."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str = ""
    points: int | None = None


@dataclass(frozen=True)
class Condition:
    question: str
    values: tuple[str | int, ...]

    def met(self, answers: dict[str, Any]) -> bool:
        answer = answers.get(self.question)
        if answer is None:
            return False
        if isinstance(answer, list):
            return any(value in self.values for value in answer)
        return answer in self.values


@dataclass(frozen=True)
class Question:
    key: str
    type: str
    label: str
    hint: str = ""
    required: bool = True
    error_message: str = ""
    error_name: str = ""
    options: tuple[Option, ...] = ()
    points: dict[str, int] = field(default_factory=dict)
    show_if: Condition | None = None
    scale_min: int = 1
    scale_max: int = 5
    min_label: str = ""
    max_label: str = ""
    minimum: float | None = None
    maximum: float | None = None
    whole_number: bool = True
    suffix: str = ""
    past_only: bool = False
    future_only: bool = False
    max_length: int = 0

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(value, label) for the choice types, in order; the value as it is sent in a form."""
        if self.type == YES_NO:
            return [("yes", "Yes"), ("no", "No")]
        if self.type == RATING:
            labels = {self.scale_min: self.min_label, self.scale_max: self.max_label}
            return [
                (str(n), f"{n} – {labels[n]}" if labels.get(n) else str(n))
                for n in range(self.scale_min, self.scale_max + 1)
            ]
        return [(o.value, o.label) for o in self.options]

    def points_for(self, answer: Any) -> int | None:
        """Points this answer earns, or None when the question is not scored."""
        if self.type in (SINGLE_CHOICE, MULTIPLE_CHOICE):
            if all(o.points is None for o in self.options):
                return None
            chosen = answer if isinstance(answer, list) else [answer]
            return sum(o.points or 0 for o in self.options if o.value in chosen)
        if self.type in (YES_NO, RATING) and self.points:
            return self.points.get(str(answer), 0)
        return None

    @property
    def scored(self) -> bool:
        if self.type in (SINGLE_CHOICE, MULTIPLE_CHOICE):
            return any(o.points is not None for o in self.options)
        return bool(self.points)


@dataclass(frozen=True)
class Level:
    key: str
    label: str
    minimum: int
    description: str = ""


def level_for(levels: tuple[Level, ...], total: int) -> Level | None:
    """The highest level whose minimum the total reaches."""
    reached = [level for level in levels if total >= level.minimum]
    return reached[-1] if reached else None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    description: str
    questions: tuple[Question, ...]
    levels: tuple[Level, ...] = ()


@dataclass(frozen=True)
class Definition:
    key: str
    title: str
    description: str
    sections: tuple[Section, ...]
    levels: tuple[Level, ...] = ()
    scored: bool = False

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def _where(path: Any) -> str:
    parts = [str(p) for p in path]
    return "/".join(parts) if parts else "the top level"


def read_definition_file(path: Path | str) -> dict[str, Any]:
    """Read a definition from a JSON or YAML file (not yet checked)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DefinitionError([f"Cannot read {path}: {error.strerror or error}."]) from None
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise DefinitionError([f"{path.name} cannot be read as {path.suffix.lstrip('.').upper()}: {error}"]) from None
    if not isinstance(data, dict):
        raise DefinitionError([f"{path.name} must hold one questionnaire (an object), not a list or a value."])
    return data


def parse_definition(data: Any) -> Definition:
    """Check ``data`` against the schema and the rules beyond it; return the parsed definition.

    Raises ``DefinitionError`` listing every problem found.
    """
    validator = jsonschema.Draft202012Validator(schema())
    problems = [
        f"{_where(error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    ]
    if problems:
        raise DefinitionError(problems)
    return _build(data)


def _levels(raw: list[dict[str, Any]] | None, where: str, problems: list[str]) -> tuple[Level, ...]:
    levels = tuple(Level(r["key"], r["label"], r["min"], r.get("description", "")) for r in raw or [])
    minimums = [level.minimum for level in levels]
    if minimums != sorted(set(minimums)):
        problems.append(f"{where}: levels must go from the lowest minimum to the highest, each different.")
    if len({level.key for level in levels}) != len(levels):
        problems.append(f"{where}: two levels have the same key.")
    return levels


def _build(data: dict[str, Any]) -> Definition:
    problems: list[str] = []
    seen: dict[str, Question] = {}
    section_keys: set[str] = set()
    sections = []
    scored = "scoring" in data
    for s_raw in data["sections"]:
        where = f"section {s_raw['key']}"
        if s_raw["key"] in section_keys:
            problems.append(f"{where}: another section has the same key.")
        section_keys.add(s_raw["key"])
        questions = []
        for q_raw in s_raw["questions"]:
            question = _question(q_raw, seen, problems)
            if question.scored and not scored:
                problems.append(f"question {question.key}: it gives points, but the questionnaire has no 'scoring'.")
            seen[question.key] = question
            questions.append(question)
        levels = _levels(s_raw.get("levels"), where, problems)
        if levels and not scored:
            problems.append(f"{where}: it has levels, but the questionnaire has no 'scoring'.")
        sections.append(Section(s_raw["key"], s_raw["title"], s_raw.get("description", ""), tuple(questions), levels))
    levels = _levels(data.get("scoring", {}).get("levels"), "scoring", problems)
    if scored and not any(q.scored for q in seen.values()):
        problems.append("scoring: no question gives any points.")
    if problems:
        raise DefinitionError(problems)
    return Definition(data["key"], data["title"], data.get("description", ""), tuple(sections), levels, scored)


def _question(raw: dict[str, Any], earlier: dict[str, Question], problems: list[str]) -> Question:
    key, kind = raw["key"], raw["type"]
    where = f"question {key}"
    if key in earlier:
        problems.append(f"{where}: another question has the same key.")
    options = tuple(Option(o["value"], o["label"], o.get("hint", ""), o.get("points")) for o in raw.get("options", []))
    if len({o.value for o in options}) != len(options):
        problems.append(f"{where}: two options have the same value.")
    scale = raw.get("scale", {})
    question = Question(
        key=key,
        type=kind,
        label=raw["label"],
        hint=raw.get("hint", ""),
        required=raw.get("required", True),
        error_message=raw.get("error_message", ""),
        error_name=raw.get("error_name", ""),
        options=options,
        points={str(k): v for k, v in raw.get("points", {}).items()},
        scale_min=scale.get("min", 1),
        scale_max=scale.get("max", 5),
        min_label=scale.get("min_label", ""),
        max_label=scale.get("max_label", ""),
        minimum=raw.get("min"),
        maximum=raw.get("max"),
        whole_number=raw.get("whole_number", True),
        suffix=raw.get("suffix", ""),
        past_only=raw.get("past_only", False),
        future_only=raw.get("future_only", False),
        max_length=raw.get("max_length", TEXT_LIMITS.get(kind, 0)),
    )
    if kind == RATING and question.scale_min >= question.scale_max:
        problems.append(f"{where}: the scale's min must be below its max.")
    if kind == RATING:
        outside = [k for k in question.points if not question.scale_min <= int(k) <= question.scale_max]
        if outside:
            problems.append(f"{where}: points for ratings outside the scale: {', '.join(outside)}.")
    if kind == NUMBER and question.minimum is not None and question.maximum is not None:
        if question.minimum > question.maximum:
            problems.append(f"{where}: min is above max.")
    if kind == DATE and question.past_only and question.future_only:
        problems.append(f"{where}: a date cannot be both past only and future only.")
    if "show_if" in raw:
        condition = raw["show_if"]
        target = earlier.get(condition["question"])
        values = tuple(condition["any_of"]) if "any_of" in condition else (condition["equals"],)
        if target is None:
            problems.append(
                f"{where}: show_if names {condition['question']!r}, which is not a question asked before this one."
            )
        elif target.type not in CHOICE_TYPES:
            problems.append(f"{where}: show_if can only depend on a yes/no, choice or rating question.")
        else:
            allowed = {value for value, _ in target.choices}
            wrong = [str(v) for v in values if str(v) not in allowed]
            if wrong:
                problems.append(f"{where}: show_if uses answers {target.key} does not have: {', '.join(wrong)}.")
            else:
                # Compare with cleaned answers: ratings are numbers, everything else text.
                values = tuple(int(v) if target.type == RATING else str(v) for v in values)
        question = replace(question, show_if=Condition(condition["question"], values))
    return question
