"""Board business, the annual cycle: meeting series (recurring meetings), each group's standing
items and forward plan, and the pipeline a paper goes through before it is circulated (requested
from its author with a deadline, submitted with a cover sheet, checked by the business unit or the
executive). Decisions are ``members.ItemDecision`` (one record for a decision, whether taken at a
meeting or between meetings)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from safeboard.core.fields import PARAGRAPHS, BoundedTextField
from safeboard.core.models import Agency, AuditedModel
from safeboard.core.text import day_text
from safeboard.governance.meetings.access import GroupBusinessQuerySet
from safeboard.governance.meetings.choices import ConfidentialReason, ItemPurpose
from safeboard.governance.meetings.models import AgendaItem, Group, Meeting, Paper

User = settings.AUTH_USER_MODEL


# --- Meeting series --------------------------------------------------------------------------------------


class SeriesRule(models.TextChoices):
    WEEKDAY = "weekday", "On a weekday of the month, for example the second Tuesday"
    DAY = "day", "On a date of the month, for example the 15th"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, "First"
    SECOND = 2, "Second"
    THIRD = 3, "Third"
    FOURTH = 4, "Fourth"
    LAST = 5, "Last"


class EveryMonths(models.IntegerChoices):
    MONTHLY = 1, "Every month"
    TWO = 2, "Every two months"
    QUARTERLY = 3, "Every three months (quarterly)"
    FOUR = 4, "Every four months"
    SIX = 6, "Every six months"
    YEARLY = 12, "Once a year"


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def nth_weekday(year: int, month: int, weekday: int, week: int) -> dt.date:
    """The ``week``-th ``weekday`` of the month (``week`` 5: the last one)."""
    days = [
        day
        for day in (dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1))
        if day.weekday() == weekday
    ]
    return days[-1] if week == WeekOfMonth.LAST else days[week - 1]


class SeriesQuerySet(GroupBusinessQuerySet):
    partnership_field = "group__partnership"
    group_path = "group"


class MeetingSeries(AuditedModel):
    """A group's recurring meetings: every so many months from its first month, on a weekday of the
    month (the second Tuesday) or a date (the 15th; the month's last day when it is shorter), at a
    time, for a length, at a venue. ``generate_meetings`` makes the scheduled meetings it describes."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="series")
    every_months = models.PositiveSmallIntegerField(
        "How often", choices=EveryMonths.choices, default=EveryMonths.QUARTERLY
    )
    starts_on = models.DateField(
        "First meeting month", help_text="The series starts in this date's month; no meeting is made before it."
    )
    ends_on = models.DateField("Last date (optional)", null=True, blank=True)
    rule = models.CharField("Which day", max_length=10, choices=SeriesRule.choices, default=SeriesRule.WEEKDAY)
    week_of_month = models.PositiveSmallIntegerField(
        "Week of the month", choices=WeekOfMonth.choices, null=True, blank=True
    )
    weekday = models.PositiveSmallIntegerField("Day of the week", choices=Weekday.choices, null=True, blank=True)
    day_of_month = models.PositiveSmallIntegerField("Date of the month", null=True, blank=True)
    start_time = models.TimeField()
    length_minutes = models.PositiveSmallIntegerField("Length (minutes)", default=120)
    venue = models.CharField(max_length=200, blank=True)
    online_link = models.URLField("Online meeting link", blank=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["group", "starts_on", "id"]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return f"{self.group}: {self.pattern_text}"

    def get_absolute_url(self) -> str:
        return reverse("governance:forward-plan", args=[self.group_id])

    @property
    def partnership_id(self) -> int:
        return self.group.partnership_id

    @property
    def pattern_text(self) -> str:
        how_often = EveryMonths(self.every_months).label if self.every_months in EveryMonths.values else ""
        if self.rule == SeriesRule.WEEKDAY and self.week_of_month and self.weekday is not None:
            which = f"{WeekOfMonth(self.week_of_month).label.lower()} {Weekday(self.weekday).label}"
        else:
            which = f"day {self.day_of_month}"
        return f"{how_often}, {which} of the month at {self.start_time:%H:%M}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.rule == SeriesRule.WEEKDAY:
            if not self.week_of_month:
                errors["week_of_month"] = "Choose the week of the month."
            if self.weekday is None:
                errors["weekday"] = "Choose the day of the week."
        elif not self.day_of_month or not 1 <= self.day_of_month <= 31:
            errors["day_of_month"] = "Enter a date of the month from 1 to 31."
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The last date must be after the first meeting month."
        if not self.length_minutes or self.length_minutes > 12 * 60:
            errors["length_minutes"] = "Enter a length from 1 to 720 minutes."
        if errors:
            raise ValidationError(errors)

    def day_in(self, year: int, month: int) -> dt.date:
        if self.rule == SeriesRule.WEEKDAY:
            return nth_weekday(year, month, self.weekday or 0, self.week_of_month or 1)
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, min(self.day_of_month or 1, last))

    def dates_between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The series' meeting days from ``start`` to ``end``, both included."""
        days: list[dt.date] = []
        month = self.starts_on.replace(day=1)
        step = max(self.every_months, 1)
        while month <= end:
            day = self.day_in(month.year, month.month)
            if start <= day <= end and day >= self.starts_on and (self.ends_on is None or day <= self.ends_on):
                days.append(day)
            month = add_months(month, step)
        return days


# --- Standing items and the forward plan -------------------------------------------------------------------


class StandingKind(models.TextChoices):
    APOLOGIES = "apologies", "Welcome and apologies"
    DECLARATIONS = "declarations", "Declarations of interest"
    MINUTES = "minutes", "Minutes of the last meeting"
    ACTION_LOG = "action_log", "Action log"
    AOB = "aob", "Any other business"
    OTHER = "other", "Another standing item"


# Every group starts from these (position, kind, minutes, placed after the forward plan items?).
DEFAULT_STANDING_ITEMS: tuple[tuple[int, str, int, bool], ...] = (
    (1, StandingKind.APOLOGIES, 5, False),
    (2, StandingKind.DECLARATIONS, 5, False),
    (3, StandingKind.MINUTES, 10, False),
    (4, StandingKind.ACTION_LOG, 10, False),
    (5, StandingKind.AOB, 10, True),
)


class StandingItemQuerySet(GroupBusinessQuerySet):
    partnership_field = "group__partnership"
    group_path = "group"


class StandingItem(AuditedModel):
    """An item on every agenda of a group. Those not ``at_end`` open the agenda (in ``position``
    order), those ``at_end`` close it, after the forward plan's items."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="standing_items")
    kind = models.CharField(max_length=20, choices=StandingKind.choices, default=StandingKind.OTHER)
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField("Order", default=1)
    minutes_allowed = models.PositiveSmallIntegerField("Time allowed (minutes)", default=5)
    at_end = models.BooleanField("Place it at the end of the agenda", default=False)
    is_active = models.BooleanField("Put it on every agenda", default=True)

    objects = StandingItemQuerySet.as_manager()

    class Meta:
        ordering = ["group", "at_end", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:forward-plan", args=[self.group_id])

    @property
    def partnership_id(self) -> int:
        return self.group.partnership_id


class ForwardPlanQuerySet(GroupBusinessQuerySet):
    partnership_field = "group__partnership"
    group_path = "group"
    confidential_paths = ("confidential_reason",)


class ForwardPlanItem(AuditedModel):
    """An item planned for a future meeting of a group: a specific meeting, or a target month (it goes
    on the agenda of the group's first meeting from the start of that month). ``agenda_item`` is set
    once it is placed on an agenda."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="forward_plan")
    title = models.CharField(max_length=200)
    purpose = models.CharField(max_length=12, choices=ItemPurpose.choices, default=ItemPurpose.DISCUSSION)
    presenter = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    target_month = models.DateField("Month", null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="Meeting"
    )
    minutes_allowed = models.PositiveSmallIntegerField("Time allowed (minutes)", default=15)
    confidential_reason = models.CharField(
        "Confidential because", max_length=20, choices=ConfidentialReason.choices, blank=True
    )
    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="forward_plan_item"
    )
    placed_at = models.DateTimeField(null=True, blank=True)

    objects = ForwardPlanQuerySet.as_manager()

    class Meta:
        ordering = ["group", "target_month", "id"]
        indexes = [models.Index(fields=["group", "target_month"], name="forwardplan_group_month")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('governance:forward-plan', args=[self.group_id])}#plan-{self.pk}"

    @property
    def partnership_id(self) -> int:
        return self.group.partnership_id

    @property
    def is_placed(self) -> bool:
        return self.agenda_item_id is not None

    @property
    def when_text(self) -> str:
        if self.meeting_id and self.meeting is not None:
            return f"Meeting on {day_text(self.meeting.starts_at)}"
        if self.target_month:
            return f"{self.target_month:%B %Y}"
        return "Not scheduled"

    def clean(self) -> None:
        if not self.target_month and not self.meeting_id:
            raise ValidationError({"target_month": "Choose a month, a meeting, or both."})
        meeting = self.meeting if self.meeting_id else None
        if meeting is not None and self.group_id and meeting.group_id != self.group_id:
            raise ValidationError({"meeting": "Choose a meeting of this group."})
        if self.target_month:
            self.target_month = self.target_month.replace(day=1)


# --- The report pipeline -------------------------------------------------------------------------------------


class PaperStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SUBMITTED = "submitted", "Submitted, waiting for its check"
    CHECKED = "checked", "Checked, ready to circulate"


class PaperRequestQuerySet(GroupBusinessQuerySet):
    partnership_field = "item__meeting__group__partnership"
    group_path = "item__meeting__group"
    confidential_paths = ("item__confidential_reason",)
    owner_field = "author"


class PaperRequest(AuditedModel):
    """A paper asked of its author for an agenda item: the author's deadline, the cover sheet they
    fill in when they submit it, and the check before the papers are circulated."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="paper_requests")
    title = models.CharField("Title of the paper", max_length=200)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    due_on = models.DateField("Author's deadline")
    status = models.CharField(max_length=12, choices=PaperStatus.choices, default=PaperStatus.REQUESTED)
    # The cover sheet, required before the paper is submitted.
    purpose = BoundedTextField("Purpose of the paper", max_length=PARAGRAPHS, blank=True)
    decision_asked = BoundedTextField("What the group is asked to decide", max_length=PARAGRAPHS, blank=True)
    impact_on_children = BoundedTextField("Impact on children", max_length=PARAGRAPHS, blank=True)
    risks = BoundedTextField("Risks", max_length=PARAGRAPHS, blank=True)
    paper = models.OneToOneField(Paper, on_delete=models.SET_NULL, null=True, blank=True, related_name="request")
    submitted_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = PaperRequestQuerySet.as_manager()

    class Meta:
        ordering = ["item", "id"]
        indexes = [
            models.Index(fields=["author", "status"], name="paperrequest_author"),
            models.Index(fields=["status", "due_on"], name="paperrequest_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:paper-request", args=[self.pk])

    @property
    def partnership_id(self) -> int:
        return self.item.meeting.group.partnership_id

    @property
    def has_cover_sheet(self) -> bool:
        return all(text.strip() for text in (self.purpose, self.decision_asked, self.impact_on_children, self.risks))
