"""Decisions as records (issue 9, section 5): a decision taken between meetings, by chair's action or
by email, with who and when, waits on the group's next meeting and on the business unit's My work
until it is ratified; the minutes of a closing group's final meeting are approved by chair's action.
Then the permission boundary of the annual cycle's pages, and My work's fixed query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeboard.core.panels import panels_for
from safeboard.core.permissions import Role
from safeboard.core.services import ServiceError
from safeboard.governance.cycle import services
from safeboard.governance.cycle.panels import annual_cycle_panel, papers_owed_panel
from safeboard.governance.meetings.services import save_member
from safeboard.governance.models import (
    AgendaItem,
    DecisionMeans,
    ForwardPlanItem,
    Group,
    GroupKind,
    GroupMember,
    ItemDecision,
    ItemPurpose,
    Meeting,
    MeetingStatus,
    MemberType,
    MinutesStatus,
    PaperRequest,
)
from tests.factories import member
from tests.governance.matrix_rows_meetings import make_meeting, pdf_bytes
from tests.governance.test_annual_cycle import at, local
from tests.governance.test_annual_cycle_papers import COVER


@pytest.fixture
def chaired(world):  # type: ignore[no-untyped-def]
    chair = member(world.alpha, Role.INDEPENDENT_CHAIR, None, full_name="Carla Chair")
    board = Group.objects.create(partnership=world.alpha, name="Decisions board", kind=GroupKind.BOARD, chair=chair)
    for person in (chair, world.agency_lead):
        save_member(GroupMember(group=board, person=person, starts_on=dt.date(2020, 1, 1)))
    return board, chair


def test_a_decision_between_meetings_waits_for_the_next_meeting_to_ratify_it(world, chaired, signed_in):
    board, chair = chaired
    before = make_meeting(board, local(dt.date(2027, 1, 12)), status=MeetingStatus.HELD)
    after = make_meeting(board, local(dt.date(2027, 4, 13)))
    with at(dt.date(2027, 2, 3)):
        with pytest.raises(ServiceError, match="taken by the group's chair"):
            services.record_decision_between_meetings(
                group=board,
                decision="Extend the audit.",
                means=DecisionMeans.CHAIRS_ACTION,
                decided_on=dt.date(2027, 2, 2),
                decided_by=[world.agency_lead],
            )
        with pytest.raises(ServiceError, match="cannot be in the future"):
            services.record_decision_between_meetings(
                group=board,
                decision="Extend the audit.",
                means=DecisionMeans.EMAIL,
                decided_on=dt.date(2027, 2, 4),
                decided_by=[chair],
            )
        decision = services.record_decision_between_meetings(
            group=board,
            decision="Extend the neglect audit to March.",
            means=DecisionMeans.CHAIRS_ACTION,
            decided_on=dt.date(2027, 2, 2),
            decided_by=[chair],
            lead=world.agency_lead,
            due_on=dt.date(2027, 3, 31),
        )
    assert decision.awaiting_ratification and list(decision.decided_by.all()) == [chair]
    assert decision.lead == world.agency_lead and decision.due_on == dt.date(2027, 3, 31)

    with at(dt.date(2027, 4, 13), 14):
        with pytest.raises(ServiceError, match="after it was taken"):
            services.ratify_decision(decision, before)
        client = signed_in(world.partnership_admin)
        page = client.get(after.get_absolute_url()).content.decode()
        assert "To ratify at this meeting" in page and "Extend the neglect audit to March." in page
        assert "1 decision to ratify" in client.get("/").content.decode()
        response = client.post(
            reverse("governance:decision-ratify", args=[decision.pk]), {"meeting": after.pk}, follow=True
        )
        assert "The decision has been recorded as ratified." in response.content.decode()
        decision.refresh_from_db()
        assert decision.ratified_at == after and not decision.awaiting_ratification
        assert "decision to ratify" not in client.get("/").content.decode()
        with pytest.raises(ServiceError, match="already been ratified"):
            services.ratify_decision(decision, after)


def test_a_meeting_decision_needs_no_ratifying_and_a_future_meeting_cannot_ratify(world, chaired):
    board, chair = chaired
    meeting = make_meeting(board, local(dt.date(2027, 1, 12)), status=MeetingStatus.HELD)
    item = AgendaItem.objects.create(meeting=meeting, number=1, title="Budget", purpose=ItemPurpose.DECISION)
    at_meeting = ItemDecision.objects.create(item=item, decision="Budget agreed.", recorded_at=timezone.now())
    assert at_meeting.group == board and not at_meeting.needs_ratification
    with at(dt.date(2027, 1, 20)):
        with pytest.raises(ServiceError, match="needs no ratifying"):
            services.ratify_decision(at_meeting, meeting)
        by_email = services.record_decision_between_meetings(
            group=board,
            decision="Agree the new logo.",
            means=DecisionMeans.EMAIL,
            decided_on=dt.date(2027, 1, 19),
            decided_by=[chair, world.agency_lead],
        )
        coming = make_meeting(board, local(dt.date(2027, 4, 13)))
        with pytest.raises(ServiceError, match="once the meeting has started"):
            services.ratify_decision(by_email, coming)
        other = Group.objects.create(partnership=world.alpha, name="Other group", kind=GroupKind.SUBGROUP)
        elsewhere = make_meeting(other, local(dt.date(2027, 1, 20), 8))
        with pytest.raises(ServiceError, match="same group"):
            services.ratify_decision(by_email, elsewhere)


def test_the_decision_form_records_who_and_when(world, chaired, signed_in):
    board, chair = chaired
    client = signed_in(world.partnership_admin)
    url = reverse("governance:decision-new", args=[board.pk])
    empty = client.post(url, {})
    assert empty.status_code == 200
    text = empty.content.decode()
    assert "Enter what was decided" in text and "Select how the decision was taken" in text
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "decision": "Approve the new threshold document.",
            "means": "email",
            "decided_on-day": today.day,
            "decided_on-month": today.month,
            "decided_on-year": today.year,
            "decided_by": [chair.pk, world.agency_lead.pk],
            "confidential_reason": "",
        },
    )
    assert response.status_code == 302
    decision = ItemDecision.objects.get(group=board)
    assert decision.means == DecisionMeans.EMAIL and decision.decided_on == today and decision.needs_ratification
    assert set(decision.decided_by.all()) == {chair, world.agency_lead}
    listing = client.get(reverse("governance:decision-list", args=[board.pk])).content.decode()
    assert "Approve the new threshold document." in listing and "Waiting to be ratified" in listing


# --- Final minutes by chair's action ------------------------------------------------------------------------


def test_the_minutes_of_a_closing_groups_final_meeting_are_approved_by_chairs_action(world, chaired, signed_in):
    board, chair = chaired
    task = Group.objects.create(
        partnership=world.alpha, name="Neglect task group", kind=GroupKind.TASK_AND_FINISH, chair=chair
    )
    final = make_meeting(
        task, timezone.now() - dt.timedelta(days=3), status=MeetingStatus.HELD, minutes_status=MinutesStatus.DRAFT
    )
    # Not closing: the minutes wait for the next meeting.
    with pytest.raises(ServiceError, match="approved at the group's next meeting"):
        services.approve_final_minutes(final, chair)
    Group.objects.filter(pk=task.pk).update(closes_on=timezone.localdate() + dt.timedelta(days=20))
    final.refresh_from_db()
    later = make_meeting(task, timezone.now() + dt.timedelta(days=10))
    with pytest.raises(ServiceError, match="final meeting"):
        services.approve_final_minutes(final, chair)
    Meeting.objects.filter(pk=later.pk).update(status=MeetingStatus.CANCELLED)
    with pytest.raises(ServiceError, match="Only the chair"):
        services.approve_final_minutes(final, world.partnership_admin)
    # The chair does it from the meeting's page.
    client = signed_in(chair)
    page = client.get(final.get_absolute_url()).content.decode()
    assert "Approve these final minutes by chair" in page
    response = client.post(reverse("governance:minutes-chairs-action", args=[final.pk]), follow=True)
    assert "approved by chair&#x27;s action" in response.content.decode()
    final.refresh_from_db()
    assert final.minutes_status == MinutesStatus.APPROVED and final.minutes_approved_by_chair_at is not None
    record = ItemDecision.objects.get(group=task, item__isnull=True)
    assert record.means == DecisionMeans.CHAIRS_ACTION and not record.needs_ratification
    assert list(record.decided_by.all()) == [chair]
    with pytest.raises(ServiceError, match="Only draft minutes"):
        services.approve_final_minutes(final, chair)


def test_only_the_chair_reaches_the_chairs_action_page(world, chaired, signed_in):
    board, chair = chaired
    meeting = make_meeting(board, timezone.now() - dt.timedelta(days=3), minutes_status=MinutesStatus.DRAFT)
    url = reverse("governance:minutes-chairs-action", args=[meeting.pk])
    assert signed_in(world.partnership_admin).get(url).status_code == 403


# --- Permission boundary --------------------------------------------------------------------------------


def test_another_partnership_and_a_member_partnership_cannot_change_the_cycle(world, signed_in, client):
    shared = Group.objects.create(partnership=world.alpha, name="Joint procedures group", kind=GroupKind.SUBGROUP)
    shared.member_partnerships.add(world.beta)
    entry = ForwardPlanItem.objects.create(
        group=shared, title="Joint procedures refresh", target_month=dt.date(2027, 1, 1)
    )
    beta_admin = signed_in(world.other_admin)
    # Beta reads the shared group's forward plan, but builds nothing and changes nothing of it.
    assert (
        "Joint procedures refresh"
        in beta_admin.get(reverse("governance:forward-plan", args=[shared.pk])).content.decode()
    )
    for name, args in (
        ("governance:build-agendas", [shared.pk]),
        ("governance:forward-plan-edit", [entry.pk]),
        ("governance:forward-plan-new", [shared.pk]),
        ("governance:series-new", [shared.pk]),
        ("governance:decision-new", [shared.pk]),
    ):
        assert beta_admin.post(reverse(name, args=args), {"title": "Hijacked"}).status_code == 403, name
    entry.refresh_from_db()
    assert entry.title == "Joint procedures refresh" and not Meeting.objects.filter(group=shared).exists()
    client.logout()
    # A group Beta has no share in is out of sight altogether.
    alone = Group.objects.create(partnership=world.alpha, name="Alpha only", kind=GroupKind.SUBGROUP)
    beta_admin = signed_in(world.other_admin)
    assert beta_admin.get(reverse("governance:forward-plan", args=[alone.pk])).status_code == 404
    assert beta_admin.post(reverse("governance:build-agendas", args=[alone.pk])).status_code == 404


def test_members_only_groups_and_confidential_items_stay_out_of_the_forward_plan(world, signed_in, client):
    crg = Group.objects.create(partnership=world.alpha, name="Case review group", kind=GroupKind.CASE_REVIEW)
    ForwardPlanItem.objects.create(group=crg, title="Learning from child C", target_month=dt.date(2027, 1, 1))
    board = Group.objects.create(partnership=world.alpha, name="Open board", kind=GroupKind.BOARD)
    ForwardPlanItem.objects.create(group=board, title="Annual report", target_month=dt.date(2027, 1, 1))
    ForwardPlanItem.objects.create(
        group=board, title="Redundancy plans", target_month=dt.date(2027, 1, 1), confidential_reason="staff"
    )
    lay = member(world.alpha, Role.LAY_MEMBER, None, full_name="Lara Lay")
    GroupMember.objects.create(
        group=board, person=lay, member_type=MemberType.LAY_MEMBER, starts_on=dt.date(2020, 1, 1)
    )
    reader = signed_in(lay)
    assert reader.get(reverse("governance:forward-plan", args=[crg.pk])).status_code == 404
    page = reader.get(reverse("governance:forward-plan", args=[board.pk])).content.decode()
    assert "Annual report" in page and "Redundancy plans" not in page
    client.logout()
    # Practitioners read groups but not the forward plan; scrutiny neither.
    assert signed_in(world.practitioner_a).get(reverse("governance:forward-plan", args=[board.pk])).status_code == 403
    client.logout()
    assert signed_in(world.scrutiny).get(reverse("governance:forward-plan", args=[board.pk])).status_code == 403


# --- My work ---------------------------------------------------------------------------------------------


def _request(user, partnership):  # type: ignore[no-untyped-def]
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    request.partnership = partnership
    return request


def _grow(world, board, count: int) -> None:  # type: ignore[no-untyped-def]
    for number in range(count):
        meeting = make_meeting(board, timezone.now() + dt.timedelta(days=30 + number))
        item = AgendaItem.objects.create(meeting=meeting, number=1, title=f"Report {number}")
        ForwardPlanItem.objects.create(group=board, title=f"Plan {number}", target_month=dt.date(2031, 1, 1))
        owed = services.request_paper(item=item, title=f"Owed {number}", author=world.agency_lead)
        sent = services.request_paper(item=item, title=f"Sent {number}", author=world.agency_lead)
        services.submit_paper(sent, by=world.agency_lead, file=ContentFile(pdf_bytes(), name="p.pdf"), **COVER)
        assert owed.pk
        services.record_decision_between_meetings(
            group=board,
            decision=f"Decision {number}",
            means=DecisionMeans.CHAIRS_ACTION,
            decided_on=timezone.localdate(),
            decided_by=[board.chair],
        )


def test_my_work_shows_the_cycle_in_a_fixed_number_of_queries(world, chaired):
    board, _ = chaired
    counts = []
    annual_cycle_panel(_request(world.partnership_admin, world.alpha))  # warm the per-person caches
    papers_owed_panel(_request(world.agency_lead, world.alpha))
    for size in (1, 4):
        _grow(world, board, size)
        with CaptureQueriesContext(connection) as unit:
            panel = annual_cycle_panel(_request(world.partnership_admin, world.alpha))
        with CaptureQueriesContext(connection) as author:
            owed = papers_owed_panel(_request(world.agency_lead, world.alpha))
        counts.append((len(unit), len(author)))
    assert counts[0] == counts[1]
    assert panel is not None and owed is not None
    assert "papers to check" in panel.summary and "decisions to ratify" in panel.summary
    assert "forward plan items with no meeting" in panel.summary
    assert owed.summary == "5 papers to send"
    assert [r.title for r in owed.context["owed"]][:1] == ["Owed 0"]
    # Each shown only to whom it concerns.
    assert annual_cycle_panel(_request(world.agency_lead, world.alpha)) is None
    assert papers_owed_panel(_request(world.partnership_admin, world.alpha)) is None


def test_an_author_sees_the_papers_they_owe_with_the_deadline(world, chaired, signed_in):
    board, _ = chaired
    meeting = make_meeting(board, timezone.now() + dt.timedelta(days=20))
    item = AgendaItem.objects.create(meeting=meeting, number=1, title="Police update")
    request = services.request_paper(item=item, title="Police quarterly figures", author=world.agency_lead)
    page = signed_in(world.agency_lead).get("/").content.decode()
    assert "Papers you owe" in page and "Police quarterly figures" in page
    assert f"Due by {request.due_on:%-d %B %Y}" in page
    assert [p.title for p in panels_for(_request(world.agency_lead, world.alpha))]
    assert PaperRequest.objects.visible_to(world.practitioner_a).count() == 0
