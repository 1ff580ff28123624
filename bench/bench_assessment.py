"""Assessment at national scale: an annual cycle (2025, Decree 90/2020 as amended by 48/2023)
for every province of synthetic cadres with their tasks, then

(a) compute and classify (``assessment.compute.compute``: reading the cadres, the tasks of the
    year with their returns and extensions, the disciplines and the units' heads; the points
    or criteria, the roll-up of the units, the cap per body and group, the explanations) —
    target ≤ 60 s for 1,000,000 cadres on PostgreSQL;
(b) writing the results (``services.cycle_compute``: the same plus every result and unit
    result written and change-logged);
(c) a recount of the same cadres' tasks by one hand-written GROUP BY per assignee (the
    baseline of the ratio), and the peak memory of the process.

    .venv/bin/python bench/bench_assessment.py                     # CADRES_N=1000000 TASKS_N=1000000
    CADRES_N=100000 TASKS_N=100000 .venv/bin/python bench/bench_assessment.py
    TINHGON_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_assessment.py
    TINHGON_BENCH_KEEP=1 …                                         # keep and reuse the database

The cadres and tasks are generated with the change log suspended (the load is not measured);
the results in (b) are change-logged as in production.
"""

import datetime as dt
import os
import resource
import time

import _common
from _common import setup

_common.BENCH_DB = os.environ.get("TINHGON_BENCH_DB", "tinhgon_bench_assessment")
vendor = setup()

from django.db import connection  # noqa: E402

from tinhgon.apparatus.models import Unit  # noqa: E402
from tinhgon.assessment import compute, services  # noqa: E402
from tinhgon.assessment.models import Cycle, Result  # noqa: E402
from tinhgon.cadres import generator as cadre_generator  # noqa: E402
from tinhgon.cadres.models import Cadre  # noqa: E402
from tinhgon.core.changelog import acting_as, suspended  # noqa: E402
from tinhgon.core.dated import valid_on  # noqa: E402
from tinhgon.tasks import generator as task_generator  # noqa: E402
from tinhgon.tasks.models import Task  # noqa: E402


def rss_mib() -> float:
    """Peak resident memory of the process."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    with open("/proc/self/status") as f:
        for row in f:
            if row.startswith("VmRSS:"):
                return int(row.split()[1]) / 1024
    return 0.0


CADRES = int(os.environ.get("CADRES_N", "1000000"))
TASKS = int(os.environ.get("TASKS_N", "1000000"))
WRITE = os.environ.get("WRITE", "1") == "1"
LOAD_ONLY = os.environ.get("LOAD_ONLY") == "1"  # generate (with TINHGON_BENCH_KEEP=1) and stop
TODAY = dt.date(2026, 11, 30)
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def load() -> None:
    if Cadre.objects.count() >= CADRES:
        print(f"reusing {Cadre.objects.count():,} cadres and {Task.objects.count():,} tasks", flush=True)
        return
    t0 = time.perf_counter()
    _common.import_national()
    print(f"apparatus [{vendor}]: {time.perf_counter() - t0:.1f} s", flush=True)
    t0 = time.perf_counter()
    with acting_as(None, source="bench"), suspended():
        cadre_generator.generate_cadres(count=CADRES, seed=1, as_of=TODAY)
    print(f"{CADRES:,} cadres [{vendor}]: {time.perf_counter() - t0:.1f} s", flush=True)
    t0 = time.perf_counter()
    with acting_as(None, source="bench"), suspended():
        task_generator.generate_tasks(count=TASKS, seed=1, today=TODAY, years=(2025,), events=True,
                                      batch_size=20000)
    print(f"{TASKS:,} tasks with their events [{vendor}]: {time.perf_counter() - t0:.1f} s", flush=True)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")


BASELINE = """
SELECT assignee_id, COUNT(*), SUM(CASE WHEN accepted_on IS NOT NULL AND submitted_on <= due THEN 1 ELSE 0 END),
       SUM(CASE WHEN grade = 'exceeded' THEN 1 ELSE 0 END)
FROM tasks_task WHERE {scope} AND issued_on <= %s AND due BETWEEN %s AND %s GROUP BY assignee_id
"""


def baseline_query(scope_path: str) -> tuple[str, list]:
    """The subtree as each database's best prefix condition (a range on SQLite, whose
    case-insensitive LIKE cannot seek in the index), as ``core.scoping.scope_q`` writes it."""
    if vendor == "sqlite":
        upper = scope_path[:-1] + chr(ord(scope_path[-1]) + 1)
        return BASELINE.format(scope="lead_path >= %s AND lead_path < %s"), [scope_path, upper]
    return BASELINE.format(scope="lead_path LIKE %s"), [scope_path + "%"]


def main() -> None:
    load()
    if LOAD_ONLY:
        return
    roots = [u for u in Unit.objects.filter(valid_on(YEAR[1]), depth=0).order_by("code")
             if Cadre.objects.filter(unit_path__startswith=u.path).exists()]
    with acting_as(None, source="bench"):
        Cycle.objects.filter(note="bench").delete()
        cycles = [Cycle.objects.create(label=f"Năm 2025 — {u.name}", kind=Cycle.ANNUAL, period_start=YEAR[0],
                                       period_end=YEAR[1], unit=u, scope_path=u.path, rule_set="", note="bench",
                                       status=Cycle.SELF) for u in roots]
    for c in cycles:
        c.rule_set = compute.rule_set_of(c).code
    n = Cadre.objects.count()
    print(f"{n:,} cadres in {len(cycles)} provinces; {Task.objects.count():,} tasks", flush=True)

    # (c) the baseline: a GROUP BY per assignee over the same tasks
    t0 = time.perf_counter()
    rows = 0
    with connection.cursor() as cur:
        for c in cycles:
            sql, params = baseline_query(c.scope_path)
            cur.execute(sql, params + [YEAR[1], YEAR[0], YEAR[1]])
            rows += len(cur.fetchall())
    base = time.perf_counter() - t0
    print(f"baseline GROUP BY [{vendor}]: {base:.2f} s ({rows:,} assignees)", flush=True)

    # (a) compute and classify
    rss0 = current_rss_mib()
    t0 = time.perf_counter()
    results = 0
    peak_step = 0.0
    for c in cycles:
        out = compute.compute(c)
        results += len(out.results)
        peak_step = max(peak_step, current_rss_mib())
        del out
    secs = time.perf_counter() - t0
    target = 60 * n / 1_000_000
    print(f"(a) compute + classify {results:,} results [{vendor}]: {secs:.1f} s ({results / secs:,.0f}/s); "
          f"ratio to the GROUP BY {secs / base:.1f}; target for {n:,} cadres ≤ {target:.1f} s "
          f"(60 s per million) {'OK' if secs <= target else 'MISSED'}; RSS {rss0:.0f} → {peak_step:.0f} MiB "
          f"(peak of the process {rss_mib():.0f} MiB; the largest province held at once)", flush=True)

    # (b) compute and write, change-logged
    if WRITE:
        t0 = time.perf_counter()
        with acting_as(None, source="bench"):
            for c in cycles:
                services.cycle_compute(user=None, cycle=c)
        wsecs = time.perf_counter() - t0
        print(f"(b) compute + write {Result.objects.filter(cycle__in=cycles).count():,} results [{vendor}]: "
              f"{wsecs:.1f} s; again (updating them) ", end="", flush=True)
        t0 = time.perf_counter()
        with acting_as(None, source="bench"):
            for c in cycles:
                services.cycle_compute(user=None, cycle=c)
        print(f"{time.perf_counter() - t0:.1f} s; peak RSS {rss_mib():.0f} MiB", flush=True)


main()
