"""Chains per partnership and signed checkpoints for the audit trail; the database refuses TRUNCATE.

Schema: each entry gets its chain (a partnership id, or 0) and position, and every partnership it
belongs to; link tables index the further partnerships of shared records; checkpoints are signed
with a key held outside the database (see ``safeboard.core.audit``). Entries written before this
migration keep empty chain and position and are verified as one chain in id order, as before; the
ones about records placed in a partnership through a relation carry no partnership and show on
record history pages to system administrators only.

Triggers, on every audit table (the two logs, their link tables, the checkpoints):

* PostgreSQL refuses UPDATE and DELETE (row triggers, as in 0002) and TRUNCATE (statement triggers,
  which row triggers never see). Django's test runner empties tables with TRUNCATE between
  transactional tests, so TRUNCATE is let through only when both hold: the database is a test
  database (Django names them ``test_…``) and the session has switched on
  ``safeboard.allow_audit_truncate`` (only the test settings do). A session setting alone would not
  do: any session may set one, so the guard would stop accidents only. The name of the database
  cannot be changed from a session, so on a real database TRUNCATE is always refused, whatever the
  session says; and the PostgreSQL test of the refusal switches the setting off in its transaction.
  As before, a table's owner can still drop the triggers: that is why production runs the
  application as a role that does not own the tables, and why the checkpoints exist.
* SQLite refuses UPDATE (created again here: SQLite rebuilds a table to add some columns, and a
  rebuilt table loses its triggers). DELETE stays possible there, because Django's test runner
  empties tables with DELETE; ``verify_audit`` reports deleted entries.
"""

from django.db import migrations, models

TABLES = (
    "core_changelogentry",
    "core_accesslogentry",
    "core_changelogpartnership",
    "core_accesslogpartnership",
    "core_auditcheckpoint",
)
OLD_TABLES = TABLES[:2]  # the ones migration 0002 guarded
NEW_TABLES = TABLES[2:]

PG_NO_TRUNCATE = r"""
CREATE OR REPLACE FUNCTION safeboard_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_database() LIKE 'test\_%' AND current_setting('safeboard.allow_audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: TRUNCATE on % is not allowed', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _sqlite_update_trigger(schema_editor, table):  # type: ignore[no-untyped-def]
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only;")
    schema_editor.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE is not allowed'); END;"
    )


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_NO_TRUNCATE, params=None)  # no parameters: keep the % placeholders for plpgsql
        for table in NEW_TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION safeboard_audit_append_only();"
            )
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION safeboard_audit_no_truncate();"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            _sqlite_update_trigger(schema_editor, table)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
        for table in NEW_TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        schema_editor.execute("DROP FUNCTION IF EXISTS safeboard_audit_no_truncate();")
    elif vendor == "sqlite":
        for table in NEW_TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only;")


def restore_0002_on_sqlite(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Going back: the tables of 0002 were rebuilt without their triggers; give them back."""
    if schema_editor.connection.vendor == "sqlite":
        for table in OLD_TABLES:
            _sqlite_update_trigger(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_agency_code_and_join_requests"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_0002_on_sqlite, elidable=False),
        migrations.CreateModel(
            name="AccessLogPartnership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("entry_id", models.BigIntegerField()),
                ("partnership_id", models.BigIntegerField()),
            ],
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("log", models.CharField(choices=[("change", "Change log"), ("access", "Access log")], max_length=10)),
                ("chain", models.BigIntegerField()),
                ("seq", models.BigIntegerField()),
                ("entry_id", models.BigIntegerField()),
                ("entry_hash", models.CharField(max_length=64)),
                ("made_at", models.DateTimeField()),
                ("key_id", models.CharField(max_length=16)),
                ("signature", models.CharField(max_length=64)),
            ],
            options={
                "ordering": ["id"],
            },
        ),
        migrations.CreateModel(
            name="ChangeLogPartnership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("entry_id", models.BigIntegerField()),
                ("partnership_id", models.BigIntegerField()),
            ],
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="chain",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="object_ids",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="partnership_ids",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="seq",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="changelogentry",
            name="chain",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="changelogentry",
            name="partnership_ids",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="changelogentry",
            name="seq",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="action",
            field=models.CharField(
                choices=[("view", "Viewed"), ("download", "Downloaded"), ("export", "Exported"), ("list", "Listed")],
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="accesslogentry",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="accesslog_chain_position"),
        ),
        migrations.AddConstraint(
            model_name="changelogentry",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="changelog_chain_position"),
        ),
        migrations.AddConstraint(
            model_name="accesslogpartnership",
            constraint=models.UniqueConstraint(
                fields=("entry_id", "partnership_id"), name="accesslog_partnership_link"
            ),
        ),
        migrations.AddConstraint(
            model_name="auditcheckpoint",
            constraint=models.UniqueConstraint(fields=("log", "chain", "seq"), name="audit_checkpoint_position"),
        ),
        migrations.AddConstraint(
            model_name="changelogpartnership",
            constraint=models.UniqueConstraint(
                fields=("entry_id", "partnership_id"), name="changelog_partnership_link"
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
