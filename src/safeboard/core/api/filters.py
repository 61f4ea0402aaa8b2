"""The API's filters: a filter on a related record takes an id, and an unknown id finds nothing.

django-filter's default for a foreign key is a choice among every row of the related table, which
answered 400 for an id that does not exist and 200 for one that exists in another partnership (so it
told which ids exist). Here every foreign key filters by ``IdFilter`` instead: any id from 1 to
2⁶³ − 1 is a valid question (records out of sight are not in the answer anyway), and anything else
is a 400. Viewsets that name ``filterset_fields`` get this through ``ApiFilterBackend``; a
hand-written filterset inherits ``ApiFilterSet``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django_filters.rest_framework import DjangoFilterBackend, FilterSet

from safeboard.core.ids import IdFilter

_BY_ID: dict[str, Any] = {"filter_class": IdFilter}


class ApiFilterSet(FilterSet):
    FILTER_DEFAULTS = {
        **FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: _BY_ID,
        models.OneToOneField: _BY_ID,
        models.AutoField: _BY_ID,
        models.BigAutoField: _BY_ID,
    }


class ApiFilterBackend(DjangoFilterBackend):
    filterset_base = ApiFilterSet
