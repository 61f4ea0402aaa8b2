"""The annual cycle (issue 9, section 5): meeting series make their meetings without duplicates, and
the business unit builds next quarter's agendas from the standing items and the forward plan,
numbered, idempotently, marking the forward plan items as placed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from safeboard.core.services import ServiceError
from safeboard.governance.cycle import services
from safeboard.governance.cycle.models import SeriesRule, WeekOfMonth, nth_weekday
from safeboard.governance.models import (
    AgendaItem,
    ForwardPlanItem,
    Group,
    GroupKind,
    ItemPurpose,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    StandingItem,
    StandingKind,
)
from tests.governance.matrix_rows_meetings import make_meeting

LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hour: int = 9) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour, 0), tzinfo=LONDON), tick=False)


def local(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=LONDON)


@pytest.fixture
def board(world) -> Group:
    return Group.objects.create(partnership=world.alpha, name="Alpha Board", kind=GroupKind.BOARD)


def quarterly_second_tuesday(group: Group, **fields) -> MeetingSeries:  # type: ignore[no-untyped-def]
    fields.setdefault("starts_on", dt.date(2027, 1, 1))
    return MeetingSeries.objects.create(
        group=group,
        every_months=3,
        rule=SeriesRule.WEEKDAY,
        week_of_month=WeekOfMonth.SECOND,
        weekday=1,
        start_time=dt.time(10, 0),
        length_minutes=150,
        venue="Civic Centre",
        **fields,
    )


def meeting_days(group: Group) -> list[dt.date]:
    return [timezone.localtime(m.starts_at).date() for m in Meeting.objects.filter(group=group).order_by("starts_at")]


# --- Series -----------------------------------------------------------------------------------------------


def test_the_weekday_rule_finds_the_nth_and_the_last_weekday():
    assert nth_weekday(2027, 1, 1, 2) == dt.date(2027, 1, 12)  # second Tuesday of January 2027
    assert nth_weekday(2027, 3, 4, WeekOfMonth.LAST) == dt.date(2027, 3, 26)  # last Friday of March 2027


def test_a_quarterly_series_makes_its_meetings_once_however_often_it_runs(board):
    series = quarterly_second_tuesday(board)
    made = services.generate_meetings(series, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert meeting_days(board) == [
        dt.date(2027, 1, 12),
        dt.date(2027, 4, 13),
        dt.date(2027, 7, 13),
        dt.date(2027, 10, 12),
    ]
    first = made[0]
    assert timezone.localtime(first.starts_at).time() == dt.time(10, 0)
    assert first.ends_at - first.starts_at == dt.timedelta(minutes=150)
    assert first.venue == "Civic Centre" and first.series == series and first.status == MeetingStatus.SCHEDULED
    assert services.generate_meetings(series, dt.date(2027, 1, 1), dt.date(2027, 12, 31)) == []
    assert Meeting.objects.filter(group=board).count() == 4


def test_a_day_that_already_has_a_meeting_or_a_cancelled_one_gets_no_second(board):
    series = quarterly_second_tuesday(board)
    make_meeting(board, local(dt.date(2027, 1, 12), 14))  # scheduled by hand, in the afternoon
    make_meeting(board, local(dt.date(2027, 4, 13)), status=MeetingStatus.CANCELLED)
    made = services.generate_meetings(series, dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    assert made == []
    assert Meeting.objects.filter(group=board).count() == 2


def test_a_date_of_the_month_falls_on_the_last_day_of_a_shorter_month_and_the_series_stops_at_its_end(board):
    series = MeetingSeries.objects.create(
        group=board,
        every_months=1,
        starts_on=dt.date(2027, 1, 15),
        ends_on=dt.date(2027, 4, 30),
        rule=SeriesRule.DAY,
        day_of_month=31,
        start_time=dt.time(9, 30),
        venue="Room 2",
    )
    services.generate_meetings(series, dt.date(2026, 1, 1), dt.date(2027, 12, 31))
    assert meeting_days(board) == [
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 31),
        dt.date(2027, 4, 30),
    ]


def test_generating_refuses_a_backwards_or_overlong_period(board):
    series = quarterly_second_tuesday(board)
    with pytest.raises(ServiceError, match="after its start"):
        services.generate_meetings(series, dt.date(2027, 6, 1), dt.date(2027, 1, 1))
    with pytest.raises(ServiceError, match="two years"):
        services.generate_meetings(series, dt.date(2027, 1, 1), dt.date(2030, 1, 1))


def test_the_series_form_says_what_is_missing(world, board, signed_in):
    client = signed_in(world.partnership_admin)
    response = client.post(reverse("governance:series-new", args=[board.pk]), {"rule": "weekday"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose the week of the month." in page and "Choose the day of the week." in page
    assert "Enter a venue, an online meeting link, or both." in page
    assert not MeetingSeries.objects.exists()


# --- Quarters -----------------------------------------------------------------------------------------------


def test_next_quarter_follows_the_business_year():
    assert services.quarter_after(dt.date(2026, 12, 1)) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert services.quarter_after(dt.date(2027, 3, 31)) == (dt.date(2027, 4, 1), dt.date(2027, 6, 30))
    assert services.quarter_after(dt.date(2027, 4, 1)) == (dt.date(2027, 7, 1), dt.date(2027, 9, 30))
    # A business year from January: quarters from January, April, July and October all the same.
    assert services.quarter_after(dt.date(2026, 11, 5), start_month=1) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    # From September: quarters from September, December, March and June.
    assert services.quarter_after(dt.date(2026, 10, 5), start_month=9) == (dt.date(2026, 12, 1), dt.date(2027, 2, 28))


# --- Building agendas ----------------------------------------------------------------------------------------


def titles(meeting: Meeting) -> list[tuple[int, str]]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("number").values_list("number", "title"))


def test_building_next_quarters_agendas_from_the_forward_plan(world, board):
    monthly = MeetingSeries.objects.create(
        group=board,
        every_months=1,
        starts_on=dt.date(2027, 1, 1),
        rule=SeriesRule.WEEKDAY,
        week_of_month=WeekOfMonth.SECOND,
        weekday=1,
        start_time=dt.time(10, 0),
        venue="Civic Centre",
    )
    previous = make_meeting(board, local(dt.date(2026, 12, 8)), status=MeetingStatus.HELD)
    annual = ForwardPlanItem.objects.create(
        group=board,
        title="Annual report",
        purpose=ItemPurpose.DECISION,
        presenter=world.agency_lead,
        agency=world.agency_a,
        target_month=dt.date(2027, 2, 1),
        minutes_allowed=30,
    )
    audit = ForwardPlanItem.objects.create(
        group=board, title="Section 11 audit", target_month=dt.date(2027, 2, 1), minutes_allowed=20
    )
    staff = ForwardPlanItem.objects.create(
        group=board, title="Staffing of the unit", target_month=dt.date(2027, 3, 1), confidential_reason="staff"
    )
    later = ForwardPlanItem.objects.create(group=board, title="Budget 2028", target_month=dt.date(2027, 5, 1))
    with at(dt.date(2026, 12, 1)):
        report = services.build_agendas(board, *services.quarter_after(timezone.localdate()))
    assert [timezone.localtime(m.starts_at).date() for m in report.meetings_made] == [
        dt.date(2027, 1, 12),
        dt.date(2027, 2, 9),
        dt.date(2027, 3, 9),
    ]
    january, february, march = report.meetings_made
    assert all(m.series == monthly for m in report.meetings_made)
    assert titles(january) == [
        (1, "Welcome and apologies"),
        (2, "Declarations of interest"),
        (3, f"Minutes of the last meeting: the meeting on {previous.starts_at:%-d %B %Y}"),
        (4, "Action log"),
        (5, "Any other business"),
    ]
    assert [title for _, title in titles(february)][3:] == [
        "Action log",
        "Annual report",
        "Section 11 audit",
        "Any other business",
    ]
    placed = AgendaItem.objects.get(meeting=february, title="Annual report")
    assert (placed.purpose, placed.presenter, placed.agency, placed.minutes_allowed) == (
        ItemPurpose.DECISION,
        world.agency_lead,
        world.agency_a,
        30,
    )
    assert AgendaItem.objects.get(meeting=march, title="Staffing of the unit").confidential_reason == "staff"
    for entry in (annual, audit, staff):
        entry.refresh_from_db()
        assert entry.is_placed and entry.placed_at is not None
    later.refresh_from_db()
    assert not later.is_placed  # May is next quarter's business
    assert report.items_added == 18 and report.plan_placed == 3
    assert StandingItem.objects.filter(group=board).count() == 5  # the defaults, saved the first time

    # Running it again adds nothing and renumbers nothing.
    before = {m.pk: titles(m) for m in report.meetings_made}
    with at(dt.date(2026, 12, 2)):
        again = services.build_agendas(board, *services.quarter_after(timezone.localdate()))
    assert again.items_added == 0 and again.plan_placed == 0 and again.meetings_made == []
    assert {m.pk: titles(m) for m in report.meetings_made} == before
    assert "nothing new to add" in again.summary


def test_a_build_keeps_what_is_on_the_agenda_and_fits_new_items_around_it(world, board):
    meeting = make_meeting(board, local(dt.date(2027, 2, 9)))
    AgendaItem.objects.create(meeting=meeting, number=1, title="Chair's update")
    AgendaItem.objects.create(meeting=meeting, number=2, title="Police update")
    chosen = ForwardPlanItem.objects.create(group=board, title="Neglect strategy", meeting=meeting)
    # A forward plan item whose month went by without a meeting goes to the first open meeting.
    slipped = ForwardPlanItem.objects.create(group=board, title="Missed item", target_month=dt.date(2026, 10, 1))
    with at(dt.date(2026, 12, 1)):
        services.build_agendas(board, dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert [title for _, title in titles(meeting)] == [
        "Welcome and apologies",
        "Declarations of interest",
        "Minutes of the last meeting",
        "Action log",
        "Chair's update",
        "Police update",
        "Neglect strategy",
        "Missed item",
        "Any other business",
    ]
    chosen.refresh_from_db()
    slipped.refresh_from_db()
    assert chosen.agenda_item.meeting == meeting and slipped.agenda_item.meeting == meeting


def test_a_meeting_whose_papers_went_out_is_left_alone(world, board):
    sent = make_meeting(board, local(dt.date(2027, 1, 12)), papers_circulated_at=local(dt.date(2027, 1, 4)))
    item = ForwardPlanItem.objects.create(group=board, title="Late idea", target_month=dt.date(2027, 1, 1))
    with at(dt.date(2026, 12, 1)):
        report = services.build_agendas(board, dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert titles(sent) == [] and report.skipped == [sent]
    item.refresh_from_db()
    assert not item.is_placed
    assert "left as they are" in report.summary


def test_changed_standing_items_are_what_the_agendas_are_built_from(world, board):
    services.ensure_standing_items(board)
    StandingItem.objects.filter(group=board, kind=StandingKind.ACTION_LOG).update(is_active=False)
    StandingItem.objects.create(group=board, kind=StandingKind.OTHER, title="Voice of the child", position=6)
    meeting = make_meeting(board, local(dt.date(2027, 2, 9)))
    with at(dt.date(2026, 12, 1)):
        services.build_agendas(board, dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert [title for _, title in titles(meeting)] == [
        "Welcome and apologies",
        "Declarations of interest",
        "Minutes of the last meeting",
        "Voice of the child",
        "Any other business",
    ]


def test_the_business_unit_builds_the_agendas_from_the_forward_plan_page(world, board, signed_in):
    quarterly_second_tuesday(board, starts_on=dt.date(2026, 1, 1))
    ForwardPlanItem.objects.create(group=board, title="Annual report", target_month=dt.date(2027, 1, 1))
    with at(dt.date(2026, 12, 1)):
        client = signed_in(world.partnership_admin)
        page = client.get(reverse("governance:forward-plan", args=[board.pk]))
        assert page.status_code == 200
        text = page.content.decode()
        assert "Annual report" in text and "Build next quarter" in text
        assert "Declarations of interest" in text  # the defaults the group starts from
        response = client.post(reverse("governance:build-agendas", args=[board.pk]), follow=True)
        page = client.get(Meeting.objects.get(group=board).get_absolute_url()).content.decode()
    assert "1 meeting in the quarter, 1 made from the series, 6 agenda items added, 1 forward plan item placed" in (
        response.content.decode()
    )
    meeting = Meeting.objects.get(group=board)
    assert timezone.localtime(meeting.starts_at).date() == dt.date(2027, 1, 12)
    # The declarations item leads to the declarations of the meeting (core interests).
    assert reverse("governance:meeting-declare", args=[meeting.pk]) in page


def test_the_forward_plan_form_needs_a_month_or_a_meeting(world, board, signed_in):
    client = signed_in(world.partnership_admin)
    response = client.post(
        reverse("governance:forward-plan-new", args=[board.pk]),
        {"title": "Neglect strategy", "purpose": "discussion", "minutes_allowed": "15"},
    )
    assert response.status_code == 200
    assert "Choose a month, a meeting, or both." in response.content.decode()
    response = client.post(
        reverse("governance:forward-plan-new", args=[board.pk]),
        {
            "title": "Neglect strategy",
            "purpose": "discussion",
            "minutes_allowed": "15",
            "target_month": add_months_iso(1),
        },
    )
    assert response.status_code == 302
    assert ForwardPlanItem.objects.get(group=board).title == "Neglect strategy"


def add_months_iso(months: int) -> str:
    from safeboard.governance.cycle.models import add_months

    return add_months(timezone.localdate(), months).isoformat()


def test_a_forward_plan_item_goes_to_a_meeting_of_its_own_group(world, board):
    from django.core.exceptions import ValidationError

    other = Group.objects.create(partnership=world.alpha, name="Other group", kind=GroupKind.SUBGROUP)
    elsewhere = make_meeting(other, local(dt.date(2027, 2, 9)))
    with pytest.raises(ValidationError, match="Choose a meeting of this group"):
        ForwardPlanItem(group=board, title="Stray", meeting=elsewhere).full_clean()
