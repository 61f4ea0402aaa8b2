from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client, RequestFactory

from safeboard.accounts.demo import DEMO_PASSWORD, LOGINS
from safeboard.accounts.models import User
from safeboard.core.audit import ChangeLogEntry, verify_chain
from safeboard.core.models import Agency, Partnership


def test_health_and_readiness_report_the_database_and_queue(db):
    client = Client()
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "checks": {"database": "ok", "task_queue": "ok"}}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_the_demo_loads_and_every_printed_login_works(db, capsys):
    call_command("load_demo")
    printed = capsys.readouterr().out
    emails = [line.split()[0] for line in printed.splitlines() if "@demo.safeboard.test" in line]
    assert len(emails) == len(LOGINS) + 1  # one per role, and the system administrator
    for email in emails:
        request = RequestFactory().post("/sign-in/")
        assert authenticate(request, username=email, password=DEMO_PASSWORD) is not None, email
    assert Partnership.objects.count() == 2
    # A realistic spread: agencies of several types, some shared between the two boards.
    assert Agency.objects.values("agency_type").distinct().count() >= 7
    assert (
        Agency.objects.filter(partnerships__slug="northmoor-scp").filter(partnerships__slug="three-rivers-sp").exists()
    )
    assert User.objects.count() > 100
    assert verify_chain(ChangeLogEntry).intact
    # Board business: a year of meetings with attendance and minutes, a plan with three priorities,
    # and 200 actions in every state.
    from safeboard.actions.models import Action, ActionStatus
    from safeboard.governance.models import Attendance, Meeting, MinutesStatus, Priority

    assert Action.objects.count() == 200
    assert set(Action.objects.values_list("status", flat=True)) == set(ActionStatus.values)
    assert Priority.objects.count() == 3
    assert Meeting.objects.filter(minutes_status=MinutesStatus.PUBLISHED).exists()
    assert Attendance.objects.count() > 100
    # Loading twice changes nothing.
    call_command("load_demo", "--quiet")
    assert Partnership.objects.count() == 2
