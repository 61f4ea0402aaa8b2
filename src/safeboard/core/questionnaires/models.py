"""Questionnaires, their versions and the responses given to them.

A ``Questionnaire`` belongs to one partnership, or to the whole platform (``partnership`` empty: loaded
from a file by whoever runs the install, read by every partnership, changed by none of them). Its
``QuestionnaireVersion``s hold the definition as JSON. A version is a draft until it is published; a
published version, or any version with responses, is *in use* and can never be edited, only
superseded by a newer version. Each ``QuestionnaireResponse`` points at the version it was given
against, so old answers always read with their own questions.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from safeboard.core.fields import NOTE, PARAGRAPHS, BoundedTextField
from safeboard.core.models import AuditedModel, Compartment, Partnership
from safeboard.core.permissions import grants_for
from safeboard.core.querysets import ScopedQuerySet, permission_name
from safeboard.core.questionnaires.definition import Definition, Level, parse_definition

_M = TypeVar("_M", bound=models.Model)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from safeboard.accounts.models import User


class QuestionnaireError(Exception):
    """A change the rules refuse, in words to show the person."""


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


class _PlatformWideQuerySet(ScopedQuerySet[_M]):
    """Records of a partnership, plus the platform's own (no partnership) for reading only.

    A platform-wide questionnaire is shared by every partnership, so no partnership may change it for
    all the others: only ``view`` reaches it.
    """

    def visible_to(
        self, user: User | AnonymousUser | None, action: str = "view", partnership: Partnership | None = None
    ) -> Self:
        own = super().visible_to(user, action, partnership)
        if action != "view" or user is None or not user.is_authenticated or not user.is_active:
            return own
        if not grants_for(user).has_anywhere(permission_name(self.model, action)):
            return own
        return own | self.filter(**{f"{self.partnership_field}__isnull": True})

    def in_partnership(self, partnership: Partnership) -> Self:
        return self.filter(
            Q(**{self.partnership_field: partnership}) | Q(**{f"{self.partnership_field}__isnull": True})
        )


class QuestionnaireQuerySet(_PlatformWideQuerySet["Questionnaire"]):
    pass


class Questionnaire(AuditedModel):
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="questionnaires",
        null=True,
        blank=True,
        help_text="Empty for a questionnaire every partnership uses.",
    )
    key = models.SlugField(
        max_length=60, help_text="Names the questionnaire in code and files, e.g. board_self_assessment."
    )
    title = models.CharField(max_length=200)
    description = BoundedTextField(blank=True, max_length=PARAGRAPHS)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="unique_questionnaire_key_in_partnership"),
            models.UniqueConstraint(
                fields=["key"], condition=Q(partnership__isnull=True), name="unique_platform_questionnaire_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def published_version(self) -> QuestionnaireVersion | None:
        return self.versions.filter(status=VersionStatus.PUBLISHED).first()


class QuestionnaireVersionQuerySet(_PlatformWideQuerySet["QuestionnaireVersion"]):
    partnership_field = "questionnaire__partnership"


class QuestionnaireVersion(AuditedModel):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField(help_text="The questions, as docs/questionnaire.schema.json describes.")
    status = models.CharField(max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = QuestionnaireVersionQuerySet.as_manager()

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="unique_questionnaire_version_number"),
            # One published version at a time: publishing a new one supersedes the old.
            models.UniqueConstraint(
                fields=["questionnaire"],
                condition=Q(status="published"),
                name="one_published_version_per_questionnaire",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} – version {self.number}"

    @cached_property
    def parsed(self) -> Definition:
        return parse_definition(self.definition)

    @property
    def in_use(self) -> bool:
        return self.status != VersionStatus.DRAFT or (self.pk is not None and self.responses.exists())

    @property
    def partnership(self) -> Partnership | None:
        return self.questionnaire.partnership

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuses any change to the questions of a version in use; checks a draft's definition."""
        if self.pk is not None:
            stored = (
                type(self)
                ._base_manager.filter(pk=self.pk)
                .values("definition", "number", "questionnaire_id", "status")
                .first()
            )
            if stored is not None:
                changed = (stored["definition"], stored["number"], stored["questionnaire_id"]) != (
                    self.definition,
                    self.number,
                    self.questionnaire_id,
                )
                if changed and (stored["status"] != VersionStatus.DRAFT or self.responses.exists()):
                    raise QuestionnaireError(
                        f"Version {stored['number']} is in use, so its questions cannot be changed. "
                        "Add a new version instead."
                    )
        if self.status == VersionStatus.DRAFT:
            self.__dict__.pop("parsed", None)
            self.parsed  # noqa: B018  (raises DefinitionError for a definition that cannot be used)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.in_use:
            raise QuestionnaireError(f"Version {self.number} is in use, so it cannot be deleted.")
        return super().delete(*args, **kwargs)

    def level(self, key: str) -> Level | None:
        return next((level for level in self.parsed.levels if level.key == key), None)


class QuestionnaireResponseQuerySet(ScopedQuerySet["QuestionnaireResponse"]):
    owner_field = "submitted_by"
    # A response about a sealed record is sealed with it (the subject's compartment is copied).
    compartment_field = "compartment"

    def for_subject(self, subject: models.Model) -> Self:
        return self.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
        ).select_related("questionnaire_version__questionnaire")


class QuestionnaireResponse(AuditedModel):
    """One set of answers, stored with the version they were given against and the score they made."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="questionnaire_responses")
    # Not "version": that is every audited record's edit counter (see AuditedModel).
    questionnaire_version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses")
    # What the answers are about (a screening's child, a course booking, an agency's return), if anything.
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    compartment = models.ForeignKey(
        Compartment, on_delete=models.PROTECT, null=True, blank=True, related_name="questionnaire_responses"
    )
    answers = models.JSONField(default=dict)
    score = models.IntegerField(null=True, blank=True)
    section_scores = models.JSONField(default=dict, blank=True)
    level = models.CharField(max_length=60, blank=True, help_text="The level the score gives.")
    # Professional judgement may set another level than the score gives, always with a reason.
    level_override = models.CharField(max_length=60, blank=True)
    override_reason = BoundedTextField(blank=True, max_length=NOTE)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questionnaire_responses"
    )
    submitted_at = models.DateTimeField()

    holds_personal_data = True
    objects = QuestionnaireResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # A module's record page: the responses about one record.
            models.Index(fields=["subject_type", "subject_id"], name="qresponse_subject"),
            # Responses of a partnership, newest first (the API list).
            models.Index(fields=["partnership", "-submitted_at", "-id"], name="qresponse_partnership"),
        ]

    def __str__(self) -> str:
        return f"Response to {self.questionnaire_version} on {self.submitted_at.day} {self.submitted_at:%B %Y}"

    @property
    def final_level(self) -> str:
        """The level that stands: professional judgement's, when it overrode the score."""
        return self.level_override or self.level

    def _label(self, key: str) -> str:
        level = self.questionnaire_version.level(key) if key else None
        return level.label if level else key

    @property
    def score_level_label(self) -> str:
        """The label of the level the score gives ("High")."""
        return self._label(self.level)

    @property
    def final_level_label(self) -> str:
        return self._label(self.final_level)
