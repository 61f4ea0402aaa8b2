from django.core.management.base import BaseCommand, CommandError

from safeboard.core.audit import AccessLogEntry, ChangeLogEntry, verify_chain


class Command(BaseCommand):
    help = "Check the hash chains of the change log and the access log; fail at the first broken link."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        broken = []
        for model in (ChangeLogEntry, AccessLogEntry):
            report = verify_chain(model)
            if report.intact:
                self.stdout.write(f"{report.label}: {report.checked} entries, chain intact.")
            else:
                message = f"{report.label}: chain broken at entry {report.broken_at}: {report.reason}."
                self.stderr.write(message)
                broken.append(message)
        if broken:
            raise CommandError("The audit trail has been tampered with. " + " ".join(broken))
