from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "safeboard.training"
    label = "training"
    verbose_name = "Workforce training"
