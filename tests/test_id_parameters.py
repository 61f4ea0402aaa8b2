"""Every id a request carries is checked as an id before it reaches a query (issue 6, section 5).

A number beyond 64 bits crashed SQLite (``OverflowError``), ``²`` passed ``str.isdigit`` and then crashed
``int``, and a number filter handed the database a ``Decimal``. These tests send such values to every
list page and API list, in every filter and every hand-read query parameter, and to every path that
takes a record's id.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import django_filters
import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from safeboard.accounts.models import APIToken
from safeboard.core.api.filters import ApiFilterSet
from safeboard.core.ids import MAX_ID, IdConverter, IdFilter, parse_id
from tests.conftest import sign_in

HUGE = str(2**64 + 7)
BAD_IDS = [HUGE, str(MAX_ID + 1), "-1", "0", "abc", "²", "1.5"]
# Query parameters that views read by hand rather than through a filterset.
HAND_READ = ["group", "source_type", "source_id", "partnership", "year", "quarter", "cursor", "page_size"]
# Path parameters that are not record ids.
NOT_IDS = {"token", "app_label", "model_name", "uidb64"}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _converters(pattern: URLPattern) -> dict[str, Any]:
    return dict(getattr(pattern.pattern, "converters", {}))


def _id_filters(filterset_class: Any) -> set[str]:
    if filterset_class is None:
        return set()
    return {
        name
        for name, f in filterset_class.base_filters.items()
        if isinstance(f, IdFilter | django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter)
    }


def _list_pages() -> list[tuple[str, URLPattern]]:
    """Every GET page without a path parameter: lists, dashboards, exports, forms that read a query."""
    skip = {"sign-out", "switch-partnership", "healthz", "readyz", "schema", "docs", "api-root", "sign-in"}
    return [(route, p) for route, p in _walk(get_resolver().url_patterns) if not _converters(p) and p.name not in skip]


def test_every_record_id_in_a_path_goes_through_the_id_converter():
    offenders = []
    for route, pattern in _walk(get_resolver().url_patterns):
        for name, converter in _converters(pattern).items():
            if name in NOT_IDS:
                continue
            if not isinstance(converter, IdConverter) or isinstance(converter, IntConverter):
                offenders.append(f"{route} ({name}: {type(converter).__name__})")
    assert offenders == []


@pytest.mark.parametrize("value", ["0", "-1", HUGE, str(MAX_ID + 1), "abc"])
def test_an_id_out_of_range_in_a_path_is_a_404(world, value):
    web = sign_in(Client(), world.partnership_admin)
    assert web.get(f"/agencies/{value}/").status_code == 404
    _, secret = APIToken.issue(world.partnership_admin, "admin")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get(f"/api/v1/agencies/{value}/").status_code == 404
    assert api.get(f"/api/v1/board/meetings/{value}/").status_code == 404


def test_a_bad_source_id_on_the_new_action_form_is_a_404(world):
    web = sign_in(Client(), world.partnership_admin)
    for value in [HUGE, "²", "-1"]:
        response = web.get("/actions/new/", {"source_type": "core.agency", "source_id": value})
        assert response.status_code == 404


def test_the_attendance_dashboard_refuses_a_group_beyond_64_bits_as_no_group(world):
    """The request that crashed SQLite: it now shows every group, as with no choice made."""
    web = sign_in(Client(), world.partnership_admin)
    for value in [HUGE, "²", "-3"]:
        response = web.get("/board/attendance/", {"group": value})
        assert response.status_code == 200
        assert response.context["group_id"] is None


def test_the_api_refuses_every_bad_id_in_an_id_filter_with_400(world):
    _, secret = APIToken.issue(world.partnership_admin, "admin")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    checked = 0
    for route, pattern in _list_pages():
        if (getattr(pattern.callback, "actions", None) or {}).get("get") != "list":
            continue
        for name in _id_filters(_filterset_of(pattern)):
            for value in BAD_IDS:
                response = api.get("/" + route, {name: value})
                assert response.status_code == 400, (route, name, value, response.status_code)
                assert name in response.json()["errors"]
                checked += 1
    assert checked > 30  # the walk found the API's id filters


def test_no_list_page_or_api_list_answers_500_to_a_bad_id_anywhere(world):
    web = sign_in(Client(raise_request_exception=False), world.partnership_admin)
    _, secret = APIToken.issue(world.partnership_admin, "admin")
    api = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {secret}")
    failures = []
    for route, pattern in _list_pages():
        filterset_class = _filterset_of(pattern)
        client = api if route.startswith("api/") else web
        for value in (HUGE, "-1", "²"):
            # The hand-read parameters are read one by one, so one request carries them all; each
            # filter goes alone, since a form with one error may skip the others.
            queries = [dict.fromkeys(HAND_READ, value)]
            queries += [{name: value} for name in sorted(filterset_class.base_filters)] if filterset_class else []
            for query in queries:
                status = client.get("/" + route, query).status_code
                if status >= 500:
                    failures.append(f"/{route}?{query}: {status}")
    assert failures == []


def _filterset_of(pattern: URLPattern) -> Any:
    view = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
    filterset_class = getattr(view, "filterset_class", None)
    fields = getattr(view, "filterset_fields", None)
    if filterset_class is None and fields:
        model = view.serializer_class.Meta.model
        filterset_class = type(
            "AutoFilterSet", (ApiFilterSet,), {"Meta": type("Meta", (), {"model": model, "fields": fields})}
        )
    return filterset_class


def test_parse_id_takes_only_ids():
    assert parse_id("42") == 42
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert [parse_id(v) for v in BAD_IDS + ["", None, " 4", "4 ", True]] == [None] * (len(BAD_IDS) + 5)
