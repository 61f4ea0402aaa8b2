"""The review clocks: the statutory and expected time limits, counted on core's working-day
calendar (``safeboard.core.workdays``) for the partnership's bank holidays.

Each clock has a start event, a due date, and the event that stops it:

1. **Panel notified** (statutory): 5 working days after the local authority became aware; stopped by
   the notification.
2. **Rapid review sent** (expected): 15 working days after awareness or notification (the
   partnership's setting); stopped when the signed-off rapid review is sent to the Panel.
3. **Local review published** (expected): six calendar months after the partners decided to carry
   out a local review (the same day of the month, or the month's last day); stopped by publication.
4. **Final report sent** (expected): at least N working days (the partnership's setting, 7 by
   default) before the planned publication date; stopped when the report is sent to the Panel and
   the Secretary of State.

A running clock shows the working days left (0 on the due day) or the working days late; a stopped
one whether it was met. "Due soon" is 2 working days or fewer left.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from safeboard.core.workdays import add_working_days, working_days_between
from safeboard.reviews.choices import ClockKind, ClockStart, ClockState, Recommendation

if TYPE_CHECKING:
    from safeboard.core.models import Partnership
    from safeboard.reviews.models import RapidReview, Review, ReviewSettings

DUE_SOON_WORKING_DAYS = 2


@dataclass(frozen=True)
class Clock:
    key: str
    name: str
    kind: ClockKind
    starts_on: dt.date | None
    due_on: dt.date | None
    done_on: dt.date | None
    state: ClockState
    days_left: int | None = None  # working days, while it runs
    days_late: int | None = None  # working days past the due date (running or stopped late)

    @property
    def is_breach(self) -> bool:
        return self.state in (ClockState.OVERDUE, ClockState.MET_LATE)

    @property
    def needs_attention(self) -> bool:
        """Overdue or due within two working days (the clocks page, My work and the reminders)."""
        return self.state in (ClockState.OVERDUE, ClockState.DUE_SOON)

    @property
    def summary(self) -> str:
        if self.state == ClockState.WAITING:
            return "Not started"
        if self.state == ClockState.MET:
            return "Met"
        if self.state == ClockState.MET_LATE:
            return f"Met {_days(self.days_late)} late"
        if self.state == ClockState.OVERDUE:
            return f"{_days(self.days_late)} late"
        if self.days_left == 0:
            return "Due today"
        return f"{_days(self.days_left)} left"


def _days(n: int | None) -> str:
    n = n or 0
    return f"{n} working day{'s' if n != 1 else ''}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, or the last day of that month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def make_clock(
    key: str,
    name: str,
    kind: ClockKind,
    starts_on: dt.date | None,
    due_on: dt.date | None,
    done_on: dt.date | None,
    today: dt.date,
    partnership: Partnership | None,
) -> Clock:
    if starts_on is None or due_on is None:
        return Clock(key, name, kind, starts_on, due_on, done_on, ClockState.WAITING)
    if done_on is not None:
        if done_on <= due_on:
            return Clock(key, name, kind, starts_on, due_on, done_on, ClockState.MET)
        late = working_days_between(due_on, done_on, partnership)
        return Clock(key, name, kind, starts_on, due_on, done_on, ClockState.MET_LATE, days_late=max(late, 1))
    if today > due_on:
        late = working_days_between(due_on, today, partnership)
        return Clock(key, name, kind, starts_on, due_on, None, ClockState.OVERDUE, days_late=max(late, 1))
    left = working_days_between(today, due_on, partnership)
    state = ClockState.DUE_SOON if left <= DUE_SOON_WORKING_DAYS else ClockState.RUNNING
    return Clock(key, name, kind, starts_on, due_on, None, state, days_left=left)


def review_clocks(
    review: Review,
    rapid: RapidReview | None,
    review_settings: ReviewSettings,
    today: dt.date,
    partnership: Partnership | None = None,
) -> list[Clock]:
    """The four clocks of one review, on ``today``. ``partnership`` gives the bank holidays (its
    ``division``); pass it when the review's partnership is already loaded."""
    from safeboard.reviews.models import (
        NOTIFY_WITHIN_WORKING_DAYS,
        PUBLISH_WITHIN_MONTHS,
        RAPID_REVIEW_WITHIN_WORKING_DAYS,
    )

    calendar_of = partnership or review.partnership
    notify_due = add_working_days(review.aware_on, NOTIFY_WITHIN_WORKING_DAYS, calendar_of)
    rapid_start = review.aware_on if review_settings.rapid_review_starts == ClockStart.AWARENESS else review.notified_on
    rapid_due = add_working_days(rapid_start, RAPID_REVIEW_WITHIN_WORKING_DAYS, calendar_of) if rapid_start else None
    local = review.decision == Recommendation.LOCAL_REVIEW and review.decided_on is not None
    publish_start = review.decided_on if local else None
    publish_due = add_months(publish_start, PUBLISH_WITHIN_MONTHS) if publish_start else None
    planned = review.publication_planned_on if local else None
    report_due = add_working_days(planned, -review_settings.final_report_days, calendar_of) if planned else None
    return [
        make_clock(
            "notify",
            "Panel, Ofsted and the DfE notified",
            ClockKind.STATUTORY,
            review.aware_on,
            notify_due,
            review.notified_on,
            today,
            calendar_of,
        ),
        make_clock(
            "rapid_review",
            "Rapid review signed off and sent to the Panel",
            ClockKind.EXPECTED,
            rapid_start,
            rapid_due,
            rapid.sent_to_panel_on if rapid else None,
            today,
            calendar_of,
        ),
        make_clock(
            "publish",
            "Local review published",
            ClockKind.EXPECTED,
            publish_start,
            publish_due,
            review.published_on if local else None,
            today,
            calendar_of,
        ),
        make_clock(
            "final_report",
            "Final report sent to the Panel and the Secretary of State",
            ClockKind.EXPECTED,
            planned,
            report_due,
            review.final_report_sent_on if local else None,
            today,
            calendar_of,
        ),
    ]


def rapid_of(review: Review) -> RapidReview | None:
    """The review's rapid review, or None (reads the cached relation when it was selected)."""
    from safeboard.reviews.models import RapidReview

    try:
        return review.rapid_review
    except RapidReview.DoesNotExist:
        return None


def running(queryset: QuerySet[Review]) -> QuerySet[Review]:
    """Reviews with a clock that may still run: not published, and not finished without a local review."""
    from safeboard.reviews.models import Review

    finished = Q(
        decision__in=[Recommendation.NO_LOCAL_REVIEW, Recommendation.NATIONAL_REVIEW],
        notified_on__isnull=False,
        rapid_review__sent_to_panel_on__isnull=False,
    )
    assert queryset.model is Review
    return queryset.filter(published_on__isnull=True).exclude(finished)


def needing_attention(
    reviews: list[Review], settings_by_partnership: dict[int, ReviewSettings], today: dt.date
) -> list[tuple[Review, list[Clock]]]:
    """Each review with its clocks that are overdue or due within two working days (most late first)."""
    from safeboard.reviews.models import ReviewSettings

    found = []
    for review in reviews:
        review_settings = settings_by_partnership.get(review.partnership_id) or ReviewSettings(
            partnership_id=review.partnership_id
        )
        clocks = [c for c in review_clocks(review, rapid_of(review), review_settings, today) if c.needs_attention]
        if clocks:
            found.append((review, clocks))
    found.sort(key=lambda pair: (min(c.due_on or today for c in pair[1]), pair[0].pk))
    return found


def settings_by_partnership(partnership_ids: set[int]) -> dict[int, ReviewSettings]:
    from safeboard.reviews.models import ReviewSettings

    return {s.partnership_id: s for s in ReviewSettings.objects.filter(partnership_id__in=partnership_ids)}
