"""System checks for data the platform needs to be right, run by ``manage.py check --database default``
and by ``manage.py migrate``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone

# How far ahead bank holidays must be loaded: a statutory clock started today may run this long.
BANK_HOLIDAYS_AHEAD_DAYS = 365


@register(Tags.database)
def bank_holidays_loaded_ahead(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Warn when any division's bank holidays stop less than 12 months from today."""
    if not databases:
        return []
    from safeboard.core.workdays import Division, loaded_until

    horizon = timezone.localdate() + dt.timedelta(days=BANK_HOLIDAYS_AHEAD_DAYS)
    short: list[str] = []
    try:
        for division in Division:
            until = loaded_until(division)
            if until is None or until < horizon:
                reach = f"until {until.day} {until:%B %Y}" if until else "for no year at all"
                short.append(f"{division.label} ({reach})")
    except DatabaseError:
        return []  # before the first migrate there is no table to look at
    if not short:
        return []
    return [
        Warning(
            "Bank holidays are loaded for less than 12 months ahead: " + "; ".join(short) + ".",
            hint="Download the official file (gov.uk/bank-holidays.json) and run "
            "`manage.py load_bank_holidays FILE`, or update src/safeboard/core/data/bank-holidays.json.",
            id="safeboard.W001",
        )
    ]
