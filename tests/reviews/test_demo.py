"""The demo shows case reviews: about thirty Northmoor cases over eight years, every clock state, a
decision with the police partner standing aside, and the review manager's clocks on My work."""

from __future__ import annotations

from collections import Counter

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeboard.accounts.demo import build_demo
from safeboard.reviews.choices import ClockState
from safeboard.reviews.clocks import rapid_of, review_clocks
from safeboard.reviews.models import Review, settings_for
from tests.conftest import sign_in


def test_the_demo_has_reviews_over_eight_years_with_clocks_in_every_state(db):  # type: ignore[no-untyped-def]
    world = build_demo()
    northmoor = world.partnerships["nm"]
    reviews = list(Review.objects.filter(partnership=northmoor).select_related("partnership", "rapid_review"))
    assert 25 <= len(reviews) <= 40
    assert len({r.aware_on.year for r in reviews}) == 8
    states = Counter(
        clock.state
        for r in reviews
        for clock in review_clocks(r, rapid_of(r), settings_for(northmoor), timezone.localdate())
    )
    for state in (ClockState.MET, ClockState.MET_LATE, ClockState.OVERDUE, ClockState.DUE_SOON, ClockState.RUNNING):
        assert states[state], f"no clock {state.label.lower()} in the demo"
    police = world.people["lead.police"]
    stood_aside = Review.objects.filter(stood_aside=police).get()
    assert police not in stood_aside.decided_by.all() and stood_aside.decided_by.count() == 3
    manager = sign_in(Client(), world.people["reviews"])
    home = manager.get(reverse("core:home")).content.decode()
    assert "Review clocks" in home
    page = manager.get(stood_aside.get_absolute_url()).content.decode()
    assert "standing in for Detective Inspector Sam Reid" in page
    assert not Review.objects.filter(partnership=northmoor, reference__startswith="TR-").exists()
