"""Acceptance 4: a group serving two partnerships shows its meetings in both, and only to those
entitled; writes stay with the host partnership (a member partnership's administrator cannot change
the shared group for everyone)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeboard.core.permissions import Role
from safeboard.governance.models import AgendaItem, Group, GroupKind, GroupMember, Meeting, MemberType
from tests.factories import member
from tests.governance.matrix_rows_meetings import make_meeting


@pytest.fixture
def shared(world):  # type: ignore[no-untyped-def]
    """Alpha hosts a joint procedures group (open) and a sub-regional child death panel (members
    only); Beta is a member partnership of both."""
    soon = timezone.now() + dt.timedelta(days=10)
    procedures = Group.objects.create(partnership=world.alpha, name="Joint procedures group", kind=GroupKind.SUBGROUP)
    panel = Group.objects.create(
        partnership=world.alpha, name="Sub-regional child death panel", kind=GroupKind.CHILD_DEATH
    )
    for group in (procedures, panel):
        group.member_partnerships.add(world.beta)
    procedures_meeting = make_meeting(procedures, soon, venue="Alpha hall")
    panel_meeting = make_meeting(panel, soon + dt.timedelta(days=1), venue="Beta hall")
    AgendaItem.objects.create(meeting=panel_meeting, number=1, title="Deaths notified this quarter")
    beta_seated = member(world.beta, Role.BOARD_MEMBER, world.agency_c, full_name="Bo Beta")
    GroupMember.objects.create(
        group=panel,
        person=beta_seated,
        agency=world.agency_c,
        member_type=MemberType.MEMBER,
        starts_on=dt.date(2024, 1, 1),
    )
    return {
        "procedures": procedures,
        "panel": panel,
        "procedures_meeting": procedures_meeting,
        "panel_meeting": panel_meeting,
        "alpha_board_member": member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name="Al Alpha"),
        "beta_board_member": member(world.beta, Role.BOARD_MEMBER, world.agency_c, full_name="Bea Beta"),
        "beta_seated": beta_seated,
        "beta_practitioner": member(world.beta, Role.PRACTITIONER, world.agency_c, full_name="Pam Beta"),
    }


def listed_meetings(client) -> set[int]:  # type: ignore[no-untyped-def]
    response = client.get(reverse("governance:meeting-list"))
    if response.status_code != 200:
        return set()
    return {m.pk for m in response.context["page"].object_list}


def test_a_shared_groups_meetings_show_in_both_partnerships_to_those_entitled(world, signed_in, shared):
    procedures, panel = shared["procedures_meeting"].pk, shared["panel_meeting"].pk
    # The host's business unit and the member partnership's seated panel member read both.
    assert {procedures, panel} <= listed_meetings(signed_in(world.partnership_admin))
    beta_seated = signed_in(shared["beta_seated"])
    assert {procedures, panel} <= listed_meetings(beta_seated)
    assert beta_seated.get(reverse("governance:meeting-detail", args=[panel])).status_code == 200
    assert (
        b"Deaths notified this quarter" in beta_seated.get(reverse("governance:meeting-detail", args=[panel])).content
    )
    assert beta_seated.get(reverse("governance:meeting-ics", args=[panel])).status_code == 200
    api = beta_seated.get(reverse("api:board-meeting-list")).json()
    assert {procedures, panel} <= {m["id"] for m in api["results"]}
    # Board members of either partnership without a seat: the open group, not the members-only panel.
    for persona in ("alpha_board_member", "beta_board_member"):
        client = signed_in(shared[persona])
        shown = listed_meetings(client)
        assert procedures in shown and panel not in shown, persona
        assert client.get(reverse("governance:meeting-detail", args=[panel])).status_code == 404
        assert client.get(reverse("governance:meeting-detail", args=[procedures])).status_code == 200
    # Those who do not read meetings in either partnership: nothing; other partnerships: nothing.
    beta_practitioner = signed_in(shared["beta_practitioner"])
    assert beta_practitioner.get(reverse("governance:meeting-detail", args=[procedures])).status_code == 404
    gamma = member(
        world.alpha.__class__.objects.create(name="Gamma", short_name="G", slug="gamma"), Role.PARTNERSHIP_ADMINISTRATOR
    )
    assert signed_in(gamma).get(reverse("governance:meeting-detail", args=[procedures])).status_code == 404


def test_a_member_partnerships_administrator_cannot_change_the_shared_group(world, signed_in, shared):
    """The attack: Beta's administrator tries every write on Alpha's shared group."""
    group, meeting = shared["procedures"], shared["procedures_meeting"]
    client = signed_in(world.other_admin)
    assert client.get(reverse("governance:group-detail", args=[group.pk])).status_code == 200  # Beta reads it
    attempts = [
        (
            reverse("governance:group-edit", args=[group.pk]),
            {
                "name": "Renamed by Beta",
                "kind": "subgroup",
                "meeting_frequency": "quarterly",
                "attendance_required": 1,
                "attendance_out_of": 4,
                "version_seen": group.version,
            },
        ),
        (
            reverse("governance:member-new", args=[group.pk]),
            {"person": world.other_admin.pk, "member_type": "member", "starts_on": "2026-01-01"},
        ),
        (
            reverse("governance:meeting-new", args=[group.pk]),
            {"date": "2027-01-05", "start_time": "10:00", "end_time": "12:00"},
        ),
        (
            reverse("governance:meeting-edit", args=[meeting.pk]),
            {"date": "2027-02-05", "start_time": "10:00", "end_time": "12:00", "version_seen": meeting.version},
        ),
        (
            reverse("governance:item-new", args=[meeting.pk]),
            {"number": 9, "title": "Beta's item", "purpose": "decision", "minutes_allowed": 10},
        ),
        (reverse("governance:meeting-cancel", args=[meeting.pk]), {"reason": "Beta says so"}),
        (reverse("governance:meeting-invite", args=[meeting.pk]), {}),
    ]
    for url, data in attempts:
        assert client.post(url, data).status_code == 403, url
    group.refresh_from_db()
    meeting.refresh_from_db()
    assert group.name == "Joint procedures group" and group.members.count() == 0
    assert Meeting.objects.filter(group=group).count() == 1 and meeting.status == "scheduled"
    assert not AgendaItem.objects.filter(title="Beta's item").exists() and meeting.invitations_sent_at is None
    # The host's administrator can.
    host = signed_in(world.partnership_admin)
    response = host.post(
        attempts[0][0],
        {**attempts[0][1], "name": "Joint procedures and practice group", "member_partnerships": [world.beta.pk]},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Joint procedures and practice group"
    assert list(group.member_partnerships.all()) == [world.beta]
