"""Choices for groups, seats, meetings, agenda items and attendance."""

from __future__ import annotations

from django.db import models


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


class MemberType(models.TextChoices):
    MEMBER = "member", "Member"
    DEPUTY = "deputy", "Named deputy"
    LAY_MEMBER = "lay_member", "Lay member"
    ADVISER = "adviser", "Adviser"
    OBSERVER = "observer", "Observer"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class MinutesStatus(models.TextChoices):
    NONE = "none", "Not started"
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published to members"


class ItemPurpose(models.TextChoices):
    DECISION = "decision", "For decision"
    DISCUSSION = "discussion", "For discussion"
    INFORMATION = "information", "For information"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies sent"
    DEPUTY = "deputy", "Deputy attended"
    ABSENT = "absent", "Absent without apologies"
