"""How Safeboard writes dates and money, in one place (GOV.UK style).

- ``day_text(date)``: "7 December 2026" (no leading zero, the month in full); ``{{ value|day }}``.
- ``day_time_text(datetime)``: "7 December 2026, 14:30" in the local time; ``{{ value|day_time }}``.
- ``money(value)``: "£60,000", or "£1,250.50" when there are pence; ``{{ value|money }}``.

Django's ``{{ value|date }}`` without a format gives the same day text (``config/formats``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone


def day_text(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {value:%B %Y}"


def day_time_text(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{day_text(local)}, {local:%H:%M}"


def money(value: Any) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}£{amount:,.0f}"
    return f"{sign}£{amount:,.2f}"
