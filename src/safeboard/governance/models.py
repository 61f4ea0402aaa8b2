"""Board business: the board and its groups, who sits on them, meetings, attendance, minutes,
agency accountability, the business plan, the challenge log and funding."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from safeboard.core.models import Agency, AuditedModel, Partnership
from safeboard.core.querysets import ScopedQuerySet

User = settings.AUTH_USER_MODEL


def business_year_of(day: dt.date, start_month: int = 4) -> int:
    """The calendar year a business year starts in: 12 May 2026 is in 2026/27, 3 February 2027 too."""
    return day.year if day.month >= start_month else day.year - 1


# --- Boards and groups ----------------------------------------------------------------------------------


class GroupKind(models.TextChoices):
    BOARD = "board", "Board"
    EXECUTIVE = "executive", "Executive group"
    SUBGROUP = "subgroup", "Subgroup"
    PANEL = "panel", "Panel (for example the child death overview panel)"
    TASK_AND_FINISH = "task_and_finish", "Task-and-finish group"


class MeetingFrequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"
    TWICE_YEARLY = "twice_yearly", "Twice a year"
    AS_NEEDED = "as_needed", "As needed"


class Group(AuditedModel):
    """The board, its executive, a subgroup or a task-and-finish group."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=GroupKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subgroups",
        help_text="The group this one reports to.",
    )
    terms_of_reference = models.TextField(blank=True)
    terms_document = models.FileField(upload_to="governance/terms/%Y/", blank=True)
    chair = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    vice_chair = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    meeting_frequency = models.CharField(
        max_length=20, choices=MeetingFrequency.choices, default=MeetingFrequency.QUARTERLY
    )
    # "At least 3 of 4 meetings a year" unless the group says otherwise.
    attendance_required = models.PositiveSmallIntegerField("Meetings each member must attend", default=3)
    attendance_out_of = models.PositiveSmallIntegerField("Out of", default=4)
    is_active = models.BooleanField(default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="unique_group_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:group-detail", args=[self.pk])

    def clean(self) -> None:
        if self.attendance_out_of and self.attendance_required > self.attendance_out_of:
            raise ValidationError(
                {"attendance_required": "This cannot be more than the number of meetings it is out of."}
            )
        if self.parent_id and self.parent.partnership_id != self.partnership_id:
            raise ValidationError({"parent": "Choose a group of this partnership."})

    @property
    def required_rate(self) -> float:
        return self.attendance_required / self.attendance_out_of if self.attendance_out_of else 0.0


class MemberType(models.TextChoices):
    MEMBER = "member", "Member"
    DEPUTY = "deputy", "Named deputy"
    LAY_MEMBER = "lay_member", "Lay member"
    ADVISER = "adviser", "Adviser"
    OBSERVER = "observer", "Observer"


class GroupMemberQuerySet(ScopedQuerySet):
    partnership_field = "group__partnership"
    agency_field = "agency"
    owner_field = "person"


class GroupMember(AuditedModel):
    """A person's seat on a group, and the agency they represent there."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="group_seats")
    member_type = models.CharField(max_length=20, choices=MemberType.choices, default=MemberType.MEMBER)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agency they represent (none for lay members and the independent chair).",
    )
    deputy_for = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="deputies")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    agreement_signed_on = models.DateField("Partner agreement signed on", null=True, blank=True)
    agreement_document = models.FileField(upload_to="governance/agreements/%Y/", blank=True)

    objects = GroupMemberQuerySet.as_manager()

    class Meta:
        ordering = ["group", "person__full_name"]
        indexes = [models.Index(fields=["group", "ends_on"], name="groupmember_current")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_member_type_display()}, {self.group})"

    @property
    def partnership_id(self) -> int:
        return self.group.partnership_id

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})

    def seated_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class InductionQuerySet(ScopedQuerySet):
    partnership_field = "member__group__partnership"


class LayMemberInduction(AuditedModel):
    """The steps that welcome a lay member: induction pack, a buddy, a six-month meeting with the chair."""

    member = models.OneToOneField(GroupMember, on_delete=models.CASCADE, related_name="induction")
    pack_sent_on = models.DateField("Induction pack sent on", null=True, blank=True)
    buddy = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    six_month_meeting_held_on = models.DateField("Six-month meeting with the chair held on", null=True, blank=True)

    objects = InductionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Induction of {self.member.person}"

    @property
    def six_month_meeting_due(self) -> dt.date:
        start = self.member.starts_on
        month = start.month + 6
        year = start.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        return start.replace(year=year, month=month, day=min(start.day, 28))


# --- Meetings ------------------------------------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class MinutesStatus(models.TextChoices):
    NONE = "none", "Not started"
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published to members"


class MeetingQuerySet(ScopedQuerySet):
    partnership_field = "group__partnership"


class Meeting(AuditedModel):
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=200, blank=True)
    online_link = models.URLField("Online meeting link", blank=True)
    status = models.CharField(max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    papers_circulated_at = models.DateTimeField(null=True, blank=True)
    minutes_status = models.CharField(max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.NONE)
    minutes_approved_at = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The meeting that approved these minutes.",
    )
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    # Asked at the end of every board meeting.
    difference_for_children = models.TextField("What difference will this make for children?", blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            # Meetings of a group in date order; the attendance dashboard's business-year window.
            models.Index(fields=["group", "starts_at"], name="meeting_group_date"),
            models.Index(fields=["starts_at", "id"], name="meeting_date_keyset"),
        ]

    def __str__(self) -> str:
        return f"{self.group} – {self.starts_at:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting-detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The meeting must end after it starts."})

    @property
    def partnership_id(self) -> int:
        return self.group.partnership_id

    @property
    def papers_due_on(self) -> dt.date:
        from django.utils import timezone

        days = self.group.partnership.papers_due_days
        return timezone.localtime(self.starts_at).date() - dt.timedelta(days=days)


class ItemPurpose(models.TextChoices):
    DECISION = "decision", "For decision"
    DISCUSSION = "discussion", "For discussion"
    INFORMATION = "information", "For information"


class AgendaItemQuerySet(ScopedQuerySet):
    partnership_field = "meeting__group__partnership"


class AgendaItem(AuditedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    presenter = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    purpose = models.CharField(max_length=12, choices=ItemPurpose.choices, default=ItemPurpose.DISCUSSION)
    minutes_allowed = models.PositiveSmallIntegerField("Time allowed (minutes)", default=15)
    discussion = models.TextField("Summary of the discussion", blank=True)
    decisions = models.TextField(blank=True)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="unique_item_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#item-{self.pk}"

    @property
    def partnership_id(self) -> int:
        return self.meeting.group.partnership_id


class PaperQuerySet(ScopedQuerySet):
    partnership_field = "item__meeting__group__partnership"


class Paper(AuditedModel):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="governance/papers/%Y/%m/")
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agency that wrote the paper (for counting late papers).",
    )

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def partnership_id(self) -> int:
        return self.item.meeting.group.partnership_id

    @property
    def is_late(self) -> bool:
        from django.utils import timezone

        return timezone.localtime(self.uploaded_at).date() > self.item.meeting.papers_due_on


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies sent"
    DEPUTY = "deputy", "Deputy attended"
    ABSENT = "absent", "Absent without apologies"


class AttendanceQuerySet(ScopedQuerySet):
    partnership_field = "meeting__group__partnership"
    agency_field = "member__agency"
    owner_field = "member__person"


class Attendance(AuditedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(GroupMember, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=12, choices=AttendanceStatus.choices)
    deputy = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="Who came in their place."
    )
    note = models.CharField(max_length=300, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="unique_attendance")]
        indexes = [models.Index(fields=["member", "status"], name="attendance_member_status")]

    def __str__(self) -> str:
        return f"{self.member.person} at {self.meeting}: {self.get_status_display()}"

    def clean(self) -> None:
        if self.status == AttendanceStatus.DEPUTY and not self.deputy_id:
            raise ValidationError({"deputy": "Say who attended as deputy."})


class FollowUpQuerySet(ScopedQuerySet):
    partnership_field = "attendance__meeting__group__partnership"


class AbsenceFollowUp(AuditedModel):
    """An absence without apologies, for the business manager to follow up. Internal to the business unit."""

    attendance = models.OneToOneField(Attendance, on_delete=models.CASCADE, related_name="follow_up")
    done_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    objects = FollowUpQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Follow up absence: {self.attendance}"


# --- Accountability, plan, challenge, funding ------------------------------------------------------------------


class AgencyRecordQuerySet(ScopedQuerySet):
    """Records about one agency: an agency lead's AGENCY scope reaches their own agency's."""

    agency_field = "agency"


class AccountabilitySession(AuditedModel):
    """An agency's annual session in front of the board: the data it presented and the challenges raised."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    held_on = models.DateField()
    presented_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    data_presented = models.TextField()
    challenges_raised = models.TextField(blank=True)
    document = models.FileField(upload_to="governance/accountability/%Y/", blank=True)

    objects = AgencyRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.agency} accountability session, {self.held_on:%B %Y}"


class BusinessPlan(AuditedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="business_plans")
    title = models.CharField(max_length=200)
    first_year = models.PositiveSmallIntegerField(
        help_text="The year the plan's first business year starts, for example 2026."
    )
    last_year = models.PositiveSmallIntegerField(
        help_text="At most two years after the first (a plan covers up to three years)."
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-first_year"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:plan-detail", args=[self.pk])

    def clean(self) -> None:
        if self.first_year and self.last_year and not 0 <= self.last_year - self.first_year <= 2:
            raise ValidationError({"last_year": "A plan covers one to three business years."})


class PriorityQuerySet(ScopedQuerySet):
    partnership_field = "plan__partnership"


class Priority(AuditedModel):
    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    sponsor = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", help_text="The board member who answers for it."
    )
    rationale = models.TextField(
        help_text="What local knowledge it came from: data, audits, reviews, what children said."
    )

    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return f"Priority {self.number}: {self.title}"


class ObjectiveQuerySet(ScopedQuerySet):
    partnership_field = "priority__plan__partnership"


class Objective(AuditedModel):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    business_year = models.PositiveSmallIntegerField()
    text = models.TextField("Objective")

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "business_year", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return self.priority.plan.get_absolute_url()

    @property
    def partnership_id(self) -> int:
        return self.priority.plan.partnership_id


class MeasureQuerySet(ScopedQuerySet):
    partnership_field = "action__partnership"
    agency_field = "action__agency"
    owner_field = "action__owner"


class Measure(AuditedModel):
    """How we will know an action made a difference for children."""

    action = models.ForeignKey("actions.Action", on_delete=models.CASCADE, related_name="measures")
    description = models.CharField(max_length=300)
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    latest_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    latest_on = models.DateField("Latest value as at", null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True, help_text="For example ‘%’ or ‘children’.")
    is_proxy = models.BooleanField(
        "This is a proxy measure",
        default=False,
        help_text="It measures activity or process, not the difference for children directly.",
    )

    objects = MeasureQuerySet.as_manager()

    def __str__(self) -> str:
        return self.description

    @property
    def partnership_id(self) -> int:
        return self.action.partnership_id


class ChallengeStatus(models.TextChoices):
    OPEN = "open", "Waiting for a response"
    RESPONDED = "responded", "Responded"
    RESOLVED = "resolved", "Resolved"
    ESCALATED = "escalated", "Escalated"


class Challenge(AuditedModel):
    """Scrutiny and challenge between partners, and how each was answered."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField()
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name="Agency challenged")
    issue = models.TextField()
    forum = models.CharField(
        max_length=150, blank=True, help_text="Where it was raised, for example ‘Board, 12 March’."
    )
    response_due = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN)
    escalation_level = models.PositiveSmallIntegerField(
        default=0, help_text="0 when not escalated; 1 to 3 for each step up."
    )

    objects = AgencyRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["partnership", "agency", "raised_on"], name="challenge_agency")]

    def __str__(self) -> str:
        return f"Challenge to {self.agency}, {self.raised_on:%d %b %Y}"


class FundingContribution(AuditedModel):
    """An agency's contribution to the partnership for one business year, in cash and in kind."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    business_year = models.PositiveSmallIntegerField()
    cash = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    in_kind_hours = models.DecimalField(max_digits=8, decimal_places=1, default=0)
    in_kind_value = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    in_kind_description = models.CharField("What the in-kind help was for", max_length=300, blank=True)

    objects = AgencyRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-business_year", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "agency", "business_year"], name="unique_contribution")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.business_year}/{(self.business_year + 1) % 100:02d}"


class FundingAgreement(AuditedModel):
    """An agency's funding agreement over a three-year cycle."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    first_year = models.PositiveSmallIntegerField()
    cash_per_year = models.DecimalField(max_digits=12, decimal_places=2)
    signed_on = models.DateField(null=True, blank=True)
    document = models.FileField(upload_to="governance/funding/%Y/", blank=True)

    objects = AgencyRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-first_year", "agency__name"]

    def __str__(self) -> str:
        return f"{self.agency} agreement {self.first_year}–{self.first_year + 3}"

    @property
    def last_year(self) -> int:
        return self.first_year + 2
