"""State changes for the board self-assessment and the chair's annual review.

Lock, check, change; a refusal is a ``ServiceError``. The self-assessment's questions and answers go
through ``core.questionnaires`` (one questionnaire engine): a partnership's own published
``board_self_assessment`` questionnaire if it has one, otherwise the default shipped here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeboard.core.models import Partnership
from safeboard.core.questionnaires.models import (
    Questionnaire,
    QuestionnaireError,
    QuestionnaireResponse,
    QuestionnaireVersion,
    VersionStatus,
)
from safeboard.core.questionnaires.services import AnswersInvalid, import_questionnaire, submit_response
from safeboard.core.services import ServiceError
from safeboard.governance.effectiveness.models import SelfAssessment

QUESTIONNAIRE_KEY = "board_self_assessment"
DEFAULT_DEFINITION = Path(__file__).parent / "questionnaires" / "board-self-assessment.json"


def self_assessment_version(partnership: Partnership) -> QuestionnaireVersion:
    """The version this year's self-assessment is answered against: the partnership's own published
    ``board_self_assessment``, else the platform's (loaded from the default definition when missing)."""
    for owner in (partnership, None):
        questionnaire = Questionnaire.objects.filter(partnership=owner, key=QUESTIONNAIRE_KEY).first()
        if questionnaire is not None:
            published = questionnaire.versions.filter(status=VersionStatus.PUBLISHED).first()
            if published is not None:
                return published
    version, _ = import_questionnaire(DEFAULT_DEFINITION, partnership=None, publish_it=True)
    return version


def start_self_assessment(*, partnership: Partnership, business_year: int, answer_by: dt.date) -> SelfAssessment:
    """This year's self-assessment, once a year, answered by a date still to come."""
    if answer_by < timezone.localdate():
        raise ServiceError("The date to answer by must be today or in the future.", field="answer_by")
    with transaction.atomic():
        Partnership.objects.select_for_update().filter(pk=partnership.pk).exists()
        if SelfAssessment.objects.filter(partnership=partnership, business_year=business_year).exists():
            raise ServiceError("There is already a self-assessment for this business year.", field="business_year")
        return SelfAssessment.objects.create(
            partnership=partnership,
            business_year=business_year,
            questionnaire_version=self_assessment_version(partnership),
            answer_by=answer_by,
        )


def has_answered(assessment: SelfAssessment, person: Any) -> bool:
    return QuestionnaireResponse.objects.for_subject(assessment).filter(submitted_by_id=person.pk).exists()


def answer_self_assessment(assessment: SelfAssessment, person: Any, answers: dict[str, Any]) -> QuestionnaireResponse:
    """``person`` answers the self-assessment: once, by the date to answer by."""
    with transaction.atomic():
        locked = (
            SelfAssessment.objects.select_for_update().select_related("questionnaire_version").get(pk=assessment.pk)
        )
        if locked.answer_by < timezone.localdate():
            raise ServiceError("This self-assessment has closed: the date to answer by has passed.")
        if has_answered(locked, person):
            raise ServiceError("You have already answered this self-assessment.")
        try:
            return submit_response(
                locked.questionnaire_version,
                partnership=locked.partnership,
                data=answers,
                submitted_by=person,
                subject=locked,
            )
        except AnswersInvalid:
            raise
        except QuestionnaireError as refusal:
            raise ServiceError(str(refusal)) from refusal
