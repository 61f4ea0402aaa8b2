"""Safeboard's one date format: "7 December 2026" (GOV.UK style: no leading zero, the month in full).

Django uses these for ``{{ value|date }}`` and for dates shown without a format; Django's own
British formats would give "7 Dec 2026". Templates use ``{{ value|day }}`` (``core.templatetags.text``)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
