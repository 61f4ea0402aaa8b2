"""The board business API: groups, meetings with their agenda, attendance and the business plan,
read through ``visible_to`` exactly as the web pages are."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from safeboard.accounts.models import APIToken
from safeboard.core.permissions import Role
from safeboard.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Group,
    GroupKind,
    GroupMember,
    Meeting,
    MinutesStatus,
)
from tests.factories import member
from tests.governance import matrix_rows_meetings, matrix_rows_oversight
from tests.governance.matrix_rows_meetings import make_meeting


def api(user: Any) -> APIClient:
    client = APIClient()
    _, secret = APIToken.issue(user, "Test")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def ids(client: APIClient, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def records(world: Any) -> dict[str, Any]:
    matrix_rows_meetings.build(world)
    matrix_rows_oversight.build(world)
    group = world.extras["meetings_group"]
    group.chair = world.partnership_admin
    group.save()
    return world.extras


def test_it_gives_each_caller_only_what_they_may_see(world):
    extras = records(world)
    meeting, attendance = extras["meetings_meeting"], extras["meetings_attendance"]
    lead, admin, outsider = api(world.agency_lead), api(world.partnership_admin), api(world.other_admin)

    assert extras["meetings_group"].pk in ids(api(world.practitioner_a), "/api/v1/board/groups/")
    assert ids(outsider, "/api/v1/board/groups/") == set()
    assert ids(api(world.practitioner_a), "/api/v1/board/meetings/") == set()  # practitioners read no meetings
    assert meeting.pk in ids(lead, "/api/v1/board/meetings/")
    assert ids(outsider, "/api/v1/board/meetings/") == set()
    agency_a_rows = set(Attendance.objects.filter(member__agency=world.agency_a).values_list("pk", flat=True))
    assert attendance.pk in agency_a_rows and ids(lead, "/api/v1/board/attendance/") == agency_a_rows
    assert attendance.pk in ids(admin, "/api/v1/board/attendance/")
    assert extras["oversight_plan"].pk in ids(api(world.practitioner_b), "/api/v1/board/business-plans/")

    for url in (
        f"/api/v1/board/groups/{extras['meetings_group'].pk}/",
        f"/api/v1/board/meetings/{meeting.pk}/",
        f"/api/v1/board/attendance/{attendance.pk}/",
        f"/api/v1/board/business-plans/{extras['oversight_plan'].pk}/",
    ):
        response = outsider.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Not found."}


def test_an_agency_lead_reads_only_their_own_agencys_attendance(world):
    extras = records(world)
    other_seat = GroupMember.objects.create(
        group=extras["meetings_group"],
        person=world.practitioner_b,
        agency=world.agency_b,
        starts_on=dt.date(2020, 1, 1),
    )
    other = Attendance.objects.create(
        meeting=extras["meetings_meeting"], member=other_seat, status=AttendanceStatus.PRESENT
    )
    lead = api(world.agency_lead)
    assert other.pk not in ids(lead, "/api/v1/board/attendance/")
    assert lead.get(f"/api/v1/board/attendance/{other.pk}/").status_code == 404
    row = api(world.partnership_admin).get(f"/api/v1/board/attendance/{other.pk}/").json()
    assert row["person"] == {"id": world.practitioner_b.pk, "name": "Pip Bravo"}
    assert row["status"] == "present" and row["agency"] == world.agency_b.pk


def test_scrutiny_sees_nothing_personal(world):
    extras = records(world)
    scrutiny = api(world.scrutiny)
    groups = scrutiny.get("/api/v1/board/groups/")
    plans = scrutiny.get("/api/v1/board/business-plans/")
    group_row = next(r for r in groups.json()["results"] if r["id"] == extras["meetings_group"].pk)
    assert group_row["name"] == "Meetings matrix board" and group_row["chair"] is None
    plan_row = next(r for r in plans.json()["results"] if r["id"] == extras["oversight_plan"].pk)
    assert plan_row["priorities"][0]["title"] == "Neglect" and plan_row["priorities"][0]["sponsor"] is None
    assert plan_row["priorities"][0]["objectives"][0]["text"] == "Spot neglect earlier."
    # No meeting and no attendance row: scrutiny reads figures and published minutes on the web only.
    assert ids(scrutiny, "/api/v1/board/meetings/") == set()
    assert ids(scrutiny, "/api/v1/board/attendance/") == set()
    for response in (groups, plans):
        for person in (world.partnership_admin, world.agency_lead, world.practitioner_a, world.practitioner_b):
            assert person.full_name.encode() not in response.content
            assert person.email.encode() not in response.content
    # The same group read by a board reader names its chair.
    admin_row = api(world.partnership_admin).get(f"/api/v1/board/groups/{extras['meetings_group'].pk}/").json()
    assert admin_row["chair"] == {"id": world.partnership_admin.pk, "name": "Ada Admin"}


def test_draft_minutes_are_for_those_who_manage_the_meeting(world):
    extras = records(world)
    meeting = extras["meetings_meeting"]
    AgendaItem.objects.filter(meeting=meeting).update(discussion="Draft discussion", decisions="Draft decision")
    reader = member(world.alpha, Role.BOARD_MEMBER, world.agency_b, full_name="Bea Board")
    url = f"/api/v1/board/meetings/{meeting.pk}/"

    as_reader = api(reader).get(url).json()
    assert as_reader["items"][0]["title"] == "Police update"
    assert as_reader["items"][0]["discussion"] is None and as_reader["difference_for_children"] is None
    as_admin = api(world.partnership_admin).get(url).json()
    assert as_admin["items"][0]["discussion"] == "Draft discussion"

    Meeting.objects.filter(pk=meeting.pk).update(minutes_status=MinutesStatus.PUBLISHED)
    assert api(reader).get(url).json()["items"][0]["decisions"] == "Draft decision"


def test_the_api_is_read_only_and_pages_by_cursor(world):
    extras = records(world)
    admin = api(world.partnership_admin)
    assert admin.post("/api/v1/board/groups/", {"name": "New"}).status_code == 405
    assert admin.patch(f"/api/v1/board/groups/{extras['meetings_group'].pk}/", {"name": "x"}).status_code == 405
    page = admin.get("/api/v1/board/meetings/?page_size=1").json()
    assert len(page["results"]) == 1 and "cursor=" in page["next"] and "count" not in page


def test_the_meetings_list_costs_the_same_queries_for_one_meeting_or_many(world):
    group = Group.objects.create(partnership=world.alpha, name="Counted board", kind=GroupKind.BOARD)
    admin = api(world.partnership_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin.get("/api/v1/board/meetings/").status_code == 200
        return len(captured)

    first = make_meeting(group, timezone.now())
    AgendaItem.objects.create(meeting=first, number=1, title="One", presenter=world.agency_lead)
    queries()  # the token's first use is written down once
    one = queries()
    for day in range(1, 6):
        meeting = make_meeting(group, timezone.now() + dt.timedelta(days=day))
        AgendaItem.objects.create(meeting=meeting, number=1, title="One", presenter=world.agency_lead)
        AgendaItem.objects.create(meeting=meeting, number=2, title="Two")
    assert queries() == one
