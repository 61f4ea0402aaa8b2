"""``record_url`` gives exactly what ``reverse`` gives, without walking the URL patterns each time."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from safeboard.core.links import record_url

VIEWS = ["actions:action-detail", "governance:meeting-detail", "governance:group-detail", "accounts:person-detail"]


@pytest.mark.parametrize("viewname", VIEWS)
@pytest.mark.parametrize("pk", [0, 1, 7, 10, 1234567, 7_390_001_000, 2**62])
def test_the_same_as_reverse(viewname: str, pk: int) -> None:
    assert record_url(viewname, pk) == reverse(viewname, args=[pk])
    assert record_url(viewname, pk=pk) == reverse(viewname, kwargs={"pk": pk})


def test_several_ids_and_a_script_prefix() -> None:
    assert record_url("core:record-history", "core", "agency", 5) == reverse(
        "core:record-history", args=["core", "agency", 5]
    )
    try:
        set_script_prefix("/safeboard/")
        assert (
            record_url("actions:action-detail", 12)
            == "/safeboard" + reverse("actions:action-detail", args=[12])[len("/safeboard") :]
        )
        assert record_url("actions:action-detail", 12).startswith("/safeboard/")
    finally:
        set_script_prefix("/")
    assert record_url("actions:action-detail", 12) == reverse("actions:action-detail", args=[12])


@pytest.mark.parametrize("bad", ["12", -1, 1.5, True, None, "1/../2"])
def test_anything_but_a_whole_number_goes_to_reverse(bad: object) -> None:
    try:
        expected = reverse("actions:action-detail", args=[bad])
    except (NoReverseMatch, TypeError) as refused:
        with pytest.raises(type(refused)):
            record_url("actions:action-detail", bad)
    else:
        assert record_url("actions:action-detail", bad) == expected
