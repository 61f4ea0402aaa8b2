"""Reminder sources for members' business (run by core's daily job, ``manage.py send_due_reminders``)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from safeboard.core.interests import REVIEW_EVERY_DAYS, Interest
from safeboard.core.reminders import Reminder, due_kind, site_link

# A fortnight before an entry's yearly review, then weekly while it is overdue.
INTEREST_REVIEW_NOTICE_DAYS = 14


def interest_reviews(today: dt.date) -> list[Reminder]:
    """Each current entry of a register whose yearly review is a fortnight away or overdue: to its owner."""
    latest = today - dt.timedelta(days=REVIEW_EVERY_DAYS - INTEREST_REVIEW_NOTICE_DAYS)
    entries = (
        Interest.objects.current(today)
        .filter(last_reviewed_on__lte=latest, person__is_active=True)
        .select_related("person", "partnership")
        .order_by("id")
    )
    link = site_link(reverse("governance:interest-list"))
    reminders = []
    for entry in entries.iterator(chunk_size=500):
        kind = due_kind(entry.review_due_on, today, INTEREST_REVIEW_NOTICE_DAYS)
        if kind is None:
            continue
        when = "is due" if entry.review_due_on >= today else "was due"
        reminders.append(
            Reminder(
                record=entry,
                kind=f"interest_review_{kind}",
                recipient=entry.person,
                subject=f"Review your register of interests ({entry.partnership.short_name})",
                body=(
                    f"Dear {entry.person},\n\nThe yearly review of this entry in your register of interests with "
                    f"{entry.partnership.short_name} {when} on {entry.review_due_on:%d %B %Y}:\n\n  {entry}\n\n"
                    "Check it is still right, change or end it, and mark it as reviewed. Switch to "
                    f"{entry.partnership.short_name} first if you work in more than one partnership:\n{link}\n\nSafeboard"
                ),
            )
        )
    return reminders
