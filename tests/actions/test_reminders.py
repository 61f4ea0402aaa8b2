"""Reminder emails on a frozen clock: exactly which go out on which day."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from safeboard.actions import services
from safeboard.actions.models import Action, ActionStatus
from safeboard.actions.tasks import reminder_kind, send_action_reminders
from tests.actions.helpers import make_action

LONDON = ZoneInfo("Europe/London")
DUE = dt.date(2027, 3, 17)  # a Wednesday


def run_on(day: dt.date) -> list[tuple[str, list[str]]]:
    """Run the daily command at 07:00 on ``day``; the (subject, recipients) of the emails it sent."""
    mail.outbox.clear()
    with time_machine.travel(dt.datetime.combine(day, dt.time(7, 0), tzinfo=LONDON), tick=False):
        call_command("send_action_reminders", stdout=io.StringIO())
    return [(message.subject, message.to) for message in mail.outbox]


@pytest.fixture
def action(world) -> Action:
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=LONDON), tick=False):
        return make_action(world, due_date=DUE, title="Update the threshold document")


def day(offset: int) -> dt.date:
    return DUE + dt.timedelta(days=offset)


def test_owners_are_reminded_seven_days_before_then_when_overdue_then_weekly(world, action):
    owner = [world.practitioner_a.email]
    assert run_on(day(-8)) == []
    assert run_on(day(-7)) == [(f"Action {action.reference} is due in 7 days", owner)]
    assert run_on(day(-6)) == []
    assert run_on(day(0)) == []  # due today: not overdue yet
    assert run_on(day(1)) == [(f"Action {action.reference} is overdue", owner)]
    assert run_on(day(2)) == []
    assert run_on(day(7)) == []
    assert run_on(day(8)) == [(f"Action {action.reference} is overdue", owner)]
    assert run_on(day(9)) == []
    assert run_on(day(15)) == [(f"Action {action.reference} is overdue", owner)]
    action.refresh_from_db()
    assert action.last_reminded_on == day(15)


def test_the_reminder_says_what_to_do_and_links_to_the_action(world, action):
    run_on(day(1))
    body = mail.outbox[0].body
    assert "Update the threshold document" in body
    assert "1 day overdue" in body
    assert f"/actions/{action.pk}/" in body


def test_running_twice_on_one_day_sends_nothing_twice(world, action):
    assert len(run_on(day(-7))) == 1
    assert run_on(day(-7)) == []
    Action.objects.filter(pk=action.pk).update(last_reminded_on=None)  # even if the marker were lost
    assert run_on(day(-7)) == []


def test_finished_actions_and_inactive_owners_get_no_reminders(world, action):
    services.cancel_action(action=action, cancelled_by=world.partnership_admin, reason="Not needed")
    assert run_on(day(1)) == []
    other = make_action(world, owner=world.practitioner_b, agency=world.agency_b, due_date=DUE)
    world.practitioner_b.is_active = False
    world.practitioner_b.save()
    assert run_on(day(1)) == []
    assert other.status == ActionStatus.OPEN


def test_the_weekly_digest_goes_on_mondays_only_one_per_person(world, action):
    second = make_action(world, due_date=DUE + dt.timedelta(days=40), title="Second action")
    make_action(world, owner=world.practitioner_b, agency=world.agency_b, due_date=DUE, title="Pip's action")
    monday = dt.date(2027, 3, 15)
    assert monday.weekday() == 0
    sent = run_on(monday)
    digests = sorted((subject, to) for subject, to in sent if subject.startswith("Your actions this week"))
    assert digests == sorted(
        [
            ("Your actions this week: 2 live actions", [world.practitioner_a.email]),
            ("Your actions this week: 1 live action", [world.practitioner_b.email]),
        ]
    )
    body = next(m.body for m in mail.outbox if m.to == [world.practitioner_a.email])
    assert action.reference in body and second.reference in body
    assert "Amber (due soon)" in body and "Green (on track)" in body
    assert run_on(monday) == []  # not twice on the same Monday
    for later in range(1, 7):
        assert not [s for s, _ in run_on(monday + dt.timedelta(days=later)) if s.startswith("Your actions")]
    assert len([s for s, _ in run_on(monday + dt.timedelta(days=7)) if s.startswith("Your actions")]) == 2


def test_the_background_task_runs_the_same_job(world, action):
    mail.outbox.clear()
    result = send_action_reminders.enqueue(day=day(-7).isoformat())
    assert result.return_value.startswith("2027-03-10: 1 due-soon, 0 overdue")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-8, None), (-7, "due_soon"), (-1, None), (0, None), (1, "overdue"), (2, None), (8, "overdue"), (22, "overdue")],
)
def test_reminder_kind_by_days_from_the_due_date(offset, expected):
    assert reminder_kind(DUE, DUE + dt.timedelta(days=offset)) == expected


def test_the_command_explains_how_to_schedule_it():
    from safeboard.actions.management.commands.send_action_reminders import Command

    assert "cron" in Command.help and "once a day" in Command.help
