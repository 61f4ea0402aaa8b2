"""``{% load text %}``: ``{{ value|day }}`` ("7 December 2026"), ``{{ value|day_time }}`` and
``{{ value|money }}`` ("£60,000"): see ``safeboard.core.text``."""

from __future__ import annotations

from typing import Any

from django import template

from safeboard.core.text import day_text, day_time_text, money

register = template.Library()


@register.filter(name="day")
def day_filter(value: Any) -> str:
    return day_text(value) if value else ""


@register.filter(name="day_time")
def day_time_filter(value: Any) -> str:
    return day_time_text(value) if value else ""


@register.filter(name="money")
def money_filter(value: Any) -> str:
    return money(value)
