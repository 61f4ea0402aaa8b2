"""Reminder sources for the partnership's documents and members' induction (core's daily job,
``manage.py send_due_reminders``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse

from safeboard.core.reminders import Reminder, due_kind, site_link
from safeboard.governance.arrangements.models import DocumentVersion, InductionStep

# The owner of a document is told a month before its review date, then weekly once it is overdue.
REVIEW_NOTICE_DAYS = 30
# An induction step: a week before it is due, then weekly once overdue (to the member).
INDUCTION_NOTICE_DAYS = 7


def document_reviews(today: dt.date) -> list[Reminder]:
    """The current (latest published) version of each document, when its review date is near or past."""
    newer = DocumentVersion.objects.filter(
        document=OuterRef("document"), published_on__isnull=False, number__gt=OuterRef("number")
    )
    versions = (
        DocumentVersion.objects.filter(
            published_on__isnull=False, review_by__lte=today + dt.timedelta(days=REVIEW_NOTICE_DAYS)
        )
        .filter(~Exists(newer))
        .select_related("document__owner", "document__partnership")
        .order_by("id")
    )
    reminders = []
    for version in versions:
        kind = due_kind(version.review_by, today, REVIEW_NOTICE_DAYS)
        if kind is None:
            continue
        document = version.document
        when = "is due" if version.review_by >= today else "was due"
        reminders.append(
            Reminder(
                record=version,
                kind=f"document_review_{kind}",
                recipient=document.owner,
                subject=f"Review due: {document.title} ({document.partnership.short_name})",
                body=(
                    f"Dear {document.owner},\n\nThe review of {document.title}, version {version.number}, {when} "
                    f"on {version.review_by:%d %B %Y}. Start a new version with what changed, or publish the "
                    f"same text again with a new review date:\n{site_link(document.get_absolute_url())}\n\nSafeboard"
                ),
            )
        )
    return reminders


def induction_steps(today: dt.date) -> list[Reminder]:
    """Open induction steps of current seats a week before they are due and weekly once overdue."""
    steps = (
        InductionStep.objects.filter(done_on__isnull=True, due_on__lte=today + dt.timedelta(days=INDUCTION_NOTICE_DAYS))
        .exclude(member__ends_on__lt=today)
        .select_related("member__person", "member__group__partnership")
        .order_by("id")
    )
    reminders = []
    for step in steps:
        kind = due_kind(step.due_on, today, INDUCTION_NOTICE_DAYS)
        if kind is None:
            continue
        member = step.member
        when = "is due" if step.due_on >= today else "was due"
        reminders.append(
            Reminder(
                record=step,
                kind=f"induction_{kind}",
                recipient=member.person,
                subject=f"Your induction to {member.group.name}: {'overdue' if kind == 'overdue' else 'due soon'}",
                body=(
                    f"Dear {member.person},\n\nA step of your induction to {member.group.name} {when} on "
                    f"{step.due_on:%d %B %Y}: {step}.\n\nThe business unit records it once it is done. "
                    f"Your induction:\n{site_link(reverse('governance:member-induction', args=[member.pk]))}\n\nSafeboard"
                ),
            )
        )
    return reminders
