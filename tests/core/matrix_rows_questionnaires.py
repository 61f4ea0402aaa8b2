"""Permission matrix rows for questionnaires (see tests/matrix.py for the format).

The records: Alpha's screening questionnaire with a published and a draft version, a response given
by practitioner A, and a note of practitioner A for the test module's pages. No persona holds the test
module's grants, so its pages are 404 for everyone signed in (tests/core/test_questionnaires.py gives
the grants and checks 200 and 403).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safeboard.core.questionnaires.services import add_version, submit_response
from tests.core.questionnaire_helpers import SCREENING_ANSWERS, example, published
from tests.matrix import API_NO_POST, NO_POST, POST_ONLY, Row, none, pk
from tests.sealedapp.models import Note

Kwargs = Callable[[Any], dict[str, Any]]


def _note_and_version(w: Any) -> dict[str, Any]:
    return {"pk": w.extras["note"].pk, "version_pk": w.extras["screening"].pk}


#                                anon prA  prB  lead adm  oth  scr  sys
MANAGERS = "302 403 403 403 200 200 403 403"
MANAGE_ALPHA = "302 403 403 403 200 404 403 403"
# Practitioner A gave the response; Alpha's administrator sees the partnership's responses.
RESPONSE = "302 200 404 404 200 404 404 404"
API_LIST = "401 200 200 200 200 200 200 200"
API_ALPHA = "401 200 200 200 200 404 200 404"
TEST_MODULE = "302 404 404 404 404 404 404 404"


def TITLE(w: Any) -> str:  # noqa: N802  (used like the row constants)
    """Pages about the screening questionnaire show its title."""
    return str(w.extras["screening"].questionnaire.title)


ROWS: dict[str, Row] = {
    "core:questionnaire-list": Row(none, MANAGERS, "302 403 403 403 405 405 403 403"),
    "core:questionnaire-detail": Row(
        lambda w: {"pk": w.extras["screening"].questionnaire_id},
        MANAGE_ALPHA,
        "302 403 403 403 405 405 403 403",
        shows=TITLE,
    ),
    "core:questionnaire-version-preview": Row(
        pk("draft"), MANAGE_ALPHA, MANAGE_ALPHA, shows=lambda w: "Screening, shorter"
    ),
    "core:questionnaire-version-publish": Row(pk("draft"), POST_ONLY, "302 403 403 403 302 404 403 404"),
    "core:questionnaire-response-detail": Row(pk("response"), RESPONSE, NO_POST, shows=TITLE),
    "api:questionnaire-list": Row(none, API_LIST, API_NO_POST),
    "api:questionnaire-detail": Row(
        lambda w: {"pk": w.extras["screening"].questionnaire_id},
        API_ALPHA,
        API_NO_POST,
        shows=TITLE,
    ),
    "api:questionnaireversion-list": Row(none, API_LIST, API_NO_POST),
    "api:questionnaireversion-detail": Row(pk("screening"), API_ALPHA, API_NO_POST, shows=TITLE),
    # Checking answers is a POST; a GET is not allowed once the caller can see the version.
    "api:questionnaireversion-validate": Row(
        pk("screening"), "401 405 405 405 405 405 405 405", "401 400 400 400 400 404 400 404"
    ),
    "api:questionnaireresponse-list": Row(none, API_LIST, API_NO_POST),
    # The API's answer holds the answers given (the date of the concern).
    "api:questionnaireresponse-detail": Row(
        pk("response"), "401 200 404 404 200 404 404 404", API_NO_POST, shows=lambda w: "2026-11-02"
    ),
    "sealedapp:note-questionnaire": Row(_note_and_version, TEST_MODULE, TEST_MODULE),
    "sealedapp:note-responses-api": Row(
        lambda w: {"pk": w.extras["note"].pk}, "401 404 404 404 404 404 404 404", "401 404 404 404 404 404 404 404"
    ),
}


def build(world: Any) -> None:
    screening = published("exploitation-screening", world.alpha)
    draft = add_version(screening.questionnaire, example("exploitation-screening") | {"title": "Screening, shorter"})
    response = submit_response(
        screening, partnership=world.alpha, data=SCREENING_ANSWERS, submitted_by=world.practitioner_a
    )
    note = Note.objects.create(partnership=world.alpha, agency=world.agency_a, owner=world.practitioner_a, text="A")
    world.extras.update(screening=screening, draft=draft, response=response, note=note)
