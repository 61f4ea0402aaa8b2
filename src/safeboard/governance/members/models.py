"""Board business, members: who decided an item (leaving out those who stood aside), members' own
apologies with the deputy who will attend, and read receipts for papers. The register of interests
and declarations themselves are core's (``core/interests.py``), shared with the case review module."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from safeboard.core.fields import PARAGRAPHS, BoundedTextField
from safeboard.core.models import AuditedModel
from safeboard.core.querysets import ScopedQuerySet
from safeboard.governance.meetings.models import AgendaItem

User = settings.AUTH_USER_MODEL

if TYPE_CHECKING:
    from safeboard.accounts.models import User as Person


class ItemDecisionQuerySet(ScopedQuerySet):
    partnership_field = "item__meeting__group__partnership"


class ItemDecision(AuditedModel):
    """Who took an item's decision: those at the meeting (members present and the deputies who stood
    in), less anyone who declared an interest in the item and stood aside. Recorded when the minutes
    are approved, so later changes to attendance or seats do not rewrite it."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="decision_record")
    decision = BoundedTextField("What was decided", max_length=PARAGRAPHS, blank=True)
    decided_by: models.ManyToManyField[Person, Any] = models.ManyToManyField(User, related_name="+", blank=True)
    stood_aside: models.ManyToManyField[Person, Any] = models.ManyToManyField(User, related_name="+", blank=True)
    recorded_at = models.DateTimeField()

    objects = ItemDecisionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Who decided item {self.item}"


class PaperReadQuerySet(ScopedQuerySet):
    partnership_field = "paper__item__meeting__group__partnership"
    owner_field = "person"


class PaperRead(models.Model):
    """A read receipt: the first time a person opened a paper (bookkeeping, so not audited: the
    access log already records every download)."""

    paper = models.ForeignKey("governance.Paper", on_delete=models.CASCADE, related_name="reads")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    first_opened_at = models.DateTimeField()

    objects = PaperReadQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["paper", "person"], name="one_read_receipt_per_person")]
        indexes = [models.Index(fields=["person", "paper"], name="paper_read_person")]

    def __str__(self) -> str:
        return f"{self.person} opened {self.paper}"
