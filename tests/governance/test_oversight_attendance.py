"""Attendance dashboard: every figure equals a plain hand count over the raw rows; scopes hold;
the number of queries does not grow with members or meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeboard.core.permissions import Role
from safeboard.governance.models import (
    Attendance,
    AttendanceStatus,
    Group,
    GroupKind,
    GroupMember,
    Meeting,
    MeetingStatus,
    MemberType,
)
from tests.factories import AgencyFactory, member

YEAR = 2025  # business year 1 April 2025 to 31 March 2026 (Alpha starts its year in April)
P, D, A, X = AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY, AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def meeting(group: Group, day: dt.date, status: str = MeetingStatus.HELD) -> Meeting:
    return Meeting.objects.create(
        group=group, starts_at=at(day), ends_at=at(day) + dt.timedelta(hours=2), status=status
    )


def seat(group: Group, person, agency, starts: dt.date, ends: dt.date | None = None, kind=MemberType.MEMBER):  # type: ignore[no-untyped-def]
    return GroupMember.objects.create(
        group=group, person=person, agency=agency, starts_on=starts, ends_on=ends, member_type=kind
    )


def record(m: Meeting, s: GroupMember, status: str, deputy=None) -> Attendance:  # type: ignore[no-untyped-def]
    return Attendance.objects.create(meeting=m, member=s, status=status, deputy=deputy)


@pytest.fixture
def year_of_meetings(world):  # type: ignore[no-untyped-def]
    """A small year with a known pattern (see each line)."""
    w = world
    board = Group.objects.create(
        partnership=w.alpha, name="Board", kind=GroupKind.BOARD, attendance_required=3, attendance_out_of=4
    )
    sub = Group.objects.create(
        partnership=w.alpha,
        name="Learning subgroup",
        kind=GroupKind.SUBGROUP,
        attendance_required=1,
        attendance_out_of=2,
    )
    people = {
        name: member(w.alpha, Role.BOARD_MEMBER, agency, full_name=name)
        for name, agency in [
            ("Alice Alder", w.agency_a),
            ("Bob Birch", w.agency_b),
            ("Carol Cedar", w.agency_a),
            ("Dan Dogwood", None),
            ("Eve Elm", w.agency_b),
        ]
    }
    deputy = member(w.alpha, Role.BOARD_MEMBER, w.agency_a, full_name="Dee Deputy")

    before = meeting(board, dt.date(2025, 3, 20))  # previous business year: not counted
    may = meeting(board, dt.date(2025, 5, 15))
    july = meeting(board, dt.date(2025, 7, 10))
    october = meeting(board, dt.date(2025, 10, 9), MeetingStatus.CANCELLED)  # cancelled: never expected
    january = meeting(board, dt.date(2026, 1, 15), MeetingStatus.SCHEDULED)  # not marked held, but recorded
    march = meeting(board, dt.date(2026, 3, 20))
    meeting(board, dt.date(2026, 2, 26), MeetingStatus.SCHEDULED)  # nothing recorded: not held, not expected
    after = meeting(board, dt.date(2026, 4, 16))  # next business year
    sub_june = meeting(sub, dt.date(2025, 6, 5))
    sub_nov = meeting(sub, dt.date(2025, 11, 6))

    alice = seat(board, people["Alice Alder"], w.agency_a, dt.date(2020, 1, 1))
    bob = seat(board, people["Bob Birch"], w.agency_b, dt.date(2021, 6, 1))
    carol = seat(board, people["Carol Cedar"], w.agency_a, dt.date(2025, 12, 1))  # joined mid-year
    dan = seat(board, people["Dan Dogwood"], None, dt.date(2019, 1, 1), kind=MemberType.LAY_MEMBER)
    eve = seat(board, people["Eve Elm"], w.agency_b, dt.date(2022, 1, 1), dt.date(2025, 8, 31))  # left mid-year
    alice_sub = seat(sub, people["Alice Alder"], w.agency_a, dt.date(2024, 1, 1))
    bob_sub = seat(sub, people["Bob Birch"], w.agency_b, dt.date(2024, 1, 1))
    # Seats not expected to attend: an observer, an adviser and Alice's named deputy.
    observer = member(w.alpha, Role.BOARD_MEMBER, w.agency_b, full_name="Olly Observer")
    adviser = member(w.alpha, Role.BOARD_MEMBER, w.agency_a, full_name="Ada Adviser")
    olly = seat(board, observer, w.agency_b, dt.date(2024, 1, 1), kind=MemberType.OBSERVER)
    ada = seat(board, adviser, w.agency_a, dt.date(2024, 1, 1), kind=MemberType.ADVISER)
    dee = seat(board, deputy, w.agency_a, dt.date(2024, 1, 1), kind=MemberType.DEPUTY)
    dee.deputy_for = alice
    dee.save()

    record(before, alice, X)
    record(may, alice, P)
    record(july, alice, D, deputy=deputy)
    record(january, alice, A)
    record(march, alice, X)
    for m in (may, july, january, march):
        record(m, bob, P)
    record(october, bob, A)  # apologies for a cancelled meeting: not counted
    record(january, carol, P)
    record(march, carol, A)
    record(may, dan, X)
    record(july, dan, P)
    record(march, dan, P)  # January not recorded for Dan
    record(may, eve, P)
    record(july, eve, A)
    record(after, eve, P)  # after her seat ended, and in the next year
    record(sub_june, alice_sub, P)
    record(sub_nov, alice_sub, A)
    record(sub_june, bob_sub, X)
    record(sub_nov, bob_sub, X)
    record(may, olly, P)
    record(july, olly, X)
    record(march, ada, A)
    record(july, dee, P)  # the deputy came for Alice (recorded on her seat too): no line of its own
    return {
        "board": board,
        "sub": sub,
        "seats": [alice, bob, carol, dan, eve, alice_sub, bob_sub],
        "not_expected": [olly, ada, dee],
    }


# --- The hand count: plain Python over the raw rows ------------------------------------------------------


def hand_count(partnership):  # type: ignore[no-untyped-def]
    start, end = dt.date(YEAR, 4, 1), dt.date(YEAR + 1, 4, 1)
    meetings = list(Meeting.objects.filter(group__partnership=partnership))
    rows = list(Attendance.objects.filter(meeting__group__partnership=partnership))
    recorded_meetings = {a.meeting_id for a in rows}

    def day(m):  # type: ignore[no-untyped-def]
        return timezone.localtime(m.starts_at).date()

    counted = [
        m
        for m in meetings
        if start <= day(m) < end
        and m.status != MeetingStatus.CANCELLED
        and (m.status == MeetingStatus.HELD or m.pk in recorded_meetings)
    ]
    per_seat = {}
    # Seats expected to attend, written out by hand: members and lay members only.
    for s in GroupMember.objects.filter(group__partnership=partnership, member_type__in=["member", "lay_member"]):
        if s.starts_on >= end or (s.ends_on is not None and s.ends_on < start):
            continue
        expected = [
            m
            for m in counted
            if m.group_id == s.group_id and s.starts_on <= day(m) and (s.ends_on is None or day(m) <= s.ends_on)
        ]
        ids = {m.pk for m in expected}
        statuses = [a.status for a in rows if a.member_id == s.pk and a.meeting_id in ids]
        per_seat[s.pk] = {
            "expected": len(expected),
            "present": statuses.count(P),
            "deputy": statuses.count(D),
            "apologies": statuses.count(A),
            "absent": statuses.count(X),
            "agency": s.agency_id,
            "group": s.group_id,
            "required": s.group.attendance_required / s.group.attendance_out_of,
        }
    return per_seat


def add_up(per_seat, key):  # type: ignore[no-untyped-def]
    totals: dict = {}
    for figures in per_seat.values():
        line = totals.setdefault(figures[key], {"expected": 0, "present": 0, "deputy": 0, "apologies": 0, "absent": 0})
        for name in line:
            line[name] += figures[name]
    return totals


FIGURES = ("expected", "present", "deputy", "apologies", "absent")


def test_attendance_dashboard_figures_equal_a_hand_count(world, signed_in, year_of_meetings):
    response = signed_in(world.partnership_admin).get(reverse("governance:attendance") + f"?year={YEAR}")
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    hand = hand_count(world.alpha)

    # Every seat, every figure.
    assert {row.key for row in dashboard.members} == set(hand)
    for row in dashboard.members:
        figures = hand[row.key]
        assert {f: getattr(row, f) for f in FIGURES} == {f: figures[f] for f in FIGURES}, row.label
        rate = figures["present"] / figures["expected"] if figures["expected"] else None
        assert row.rate == rate
        assert row.below_required == (rate is not None and rate < figures["required"])

    # Every agency and every group: the sums of the seats.
    for table, key in ((dashboard.agencies, "agency"), (dashboard.groups, "group")):
        expected = add_up(hand, key)
        assert {row.key for row in table} == set(expected)
        for row in table:
            assert {f: getattr(row, f) for f in FIGURES} == expected[row.key], row.label

    # And the pattern built into the fixture, so the hand count itself is checked too.
    alice, bob, carol, dan, eve, alice_sub, bob_sub = (s.pk for s in year_of_meetings["seats"])
    assert (hand[alice]["expected"], hand[alice]["present"]) == (4, 1)
    assert (hand[alice]["deputy"], hand[alice]["apologies"], hand[alice]["absent"]) == (1, 1, 1)
    assert hand[bob]["expected"] == 4 and hand[bob]["apologies"] == 0  # the cancelled meeting is left out
    # Observers, advisers and named deputies carry no expectation: no line, and nothing in the totals.
    not_expected = {s.pk for s in year_of_meetings["not_expected"]}
    assert not not_expected & {row.key for row in dashboard.members}
    board_row = next(row for row in dashboard.groups if row.key == year_of_meetings["board"].pk)
    assert board_row.seats == 5 and board_row.expected == 4 + 4 + 2 + 4 + 2
    assert hand[carol]["expected"] == 2  # joined in December: January and March only
    assert hand[eve]["expected"] == 2  # left in August: May and July only
    assert hand[dan]["expected"] == 4 and hand[dan]["present"] + hand[dan]["absent"] == 3  # one not recorded
    rows = {row.key: row for row in dashboard.members}
    assert rows[dan].not_recorded == 1
    assert rows[alice].below_required and not rows[bob].below_required
    assert rows[bob_sub].below_required and not rows[alice_sub].below_required
    agencies = {row.key: row for row in dashboard.agencies}
    assert agencies[world.agency_a.pk].seats_below == 2  # Alice on the board, Carol (1 of 2 < 3 of 4)
    assert agencies[None].label.startswith("No agency")


def test_a_seat_drill_down_lists_the_meetings_behind_its_figures(world, signed_in, year_of_meetings):
    alice = year_of_meetings["seats"][0]
    response = signed_in(world.partnership_admin).get(
        reverse("governance:attendance-member", args=[alice.pk]) + f"?year={YEAR}"
    )
    assert response.status_code == 200
    statuses = [(m.starts_at.date(), rec.status if rec else None) for m, rec in response.context["rows"]]
    assert statuses == [
        (dt.date(2025, 5, 15), P),
        (dt.date(2025, 7, 10), D),
        (dt.date(2026, 1, 15), A),
        (dt.date(2026, 3, 20), X),
    ]
    assert b"Dee Deputy" in response.content


def test_the_business_year_defaults_to_the_current_one(world, signed_in, year_of_meetings):
    response = signed_in(world.partnership_admin).get(reverse("governance:attendance"))
    today = timezone.localdate()
    assert response.context["year"] == (today.year if today.month >= 4 else today.year - 1)


def test_an_agency_lead_sees_only_their_own_agencys_members(world, signed_in, year_of_meetings):
    response = signed_in(world.agency_lead).get(reverse("governance:attendance") + f"?year={YEAR}")
    dashboard = response.context["dashboard"]
    assert {row.label for row in dashboard.members} == {"Alice Alder", "Carol Cedar"}
    assert [row.key for row in dashboard.agencies] == [world.agency_a.pk]
    assert b"Bob Birch" not in response.content
    bob = year_of_meetings["seats"][1]
    assert signed_in(world.agency_lead).get(reverse("governance:attendance-member", args=[bob.pk])).status_code == 404


def test_scrutiny_sees_agency_and_group_figures_but_no_named_member(world, signed_in, year_of_meetings):
    client = signed_in(world.scrutiny)
    response = client.get(reverse("governance:attendance") + f"?year={YEAR}")
    assert response.status_code == 200
    assert response.context["show_names"] is False
    content = response.content.decode()
    for name in ("Alice Alder", "Bob Birch", "Carol Cedar", "Dan Dogwood", "Eve Elm", "Dee Deputy"):
        assert name not in content
    assert "Alpha Police" in content and "Learning subgroup" in content
    groups = {row.label: row for row in response.context["dashboard"].groups}
    assert groups["Board"].expected == 4 + 4 + 2 + 4 + 2
    alice = year_of_meetings["seats"][0]
    assert client.get(reverse("governance:attendance-member", args=[alice.pk])).status_code == 403


def test_practitioners_and_other_partnerships_see_no_figures(world, signed_in, year_of_meetings):
    assert signed_in(world.practitioner_a).get(reverse("governance:attendance")).status_code == 403
    response = signed_in(world.other_admin).get(reverse("governance:attendance") + f"?year={YEAR}")
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert dashboard.members == dashboard.agencies == dashboard.groups == []


def queries_for(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_dashboard_runs_a_fixed_number_of_queries(world, signed_in, year_of_meetings):
    client = signed_in(world.partnership_admin)
    url = reverse("governance:attendance") + f"?year={YEAR}"
    queries_for(client, url)
    before = queries_for(client, url)
    board = year_of_meetings["board"]
    more = [meeting(board, dt.date(2025, 9, d)) for d in range(1, 11)]
    for i in range(15):
        person = member(
            world.alpha, Role.BOARD_MEMBER, AgencyFactory(partnerships=[world.alpha]), full_name=f"Extra {i}"
        )
        s = seat(board, person, person.agency, dt.date(2024, 1, 1))
        for m in more[:5]:
            record(m, s, P if i % 2 else A)
    after = queries_for(client, url)
    assert after == before, f"{before} queries before, {after} with 15 more members and 10 more meetings"
    assert len(signed_in(world.partnership_admin).get(url).context["dashboard"].members) == 7 + 15
