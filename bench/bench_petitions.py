"""Citizen petitions at national scale: PETITIONS_N synthetic matters (500,000 by default) over
the national apparatus, then

(a) duplicate suggestions at intake (``petitions.selectors.similar``: the place's matters of the
    last two years, rapidfuzz over their folded text, same petitioners) for 200 new matters
    written like existing ones (accents dropped, words swapped) — target p95 ≤ 200 ms; the
    baseline is the bare read of the candidates (one indexed query per place);
(b) hot-spot detection over a 90-day window for the whole country
    (``petitions.selectors.hotspot_candidates``) — target ≤ 30 s; the baseline is one
    hand-written SQL GROUP BY of the window's contacts;
(c) the statutory deadline of every open matter recomputed by the pure rules
    (``petitions.selectors.open_deadlines``) — target ≤ 5 s; the baseline is reading the rows.

    .venv/bin/python bench/bench_petitions.py                     # PETITIONS_N=500000
    PETITIONS_N=100000 .venv/bin/python bench/bench_petitions.py
    TINHGON_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_petitions.py

The matters are written by ``petitions.generator.generate_petitions`` with the change log
suspended (the benchmark measures reads); their folded text is what the intake compares.
"""

import datetime as dt
import os
import random
import statistics
import time

import _common
from _common import report, setup, timed

_common.BENCH_DB = os.environ.get("TINHGON_BENCH_DB", "tinhgon_bench_petitions")
vendor = setup()

from django.db import connection  # noqa: E402

from tinhgon.accounts.models import User  # noqa: E402
from tinhgon.core.changelog import acting_as, suspended  # noqa: E402
from tinhgon.core.scoping import scope_q  # noqa: E402
from tinhgon.core.text import fold  # noqa: E402
from tinhgon.petitions import generator, selectors  # noqa: E402
from tinhgon.petitions.models import Petition  # noqa: E402

N = int(os.environ.get("PETITIONS_N", "500000"))
QUERIES = int(os.environ.get("QUERIES", "200"))
REPEAT = int(os.environ.get("REPEAT", "3"))
TODAY = dt.date(2026, 11, 30)


def load() -> None:
    if Petition.objects.count() >= N:
        print(f"reusing {Petition.objects.count():,} petitions", flush=True)
        return
    t0 = time.perf_counter()
    _common.import_national()
    print(f"apparatus [{vendor}]: {time.perf_counter() - t0:.1f} s", flush=True)
    t0 = time.perf_counter()
    with acting_as(None, source="bench"), suspended():
        generator.generate_petitions(count=N, seed=1, today=TODAY, batch_size=20000, hotspots=False)
    s = time.perf_counter() - t0
    print(f"{N:,} petitions [{vendor}]: {s:.1f} s ({N / s:,.0f}/s)", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def reworded(text: str, rng: random.Random) -> str:
    words = fold(text).split()
    if len(words) > 3:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def main() -> None:
    load()
    n = Petition.objects.count()
    print(f"{n:,} petitions; read on {TODAY}", flush=True)
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", "bench@example.org", "Pw-bench-123", role="administrator")

    # (a) duplicate suggestions at intake
    rng = random.Random(7)
    ids = list(Petition.objects.values_list("pk", flat=True)[: min(n, 200000)])
    sample = Petition.objects.select_related("place").in_bulk(rng.sample(ids, min(QUERIES, len(ids))))
    runs, bare, found = [], [], 0
    for p in sample.values():
        text = reworded(f"{p.title} {p.content}", rng)
        names = list(p.petitioners.values_list("full_name", flat=True)[:1])
        t0 = time.perf_counter()
        hits = selectors.similar(admin, text=text, place=p.place, subject=p.subject, names=names, on=TODAY)
        runs.append(time.perf_counter() - t0)
        found += any(h.petition.pk == p.pk for h in hits)
        t0 = time.perf_counter()
        list(Petition.objects.filter(scope_q("place_path", [p.place.path]),
                                     received_on__gte=TODAY - dt.timedelta(days=730))
             .values_list("id", "text_folded", "subject", "kind")[:4000])
        bare.append(time.perf_counter() - t0)
    fig, base = p95(runs), p95(bare)
    report("duplicate suggestions at intake, p95", vendor, fig, base, "p95 ≤ 200 ms", fig <= 0.2, unit="ms",
           extra=f"median {statistics.median(runs) * 1000:.1f} ms over {len(runs)} intakes; the matter itself "
                 f"suggested for {found}/{len(runs)}")

    # (b) national hot-spot detection over 90 days
    since = TODAY - dt.timedelta(days=89)

    def hand():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT p.place_id, p.subject, SUM(c.people), COUNT(*), MAX(c.people), "
                "SUM(CASE WHEN c.is_repeat THEN 1 ELSE 0 END) FROM petitions_contact c "
                "JOIN petitions_petition p ON p.id = c.petition_id WHERE c.\"on\" >= %s AND c.\"on\" <= %s "
                "GROUP BY p.place_id, p.subject", [since, TODAY])
            return cur.fetchall()

    cands = selectors.hotspot_candidates(on=TODAY)
    fig, _ = timed(lambda: selectors.hotspot_candidates(on=TODAY), repeat=REPEAT)
    base, _ = timed(hand, repeat=REPEAT)
    report("national hot-spot detection, 90 days", vendor, fig, base, "≤ 30 s", fig <= 30,
           extra=f"{len(hand()):,} places×subjects in the window, {len(cands):,} over a threshold")

    # (c) deadlines of every open matter
    open_n = Petition.objects.filter(status__in=Petition.SETTLING).count()

    def rows():
        for _r in Petition.objects.filter(status__in=Petition.SETTLING, accepted_on__isnull=False).values_list(
                "kind", "round", "accepted_on", "complexity", "remote", "extensions", "suspended_days"
        ).iterator(chunk_size=5000):
            pass

    fig, _ = timed(selectors.open_deadlines, repeat=REPEAT)
    base, _ = timed(rows, repeat=REPEAT)
    report("deadlines of all open matters", vendor, fig, base, "≤ 5 s", fig <= 5,
           extra=f"{open_n:,} open accepted matters of {n:,}")


if __name__ == "__main__":
    main()
