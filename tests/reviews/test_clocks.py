"""The review clocks on core's working-day calendar: weekends, bank holidays, year ends, each clock's
state, the partnership's settings; every start date in 2024–2027 against a calculation written here
from the published dates (acceptance 2), and a property test of adding working days."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from safeboard.core.models import Partnership
from safeboard.core.workdays import add_working_days, is_working_day, working_days_between
from safeboard.reviews.choices import ClockKind, ClockStart, ClockState, Recommendation
from safeboard.reviews.clocks import add_months, review_clocks
from safeboard.reviews.models import RapidReview, Review, ReviewSettings

# England and Wales bank holidays 2024–2027, as published (substitute days included), typed in here so
# that the check below does not read them through the code it checks.
BANK_HOLIDAYS = {
    dt.date.fromisoformat(day)
    for day in (
        "2024-01-01 2024-03-29 2024-04-01 2024-05-06 2024-05-27 2024-08-26 2024-12-25 2024-12-26 "
        "2025-01-01 2025-04-18 2025-04-21 2025-05-05 2025-05-26 2025-08-25 2025-12-25 2025-12-26 "
        "2026-01-01 2026-04-03 2026-04-06 2026-05-04 2026-05-25 2026-08-31 2026-12-25 2026-12-28 "
        "2027-01-01 2027-03-26 2027-03-29 2027-05-03 2027-05-31 2027-08-30 2027-12-27 2027-12-28"
    ).split()
}
SHIPPED = Path(__file__).resolve().parents[2] / "src/safeboard/core/data/bank-holidays.json"


def working(day: dt.date) -> bool:
    """Day by day, the plain way: not Saturday or Sunday, not a bank holiday."""
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


def naive_add(start: dt.date, n: int) -> dt.date:
    day, step, left = start, (1 if n >= 0 else -1), abs(n)
    while left:
        day += dt.timedelta(days=step)
        if working(day):
            left -= 1
    return day


def naive_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (as the clocks count days left)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += working(day)
    return count


def naive_six_months(day: dt.date) -> dt.date:
    month = day.month + 6
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    while True:
        try:
            return day.replace(year=year, month=month)
        except ValueError:  # 31 August -> 28 or 29 February
            day -= dt.timedelta(days=1)


def review(aware_on: dt.date, **fields: object) -> Review:
    return Review(reference="T", aware_on=aware_on, incident_on=aware_on, **fields)


ENGLAND = Partnership(name="Clock test", short_name="Clock", slug="clock")
DEFAULTS = ReviewSettings()


def clocks(r: Review, today: dt.date, rapid: RapidReview | None = None, s: ReviewSettings = DEFAULTS) -> dict:  # type: ignore[type-arg]
    return {c.key: c for c in review_clocks(r, rapid, s, today, ENGLAND)}


def test_the_typed_in_bank_holidays_are_the_shipped_ones(db):  # type: ignore[no-untyped-def]
    shipped = json.loads(SHIPPED.read_text())["england-and-wales"]["events"]
    years = {d.year for d in BANK_HOLIDAYS}
    assert {dt.date.fromisoformat(e["date"]) for e in shipped if int(e["date"][:4]) in years} == BANK_HOLIDAYS


def test_notification_over_a_weekend_is_due_the_next_friday(db):  # type: ignore[no-untyped-def]
    c = clocks(review(dt.date(2026, 11, 6)), today=dt.date(2026, 11, 6))["notify"]
    assert c.kind == ClockKind.STATUTORY
    assert c.due_on == dt.date(2026, 11, 13)
    assert (c.state, c.days_left) == (ClockState.RUNNING, 5)


def test_notification_over_christmas_and_the_new_year(db):  # type: ignore[no-untyped-def]
    # 25 and 28 December 2026 and 1 January 2027 are bank holidays; two weekends between.
    c = clocks(review(dt.date(2026, 12, 24)), today=dt.date(2026, 12, 24))["notify"]
    assert c.due_on == dt.date(2027, 1, 5)
    assert c.days_left == 5


def test_notification_over_easter(db):  # type: ignore[no-untyped-def]
    c = clocks(review(dt.date(2027, 3, 25)), today=dt.date(2027, 3, 25))["notify"]
    assert c.due_on == dt.date(2027, 4, 5)


def test_a_clock_due_after_a_weekend_is_due_soon_on_the_friday(db):  # type: ignore[no-untyped-def]
    # Aware Tuesday 3 November 2026: notification due Tuesday 10 November. On Friday 6th, 2 working days left.
    c = clocks(review(dt.date(2026, 11, 3)), today=dt.date(2026, 11, 6))["notify"]
    assert (c.state, c.days_left, c.summary) == (ClockState.DUE_SOON, 2, "2 working days left")
    on_the_day = clocks(review(dt.date(2026, 11, 3)), today=dt.date(2026, 11, 10))["notify"]
    assert (on_the_day.state, on_the_day.summary) == (ClockState.DUE_SOON, "Due today")
    earlier = clocks(review(dt.date(2026, 11, 3)), today=dt.date(2026, 11, 4))["notify"]
    assert earlier.state == ClockState.RUNNING


def test_late_counts_working_days_and_met_late_stays_a_breach(db):  # type: ignore[no-untyped-def]
    r = review(dt.date(2026, 11, 3))  # due Tuesday 10 November
    late = clocks(r, today=dt.date(2026, 11, 16))["notify"]  # the Monday after
    assert (late.state, late.days_late, late.summary) == (ClockState.OVERDUE, 4, "4 working days late")
    assert late.is_breach and late.needs_attention
    r.notified_on = dt.date(2026, 11, 12)
    met_late = clocks(r, today=dt.date(2026, 11, 16))["notify"]
    assert (met_late.state, met_late.days_late) == (ClockState.MET_LATE, 2)
    assert met_late.is_breach and not met_late.needs_attention
    r.notified_on = dt.date(2026, 11, 10)
    assert clocks(r, today=dt.date(2026, 11, 16))["notify"].state == ClockState.MET


def test_the_rapid_review_clock_starts_from_the_partnerships_setting(db):  # type: ignore[no-untyped-def]
    r = review(dt.date(2026, 11, 2), notified_on=dt.date(2026, 11, 5))
    by_awareness = clocks(r, today=dt.date(2026, 11, 5))["rapid_review"]
    assert by_awareness.kind == ClockKind.EXPECTED
    assert by_awareness.due_on == dt.date(2026, 11, 23)
    from_notification = clocks(r, dt.date(2026, 11, 5), s=ReviewSettings(rapid_review_starts=ClockStart.NOTIFICATION))
    assert from_notification["rapid_review"].due_on == dt.date(2026, 11, 26)
    not_yet = clocks(
        review(dt.date(2026, 11, 2)),
        dt.date(2026, 11, 3),
        s=ReviewSettings(rapid_review_starts=ClockStart.NOTIFICATION),
    )
    assert not_yet["rapid_review"].state == ClockState.WAITING
    sent = clocks(r, dt.date(2026, 11, 30), rapid=RapidReview(sent_to_panel_on=dt.date(2026, 11, 20)))
    assert sent["rapid_review"].state == ClockState.MET


def test_publication_six_months_after_a_decision_for_a_local_review_only(db):  # type: ignore[no-untyped-def]
    r = review(dt.date(2026, 8, 1), decision=Recommendation.LOCAL_REVIEW, decided_on=dt.date(2026, 8, 31))
    assert clocks(r, dt.date(2026, 9, 1))["publish"].due_on == dt.date(2027, 2, 28)
    r.decision = Recommendation.NO_LOCAL_REVIEW
    assert clocks(r, dt.date(2026, 9, 1))["publish"].state == ClockState.WAITING


def test_the_final_report_goes_the_set_number_of_working_days_before_publication(db):  # type: ignore[no-untyped-def]
    r = review(
        dt.date(2026, 6, 1),
        decision=Recommendation.LOCAL_REVIEW,
        decided_on=dt.date(2026, 7, 1),
        publication_planned_on=dt.date(2026, 12, 29),
    )
    # Back from Tuesday 29 December 2026 past two bank holidays and a weekend.
    assert clocks(r, dt.date(2026, 12, 1))["final_report"].due_on == dt.date(2026, 12, 16)
    ten = ReviewSettings(final_report_days=10)
    assert clocks(r, dt.date(2026, 12, 1), s=ten)["final_report"].due_on == dt.date(2026, 12, 11)
    r.final_report_sent_on = dt.date(2026, 12, 17)
    assert clocks(r, dt.date(2026, 12, 18))["final_report"].state == ClockState.MET_LATE


def test_add_months_keeps_the_day_or_takes_the_months_last(db):  # type: ignore[no-untyped-def]
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2027, 7, 15), 6) == dt.date(2028, 1, 15)


def every_day(first: dt.date, last: dt.date):  # type: ignore[no-untyped-def]
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


@pytest.mark.django_db
def test_acceptance_2_every_start_date_in_2024_to_2027_agrees_with_the_plain_calculation():  # type: ignore[no-untyped-def]
    """For every start date: each clock's due date, and its days left three days in, and its days late
    a month after the due date, as a day-by-day count over the published bank holidays gives them.
    Start dates run to 3 December 2027, so that no working-day clock crosses into 2028, whose bank
    holidays are not loaded yet (the six-month clock counts calendar months)."""
    wrong = []
    for start in every_day(dt.date(2024, 1, 1), dt.date(2027, 12, 3)):
        r = review(
            start,
            notified_on=None,
            decision=Recommendation.LOCAL_REVIEW,
            decided_on=start,
            publication_planned_on=start + dt.timedelta(days=20),
        )
        today = start + dt.timedelta(days=3)
        got = clocks(r, today)
        expected_due = {
            "notify": naive_add(start, 5),
            "rapid_review": naive_add(start, 15),
            "publish": naive_six_months(start),
            "final_report": naive_add(start + dt.timedelta(days=20), -7),
        }
        for key, due in expected_due.items():
            clock = got[key]
            if clock.due_on != due:
                wrong.append((start, key, "due", clock.due_on, due))
            elif today <= due and due.year <= 2027 and clock.days_left != naive_between(today, due):
                wrong.append((start, key, "left", clock.days_left, naive_between(today, due)))
        later = expected_due["notify"] + dt.timedelta(days=30)
        if later.year <= 2027:
            late = clocks(r, later)["notify"]
            if late.days_late != naive_between(expected_due["notify"], later):
                wrong.append((start, "notify", "late", late.days_late, naive_between(expected_due["notify"], later)))
    assert not wrong, wrong[:10]


class AddingWorkingDays(TestCase):
    @settings(max_examples=300, deadline=None)
    @given(
        start=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 10, 31)),
        n=st.integers(min_value=1, max_value=40),
    )
    def test_adding_n_working_days_never_lands_on_a_weekend_or_bank_holiday(self, start: dt.date, n: int) -> None:
        due = add_working_days(start, n, ENGLAND)
        assert due.weekday() < 5
        assert due not in BANK_HOLIDAYS
        assert is_working_day(due, ENGLAND)
        assert working_days_between(start, due, ENGLAND) == n
        # The clock's days-left count agrees with the calendar.
        clock = review_clocks(review(start), None, DEFAULTS, start, ENGLAND)[0]
        assert clock.days_left == working_days_between(start, clock.due_on, ENGLAND) == 5
