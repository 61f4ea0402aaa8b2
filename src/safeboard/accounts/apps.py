from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeboard.accounts"
    label = "accounts"
    verbose_name = "People, roles and sign-in"

    def ready(self) -> None:
        from safeboard.accounts import signals  # noqa: F401
