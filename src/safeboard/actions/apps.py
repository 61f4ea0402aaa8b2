"""The partnership action log: one list of every action, whatever it came from.

Meetings, the business plan, audits, section 11 returns, case reviews and child death reviews all
create their actions here (``services.create_action`` with the record they came from as ``source``)
and show them with ``Action.objects.for_source(record)``. See docs/architecture.md, "The golden thread".
"""

from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "safeboard.actions"
    label = "actions"
    verbose_name = "Partnership action log"

    def ready(self) -> None:
        from safeboard.actions.panels import evidence_to_review_panel, my_actions_panel
        from safeboard.core.panels import register

        register(evidence_to_review_panel)
        register(my_actions_panel)
