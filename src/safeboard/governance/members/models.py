"""Board business, members: who decided an item (leaving out those who stood aside), members' own
apologies with the deputy who will attend, and read receipts for papers. The register of interests
and declarations themselves are core's (``core/interests.py``), shared with the case review module."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, Q
from django.urls import reverse

from safeboard.core.fields import PARAGRAPHS, BoundedTextField
from safeboard.core.models import AuditedModel
from safeboard.core.querysets import ScopedQuerySet
from safeboard.governance.meetings.access import GroupBusinessQuerySet
from safeboard.governance.meetings.choices import CONFIDENTIAL_SEATS, ConfidentialReason
from safeboard.governance.meetings.models import AgendaItem, Group, Meeting

User = settings.AUTH_USER_MODEL

if TYPE_CHECKING:
    from safeboard.accounts.models import User as Person


class DecisionMeans(models.TextChoices):
    MEETING = "meeting", "At a meeting"
    CHAIRS_ACTION = "chairs_action", "Chair's action"
    EMAIL = "email", "Decision by email"


class ItemDecisionQuerySet(GroupBusinessQuerySet):
    partnership_field = "group__partnership"
    group_path = "group"
    confidential_paths = ("confidential_reason",)

    def access_filter(self, user: Any) -> Q:
        # A decision on a confidential item is as confidential as the item.
        entitled = self._core_entitled(user) | Q(
            Exists(self._seats(user).filter(member_type__in=list(CONFIDENTIAL_SEATS)))
        )
        return super().access_filter(user) & (Q(item__isnull=True) | Q(item__confidential_reason="") | entitled)


class ItemDecision(AuditedModel):
    """A decision as a record: what was decided, who leads on it and by when, and who took it.

    Taken at a meeting (``item``: who decided is those at the meeting, less anyone who declared an
    interest in the item and stood aside, recorded when the minutes are approved, so later changes to
    attendance or seats do not rewrite it), or between meetings by chair's action or by email
    (``means``, ``decided_on``, ``decided_by``), to be ratified at the group's next meeting
    (``ratified_at``)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="decisions", null=True, blank=True)
    item = models.OneToOneField(
        AgendaItem, on_delete=models.CASCADE, related_name="decision_record", null=True, blank=True
    )
    decision = BoundedTextField("What was decided", max_length=PARAGRAPHS, blank=True)
    means = models.CharField("How it was decided", max_length=20, choices=DecisionMeans.choices, default="meeting")
    decided_on = models.DateField("Decided on", null=True, blank=True)
    decided_by: models.ManyToManyField[Person, Any] = models.ManyToManyField(User, related_name="+", blank=True)
    stood_aside: models.ManyToManyField[Person, Any] = models.ManyToManyField(User, related_name="+", blank=True)
    lead = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="Lead"
    )
    due_on = models.DateField("Due by", null=True, blank=True)
    confidential_reason = models.CharField(
        "Confidential because", max_length=20, choices=ConfidentialReason.choices, blank=True
    )
    # Decisions between meetings are ratified at the group's next meeting; the approval of a closing
    # group's final minutes by chair's action has no meeting after it, so it needs none.
    needs_ratification = models.BooleanField(default=False)
    ratified_at = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="ratified_decisions"
    )
    recorded_at = models.DateTimeField()

    objects = ItemDecisionQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["group", "needs_ratification"], name="decision_to_ratify")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(item__isnull=False) | ~models.Q(means="meeting"),
                name="decision_at_meeting_has_item",
            )
        ]

    def __str__(self) -> str:
        if self.item_id:
            return f"Decision on item {self.item}"
        return f"{self.get_means_display()} on {self.decided_on:%-d %B %Y}" if self.decided_on else "Decision"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.group_id is None and self.item_id is not None:
            self.group_id = AgendaItem.objects.filter(pk=self.item_id).values_list("meeting__group_id", flat=True)[0]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("governance:decision-edit", args=[self.pk])

    @property
    def partnership_id(self) -> int:
        assert self.group is not None
        return self.group.partnership_id

    @property
    def awaiting_ratification(self) -> bool:
        return self.needs_ratification and self.ratified_at_id is None


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
