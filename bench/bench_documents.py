"""The documents registry at the country's order of magnitude: 200,000 documents of 63 provinces'
party committees and People's Committees (2015–2026, every type, received central documents
among them), then the symbol search (số, ký hiệu) with or without accents:

(a) as an administrator (the whole country): the list's first page of 50 and its count through
    ``documents.selectors.document_search`` and ``page_of`` (the page's ids first, then its rows) —
    p95 over the queries, target ≤ 100 ms; the ratio is
    to the same rows read by one hand-written SQL range on the folded columns;
(b) as a clerk scoped to one province: the same queries through ``restrict`` — p95 ≤ 100 ms;
(c) ``GET /api/documents/?q=…`` end to end (serializing the page), p95 reported.

The queries: a full symbol as typed with accents ("17-ĐA/TU"), the same without ("17-DA/TU"),
a symbol's tail ("ĐA/TU", "QĐ-UBND", "KL/TW" — every document of that kind), and a state symbol
with its year ("12/2024/QĐ-UBND").

    .venv/bin/python bench/bench_documents.py                       # DOCUMENTS_N=200000 by default
    TINHGON_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_documents.py

Documents are written through the tracked bulk path with the change log suspended: the benchmark
measures reads.
"""

import datetime as dt
import os
import random
import statistics
import time

import _common
from _common import report, setup

_common.BENCH_DB = os.environ.get("TINHGON_BENCH_DB", "tinhgon_bench_documents")
vendor = setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from tinhgon.accounts.tests.factories import make_user  # noqa: E402
from tinhgon.apparatus.services import UnitInput, term_create, units_create  # noqa: E402
from tinhgon.core.changelog import acting_as, suspended  # noqa: E402
from tinhgon.core.text import fold  # noqa: E402
from tinhgon.documents import rules, selectors  # noqa: E402
from tinhgon.documents.models import Document, DocumentType  # noqa: E402

N = int(os.environ.get("DOCUMENTS_N", "200000"))
PROVINCES = 63
ROUNDS = int(os.environ.get("ROUNDS", "20"))
START = dt.date(2015, 1, 1)
TODAY = dt.date(2026, 11, 30)


def load() -> None:
    rng = random.Random(7)
    rows = []
    for i in range(1, PROVINCES + 1):
        code = f"{i:02d}"
        rows += [UnitInput(code=code, name=f"Tỉnh Thử {code}", kind="tinh", valid_from=START),
                 UnitInput(code=f"{code}-TU", name=f"Tỉnh ủy Thử {code}", kind="cap-uy", parent_code=code,
                           level="body", valid_from=START),
                 UnitInput(code=f"{code}-UBND", name=f"Ủy ban nhân dân tỉnh Thử {code}", kind="ubnd",
                           parent_code=code, level="body", valid_from=START)]
    units = {u.code: u for u in units_create(rows=rows)}
    terms = {}
    for i in range(1, PROVINCES + 1):
        tu = units[f"{i:02d}-TU"]
        terms[tu.code] = [term_create(body=tu, label="2015-2020", valid_from=dt.date(2015, 10, 15),
                                      valid_to=dt.date(2020, 10, 15)),
                          term_create(body=tu, label="2020-2025", valid_from=dt.date(2020, 10, 15),
                                      valid_to=dt.date(2025, 10, 15)),
                          term_create(body=tu, label="2025-2030", valid_from=dt.date(2025, 10, 15))]
    types = list(DocumentType.objects.filter(valid_from__isnull=True))
    party = [t for t in types if t.system == "party"]
    state = [t for t in types if t.system == "state"]
    kl = DocumentType.objects.get(code="ket-luan")
    counters: dict[str, int] = {}
    span = (TODAY - dt.date(2015, 10, 15)).days
    batch = []
    with suspended():
        for k in range(N):
            i = rng.randint(1, PROVINCES)
            day = dt.date(2015, 10, 15) + dt.timedelta(days=rng.randrange(span))
            if k % 50 == 0:  # received from the centre, as written
                symbol = f"{rng.randint(1, 200)}-KL/TW"
                folded = rules.fold_symbol(symbol)
                batch.append(Document(direction=Document.RECEIVED, doc_type=kl, unit=units[f"{i:02d}-TU"],
                                      issuer_name="Bộ Chính trị", year=day.year, number=rules.leading_number(symbol),
                                      symbol=symbol, symbol_folded=folded, symbol_tail=rules.symbol_tail(folded),
                                      issued_on=day, title="Kết luận của Bộ Chính trị",
                                      title_folded="ket luan cua bo chinh tri"))
            else:
                is_party = rng.random() < 0.5
                body = units[f"{i:02d}-TU" if is_party else f"{i:02d}-UBND"]
                t = rng.choice(party if is_party else state)
                if is_party:
                    term = next(tm for tm in terms[body.code]
                                if tm.valid_from <= day and (tm.valid_to is None or day < tm.valid_to))
                    seq = rules.sequence_key(system="party", body_code=body.code, group=t.sequence, term_id=term.pk)
                    issuer = "TU"
                else:
                    term = None
                    seq = rules.sequence_key(system="state", body_code=body.code, group=t.sequence, year=day.year)
                    issuer = "UBND"
                counters[seq] = n = counters.get(seq, 0) + 1
                symbol = rules.render_symbol(t.symbol_pattern, number=n, abbreviation=t.abbreviation, issuer=issuer,
                                             year=day.year)
                folded = rules.fold_symbol(symbol)
                title = f"{t.name} số {n} năm {day.year}"
                batch.append(Document(doc_type=t, unit=body, term=term, year=day.year, sequence_key=seq, number=n,
                                      issuer_symbol=issuer, symbol=symbol, symbol_folded=folded,
                                      symbol_tail=rules.symbol_tail(folded), issued_on=day, title=title,
                                      title_folded=fold(title)))
            if len(batch) >= 5000:
                Document.objects.bulk_create(batch)
                batch = []
        Document.objects.bulk_create(batch)
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1] if len(xs) >= 2 else xs[0]


def queries(rng: random.Random) -> list[str]:
    sample = list(Document.objects.filter(direction=Document.ISSUED).order_by("?")
                  .values_list("symbol", flat=True)[:ROUNDS])
    out = []
    for s in sample:
        out += [s, rules.fold_symbol(s).upper()]
    out += ["ĐA/TU", "DA/TU", "QĐ-UBND", "qd-ubnd", "KL/TW", "CV/TU", "NQ/TU", "12/2024/QĐ-UBND"] * (ROUNDS // 8 or 1)
    rng.shuffle(out)
    return out


def page_of(qs) -> int:
    """The list's first page as the pages and the API read it: the exact count, the page's ids
    (from the covering index of the symbol and the date), then its 50 rows by id."""
    page = selectors.page_of(qs.order_by("-issued_on", "-id"), 1)
    return len(page.object_list) + page.paginator.count


def hand_sql(q: str) -> int:
    f = rules.fold_symbol(q)
    hi = f[:-1] + chr(ord(f[-1]) + 1)
    col = "symbol_folded" if f[:1].isdigit() else "symbol_tail"
    with connection.cursor() as c:
        c.execute(f"SELECT id FROM documents_document WHERE {col} >= %s AND {col} < %s "
                  "ORDER BY issued_on DESC, id DESC LIMIT 50", [f, hi])
        n = len(c.fetchall())
        c.execute(f"SELECT COUNT(*) FROM documents_document WHERE {col} >= %s AND {col} < %s", [f, hi])
        return n + c.fetchone()[0]


def measure(fn, qs: list[str]) -> list[float]:
    for q in qs[:5]:
        fn(q)
    out = []
    for q in qs:
        t0 = time.perf_counter()
        fn(q)
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    t0 = time.perf_counter()
    with acting_as(None, source="bench"):
        if not Document.objects.exists():
            load()
        else:  # a kept database: analyzed again (it may have gained an index since it was loaded)
            with connection.cursor() as c:
                c.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"{Document.objects.count():,} documents ready in {time.perf_counter() - t0:.1f} s [{vendor}]", flush=True)
    rng = random.Random(11)
    qs = queries(rng)
    from tinhgon.accounts.models import User
    from tinhgon.apparatus.models import Unit

    admin = (User.objects.filter(username="bench-admin").first()
             or make_user("bench-admin", role="administrator"))
    clerk = (User.objects.filter(username="bench-clerk").first()
             or make_user("bench-clerk", role="clerk", scopes=[Unit.objects.get(code="01")]))

    base = measure(hand_sql, qs)
    nat = measure(lambda q: page_of(selectors.document_search(selectors.documents_for(admin), q)), qs)
    report("symbol search, whole country (p95)", vendor, p95(nat), p95(base), "p95 ≤ 100 ms", p95(nat) <= 0.1,
           unit="ms", extra=f"median {statistics.median(nat) * 1000:.1f} ms over {len(qs)} queries")
    prov = measure(lambda q: page_of(selectors.document_search(selectors.documents_for(clerk), q)), qs)
    report("symbol search, one province's scope (p95)", vendor, p95(prov), p95(base), "p95 ≤ 100 ms",
           p95(prov) <= 0.1, unit="ms", extra=f"median {statistics.median(prov) * 1000:.1f} ms")
    client = Client()
    client.force_login(admin)

    def api(q):
        r = client.get("/api/documents/", {"q": q})
        assert r.status_code == 200, r.content[:200]

    api_runs = measure(api, qs)
    report("GET /api/documents/?q= (p95)", vendor, p95(api_runs), p95(base), "reported", True, unit="ms",
           extra=f"median {statistics.median(api_runs) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
