"""PostgreSQL: finer statistics of the folded symbol and its tail.

With the default (100 histogram buckets of ~2,000 rows each at the country's 200,000
documents) a full symbol's prefix ("38-cv/tu", about a hundred documents) is estimated at
more than a thousand, and the planner then reads the newest documents by date, filtering on
the symbol until 50 match (a hundred thousand rows) instead of the symbol's range; finer
buckets estimate it within a few hundred, and the range (then a sort of the matches) is chosen.
"""

from django.db import migrations

COLUMNS = ("symbol_folded", "symbol_tail")


def finer(apps, schema_editor, target=1000):
    if schema_editor.connection.vendor != "postgresql":
        return
    alter = ", ".join(f"ALTER COLUMN {c} SET STATISTICS {target}" for c in COLUMNS)
    schema_editor.execute(f"ALTER TABLE documents_document {alter}")


def default(apps, schema_editor):
    finer(apps, schema_editor, target=-1)


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0002_document_symbol_search_indexes"),
    ]

    operations = [migrations.RunPython(finer, default, elidable=False)]
