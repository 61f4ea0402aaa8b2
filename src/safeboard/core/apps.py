from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safeboard.core"
    label = "core"
    verbose_name = "Partnerships, agencies and the audit trail"

    def ready(self) -> None:
        from safeboard.core import audit  # noqa: F401  (connects the change-log signal handlers)
        from safeboard.core.permissions import load_module_permissions

        # Every module's permissions.py, merged into the one policy before the first request.
        load_module_permissions()
