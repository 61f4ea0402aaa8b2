"""The person picker: labels that tell people apart, a search scoped to whom the person may pick,
and a search step that works without JavaScript."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from safeboard.actions.models import Action
from safeboard.core.people import PersonPicker
from safeboard.core.permissions import Role
from tests.factories import AgencyFactory, member

SEARCH = "core:people-search"


@pytest.fixture
def twins(world):  # type: ignore[no-untyped-def]
    """Two people called Sam Patel in Alpha, of different agencies and roles."""
    police = AgencyFactory(name="Riverside Constabulary", partnerships=[world.alpha])
    health = AgencyFactory(name="Northmoor Health", partnerships=[world.alpha])
    one = member(world.alpha, Role.PRACTITIONER, police, full_name="Sam Patel")
    two = member(world.alpha, Role.AGENCY_SAFEGUARDING_LEAD, health, full_name="Sam Patel")
    return one, two


def test_the_search_tells_two_people_with_one_name_apart(world, signed_in, twins):  # type: ignore[no-untyped-def]
    response = signed_in(world.partnership_admin).get(reverse(SEARCH), {"q": "sam patel", "format": "json"})
    results = response.json()["results"]
    labels = sorted(r["label"] for r in results)
    assert labels == [
        "Sam Patel (Northmoor Health, Agency safeguarding lead)",
        "Sam Patel (Riverside Constabulary, Practitioner)",
    ]
    assert {r["agency"] for r in results} == {"Northmoor Health", "Riverside Constabulary"}


def test_the_search_finds_by_agency_and_only_people_the_person_may_pick(world, signed_in, twins):  # type: ignore[no-untyped-def]
    admin = signed_in(world.partnership_admin)
    found = admin.get(reverse(SEARCH), {"q": "riverside", "format": "json"}).json()["results"]
    assert [r["id"] for r in found] == [twins[0].pk]
    # An unknown list of people is a 404, not everyone.
    assert admin.get(reverse(SEARCH), {"q": "sam", "scope": "nobody"}).status_code == 404
    # Another partnership's administrator finds nobody of Alpha.
    outsider = signed_in(world.other_admin)
    assert outsider.get(reverse(SEARCH), {"q": "sam", "format": "json"}).json()["results"] == []
    # Scrutiny sees figures only: no search at all.
    assert signed_in(world.scrutiny).get(reverse(SEARCH), {"q": "sam"}).status_code == 403


def test_the_search_has_a_page_without_javascript(world, signed_in, twins):  # type: ignore[no-untyped-def]
    page = signed_in(world.partnership_admin).get(reverse(SEARCH), {"q": "patel"}).content.decode()
    assert "2 people match" in page
    assert "Riverside Constabulary" in page and "Northmoor Health" in page


def test_an_action_owner_is_picked_from_labelled_people(world, signed_in, twins):  # type: ignore[no-untyped-def]
    page = signed_in(world.partnership_admin).get(reverse("actions:action-new")).content.decode()
    assert "Sam Patel (Riverside Constabulary, Practitioner)" in page
    assert 'data-module="sb-person-picker"' in page


def _action(world, **owner):  # type: ignore[no-untyped-def]
    return {
        "title": "Audit the neglect pathway",
        "agency": world.agency_a.pk,
        "due_date-day": "8",
        "due_date-month": "1",
        "due_date-year": "2027",
        "priority": "medium",
        **owner,
    }


def test_with_many_people_the_picker_is_a_search_that_works_without_javascript(  # type: ignore[no-untyped-def]
    world, signed_in, twins, monkeypatch
):
    monkeypatch.setattr(PersonPicker, "list_limit", 3)
    client = signed_in(world.partnership_admin)
    url = reverse("actions:action-new")
    page = client.get(url).content.decode()
    select = re.search(r'<select name="owner".*?</select>', page, re.S)
    assert select is not None
    assert select.group(0).count("<option") == 1  # only "Not chosen": no list of everyone
    assert 'name="owner-search"' in page

    # Typing a name and saving is the search step: nothing saved, the matches offered.
    response = client.post(url, _action(world, **{"owner-search": "riverside"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select the owner in the list of people found" in page
    assert "<title>Error: " in page
    select = re.search(r'<select name="owner".*?</select>', page, re.S)
    assert select is not None and "Sam Patel (Riverside Constabulary, Practitioner)" in select.group(0)
    assert "Northmoor Health" not in select.group(0)
    assert not Action.objects.exists()

    nobody = client.post(url, _action(world, **{"owner-search": "zzzz"}))
    assert "No one matches ‘zzzz’" in nobody.content.decode()

    saved = client.post(url, _action(world, owner=twins[0].pk, **{"owner-search": "riverside"}))
    assert saved.status_code == 302
    assert Action.objects.get().owner == twins[0]
    assert Action.objects.get().due_date == dt.date(2027, 1, 8)


def test_a_person_out_of_reach_cannot_be_posted(world, signed_in):  # type: ignore[no-untyped-def]
    stranger = member(world.beta, Role.PRACTITIONER, world.agency_c)
    response = signed_in(world.partnership_admin).post(reverse("actions:action-new"), _action(world, owner=stranger.pk))
    assert response.status_code == 200
    assert "Select the owner in the list" in response.content.decode()
    assert not Action.objects.exists()


def test_the_action_log_owner_filter_does_not_list_everyone(world, signed_in, twins, monkeypatch):  # type: ignore[no-untyped-def]
    from tests.actions.helpers import make_action

    for person in twins:
        make_action(world, owner=person)
    monkeypatch.setattr(PersonPicker, "list_limit", 1)
    page = signed_in(world.partnership_admin).get(reverse("actions:action-list")).content.decode()
    select = re.search(r'<select name="owner".*?</select>', page, re.S)
    assert select is not None and select.group(0).count("<option") == 1
    assert 'name="owner-search"' in page
