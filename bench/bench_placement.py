"""Placement after the national commune merger: ≈100,000 synthetic commune-level cadres generated on
the eve of the 2025 plan (titles of a commune: its leaders and its civil servants), the plan applied
(they wait pending placement), then one national round: the new units and their posts, the candidates
(a divided commune's cadres in every successor), and the exact proposal per group of new units.

Timed: creating the round, which computes its first proposal (target ≤ 60 s), with the solver's share
and the peak resident memory during that part; then a re-solve of the whole round, untimed against the
target. Baseline in the same run: reading the pending assignments once (the least any
placement must do). ``TINHGON_BENCH_PLACEMENT_CADRES`` changes the count.

With ``TINHGON_BENCH_KEEP=1`` the prepared database (``tinhgon_bench_placement``) is kept and reused:
a rerun skips the set-up and removes the previous run's round with plain deletes (untimed);
``TINHGON_BENCH_PREPARE_ONLY=1`` stops after the set-up."""

import datetime as dt
import os
import threading
import time

import _common
from _common import import_national, report, setup

_common.BENCH_DB = "tinhgon_bench_placement"  # a kept database of its own (TINHGON_BENCH_KEEP=1)
vendor = setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from tinhgon.cadres.generator import generate_cadres  # noqa: E402
from tinhgon.cadres.models import Assignment  # noqa: E402
from tinhgon.core.changelog import acting_as  # noqa: E402
from tinhgon.core.models import ObjectChange  # noqa: E402
from tinhgon.placement import services  # noqa: E402
from tinhgon.placement.models import Candidacy, Candidate, Round, RoundEvent, RoundUnit, Slot  # noqa: E402
from tinhgon.restructuring.models import Plan  # noqa: E402

COUNT = int(os.environ.get("TINHGON_BENCH_PLACEMENT_CADRES", "100000"))


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakRss:
    def __init__(self):
        self.peak, self._stop = rss_mb(), threading.Event()

    def _run(self):
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, rss_mb())

    def __enter__(self):
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, rss_mb())


t0 = time.perf_counter()
if not Plan.objects.filter(status=Plan.APPLIED).exists():  # TINHGON_BENCH_KEEP=1 reuses a prepared database
    import_national()
    with acting_as(None, source="bench"):
        generate_cadres(count=COUNT, seed=7, levels=["commune"], as_of=dt.date(2025, 6, 30))
        call_command("import_vn_2025_plan", verbosity=0)
plan = Plan.objects.get(status=Plan.APPLIED)


def clear_rounds() -> None:
    """Remove the rounds a previous run left (set-up, untimed): plain deletes of the bench's own rows."""
    tables = [m._meta.db_table for m in (RoundEvent, Candidacy, Candidate, Slot, RoundUnit, Round)]
    with transaction.atomic(), connection.cursor() as cur:
        for t in tables:
            cur.execute(f"DELETE FROM {connection.ops.quote_name(t)}")
    if connection.vendor == "postgresql":  # the space of the deleted rows reused, as on a fresh database
        with connection.cursor() as cur:
            cur.execute("VACUUM (ANALYZE) " + ", ".join(connection.ops.quote_name(t)
                                                        for t in [*tables, ObjectChange._meta.db_table]))
            cur.execute("ANALYZE")  # the planner's statistics of the loaded tables, as autovacuum would leave them


clear_rounds()
setup_s = time.perf_counter() - t0
print(f"set-up: {COUNT:,} cadres generated, the 2025 plan applied in {setup_s:.0f} s", flush=True)
if os.environ.get("TINHGON_BENCH_PREPARE_ONLY") == "1":
    raise SystemExit(0)

b0 = time.perf_counter()
pending = list(Assignment.objects.filter(status=Assignment.PENDING).values_list("id", "cadre_id", "unit_id"))
baseline = time.perf_counter() - b0

load_before = os.getloadavg()
before = rss_mb()
with acting_as(None, source="bench"), PeakRss() as mem:
    c0, cpu0 = time.perf_counter(), time.process_time()
    rnd = services.round_create(plan=plan, scope_unit=None, leave_date=dt.date(2025, 9, 1))
    total, cpu = time.perf_counter() - c0, time.process_time() - cpu0
s = dict(rnd.stats)
r0 = time.perf_counter()
with acting_as(None, source="bench"):
    again = services.round_solve(round=rnd)
resolve = time.perf_counter() - r0
units = RoundUnit.objects.filter(round=rnd).count()
shared = Candidate.objects.filter(round=rnd).count() < Candidacy.objects.filter(candidate__round=rnd).count()
seats = sum(Slot.objects.filter(round_unit__round=rnd).values_list("count", flat=True))
print(f"{len(pending):,} pending; {units:,} new units, {seats:,} seats, {s['candidates']:,} candidates, "
      f"{s['groups']:,} groups (largest {s['largest_group'][0]} candidates × {s['largest_group'][1]} seats); "
      f"divided communes' cadres in several units: {shared}; placed {s['placed']:,}", flush=True)
print(f"round created with its proposal in {total:.1f} s (merit inputs {s['facts_seconds']:.1f} s, proposal "
      f"{s['seconds']:.1f} s of which the solver {s['solver_seconds']:.1f} s); solver share of the whole "
      f"{s['solver_seconds'] / total:.0%}; peak RSS {mem.peak:.0f} MB ({mem.peak - before:+.0f} MB over the "
      f"{before:.0f} MB before); a re-solve of the whole country: {resolve:.1f} s "
      f"({again.stats['changed']:,} rows changed)", flush=True)
print(f"CPU time of this process during the creation: {cpu:.1f} s (the database server's own not counted)",
      flush=True)
print("load average (1, 5, 15 min) before the timed part: {:.2f} {:.2f} {:.2f}; after the re-solve: {:.2f} {:.2f} {:.2f}"
      .format(*load_before, *os.getloadavg()), flush=True)
report("placement round, national (created with its proposal)", vendor, total, baseline, "≤ 60 s", total <= 60,
       extra=f"{COUNT:,} cadres; baseline = reading the pending assignments once")
