"""Shared set-up of the benchmarks: a throw-away database, Django, timing helpers.

SQLite (default): a fresh file in a temporary TINHGON_VAR_DIR, removed at exit.
PostgreSQL (TINHGON_DATABASE_URL=postgresql://…): a database ``tinhgon_bench_<pid>``
created on that server and dropped at exit (so runs at once do not collide); the
database named in the URL is never touched.
"""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

BENCH_DB = "tinhgon_bench"
warnings.filterwarnings("ignore", message="No directory at")


def _pg_admin(url: str):
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(admin, autocommit=True), urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def setup(migrate: bool = True) -> str:
    """Point Django at a throw-away database, set it up and migrate it. Returns the vendor.

    With TINHGON_BENCH_KEEP=1 the database is kept after the run (a fixed directory under
    the system's temporary directory for SQLite; ``BENCH_DB`` left in place on PostgreSQL)
    and reused by the next run, so that a benchmark can skip loading what is already there.
    """
    global BENCH_DB
    url = os.environ.get("TINHGON_DATABASE_URL", "")
    keep = os.environ.get("TINHGON_BENCH_KEEP") == "1"
    if not keep:  # a throw-away database of this run's own: two runs at once do not collide
        BENCH_DB = f"{BENCH_DB}_{os.getpid()}"
    if keep:
        tmp = os.path.join(tempfile.gettempdir(), f"tinhgon-bench-keep-{BENCH_DB}")
        os.makedirs(tmp, exist_ok=True)
    else:
        tmp = tempfile.mkdtemp(prefix="tinhgon-bench-")
        atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    os.environ["TINHGON_VAR_DIR"] = tmp  # the secret key and static dirs of the run live here too
    if url.startswith(("postgres://", "postgresql://")):
        con, bench_url = _pg_admin(url)
        with con:
            exists = con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
            if not (keep and exists):
                con.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
                con.execute(f"CREATE DATABASE {BENCH_DB}")
        os.environ["TINHGON_DATABASE_URL"] = bench_url
        if not keep:
            atexit.register(_drop_pg, url)
    else:
        os.environ.pop("TINHGON_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhgon.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    from django.db import connection

    return connection.vendor


def _drop_pg(url: str) -> None:
    from django.db import connections

    connections.close_all()
    con, _ = _pg_admin(url)
    with con:
        con.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def import_national() -> None:
    from django.core.management import call_command

    call_command("import_vn_admin_units", verbosity=0, no_check=True)


def timed(fn, *, repeat: int = 1, warmup: int = 0) -> tuple[float, list[float]]:
    """Median seconds of ``repeat`` runs (after ``warmup`` untimed ones) and all the runs."""
    for _ in range(warmup):
        fn()
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), runs


def report(name: str, vendor: str, figure: float, baseline: float, target: str, ok: bool, unit: str = "s",
           extra: str = "") -> None:
    ratio = figure / baseline if baseline else float("inf")
    fig = f"{figure * 1000:.1f} ms" if unit == "ms" else f"{figure:.3f} s"
    base = f"{baseline * 1000:.1f} ms" if unit == "ms" else f"{baseline:.3f} s"
    print(f"{name} [{vendor}]: {fig}; baseline {base}; ratio {ratio:.2f} (target {target}) "
          f"{'OK' if ok else 'MISSED'}{'; ' + extra if extra else ''}", flush=True)
