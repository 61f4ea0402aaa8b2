from django.apps import AppConfig


class SealedAppConfig(AppConfig):
    """A test-only module with one record type that uses every scope, including compartments."""

    name = "tests.sealedapp"
    label = "sealedapp"
