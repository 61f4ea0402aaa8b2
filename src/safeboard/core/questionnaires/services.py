"""Every change to questionnaires goes through here: lock the row, check the state, change, record.

Web pages, the API, management commands and modules all call these functions, so the rules (a version
in use is never edited; answers are checked by ``validate_answers``) hold whichever way a change comes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from safeboard.core.concurrency import bump_version
from safeboard.core.models import Partnership
from safeboard.core.questionnaires.answers import score_answers, validate_answers
from safeboard.core.questionnaires.definition import parse_definition, read_definition_file
from safeboard.core.questionnaires.models import (
    Questionnaire,
    QuestionnaireError,
    QuestionnaireResponse,
    QuestionnaireVersion,
    VersionStatus,
)

if TYPE_CHECKING:
    from safeboard.accounts.models import User


class AnswersInvalid(QuestionnaireError):
    """The answers do not pass ``validate_answers``; ``errors`` maps question keys to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("Some answers need correcting: " + "; ".join(errors.values()))


def create_questionnaire(
    *, key: str, title: str, partnership: Partnership | None = None, description: str = ""
) -> Questionnaire:
    if Questionnaire.objects.filter(partnership=partnership, key=key).exists():
        raise QuestionnaireError(f"There is already a questionnaire called ‘{key}’ here.")
    return Questionnaire.objects.create(partnership=partnership, key=key, title=title, description=description)


def add_version(questionnaire: Questionnaire, definition: dict[str, Any]) -> QuestionnaireVersion:
    """A new draft version, numbered after the last one. The definition must be usable."""
    parsed = parse_definition(definition)
    if parsed.key != questionnaire.key:
        raise QuestionnaireError(
            f"The definition is for ‘{parsed.key}’, not for this questionnaire (‘{questionnaire.key}’)."
        )
    with transaction.atomic():
        Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        last = questionnaire.versions.aggregate(last=Max("number"))["last"] or 0
        return QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=last + 1, definition=definition)


def update_draft(version: QuestionnaireVersion, definition: dict[str, Any]) -> QuestionnaireVersion:
    """Change a draft's questions. A version in use refuses (see ``QuestionnaireVersion.save``)."""
    parse_definition(definition)
    with transaction.atomic():
        locked = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
        if locked.in_use:
            raise QuestionnaireError(
                f"Version {locked.number} is in use, so its questions cannot be changed. Add a new version instead."
            )
        locked.definition = definition
        bump_version(locked)
        locked.save()
        return locked


def publish(version: QuestionnaireVersion, *, by: User | None = None) -> QuestionnaireVersion:
    """Publish a draft; the version published before it is superseded (its answers stay readable)."""
    with transaction.atomic():
        Questionnaire.objects.select_for_update().get(pk=version.questionnaire_id)
        locked = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != VersionStatus.DRAFT:
            raise QuestionnaireError(f"Version {locked.number} is already {locked.get_status_display().lower()}.")
        for old in QuestionnaireVersion.objects.select_for_update().filter(
            questionnaire_id=locked.questionnaire_id, status=VersionStatus.PUBLISHED
        ):
            old.status = VersionStatus.SUPERSEDED
            bump_version(old)
            old.save()
        locked.status = VersionStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = by
        bump_version(locked)
        locked.save()
        return locked


def submit_response(
    version: QuestionnaireVersion,
    *,
    partnership: Partnership,
    data: dict[str, Any],
    submitted_by: User,
    subject: models.Model | None = None,
) -> QuestionnaireResponse:
    """Check the answers with ``validate_answers``, score them and store them with their version.

    Answers may be given to the published version, or to one superseded since the form was opened
    (they are stored with the version they answered), never to a draft. A response about a sealed
    record (one with a ``compartment``) is sealed in the same compartment. Raises ``AnswersInvalid``
    with one message per question when the answers need correcting.
    """
    with transaction.atomic():
        locked = QuestionnaireVersion.objects.select_related("questionnaire").get(pk=version.pk)
        if locked.status == VersionStatus.DRAFT:
            raise QuestionnaireError("This version is still a draft; answers can only be given once it is published.")
        owner = locked.questionnaire.partnership_id
        if owner is not None and owner != partnership.pk:
            raise QuestionnaireError("This questionnaire belongs to another partnership.")
        cleaned, errors = validate_answers(locked, data)
        if errors:
            raise AnswersInvalid(errors)
        score = score_answers(locked, cleaned)
        response = QuestionnaireResponse(
            partnership=partnership,
            questionnaire_version=locked,
            answers=cleaned,
            score=score.total,
            section_scores=score.sections if score.total is not None else {},
            level=score.level.key if score.level else "",
            submitted_by=submitted_by,
            submitted_at=timezone.now(),
        )
        if subject is not None:
            response.subject_type = ContentType.objects.get_for_model(subject)
            response.subject_id = str(subject.pk)
            response.compartment_id = getattr(subject, "compartment_id", None)
        response.save()
        return response


def override_level(response: QuestionnaireResponse, *, level: str, reason: str, by: User) -> QuestionnaireResponse:
    """Professional judgement sets the level, with a reason; the score's own level is kept beside it."""
    reason = reason.strip()
    if not reason:
        raise QuestionnaireError("Give the reason for setting a different level from the score.")
    with transaction.atomic():
        locked = (
            QuestionnaireResponse.objects.select_for_update()
            .select_related("questionnaire_version")
            .get(pk=response.pk)
        )
        if locked.questionnaire_version.level(level) is None:
            raise QuestionnaireError("Choose one of the questionnaire's levels.")
        locked.level_override = "" if level == locked.level else level
        locked.override_reason = reason
        locked.overridden_by = by
        locked.overridden_at = timezone.now()
        bump_version(locked)
        locked.save()
        return locked


def import_questionnaire(
    path: Path | str, *, partnership: Partnership | None = None, publish_it: bool = False, by: User | None = None
) -> tuple[QuestionnaireVersion, bool]:
    """Load a definition file: the questionnaire (made if new) gets a new draft version, unless its
    latest version already holds exactly this definition. Returns the version and whether it is new.
    """
    data = read_definition_file(path)
    parsed = parse_definition(data)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.filter(partnership=partnership, key=parsed.key).first()
        if questionnaire is None:
            questionnaire = create_questionnaire(
                key=parsed.key, title=parsed.title, partnership=partnership, description=parsed.description
            )
        latest = questionnaire.versions.order_by("-number").first()
        if latest is not None and latest.definition == data:
            created = False
            version = latest
        else:
            version = add_version(questionnaire, data)
            created = True
        if publish_it and version.status == VersionStatus.DRAFT:
            version = publish(version, by=by)
        return version, created
