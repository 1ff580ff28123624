"""SQLite: the covering scope index also holds the retirement adjustment.

"Retiring within N months" inside a scope tests sex, birth date or year and whether the
record has a per-person adjustment; with the adjustment in the index SQLite answers it
from the index entries of the province instead of reading each cadre's row
(docs/PERFORMANCE.md). PostgreSQL does not use this index.
"""

from django.db import migrations

OLD = "(unit_path, sex, birth_year, education_level, political_theory, birth_date)"
NEW = "(unit_path, sex, birth_year, education_level, political_theory, birth_date, retirement_adjust_months)"


def _rebuild(schema_editor, columns):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP INDEX IF EXISTS cadre_scope_cover")
    schema_editor.execute(f"CREATE INDEX cadre_scope_cover ON cadres_cadre {columns}")


def forwards(apps, schema_editor):
    _rebuild(schema_editor, NEW)


def backwards(apps, schema_editor):
    _rebuild(schema_editor, OLD)


class Migration(migrations.Migration):
    dependencies = [("cadres", "0007_retiring_indexes")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
