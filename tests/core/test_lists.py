"""List pages: query counts do not grow with the rows shown, keyset paging walks every row once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeboard.core.permissions import Role
from tests.factories import AgencyFactory, LocalityFactory, member


def queries_for(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(
    ("url_name", "grow"),
    [
        ("accounts:person-list", lambda w: [member(w.alpha, Role.PRACTITIONER, w.agency_b) for _ in range(30)]),
        ("core:agency-list", lambda w: [AgencyFactory(partnerships=[w.alpha]) for _ in range(30)]),
        ("core:locality-list", lambda w: [LocalityFactory(partnership=w.alpha, area=w.area) for _ in range(30)]),
        ("core:audit-changes", lambda w: [AgencyFactory() for _ in range(30)]),
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(url_name, grow, world, signed_in):
    user = world.system_admin if url_name.startswith("core:audit") else world.partnership_admin
    client = signed_in(user)
    url = reverse(url_name)
    queries_for(client, url)  # warm caches (content types, the session)
    before = queries_for(client, url)
    grow(world)
    after = queries_for(client, url)
    assert after == before, f"{url_name}: {before} queries with few rows, {after} with 30 more (N+1?)"
    assert after <= 16


def test_keyset_pages_walk_every_person_exactly_once(world, signed_in):
    for i in range(120):
        member(world.alpha, Role.PRACTITIONER, world.agency_b, full_name=f"Zed {i:03d}" if i % 2 else "Same Name")
    client = signed_in(world.partnership_admin)
    seen: list[str] = []
    url = reverse("accounts:person-list")
    pages = 0
    while url:
        response = client.get(url)
        page = response.context["page"]
        seen += [str(p.pk) for p in page.object_list]
        url = f"{reverse('accounts:person-list')}?cursor={page.next_cursor}" if page.next_cursor else None
        pages += 1
    expected = world.alpha.memberships.values_list("user_id", flat=True).distinct().count()
    assert len(seen) == len(set(seen)) == expected
    assert pages == 3

    # ...and "previous" goes back to exactly the page before.
    first = client.get(reverse("accounts:person-list")).context["page"]
    second = client.get(f"{reverse('accounts:person-list')}?cursor={first.next_cursor}").context["page"]
    back = client.get(f"{reverse('accounts:person-list')}?cursor={second.previous_cursor}").context["page"]
    assert [p.pk for p in back.object_list] == [p.pk for p in first.object_list]


def test_a_tampered_cursor_starts_again_from_the_first_page(world, signed_in):
    response = signed_in(world.partnership_admin).get(reverse("accounts:person-list") + "?cursor=forged")
    assert response.status_code == 200
    assert response.context["page"].previous_cursor is None


def test_lists_never_show_another_partnerships_records(world, signed_in):
    client = signed_in(world.partnership_admin)
    agencies = client.get(reverse("core:agency-list")).content.decode()
    assert "Alpha Police" in agencies and "Beta Council" not in agencies
    people = client.get(reverse("accounts:person-list")).content.decode()
    assert "Pat Alpha" in people and "Otto Other" not in people


def test_an_agency_lead_lists_only_their_agencys_people(world, signed_in):
    people = signed_in(world.agency_lead).get(reverse("accounts:person-list")).context["page"].object_list
    assert {p.full_name for p in people} == {"Pat Alpha", "Lee Lead", "Ada Admin", "Sue Scrutiny"}


def test_filters_narrow_the_people_list(world, signed_in):
    client = signed_in(world.partnership_admin)
    names = lambda q: {p.full_name for p in client.get(reverse("accounts:person-list") + q).context["page"].object_list}  # noqa: E731
    assert names("?search=pip") == {"Pip Bravo"}
    assert names(f"?agency={world.agency_b.pk}") == {"Pip Bravo"}
    assert names(f"?role={Role.SCRUTINY}") == {"Sue Scrutiny"}


def test_htmx_filter_requests_get_only_the_results(world, signed_in):
    response = signed_in(world.partnership_admin).get(
        reverse("core:agency-list") + "?name=health", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'id="list-results"' in body and "<html" not in body
    assert "Alpha Health Trust" in body and "Alpha Police" not in body
