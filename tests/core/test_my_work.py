"""My work: each person's list of what waits for them, built from the panels modules register.

Panels are checked one by one (who sees what), then the page's order (late things first), the
module links (only modules with pages the person may open) and the navigation; every panel runs a
fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeboard.actions.models import ActionEvidence, ActionStatus
from safeboard.actions.panels import evidence_to_review_panel, my_actions_panel
from safeboard.core.permissions import Role, forget_grants
from safeboard.governance.meetings import panels as meeting_panels
from safeboard.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Challenge,
    ChallengeStatus,
    Group,
    GroupKind,
    GroupMember,
    LayMemberInduction,
    MemberType,
    MinutesStatus,
)
from safeboard.governance.oversight.panels import overdue_challenges_panel
from tests.actions.helpers import make_action
from tests.factories import member
from tests.governance.matrix_rows_meetings import make_meeting, make_paper

NOW = timezone.now()
TODAY = timezone.localdate()


def titles(client) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.title for p in client.get(reverse("core:home")).context["panels"]]


def panel(client, title: str):  # type: ignore[no-untyped-def]
    return next(p for p in client.get(reverse("core:home")).context["panels"] if p.title == title)


@pytest.fixture
def board(world):  # type: ignore[no-untyped-def]
    """A board chaired by the agency lead, on which the lead and practitioner B sit."""
    group = Group.objects.create(
        partnership=world.alpha, name="Alpha board", kind=GroupKind.BOARD, chair=world.agency_lead
    )
    for person in (world.agency_lead, world.partnership_admin):
        GroupMember.objects.create(group=group, person=person, agency=person.agency, starts_on=dt.date(2020, 1, 1))
    return group


def add_evidence(world, count: int, added_by=None):  # type: ignore[no-untyped-def]
    made = []
    for i in range(count):
        action = make_action(world, title=f"Evidence action {i}", due_in=i)
        action.status = ActionStatus.AWAITING_REVIEW
        action.save()
        made.append(
            ActionEvidence.objects.create(
                action=action,
                description="The briefing notes",
                added_by=added_by or world.practitioner_a,
                link="https://example.org/notes",
                added_at=NOW - dt.timedelta(days=10 - i),
            )
        )
    return made


# --- Module links and the navigation --------------------------------------------------------------------------


def test_only_modules_with_pages_the_person_may_open_are_offered(world, signed_in):
    world.alpha.modules = ["governance", "training", "assurance"]
    world.alpha.save()
    body = signed_in(world.practitioner_a).get(reverse("core:home")).content.decode()
    assert "Not yet available" not in body
    assert f'href="{reverse("governance:home")}"' in body
    assert "Workforce training" not in body and "Quality assurance" not in body
    # A partnership without board business: no link that would end on a refusal.
    world.alpha.modules = ["training"]
    world.alpha.save()
    body = signed_in(world.practitioner_a).get(reverse("core:home")).content.decode()
    assert "Board business" not in body


def test_the_navigation_shows_places_only_to_those_who_manage_them(world, signed_in):
    locality_url = reverse("core:locality-list")
    for person in (world.practitioner_a, world.agency_lead, world.scrutiny):
        nav = signed_in(person).get(reverse("core:home")).context["navigation"]
        assert locality_url not in [item.url for item in nav]
    nav = signed_in(world.partnership_admin).get(reverse("core:home")).context["navigation"]
    assert locality_url in [item.url for item in nav]


# --- Each panel: who sees it ----------------------------------------------------------------------------------


def test_evidence_waits_for_everyone_who_may_close_the_action_but_its_owner_and_author(world, signed_in):
    chair = member(world.alpha, Role.INDEPENDENT_CHAIR, full_name="Chris Chair")
    add_evidence(world, 2)
    own = make_action(world, owner=world.partnership_admin, title="The admin's own action")
    ActionEvidence.objects.create(
        action=own, description="Mine", added_by=world.partnership_admin, link="https://e.org"
    )
    shown = panel(signed_in(world.partnership_admin), "Evidence to review")
    assert shown.count == 2  # not the evidence on their own action, which they added
    assert own.pk not in [e.action_id for e in shown.context["evidence"]]
    assert panel(signed_in(chair), "Evidence to review").count == 3
    for person in (world.practitioner_a, world.agency_lead, world.scrutiny, world.other_admin):
        assert "Evidence to review" not in titles(signed_in(person))
    body = signed_in(chair).get(reverse("core:home")).content.decode()
    assert "3 pieces of evidence to review" in body
    assert reverse("actions:evidence-review", args=[ActionEvidence.objects.first().pk]) in body


def test_draft_minutes_wait_for_the_business_unit_and_approved_ones_for_the_chair(world, signed_in, board):
    draft = make_meeting(board, NOW - dt.timedelta(days=30), status="held", minutes_status=MinutesStatus.DRAFT)
    approved = make_meeting(board, NOW - dt.timedelta(days=90), status="held", minutes_status=MinutesStatus.APPROVED)
    signed = make_meeting(
        board,
        NOW - dt.timedelta(days=150),
        status="held",
        minutes_status=MinutesStatus.PUBLISHED,
        minutes_signed_off_at=NOW,
        minutes_signed_off_by=world.agency_lead,
    )
    unit = panel(signed_in(world.partnership_admin), "Minutes")
    assert [m.pk for m in unit.context["drafts"]] == [draft.pk]
    assert unit.context["sign_off"] == []  # the administrator does not chair the board
    assert unit.urgent == 1  # waiting more than two weeks after the meeting

    client = signed_in(world.agency_lead)
    chair = panel(client, "Minutes")
    assert [m.pk for m in chair.context["sign_off"]] == [approved.pk]
    assert signed.pk not in [m.pk for m in chair.context["sign_off"]]
    assert chair.context["drafts"] == []
    # Signing off from My work takes it off the list.
    response = client.post(reverse("governance:minutes-sign-off", args=[approved.pk]), {"next": reverse("core:home")})
    assert response["Location"] == reverse("core:home")
    assert "Minutes" not in titles(client)
    for person in (world.practitioner_a, world.scrutiny):
        assert "Minutes" not in titles(signed_in(person))


def test_next_meetings_of_the_persons_groups_with_their_papers(world, signed_in, board, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    soon = make_meeting(board, NOW + dt.timedelta(days=7))
    item = AgendaItem.objects.create(meeting=soon, number=1, title="Annual report")
    make_paper(item, world.partnership_admin)
    make_paper(item, world.partnership_admin, title="Appendix")
    make_meeting(board, NOW + dt.timedelta(days=9), status="cancelled")
    make_meeting(board, NOW - dt.timedelta(days=9), status="held")
    other = Group.objects.create(partnership=world.alpha, name="Not my group", kind=GroupKind.SUBGROUP)
    make_meeting(other, NOW + dt.timedelta(days=3))

    shown = panel(signed_in(world.agency_lead), "Your next meetings")
    assert [m.pk for m in shown.context["meetings"]] == [soon.pk]
    assert shown.context["meetings"][0].paper_count == 2
    assert "2 papers to read" in signed_in(world.agency_lead).get(reverse("core:home")).content.decode()
    # Practitioners do not read meetings; a seat ended last year is no seat.
    GroupMember.objects.filter(person=world.partnership_admin).update(ends_on=TODAY - dt.timedelta(days=1))
    assert "Your next meetings" not in titles(signed_in(world.partnership_admin))
    assert "Your next meetings" not in titles(signed_in(world.practitioner_a))


def test_meetings_held_without_attendance_wait_for_the_business_unit(world, signed_in, board):
    bare = make_meeting(board, NOW - dt.timedelta(days=3), status="held")
    recorded = make_meeting(board, NOW - dt.timedelta(days=40), status="held")
    seat = GroupMember.objects.filter(group=board).first()
    Attendance.objects.create(meeting=recorded, member=seat, status=AttendanceStatus.PRESENT)
    make_meeting(board, NOW + dt.timedelta(days=3))  # not held yet
    make_meeting(board, NOW - dt.timedelta(days=5), status="cancelled")

    shown = panel(signed_in(world.partnership_admin), "Attendance to record")
    assert [m.pk for m in shown.context["meetings"]] == [bare.pk]
    assert shown.urgent == 1
    for person in (world.agency_lead, world.practitioner_a):
        assert "Attendance to record" not in titles(signed_in(person))


def test_overdue_challenges_wait_for_the_agency_that_owes_the_answer_and_the_business_unit(world, signed_in):
    def challenge(agency, due, status=ChallengeStatus.OPEN):  # type: ignore[no-untyped-def]
        return Challenge.objects.create(
            partnership=world.alpha,
            raised_on=TODAY - dt.timedelta(days=60),
            raised_by=world.partnership_admin,
            agency=agency,
            issue=f"Why is {agency.name} late?",
            response_due=due,
            status=status,
        )

    owed_by_a = challenge(world.agency_a, TODAY - dt.timedelta(days=2))
    owed_by_b = challenge(world.agency_b, TODAY - dt.timedelta(days=20))
    challenge(world.agency_a, TODAY + dt.timedelta(days=2))  # not due yet
    challenge(world.agency_a, TODAY - dt.timedelta(days=9), ChallengeStatus.RESPONDED)

    unit = panel(signed_in(world.partnership_admin), "Challenges with an overdue response")
    assert [c.pk for c in unit.context["challenges"]] == [owed_by_b.pk, owed_by_a.pk]
    lead = panel(signed_in(world.agency_lead), "Challenges with an overdue response")
    assert [c.pk for c in lead.context["challenges"]] == [owed_by_a.pk]
    # A board member of agency B reads the whole log but owes only B's answer.
    board_member = member(world.alpha, Role.BOARD_MEMBER, world.agency_b)
    shown = panel(signed_in(board_member), "Challenges with an overdue response")
    assert [c.pk for c in shown.context["challenges"]] == [owed_by_b.pk]
    for person in (world.practitioner_a, world.scrutiny, world.other_admin):
        assert "Challenges with an overdue response" not in titles(signed_in(person))


def test_a_lay_member_sees_their_own_overdue_induction_steps_only(world, signed_in, board):
    lay = member(world.alpha, Role.LAY_MEMBER, full_name="Lou Lay")
    other_lay = member(world.alpha, Role.LAY_MEMBER, full_name="Lin Lay")
    late = GroupMember.objects.create(
        group=board, person=lay, member_type=MemberType.LAY_MEMBER, starts_on=TODAY - dt.timedelta(days=250)
    )
    LayMemberInduction.objects.create(member=late, pack_sent_on=late.starts_on)
    recent = GroupMember.objects.create(
        group=board, person=other_lay, member_type=MemberType.LAY_MEMBER, starts_on=TODAY - dt.timedelta(days=3)
    )
    LayMemberInduction.objects.create(member=recent)

    shown = panel(signed_in(lay), "Your induction")
    assert [i.member_id for i, _ in shown.context["rows"]] == [late.pk]
    assert "Six-month meeting with the chair was due" in signed_in(lay).get(reverse("core:home")).content.decode()
    assert "Your induction" not in titles(signed_in(other_lay))  # within the first 14 days: nothing late
    assert "Your induction" not in titles(signed_in(world.partnership_admin))  # theirs, not other people's


def test_late_things_come_first(world, signed_in, board):
    # The administrator has evidence to review (not late) and attendance to record (late).
    add_evidence(world, 1)
    ActionEvidence.objects.update(added_at=NOW)
    make_meeting(board, NOW - dt.timedelta(days=3), status="held")
    shown = titles(signed_in(world.partnership_admin))
    assert shown.index("Attendance to record") < shown.index("Evidence to review")
    body = signed_in(world.partnership_admin).get(reverse("core:home")).content.decode()
    assert body.index("Waiting for you") < body.index("Your services") < body.index("My roles")


# --- A fixed number of queries -----------------------------------------------------------------------------------


def queries(panel_function, user, partnership) -> int:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user = user
    request.partnership = partnership
    forget_grants(user)
    panel_function(request)  # grants cached, as on a real request
    with CaptureQueriesContext(connection) as captured:
        result = panel_function(request)
    assert result is not None, f"{panel_function.__name__} showed nothing for {user}"
    return len(captured.captured_queries)


def test_every_panel_runs_a_fixed_number_of_queries_however_much_waits(world, board, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lay = member(world.alpha, Role.LAY_MEMBER)
    admin, lead = world.partnership_admin, world.agency_lead

    def add(n: int) -> None:
        add_evidence(world, n)
        for i in range(n):
            upcoming = make_meeting(board, NOW + dt.timedelta(days=i + 1))
            make_paper(AgendaItem.objects.create(meeting=upcoming, number=1, title="Report"), admin)
            make_meeting(board, NOW - dt.timedelta(days=i + 20), status="held", minutes_status=MinutesStatus.DRAFT)
            make_meeting(board, NOW - dt.timedelta(days=i + 200), status="held", minutes_status=MinutesStatus.APPROVED)
            Challenge.objects.create(
                partnership=world.alpha,
                raised_on=TODAY - dt.timedelta(days=60),
                raised_by=admin,
                agency=world.agency_a,
                issue="Late",
                response_due=TODAY - dt.timedelta(days=i + 1),
            )
            seat = GroupMember.objects.create(
                group=board, person=lay, member_type=MemberType.LAY_MEMBER, starts_on=TODAY - dt.timedelta(days=300 + i)
            )
            LayMemberInduction.objects.create(member=seat)
            make_action(world, owner=lead, title=f"Lead action {i}", due_in=i - 3)

    checks = [
        (evidence_to_review_panel, admin),
        (my_actions_panel, lead),
        (meeting_panels.my_meetings_panel, lead),
        (meeting_panels.minutes_panel, admin),
        (meeting_panels.minutes_panel, lead),
        (meeting_panels.attendance_missing_panel, admin),
        (meeting_panels.business_manager_panel, admin),
        (meeting_panels.my_induction_panel, lay),
        (overdue_challenges_panel, lead),
        (overdue_challenges_panel, admin),
    ]
    add(1)
    few = [queries(f, user, world.alpha) for f, user in checks]
    add(25)
    many = [queries(f, user, world.alpha) for f, user in checks]
    assert many == few
    assert max(few) <= 3  # the business manager's panel: lay inductions, every member's steps, follow-ups


def test_every_page_below_the_top_level_has_breadcrumbs(world, signed_in):
    client = signed_in(world.partnership_admin)
    top = [item.url for item in client.get(reverse("core:home")).context["navigation"]]
    below = [
        reverse("core:agency-detail", args=[world.agency_a.pk]),
        reverse("core:partnership-detail", args=[world.alpha.pk]),
        reverse("core:agency-new"),
        reverse("accounts:person-detail", args=[world.practitioner_a.pk]),
        reverse("accounts:password-change"),
        reverse("governance:attendance"),
        reverse("governance:challenge-list"),
        reverse("actions:action-new"),
    ]
    for url in below:
        body = client.get(url).content.decode()
        assert 'class="govuk-breadcrumbs"' in body, url
    for url in top:
        assert 'class="govuk-breadcrumbs"' not in client.get(url).content.decode(), url


def test_a_page_not_found_renders_for_someone_signed_out(client):
    """Signed out, the layout has no navigation and so no section breadcrumbs; the page must still render
    (a browser asking for /favicon.ico before signing in once got a server error)."""
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'class="govuk-breadcrumbs"' not in response.content.decode()
