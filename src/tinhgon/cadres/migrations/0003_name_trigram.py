"""A trigram index for accent-free name search on PostgreSQL (``name_folded LIKE '%…%'``).

SQLite has no such index; there the search scans the folded names, which is fast enough
inside a scope (see docs/PERFORMANCE.md).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS cadre_name_trgm ON cadres_cadre USING gin (name_folded gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cadre_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("cadres", "0002_pool_indexes")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
