from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "safeboard.reviews"
    label = "reviews"
    verbose_name = "Learning from case reviews"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from safeboard.core.models import Partnership
        from safeboard.core.panels import register
        from safeboard.core.reminders import register as register_reminders
        from safeboard.reviews.panels import review_clocks_panel
        from safeboard.reviews.reminders import review_clocks
        from safeboard.reviews.signals import default_types_for_new_partnership

        register(review_clocks_panel)
        register_reminders(review_clocks)
        post_save.connect(default_types_for_new_partnership, sender=Partnership, dispatch_uid="reviews_default_types")
