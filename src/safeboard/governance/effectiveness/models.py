"""Board business, effectiveness: the yearly board self-assessment (answered through a ``core``
questionnaire) and the chair's annual review by the statutory partners. Django finds these through
``governance/models.py`` (app label ``governance``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from safeboard.core.fields import PARAGRAPHS, BoundedTextField
from safeboard.core.models import AuditedModel, Partnership
from safeboard.core.querysets import ScopedQuerySet
from safeboard.core.questionnaires.models import QuestionnaireVersion
from safeboard.governance.arrangements.models import StatutoryPartnersReadQuerySet

User = settings.AUTH_USER_MODEL


class SelfAssessment(AuditedModel):
    """One business year's board self-assessment: the questionnaire version members answer, and the
    date to answer by. Answers are ``QuestionnaireResponse``s about it (one per member)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    business_year = models.PositiveSmallIntegerField()
    questionnaire_version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="+")
    answer_by = models.DateField("Answer by")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-business_year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "business_year"], name="one_self_assessment_per_year")
        ]

    def __str__(self) -> str:
        return f"Board self-assessment {self.business_year} to {self.business_year + 1}"

    def get_absolute_url(self) -> str:
        return reverse("governance:selfassessment-detail", args=[self.pk])


class ChairReviewQuerySet(StatutoryPartnersReadQuerySet["ChairReview"]):
    """A chair's review is read by the business unit (its grants), by the chair reviewed (OWN) and by
    the partnership's statutory partners, who carry it out and sign it off."""

    owner_field = "chair"


class ChairReview(AuditedModel):
    """The statutory partners' yearly review of the independent chair: strengths, what to develop, and
    the objectives for the year ahead, signed off by the three statutory partners."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    business_year = models.PositiveSmallIntegerField()
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="Chair reviewed")
    reviewed_on = models.DateField("Date of the review")
    strengths = BoundedTextField(max_length=PARAGRAPHS)
    areas_to_develop = BoundedTextField("Areas to develop", max_length=PARAGRAPHS)
    objectives = BoundedTextField("Objectives for the next year", max_length=PARAGRAPHS)

    holds_personal_data = True  # an appraisal of a named person
    objects = ChairReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-business_year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "business_year"], name="one_chair_review_per_year")
        ]

    def __str__(self) -> str:
        return f"Chair's annual review {self.business_year} to {self.business_year + 1}"

    def get_absolute_url(self) -> str:
        return reverse("governance:chairreview-detail", args=[self.pk])
