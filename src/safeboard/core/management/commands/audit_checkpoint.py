"""``manage.py audit_checkpoint``: sign the head of every audit chain that has grown since its last checkpoint.

Entries are checkpointed as they are written (every ``SAFEBOARD_AUDIT_CHECKPOINT_EVERY`` entries, or
``SAFEBOARD_AUDIT_CHECKPOINT_MINUTES`` after the last checkpoint). A quiet chain may then hold a few
entries that no checkpoint covers yet; run this every few minutes (cron, a systemd timer) so that
deleting them is detectable too.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safeboard.core.audit import checkpoint_every_chain
from safeboard.core.context import acting_as


class Command(BaseCommand):
    help = "Write a signed checkpoint for every audit chain with entries newer than its last checkpoint."

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as("audit checkpoint"):
            written = checkpoint_every_chain()
        self.stdout.write(f"{written} checkpoint{'' if written == 1 else 's'} written.")
