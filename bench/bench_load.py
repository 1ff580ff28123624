"""Load: 50 simulated users (locust, 1–5 s of think time) against ``tinhgon serve`` on
loopback — the unit tree, cadre searches, profiles and Excel exports of one unit
(``bench/load_locustfile.py``). Prints, per page, the p95 under load against the p95 of
one user clicking without pause in the same run (the baseline), the throughput and the
errors. Target: 0 errors, p95 ≤ 300 ms on every page.

    .venv/bin/python bench/bench_load.py            # SQLite, the data of `make run` (embedded default)
    TINHGON_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres TINHGON_BENCH_KEEP=1 \\
        TINHGON_BENCH_DB=tinhgon_bench_cadres LOAD_STATE=cadres .venv/bin/python bench/bench_load.py
                        # PostgreSQL with 1,000,000 cadres: the database bench_cadres.py keeps
                        # (generated first when it holds fewer than CADRES_N)

Environment: LOAD_USERS (50), LOAD_SECONDS (180), LOAD_BASELINE_SECONDS (45), LOAD_SPAWN_RATE
(2 users/s; the figures are reset once every user has signed in), LOAD_WORKERS / LOAD_THREADS (the server's; default: serve's own defaults).
"""

import csv
import datetime as dt
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import _common
from _common import ROOT, report, setup

_common.BENCH_DB = os.environ.get("TINHGON_BENCH_DB", "tinhgon_bench_load")
vendor = setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.db.models import Count  # noqa: E402

from tinhgon.accounts.models import User  # noqa: E402
from tinhgon.accounts.services import user_create  # noqa: E402
from tinhgon.apparatus.models import Unit  # noqa: E402
from tinhgon.cadres.models import Cadre  # noqa: E402
from tinhgon.core.changelog import acting_as  # noqa: E402
from tinhgon.core.dated import valid_on  # noqa: E402
from tinhgon.core.scoping import scope_q  # noqa: E402

STATE = os.environ.get("LOAD_STATE", "run")
CADRES_N = int(os.environ.get("CADRES_N", "1000000"))
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "180"))
BASELINE_SECONDS = int(os.environ.get("LOAD_BASELINE_SECONDS", "45"))
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "2"))
PASSWORD = "Load-bench-password-2025"
TARGET_MS = 300
TODAY = dt.date.today()
random.seed(2025)

# The data -------------------------------------------------------------------------------------
t0 = time.perf_counter()
if STATE == "run":
    call_command("load_run_state", verbosity=0)
    what = f"the data of make run ({Cadre.objects.count():,} cadres)"
else:
    if Cadre.objects.count() < CADRES_N:
        from tinhgon.cadres import generator

        if not Unit.objects.exists():
            call_command("import_vn_admin_units", verbosity=0, no_check=True)
            call_command("import_vn_2025_plan", verbosity=0)
        with acting_as(None, source="bench"):
            generator.generate_cadres(count=CADRES_N, seed=1, as_of=TODAY)
    what = f"the national apparatus and {Cadre.objects.count():,} cadres"
print(f"load [{vendor}]: {what}, ready in {time.perf_counter() - t0:.0f} s", flush=True)

# The accounts and what each of them browses ---------------------------------------------------
provinces = list(Unit.objects.filter(valid_on(TODAY), level__code="province").order_by("code"))
cadres_by_province = {p.code: Cadre.objects.filter(scope_q("unit_path", [p.path])).count() for p in provinces}
busy = [p for p in provinces if cadres_by_province[p.code] >= 100]


def scope_sample(paths: list[str] | None) -> dict:
    units = Unit.objects.filter(valid_on(TODAY))
    cadres = Cadre.objects.all()
    if paths:
        units, cadres = units.filter(scope_q("path", paths)), cadres.filter(scope_q("unit_path", paths))
    unit_ids = list(units.values_list("id", flat=True)[:2000])
    cadre_ids = list(cadres.values_list("id", flat=True)[:5000])
    # Units of ten to a thousand cadres: what one office exports.
    sizes = (cadres.values("unit__code").annotate(n=Count("id")).filter(n__gte=10, n__lte=1000)
             .values_list("unit__code", flat=True)[:500])
    return {"unit_ids": random.sample(unit_ids, min(200, len(unit_ids))),
            "cadre_ids": random.sample(cadre_ids, min(500, len(cadre_ids))),
            "export_units": random.sample(list(sizes), min(50, len(sizes)))}


accounts = []
with acting_as(None, source="bench"):
    for p in busy:
        name = f"load-{p.code}"
        if not User.objects.filter(username=name).exists():
            user_create(username=name, role="organizer", scope_units=[p], password=PASSWORD)
        accounts.append({"username": name, "provinces": [p.code], **scope_sample([p.path])})
    national = scope_sample(None)
    for i in range(max(2, len(busy) // 8)):  # a few national administrators among the provincial organizers
        name = f"load-admin-{i}"
        if not User.objects.filter(username=name).exists():
            user_create(username=name, role="administrator", is_superuser=True, password=PASSWORD)
        accounts.append({"username": name, "provinces": [p.code for p in busy], **national})
random.shuffle(accounts)
connections.close_all()
work = Path(tempfile.mkdtemp(prefix="tinhgon-load-"))
data_file = work / "data.json"
data_file.write_text(json.dumps({"password": PASSWORD, "accounts": accounts}))
print(f"load [{vendor}]: {len(accounts)} accounts ({len(busy)} provincial organizers, "
      f"{len(accounts) - len(busy)} national administrators)", flush=True)


# The server -----------------------------------------------------------------------------------
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids) -> dict[int, float]:
    """User + system CPU time of each of these live processes."""
    out = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            out[pid] = (int(fields[11]) + int(fields[12])) / TICK
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return out


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU time spent between two readings by the processes alive at the second one."""
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


def server_pids(master: int) -> list[int]:
    try:
        with open(f"/proc/{master}/task/{master}/children") as fh:
            return [master, *map(int, fh.read().split())]
    except FileNotFoundError:
        return [master]


def database_pids() -> list[int]:
    """PostgreSQL's backends serving the benchmark's database (none for SQLite)."""
    if vendor != "postgresql":
        return []
    name = connections["default"].settings_dict["NAME"]
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if cmd.startswith("postgres:") and f" {name} " in cmd:
                pids.append(int(entry))
    return pids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
host = f"http://127.0.0.1:{port}"
serve_args = ["--bind", f"127.0.0.1:{port}"]
if os.environ.get("LOAD_WORKERS"):
    serve_args += ["--workers", os.environ["LOAD_WORKERS"]]
if os.environ.get("LOAD_THREADS"):
    serve_args += ["--threads", os.environ["LOAD_THREADS"]]
server_log = work / "server.log"
# Database connections kept for the whole run, so that the CPU of their backends is counted.
server_env = {**os.environ, "TINHGON_DB_CONN_MAX_AGE": "600"}
worker_log = work / "worker.log"
run_started = dt.datetime.now(dt.UTC)
with open(server_log, "wb") as out:
    server = subprocess.Popen([sys.executable, "-m", "tinhgon.cli", "serve", *serve_args], stdout=out,
                              stderr=subprocess.STDOUT, cwd=ROOT, env=server_env)
# The background-job worker, as in production: it prepares the exports the users start.
with open(worker_log, "wb") as out:
    worker = subprocess.Popen([sys.executable, "-m", "tinhgon.cli", "worker"], stdout=out,
                              stderr=subprocess.STDOUT, cwd=ROOT, env=server_env)
try:
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{host}/accounts/login/", timeout=5).close()
            break
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"tinhgon serve stopped:\n{server_log.read_text()}") from None
            time.sleep(0.2)
    print(f"load [{vendor}]: {server_log.read_text().splitlines()[0]}", flush=True)

    def run_locust(label: str, users: int, seconds: int, wait: bool) -> dict[str, dict]:
        """Run the scenario; the statistics of each page once every user has signed in."""
        prefix = work / label
        env = {**os.environ, "TINHGON_LOAD_DATA": str(data_file), "TINHGON_LOAD_WAIT": "1" if wait else "0"}
        ramp = users / SPAWN_RATE
        with open(work / f"{label}.log", "wb") as out:
            subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_locustfile.py"),
                            "--headless", "--only-summary", "--reset-stats", "--loglevel", "WARNING",
                            "-u", str(users), "-r", str(SPAWN_RATE), "-t", f"{seconds + ramp:.0f}s",
                            "--stop-timeout", "30", "--host", host, "--csv", str(prefix)],
                           env=env, cwd=work, stdout=out, stderr=subprocess.STDOUT)
        with open(f"{prefix}_stats.csv") as fh:
            rows = {r["Name"]: r for r in csv.DictReader(fh)}
        with open(f"{prefix}_failures.csv") as fh:
            for r in csv.DictReader(fh):
                print(f"    {label} failure: {r['Occurrences']} × {r['Method']} {r['Name']}: {r['Error']}",
                      flush=True)
        return rows

    baseline = run_locust("baseline", 1, BASELINE_SECONDS, wait=False)
    load_before = os.getloadavg()[0]
    app0, db0 = cpu_seconds(server_pids(server.pid)), cpu_seconds(database_pids())
    client0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall0 = time.monotonic()
    loaded = run_locust("load", USERS, SECONDS, wait=True)
    wall = time.monotonic() - wall0
    client1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    app_cpu = cpu_used(app0, cpu_seconds(server_pids(server.pid)))
    db_cpu = cpu_used(db0, cpu_seconds(database_pids()))
    client_cpu = (client1.ru_utime + client1.ru_stime) - (client0.ru_utime + client0.ru_stime)
    load_after = os.getloadavg()[0]
finally:
    for proc in (server, worker):
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()

# The figures ----------------------------------------------------------------------------------
total = loaded.pop("Aggregated")
baseline.pop("Aggregated", None)
errors = int(total["Failure Count"])
server_errors = server_log.read_text(errors="replace").count("Traceback")
missed = []
for name, row in sorted(loaded.items()):
    p95 = float(row["95%"])
    base = float(baseline[name]["95%"]) if name in baseline else 0.0
    timed = not name.startswith("sign")  # signing in is Argon2 on purpose: not a target
    ok = p95 <= TARGET_MS and int(row["Failure Count"]) == 0
    if timed and not ok:
        missed.append(name)
    report(f"load: {name}", vendor, p95 / 1000, base / 1000, f"p95 ≤ {TARGET_MS} ms" if timed else "none", ok or
           not timed, unit="ms", extra=f"median {float(row['Median Response Time']):.0f} ms, "
           f"{int(row['Request Count']):,} requests, {int(row['Failure Count'])} errors")
print(f"load [{vendor}]: {USERS} users for {SECONDS} s: {float(total['Requests/s']):.1f} requests/s, "
      f"{int(total['Request Count']):,} requests, p95 {float(total['95%']):.0f} ms (median "
      f"{float(total['Median Response Time']):.0f} ms), {errors} errors, {server_errors} server tracebacks; "
      f"machine load average {load_before:.1f} before, {load_after:.1f} after on {os.cpu_count()} CPUs; "
      f"{'OK' if not (errors or missed or server_errors) else 'MISSED: ' + ', '.join(missed or ['errors'])}",
      flush=True)
# The export jobs the users started: how long each waited and ran, and whether it ended well.
from tinhgon.core.models import Job  # noqa: E402

export_jobs = list(Job.objects.filter(kind="cadres.export", created_at__gte=run_started)
                   .values_list("state", "created_at", "finished_at", "done"))
ended = sorted((f - c).total_seconds() for st, c, f, _d in export_jobs if st == Job.SUCCEEDED and f)
failed_jobs = sum(1 for st, *_ in export_jobs if st == Job.FAILED)
if ended:
    print(f"load [{vendor}]: export jobs: {len(export_jobs):,} started, {len(ended):,} files ready, {failed_jobs} "
          f"failed, {len(export_jobs) - len(ended) - failed_jobs} still queued at the end; start to file ready "
          f"median {ended[len(ended) // 2]:.1f} s, p95 {ended[int(len(ended) * 0.95)]:.1f} s; rows per file "
          f"median {sorted(d for *_x, d in export_jobs)[len(export_jobs) // 2]:,}", flush=True)
errors += failed_jobs
count = int(total["Request Count"]) or 1
print(f"load [{vendor}]: CPU over the {wall:.0f} s of the load phase: server {app_cpu:.0f} s "
      f"({app_cpu / count * 1000:.0f} ms per request), database {db_cpu:.0f} s ({db_cpu / count * 1000:.0f} ms per "
      f"request), locust {client_cpu:.0f} s; the three used {(app_cpu + db_cpu + client_cpu) / wall:.2f} of the "
      f"{os.cpu_count()} CPUs", flush=True)
if errors or server_errors:
    print(f"load [{vendor}]: the server's and locust's logs are in {work}", flush=True)
    sys.exit(1)
shutil.rmtree(work, ignore_errors=True)
