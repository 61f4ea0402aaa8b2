"""The demo shows the shared-record rules: Three Rivers cannot touch the Northmoor administrator, who
has Three Rivers' request to add a Northmoor agency waiting on My work."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from safeboard.accounts.demo import DEMO_DOMAIN, build_demo
from safeboard.accounts.models import User
from safeboard.core.models import AgencyJoinRequest
from tests.conftest import sign_in


def test_the_demo_has_a_shared_administrator_and_a_request_waiting(db):
    build_demo()
    admin = User.objects.get(email=f"admin@{DEMO_DOMAIN}")
    three_rivers = User.objects.get(email=f"admin.threerivers@{DEMO_DOMAIN}")
    # The report's attack, on the demo's own people.
    attacker = sign_in(Client(), three_rivers)
    assert attacker.get(reverse("accounts:person-detail", args=[admin.pk])).status_code == 200
    assert attacker.get(reverse("accounts:person-edit", args=[admin.pk])).status_code == 403
    assert attacker.post(reverse("accounts:person-status", args=[admin.pk])).status_code == 403
    request = AgencyJoinRequest.objects.get()
    home = sign_in(Client(), admin).get(reverse("core:home")).content.decode()
    assert "Agencies waiting for your decision" in home
    assert reverse("core:agency-request", args=[request.pk]) in home
