"""The fixed lists of the case review module (the editable list of review types is a model)."""

from __future__ import annotations

from django.db import models

# The six review types every partnership starts with (it may rename, add and retire them).
DEFAULT_REVIEW_TYPES: tuple[str, ...] = (
    "Rapid review",
    "Child safeguarding practice review",
    "Local learning review",
    "Multi-agency case audit (below the review threshold)",
    "Near-miss review",
    "Appreciative inquiry (a case that went well)",
)
# Older records call a child safeguarding practice review a serious case review.
PRACTICE_REVIEW_HINT = "Serious case reviews in older records are recorded as child safeguarding practice reviews."


class AgeBand(models.TextChoices):
    UNDER_ONE = "under_1", "Under 1"
    ONE_TO_FOUR = "1_4", "1 to 4"
    FIVE_TO_NINE = "5_9", "5 to 9"
    TEN_TO_FOURTEEN = "10_14", "10 to 14"
    FIFTEEN_TO_SEVENTEEN = "15_17", "15 to 17"
    UNBORN = "unborn", "Unborn"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """The five broad groups of the census, with "not known"."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Another ethnic group"
    NOT_KNOWN = "not_known", "Not known or not recorded"


class Recommendation(models.TextChoices):
    LOCAL_REVIEW = "local_review", "Carry out a local child safeguarding practice review"
    NO_LOCAL_REVIEW = "no_local_review", "No local review"
    NATIONAL_REVIEW = "national_review", "Suggest a national review to the Panel"


class PanelResponse(models.TextChoices):
    AGREE = "agree", "Agrees"
    DISAGREE = "disagree", "Disagrees"
    QUERY = "query", "Has a question"


class ClockStart(models.TextChoices):
    AWARENESS = "awareness", "The day the local authority became aware"
    NOTIFICATION = "notification", "The day the Panel was notified"


class ClockKind(models.TextChoices):
    STATUTORY = "statutory", "Statutory"
    EXPECTED = "expected", "Expected"


class ClockState(models.TextChoices):
    WAITING = "waiting", "Not started"
    RUNNING = "running", "Running"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    MET = "met", "Met"
    MET_LATE = "met_late", "Met late"
