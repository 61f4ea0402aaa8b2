from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "safeboard.governance"
    label = "governance"
    verbose_name = "Board business"
