"""Load bank holidays from a file in the layout of the official UK bank holidays JSON."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeboard.core.workdays import (
    SHIPPED_FILE,
    BankHolidayFileError,
    load_bank_holidays,
    read_bank_holiday_file,
)


class Command(BaseCommand):
    help = (
        "Load bank holidays for England and Wales, Scotland and Northern Ireland from a file laid out like "
        "https://www.gov.uk/bank-holidays.json. Running it twice with the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", default=str(SHIPPED_FILE), help="The JSON file (default: the one Safeboard ships)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = read_bank_holiday_file(options["file"])
        except BankHolidayFileError as error:
            raise CommandError(str(error)) from None
        report = load_bank_holidays(rows)
        verbose = options["verbosity"] >= 1
        for label, items in (("Added", report.added), ("Changed", report.changed), ("Removed", report.removed)):
            if verbose:
                for row in items:
                    self.stdout.write(f"{label}: {row.division} {row.date.isoformat()} {row.title}")
        self.stdout.write(self.style.SUCCESS(f"Bank holidays: {report.summary()}"))
