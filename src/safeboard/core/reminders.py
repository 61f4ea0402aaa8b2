"""Reminders that something is due: one daily job for every module (``manage.py send_due_reminders``).

A module says what is due by registering a **source** in its ``AppConfig.ready``: a function
``source(today) -> Iterable[Reminder]`` that returns the reminders to send today (an interest to
review, a document whose review date is near, an induction step that is overdue). The job claims
each reminder once per day (``ReminderClaim``: the record, the kind, the recipient and the day), so
running it twice on one day sends nothing twice, and queues one email each (``accounts.tasks.send_email``).

``due_kind(due_on, today, before=…)`` is the one rule for when to remind: ``before`` days ahead, then
on the first day overdue and every seven days while it stays overdue. The action log keeps its own
job (``send_action_reminders``) with its weekly digest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.tasks import task
from django.utils import timezone

if TYPE_CHECKING:
    from safeboard.accounts.models import User

OVERDUE_EVERY_DAYS = 7


class DueKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class ReminderClaim(models.Model):
    """One reminder sent on one day about one record to one person (bookkeeping: not audited, never shown)."""

    record_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    record_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=40)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id", "kind", "recipient", "sent_on"], name="unique_reminder_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.sent_on}"


@dataclass(frozen=True)
class Reminder:
    record: models.Model
    kind: str
    recipient: User  # a person with an email address
    subject: str
    body: str


ReminderSource = Callable[[dt.date], Iterable[Reminder]]
REMINDER_SOURCES: list[ReminderSource] = []


def register(source: ReminderSource) -> ReminderSource:
    if source not in REMINDER_SOURCES:
        REMINDER_SOURCES.append(source)
    return source


def due_kind(due_on: dt.date, today: dt.date, before: int) -> str | None:
    """Which reminder, if any, something due on ``due_on`` gets ``today``: ``before`` days ahead, then
    the first day it is overdue and every seven days after."""
    days_left = (due_on - today).days
    if days_left == before:
        return DueKind.DUE_SOON
    if days_left < 0 and (-days_left - 1) % OVERDUE_EVERY_DAYS == 0:
        return DueKind.OVERDUE
    return None


def site_link(path: str) -> str:
    return f"{settings.SAFEBOARD_SITE_URL.rstrip('/')}{path}"


def _claim(reminder: Reminder, today: dt.date) -> bool:
    try:
        with transaction.atomic():
            _, created = ReminderClaim.objects.get_or_create(
                record_type=ContentType.objects.get_for_model(reminder.record),
                record_id=reminder.record.pk,
                kind=reminder.kind,
                recipient=reminder.recipient,
                sent_on=today,
            )
    except IntegrityError:  # another run claimed it at the same moment
        return False
    return created


@dataclass
class ReminderRun:
    day: dt.date
    sent: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.day:%Y-%m-%d}: {len(self.sent)} reminder email{'s' if len(self.sent) != 1 else ''}"


def run_due_reminders(today: dt.date | None = None) -> ReminderRun:
    from safeboard.accounts.tasks import send_email

    today = today or timezone.localdate()
    run = ReminderRun(today)
    for source in REMINDER_SOURCES:
        for reminder in source(today):
            email = getattr(reminder.recipient, "email", "")
            if not email or not getattr(reminder.recipient, "is_active", False) or not _claim(reminder, today):
                continue
            send_email.enqueue(subject=reminder.subject, body=reminder.body, to=[email])
            run.sent.append(reminder.subject)
    return run


@task()
def send_due_reminders(day: str | None = None) -> str:
    """The daily reminder job as a background task (``day`` as YYYY-MM-DD; today when empty)."""
    return run_due_reminders(dt.date.fromisoformat(day) if day else None).summary()
