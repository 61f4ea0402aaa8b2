"""Working days against an independent day-by-day count, the loader, the check and the division setting."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
import time_machine
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeboard.core.workdays import (
    SHIPPED_FILE,
    BankHoliday,
    Division,
    add_working_days,
    forget_bank_holidays,
    is_working_day,
    working_days_between,
)
from tests.factories import PartnershipFactory

D = dt.date
DIVISIONS = ["england-and-wales", "scotland", "northern-ireland"]


def holidays_from_file(path: Path = SHIPPED_FILE) -> dict[str, set[dt.date]]:
    """The test's own reading of the official layout, independent of the code under test."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: {D.fromisoformat(e["date"]) for e in data[key]["events"]} for key in DIVISIONS}


HOLIDAYS = holidays_from_file()


def plain_is_working(day: dt.date, division: str) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS[division]


def plain_add(start: dt.date, n: int, division: str) -> dt.date:
    day, step, left = start, (1 if n > 0 else -1), abs(n)
    while left:
        day += dt.timedelta(days=step)
        if plain_is_working(day, division):
            left -= 1
    return day


def plain_between(start: dt.date, end: dt.date, division: str) -> int:
    if end >= start:
        days = (start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1))
        return sum(plain_is_working(d, division) for d in days)
    days = (end + dt.timedelta(days=i) for i in range((start - end).days))
    return -sum(plain_is_working(d, division) for d in days)


# --- Agreement with the plain calculation -----------------------------------------------------------------

STEPS = [-65, -20, -15, -5, -2, -1, 0, 1, 2, 3, 5, 7, 10, 15, 20, 28, 65, 130]


@pytest.mark.django_db
@pytest.mark.parametrize("division", DIVISIONS)
def test_it_agrees_with_a_day_by_day_count_for_every_start_date_in_2024_to_2027(division):
    start = D(2024, 1, 1)
    mismatches = []
    while start <= D(2027, 12, 31):
        assert is_working_day(start, division) == plain_is_working(start, division), start
        for n in STEPS:
            expected = plain_add(start, n, division)
            got = add_working_days(start, n, division)
            if got != expected:
                mismatches.append(("add", start, n, got, expected))
            if working_days_between(start, expected, division) != n:
                mismatches.append(("between", start, n))
        for span in (0, 1, 3, 9, 40, -1, -4, -9, -40):
            end = start + dt.timedelta(days=span)
            if working_days_between(start, end, division) != plain_between(start, end, division):
                mismatches.append(("between-span", start, span))
        start += dt.timedelta(days=1)
    assert not mismatches, mismatches[:10]


@pytest.mark.django_db
def test_known_dates():
    # Christmas 2027 falls on a Saturday: the substitutes are Monday 27 and Tuesday 28 December.
    assert add_working_days(D(2027, 12, 24), 1) == D(2027, 12, 29)
    # Five working days from Thursday 14 April 2022 skip Good Friday and Easter Monday: 19 to 22, then 25.
    assert add_working_days(D(2022, 4, 14), 5) == D(2022, 4, 25)
    # The Platinum Jubilee: Thursday 2 and Friday 3 June 2022 in every division.
    for division in DIVISIONS:
        assert not is_working_day(D(2022, 6, 2), division)
        assert not is_working_day(D(2022, 6, 3), division)
        assert not is_working_day(D(2022, 9, 19), division)  # the state funeral
        assert not is_working_day(D(2023, 5, 8), division)  # the coronation
        assert not is_working_day(D(2020, 5, 8), division)  # VE day
        assert is_working_day(D(2020, 5, 4), division)  # the usual early May Monday was worked
    # Only Scotland has 2 January and St Andrew's Day; only Northern Ireland St Patrick's and 12 July.
    assert not is_working_day(D(2026, 1, 2), "scotland") and is_working_day(D(2026, 1, 2))
    assert not is_working_day(D(2025, 12, 1), "scotland") and is_working_day(D(2025, 12, 1))
    assert not is_working_day(D(2026, 3, 17), "northern-ireland") and is_working_day(D(2026, 3, 17))
    assert not is_working_day(D(2026, 7, 13), "northern-ireland") and is_working_day(D(2026, 7, 13))
    # Easter Monday is not a holiday in Scotland; the summer one is in early August there.
    assert is_working_day(D(2026, 4, 6), "scotland") and not is_working_day(D(2026, 4, 6))
    assert not is_working_day(D(2026, 8, 3), "scotland") and is_working_day(D(2026, 8, 3))
    # The start never counts, even when it is a working day.
    assert add_working_days(D(2026, 12, 1), 1) == D(2026, 12, 2)
    assert add_working_days(D(2026, 12, 5), 1) == D(2026, 12, 7)  # from a Saturday
    assert add_working_days(D(2026, 12, 7), -1) == D(2026, 12, 4)
    assert add_working_days(D(2026, 12, 1), 0) == D(2026, 12, 1)
    assert working_days_between(D(2026, 12, 1), D(2026, 12, 1)) == 0


@pytest.mark.django_db
def test_the_shipped_file_covers_2018_to_2027_for_every_division_on_weekdays_only():
    expected = {  # holidays per year: the usual count, plus the one-off ones of 2022 and 2023
        "england-and-wales": 8,
        "scotland": 9,
        "northern-ireland": 10,
    }
    for division, days in HOLIDAYS.items():
        for year in range(2018, 2028):
            extra = {2022: 2, 2023: 1}.get(year, 0)
            assert len([d for d in days if d.year == year]) == expected[division] + extra, (division, year)
        assert all(d.weekday() < 5 for d in days)
        assert BankHoliday.objects.filter(division=division).count() == len(days)  # the data migration


# --- Properties ---------------------------------------------------------------------------------------------

dates = st.dates(min_value=D(2018, 1, 1), max_value=D(2027, 6, 30))


@pytest.mark.django_db
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=dates, n=st.integers(min_value=-120, max_value=120), division=st.sampled_from(DIVISIONS))
def test_adding_n_working_days_lands_on_a_working_day_and_counting_back_gives_n(start, n, division):
    landed = add_working_days(start, n, division)
    if n == 0:
        assert landed == start
        return
    assert landed.weekday() < 5
    assert landed not in HOLIDAYS[division]
    assert working_days_between(start, landed, division) == n
    if plain_is_working(start, division):  # then the way back crosses the same working days
        assert working_days_between(landed, start, division) == -n
    assert (landed > start) == (n > 0)


# --- Divisions and partnerships -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_partnership_gives_its_division_and_england_and_wales_is_the_default():
    scottish = PartnershipFactory(division=Division.SCOTLAND)
    english = PartnershipFactory()
    assert english.division == Division.ENGLAND_AND_WALES
    assert add_working_days(D(2026, 11, 27), 1, scottish) == D(2026, 12, 1)  # St Andrew's Day on Monday 30th
    assert add_working_days(D(2026, 11, 27), 1, english) == D(2026, 11, 30)
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)
    with pytest.raises(ValueError, match="Unknown bank holiday division"):
        is_working_day(D(2026, 1, 1), "wales")


# --- The loader ----------------------------------------------------------------------------------------------


def official(events: dict[str, list[dict]]) -> dict:
    return {key: {"division": key, "events": items} for key, items in events.items()}


def write(tmp_path: Path, data: dict) -> str:
    path = tmp_path / "bank-holidays.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_the_loader_takes_the_official_layout_reports_what_it_added_and_is_idempotent(tmp_path):
    data = official(
        {
            "england-and-wales": [
                {"title": "New Year’s Day", "date": "2028-01-03", "notes": "Substitute day", "bunting": True},
                {"title": "Good Friday", "date": "2028-04-14", "notes": "", "bunting": False},
            ],
            "scotland": [{"title": "2nd January", "date": "2028-01-04", "notes": "Substitute day", "bunting": True}],
            "northern-ireland": [{"title": "St Patrick’s Day", "date": "2028-03-17", "notes": "", "bunting": True}],
        }
    )
    path = write(tmp_path, data)
    assert is_working_day(D(2028, 4, 14))  # cached before the load
    out = io.StringIO()
    call_command("load_bank_holidays", path, stdout=out)
    assert "Added: england-and-wales 2028-04-14 Good Friday" in out.getvalue()
    assert "4 added, 0 changed, 0 removed" in out.getvalue()
    assert not is_working_day(D(2028, 4, 14))  # the loader cleared the cache
    assert not is_working_day(D(2028, 1, 4), "scotland")
    holiday = BankHoliday.objects.get(division="england-and-wales", date=D(2028, 1, 3))
    assert (holiday.title, holiday.notes, holiday.bunting) == ("New Year’s Day", "Substitute day", True)

    again = io.StringIO()
    call_command("load_bank_holidays", path, stdout=again)
    assert "0 added, 0 changed, 0 removed, 4 already up to date" in again.getvalue()
    assert BankHoliday.objects.filter(date__year=2028).count() == 4


@pytest.mark.django_db
def test_a_moved_holiday_is_removed_from_its_old_date_and_years_outside_the_file_are_left_alone(tmp_path):
    # As in 2020, when the early May bank holiday moved from Monday 4 to Friday 8 May.
    BankHoliday.objects.create(division="england-and-wales", date=D(2030, 5, 6), title="Early May bank holiday")
    path = write(
        tmp_path,
        official({"england-and-wales": [{"title": "Early May bank holiday (moved)", "date": "2030-05-10"}]}),
    )
    out = io.StringIO()
    call_command("load_bank_holidays", path, stdout=out)
    assert "Removed: england-and-wales 2030-05-06" in out.getvalue()
    assert is_working_day(D(2030, 5, 6)) and not is_working_day(D(2030, 5, 10))
    assert BankHoliday.objects.filter(date__year=2026).count() == 8 + 9 + 10  # untouched


@pytest.mark.django_db
def test_the_real_file_loads_cleanly_over_the_migrated_data():
    out = io.StringIO()
    call_command("load_bank_holidays", stdout=out)
    assert "0 added, 0 changed, 0 removed" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not valid JSON"),
        (json.dumps({"wales": {"events": []}}), "Unknown division 'wales'"),
        (json.dumps({"scotland": {"division": "scotland"}}), "must have an 'events' list"),
        (json.dumps(official({"scotland": [{"title": "X", "date": "2027-02-30"}]})), "not a real YYYY-MM-DD date"),
        (json.dumps(official({"scotland": [{"date": "2027-02-03"}]})), "needs a 'title' and a 'date'"),
        (
            json.dumps(
                official({"scotland": [{"title": "X", "date": "2027-02-03"}, {"title": "Y", "date": "2027-02-03"}]})
            ),
            "lists 2027-02-03 twice",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_changes_nothing(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    before = BankHoliday.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("load_bank_holidays", str(path))
    assert BankHoliday.objects.count() == before


# --- The system check ---------------------------------------------------------------------------------------


def bank_holiday_warnings() -> list:
    return [m for m in run_checks(databases=["default"]) if m.id == "safeboard.W001"]


@pytest.mark.django_db
def test_the_check_is_quiet_while_12_months_ahead_are_loaded():
    with time_machine.travel(D(2026, 11, 30), tick=False):
        assert bank_holiday_warnings() == []


@pytest.mark.django_db
def test_the_check_warns_when_fewer_than_12_months_ahead_are_loaded():
    with time_machine.travel(D(2027, 2, 1), tick=False):
        (warning,) = bank_holiday_warnings()
    assert "England and Wales (until 31 December 2027)" in warning.msg
    assert "Scotland" in warning.msg and "Northern Ireland" in warning.msg
    assert "load_bank_holidays" in warning.hint
    BankHoliday.objects.filter(division="scotland").delete()
    forget_bank_holidays()
    with time_machine.travel(D(2026, 11, 30), tick=False):
        (warning,) = bank_holiday_warnings()
    assert warning.msg == "Bank holidays are loaded for less than 12 months ahead: Scotland (for no year at all)."
