"""Covering indexes for searches inside a scope on SQLite.

SQLite answers the scope as a range on ``unit_path`` and, with these indexes, tests sex,
age, qualifications and the folded name on the index entries instead of reading every
cadre of the province from the table (at 300,000 cadres: p95 82 → 9 ms for the
multi-criteria search, 58 → 34 ms for a name search in a province; docs/PERFORMANCE.md).
PostgreSQL uses its own indexes (the pattern-ops index on ``unit_path``, the trigram
index on ``name_folded``) and does not get these.
"""

from django.db import migrations

INDEXES = {
    "cadre_scope_cover": "(unit_path, sex, birth_year, education_level, political_theory, birth_date)",
    "cadre_scope_name": "(unit_path, name_folded)",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON cadres_cadre {columns}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cadres", "0003_name_trigram")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
