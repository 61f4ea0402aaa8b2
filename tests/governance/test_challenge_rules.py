"""Challenge rules put right: no escalation at level 0; the agency lead enters their agency's
response; scrutiny raises challenges, including to the board itself."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safeboard.core.permissions import Role
from safeboard.governance.models import Challenge, ChallengeStatus
from tests.factories import AgencyFactory, member


def _challenge(world, agency, **fields):  # type: ignore[no-untyped-def]
    return Challenge.objects.create(
        partnership=world.alpha,
        raised_on=timezone.localdate(),
        raised_by=world.partnership_admin,
        agency=agency,
        issue="Referrals are not acknowledged.",
        **fields,
    )


def test_a_challenge_cannot_be_escalated_at_level_0(world, signed_in):
    raised = _challenge(world, world.agency_a)
    data = {
        "raised_on": raised.raised_on.isoformat(),
        "raised_by": world.partnership_admin.pk,
        "agency": world.agency_a.pk,
        "issue": raised.issue,
        "status": ChallengeStatus.ESCALATED,
        "escalation_level": 0,
        "version_seen": raised.version,
    }
    client = signed_in(world.partnership_admin)
    response = client.post(reverse("governance:challenge-edit", args=[raised.pk]), data)
    assert response.status_code == 200
    assert "Level 0 means not escalated" in response.content.decode()
    raised.refresh_from_db()
    assert raised.status == ChallengeStatus.OPEN
    response = client.post(reverse("governance:challenge-edit", args=[raised.pk]), {**data, "escalation_level": 1})
    assert response.status_code == 302
    raised.refresh_from_db()
    assert (raised.status, raised.escalation_level) == (ChallengeStatus.ESCALATED, 1)


def test_the_agency_lead_enters_their_agencys_response_and_no_other(world, signed_in):
    own = _challenge(world, world.agency_a)
    other = _challenge(world, world.agency_b)
    board = _challenge(world, None)
    client = signed_in(world.agency_lead)
    url = reverse("governance:challenge-respond", args=[own.pk])
    assert "Enter your agency" in client.get(reverse("governance:challenge-detail", args=[own.pk])).content.decode()
    assert client.post(url, {"response": "  ", "version_seen": own.version}).status_code == 200
    response = client.post(url, {"response": "We now acknowledge within a day.", "version_seen": own.version})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.response == "We now acknowledge within a day." and own.status == ChallengeStatus.RESPONDED
    # Not another agency's challenge, nor one to the board: out of sight.
    for challenge in (other, board):
        assert client.get(reverse("governance:challenge-respond", args=[challenge.pk])).status_code == 404
        assert (
            client.post(
                reverse("governance:challenge-respond", args=[challenge.pk]), {"response": "x", "version_seen": 0}
            ).status_code
            == 404
        )
    other.refresh_from_db()
    assert other.response == ""
    # The lead answers; the business unit still manages the rest (status, outcome, escalation).
    assert client.get(reverse("governance:challenge-edit", args=[own.pk])).status_code == 403


def test_scrutiny_raises_a_challenge_to_the_board_and_follows_only_its_own(world, signed_in):
    _challenge(world, world.agency_a)  # someone else's: scrutiny never sees it
    client = signed_in(world.scrutiny)
    today = timezone.localdate()
    response = client.post(
        reverse("governance:challenge-new"),
        {
            "raised_on": today.isoformat(),
            "raised_by": world.scrutiny.pk,
            "agency": "",
            "issue": "The board has not heard from young people this year.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    raised = Challenge.objects.get(raised_by=world.scrutiny)
    assert raised.agency is None and raised.raised_by_scrutiny and raised.challenged == "the board"
    listed = client.get(reverse("governance:challenge-list")).context["page"].object_list
    assert [c.pk for c in listed] == [raised.pk]
    page = client.get(reverse("governance:challenge-detail", args=[raised.pk])).content.decode()
    assert "The board itself" in page and "scrutiny committee" in page
    # The business unit answers a challenge to the board.
    admin = signed_in(world.partnership_admin)
    url = reverse("governance:challenge-respond", args=[raised.pk])
    assert (
        admin.post(
            url, {"response": "A young people's forum will meet the board.", "version_seen": raised.version}
        ).status_code
        == 302
    )


def test_an_agency_lead_of_another_agency_cannot_answer(world, signed_in):
    agency_d = AgencyFactory(name="Alpha Schools", partnerships=[world.alpha])
    lead_d = member(world.alpha, Role.AGENCY_SAFEGUARDING_LEAD, agency_d, full_name="Dot Lead")
    raised = _challenge(world, world.agency_a)
    assert signed_in(lead_d).get(reverse("governance:challenge-respond", args=[raised.pk])).status_code == 404
