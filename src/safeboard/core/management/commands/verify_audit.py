"""``manage.py verify_audit``: prove the audit trail is whole, or say plainly where it is not.

Walks every chain of the change log and the access log, and checks every signed checkpoint; with
``--witness FILE`` also compares the checkpoint copies kept outside the database. Exits with an
error when anything is wrong, so a nightly job can alert on it (docs/deployment.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeboard.core.audit import LOGS, Finding, read_witness, verify_log, verify_witness


class Command(BaseCommand):
    help = (
        "Check every chain of the change log and the access log against its signed checkpoints; report "
        "edited or removed entries, a deleted tail, a rewritten chain or an emptied log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--witness",
            action="append",
            default=[],
            metavar="FILE",
            help="a file of checkpoint copies from the safeboard.audit.checkpoints log (may be repeated)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[Finding] = []
        for model in LOGS:
            report = verify_log(model)
            chains = sum(1 for chain in report.chains if chain.chain is not None)
            older = f", and {report.legacy:,} from before chains per partnership" if report.legacy else ""
            summary = (
                f"{report.label.capitalize()}: {report.checked - report.legacy:,} entries in {chains:,} "
                f"chain{'' if chains == 1 else 's'}{older}; {report.checkpoints:,} signed "
                f"checkpoint{'' if report.checkpoints == 1 else 's'}."
            )
            if report.intact:
                self.stdout.write(f"{summary} Every chain intact and matching its checkpoints.")
                if report.uncovered:
                    self.stdout.write(
                        f"  {report.uncovered:,} of the newest entries are not yet covered by a checkpoint "
                        "(manage.py audit_checkpoint covers them)."
                    )
            else:
                self.stdout.write(summary)
                for finding in report.all_findings:
                    self.stderr.write(f"{report.label.capitalize()}, {finding.message}.")
                problems.extend(report.all_findings)
        for name in options["witness"]:
            path = Path(name)
            try:
                with path.open(encoding="utf-8") as handle:
                    copies = read_witness(handle)
            except OSError as exc:
                raise CommandError(f"The witness file {name} cannot be read: {exc}") from None
            found = verify_witness(copies)
            if found:
                for finding in found:
                    self.stderr.write(f"Witness {name}: {finding.message}.")
                problems.extend(found)
            else:
                self.stdout.write(f"Witness {name}: {len(copies):,} checkpoint copies, all matching the database.")
        if problems:
            kinds = sorted({finding.kind for finding in problems})
            raise CommandError(
                f"The audit trail has been tampered with: {len(problems)} problem"
                f"{'' if len(problems) == 1 else 's'} found ({', '.join(kinds)}). See above."
            )
