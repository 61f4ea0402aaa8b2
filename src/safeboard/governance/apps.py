from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "safeboard.governance"
    label = "governance"
    verbose_name = "Board business"

    def ready(self) -> None:
        from safeboard.core.panels import register
        from safeboard.governance.meetings.panels import business_manager_panel

        register(business_manager_panel)

        from safeboard.core.reminders import register as register_reminders
        from safeboard.governance.arrangements.reminders import document_reviews, induction_steps
        from safeboard.governance.members.reminders import interest_reviews

        register_reminders(interest_reviews)
        register_reminders(document_reviews)
        register_reminders(induction_steps)
