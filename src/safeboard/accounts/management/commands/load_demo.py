from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeboard.accounts.demo import DEMO_PASSWORD, build_demo
from safeboard.core.models import Partnership


class Command(BaseCommand):
    help = "Load the invented demo partnerships and print one login per role (only into an empty database)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if Partnership.objects.exists():
            self.stdout.write("Demo data is already loaded (the database has partnerships); nothing changed.")
            world = None
        else:
            world = build_demo()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if options["quiet"]:
            return
        from safeboard.accounts.demo import DEMO_DOMAIN, LOGINS

        self.stdout.write(f"\nDemo logins (every one uses the password: {DEMO_PASSWORD})\n")
        rows = (
            world.logins
            if world
            else [(f"{local}@{DEMO_DOMAIN}", role.label, key) for local, _, _, _, key, role in LOGINS]
            + [(f"sysadmin@{DEMO_DOMAIN}", "System administrator", "every partnership")]
        )
        width = max(len(r[0]) for r in rows)
        for email, role, partnership in rows:
            self.stdout.write(f"  {email.ljust(width)}  {role} ({partnership})")
        self.stdout.write("\nOpen http://127.0.0.1:8000 and sign in.\n")
