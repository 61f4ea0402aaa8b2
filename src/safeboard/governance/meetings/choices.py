"""Choices for groups, seats, meetings, agenda items and attendance."""

from __future__ import annotations

from django.db import models


class GroupKind(models.TextChoices):
    BOARD = "board", "Board"
    EXECUTIVE = "executive", "Executive group"
    SUBGROUP = "subgroup", "Subgroup"
    PANEL = "panel", "Panel"
    CASE_REVIEW = "case_review", "Case review group"
    EXPLOITATION = "exploitation_panel", "Exploitation panel"
    CHILD_DEATH = "child_death_panel", "Child death overview panel"
    TASK_AND_FINISH = "task_and_finish", "Task-and-finish group"


# Panels that discuss named children: members only unless the partnership opens them.
CHILD_PANEL_KINDS = frozenset({GroupKind.CASE_REVIEW, GroupKind.EXPLOITATION, GroupKind.CHILD_DEATH})


class GroupAccess(models.TextChoices):
    OPEN = "open", "Open: everyone on the partnership who reads board business"
    MEMBERS_ONLY = (
        "members_only",
        "Members only: its seat holders, their named deputies, the business unit and people it names",
    )


def default_access(kind: str) -> str:
    return GroupAccess.MEMBERS_ONLY if kind in CHILD_PANEL_KINDS else GroupAccess.OPEN


class ConfidentialReason(models.TextChoices):
    """Why an agenda item or paper is confidential. Blank means it is not."""

    CHILD_OR_FAMILY = "child_or_family", "It identifies a child or family"
    LEGAL_ADVICE = "legal_advice", "Legal advice"
    COMMERCIAL = "commercial", "Commercially sensitive"
    STAFF = "staff", "A staff matter"


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


# Seats expected to attend (attendance counts only these): members and lay members. A named deputy
# stands in for their member and has no expectation of their own; observers and advisers come when asked.
EXPECTED_TO_ATTEND = frozenset({MemberType.MEMBER, MemberType.LAY_MEMBER})
# Seats entitled to a group's confidential business (with the business unit and the chairs): members
# and their named deputies. Lay members, observers, advisers and people the group names as readers
# are not: confidential business names children and families, or is legal, commercial or staff advice
# for the agencies that answer for it.
CONFIDENTIAL_SEATS = frozenset({MemberType.MEMBER, MemberType.DEPUTY})


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
