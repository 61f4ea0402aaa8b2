from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safeboard.core"
    label = "core"
    verbose_name = "Partnerships, agencies and the audit trail"

    def ready(self) -> None:
        # Connects the change-log signal handlers, and registers the system checks.
        from django.urls import register_converter

        from safeboard.core import audit, checks  # noqa: F401
        from safeboard.core.ids import IdConverter
        from safeboard.core.permissions import load_module_permissions

        # ``<id:pk>`` in every urls.py: only ids in range match a URL (core/ids.py).
        register_converter(IdConverter, "id")

        # Every module's permissions.py, merged into the one policy before the first request.
        load_module_permissions()

        from safeboard.core.panels import register
        from safeboard.core.views import agency_requests_panel

        register(agency_requests_panel)
