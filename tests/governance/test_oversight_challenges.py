"""The challenge log: raising, responding, actions, filters, the summary, scopes and conflicts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeboard.actions.models import Action
from safeboard.core.permissions import Role
from safeboard.governance.models import Challenge, ChallengeStatus
from tests.factories import member
from tests.governance.test_oversight_attendance import queries_for


def challenge(world, agency, raised_on: dt.date, status: str = ChallengeStatus.OPEN, issue: str = "An issue"):  # type: ignore[no-untyped-def]
    return Challenge.objects.create(
        partnership=world.alpha,
        raised_on=raised_on,
        raised_by=world.partnership_admin,
        agency=agency,
        issue=issue,
        status=status,
        escalation_level=1 if status == ChallengeStatus.ESCALATED else 0,
    )


@pytest.fixture
def log(world):  # type: ignore[no-untyped-def]
    """Challenges over two business years (April starts): 2024 and 2025."""
    a, b = world.agency_a, world.agency_b
    made = [
        challenge(world, a, dt.date(2024, 4, 1), ChallengeStatus.RESOLVED),  # first day of 2024/25
        challenge(world, a, dt.date(2025, 3, 31), ChallengeStatus.RESPONDED),  # last day of 2024/25
        challenge(world, a, dt.date(2025, 4, 1), ChallengeStatus.OPEN),
        challenge(world, a, dt.date(2025, 6, 1), ChallengeStatus.ESCALATED),
        challenge(world, b, dt.date(2024, 9, 1), ChallengeStatus.OPEN),
        challenge(world, b, dt.date(2025, 12, 1), ChallengeStatus.OPEN),
        challenge(world, b, dt.date(2026, 1, 5), ChallengeStatus.RESOLVED),
    ]
    Challenge.objects.create(  # another partnership: never counted in Alpha
        partnership=world.beta,
        raised_on=dt.date(2025, 5, 1),
        raised_by=world.other_admin,
        agency=world.agency_c,
        issue="Beta",
    )
    return made


def test_a_board_member_raises_a_challenge_and_the_business_unit_records_the_answer(world, signed_in):
    board_member = member(world.alpha, Role.BOARD_MEMBER, world.agency_b, full_name="Bea Board")
    client = signed_in(board_member)
    form = client.get(reverse("governance:challenge-new"))
    assert form.status_code == 200 and b'name="status"' not in form.content  # answered later
    today = timezone.localdate()
    response = client.post(
        reverse("governance:challenge-new"),
        {
            "raised_on": today.isoformat(),
            "raised_by": board_member.pk,
            "raised_by_agency": world.agency_b.pk,
            "agency": world.agency_a.pk,
            "issue": "Too few police officers attend strategy meetings.",
            "forum": "Board",
            "response_due": (today + dt.timedelta(days=28)).isoformat(),
        },
    )
    raised = Challenge.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "governance:challenge-detail", args=[raised.pk]
    )
    assert (
        raised.partnership == world.alpha and raised.status == ChallengeStatus.OPEN and raised.raised_by == board_member
    )
    # A board member reads the log but does not edit the answer.
    assert client.get(reverse("governance:challenge-edit", args=[raised.pk])).status_code == 403

    admin = signed_in(world.partnership_admin)
    data = {
        "raised_on": raised.raised_on.isoformat(),
        "raised_by": board_member.pk,
        "agency": world.agency_a.pk,
        "issue": raised.issue,
        "response": "Attendance is now checked weekly.",
        "status": ChallengeStatus.RESPONDED,
        "escalation_level": 0,
        "version_seen": raised.version,
    }
    assert admin.post(reverse("governance:challenge-edit", args=[raised.pk]), data).status_code == 302
    raised.refresh_from_db()
    assert raised.status == ChallengeStatus.RESPONDED and raised.response.startswith("Attendance")

    response = admin.post(
        reverse("governance:challenge-action-new", args=[raised.pk]),
        {
            "title": "Audit strategy meeting attendance",
            "owner": world.agency_lead.pk,
            "agency": world.agency_a.pk,
            "due_date": (today + dt.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(title="Audit strategy meeting attendance")
    assert action.source == raised
    assert (
        b"Audit strategy meeting attendance"
        in admin.get(reverse("governance:challenge-detail", args=[raised.pk])).content
    )


def test_dates_are_checked(world, signed_in):
    today = timezone.localdate()
    response = signed_in(world.partnership_admin).post(
        reverse("governance:challenge-new"),
        {
            "raised_on": today.isoformat(),
            "raised_by": world.partnership_admin.pk,
            "agency": world.agency_a.pk,
            "issue": "x",
            "response_due": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200 and "on or after the date raised" in response.content.decode()
    assert not Challenge.objects.exists()


def test_a_resolved_challenge_takes_no_new_action(world, signed_in):
    resolved = challenge(world, world.agency_a, timezone.localdate(), ChallengeStatus.RESOLVED)
    response = signed_in(world.partnership_admin).post(
        reverse("governance:challenge-action-new", args=[resolved.pk]),
        {
            "title": "Too late",
            "owner": world.agency_lead.pk,
            "agency": world.agency_a.pk,
            "due_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200 and "resolved" in response.content.decode()
    assert not Action.objects.filter(title="Too late").exists()


def hand_summary(challenges, key):  # type: ignore[no-untyped-def]
    out: dict = {}
    for c in challenges:
        line = out.setdefault(key(c), dict.fromkeys(ChallengeStatus.values, 0) | {"total": 0})
        line[c.status] += 1
        line["total"] += 1
    return out


def test_the_summary_counts_by_agency_and_business_year_equal_a_hand_count(world, signed_in, log):
    summary = signed_in(world.partnership_admin).get(reverse("governance:challenge-list")).context["summary"]
    by_agency = {
        row["agency_id"]: {k: row[k] for k in [*ChallengeStatus.values, "total"]} for row in summary["by_agency"]
    }
    by_year = {
        row["business_year"]: {k: row[k] for k in [*ChallengeStatus.values, "total"]} for row in summary["by_year"]
    }
    assert by_agency == hand_summary(log, lambda c: c.agency_id)
    assert by_year == hand_summary(log, lambda c: c.raised_on.year if c.raised_on.month >= 4 else c.raised_on.year - 1)
    assert by_year[2024]["total"] == 3 and by_year[2025]["total"] == 4


def test_filters_narrow_the_log(world, signed_in, log):
    client = signed_in(world.partnership_admin)
    url = reverse("governance:challenge-list")

    def shown(query: str) -> set[int]:
        return {c.pk for c in client.get(f"{url}?{query}").context["page"].object_list}

    assert shown(f"agency={world.agency_b.pk}") == {c.pk for c in log if c.agency_id == world.agency_b.pk}
    assert shown("status=open") == {c.pk for c in log if c.status == ChallengeStatus.OPEN}
    assert shown("year=2024") == {c.pk for c in log if dt.date(2024, 4, 1) <= c.raised_on < dt.date(2025, 4, 1)}
    assert shown(f"year=2025&agency={world.agency_a.pk}&status=escalated") == {log[3].pk}


def test_an_agency_lead_sees_only_challenges_to_their_agency(world, signed_in, log):
    client = signed_in(world.agency_lead)
    response = client.get(reverse("governance:challenge-list"))
    assert {c.agency_id for c in response.context["page"].object_list} == {world.agency_a.pk}
    assert [row["agency_id"] for row in response.context["summary"]["by_agency"]] == [world.agency_a.pk]
    assert sum(row["total"] for row in response.context["summary"]["by_year"]) == 4
    to_b = log[4]
    assert client.get(reverse("governance:challenge-detail", args=[to_b.pk])).status_code == 404
    assert signed_in(world.other_admin).get(reverse("governance:challenge-detail", args=[log[0].pk])).status_code == 404
    # Scrutiny lists only the challenges it raised itself: none of these.
    scrutiny_list = signed_in(world.scrutiny).get(reverse("governance:challenge-list"))
    assert scrutiny_list.status_code == 200 and not scrutiny_list.context["page"].object_list


def test_editing_a_challenge_someone_else_changed_is_a_conflict(world, signed_in):
    raised = challenge(world, world.agency_a, timezone.localdate())
    client = signed_in(world.partnership_admin)
    url = reverse("governance:challenge-edit", args=[raised.pk])
    seen = client.get(url).context["form"].initial["version_seen"]
    base = {
        "raised_on": raised.raised_on.isoformat(),
        "raised_by": world.partnership_admin.pk,
        "agency": world.agency_a.pk,
        "issue": raised.issue,
        "status": "responded",
        "escalation_level": 0,
        "version_seen": seen,
    }
    assert client.post(url, {**base, "response": "First answer"}).status_code == 302
    response = client.post(url, {**base, "response": "My own answer, typed at the same time"})
    assert response.status_code == 409
    assert b"My own answer, typed at the same time" in response.content and b"First answer" in response.content
    raised.refresh_from_db()
    assert raised.response == "First answer"


def test_the_log_runs_a_fixed_number_of_queries(world, signed_in, log):
    client = signed_in(world.partnership_admin)
    url = reverse("governance:challenge-list")
    queries_for(client, url)
    before = queries_for(client, url)
    for i in range(30):
        challenge(world, world.agency_b if i % 2 else world.agency_a, dt.date(2023, 5, 1) + dt.timedelta(days=i))
    assert queries_for(client, url) == before


def test_a_late_response_is_tagged_overdue_and_links_name_the_challenge(world, signed_in):
    today = timezone.localdate()
    late = challenge(world, world.agency_a, today - dt.timedelta(days=40), issue="Why are return interviews late?")
    late.response_due = today - dt.timedelta(days=1)
    late.save()
    on_time = challenge(world, world.agency_b, today - dt.timedelta(days=5), issue="Who reviews strategy meetings?")
    on_time.response_due = today + dt.timedelta(days=10)
    on_time.save()
    answered = challenge(world, world.agency_b, today - dt.timedelta(days=50), ChallengeStatus.RESPONDED, "Answered")
    answered.response_due = today - dt.timedelta(days=20)
    answered.save()

    client = signed_in(world.partnership_admin)
    body = client.get(reverse("governance:challenge-list")).content.decode()
    detail = reverse("governance:challenge-detail", args=[late.pk])
    assert f'href="{detail}">Why are return interviews late?</a>' in body
    assert body.count(">Overdue</strong>") == 1
    assert ">Overdue</strong>" in client.get(detail).content.decode()
    assert (
        ">Overdue</strong>"
        not in client.get(reverse("governance:challenge-detail", args=[answered.pk])).content.decode()
    )
