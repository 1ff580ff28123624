"""Accent-free name search on SQLite through an FTS5 trigram index.

``cadre_name_fts`` is an external-content FTS5 table over ``cadres_cadre.name_folded``
kept in step by triggers; a term of three letters or more is looked up there (a trigram
MATCH is a substring match, like ``LIKE '%term%'``) and the ordinary LIKE filters still
apply, so the answers are the same as on PostgreSQL, where the ``pg_trgm`` index
(migration 0003) does this job.
"""

from django.db import migrations

CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS cadre_name_fts USING fts5("
    "name_folded, content='cadres_cadre', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS cadre_name_fts_ai AFTER INSERT ON cadres_cadre BEGIN "
    "INSERT INTO cadre_name_fts(rowid, name_folded) VALUES (new.id, new.name_folded); END",
    "CREATE TRIGGER IF NOT EXISTS cadre_name_fts_ad AFTER DELETE ON cadres_cadre BEGIN "
    "INSERT INTO cadre_name_fts(cadre_name_fts, rowid, name_folded) VALUES ('delete', old.id, old.name_folded); END",
    "CREATE TRIGGER IF NOT EXISTS cadre_name_fts_au AFTER UPDATE OF name_folded ON cadres_cadre BEGIN "
    "INSERT INTO cadre_name_fts(cadre_name_fts, rowid, name_folded) VALUES ('delete', old.id, old.name_folded); "
    "INSERT INTO cadre_name_fts(rowid, name_folded) VALUES (new.id, new.name_folded); END",
    "INSERT INTO cadre_name_fts(cadre_name_fts) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS cadre_name_fts_ai",
    "DROP TRIGGER IF EXISTS cadre_name_fts_ad",
    "DROP TRIGGER IF EXISTS cadre_name_fts_au",
    "DROP TABLE IF EXISTS cadre_name_fts",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cadres", "0004_sqlite_scope_indexes")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
