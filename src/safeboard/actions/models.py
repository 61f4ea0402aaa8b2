from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from safeboard.core.fields import NOTE, PARAGRAPHS, BoundedTextField
from safeboard.core.links import record_url
from safeboard.core.models import Agency, AuditedModel, Partnership
from safeboard.core.querysets import ScopedQuerySet
from safeboard.core.text import day_text

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from safeboard.accounts.models import User

_M = TypeVar("_M", bound=models.Model)


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_REVIEW = "awaiting_review", "Awaiting evidence review"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


LIVE_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.AWAITING_REVIEW)


class ActionPriority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class RAG(models.TextChoices):
    RED = "red", "Red (overdue)"
    AMBER = "amber", "Amber (due soon)"
    GREEN = "green", "Green (on track)"
    DONE = "done", "Finished"


class ActionQuerySet(ScopedQuerySet["Action"]):
    agency_field = "agency"
    owner_field = "owner"

    def with_rag(self, amber_days: int, today: dt.date | None = None) -> Self:
        """Annotate ``rag`` for one partnership's actions: overdue is red, due within
        ``amber_days`` is amber. Worked out in the database so lists can filter and count by it.
        """
        today = today or timezone.localdate()
        return self.annotate(
            rag=Case(
                When(~Q(status__in=LIVE_STATUSES), then=Value(RAG.DONE.value)),
                When(due_date__lt=today, then=Value(RAG.RED.value)),
                When(due_date__lte=today + dt.timedelta(days=amber_days), then=Value(RAG.AMBER.value)),
                default=Value(RAG.GREEN.value),
                output_field=models.CharField(),
            )
        )

    def for_source(self, record: models.Model) -> ActionQuerySet:
        return self.filter(source_type=ContentType.objects.get_for_model(record), source_id=str(record.pk))

    def live(self) -> ActionQuerySet:
        return self.filter(status__in=LIVE_STATUSES)


class Action(AuditedModel):
    """Something a named person must do, by a date, with evidence before it is closed."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="actions")
    reference = models.CharField(
        max_length=20, editable=False, help_text="For example A-0042, unique in the partnership."
    )
    title = models.CharField(max_length=200)
    detail = BoundedTextField(blank=True, max_length=PARAGRAPHS)
    # Where the action came from: a meeting item, a plan objective, an audit finding, a review
    # recommendation… Any record; the label keeps a readable copy should the source go.
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    source_label = models.CharField(max_length=300, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions_owned")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    due_date = models.DateField()
    priority = models.CharField(max_length=10, choices=ActionPriority.choices, default=ActionPriority.MEDIUM)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    theme = models.CharField(
        max_length=100, blank=True, help_text="Groups actions across sources, for example ‘Neglect’."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions_created")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="actions_closed"
    )
    closure_reason = BoundedTextField(blank=True, max_length=NOTE)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)

    objects = ActionQuerySet.as_manager()
    audit_ignored_fields = frozenset({"last_reminded_on"})

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="unique_action_reference"),
        ]
        indexes = [
            # The action log: a partnership's actions by due date (keyset on due_date, id).
            models.Index(fields=["partnership", "due_date", "id"], name="action_log_due"),
            # Filters by status, agency and owner within a partnership; "My actions".
            models.Index(fields=["partnership", "status", "due_date"], name="action_status_due"),
            models.Index(fields=["partnership", "agency", "due_date"], name="action_agency_due"),
            models.Index(fields=["owner", "status", "due_date"], name="action_owner_due"),
            # "Actions from this record" on every source page.
            models.Index(fields=["source_type", "source_id"], name="action_source"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return record_url("actions:action-detail", self.pk)

    @property
    def source(self) -> models.Model | None:
        source_type = self.source_type if self.source_type_id else None
        if source_type is None:
            return None
        model = source_type.model_class()
        return model._base_manager.filter(pk=self.source_id).first() if model else None

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def rag_status(self, today: dt.date | None = None) -> str:
        today = today or timezone.localdate()
        if not self.is_live:
            return RAG.DONE
        if self.due_date < today:
            return RAG.RED
        if self.due_date <= today + dt.timedelta(days=self.partnership.action_amber_days):
            return RAG.AMBER
        return RAG.GREEN


class ActionPartQuerySet(ScopedQuerySet[_M]):
    """Progress notes and evidence are seen and changed exactly as their action is.

    ``visible_to(user, "view" | "update" | "close")`` checks the action's own permissions
    (``actions.view_action``…), so there is one rule for an action and everything hanging off it.
    """

    partnership_field = "action__partnership"

    def visible_to(
        self, user: User | AnonymousUser | None, action: str = "view", partnership: Partnership | None = None
    ) -> Self:
        return self.filter(action__in=Action.objects.visible_to(user, action, partnership=partnership).values("pk"))


class ActionUpdate(AuditedModel):
    """A dated note of progress from the owner or their agency."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    written_at = models.DateTimeField(default=timezone.now)
    text = BoundedTextField("Progress", max_length=PARAGRAPHS)

    objects = ActionPartQuerySet["ActionUpdate"].as_manager()

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"Update to {self.action.reference} on {day_text(self.written_at)}"


class EvidenceReview(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Not enough: more needed"


class ActionEvidence(AuditedModel):
    """What shows the action is done: a file or a link, described. Reviewed by someone other than the owner."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    description = BoundedTextField(max_length=NOTE)
    file = models.FileField(upload_to="actions/evidence/%Y/%m/", blank=True)
    link = models.URLField(blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    review = models.CharField(max_length=10, choices=EvidenceReview.choices, default=EvidenceReview.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = BoundedTextField(blank=True, max_length=NOTE)

    objects = ActionPartQuerySet["ActionEvidence"].as_manager()
    # An evidence file may hold case details: downloads go to the access log.
    holds_personal_data = True

    class Meta:
        ordering = ["-added_at", "-id"]
        verbose_name_plural = "action evidence"

    def __str__(self) -> str:
        return f"Evidence for {self.action.reference}"

    @property
    def partnership_id(self) -> int:
        # For the audit trail's partnership column.
        return self.action.partnership_id

    @property
    def file_name(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1] if self.file else ""


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    DIGEST = "digest", "Weekly digest"


class ReminderSent(models.Model):
    """One reminder email sent on one day: the daily job never sends the same one twice.

    Bookkeeping only (not audited, never shown): ``action`` is empty for a person's weekly digest.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "sent_on"],
                condition=Q(action__isnull=False),
                name="unique_action_reminder_per_day",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "sent_on"],
                condition=Q(action__isnull=True),
                name="unique_digest_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.sent_on}"
