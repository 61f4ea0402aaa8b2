"""The register of interests, shared by every module that holds meetings or panels.

A person's **interests** (``Interest``) are kept per partnership: what the interest is, with which
organisation, since when, and when it was last reviewed. Each entry is reviewed once a year; the
daily reminder job (``core/reminders.py``) emails the person a fortnight before the review is due
and every week while it is overdue.

A **declaration** (``InterestDeclaration``) is made about one record: an agenda item, a meeting, and
later a review panel's decision or an exploitation panel's case. It points at that record through a
generic link (``subject``), the same way an action points at its source, so board business and the
case review module use one register and one rule: a person who declares an interest in a decision
stands aside from it (``stands_aside``, on by default) and is left out of those who decided
(``standing_aside(subject)``).

Declarations are read only through the record they are about: a module shows them on its own page,
whose query already applies ``visible_to`` (a declaration on a members-only group's item is read by
those who may read the item, no one else). There is no list of declarations across records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from safeboard.core.fields import NOTE, BoundedTextField
from safeboard.core.models import AuditedModel
from safeboard.core.querysets import ScopedQuerySet

REVIEW_EVERY_DAYS = 365


class InterestKind(models.TextChoices):
    EMPLOYMENT = "employment", "Employment or paid work"
    OFFICE = "office", "Directorship, trusteeship or public office"
    FINANCIAL = "financial", "Shares, contracts or other money"
    PERSONAL = "personal", "A family member or close personal relationship"
    MEMBERSHIP = "membership", "Membership of an organisation"
    GIFT = "gift", "A gift or hospitality"
    OTHER = "other", "Something else"


class InterestQuerySet(ScopedQuerySet["Interest"]):
    owner_field = "person"

    def current(self, day: dt.date) -> InterestQuerySet:
        return self.filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=day))


class Interest(AuditedModel):
    """One entry in a person's register of interests in one partnership."""

    partnership = models.ForeignKey("core.Partnership", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interests")
    kind = models.CharField(max_length=20, choices=InterestKind.choices)
    organisation = models.CharField(max_length=200, blank=True, help_text="The organisation or person involved.")
    description = BoundedTextField("What the interest is", max_length=NOTE)
    since = models.DateField("Held since")
    ended_on = models.DateField("Ended on", null=True, blank=True)
    last_reviewed_on = models.DateField("Last reviewed on")

    objects = InterestQuerySet.as_manager()
    holds_personal_data = True

    class Meta:
        ordering = ["person", "-since", "id"]
        indexes = [models.Index(fields=["partnership", "person"], name="interest_person")]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label}: {self.organisation}" if self.organisation else label

    def clean(self) -> None:
        if self.ended_on and self.since and self.ended_on < self.since:
            raise ValidationError({"ended_on": "The end date must be on or after the date it was held since."})

    @property
    def review_due_on(self) -> dt.date:
        return self.last_reviewed_on + dt.timedelta(days=REVIEW_EVERY_DAYS)

    def is_current(self, day: dt.date) -> bool:
        return self.ended_on is None or self.ended_on >= day


class DeclarationQuerySet(ScopedQuerySet["InterestDeclaration"]):
    owner_field = "person"

    def about(self, subject: models.Model) -> DeclarationQuerySet:
        return self.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)

    def about_any(self, subjects: list[Any]) -> DeclarationQuerySet:
        if not subjects:
            return self.none()
        return self.filter(
            subject_type=ContentType.objects.get_for_model(subjects[0]), subject_id__in=[s.pk for s in subjects]
        )


class InterestDeclaration(AuditedModel):
    """An interest declared in one record (an agenda item, a meeting, a panel's decision)."""

    partnership = models.ForeignKey("core.Partnership", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declarations")
    interest = models.ForeignKey(
        Interest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declarations",
        help_text="The entry in the register, when the interest is registered.",
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    description = BoundedTextField("The interest declared", max_length=NOTE)
    stands_aside = models.BooleanField(
        "Stands aside from the decision", default=True, help_text="Leaves the discussion and takes no part in it."
    )
    declared_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = DeclarationQuerySet.as_manager()
    holds_personal_data = True

    class Meta:
        ordering = ["declared_at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="declaration_subject")]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "person"], name="one_declaration_per_person_and_subject"
            )
        ]

    def __str__(self) -> str:
        return f"Declaration by {self.person}"


def standing_aside(subject: models.Model) -> set[int]:
    """The ids of the people who stood aside from ``subject`` because they declared an interest in it."""
    return set(InterestDeclaration.objects.about(subject).filter(stands_aside=True).values_list("person_id", flat=True))
