from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeboard.actions.tasks import run_reminders


class Command(BaseCommand):
    help = (
        "Email action reminders. Run once a day from cron, for example at 07:00: "
        "`0 7 * * * cd /srv/safeboard && .venv/bin/python manage.py send_action_reminders`. "
        "Owners get a 'due soon' email 7 days before the due date, an 'overdue' email on the first day "
        "overdue and then every 7 days while it stays overdue; on Mondays everyone with live actions gets "
        "a weekly digest with RAG ratings. Emails go out through the task worker (manage.py db_worker). "
        "Running it twice on one day sends nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Work as if today were this date (YYYY-MM-DD); for catching up.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options.get("date"):
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Give the date as YYYY-MM-DD.") from None
        run = run_reminders(day)
        self.stdout.write(run.summary())
