"""Who sees what in board meetings, the business manager's "My work" panel, and list query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeboard.governance.models import (
    AbsenceFollowUp,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Group,
    GroupKind,
    GroupMember,
    LayMemberInduction,
    MemberType,
    MinutesStatus,
    Paper,
)
from tests.governance.matrix_rows_meetings import build, make_meeting, make_paper, pdf_bytes


@pytest.fixture
def alpha(world, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    build(world)
    return world.extras


# --- Scrutiny ---------------------------------------------------------------------------------------------


def test_scrutiny_sees_groups_and_published_minutes_only(world, signed_in, alpha):
    meeting = alpha["meetings_meeting"]
    AgendaItem.objects.filter(pk=alpha["meetings_item"].pk).update(discussion="Figures were discussed.")
    client = signed_in(world.scrutiny)
    home = client.get(reverse("governance:home")).content.decode()
    assert "Meetings matrix board" in home
    assert meeting.get_absolute_url() not in home
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.get(reverse("governance:meeting-list")).context["page"].object_list == []

    meeting.minutes_status = MinutesStatus.PUBLISHED
    meeting.save()
    assert meeting.get_absolute_url() in client.get(reverse("governance:home")).content.decode()
    listed = client.get(reverse("governance:meeting-list")).context["page"].object_list
    assert [m.pk for m in listed] == [meeting.pk]
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert "Figures were discussed." in body
    assert alpha["meetings_paper"].title not in body and "Upload a paper" not in body
    assert world.agency_lead.full_name not in body  # no attendance, no member names
    for name in ("governance:paper-download",):
        assert client.get(reverse(name, args=[alpha["meetings_paper"].pk])).status_code == 404
    for name in ("governance:meeting-pack", "governance:meeting-ics", "governance:meeting-attendance"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 404
    # Scrutiny sees the group but not who sits on it.
    group_page = client.get(alpha["meetings_group"].get_absolute_url()).content.decode()
    assert world.agency_lead.full_name not in group_page


def test_practitioners_see_groups_but_no_meetings(world, signed_in, alpha):
    client = signed_in(world.practitioner_a)
    home = client.get(reverse("governance:home"))
    assert home.status_code == 200
    assert "Meetings matrix board" in home.content.decode()
    assert "upcoming" not in home.context
    assert client.get(alpha["meetings_meeting"].get_absolute_url()).status_code == 404


# --- Agency leads ------------------------------------------------------------------------------------------


def test_an_agency_lead_uploads_papers_for_their_own_agencys_items_only(world, signed_in, alpha):
    own = alpha["meetings_item"]
    other = AgendaItem.objects.create(meeting=own.meeting, number=2, title="Health update", agency=world.agency_b)
    client = signed_in(world.agency_lead)
    form = client.get(reverse("governance:paper-new", args=[own.pk])).context["form"]
    assert list(form.fields["agency"].queryset) == [world.agency_a]
    response = client.post(
        reverse("governance:paper-new", args=[own.pk]),
        {"title": "Police figures", "file": SimpleUploadedFile("p.pdf", pdf_bytes()), "agency": world.agency_a.pk},
    )
    assert response.status_code == 302
    assert Paper.objects.get(title="Police figures").uploaded_by == world.agency_lead
    assert client.get(reverse("governance:paper-new", args=[other.pk])).status_code == 403
    response = client.post(
        reverse("governance:paper-new", args=[other.pk]),
        {"title": "Sneaky", "file": SimpleUploadedFile("p.pdf", pdf_bytes()), "agency": world.agency_a.pk},
    )
    assert response.status_code == 403
    assert not Paper.objects.filter(title="Sneaky").exists()
    # The meeting page offers the upload link only where they may use it.
    body = client.get(own.meeting.get_absolute_url()).content.decode()
    assert reverse("governance:paper-new", args=[own.pk]) in body
    assert reverse("governance:paper-new", args=[other.pk]) not in body


def test_agency_leads_never_see_the_business_units_absence_follow_ups(world, signed_in, alpha):
    follow_up = alpha["meetings_follow_up"]
    client = signed_in(world.agency_lead)
    body = client.get(alpha["meetings_meeting"].get_absolute_url()).content.decode()
    assert "Mark as followed up" not in body and "Follow-up" not in body
    assert client.post(reverse("governance:followup-done", args=[follow_up.pk])).status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.done_on is None
    assert "Board business to follow up" not in client.get(reverse("core:home")).content.decode()


def test_an_agency_lead_sees_only_their_own_agencys_attendance(world, signed_in, alpha):
    meeting = alpha["meetings_meeting"]
    health_seat = GroupMember.objects.create(
        group=meeting.group, person=world.practitioner_b, agency=world.agency_b, starts_on=dt.date(2020, 1, 1)
    )
    Attendance.objects.create(meeting=meeting, member=health_seat, status=AttendanceStatus.APOLOGIES)
    rows = signed_in(world.agency_lead).get(meeting.get_absolute_url()).context["attendance"]
    assert [a.member.agency for a, _ in rows] == [world.agency_a]
    rows = signed_in(world.partnership_admin).get(meeting.get_absolute_url()).context["attendance"]
    assert len(rows) == 2


def test_an_agency_lead_reads_a_meeting_but_cannot_manage_it(world, signed_in, alpha):
    meeting = alpha["meetings_meeting"]
    client = signed_in(world.agency_lead)
    assert client.post(reverse("governance:meeting-invite", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("governance:meeting-circulate", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("governance:minutes-publish", args=[meeting.pk])).status_code == 403
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is None and meeting.papers_circulated_at is None


# --- Outsiders ---------------------------------------------------------------------------------------------


def test_another_partnerships_administrator_finds_nothing_of_alpha(world, signed_in, alpha):
    client = signed_in(world.other_admin)
    meeting = alpha["meetings_meeting"]
    for url in (
        meeting.get_absolute_url(),
        alpha["meetings_group"].get_absolute_url(),
        reverse("governance:meeting-pack", args=[meeting.pk]),
        reverse("governance:paper-download", args=[alpha["meetings_paper"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Meetings matrix board" not in response.content
    for name in ("governance:meeting-invite", "governance:meeting-circulate", "governance:minutes-publish"):
        assert client.post(reverse(name, args=[meeting.pk])).status_code == 404
    assert client.post(reverse("governance:followup-done", args=[alpha["meetings_follow_up"].pk])).status_code == 404
    home = client.get(reverse("governance:home")).content.decode()
    assert "Meetings matrix board" not in home
    assert client.get(reverse("governance:group-list")).context["page"].object_list == []


# --- The business manager's "My work" panel ------------------------------------------------------------------


def test_the_business_manager_sees_overdue_induction_steps_and_open_follow_ups(world, signed_in, alpha):
    today = timezone.localdate()
    group = alpha["meetings_group"]
    # Started 20 days ago, no pack sent: overdue. Started 8 months ago, pack sent, no six-month meeting: overdue.
    fresh = GroupMember.objects.create(
        group=group, person=world.scrutiny, member_type=MemberType.LAY_MEMBER, starts_on=today - dt.timedelta(days=20)
    )
    LayMemberInduction.objects.create(member=fresh)
    on_time = GroupMember.objects.create(
        group=group,
        person=world.practitioner_a,
        member_type=MemberType.LAY_MEMBER,
        starts_on=today - dt.timedelta(days=5),
    )
    LayMemberInduction.objects.create(member=on_time)
    body = signed_in(world.partnership_admin).get(reverse("core:home")).content.decode()
    assert "Board business to follow up" in body
    assert f"{world.scrutiny.full_name}</a> ({group.name}): Induction pack not sent" in body
    assert "Six-month meeting with the chair was due" in body  # the 2020 lay seat from the matrix build
    assert f"{world.practitioner_a.full_name}</a> ({group.name})" not in body  # within 14 days: not overdue
    assert reverse("governance:followup-done", args=[alpha["meetings_follow_up"].pk]) in body

    # Marking it done from the panel takes it off the list.
    client = signed_in(world.partnership_admin)
    client.post(
        reverse("governance:followup-done", args=[alpha["meetings_follow_up"].pk]), {"next": reverse("core:home")}
    )
    assert not AbsenceFollowUp.objects.filter(done_on__isnull=True).exists()
    assert (
        reverse("governance:followup-done", args=[alpha["meetings_follow_up"].pk])
        not in client.get(reverse("core:home")).content.decode()
    )


def test_only_people_who_manage_meetings_get_the_panel(world, signed_in, alpha):
    for persona in (world.practitioner_a, world.agency_lead, world.scrutiny):
        assert "Board business to follow up" not in signed_in(persona).get(reverse("core:home")).content.decode()
    # Beta's administrator has nothing waiting in Beta, so no panel, and nothing of Alpha's.
    body = signed_in(world.other_admin).get(reverse("core:home")).content.decode()
    assert "Board business to follow up" not in body
    assert reverse("governance:followup-done", args=[alpha["meetings_follow_up"].pk]) not in body


# --- Late papers -------------------------------------------------------------------------------------------


def test_late_papers_are_counted_by_agency_for_the_business_year(world, signed_in, settings, tmp_path):
    import time_machine

    settings.MEDIA_ROOT = tmp_path
    board = Group.objects.create(partnership=world.alpha, name="Counting board", kind=GroupKind.BOARD)
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 6, 15, 12)), tick=False):
        june = make_meeting(board, timezone.make_aware(dt.datetime(2026, 6, 20, 10)), venue="Room")
        june_item = AgendaItem.objects.create(meeting=june, number=1, title="June item")
        # Due by 13 June: uploaded on the 12th is on time; on the 14th is late (times in UK time).
        make_paper(
            june_item,
            world.partnership_admin,
            agency=world.agency_a,
            uploaded_at=timezone.make_aware(dt.datetime(2026, 6, 13, 23, 30)),
        )
        make_paper(
            june_item,
            world.partnership_admin,
            agency=world.agency_a,
            uploaded_at=timezone.make_aware(dt.datetime(2026, 6, 14, 0, 30)),
        )
        make_paper(
            june_item,
            world.partnership_admin,
            agency=world.agency_b,
            uploaded_at=timezone.make_aware(dt.datetime(2026, 6, 19, 9)),
        )
        # March 2026 is in the business year before (2025/26): not counted.
        march = make_meeting(board, timezone.make_aware(dt.datetime(2026, 3, 20, 10)), venue="Room")
        march_item = AgendaItem.objects.create(meeting=march, number=1, title="March item")
        make_paper(
            march_item,
            world.partnership_admin,
            agency=world.agency_b,
            uploaded_at=timezone.make_aware(dt.datetime(2026, 3, 19, 9)),
        )
        client = signed_in(world.partnership_admin)
        for url in (reverse("governance:home"), board.get_absolute_url()):
            response = client.get(url)
            rows = {r["agency_name"]: (r["total"], r["late"]) for r in response.context["late_papers"]}
            assert rows == {world.agency_a.name: (2, 1), world.agency_b.name: (1, 1)}, url
            assert "Late papers by agency, 2026/27" in response.content.decode()
        tags = client.get(june.get_absolute_url()).content.decode().count(">Late</strong>")
        assert tags == 2


# --- Query counts -------------------------------------------------------------------------------------------


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _grow(world, n: int = 12) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    parent = Group.objects.filter(partnership=world.alpha).first()
    for i in range(n):
        group = Group.objects.create(
            partnership=world.alpha,
            name=f"Subgroup {i}",
            kind=GroupKind.SUBGROUP,
            parent=parent,
            chair=world.agency_lead,
        )
        seat = GroupMember.objects.create(
            group=group, person=world.agency_lead, agency=world.agency_a, starts_on=dt.date(2020, 1, 1)
        )
        lay = GroupMember.objects.create(
            group=group, person=world.practitioner_b, member_type=MemberType.LAY_MEMBER, starts_on=dt.date(2020, 1, 1)
        )
        LayMemberInduction.objects.create(member=lay)
        past = make_meeting(group, now - dt.timedelta(days=30 + i), venue="Room")
        make_meeting(group, now + dt.timedelta(days=1 + i), venue="Room")
        item = AgendaItem.objects.create(meeting=past, number=1, title=f"Item {i}", agency=world.agency_b)
        make_paper(item, world.partnership_admin, agency=world.agency_b)
        AgendaItem.objects.create(
            meeting=make_meeting(group, now + dt.timedelta(days=2), venue="Room"), number=1, title="No paper yet"
        )
        attendance = Attendance.objects.create(meeting=past, member=seat, status=AttendanceStatus.ABSENT)
        AbsenceFollowUp.objects.create(attendance=attendance)
    board = world.extras["meetings_group"]
    for i in range(n):
        GroupMember.objects.create(
            group=board, person=world.practitioner_a, agency=world.agency_a, starts_on=dt.date(2020, 1, 1)
        )
        make_meeting(board, now - dt.timedelta(days=100 + i), venue="Room")


@pytest.mark.parametrize(
    ("url_name", "persona"),
    [
        ("governance:home", "partnership_admin"),
        ("governance:home", "scrutiny"),
        ("governance:group-list", "partnership_admin"),
        ("governance:meeting-list", "partnership_admin"),
        ("governance:group-detail", "partnership_admin"),
        ("core:home", "partnership_admin"),
    ],
)
def test_board_business_pages_run_a_fixed_number_of_queries(url_name, persona, world, signed_in, alpha):
    client = signed_in(getattr(world, persona))
    url = (
        reverse(url_name, args=[alpha["meetings_group"].pk])
        if url_name == "governance:group-detail"
        else reverse(url_name)
    )
    _queries(client, url)  # warm caches (content types, the session)
    before = _queries(client, url)
    _grow(world)
    after = _queries(client, url)
    assert after == before, f"{url_name}: {before} queries with few rows, {after} with more (N+1?)"
    assert after <= 30


def test_a_meeting_page_runs_a_fixed_number_of_queries_however_many_items_and_actions(world, signed_in, alpha):
    """Each agenda item lists its actions with their owners: the owners come with the actions."""
    from safeboard.accounts.models import User
    from safeboard.actions.services import create_action

    board = alpha["meetings_group"]
    meeting = make_meeting(board, timezone.now() - dt.timedelta(days=3), venue="Room")

    def add_items(first: int, count: int) -> None:
        for number in range(first, first + count):
            item = AgendaItem.objects.create(meeting=meeting, number=number, title=f"Item {number}")
            owner = User.objects.create_user(f"owner{number}@example.org", full_name=f"Owner {number}")
            create_action(
                partnership=world.alpha,
                title=f"Follow up item {number}",
                owner=owner,
                agency=world.agency_a,
                due_date=dt.date(2027, 1, number),
                created_by=world.partnership_admin,
                source=item,
            )

    client = signed_in(world.partnership_admin)
    add_items(1, 2)
    _queries(client, meeting.get_absolute_url())  # warm caches
    before = _queries(client, meeting.get_absolute_url())
    add_items(3, 6)
    after = _queries(client, meeting.get_absolute_url())
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Owner 8" in page and "Follow up item 8" in page
    assert after == before, f"{before} queries with 2 items, {after} with 8 (N+1?)"
