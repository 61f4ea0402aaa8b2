"""Shared set-up for the questionnaire tests: the two example definitions, loaded and published."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from safeboard.core.models import Partnership
from safeboard.core.questionnaires.models import QuestionnaireVersion
from safeboard.core.questionnaires.services import add_version, create_questionnaire, publish

EXAMPLES = Path(__file__).resolve().parents[2] / "src/safeboard/core/questionnaires/examples"


def example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def published(
    name: str, partnership: Partnership | None, definition: dict[str, Any] | None = None
) -> QuestionnaireVersion:
    data = copy.deepcopy(definition or example(name))
    questionnaire = create_questionnaire(key=data["key"], title=data["title"], partnership=partnership)
    return publish(add_version(questionnaire, data))


# Answers to the screening example that score 3 + 3 + 4 + 2 (signs) + 2 (worry) = 14: high.
SCREENING_ANSWERS = {
    "concern_date": "2026-11-02",
    "raised_by": "school",
    "missing": "yes",
    "missing_episodes": "4",
    "latest_episode": {"day": "20", "month": "11", "year": "2026"},
    "money_or_goods": "no",
    "older_contacts": "yes",
    "places": ["carrying"],
    "education": "excluded",
    "worry": "4",
    "summary": "Seen twice at an address the police know.",
}

EVALUATION_ANSWERS = {
    "attended_on": {"day": "3", "month": "11", "year": "2026"},
    "usefulness": "5",
    "years_with_children": "12",
    "changes": ["listen", "record"],
    "recommend": "yes",
}


def as_posted(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers as the web form posts them: dates in the three boxes ``<key>-day``, ``-month``, ``-year``."""
    posted: dict[str, Any] = {}
    for key, value in answers.items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            year, month, day = value.split("-")
            value = {"day": day, "month": month, "year": year}
        if isinstance(value, dict):
            posted.update({f"{key}-{part}": value[part] for part in ("day", "month", "year")})
        else:
            posted[key] = value
    return posted
