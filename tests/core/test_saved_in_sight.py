"""After a save, inside the transaction, the saved record must still be visible to the person who
saved it; otherwise the change is rolled back and the form says why (``core/views_base.py``).

The cases are constructed: today no role can save a record out of its own sight, so the tests give
the agency safeguarding lead (agency scope) rights they do not have in the real policy.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeboard.actions.models import Action
from safeboard.core.audit import ChangeLogEntry
from safeboard.core.permissions import ROLE_GRANTS, Role, Scope
from safeboard.core.views_base import OUT_OF_SIGHT_MESSAGE
from safeboard.governance.models import Challenge


@pytest.fixture
def lead_manages_challenges(world, monkeypatch):  # type: ignore[no-untyped-def]
    """The agency lead may add and change challenges, and add actions, but sees only agency A's."""
    grants = ROLE_GRANTS[Role.AGENCY_SAFEGUARDING_LEAD]
    monkeypatch.setitem(grants, "governance.add_challenge", Scope.AGENCY)
    monkeypatch.setitem(grants, "governance.change_challenge", Scope.AGENCY)
    monkeypatch.setitem(grants, "actions.add_action", Scope.PARTNERSHIP)
    return Challenge.objects.create(
        partnership=world.alpha,
        raised_on=timezone.localdate(),
        raised_by=world.partnership_admin,
        agency=world.agency_a,
        issue="Strategy discussions are late.",
    )


def _edit(challenge: Challenge, **changes: object) -> dict[str, object]:
    data = {
        "raised_on": challenge.raised_on.isoformat(),
        "raised_by": challenge.raised_by_id,
        "agency": challenge.agency_id,
        "issue": challenge.issue,
        "status": challenge.status,
        "escalation_level": 0,
        "version_seen": challenge.version,
    }
    data.update(changes)
    return data


def test_an_edit_that_moves_a_record_out_of_sight_is_rolled_back(world, signed_in, lead_manages_challenges):
    challenge = lead_manages_challenges
    client = signed_in(world.agency_lead)
    url = reverse("governance:challenge-edit", args=[challenge.pk])
    logged = ChangeLogEntry.objects.count()

    response = client.post(url, _edit(challenge, agency=world.agency_b.pk, issue="Moved away"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [OUT_OF_SIGHT_MESSAGE]
    assert b"Moved away" in response.content  # what they typed is kept
    challenge.refresh_from_db()
    assert (challenge.agency_id, challenge.issue, challenge.version) == (
        world.agency_a.pk,
        "Strategy discussions are late.",
        1,
    )
    assert ChangeLogEntry.objects.count() == logged  # nothing happened, so nothing was logged

    # The same person may still make a change that keeps the record in their sight.
    assert client.post(url, _edit(challenge, issue="Still ours")).status_code == 302
    challenge.refresh_from_db()
    assert challenge.issue == "Still ours" and challenge.version == 2


def test_a_new_record_the_person_could_not_see_is_not_created(world, signed_in, lead_manages_challenges):
    client = signed_in(world.agency_lead)
    # Raised in a colleague's name: a challenge the lead raised themself stays in their sight (the
    # agency scope covers what one owns), so only someone else's challenge to agency B is out of it.
    data = {
        "raised_on": timezone.localdate().isoformat(),
        "raised_by": world.practitioner_a.pk,
        "issue": "Referrals are slow.",
    }
    response = client.post(reverse("governance:challenge-new"), {**data, "agency": world.agency_b.pk})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [OUT_OF_SIGHT_MESSAGE]
    assert not Challenge.objects.filter(issue="Referrals are slow.").exists()

    assert client.post(reverse("governance:challenge-new"), {**data, "agency": world.agency_a.pk}).status_code == 302
    assert Challenge.objects.filter(issue="Referrals are slow.", agency=world.agency_a).count() == 1


def test_a_record_created_under_another_must_stay_in_sight(world, signed_in, lead_manages_challenges):
    challenge = lead_manages_challenges
    client = signed_in(world.agency_lead)
    url = reverse("governance:challenge-action-new", args=[challenge.pk])
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    data = {"title": "Agree a protocol", "owner": world.practitioner_a.pk, "due_date": due}

    # An action for agency B is outside an agency lead's sight of the action log: refused, and the
    # reference it would have taken is not used up.
    response = client.post(url, {**data, "agency": world.agency_b.pk})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [OUT_OF_SIGHT_MESSAGE]
    assert not Action.objects.exists()
    world.alpha.refresh_from_db()
    assert world.alpha.last_action_number == 0

    assert client.post(url, {**data, "agency": world.agency_a.pk}).status_code == 302
    assert Action.objects.get().reference == "A-0001"
