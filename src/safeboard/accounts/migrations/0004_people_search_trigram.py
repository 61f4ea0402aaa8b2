"""PostgreSQL: trigram indexes so that "name or email contains…" on the people list uses an index.

They match the UPPER(...) LIKE expressions Django writes for ``icontains``. The pg_trgm extension
needs the right to create extensions; where the database role lacks it, the indexes are skipped
(searches still work, more slowly) and a DBA can add them later with the statements below.
"""

from django.db import migrations, transaction

STATEMENTS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS user_name_trgm ON accounts_user USING gin (UPPER(full_name) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS user_email_trgm ON accounts_user USING gin (UPPER(email) gin_trgm_ops)",
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
        print(f"\n  Skipped the trigram search indexes: {exc}")  # noqa: T201


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS user_name_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS user_email_trgm")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_signed_in_sessions")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
