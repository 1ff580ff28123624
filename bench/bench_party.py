"""Party members at national scale: generate PARTY_N synthetic members (default 5,000,000: the
country's order of magnitude) in party cells under every commune of the real apparatus (2025
plan applied), change-logged as every write is, then time the development rate
(new members ÷ members on 1 January, per organization and rolled up the tree):

(a) for every organization of a province, for each of PROVINCES (default 01, 79 and three
    others): target ≤ 2 s;
(b) for the whole country: target ≤ 30 s.

Each is one GROUP BY over the memberships by organization path (``party.selectors.counts_by_path``)
summed into every ancestor in Python; the baseline measured in the same run is a plain
``COUNT(*)`` of the same memberships (the scan the aggregate cannot avoid), and the ratio is
printed.

    .venv/bin/python bench/bench_party.py                          # PARTY_N=5000000
    PARTY_N=300000 .venv/bin/python bench/bench_party.py
    TINHGON_BENCH_KEEP=1 PARTY_N=… .venv/bin/python bench/bench_party.py   # keep the database; a
                                                                            # second run reuses it
    TINHGON_DATABASE_URL=postgresql://… …                          # the same on PostgreSQL
    PARTY_GENERATE_ONLY=1 TINHGON_BENCH_KEEP=1 …   # only generate (nice'd, without the benchmark
                                                    # lock); time later under the lock

Generating five million change-logged members takes long (about 35 minutes on PostgreSQL, 40–50 on
SQLite, on two shared cores): keep the database and reuse it.
"""

import datetime as dt
import os
import statistics
import time

import _common
from _common import setup

_common.BENCH_DB = os.environ.get("TINHGON_BENCH_DB", "tinhgon_bench_party")
vendor = setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from tinhgon.apparatus.models import Unit  # noqa: E402
from tinhgon.core.changelog import acting_as  # noqa: E402
from tinhgon.core.dated import valid_on  # noqa: E402
from tinhgon.core.scoping import scope_q  # noqa: E402
from tinhgon.party import selectors  # noqa: E402
from tinhgon.party.generator import generate_party_members  # noqa: E402
from tinhgon.party.models import Membership, PartyMember  # noqa: E402

N = int(os.environ.get("PARTY_N", "5000000"))
RUNS = int(os.environ.get("RUNS", "5"))
PROVINCES = os.environ.get("PROVINCES", "01,79,31,48,92").split(",")
TODAY = dt.date.today()
YEAR = TODAY.year

if not Unit.objects.exists():
    t0 = time.perf_counter()
    call_command("import_vn_admin_units", verbosity=0, no_check=True)
    call_command("import_vn_2025_plan", verbosity=0)
    print(f"apparatus loaded and 2025 plan applied in {time.perf_counter() - t0:.1f} s", flush=True)

STEP = int(os.environ.get("PARTY_STEP", "250000"))  # members generated (and committed) per step
have = PartyMember.objects.count()
if have >= N:
    print(f"reusing the {have:,} party members of the kept database", flush=True)
else:
    # in steps of STEP members, each committed: an interrupted run keeps what it made and the
    # next run (TINHGON_BENCH_KEEP=1) goes on from there (each step seeded by the count before it)
    t0, made, memberships, start = time.perf_counter(), 0, 0, have
    while have < N:
        t1 = time.perf_counter()
        with acting_as(None, source="bench"):
            result = generate_party_members(count=min(STEP, N - have), seed=have + 1, today=TODAY)
        made, memberships, have = made + result.members, memberships + result.memberships, have + result.members
        step_s = time.perf_counter() - t1
        print(f"  {have:,} members after {time.perf_counter() - t0:.0f} s (this step {result.members / step_s:,.0f}/s)",
              flush=True)
        if not result.members:
            break
    gen_s = time.perf_counter() - t0
    print(f"generate {made:,} party members [{vendor}] from {start:,}: {gen_s:.1f} s ({made / gen_s:,.0f}/s; "
          f"{memberships:,} memberships, {result.organizations:,} party cells, all change-logged)", flush=True)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
if os.environ.get("PARTY_GENERATE_ONLY") == "1":
    raise SystemExit(0)
total = PartyMember.objects.count()
rows = Membership.objects.count()
print(f"{total:,} party members, {rows:,} memberships [{vendor}]", flush=True)


def timed(fn, runs=RUNS):
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        value = fn()
        out.append(time.perf_counter() - t)
    return out, value


def scan(prefixes):
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR + 1, 1, 1)
    qs = Membership.objects.filter(valid_from__lt=end).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
    if prefixes is not None:
        qs = qs.filter(scope_q("path", prefixes))
    return qs.count()


def report(label, times, base, target_s, extra):
    worst, med = max(times), statistics.median(times)
    print(f"{label} [{vendor}]: max {worst * 1000:.0f} ms, median {med * 1000:.0f} ms over {len(times)} runs "
          f"(target ≤ {target_s:.0f} s) {'OK' if worst <= target_s else 'MISSED'}; baseline COUNT(*) median "
          f"{statistics.median(base) * 1000:.0f} ms, ratio {med / max(statistics.median(base), 1e-6):.1f}; {extra}",
          flush=True)


# (a) every organization of a province ---------------------------------------------------------------
for code in PROVINCES:
    province = Unit.objects.filter(valid_on(TODAY), code=code, depth=0).first()
    if province is None:
        continue
    prefixes = [province.path]
    times, result = timed(lambda p=prefixes, f=province.path: selectors.development_rate(year=YEAR, prefixes=p,
                                                                                         floor=f))
    base, n = timed(lambda p=prefixes: scan(p))
    orgs = sum(1 for r in result if r.is_organization)
    top = result[0] if result else None
    report(f"development rate, every organization of {province.name}", times, base, 2,
           f"{orgs:,} organizations, {len(result):,} rows, {n:,} memberships read; province "
           f"{top.new:,}/{top.at_start:,} = {top.rate_percent}%" if top else "no rows")

# (b) the whole country ---------------------------------------------------------------------------------
times, result = timed(lambda: selectors.development_rate(year=YEAR, prefixes=None), runs=max(2, RUNS // 2))
base, n = timed(lambda: scan(None), runs=max(2, RUNS // 2))
new = sum(r.new for r in result if r.depth == 0)
start = sum(r.at_start for r in result if r.depth == 0)
report("development rate, the whole country", times, base, 30,
       f"{sum(1 for r in result if r.is_organization):,} organizations, {len(result):,} rows, {n:,} memberships "
       f"read; country {new:,}/{start:,} = {round(100 * new / start, 2) if start else None}%")
