"""The quarterly monitoring report: the partnership's actions in one business quarter, grouped by
where they came from and then by agency, with counts by RAG rating worked out in the database; at its
top, the change from the previous quarter and a chart of the RAG totals over the last four quarters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone

from safeboard.actions.filters import source_type_label
from safeboard.actions.models import LIVE_STATUSES, RAG, Action
from safeboard.core import charts
from safeboard.core.models import Agency, Partnership

if TYPE_CHECKING:
    from safeboard.accounts.models import User

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Quarter:
    """Quarter ``number`` (1–4) of the business year that starts in ``start_month`` of ``year``."""

    year: int
    number: int
    start_month: int

    @property
    def start(self) -> dt.date:
        year, month = _add_months(self.year, self.start_month, 3 * (self.number - 1))
        return dt.date(year, month, 1)

    @property
    def end(self) -> dt.date:
        year, month = _add_months(self.start.year, self.start.month, 3)
        return dt.date(year, month, 1) - dt.timedelta(days=1)

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def business_year(self) -> str:
        if self.start_month == 1:
            return str(self.year)
        return f"{self.year} to {self.year + 1}"

    @property
    def short_label(self) -> str:
        """The quarter's months for a chart's axis, for example "Jan to Mar 2027"."""
        start, end = self.start, self.end
        return f"{_MONTHS[start.month - 1][:3]} to {_MONTHS[end.month - 1][:3]} {end.year}"

    @property
    def label(self) -> str:
        start, end = self.start, self.end
        return (
            f"Quarter {self.number} of {self.business_year} "
            f"({_MONTHS[start.month - 1]} to {_MONTHS[end.month - 1]} {end.year})"
        )

    def shifted(self, quarters: int) -> Quarter:
        index = self.year * 4 + (self.number - 1) + quarters
        return Quarter(index // 4, index % 4 + 1, self.start_month)


def quarter_containing(day: dt.date, start_month: int) -> Quarter:
    offset = (day.month - start_month) % 12
    year = day.year if day.month >= start_month else day.year - 1
    return Quarter(year, offset // 3 + 1, start_month)


def parse_quarter(key: str, start_month: int) -> Quarter | None:
    year, _, number = key.partition("-Q")
    if not (year.isdigit() and number.isdigit()) or not 1 <= int(number) <= 4 or not 2000 <= int(year) <= 2100:
        return None
    return Quarter(int(year), int(number), start_month)


def quarter_choices(today: dt.date, start_month: int, back: int = 8) -> list[Quarter]:
    current = quarter_containing(today, start_month)
    return [current.shifted(-i) for i in range(back + 1)]


@dataclass
class RagCounts:
    red: int = 0
    amber: int = 0
    green: int = 0
    done: int = 0

    @property
    def total(self) -> int:
        return self.red + self.amber + self.green + self.done

    def add(self, rag: str, n: int) -> None:
        setattr(self, rag, getattr(self, rag) + n)

    def merge(self, other: RagCounts) -> None:
        for rag in RAG.values:
            self.add(rag, getattr(other, rag))


@dataclass
class AgencyGroup:
    name: str
    counts: RagCounts = field(default_factory=RagCounts)
    actions: list[Action] = field(default_factory=list)


@dataclass
class SourceGroup:
    label: str
    agencies: list[AgencyGroup] = field(default_factory=list)
    counts: RagCounts = field(default_factory=RagCounts)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _live_in(quarter: Quarter) -> Q:
    """Added before the quarter's end and not finished before its start."""
    starts, ends = _day_start(quarter.start), _day_start(quarter.end + dt.timedelta(days=1))
    return Q(created_at__lt=ends) & (Q(closed_at__isnull=True) | Q(closed_at__gte=starts))


def _finished_by(as_at: dt.date) -> tuple[Q, Q]:
    """(finished, not finished) by the end of ``as_at``: closed or cancelled by then. An action that
    is not live but has no closing time counts as finished whenever it is asked about."""
    day_end = _day_start(as_at + dt.timedelta(days=1))
    finished = Q(closed_at__lt=day_end) | (Q(closed_at__isnull=True) & ~Q(status__in=LIVE_STATUSES))
    unfinished = Q(closed_at__gte=day_end) | (Q(closed_at__isnull=True) & Q(status__in=LIVE_STATUSES))
    return finished, unfinished


def rag_as_at(as_at: dt.date, amber_days: int) -> Case:
    """The RAG rating an action had at the end of ``as_at``: finished if it was closed or cancelled
    by then (an action closed later was still live), otherwise by its due date. For today this is
    the log's own rating (``ActionQuerySet.with_rag``)."""
    finished, _ = _finished_by(as_at)
    return Case(
        When(finished, then=Value(RAG.DONE.value)),
        When(due_date__lt=as_at, then=Value(RAG.RED.value)),
        When(due_date__lte=as_at + dt.timedelta(days=amber_days), then=Value(RAG.AMBER.value)),
        default=Value(RAG.GREEN.value),
        output_field=models.CharField(),
    )


def rag_by_quarter(
    actions: models.QuerySet[Action], quarters: list[Quarter], today: dt.date, amber_days: int
) -> list[RagCounts]:
    """RAG totals of the actions live in each quarter, rated as at the quarter's end (or today): one
    query, whatever the number of quarters and actions."""
    aggregates: dict[str, Count] = {}
    for k, quarter in enumerate(quarters):
        as_at = min(today, quarter.end)
        live = _live_in(quarter)
        finished, unfinished = _finished_by(as_at)
        amber_until = as_at + dt.timedelta(days=amber_days)
        aggregates[f"q{k}_done"] = Count("id", filter=live & finished)
        aggregates[f"q{k}_red"] = Count("id", filter=live & unfinished & Q(due_date__lt=as_at))
        aggregates[f"q{k}_amber"] = Count(
            "id", filter=live & unfinished & Q(due_date__gte=as_at, due_date__lte=amber_until)
        )
        aggregates[f"q{k}_green"] = Count("id", filter=live & unfinished & Q(due_date__gt=amber_until))
    row = actions.order_by().aggregate(**aggregates)
    return [RagCounts(**{rag: row[f"q{k}_{rag}"] for rag in RAG.values}) for k in range(len(quarters))]


@dataclass(frozen=True)
class Change:
    """One line of "change from the previous quarter"."""

    label: str
    before: int
    now: int

    @property
    def words(self) -> str:
        difference = self.now - self.before
        if difference == 0:
            return "no change"
        return f"{'up' if difference > 0 else 'down'} {abs(difference):,}"


RAG_SERIES = {
    RAG.RED.value: ("red", "solid"),
    RAG.AMBER.value: ("yellow", "diagonal"),
    RAG.GREEN.value: ("green", "dots"),
    RAG.DONE.value: ("grey", "crosshatch"),
}


def rag_trend_chart(quarters: list[Quarter], trend: list[RagCounts]) -> charts.StackedBarChart:
    return charts.stacked_bar(
        "RAG ratings over the last four quarters",
        [q.short_label for q in quarters],
        [
            charts.Series(label, tuple(getattr(c, value) for c in trend), *RAG_SERIES[value])
            for value, label in RAG.choices
        ],
        unit="count",
        category_header="Quarter",
        description="Actions live in each quarter, rated as at its last day (this quarter: as at today).",
    )


def quarterly_report(
    user: User, partnership: Partnership, quarter: Quarter, today: dt.date | None = None
) -> dict[str, Any]:
    """Actions live at some point in the quarter (added before its end and not finished before its
    start), including those closed or cancelled during it. RAG is as at the quarter's end, or today
    for the current quarter. Four queries, whatever the number of actions."""
    today = today or timezone.localdate()
    as_at = min(today, quarter.end)
    visible = Action.objects.visible_to(user).in_partnership(partnership)
    actions = visible.filter(_live_in(quarter)).annotate(rag=rag_as_at(as_at, partnership.action_amber_days))
    rows = actions.values("source_type_id", "agency_id", "rag").annotate(n=Count("id")).order_by()
    counts: dict[tuple[int | None, int], RagCounts] = {}
    for row in rows:
        counts.setdefault((row["source_type_id"], row["agency_id"]), RagCounts()).add(row["rag"], row["n"])
    agency_names = dict(Agency.objects.filter(pk__in={agency for _, agency in counts}).values_list("pk", "name"))
    listed: dict[tuple[int | None, int], list[Action]] = {}
    for action in actions.select_related("owner").order_by("due_date", "id"):
        listed.setdefault((action.source_type_id, action.agency_id), []).append(action)

    sources: dict[int | None, SourceGroup] = {}
    total = RagCounts()
    for (source_type_id, agency_id), group_counts in counts.items():
        content_type = ContentType.objects.get_for_id(source_type_id) if source_type_id else None
        source = sources.setdefault(source_type_id, SourceGroup(source_type_label(content_type)))
        source.agencies.append(
            AgencyGroup(agency_names.get(agency_id, ""), group_counts, listed.get((source_type_id, agency_id), []))
        )
        source.counts.merge(group_counts)
        total.merge(group_counts)
    groups = sorted(sources.values(), key=lambda s: (s.label == "No source", s.label))
    for source in groups:
        source.agencies.sort(key=lambda a: a.name)

    quarters = [quarter.shifted(-i) for i in range(3, -1, -1)]
    trend = rag_by_quarter(visible, quarters, today, partnership.action_amber_days)
    previous = trend[-2]
    changes = [Change(label, getattr(previous, value), getattr(total, value)) for value, label in RAG.choices]
    changes.append(Change("All actions", previous.total, total.total))
    return {
        "quarter": quarter,
        "as_at": as_at,
        "groups": groups,
        "total": total,
        "previous_quarter": quarters[-2],
        "changes": changes,
        "trend": list(zip(quarters, trend, strict=True)),
        "rag_chart": rag_trend_chart(quarters, trend),
    }
