"""Definitions: the schema, the rules beyond it, and the validator every channel uses."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
import time_machine

from safeboard.core.questionnaires.answers import display_answers, score_answers, validate_answers
from safeboard.core.questionnaires.definition import SCHEMA_FILE, DefinitionError, parse_definition
from tests.core.questionnaire_helpers import EVALUATION_ANSWERS, SCREENING_ANSWERS, example

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_published_schema_in_docs_is_the_one_the_code_uses():
    assert json.loads((DOCS / "questionnaire.schema.json").read_text()) == json.loads(SCHEMA_FILE.read_text()), (
        "docs/questionnaire.schema.json is stale: copy src/safeboard/core/questionnaires/schema.json over it"
    )


def test_both_examples_are_valid_and_one_is_scored():
    screening = parse_definition(example("exploitation-screening"))
    evaluation = parse_definition(example("training-evaluation"))
    assert screening.scored and [level.key for level in screening.levels] == ["low", "medium", "high"]
    assert not evaluation.scored
    kinds = {q.type for d in (screening, evaluation) for q in d.questions}
    assert kinds == {
        "yes_no",
        "single_choice",
        "multiple_choice",
        "rating",
        "number",
        "date",
        "short_text",
        "long_text",
    }


def broken(change) -> list[str]:  # type: ignore[no-untyped-def]
    data = copy.deepcopy(example("exploitation-screening"))
    change(data)
    with pytest.raises(DefinitionError) as raised:
        parse_definition(data)
    return raised.value.problems


def signs(data):  # type: ignore[no-untyped-def]
    return data["sections"][1]["questions"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: signs(d)[0].update(type="yes_or_no"), "sections/1/questions/0"),
        (lambda d: signs(d)[0].update(options=[]), "Unevaluated properties are not allowed ('options'"),
        (lambda d: signs(d)[0].pop("label"), "'label' is a required property"),
        (lambda d: signs(d)[1].update(key="missing"), "question missing: another question has the same key."),
        (
            lambda d: signs(d)[1]["show_if"].update(question="worry"),
            "show_if names 'worry', which is not a question asked before this one.",
        ),
        (
            lambda d: signs(d)[1]["show_if"].update(equals="maybe"),
            "show_if uses answers missing does not have: maybe.",
        ),
        (
            lambda d: signs(d)[1]["show_if"].update(question="missing_episodes"),
            "show_if names 'missing_episodes', which is not a question asked before this one.",
        ),
        (lambda d: d.pop("scoring"), "it gives points, but the questionnaire has no 'scoring'."),
        (
            lambda d: d["scoring"]["levels"].reverse(),
            "levels must go from the lowest minimum to the highest, each different.",
        ),
        (
            lambda d: signs(d)[6]["options"].append({"value": "good", "label": "Again"}),
            "two options have the same value.",
        ),
        (
            lambda d: d["sections"][2]["questions"][0]["points"].update({"9": 1}),
            "points for ratings outside the scale: 9.",
        ),
        (lambda d: d.update(key="Not A Key"), "key: 'Not A Key' does not match"),
    ],
)
def test_a_broken_definition_names_each_problem(change, expected):
    problems = broken(change)
    assert any(expected in problem for problem in problems), problems


# --- validate_answers ------------------------------------------------------------------------------------


@pytest.fixture
def screening():
    return parse_definition(example("exploitation-screening"))


@pytest.fixture
def evaluation():
    return parse_definition(example("training-evaluation"))


@time_machine.travel(dt.date(2026, 11, 30), tick=False)
def test_good_answers_come_out_in_one_stored_form(screening):
    cleaned, errors = validate_answers(screening, SCREENING_ANSWERS)
    assert errors == {}
    assert cleaned == {
        "concern_date": "2026-11-02",
        "raised_by": "school",
        "missing": "yes",
        "missing_episodes": 4,
        "latest_episode": "2026-11-20",
        "money_or_goods": "no",
        "older_contacts": "yes",
        "places": ["carrying"],
        "education": "excluded",
        "worry": 4,
        "summary": "Seen twice at an address the police know.",
    }
    # The API's JSON types mean the same.
    api = {**SCREENING_ANSWERS, "missing": True, "money_or_goods": False, "missing_episodes": 4, "worry": 4}
    api["latest_episode"] = "2026-11-20"
    assert validate_answers(screening, api) == (cleaned, {})


@time_machine.travel(dt.date(2026, 11, 30), tick=False)
@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        ({"missing": ""}, "missing", "Select yes if the child has gone missing in the last three months"),
        ({"money_or_goods": "perhaps"}, "money_or_goods", "Select yes or no"),
        ({"raised_by": None}, "raised_by", "Select an answer"),
        ({"raised_by": "neighbour"}, "raised_by", "Select one of the answers listed"),
        ({"places": ["carrying", "moon"]}, "places", "Select only the answers listed"),
        ({"worry": "7"}, "worry", "Select a rating on the scale of 1 to 5"),
        ({"missing_episodes": "four"}, "missing_episodes", "Enter a number"),
        ({"missing_episodes": "2.5"}, "missing_episodes", "The number of times must be a whole number"),
        ({"missing_episodes": "0"}, "missing_episodes", "The number of times must be between 1 and 200"),
        ({"missing_episodes": ""}, "missing_episodes", "Enter a number"),
        (
            {"latest_episode": {"day": "20", "month": "", "year": "2026"}},
            "latest_episode",
            "The date the child last went missing must include a month",
        ),
        (
            {"latest_episode": {"day": "", "month": "", "year": "2026"}},
            "latest_episode",
            "The date the child last went missing must include a day and month",
        ),
        (
            {"latest_episode": {"day": "30", "month": "2", "year": "2026"}},
            "latest_episode",
            "The date the child last went missing must be a real date",
        ),
        ({"latest_episode": {"day": "3", "month": "2", "year": "26"}}, "latest_episode", "Year must include 4 numbers"),
        (
            {"latest_episode": {"day": "3", "month": "12", "year": "2026"}},
            "latest_episode",
            "The date the child last went missing must be today or in the past",
        ),
        ({"concern_date": "2026-02-30"}, "concern_date", "The date the concern was raised must be a real date"),
        (
            {"concern_date": "3/2/2026"},
            "concern_date",
            "The date the concern was raised must be a real date, written as YYYY-MM-DD",
        ),
        ({"concern_date": ""}, "concern_date", "Enter a date"),
        ({"summary": "x" * 3001}, "summary", "Answer must be 3,000 characters or fewer"),
        ({"summary": "   "}, "summary", "Enter an answer"),
        ({"shoe_size": "9"}, "shoe_size", "There is no question ‘shoe_size’ in this version of the questionnaire"),
    ],
)
def test_each_wrong_answer_gets_its_own_message(screening, changes, key, message):
    cleaned, errors = validate_answers(screening, {**SCREENING_ANSWERS, **changes})
    assert errors == {key: message}
    assert key not in cleaned


def test_a_question_that_does_not_apply_is_not_required_and_its_answer_is_dropped(screening):
    answers = {**SCREENING_ANSWERS, "missing": "no"}  # the episode questions no longer apply
    cleaned, errors = validate_answers(screening, answers)
    assert errors == {}
    assert "missing_episodes" not in cleaned and "latest_episode" not in cleaned
    without = {k: v for k, v in SCREENING_ANSWERS.items() if k not in ("missing_episodes",)}
    assert validate_answers(screening, without)[1] == {"missing_episodes": "Enter a number"}


def test_optional_questions_may_be_left_out(evaluation):
    cleaned, errors = validate_answers(evaluation, EVALUATION_ANSWERS)
    assert errors == {} and "job_title" not in cleaned and "why_not" not in cleaned
    cleaned, errors = validate_answers(evaluation, {**EVALUATION_ANSWERS, "recommend": "no"})
    assert errors == {"why_not": "Enter an answer"}


def test_answers_that_are_not_an_object_are_refused(screening):
    assert validate_answers(screening, ["yes"]) == (
        {},
        {"__all__": "Send the answers as an object, with one entry per question key"},
    )


@time_machine.travel(dt.date(2026, 11, 30), tick=False)
def test_scores_by_section_with_levels(screening, evaluation):
    cleaned, _ = validate_answers(screening, SCREENING_ANSWERS)
    score = score_answers(screening, cleaned)
    assert score.sections == {"about": 0, "signs": 12, "view": 2}
    assert (score.total, score.level.key) == (14, "high")
    low, _ = validate_answers(
        screening, {**SCREENING_ANSWERS, "missing": "no", "older_contacts": "no", "places": [], "worry": "1"}
    )
    assert (score_answers(screening, low).total, score_answers(screening, low).level.key) == (2, "low")
    assert score_answers(evaluation, validate_answers(evaluation, EVALUATION_ANSWERS)[0]).total is None


@time_machine.travel(dt.date(2026, 11, 30), tick=False)
def test_answers_read_in_plain_words(screening):
    cleaned, _ = validate_answers(screening, SCREENING_ANSWERS)
    sections = display_answers(screening, cleaned, score_answers(screening, cleaned))
    lines = {line.question.key: line.text for section in sections for line in section.lines}
    assert lines["concern_date"] == "2 November 2026"
    assert lines["missing"] == "Yes"
    assert lines["missing_episodes"] == "4 times"
    assert lines["places"] == "Carrying drugs, weapons or large amounts of cash"
    assert lines["worry"] == "4"
    assert lines["raised_by"] == "School or college"
    assert [s.points for s in sections] == [0, 12, 2]


def test_the_example_in_the_guide_is_a_valid_definition():
    import re

    guide = (DOCS / "questionnaires.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)```", guide, re.S).group(1)
    definition = parse_definition(json.loads(block))
    assert definition.scored and definition.sections[0].levels
