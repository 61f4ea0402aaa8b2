from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "safeboard.governance"
    label = "governance"
    verbose_name = "Board business"

    def ready(self) -> None:
        from safeboard.core.panels import register
        from safeboard.governance.arrangements.panels import sign_offs_panel
        from safeboard.governance.cycle.panels import annual_cycle_panel, papers_owed_panel
        from safeboard.governance.meetings import panels
        from safeboard.governance.oversight.panels import overdue_challenges_panel

        for panel in (
            panels.my_meetings_panel,
            panels.minutes_panel,
            panels.attendance_missing_panel,
            panels.my_induction_panel,
            panels.business_manager_panel,
            overdue_challenges_panel,
            annual_cycle_panel,
            papers_owed_panel,
            sign_offs_panel,
        ):
            register(panel)

        from safeboard.core.reminders import register as register_reminders
        from safeboard.governance.arrangements.reminders import document_reviews, induction_steps
        from safeboard.governance.members.reminders import interest_reviews

        register_reminders(interest_reviews)
        register_reminders(document_reviews)
        register_reminders(induction_steps)
