from django.apps import AppConfig


class ChilddeathConfig(AppConfig):
    name = "safeboard.childdeath"
    label = "childdeath"
    verbose_name = "Child death review"
