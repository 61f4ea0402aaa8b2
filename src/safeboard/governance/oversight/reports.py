"""Figures for board oversight, counted in the database: attendance, the plan's progress,
the challenge log and funding.

Every function takes querysets that already start from ``visible_to``: a record the person may
not see never reaches a count, a total or a share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict

from django.db import models
from django.db.models import Case, Count, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from safeboard.actions.models import ActionQuerySet
from safeboard.core.links import record_url
from safeboard.core.models import Partnership
from safeboard.governance.meetings.choices import EXPECTED_TO_ATTEND, AttendanceStatus, MeetingStatus, MemberType
from safeboard.governance.meetings.models import Attendance, business_year_of
from safeboard.governance.oversight.choices import ChallengeStatus

# --- Business years --------------------------------------------------------------------------------------------


def current_business_year(partnership: Partnership, today: dt.date | None = None) -> int:
    return business_year_of(today or timezone.localdate(), partnership.business_year_start_month)


def business_year_dates(partnership: Partnership, year: int) -> tuple[dt.date, dt.date]:
    """The first day of the business year and the first day of the next one."""
    month = partnership.business_year_start_month
    return dt.date(year, month, 1), dt.date(year + 1, month, 1)


def business_year_label(year: int) -> str:
    return f"{year} to {year + 1}"


def year_choices(partnership: Partnership, around: int | None = None, before: int = 4, after: int = 1) -> list[int]:
    centre = around or current_business_year(partnership)
    return list(range(centre + after, centre - before - 1, -1))


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- Attendance -----------------------------------------------------------------------------------------------

STATUS_KEYS = {
    "present": AttendanceStatus.PRESENT,
    "deputy": AttendanceStatus.DEPUTY,
    "apologies": AttendanceStatus.APOLOGIES,
    "absent": AttendanceStatus.ABSENT,
}


class SeatCounts(TypedDict):
    """``expected_by``'s figures for one row."""

    expected: int
    seats: int


class StatusCounts(TypedDict, total=False):
    """``statuses_by``'s figures for one row (one per key of ``STATUS_KEYS``)."""

    present: int
    deputy: int
    apologies: int
    absent: int


@dataclass
class AttendanceRow:
    """One line of a dashboard table (a seat, an agency or a group)."""

    key: Any
    label: str
    expected: int = 0
    present: int = 0
    deputy: int = 0
    apologies: int = 0
    absent: int = 0
    required_rate: float | None = None
    seats: int = 0
    seats_below: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def not_recorded(self) -> int:
        return max(self.expected - self.present - self.deputy - self.apologies - self.absent, 0)

    @property
    def rate(self) -> float | None:
        """Attended in person, out of the meetings expected (deputies are counted separately)."""
        return self.present / self.expected if self.expected else None

    @property
    def rate_percent(self) -> str:
        return "—" if self.rate is None else f"{round(self.rate * 100)}%"

    @property
    def represented(self) -> int:
        """Meetings at which the seat's agency was there: the member in person or their named deputy."""
        return self.present + self.deputy

    @property
    def represented_rate(self) -> float | None:
        return self.represented / self.expected if self.expected else None

    @property
    def represented_percent(self) -> str:
        return "—" if self.represented_rate is None else f"{round(self.represented_rate * 100)}%"

    @property
    def required_percent(self) -> str:
        return "—" if self.required_rate is None else f"{round(self.required_rate * 100)}%"

    @property
    def seat_url(self) -> str:
        """For a seat's row: the page of the meetings behind its figures."""
        return record_url("governance:attendance-member", self.key)

    def cells_html(self) -> SafeString:
        """The row's seven figures as table cells, in the order of _attendance_head.html. Written in
        Python: the dashboard shows a row for every seat of the partnership, and a template
        included per row was most of the page's time (benchmarks/README.md)."""
        figures = [self.expected, self.present, self.deputy, self.apologies, self.absent, self.not_recorded]
        cells = [f"{int(figure)}" for figure in figures] + [escape(self.rate_percent)]
        return mark_safe("".join(f'<td class="govuk-table__cell govuk-table__cell--numeric">{c}</td>' for c in cells))  # noqa: S308 - whole numbers and an escaped percentage

    @property
    def below_required(self) -> bool:
        if self.required_rate is None:  # an agency: below when any of its seats is
            return self.seats_below > 0
        return self.rate is not None and self.rate < self.required_rate


def _meeting_counts(prefix: str, start: dt.date, end: dt.date) -> Q:
    """Meetings that count, reached through ``prefix`` (a path to a Meeting): in the business year,
    not cancelled, and either marked held or with attendance recorded."""
    recorded = Exists(Attendance.objects.filter(meeting_id=OuterRef(f"{prefix}id")))
    return (
        Q(**{f"{prefix}starts_at__gte": _aware(start), f"{prefix}starts_at__lt": _aware(end)})
        & ~Q(**{f"{prefix}status": MeetingStatus.CANCELLED})
        & (Q(**{f"{prefix}status": MeetingStatus.HELD}) | Q(recorded))
    )


def _seat_window(meeting_prefix: str, seat_prefix: str) -> Q:
    """The meeting fell while the seat was held (from its start to its end, both days included)."""
    day = f"{meeting_prefix}starts_at__date"
    return Q(**{f"{day}__gte": F(f"{seat_prefix}starts_on")}) & (
        Q(**{f"{seat_prefix}ends_on__isnull": True}) | Q(**{f"{day}__lte": F(f"{seat_prefix}ends_on")})
    )


def _status_counts() -> dict[str, Count]:
    return {name: Count("id", filter=Q(status=status)) for name, status in STATUS_KEYS.items()}


def expected_by(seats: models.QuerySet, group_by: str, start: dt.date, end: dt.date) -> dict[Any, SeatCounts]:
    """Meetings expected (seat × meeting that counts while the seat was held), and the number of
    seats, grouped by ``group_by`` (a GroupMember field path)."""
    counts_filter = _meeting_counts("group__meetings__", start, end) & _seat_window("group__meetings__", "")
    rows = (
        seats.order_by()
        .values(group_by)
        .annotate(
            expected=Count("group__meetings", filter=counts_filter),
            seats=Count("id", distinct=True),
        )
    )
    return {row[group_by]: {"expected": row["expected"], "seats": row["seats"]} for row in rows}


def statuses_by(attendance: models.QuerySet, group_by: str, start: dt.date, end: dt.date) -> dict[Any, StatusCounts]:
    """Attendance recorded at meetings that count while the seat was held, by status."""
    rows = (
        attendance.filter(_meeting_counts("meeting__", start, end) & _seat_window("meeting__", "member__"))
        .order_by()
        .values(group_by)
        .annotate(**_status_counts())
    )
    return {
        row[group_by]: StatusCounts(
            present=row["present"], deputy=row["deputy"], apologies=row["apologies"], absent=row["absent"]
        )
        for row in rows
    }


class SummedCounts(TypedDict):
    """The per-seat figures added up for an agency or a group."""

    expected: int
    seats: int
    present: int
    deputy: int
    apologies: int
    absent: int


def _sum_seats(
    seat_info: dict[Any, dict[str, Any]],
    key: str,
    expected: dict[Any, SeatCounts],
    statuses: dict[Any, StatusCounts],
) -> dict[Any, SummedCounts]:
    """The per-seat figures added up by ``key`` (``agency_id`` or ``group_id``) of each seat."""
    totals: dict[Any, SummedCounts] = {}
    for seat_id, info in seat_info.items():
        total = totals.setdefault(
            info[key], SummedCounts(expected=0, seats=0, present=0, deputy=0, apologies=0, absent=0)
        )
        seat = expected.get(seat_id, SeatCounts(expected=0, seats=1))
        total["expected"] += seat["expected"]
        total["seats"] += seat["seats"]
        counts = statuses.get(seat_id, StatusCounts())
        total["present"] += counts.get("present", 0)
        total["deputy"] += counts.get("deputy", 0)
        total["apologies"] += counts.get("apologies", 0)
        total["absent"] += counts.get("absent", 0)
    return totals


@dataclass
class AttendanceDashboard:
    members: list[AttendanceRow]
    agencies: list[AttendanceRow]
    groups: list[AttendanceRow]


def attendance_dashboard(
    seats: models.QuerySet, attendance: models.QuerySet, partnership: Partnership, year: int
) -> AttendanceDashboard:
    """Three tables for one business year: per seat, per agency, per group. Three queries in all,
    however many members and meetings there are."""
    start, end = business_year_dates(partnership, year)

    # Per seat (a person on a group). Seats that ended before the year or start after it are left out,
    # and so are seats not expected to attend: observers and advisers, and named deputies, who stand
    # in for their member (recorded on the member's seat as "deputy attended").
    in_year = (
        seats.filter(starts_on__lt=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .filter(member_type__in=list(EXPECTED_TO_ATTEND))
    )
    seat_info = {
        row["id"]: row
        for row in in_year.order_by().values(
            "id",
            "person__full_name",
            "group_id",
            "group__name",
            "agency_id",
            "agency__name",
            "member_type",
            "starts_on",
            "ends_on",
            "group__attendance_required",
            "group__attendance_out_of",
        )
    }
    expected = expected_by(in_year, "id", start, end)
    statuses = statuses_by(attendance.filter(member__in=in_year), "member_id", start, end)
    members: list[AttendanceRow] = []
    below_by_agency: dict[Any, int] = {}
    for seat_id, info in seat_info.items():
        out_of = info["group__attendance_out_of"]
        row = AttendanceRow(
            key=seat_id,
            label=info["person__full_name"],
            required_rate=info["group__attendance_required"] / out_of if out_of else 0.0,
            extra=info,
            **expected.get(seat_id, {"expected": 0, "seats": 1}),
            **statuses.get(seat_id, {}),
        )
        members.append(row)
        if row.below_required:
            below_by_agency[info["agency_id"]] = below_by_agency.get(info["agency_id"], 0) + 1
    members.sort(key=lambda r: (r.extra["group__name"], r.label, r.key))

    # Per agency and per group: sums of the per-seat figures (each seat is in one agency and one
    # group), so two queries serve all three tables.
    by_agency = _sum_seats(seat_info, "agency_id", expected, statuses)
    agency_names = {info["agency_id"]: info["agency__name"] for info in seat_info.values()}
    agencies = [
        AttendanceRow(
            key=agency_id,
            label=agency_names.get(agency_id) or "No agency (lay members and independent chair)",
            seats_below=below_by_agency.get(agency_id, 0),
            **counts,
        )
        for agency_id, counts in by_agency.items()
    ]
    agencies.sort(key=lambda r: (r.key is None, r.label))

    group_info = {info["group_id"]: info for info in seat_info.values()}
    groups = []
    for group_id, counts in _sum_seats(seat_info, "group_id", expected, statuses).items():
        info = group_info[group_id]
        out_of = info["group__attendance_out_of"]
        groups.append(
            AttendanceRow(
                key=group_id,
                label=info["group__name"],
                required_rate=info["group__attendance_required"] / out_of if out_of else 0.0,
                **counts,
            )
        )
    groups.sort(key=lambda r: r.label)
    return AttendanceDashboard(members=members, agencies=agencies, groups=groups)


def agency_representation(dashboard: AttendanceDashboard) -> list[AttendanceRow]:
    """Per agency, from its members' seats only (a named deputy's own seat is not an expectation of
    its own: their attending shows on the member's seat as "deputy attended"; observers and advisers
    do not represent the agency): meetings expected, attended in person, attended by the deputy,
    and the required rate, weighted by the meetings expected of each seat (a board asking 3 of 4
    and a panel asking 8 of 12). Worked out from the per-seat rows, with no further query."""
    totals: dict[Any, AttendanceRow] = {}
    weighted: dict[Any, float] = {}
    for row in dashboard.members:
        info = row.extra
        if info["member_type"] != MemberType.MEMBER or info["agency_id"] is None:
            continue
        agency = totals.setdefault(info["agency_id"], AttendanceRow(key=info["agency_id"], label=info["agency__name"]))
        agency.expected += row.expected
        agency.present += row.present
        agency.deputy += row.deputy
        agency.apologies += row.apologies
        agency.absent += row.absent
        agency.seats += 1
        weighted[agency.key] = weighted.get(agency.key, 0.0) + row.expected * (row.required_rate or 0.0)
    for agency in totals.values():
        agency.required_rate = weighted[agency.key] / agency.expected if agency.expected else None
    return sorted((a for a in totals.values() if a.expected), key=lambda a: a.label)


def attendance_by_agency_chart(agencies: list[AttendanceRow], year_label: str) -> Any:
    """Bars per agency: "agency represented" (the member or their named deputy attended) and
    "member attended" (in person), as percentages, against each agency's required rate."""
    from safeboard.core import charts

    return charts.bar(
        f"Attendance by agency, {year_label}",
        [row.label for row in agencies],
        {
            "Agency represented": [round((row.represented_rate or 0) * 100) for row in agencies],
            "Member attended": [round((row.rate or 0) * 100) for row in agencies],
        },
        unit="percent",
        target=[None if row.required_rate is None else round(row.required_rate * 100) for row in agencies],
        target_label="Required",
        category_header="Agency",
    )


def measure_chart(measure: Any) -> Any:
    """A measure of impact as baseline → latest → target (core.charts.measure); None without figures."""
    from safeboard.core import charts

    if measure.baseline is None and measure.latest_value is None and measure.target is None:
        return None
    unit = "percent" if measure.unit.strip() == "%" else "number"
    suffix = "" if unit == "percent" or not measure.unit else f" ({measure.unit})"
    latest_label = f"Latest, {measure.latest_on:%-d %B %Y}" if measure.latest_on else "Latest"
    return charts.measure(
        f"{measure.description}{suffix}",
        baseline=("Baseline", measure.baseline) if measure.baseline is not None else None,
        latest=(latest_label, measure.latest_value) if measure.latest_value is not None else None,
        target=("Target", measure.target) if measure.target is not None else None,
        unit=unit,
    )


def seat_meetings(
    seat: Any, meetings: models.QuerySet, attendance: models.QuerySet, partnership: Partnership, year: int
) -> list[tuple[Any, Any]]:
    """The meetings behind a seat's figures: each meeting of the group that counts while the seat
    was held, with the status recorded (or none)."""
    start, end = business_year_dates(partnership, year)
    window = Q(starts_at__date__gte=seat.starts_on)
    if seat.ends_on:
        window &= Q(starts_at__date__lte=seat.ends_on)
    recorded = {a.meeting_id: a for a in attendance.filter(member=seat).select_related("deputy")}
    rows = []
    for meeting in (
        meetings.filter(group_id=seat.group_id)
        .filter(_meeting_counts("", start, end) & window)
        .order_by("starts_at", "id")
    ):
        rows.append((meeting, recorded.get(meeting.pk)))
    return rows


# --- The business plan -------------------------------------------------------------------------------------


def rag_counts_by_priority(
    actions: ActionQuerySet, objectives: models.QuerySet, amber_days: int
) -> dict[int, dict[str, int]]:
    """Actions of the plan by RAG, per priority, counted in the database."""
    priority_of = _priority_of_action(objectives)
    rows = (
        actions.with_rag(amber_days)
        .annotate(priority_id=priority_of)
        .order_by()
        .values("priority_id", "rag")
        .annotate(n=Count("id"))
    )
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        result.setdefault(row["priority_id"], {})[row["rag"]] = row["n"]
    return result


def _priority_of_action(objectives: models.QuerySet) -> Subquery:
    """The priority of the objective an action came from (actions keep their source's id as text)."""
    return Subquery(
        objectives.annotate(key=Cast("pk", models.CharField()))
        .filter(key=OuterRef("source_id"))
        .values("priority_id")[:1]
    )


# --- The challenge log -------------------------------------------------------------------------------------


def business_year_expression(field_name: str, start_month: int) -> ExpressionWrapper:
    """The business year of a date field, worked out in the database."""
    return ExpressionWrapper(
        ExtractYear(field_name)
        - Case(When(**{f"{field_name}__month__lt": start_month}, then=Value(1)), default=Value(0)),
        output_field=models.IntegerField(),
    )


def challenge_summary(challenges: models.QuerySet, start_month: int) -> dict[str, Any]:
    """Challenges by status, per agency challenged and per business year."""
    statuses = [value for value, _ in ChallengeStatus.choices]
    counts = {s: Count("id", filter=Q(status=s)) for s in statuses}
    by_agency = (
        challenges.order_by()
        .values("agency_id", "agency__name")
        .annotate(total=Count("id"), **counts)
        .order_by("agency__name")
    )
    by_year = (
        challenges.annotate(business_year=business_year_expression("raised_on", start_month))
        .order_by()
        .values("business_year")
        .annotate(total=Count("id"), **counts)
        .order_by("-business_year")
    )
    return {"statuses": ChallengeStatus.choices, "by_agency": list(by_agency), "by_year": list(by_year)}


# --- Funding ----------------------------------------------------------------------------------------------


def funding_for_year(contributions: models.QuerySet) -> tuple[list[Any], dict[str, Decimal]]:
    """Each contribution with its share of the year's totals (cash, in kind, combined), and the totals.

    The totals are a sub-query over the same (already visible) rows, so the shares are worked out in
    the database too.
    """
    money = models.DecimalField(max_digits=14, decimal_places=2)
    sums = contributions.aggregate(
        total_cash=Coalesce(Sum("cash"), Value(Decimal(0)), output_field=money),
        total_in_kind_value=Coalesce(Sum("in_kind_value"), Value(Decimal(0)), output_field=money),
        total_in_kind_hours=Coalesce(Sum("in_kind_hours"), Value(Decimal(0)), output_field=money),
        total_combined=Coalesce(Sum(F("cash") + F("in_kind_value")), Value(Decimal(0)), output_field=money),
    )
    totals = {name.removeprefix("total_"): Decimal(value) for name, value in sums.items()}

    def share(expression: Any, total: Decimal) -> Any:
        if not total:
            return Value(None, output_field=models.FloatField())
        return ExpressionWrapper(
            Cast(expression, models.FloatField()) * 100.0 / Value(float(total)), output_field=models.FloatField()
        )

    rows = list(
        contributions.annotate(
            combined=ExpressionWrapper(F("cash") + F("in_kind_value"), output_field=money),
            cash_share=share(F("cash"), totals["cash"]),
            in_kind_share=share(F("in_kind_value"), totals["in_kind_value"]),
            combined_share=share(F("cash") + F("in_kind_value"), totals["combined"]),
        ).order_by("agency__name", "id")
    )
    return rows, totals


# --- The budget --------------------------------------------------------------------------------------------


@dataclass
class AgencyMoney:
    """One agency's money for a business year: agreed (its agreement's step), received, and its shares."""

    agency_id: int
    name: str
    agreed: Decimal = Decimal(0)
    received: Decimal = Decimal(0)
    in_kind_value: Decimal = Decimal(0)
    agreed_share: float | None = None
    received_share: float | None = None

    @property
    def outstanding(self) -> Decimal:
        """Still to come in: what was agreed and not yet received (never below nothing)."""
        return max(self.agreed - self.received, Decimal(0))


@dataclass
class BudgetSummary:
    """A business year's money for the annual report: agreed, received, outstanding, planned, spent, balance."""

    year: int
    agencies: list[AgencyMoney]
    lines: list[Any]
    agreed: Decimal
    received: Decimal
    outstanding: Decimal
    in_kind_value: Decimal
    planned: Decimal
    spent: Decimal

    @property
    def balance(self) -> Decimal:
        """Cash received less what has been spent."""
        return self.received - self.spent

    @property
    def unplanned(self) -> Decimal:
        """Agreed income not yet planned against a budget line (negative when the plan spends more)."""
        return self.agreed - self.planned

    def chart(self) -> Any:
        from safeboard.core import charts

        return charts.bar(
            f"Agreed and received by agency, {business_year_label(self.year)}",
            [row.name for row in self.agencies],
            {"Agreed": [row.agreed for row in self.agencies], "Received": [row.received for row in self.agencies]},
            unit="money",
            category_header="Agency",
        )


def _share(part: Decimal, total: Decimal) -> float | None:
    return float(part * 100 / total) if total else None


def budget_summary(
    *, year: int, steps: models.QuerySet, contributions: models.QuerySet, lines: models.QuerySet
) -> BudgetSummary:
    """The year's figures from querysets already narrowed by ``visible_to`` and to the partnership and
    year: sums per agency in the database (two grouped queries), the agencies' names (one), the lines (one)."""
    from safeboard.core.models import Agency

    money = models.DecimalField(max_digits=14, decimal_places=2)
    zero = Value(Decimal(0), output_field=money)
    agreed = {
        row["agreement__agency_id"]: row["total"]
        for row in steps.order_by()
        .values("agreement__agency_id")
        .annotate(total=Coalesce(Sum("cash"), zero, output_field=money))
    }
    received = {
        row["agency_id"]: row
        for row in contributions.order_by()
        .values("agency_id")
        .annotate(
            cash_total=Coalesce(Sum("cash"), zero, output_field=money),
            kind_total=Coalesce(Sum("in_kind_value"), zero, output_field=money),
        )
    }
    names = dict(
        Agency._base_manager.filter(pk__in=set(agreed) | set(received)).order_by("name").values_list("pk", "name")
    )
    rows = [
        AgencyMoney(
            agency_id=pk,
            name=name,
            agreed=Decimal(agreed.get(pk, 0)),
            received=Decimal(received[pk]["cash_total"]) if pk in received else Decimal(0),
            in_kind_value=Decimal(received[pk]["kind_total"]) if pk in received else Decimal(0),
        )
        for pk, name in names.items()
    ]
    total_agreed = sum((row.agreed for row in rows), Decimal(0))
    total_received = sum((row.received for row in rows), Decimal(0))
    for row in rows:
        row.agreed_share = _share(row.agreed, total_agreed)
        row.received_share = _share(row.received, total_received)
    budget_lines = list(lines.order_by("title", "id"))
    return BudgetSummary(
        year=year,
        agencies=rows,
        lines=budget_lines,
        agreed=total_agreed,
        received=total_received,
        outstanding=sum((row.outstanding for row in rows), Decimal(0)),
        in_kind_value=sum((row.in_kind_value for row in rows), Decimal(0)),
        planned=sum((line.planned for line in budget_lines), Decimal(0)),
        spent=sum((line.spent for line in budget_lines), Decimal(0)),
    )
