"""Permission matrix rows for questionnaires (see tests/test_permission_matrix.py for the format).

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
from tests.sealedapp.models import Note

Kwargs = Callable[[Any], dict[str, Any]]


def _none(w: Any) -> dict[str, Any]:
    return {}


def _extra(name: str) -> Kwargs:
    return lambda w: {"pk": w.extras[name].pk}


def _note_and_version(w: Any) -> dict[str, Any]:
    return {"pk": w.extras["note"].pk, "version_pk": w.extras["screening"].pk}


#                                anon prA  prB  lead adm  oth  scr  sys
MANAGERS = "302 403 403 403 200 200 403 403"
MANAGE_ALPHA = "302 403 403 403 200 404 403 403"
POST_ONLY = "302 405 405 405 405 405 405 405"
# Practitioner A gave the response; Alpha's administrator sees the partnership's responses.
RESPONSE = "302 200 404 404 200 404 404 404"
API_LIST = "401 200 200 200 200 200 200 200"
API_ALPHA = "401 200 200 200 200 404 200 404"
TEST_MODULE = "302 404 404 404 404 404 404 404"

ROWS: dict[str, tuple[Kwargs, str]] = {
    "core:questionnaire-list": (_none, MANAGERS),
    "core:questionnaire-detail": (lambda w: {"pk": w.extras["screening"].questionnaire_id}, MANAGE_ALPHA),
    "core:questionnaire-version-preview": (_extra("draft"), MANAGE_ALPHA),
    "core:questionnaire-version-publish": (_extra("draft"), POST_ONLY),
    "core:questionnaire-response-detail": (_extra("response"), RESPONSE),
    "api:questionnaire-list": (_none, API_LIST),
    "api:questionnaire-detail": (lambda w: {"pk": w.extras["screening"].questionnaire_id}, API_ALPHA),
    "api:questionnaireversion-list": (_none, API_LIST),
    "api:questionnaireversion-detail": (_extra("screening"), API_ALPHA),
    # Checking answers is a POST; a GET is not allowed once the caller can see the version.
    "api:questionnaireversion-validate": (_extra("screening"), "401 405 405 405 405 405 405 405"),
    "api:questionnaireresponse-list": (_none, API_LIST),
    "api:questionnaireresponse-detail": (_extra("response"), "401 200 404 404 200 404 404 404"),
    "sealedapp:note-questionnaire": (_note_and_version, TEST_MODULE),
    "sealedapp:note-responses-api": (lambda w: {"pk": w.extras["note"].pk}, "401 404 404 404 404 404 404 404"),
}


def build(world: Any) -> None:
    screening = published("exploitation-screening", world.alpha)
    draft = add_version(screening.questionnaire, example("exploitation-screening") | {"title": "Screening, shorter"})
    response = submit_response(
        screening, partnership=world.alpha, data=SCREENING_ANSWERS, submitted_by=world.practitioner_a
    )
    note = Note.objects.create(partnership=world.alpha, agency=world.agency_a, owner=world.practitioner_a, text="A")
    world.extras.update(screening=screening, draft=draft, response=response, note=note)
