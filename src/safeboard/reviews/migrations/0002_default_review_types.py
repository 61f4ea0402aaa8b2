"""The six default review types for every partnership that exists already (new ones get them when
they are created: ``reviews/signals.py``)."""

from django.db import migrations

DEFAULTS = (
    "Rapid review",
    "Child safeguarding practice review",
    "Local learning review",
    "Multi-agency case audit (below the review threshold)",
    "Near-miss review",
    "Appreciative inquiry (a case that went well)",
)


def add_defaults(apps, schema_editor):  # type: ignore[no-untyped-def]
    Partnership = apps.get_model("core", "Partnership")
    ReviewType = apps.get_model("reviews", "ReviewType")
    for partnership in Partnership.objects.all():
        for position, name in enumerate(DEFAULTS, start=1):
            ReviewType.objects.get_or_create(partnership=partnership, name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_review_register")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
