"""The review manager's "My work" panel and the daily reminder (``manage.py send_due_reminders``),
on a frozen clock."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeboard.core.permissions import forget_grants
from safeboard.reviews.panels import review_clocks_panel
from tests.conftest import sign_in
from tests.reviews.helpers import make_review, review_manager, switch_on

LONDON = ZoneInfo("Europe/London")


def run_on(day: dt.date) -> list[tuple[str, list[str]]]:
    mail.outbox.clear()
    with time_machine.travel(dt.datetime.combine(day, dt.time(7, 0), tzinfo=LONDON), tick=False):
        call_command("send_due_reminders", stdout=io.StringIO())
    return [(message.subject, message.to) for message in mail.outbox]


def test_the_review_manager_is_emailed_each_day_a_clock_is_due_soon_or_late_and_once_a_day(world):  # type: ignore[no-untyped-def]
    switch_on(world.alpha)
    manager = review_manager(world.alpha)
    # Aware Tuesday 3 November 2026: the Panel must be notified by Tuesday 10 November.
    review = make_review(world.alpha, manager, reference="CR-R1", aware_on=dt.date(2026, 11, 3))
    assert run_on(dt.date(2026, 11, 4)) == []  # 4 working days left
    soon = run_on(dt.date(2026, 11, 6))  # Friday: 2 working days left
    assert soon == [("Case CR-R1: a clock is due soon (Alpha)", [manager.email])]
    assert "Panel, Ofsted and the DfE notified (statutory): 2 working days left" in mail.outbox[0].body
    assert run_on(dt.date(2026, 11, 6)) == []  # twice on one day sends nothing twice
    assert run_on(dt.date(2026, 11, 7)) != []  # Saturday: still 2 working days left, reminded again (daily)
    late = run_on(dt.date(2026, 11, 11))
    assert late == [("Case CR-R1: a clock is overdue (Alpha)", [manager.email])]
    assert "1 working day late" in mail.outbox[0].body
    # Notified: the statutory clock stops; the rapid review's clock (due 24 November) is not close yet.
    review.notified_on = dt.date(2026, 11, 11)
    review.save()
    assert run_on(dt.date(2026, 11, 12)) == []


def test_no_reminders_where_the_partnership_has_not_switched_reviews_on(world):  # type: ignore[no-untyped-def]
    make_review(world.alpha, review_manager(world.alpha), aware_on=dt.date(2026, 11, 3))
    assert run_on(dt.date(2026, 11, 11)) == []


def panel_for(user, partnership):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user = user
    request.partnership = partnership
    forget_grants(user)
    return request


@time_machine.travel(dt.datetime(2026, 11, 11, 9, 0, tzinfo=LONDON), tick=False)
def test_the_panel_lists_the_managers_reviews_needing_attention_in_a_fixed_number_of_queries(world, client):  # type: ignore[no-untyped-def]
    switch_on(world.alpha)
    world.alpha.refresh_from_db()
    manager = review_manager(world.alpha)
    other = review_manager(world.alpha, name="Other Manager")
    make_review(world.alpha, manager, reference="CR-LATE", aware_on=dt.date(2026, 11, 3))
    make_review(world.alpha, manager, reference="CR-CALM", aware_on=dt.date(2026, 11, 10))
    make_review(world.alpha, other, reference="CR-OTHER", aware_on=dt.date(2026, 11, 3))
    request = panel_for(manager, world.alpha)
    review_clocks_panel(request)
    with CaptureQueriesContext(connection) as captured:
        panel = review_clocks_panel(request)
    few = len(captured)
    assert panel is not None
    assert [review.reference for review, _ in panel.context["found"]] == ["CR-LATE"]
    assert (panel.count, panel.urgent) == (1, 1)
    for i in range(20):
        make_review(world.alpha, manager, reference=f"CR-{i}", aware_on=dt.date(2026, 11, 3))
    with CaptureQueriesContext(connection) as captured:
        panel = review_clocks_panel(request)
    assert len(captured) == few <= 3
    assert panel is not None and panel.count == 21
    home = sign_in(client, manager).get(reverse("core:home")).content.decode()
    assert "Review clocks" in home and "Case CR-LATE" in home
    assert review_clocks_panel(panel_for(world.partnership_admin, world.alpha)) is None
