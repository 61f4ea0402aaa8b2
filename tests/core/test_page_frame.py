"""The frame of every signed-in page: the partnership switcher costs a query only when there is a choice."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeboard.accounts.models import Membership
from safeboard.core.permissions import Role
from tests.factories import PartnershipFactory

SWITCHER = 'id="partnership-switcher"'


def _partnership_queries(client) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    client.get(reverse("core:home"))  # warm the session and the content types
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("core:home")).content.decode()
    return body, sum('FROM "core_partnership"' in q["sql"] for q in queries.captured_queries)


def test_one_partnership_no_switcher_and_no_query_for_it(world, signed_in):
    body, partnership_queries = _partnership_queries(signed_in(world.partnership_admin))
    assert SWITCHER not in body
    assert partnership_queries == 1  # the current partnership (middleware), not the switcher's list


def test_roles_in_two_partnerships_show_the_switcher_with_both(world, signed_in):
    Membership.objects.create(user=world.partnership_admin, partnership=world.beta, role=Role.SCRUTINY)
    body, partnership_queries = _partnership_queries(signed_in(world.partnership_admin))
    assert SWITCHER in body
    assert world.alpha.name in body and world.beta.name in body
    assert partnership_queries == 2


def test_the_system_administrator_chooses_among_every_active_partnership(world, signed_in):
    gamma = PartnershipFactory(name="Gamma Safeguarding Partnership")
    world.beta.is_active = False
    world.beta.save()
    body, _ = _partnership_queries(signed_in(world.system_admin))
    switcher = body.split(SWITCHER)[1].split("</select>")[0]
    assert world.alpha.name in switcher and gamma.name in switcher
    assert world.beta.name not in switcher
