"""Working days: weekends and the bank holidays of a UK division, for every clock in Safeboard.

Use these three functions rather than counting days yourself:

* ``is_working_day(day, division=None)``: a weekday that is not a bank holiday.
* ``add_working_days(start, n, division=None)``: the n-th working day after ``start``. ``start`` itself
  never counts, whatever day it is; ``n = 0`` gives ``start`` back; a negative ``n`` goes back.
* ``working_days_between(start, end, division=None)``: the working days after ``start`` up to and
  including ``end``. When ``end`` is before ``start`` it counts back: minus the working days from
  ``end`` (included) up to ``start`` (left out). So ``working_days_between(d, add_working_days(d, n))``
  is ``n`` for every ``n``, forwards and backwards.

``division`` is a ``Division`` (or its value), a ``Partnership`` (its ``division`` setting is used), or
``None`` for England and Wales.

Bank holidays are data, not code: the ``BankHoliday`` table, loaded from a file in the layout of the
official UK bank holidays JSON by ``manage.py load_bank_holidays FILE``. The repository ships one
(``core/data/bank-holidays.json``), which a data migration loads into every new database. A system
check warns when fewer than 12 months ahead are loaded. Beyond the loaded years only weekends count
as non-working days.

Why by hand: the ``holidays`` and ``workalendar`` packages compute holidays from rules in code, so a
one-off holiday (a coronation, a state funeral) waits for a new release; the official file is the
source the government publishes, and partnerships can load it themselves.

Lookups are cheap: each division's holidays are read once per process into a sorted list, and the
counts use arithmetic and binary search, not a day-by-day loop. Saving or deleting a ``BankHoliday``
and running the loader clear the cache in that process; other processes re-read it within
``CACHE_SECONDS`` (bank holidays are announced months ahead, so an hour is ample).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

if TYPE_CHECKING:
    from safeboard.core.models import Partnership

SHIPPED_FILE = Path(__file__).resolve().parent / "data" / "bank-holidays.json"
CACHE_SECONDS = 60 * 60


class Division(models.TextChoices):
    """The UK's three bank holiday divisions, with the keys of the official JSON file."""

    ENGLAND_AND_WALES = "england-and-wales", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


class BankHoliday(models.Model):
    """One bank holiday in one division, as published in the official file.

    Reference data shared by every partnership, so it is not an ``AuditedModel`` with a partnership:
    the loader reports every change it makes, and the file it loaded from is the record.
    """

    division = models.CharField(max_length=20, choices=Division.choices)
    date = models.DateField()
    title = models.CharField(max_length=200)
    notes = models.CharField(max_length=200, blank=True)
    bunting = models.BooleanField(default=False)

    class Meta:
        ordering = ["division", "date"]
        constraints = [models.UniqueConstraint(fields=["division", "date"], name="unique_bank_holiday_per_day")]

    def __str__(self) -> str:
        return f"{self.title}, {self.date.day} {self.date:%B %Y} ({self.get_division_display()})"


# --- Reading the holidays, cached per process ------------------------------------------------------


@dataclass
class _Calendar:
    """One division's holidays that fall on weekdays, as sorted day ordinals."""

    ordinals: list[int]
    loaded_at: float
    days: frozenset[int] = field(default_factory=frozenset)


_CACHE: dict[str, _Calendar] = {}


def forget_bank_holidays() -> None:
    """Drop the cached holidays of every division (the loader and model signals call this)."""
    _CACHE.clear()


def _division_key(division: Division | str | Partnership | None) -> str:
    if division is None:
        return Division.ENGLAND_AND_WALES.value
    if isinstance(division, str):
        if division not in Division.values:
            raise ValueError(f"Unknown bank holiday division {division!r}; use one of {', '.join(Division.values)}.")
        return str(division)
    return str(division.division)


def _calendar(division: Division | str | Partnership | None) -> _Calendar:
    key = _division_key(division)
    cached = _CACHE.get(key)
    if cached is not None and time.monotonic() - cached.loaded_at < CACHE_SECONDS:
        return cached
    dates = BankHoliday.objects.filter(division=key).values_list("date", flat=True)
    ordinals = sorted({d.toordinal() for d in dates if d.weekday() < 5})
    calendar = _Calendar(ordinals=ordinals, loaded_at=time.monotonic(), days=frozenset(ordinals))
    _CACHE[key] = calendar
    return calendar


def _weekdays_up_to(ordinal: int) -> int:
    """Mondays to Fridays among day ordinals 1..ordinal (ordinal 1, 1 January of year 1, is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _working_days_in(calendar: _Calendar, after: int, upto: int) -> int:
    """Working days with ordinals in (after, upto]; ``after <= upto``."""
    weekdays = _weekdays_up_to(upto) - _weekdays_up_to(after)
    holidays = bisect_right(calendar.ordinals, upto) - bisect_right(calendar.ordinals, after)
    return weekdays - holidays


# --- The public functions -----------------------------------------------------------------------------


def is_working_day(day: dt.date, division: Division | str | Partnership | None = None) -> bool:
    """True on a Monday to Friday that is not a bank holiday in ``division``."""
    return day.weekday() < 5 and day.toordinal() not in _calendar(division).days


def working_days_between(start: dt.date, end: dt.date, division: Division | str | Partnership | None = None) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier.

    Going back, it counts the working days from ``end`` (included) up to ``start`` (left out), so it
    mirrors going forward: ``start`` never counts, the day you arrive at does.
    """
    calendar = _calendar(division)
    a, b = start.toordinal(), end.toordinal()
    if b >= a:
        return _working_days_in(calendar, a, b)
    return -_working_days_in(calendar, b - 1, a - 1)


def add_working_days(start: dt.date, n: int, division: Division | str | Partnership | None = None) -> dt.date:
    """The ``n``-th working day after ``start`` (before it when ``n`` is negative); ``start`` never counts.

    Found by binary search on ``working_days_between``, which is arithmetic, so a six-month clock costs
    the same as a two-day one.
    """
    if n == 0:
        return start
    calendar = _calendar(division)
    origin = start.toordinal()
    if n > 0:
        # The smallest day d > start with n working days in (start, d]: that day is itself working.
        span = 2 * n + 14
        while _working_days_in(calendar, origin, origin + span) < n:
            span *= 2
        low, high = origin + 1, origin + span
        while low < high:
            middle = (low + high) // 2
            if _working_days_in(calendar, origin, middle) >= n:
                high = middle
            else:
                low = middle + 1
        return dt.date.fromordinal(low)
    wanted = -n
    # The largest day d < start with ``wanted`` working days in [d, start).
    span = 2 * wanted + 14
    while _working_days_in(calendar, origin - 1 - span, origin - 1) < wanted:
        span *= 2
    low, high = origin - span, origin - 1
    while low < high:
        middle = (low + high + 1) // 2
        if _working_days_in(calendar, middle - 1, origin - 1) >= wanted:
            low = middle
        else:
            high = middle - 1
    return dt.date.fromordinal(low)


def next_working_day(day: dt.date, division: Division | str | Partnership | None = None) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    return day if is_working_day(day, division) else add_working_days(day, 1, division)


def loaded_until(division: Division | str | Partnership | None = None) -> dt.date | None:
    """The last day the loaded holidays cover: 31 December of the latest year in the table."""
    latest = BankHoliday.objects.filter(division=_division_key(division)).aggregate(models.Max("date"))["date__max"]
    return dt.date(latest.year, 12, 31) if latest else None


# --- Loading the official file ------------------------------------------------------------------------


class BankHolidayFileError(ValueError):
    """The file is not in the layout of the official UK bank holidays JSON."""


@dataclass(frozen=True)
class HolidayRow:
    division: str
    date: dt.date
    title: str
    notes: str
    bunting: bool


@dataclass
class LoadReport:
    added: list[HolidayRow] = field(default_factory=list)
    changed: list[HolidayRow] = field(default_factory=list)
    removed: list[HolidayRow] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
            f"{self.unchanged} already up to date."
        )


def read_bank_holiday_file(path: Path | str) -> list[HolidayRow]:
    """Parse a file in the official layout: ``{division-key: {"division": key, "events": [...]}}``."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise BankHolidayFileError(f"Cannot read {path}: {error.strerror or error}.") from None
    except json.JSONDecodeError as error:
        raise BankHolidayFileError(f"{path} is not valid JSON (line {error.lineno}: {error.msg}).") from None
    return parse_bank_holidays(data)


def parse_bank_holidays(data: Any) -> list[HolidayRow]:
    if not isinstance(data, dict) or not data:
        raise BankHolidayFileError("The file must hold an object with one entry per division.")
    rows: list[HolidayRow] = []
    for key, block in data.items():
        if key not in Division.values:
            raise BankHolidayFileError(f"Unknown division {key!r}; expected {', '.join(Division.values)}.")
        if not isinstance(block, dict) or not isinstance(block.get("events"), list):
            raise BankHolidayFileError(f"The {key} entry must have an 'events' list.")
        if block.get("division", key) != key:
            raise BankHolidayFileError(f"The {key} entry names another division: {block.get('division')!r}.")
        seen: set[dt.date] = set()
        for number, event in enumerate(block["events"], start=1):
            if not isinstance(event, dict) or "date" not in event or "title" not in event:
                raise BankHolidayFileError(f"Event {number} of {key} needs a 'title' and a 'date'.")
            try:
                day = dt.date.fromisoformat(str(event["date"]))
            except ValueError:
                raise BankHolidayFileError(
                    f"Event {number} of {key} has a date that is not a real YYYY-MM-DD date: {event['date']!r}."
                ) from None
            if day in seen:
                raise BankHolidayFileError(f"{key} lists {day.isoformat()} twice.")
            seen.add(day)
            rows.append(
                HolidayRow(
                    division=key,
                    date=day,
                    title=str(event["title"]).strip()[:200],
                    notes=str(event.get("notes") or "").strip()[:200],
                    bunting=bool(event.get("bunting", False)),
                )
            )
    return rows


def load_bank_holidays(rows: list[HolidayRow]) -> LoadReport:
    """Make the table agree with ``rows``. Idempotent: loading the same file twice changes nothing.

    For each division the file is the truth for the years it covers: a holiday in the table on a
    date the file leaves out, inside those years, is removed (a holiday that was moved, as the early
    May bank holiday was for VE day in 2020). Years the file does not cover are left alone.
    """
    report = LoadReport()
    with transaction.atomic():
        by_division: dict[str, list[HolidayRow]] = {}
        for row in rows:
            by_division.setdefault(row.division, []).append(row)
        for key, wanted in by_division.items():
            first_year = min(r.date.year for r in wanted)
            last_year = max(r.date.year for r in wanted)
            existing = {
                h.date: h
                for h in BankHoliday.objects.select_for_update().filter(
                    division=key, date__gte=dt.date(first_year, 1, 1), date__lte=dt.date(last_year, 12, 31)
                )
            }
            wanted_dates = set()
            for row in sorted(wanted, key=lambda r: r.date):
                wanted_dates.add(row.date)
                current = existing.get(row.date)
                if current is None:
                    BankHoliday.objects.create(
                        division=key, date=row.date, title=row.title, notes=row.notes, bunting=row.bunting
                    )
                    report.added.append(row)
                elif (current.title, current.notes, current.bunting) != (row.title, row.notes, row.bunting):
                    current.title, current.notes, current.bunting = row.title, row.notes, row.bunting
                    current.save(update_fields=["title", "notes", "bunting"])
                    report.changed.append(row)
                else:
                    report.unchanged += 1
            for day, holiday in sorted(existing.items()):
                if day not in wanted_dates:
                    report.removed.append(HolidayRow(key, holiday.date, holiday.title, holiday.notes, holiday.bunting))
                    holiday.delete()
    forget_bank_holidays()
    return report


def _forget(sender: type, **kwargs: Any) -> None:
    forget_bank_holidays()


post_save.connect(_forget, sender=BankHoliday, dispatch_uid="workdays_forget_on_save")
post_delete.connect(_forget, sender=BankHoliday, dispatch_uid="workdays_forget_on_delete")
