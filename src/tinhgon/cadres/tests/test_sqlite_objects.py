"""The SQLite-only objects the migrations create by hand survive every later migration.

Django's SQLite schema editor rebuilds a table for some changes (a unique column, a
constraint without a condition) and recreates only what the model declares: the name
search's FTS5 triggers and the covering scope index would silently disappear, and name
searches would answer nothing.  This test fails as soon as a migration does that.
"""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-only objects")
def test_fts_triggers_and_covering_index_exist():
    with connection.cursor() as cur:
        cur.execute("SELECT type, name FROM sqlite_master WHERE tbl_name IN ('cadres_cadre', 'cadre_name_fts')")
        names = {name for _type, name in cur.fetchall()}
    expected = {"cadre_name_fts", "cadre_name_fts_ai", "cadre_name_fts_ad", "cadre_name_fts_au", "cadre_scope_cover"}
    assert expected <= names, f"missing: {sorted(expected - names)}"
