"""Database triggers that refuse UPDATE and DELETE on audit events.

The model refuses them too; the triggers stop raw SQL and other clients. A person who can drop the
trigger can still edit a row, which is why every row is also hash-chained (`tipnet audit verify`).
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_append_only();",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
