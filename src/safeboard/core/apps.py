from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safeboard.core"
    label = "core"
    verbose_name = "Partnerships, agencies and the audit trail"

    def ready(self) -> None:
        from safeboard.core import audit  # noqa: F401  (connects the change-log signal handlers)
        from safeboard.core.panels import register
        from safeboard.core.views import agency_requests_panel

        register(agency_requests_panel)
