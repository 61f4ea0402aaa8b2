"""Board business, arrangements: versioned documents with a review date, the statutory partners and
their sign-off, membership criteria per seat and every member's induction steps. Django finds these
through ``governance/models.py`` (app label ``governance``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from safeboard.core.fields import DOCUMENT, NOTE, PARAGRAPHS, BoundedTextField
from safeboard.core.links import record_url
from safeboard.core.models import AuditedModel, Partnership
from safeboard.core.querysets import ScopedQuerySet
from safeboard.governance.meetings.models import Group, GroupMember

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from safeboard.accounts.models import User as UserModel

User = settings.AUTH_USER_MODEL
_M = TypeVar("_M", bound=models.Model)


class StatutoryPosition(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    POLICE = "police", "Police"
    HEALTH = "health", "Health (integrated care board)"


class StatutoryPartner(AuditedModel):
    """The person who signs for one of the three statutory partners in a partnership: one each."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=20, choices=StatutoryPosition.choices)
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    named_on = models.DateField("Named on", default=dt.date.today)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "position"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "position"], name="one_statutory_partner_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.person}"


class StatutoryPartnersReadQuerySet(ScopedQuerySet[_M]):
    """Records the statutory partners sign off (the budget and the funding behind it, the chair's review):
    besides whoever the grants let read them, the people named as a statutory partner of the record's
    partnership read them in full, whatever their role there (a police lead signs the whole budget off,
    not only their own agency's part). Reading only: changing still follows the grants."""

    def visible_to(
        self, user: UserModel | AnonymousUser | None, action: str = "view", partnership: Partnership | None = None
    ) -> Self:
        own = super().visible_to(user, action, partnership)
        if action != "view" or user is None or not user.is_authenticated or not user.is_active:
            return own
        named = StatutoryPartner.objects.filter(
            person_id=user.pk,
            partnership__memberships__user_id=user.pk,
            partnership__memberships__is_active=True,
        )
        if partnership is not None:
            named = named.filter(partnership=partnership)
        return own | self.filter(**{f"{self.partnership_field}__in": named.values("partnership")})


def statutory_partner_in(user: Any, partnership: Partnership) -> bool:
    """Is ``user`` named as one of ``partnership``'s statutory partners?"""
    return (
        bool(user.is_authenticated)
        and StatutoryPartner.objects.filter(partnership=partnership, person_id=user.pk).exists()
    )


class DocumentKind(models.TextChoices):
    ARRANGEMENTS = "arrangements", "Published safeguarding arrangements"
    TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"


# Kinds whose versions the three statutory partners sign off before publication.
SIGNED_OFF_KINDS = frozenset({DocumentKind.ARRANGEMENTS})


class PartnershipDocument(AuditedModel):
    """A document the partnership keeps up to date: its arrangements, or a group's terms of reference."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="For terms of reference."
    )
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", help_text="Who keeps it up to date (reminded of reviews)."
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "kind"],
                condition=models.Q(group__isnull=True),
                name="one_arrangements_document_per_partnership",
            ),
            models.UniqueConstraint(fields=["group"], name="one_terms_document_per_group"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("governance:document-detail", self.pk)

    def clean(self) -> None:
        if self.kind == DocumentKind.TERMS_OF_REFERENCE and not self.group_id:
            raise ValidationError({"group": "Choose the group these terms of reference are for."})
        if self.kind != DocumentKind.TERMS_OF_REFERENCE and self.group_id:
            raise ValidationError({"group": "Only terms of reference belong to a group."})
        group = self.group if self.group_id else None
        if group is not None and self.partnership_id and group.partnership_id != self.partnership_id:
            raise ValidationError({"group": "Choose a group of this partnership."})

    @property
    def needs_sign_off(self) -> bool:
        return self.kind in SIGNED_OFF_KINDS


class VersionQuerySet(ScopedQuerySet):
    partnership_field = "document__partnership"


class DocumentVersion(AuditedModel):
    """One version of a document. A draft is changed freely; publishing freezes it (arrangements only
    once the three statutory partners have signed it off) and it then carries the date it must be
    reviewed by."""

    document = models.ForeignKey(PartnershipDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    text = BoundedTextField("The document's text", max_length=DOCUMENT)
    changes = BoundedTextField("What changed from the last version", max_length=PARAGRAPHS, blank=True)
    review_by = models.DateField("Review by")
    published_on = models.DateField(null=True, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_document_version")]

    def __str__(self) -> str:
        return f"{self.document}, version {self.number}"

    def get_absolute_url(self) -> str:
        return f"{self.document.get_absolute_url()}?version={self.number}"

    @property
    def is_draft(self) -> bool:
        return self.published_on is None


class SignOffQuerySet(ScopedQuerySet):
    def about(self, subject: models.Model) -> SignOffQuerySet:
        return self.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


class SignOff(AuditedModel):
    """A statutory partner's sign-off of one record: a version of the arrangements, a business plan,
    and later the budget and the annual report (a generic link, as declarations of interest have)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    position = models.CharField(max_length=20, choices=StatutoryPosition.choices)
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id", "position"], name="one_sign_off_per_position")
        ]

    def __str__(self) -> str:
        return f"Signed off for {self.get_position_display()} by {self.person}"


class SeatCriteriaQuerySet(ScopedQuerySet):
    partnership_field = "member__group__partnership"


class SeatCriteria(AuditedModel):
    """What a seat asks of whoever holds it: the seniority expected and any other criteria."""

    member = models.OneToOneField(GroupMember, on_delete=models.CASCADE, related_name="criteria")
    seniority = models.CharField("Seniority expected", max_length=200)
    criteria = BoundedTextField("Other criteria", max_length=NOTE, blank=True)
    met = models.BooleanField("The person holding the seat meets them", default=True)

    objects = SeatCriteriaQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "seat criteria"

    def __str__(self) -> str:
        return f"Criteria for {self.member}"


class InductionStepKind(models.TextChoices):
    WELCOME = "welcome", "Welcome letter and induction pack sent"
    MEETING = "meeting", "Introductory meeting with the chair or business manager"
    AGREEMENT = "agreement", "Partner agreement and code of conduct signed"
    INTERESTS = "interests", "Register of interests completed"
    TRAINING = "training", "Board member safeguarding briefing attended"


# Days after a seat starts by which each step is due: every member, whatever their seat.
INDUCTION_STEPS: tuple[tuple[str, int], ...] = (
    (InductionStepKind.WELCOME, 14),
    (InductionStepKind.INTERESTS, 28),
    (InductionStepKind.AGREEMENT, 42),
    (InductionStepKind.MEETING, 42),
    (InductionStepKind.TRAINING, 90),
)


class InductionStepQuerySet(ScopedQuerySet):
    partnership_field = "member__group__partnership"
    owner_field = "member__person"


class InductionStep(AuditedModel):
    """One step of a member's induction (every seat gets the same steps; a lay member's seat also
    has the lay member induction: a buddy and the six-month meeting with the chair)."""

    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="induction_steps")
    kind = models.CharField(max_length=20, choices=InductionStepKind.choices)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    objects = InductionStepQuerySet.as_manager()

    class Meta:
        ordering = ["member", "due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="one_induction_step_of_each_kind")]
        indexes = [models.Index(fields=["done_on", "due_on"], name="induction_step_open")]

    def __str__(self) -> str:
        return self.get_kind_display()

    def is_overdue(self, today: dt.date) -> bool:
        return self.done_on is None and self.due_on < today
