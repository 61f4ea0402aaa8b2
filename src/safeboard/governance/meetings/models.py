"""Board business, meetings: the board and its groups, who sits on them, meetings, agenda items,
papers, attendance and absence follow-ups. Django finds these through ``governance/models.py``
(the app's model module, app label ``governance``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from safeboard.core.fields import DOCUMENT, NOTE, PARAGRAPHS, BoundedTextField
from safeboard.core.links import record_url
from safeboard.core.models import Agency, AuditedModel, Partnership
from safeboard.core.text import day_text
from safeboard.governance.meetings.access import GroupBusinessQuerySet, scrutiny_papers
from safeboard.governance.meetings.choices import (
    AttendanceStatus,
    ConfidentialReason,
    GroupAccess,
    GroupKind,
    ItemPurpose,
    MeetingFrequency,
    MeetingStatus,
    MemberType,
    MinutesStatus,
    default_access,
)

User = settings.AUTH_USER_MODEL

if TYPE_CHECKING:
    from safeboard.accounts.models import User as Person


def business_year_of(day: dt.date, start_month: int = 4) -> int:
    """The calendar year a business year starts in: 12 May 2026 is in 2026/27, 3 February 2027 too."""
    return day.year if day.month >= start_month else day.year - 1


class GroupQuerySet(GroupBusinessQuerySet):
    partnership_field = "partnership"
    group_path = ""


class Group(AuditedModel):
    """The board, its executive, a subgroup, a panel or a task-and-finish group.

    ``partnership`` is the host partnership: it alone changes the group, its seats and its meetings.
    A group that serves several partnerships (a sub-regional child death panel) names the others in
    ``member_partnerships``; they read its business under the same access rule (``access``).
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="groups", verbose_name="Host partnership"
    )
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
    terms_of_reference = BoundedTextField(blank=True, max_length=DOCUMENT)
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
    # A group being wound up: the minutes of its last meeting can then be approved by chair's action.
    closes_on = models.DateField(
        "Closes on (optional)",
        null=True,
        blank=True,
        help_text="For a group being wound up: the minutes of its final meeting can be approved by chair's action.",
    )
    # Blank only until saved: ``save`` fills it from the kind (panels that discuss children are
    # members only), and the database refuses any other value.
    access = models.CharField(
        "Who may read its business", max_length=20, choices=GroupAccess.choices, blank=True, default=""
    )
    member_partnerships = models.ManyToManyField(
        Partnership,
        blank=True,
        related_name="shared_groups",
        help_text="Other partnerships this group serves. Only the host partnership changes it.",
    )
    named_readers: models.ManyToManyField[Person, Any] = models.ManyToManyField(
        User,
        blank=True,
        related_name="+",
        verbose_name="Other people who may read its business",
        help_text="For a members-only group: people without a seat who read its meetings (not its confidential items).",
    )

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="unique_group_name"),
            models.CheckConstraint(condition=models.Q(access__in=["open", "members_only"]), name="group_access_known"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.access:
            self.access = default_access(self.kind)
        super().save(*args, **kwargs)

    @property
    def is_members_only(self) -> bool:
        return self.access == GroupAccess.MEMBERS_ONLY

    def get_absolute_url(self) -> str:
        return record_url("governance:group-detail", self.pk)

    def clean(self) -> None:
        if not self.access:
            self.access = default_access(self.kind)
        if self.attendance_out_of and self.attendance_required > self.attendance_out_of:
            raise ValidationError(
                {"attendance_required": "This cannot be more than the number of meetings it is out of."}
            )
        parent = self.parent if self.parent_id else None
        if parent is not None and parent.partnership_id != self.partnership_id:
            raise ValidationError({"parent": "Choose a group of this partnership."})

    @property
    def required_rate(self) -> float:
        return self.attendance_required / self.attendance_out_of if self.attendance_out_of else 0.0


class GroupMemberQuerySet(GroupBusinessQuerySet):
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
    # A named person's seat and their signed partner agreement: downloads go to the access log.
    holds_personal_data = True

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


class InductionQuerySet(GroupBusinessQuerySet):
    partnership_field = "member__group__partnership"
    # A lay member reads their own induction (OWN scope): "My work" tells them what is overdue.
    owner_field = "member__person"
    group_path = "member__group"


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


class MeetingQuerySet(GroupBusinessQuerySet):
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
    # The minutes of a group's final meeting, approved by the chair's action (no later meeting to do it).
    minutes_approved_by_chair_at = models.DateTimeField(null=True, blank=True)
    # The recurring series that made this meeting (governance/cycle), if any.
    series = models.ForeignKey(
        "governance.MeetingSeries", on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    # The group's chair signs the approved minutes off; the signed copy (PDF) shows who and when.
    minutes_signed_off_at = models.DateTimeField(null=True, blank=True)
    minutes_signed_off_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Asked at the end of every board meeting.
    difference_for_children = BoundedTextField(
        "What difference will this make for children?", blank=True, max_length=PARAGRAPHS
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            # Meetings of a group in date order; the attendance dashboard's business-year window.
            models.Index(fields=["group", "starts_at"], name="meeting_group_date"),
            models.Index(fields=["starts_at", "id"], name="meeting_date_keyset"),
        ]

    def __str__(self) -> str:
        return f"{self.group} – {day_text(self.starts_at)}"

    def get_absolute_url(self) -> str:
        return record_url("governance:meeting-detail", self.pk)

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The meeting must end after it starts."})

    @property
    def partnership_id(self) -> int:
        return self.group.partnership_id

    @property
    def papers_due_on(self) -> dt.date:
        """The circulation date: papers are due with the members this many days before the meeting."""
        from django.utils import timezone

        days = self.group.partnership.papers_due_days
        return timezone.localtime(self.starts_at).date() - dt.timedelta(days=days)

    @property
    def pack_went_out_late(self) -> bool:
        """The agenda pack was circulated after its circulation date (``papers_due_on``)."""
        from django.utils import timezone

        sent = self.papers_circulated_at
        return sent is not None and timezone.localtime(sent).date() > self.papers_due_on


class AgendaItemQuerySet(GroupBusinessQuerySet):
    partnership_field = "meeting__group__partnership"
    group_path = "meeting__group"
    confidential_paths = ("confidential_reason",)


class AgendaItem(AuditedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    presenter = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    purpose = models.CharField(max_length=12, choices=ItemPurpose.choices, default=ItemPurpose.DISCUSSION)
    minutes_allowed = models.PositiveSmallIntegerField("Time allowed (minutes)", default=15)
    discussion = BoundedTextField("Summary of the discussion", blank=True, max_length=DOCUMENT)
    decisions = BoundedTextField(blank=True, max_length=PARAGRAPHS)
    confidential_reason = models.CharField(
        "Confidential because",
        max_length=20,
        choices=ConfidentialReason.choices,
        blank=True,
        help_text="Leave blank for an item anyone who reads the meeting may read.",
    )
    # The group's standing item this agenda item was made from (governance/cycle), if any.
    standing_item = models.ForeignKey(
        "governance.StandingItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

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

    @property
    def is_confidential(self) -> bool:
        return bool(self.confidential_reason)

    def source_label(self) -> str:
        """What the action log says an action agreed on this item came from, naming the meeting:
        "Board, 14 October 2026: item 1 Police update"; only a reference when the item is confidential
        or its group members only (the log is read more widely)."""
        if self.confidential_reason or self.meeting.group.is_members_only:
            return f"Agenda item {self.pk}"
        return f"{self.meeting.group.name}, {day_text(self.meeting.starts_at)}: item {self.number} {self.title}"


class PaperQuerySet(GroupBusinessQuerySet):
    partnership_field = "item__meeting__group__partnership"
    group_path = "item__meeting__group"
    # A paper is confidential when it is marked so, or when its item is.
    confidential_paths = ("confidential_reason", "item__confidential_reason")

    def visibility(self, user: Any, action: str = "view", partnership: Partnership | None = None) -> models.Q:
        query = super().visibility(user, action, partnership)
        if action == "view":
            # Where the partnership allows it, scrutiny reads the board's non-confidential papers.
            query |= scrutiny_papers(user, partnership)
        return query


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
    confidential_reason = models.CharField(
        "Confidential because",
        max_length=20,
        choices=ConfidentialReason.choices,
        blank=True,
        help_text="A paper on a confidential item is confidential whatever this says.",
    )

    objects = PaperQuerySet.as_manager()
    # Board papers may discuss children and families: downloads go to the access log.
    holds_personal_data = True

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def partnership_id(self) -> int:
        return self.item.meeting.group.partnership_id

    @property
    def is_confidential(self) -> bool:
        return bool(self.confidential_reason or self.item.confidential_reason)

    @property
    def is_late(self) -> bool:
        from django.utils import timezone

        return timezone.localtime(self.uploaded_at).date() > self.item.meeting.papers_due_on


class AttendanceQuerySet(GroupBusinessQuerySet):
    partnership_field = "meeting__group__partnership"
    group_path = "meeting__group"
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


class FollowUpQuerySet(GroupBusinessQuerySet):
    partnership_field = "attendance__meeting__group__partnership"
    group_path = "attendance__meeting__group"


class AbsenceFollowUp(AuditedModel):
    """An absence without apologies (or apologies, where the partnership follows them up as absences), for
    the business manager to follow up. Internal to the business unit."""

    attendance = models.OneToOneField(Attendance, on_delete=models.CASCADE, related_name="follow_up")
    done_on = models.DateField(null=True, blank=True)
    note = BoundedTextField(blank=True, max_length=NOTE)

    objects = FollowUpQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Follow up absence: {self.attendance}"
