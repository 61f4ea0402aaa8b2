"""Acceptance: the attendance dashboard's figures on the demo data equal a count made by hand.

The hand count below walks the raw rows in plain Python (no aggregates and none of the code that
produces the figures: no ``business_year_of``, no ``GroupMember.seated_on``, no ``reports``): for
each seat, the meetings of its group in the business year that were held (or have attendance
recorded) and not cancelled, on a day the seat was held, and the attendance recorded at them.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.test import Client
from django.utils import timezone

from safeboard.accounts.demo import build_demo
from safeboard.accounts.models import User
from safeboard.governance.models import Attendance, GroupMember, Meeting
from tests.conftest import sign_in


def test_the_dashboard_matches_a_hand_count_of_the_demo_year(db):
    world = build_demo()
    partnership = world.partnerships["nm"]
    start_month = partnership.business_year_start_month
    today = timezone.localdate()
    # The business year that holds today starts on the 1st of the start month this year or last.
    year = today.year if today.month >= start_month else today.year - 1

    def in_year(meeting: Meeting) -> bool:
        day = timezone.localtime(meeting.starts_at).date()
        return (day.year if day.month >= start_month else day.year - 1) == year

    def seated(seat: GroupMember, day) -> bool:  # type: ignore[no-untyped-def]
        return seat.starts_on <= day and (seat.ends_on is None or day <= seat.ends_on)

    recorded = set(Attendance.objects.values_list("meeting_id", flat=True))
    counting = [
        m
        for m in Meeting.objects.filter(group__partnership=partnership)
        if in_year(m) and m.status != "cancelled" and (m.status == "held" or m.pk in recorded)
    ]
    statuses = {(a.meeting_id, a.member_id): a.status for a in Attendance.objects.all()}
    by_seat: dict[int, Counter] = {}
    by_agency: dict[object, Counter] = defaultdict(Counter)
    by_group: dict[int, Counter] = defaultdict(Counter)
    # Only seats expected to attend count: members and lay members (written out here, not taken from
    # the code under test). Observers, advisers and named deputies have no expectation of their own.
    for seat in GroupMember.objects.filter(group__partnership=partnership, member_type__in=["member", "lay_member"]):
        tally: Counter = Counter()
        for meeting in counting:
            if meeting.group_id != seat.group_id or not seated(seat, timezone.localtime(meeting.starts_at).date()):
                continue
            tally["expected"] += 1
            status = statuses.get((meeting.pk, seat.pk))
            if status:
                tally[status] += 1
        by_seat[seat.pk] = tally
        by_agency[seat.agency_id].update(tally)
        by_group[seat.group_id].update(tally)
    assert sum(t["expected"] for t in by_seat.values()) > 150  # the demo really has a year of meetings

    client = sign_in(Client(), User.objects.get(email="admin@demo.safeboard.test"))
    dashboard = client.get(f"/board/attendance/?year={year}").context["dashboard"]

    def figures(row) -> dict[str, int]:  # type: ignore[no-untyped-def]
        return {
            "expected": row.expected,
            "present": row.present,
            "deputy": row.deputy,
            "apologies": row.apologies,
            "absent": row.absent,
        }

    def hand(tally: Counter) -> dict[str, int]:
        return {
            "expected": tally["expected"],
            "present": tally["present"],
            "deputy": tally["deputy"],
            "apologies": tally["apologies"],
            "absent": tally["absent"],
        }

    shown_seats = {row.key: figures(row) for row in dashboard.members}
    assert shown_seats == {pk: hand(t) for pk, t in by_seat.items() if pk in shown_seats}
    assert {row.key: figures(row) for row in dashboard.groups} == {pk: hand(t) for pk, t in by_group.items()}
    shown_agencies = {row.key: figures(row) for row in dashboard.agencies}
    assert shown_agencies == {key: hand(t) for key, t in by_agency.items() if key in shown_agencies}
    assert {key for key, t in by_agency.items() if t["expected"] and key is not None} <= set(shown_agencies)
    # Every seat held during the year is shown, and every agency with a seat.
    held = {pk for pk, tally in by_seat.items() if tally["expected"]}
    assert held <= set(shown_seats)
