"""Backup and restore of the whole database, on the vendor it runs on.

* SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) — a consistent copy
  while the app keeps serving (WAL: writers are not blocked); the backup is an SQLite file.
  Restore copies it back page by page through the same API, then checks it.
* PostgreSQL: ``pg_dump --format=custom`` (compressed, one consistent snapshot);
  restore with ``pg_restore --clean --if-exists --no-owner --no-acl --single-transaction``
  (all or nothing). The client programs come from Debian's ``postgresql-client``; the
  connection settings are passed in the environment (``PGHOST``, ``PGPASSWORD`` …), never
  on the command line where other users could read them.

Backups are written to a temporary name and renamed when complete, readable by their
owner only (they hold personal data). A file is verified before a restore (SQLite's
``quick_check``; ``pg_restore --list``), and the row count of every table is reported.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in English."""


@dataclass
class Outcome:
    path: Path
    vendor: str
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def vendor_of(db: dict) -> str:
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith(("postgresql", "postgis")):
        return "postgresql"
    raise BackupError(f"Backups of {engine} databases are not supported (SQLite and PostgreSQL are).")


def file_vendor(path: Path) -> str:
    """What kind of backup a file is, from its first bytes."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a directory, not a backup file.") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither an SQLite backup nor a pg_dump custom-format archive.")


# Connections outside Django's (a target database, a backup file) ------------------------------

def _sqlite_connect(name: str, *, readonly: bool = False) -> sqlite3.Connection:
    name = str(name)
    if name.startswith("file:"):  # pytest-django's shared in-memory database
        return sqlite3.connect(name, uri=True)
    if readonly:
        return sqlite3.connect(f"file:{Path(name).resolve()}?mode=ro", uri=True)
    return sqlite3.connect(name)


def _pg_env(db: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("NAME", "PGDATABASE")):
        if db.get(key):
            env[var] = str(db[key])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _pg_connect(db: dict):
    import psycopg

    kwargs = {"dbname": db["NAME"], "host": db.get("HOST") or None, "port": db.get("PORT") or None,
              "user": db.get("USER") or None, "password": db.get("PASSWORD") or None}
    return psycopg.connect(**{k: v for k, v in kwargs.items() if v}, autocommit=True)


def connect(db: dict):
    """A DB-API connection to ``db`` (Django's settings form), outside Django's own."""
    return _sqlite_connect(db["NAME"]) if vendor_of(db) == "sqlite" else _pg_connect(db)


def _program(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed: install PostgreSQL's client programs "
                          f"(Debian: apt-get install postgresql-client).")
    return found


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return done.stdout


# Reading a database ---------------------------------------------------------------------------

def model_tables() -> list[str]:
    """The tables of every installed model (many-to-many tables included)."""
    from django.apps import apps

    tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)
              if m._meta.managed and not m._meta.proxy}
    return sorted(tables)


def _existing_tables(con, vendor: str) -> set[str]:
    if vendor == "sqlite":
        rows = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    else:
        rows = con.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").fetchall()
    return {r[0] for r in rows}


def row_counts(db: dict) -> dict[str, int]:
    """Rows of each model table present in the database ``db`` (Django's settings form)."""
    vendor = vendor_of(db)
    con = connect(db)
    try:
        present = _existing_tables(con, vendor)
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
                for t in model_tables() if t in present}
    finally:
        con.close()


def is_empty(db: dict) -> bool:
    """No table at all (a new file, a database just created)."""
    if vendor_of(db) == "sqlite" and not str(db["NAME"]).startswith("file:") and not Path(db["NAME"]).exists():
        return True
    con = connect(db)
    try:
        return not _existing_tables(con, vendor_of(db))
    finally:
        con.close()


def migration_notes(db: dict) -> list[str]:
    """How the restored database's migrations compare with this version of the code."""
    from django.db.migrations.loader import MigrationLoader

    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    con = connect(db)
    try:
        if "django_migrations" not in _existing_tables(con, vendor_of(db)):
            return ["The backup holds no migration table: it is not a tinhgon database."]
        applied = {tuple(r) for r in con.execute("SELECT app, name FROM django_migrations").fetchall()}
    finally:
        con.close()
    notes = []
    unknown = sorted(applied - on_disk)
    if unknown:
        notes.append(f"The backup comes from a newer version of tinhgon ({len(unknown)} migrations this version "
                     f"does not have, e.g. {unknown[0][0]}.{unknown[0][1]}): install that version to use it.")
    missing = [m for m in on_disk - applied if m[0] in {a for a, _n in applied}]
    if missing:
        notes.append(f"The backup is from an older version: run `tinhgon migrate` ({len(missing)} "
                     f"migration{'s' if len(missing) > 1 else ''} to apply, e.g. {min(missing)[0]}.{min(missing)[1]}).")
    return notes


# Backup -----------------------------------------------------------------------------------------

def backup(path: str | Path, *, alias: str = "default") -> Outcome:
    """Back up the database of ``alias`` to ``path`` (replaced only once the backup is complete)."""
    from django.db import connections

    connection = connections[alias]
    db = connection.settings_dict
    vendor = vendor_of(db)
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a directory: give a file name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    t0 = time.perf_counter()
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        if vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)  # one step: a consistent snapshot
                target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                target.close()
            _sqlite_check(partial)
            counts = row_counts({"ENGINE": db["ENGINE"], "NAME": str(partial)})
        else:
            _run([_program("pg_dump"), "--format=custom", "--no-owner", "--no-acl", f"--file={partial}"],
                 _pg_env(db))
            _pg_list(partial)
            counts = row_counts(db)  # the live database right after the snapshot
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()
    return Outcome(path=path, vendor=vendor, seconds=time.perf_counter() - t0, counts=counts)


def _sqlite_check(path: Path) -> None:
    try:
        con = _sqlite_connect(str(path), readonly=True)
        try:
            result = [r[0] for r in con.execute("PRAGMA quick_check").fetchall()]
            tables = _existing_tables(con, "sqlite")
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database: {exc}.") from None
    if result != ["ok"]:
        raise BackupError(f"{path} is damaged: {'; '.join(result[:5])}.")
    if "django_migrations" not in tables:
        raise BackupError(f"{path} is an SQLite database but not a tinhgon backup (no migration table).")


def _pg_list(path: Path) -> None:
    listing = _run([_program("pg_restore"), "--list", str(path)], dict(os.environ))
    if "TABLE DATA" not in listing or " django_migrations " not in listing:
        raise BackupError(f"{path} is a pg_dump archive but not a tinhgon backup (no migration table).")


def verify(path: str | Path) -> str:
    """Check that ``path`` is a complete tinhgon backup; its vendor."""
    path = Path(path)
    vendor = file_vendor(path)
    (_sqlite_check if vendor == "sqlite" else _pg_list)(path)
    return vendor


# Restore ----------------------------------------------------------------------------------------

def restore(path: str | Path, *, db: dict) -> Outcome:
    """Replace the content of the database ``db`` (Django's settings form) with the backup."""
    from django.db import connections

    path = Path(path)
    vendor = vendor_of(db)
    found = verify(path)
    if found != vendor:
        raise BackupError(f"{path} is a {NAMES[found]} backup and the database is {NAMES[vendor]}: restore it into "
                          f"a {NAMES[found]} database (to move data between the two, use dumpdata/loaddata).")
    connections.close_all()  # nothing of ours holds the database while it is replaced
    t0 = time.perf_counter()
    if vendor == "sqlite":
        name = str(db["NAME"])
        if not name.startswith("file:"):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        source = _sqlite_connect(str(path), readonly=True)
        target = _sqlite_connect(name)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        if not name.startswith("file:"):
            _sqlite_check(Path(name))
    else:
        _run([_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
              "--exit-on-error", f"--dbname={db['NAME']}", str(path)], _pg_env(db))
        con = _pg_connect(db)
        try:
            con.execute("ANALYZE")  # pg_restore does not restore the planner's statistics
        finally:
            con.close()
    return Outcome(path=path, vendor=vendor, seconds=time.perf_counter() - t0, counts=row_counts(db),
                   notes=migration_notes(db))


def counts_lines(counts: dict[str, int]) -> list[str]:
    """The row counts as printed by the commands: every table, then the total."""
    width = max((len(t) for t in counts), default=0)
    lines = [f"  {table:<{width}}  {n:>12,}" for table, n in sorted(counts.items())]
    lines.append(f"{len(counts)} tables, {sum(counts.values()):,} rows")
    return lines


def human_size(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return ""
