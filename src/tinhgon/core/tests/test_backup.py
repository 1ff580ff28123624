"""``tinhgon backup`` / ``tinhgon restore`` on the database the suite runs on (SQLite, and
PostgreSQL in .ci/run): a restore into a fresh database finds every row and the change log."""

import io
import os
import stat
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree
from tinhgon.core import backup


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the suite's vendor: (its URL, its settings)."""
    import dj_database_url

    if connection.vendor == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        yield url, dj_database_url.parse(url)
        return
    db = dict(connection.settings_dict)
    name = f"tinhgon_restore_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = backup.connect({**db, "NAME": "postgres"})
    admin.execute(f'CREATE DATABASE "{name}"')
    url = (f"postgresql://{db.get('USER') or 'postgres'}"
           f"{':' + db['PASSWORD'] if db.get('PASSWORD') else ''}@{db.get('HOST') or '127.0.0.1'}"
           f":{db.get('PORT') or 5432}/{name}")
    try:
        yield url, dj_database_url.parse(url)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _change_log(db: dict) -> list[tuple]:
    con = backup.connect(db)
    try:
        return [tuple(r) for r in con.execute("SELECT * FROM core_objectchange ORDER BY id").fetchall()]
    finally:
        con.close()


@pytest.fixture
def some_records(transactional_db):
    from tinhgon.cadres.generator import generate_cadres

    tree = make_tree(SMALL_TREE)
    make_user("backup-organizer", role="organizer", scopes=[tree["01"]])
    generate_cadres(count=40, seed=8)
    return tree


def test_backup_then_restore_into_a_fresh_database_keeps_every_row(some_records, fresh_database, tmp_path):
    url, fresh = fresh_database
    source = connection.settings_dict
    before = backup.row_counts(source)
    log = _change_log(source)
    assert before["apparatus_unit"] == 12 and before["cadres_cadre"] == 40 and before["accounts_user"] == 1
    assert len(log) > 100  # units, the user, cadres and their assignments, trainings, pool entries

    out = io.StringIO()
    call_command("backup", str(tmp_path / "nightly" / "tinhgon.backup"), stdout=out)
    path = tmp_path / "nightly" / "tinhgon.backup"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # personal data: the owner only
    assert not list(path.parent.glob("*.partial"))
    assert f"Backed up the {backup.NAMES[connection.vendor]} database to {path}" in out.getvalue()
    assert "  cadres_cadre " in out.getvalue()
    assert f"{len(before)} tables, {sum(before.values()):,} rows" in out.getvalue()

    assert backup.is_empty(fresh)
    out = io.StringIO()
    call_command("restore", str(path), "--into", url, stdout=out)
    assert f"{len(before)} tables, {sum(before.values()):,} rows" in out.getvalue()
    assert backup.row_counts(fresh) == before  # every table, every row
    assert _change_log(fresh) == log  # the change log as it was, row by row


def test_restore_refuses_to_replace_data_without_yes(some_records, tmp_path):
    path = tmp_path / "tinhgon.backup"
    call_command("backup", str(path), verbosity=0)
    with pytest.raises(CommandError, match="holds data: add --yes"):
        call_command("restore", str(path), "--no-input", stdout=io.StringIO())
    assert backup.row_counts(connection.settings_dict)["cadres_cadre"] == 40


@pytest.mark.parametrize(("content", "message"), [
    (b"name,sex\nA,M\n", "neither an SQLite backup nor a pg_dump"),
    (b"SQLite format 3\x00" + b"\x00" * 200, "not a readable SQLite database|damaged"),
    (b"PGDMP" + b"\x00" * 200, "pg_restore failed|not installed"),
])
def test_restore_checks_the_file_first(tmp_path, fresh_database, content, message):
    url, fresh = fresh_database
    path = tmp_path / "suspect.backup"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path), "--into", url, "--yes", stdout=io.StringIO())
    assert backup.is_empty(fresh)


def test_restore_names_a_missing_file(tmp_path, fresh_database):
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "nothing"), "--into", fresh_database[0], stdout=io.StringIO())


def test_a_backup_of_the_other_vendor_is_refused(tmp_path, fresh_database):
    url, fresh = fresh_database
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP")
        expected = "pg_restore failed|not installed"  # checked before the vendors are compared
    else:
        import sqlite3

        con = sqlite3.connect(other)
        con.execute("CREATE TABLE django_migrations (app text, name text)")
        con.commit()
        con.close()
        expected = "is a SQLite backup and the database is PostgreSQL"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(other), "--into", url, "--yes", stdout=io.StringIO())
    assert backup.is_empty(fresh)
