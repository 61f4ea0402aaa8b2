"""PostgreSQL: a trigram index so that searching the change log by person does not read it all.

It matches the UPPER(actor_name) LIKE expression Django writes for ``icontains``. Skipped where the
role may not create the pg_trgm extension (see accounts migration 0004 for the same pattern).
"""

from django.db import migrations, transaction

STATEMENTS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS changelog_actor_trgm ON core_changelogentry USING gin (UPPER(actor_name) gin_trgm_ops)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            with schema_editor.connection.cursor() as cursor:
                for statement in STATEMENTS:
                    cursor.execute(statement)
    except Exception as exc:  # noqa: BLE001  (no right to create the extension: carry on without)
        print(f"\n  Skipped the trigram index on the change log: {exc}")  # noqa: T201


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS changelog_actor_trgm")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_partnership_action_amber_days_and_more")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
