"""Choices for the challenge log."""

from __future__ import annotations

from django.db import models


class ChallengeStatus(models.TextChoices):
    OPEN = "open", "Waiting for a response"
    RESPONDED = "responded", "Responded"
    RESOLVED = "resolved", "Resolved"
    ESCALATED = "escalated", "Escalated"
