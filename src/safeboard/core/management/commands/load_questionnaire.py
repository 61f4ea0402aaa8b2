"""Load a questionnaire definition (JSON or YAML) as a new version."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeboard.core.models import Partnership
from safeboard.core.questionnaires.definition import DefinitionError
from safeboard.core.questionnaires.models import QuestionnaireError
from safeboard.core.questionnaires.services import import_questionnaire


class Command(BaseCommand):
    help = (
        "Load a questionnaire from a JSON or YAML file (see docs/questionnaires.md) as a new draft version. "
        "Loading the same file again adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="Definition files.")
        parser.add_argument(
            "--partnership",
            help="The short web name (slug) of the partnership it belongs to; leave out for every partnership.",
        )
        parser.add_argument("--publish", action="store_true", help="Publish the new version straight away.")

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = None
        if options["partnership"]:
            partnership = Partnership.objects.filter(slug=options["partnership"]).first()
            if partnership is None:
                raise CommandError(f"There is no partnership with the short web name {options['partnership']!r}.")
        for path in options["files"]:
            try:
                version, created = import_questionnaire(path, partnership=partnership, publish_it=options["publish"])
            except DefinitionError as error:
                raise CommandError(f"{path} cannot be used:\n  " + "\n  ".join(error.problems)) from None
            except QuestionnaireError as error:
                raise CommandError(f"{path}: {error}") from None
            state = "added as" if created else "already loaded as"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{version.questionnaire.title}: {state} version {version.number} ({version.get_status_display().lower()})."
                )
            )
