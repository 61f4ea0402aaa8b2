from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeboard.core.reminders import run_due_reminders


class Command(BaseCommand):
    help = (
        "Email reminders of things falling due: interests to review, documents to review, induction steps "
        "overdue (every module's reminder sources, core/reminders.py). Run once a day from cron, for example "
        "`5 7 * * * cd /srv/safeboard && .venv/bin/python manage.py send_due_reminders`. Emails go out "
        "through the task worker. Running it twice on one day sends nothing twice."
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
        self.stdout.write(run_due_reminders(day).summary())
