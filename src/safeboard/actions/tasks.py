"""Reminder emails about actions, worked out once a day (``manage.py send_action_reminders``).

* 7 days before the due date: "due soon", to the owner.
* The first day an action is overdue, then every 7 days while it stays overdue: "overdue".
* Mondays: one weekly digest per person listing their live actions with RAG ratings.

Each email is its own background task (``accounts.tasks.send_email``). ``ReminderSent`` remembers
what went out on which day, so running the job twice on one day sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from safeboard.accounts.tasks import send_email
from safeboard.actions.models import RAG, Action, ReminderKind, ReminderSent

DUE_SOON_DAYS = 7
OVERDUE_EVERY_DAYS = 7
DIGEST_WEEKDAY = 0  # Monday
_RAG_LABELS = dict(RAG.choices)


@dataclass
class ReminderRun:
    day: dt.date
    due_soon: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.day:%Y-%m-%d}: {len(self.due_soon)} due-soon, {len(self.overdue)} overdue, "
            f"{len(self.digests)} weekly digest emails"
        )


def reminder_kind(due_date: dt.date, today: dt.date) -> str | None:
    """Which reminder, if any, an action due on ``due_date`` gets on ``today``."""
    days_left = (due_date - today).days
    if days_left == DUE_SOON_DAYS:
        return ReminderKind.DUE_SOON
    if days_left < 0 and (-days_left - 1) % OVERDUE_EVERY_DAYS == 0:
        return ReminderKind.OVERDUE
    return None


def _claim(**values: Any) -> bool:
    """Note a reminder as sent today; False if it already was (this run or an earlier one)."""
    try:
        with transaction.atomic():
            _, created = ReminderSent.objects.get_or_create(**values)
    except IntegrityError:  # another run claimed it at the same moment
        return False
    return created


def _link(action: Action) -> str:
    return f"{settings.SAFEBOARD_SITE_URL.rstrip('/')}{action.get_absolute_url()}"


def run_reminders(today: dt.date | None = None) -> ReminderRun:
    today = today or timezone.localdate()
    run = ReminderRun(today)
    live = Action.objects.live().filter(owner__is_active=True).exclude(owner__email="")
    candidates = (
        live.filter(Q(due_date=today + dt.timedelta(days=DUE_SOON_DAYS)) | Q(due_date__lt=today))
        .exclude(last_reminded_on=today)
        .select_related("owner", "partnership")
        .order_by("due_date", "id")
    )
    for action in candidates.iterator(chunk_size=500):
        kind = reminder_kind(action.due_date, today)
        if kind is None or not _claim(action=action, recipient=action.owner, kind=kind, sent_on=today):
            continue
        Action.objects.filter(pk=action.pk).update(last_reminded_on=today)
        days_over = (today - action.due_date).days
        if kind == ReminderKind.DUE_SOON:
            subject = f"Action {action.reference} is due in {DUE_SOON_DAYS} days"
            run.due_soon.append(action.reference)
        else:
            subject = f"Action {action.reference} is overdue"
            run.overdue.append(action.reference)
        body = render_to_string(
            "actions/email/reminder.txt",
            {"action": action, "kind": kind, "days_over": days_over, "link": _link(action)},
        )
        send_email.enqueue(subject=subject, body=body, to=[action.owner.email])

    if today.weekday() == DIGEST_WEEKDAY:
        by_owner: dict[int, list[Action]] = defaultdict(list)
        for action in live.select_related("owner", "partnership").order_by("owner_id", "due_date", "id"):
            by_owner[action.owner_id].append(action)
        for actions in by_owner.values():
            owner = actions[0].owner
            if not _claim(action=None, recipient=owner, kind=ReminderKind.DIGEST, sent_on=today):
                continue
            rows = [(a, a.get_status_display(), _RAG_LABELS[a.rag_status(today)], _link(a)) for a in actions]
            body = render_to_string("actions/email/digest.txt", {"owner": owner, "rows": rows, "today": today})
            count = len(actions)
            subject = f"Your actions this week: {count} live action{'s' if count != 1 else ''}"
            send_email.enqueue(subject=subject, body=body, to=[owner.email])
            run.digests.append(owner.email)
    return run


@task()
def send_action_reminders(day: str | None = None) -> str:
    """The daily reminder job as a background task (``day`` as YYYY-MM-DD; today when empty)."""
    return run_reminders(dt.date.fromisoformat(day) if day else None).summary()
