"""The daily reminder about review clocks (a source of core's ``manage.py send_due_reminders``):
every day that a review has a clock overdue or due within two working days, its review manager gets
one email listing them, with a link to the review."""

from __future__ import annotations

import datetime as dt

from safeboard.core.reminders import Reminder, site_link
from safeboard.core.text import day_text
from safeboard.reviews.choices import ClockState
from safeboard.reviews.clocks import needing_attention, running, settings_by_partnership
from safeboard.reviews.models import Review


def review_clocks(today: dt.date) -> list[Reminder]:
    reviews = list(
        running(Review.objects.all()).select_related("partnership", "rapid_review", "manager").order_by("id")
    )
    reviews = [r for r in reviews if "reviews" in r.partnership.modules]
    settings = settings_by_partnership({r.partnership_id for r in reviews})
    reminders = []
    for review, clocks in needing_attention(reviews, settings, today):
        lines = "\n".join(
            f"- {clock.name} ({clock.kind.label.lower()}): {clock.summary}, due {day_text(clock.due_on)}"
            for clock in clocks
        )
        late = any(clock.state == ClockState.OVERDUE for clock in clocks)
        reminders.append(
            Reminder(
                record=review,
                kind="review_clocks",
                recipient=review.manager,
                subject=f"{review}: {'a clock is overdue' if late else 'a clock is due soon'} "
                f"({review.partnership.short_name})",
                body=(
                    f"Dear {review.manager},\n\n{review} has clocks that need you:\n{lines}\n\n"
                    f"The review:\n{site_link(review.get_absolute_url())}\n\nSafeboard"
                ),
            )
        )
    return reminders
