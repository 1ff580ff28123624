"""Old addresses by the million: tinhgon's converter against the two reference converters.

One CSV file of ADDRESSES_N old addresses (default 1,000,000): the oracle's spellings of the
10,035 old communes (full, no accents, no commas, abbreviated type words, short numbered wards,
with a house number and street), mixed in a seeded random order.  In the same run:

(a) tinhgon (``addresses.bulk.convert_file``, the path of ``tinhgon convert-addresses`` and of
    the bulk job: CSV in, CSV out with the new columns) over the whole file;
(b) ``vietnamadminunits.convert_address`` (its online geocoder fails at once: no network;
    those rows count as its failures) over the first REF_N rows (default: all);
(c) ``vietnam-address-converter`` (its own streaming ``convert_csv_file``) over the first VAC_N rows
    (default 20,000: it converts about a hundred addresses a second);

each in a child process of its own: addresses per second, peak memory (resident, above what the
process held when it started converting).  Then agreement and accuracy on the first AGREE_N rows
(default 50,000) — accuracy as the issue defines it: the first answer is a real successor in the
registry and no real successor is missing (a reference answers one ward, so for a divided commune
it can only be "a real successor", counted apart) — and (d) one address through
``GET /api/addresses/convert/``: p95 of API_N requests (default 1,000), target ≤ 20 ms.

    .venv/bin/python bench/bench_addresses.py
    ADDRESSES_N=100000 REF_N=20000 VAC_N=5000 .venv/bin/python bench/bench_addresses.py
"""

import csv
import os
import random
import resource
import statistics
import sys
import tempfile
import time

import _common
from _common import setup

_common.BENCH_DB = os.environ.get("TINHGON_BENCH_DB", "tinhgon_bench_addresses")
vendor = setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from tinhgon.accounts.tests.factories import make_user  # noqa: E402
from tinhgon.addresses import bulk  # noqa: E402
from tinhgon.addresses.index import get_index  # noqa: E402
from tinhgon.addresses.national import DAY, old_communes, spellings  # noqa: E402
from tinhgon.addresses.oracle import offline_reference, reference_answer  # noqa: E402
from tinhgon.addresses.resolver import resolve  # noqa: E402
from tinhgon.core.text import fold  # noqa: E402
from tinhgon.restructuring.models import Succession  # noqa: E402

N = int(os.environ.get("ADDRESSES_N", "1000000"))
REF_N = min(N, int(os.environ.get("REF_N", str(N))))
VAC_N = min(REF_N, int(os.environ.get("VAC_N", "20000")))
AGREE_N = min(VAC_N, int(os.environ.get("AGREE_N", "20000")))
API_N = int(os.environ.get("API_N", "1000"))

t0 = time.perf_counter()
call_command("import_vn_admin_units", verbosity=0, no_check=True)
call_command("import_vn_2025_plan", verbosity=0)
print(f"registry: the real apparatus and the 2025 plan applied in {time.perf_counter() - t0:.1f} s", flush=True)

communes = old_communes()
by_code = {c.code: c for c in communes}
rows = [(c.code, text) for c in communes for _kind, text in spellings(c)]
random.Random(2025).shuffle(rows)
tmp = tempfile.mkdtemp(prefix="tinhgon-addresses-")
src = os.path.join(tmp, "dia-chi.csv")
with open(src, "w", encoding="utf-8", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["ma_xa_cu", "full_address"])
    for i in range(N):
        w.writerow(rows[i % len(rows)])
print(f"file: {N:,} addresses ({len(rows):,} distinct spellings of {len(communes):,} old communes), "
      f"{os.path.getsize(src) / 1e6:.0f} MB", flush=True)


def head(n: int, name: str) -> str:
    """The header and the first ``n`` rows of the file (the references' share of it)."""
    if n >= N:
        return src
    path = os.path.join(tmp, name)
    with open(src, encoding="utf-8") as fin, open(path, "w", encoding="utf-8") as fout:
        for i, line in enumerate(fin):
            if i > n:
                break
            fout.write(line)
    return path


REF_SRC, VAC_SRC = head(REF_N, "dia-chi-ref.csv"), head(VAC_N, "dia-chi-vac.csv")

idx = get_index()  # built before the children fork: each converter starts with its data loaded
connections.close_all()


def rss_kib() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def in_child(fn) -> dict:
    """Run ``fn`` in a forked child: its figures and its peak resident memory above its start."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(r)
        try:
            start, cpu = rss_kib(), time.process_time()
            out = fn()
            out["peak_mib"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start) / 1024
            out["cpu"] = time.process_time() - cpu
        except BaseException as exc:  # report, never return into the parent's code
            out = {"error": repr(exc)}
        os.write(w, repr(out).encode())
        os.close(w)
        os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.waitpid(pid, 0)
    out = eval(data.decode())  # noqa: S307 - our own child's repr of a dict of numbers
    if "error" in out:
        raise RuntimeError(out["error"])
    return out


def run_tinhgon() -> dict:
    dst = os.path.join(tmp, "tinhgon-out.csv")
    t = time.perf_counter()
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        res = bulk.convert_file(fin, "dia-chi.csv", fout, bulk.Spec(column="full_address"), as_of=DAY,
                                limits=_unbounded())
    secs = time.perf_counter() - t
    return {"n": res["rows"], "secs": secs, "by_status": res["by_status"]}


def _unbounded():
    from tinhgon.addresses.management.commands.convert_addresses import UNBOUNDED

    return UNBOUNDED


def run_reference() -> dict:
    fails = 0
    t = time.perf_counter()
    with offline_reference() as convert, open(REF_SRC, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        n = 0
        for _code, text in reader:
            n += 1
            if isinstance(reference_answer(convert, text), str):
                fails += 1
    return {"n": n, "secs": time.perf_counter() - t, "fails": fails}


def run_vac() -> dict:
    from vietnam_address_converter import convert_csv_file, create_converter

    conv = create_converter()  # its data loaded before the clock starts, as ours is
    t = time.perf_counter()
    n = convert_csv_file(VAC_SRC, os.path.join(tmp, "vac-out.csv"), "full_address", conv)
    return {"n": n, "secs": time.perf_counter() - t}


results = {}
for name, fn in (("tinhgon", run_tinhgon), ("vietnamadminunits", run_reference),
                 ("vietnam-address-converter", run_vac)):
    results[name] = res = in_child(fn)
    extra = f", {res['fails']:,} failed (online geocoder)" if "fails" in res else ""
    print(f"{name}: {res['n']:,} addresses in {res['secs']:.1f} s = {res['n'] / res['secs']:,.0f}/s "
          f"({res['cpu']:.1f} s of CPU = {res['n'] / res['cpu']:,.0f}/s of CPU); "
          f"peak memory +{res['peak_mib']:.0f} MiB{extra}", flush=True)

# Agreement and accuracy on the first AGREE_N rows ------------------------------------------------
succ: dict[int, list[int]] = {}
for p, s in Succession.objects.order_by("id").values_list("predecessor_id", "successor_id"):
    succ.setdefault(p, []).append(s)
names_of = {e.id: fold(e.name) for e in idx.entries.values()}
from vietnam_address_converter import create_converter  # noqa: E402

vac = create_converter()
acc = {"tinhgon": 0, "vietnamadminunits": 0, "vietnam-address-converter": 0}
agree = {"tinhgon~vietnamadminunits": 0, "tinhgon~vietnam-address-converter": 0,
         "vietnamadminunits~vietnam-address-converter": 0}
divided_rows = 0
with offline_reference() as convert, open(src, encoding="utf-8", newline="") as fh:
    reader = csv.reader(fh)
    next(reader)
    for i, (code, text) in enumerate(reader):
        if i >= AGREE_N:
            break
        real = succ[by_code[code].id]
        real_names = {names_of[x] for x in real}
        divided_rows += len(real) > 1
        r = resolve(idx, text, as_of=DAY)
        ids = [c["id"] for c in r.candidates]
        acc["tinhgon"] += bool(ids) and ids[0] in real and set(real) <= set(ids)
        ref = reference_answer(convert, text)
        ref_ward = fold(ref[0]) if isinstance(ref, tuple) else ""
        acc["vietnamadminunits"] += ref_ward in real_names
        try:
            v = ((vac.auto_convert_address(text).get("converted_new") or {}).get("ward") or {}).get("name_with_type")
        except Exception:
            v = None
        v_ward = fold(v or "")
        acc["vietnam-address-converter"] += v_ward in real_names
        ours = {fold(c["name"]) for c in r.candidates}
        agree["tinhgon~vietnamadminunits"] += bool(ref_ward) and ref_ward in ours
        agree["tinhgon~vietnam-address-converter"] += bool(v_ward) and v_ward in ours
        agree["vietnamadminunits~vietnam-address-converter"] += bool(ref_ward) and ref_ward == v_ward
print(f"accuracy and agreement on the first {AGREE_N:,} rows ({divided_rows:,} of divided communes): " + "; ".join(
    f"{k} {v / AGREE_N:.2%}" for k, v in acc.items()), flush=True)
print("agreement: " + "; ".join(f"{k} {v / AGREE_N:.2%}" for k, v in agree.items()), flush=True)

# (d) one address through the API -------------------------------------------------------------
user = make_user("bench-addresses", role="viewer")
client = Client()
client.force_login(user)
sample = [t for _c, t in rows[:API_N]]
client.get("/api/addresses/convert/", {"q": sample[0], "as_of": DAY.isoformat()})
lat = []
for q in sample:
    t = time.perf_counter()
    resp = client.get("/api/addresses/convert/", {"q": q, "as_of": DAY.isoformat()})
    lat.append(time.perf_counter() - t)
    assert resp.status_code == 200, resp.status_code
lat.sort()
p95 = lat[int(len(lat) * 0.95) - 1]
print(f"API: {API_N:,} single addresses, median {statistics.median(lat) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms "
      f"(target ≤ 20 ms) {'OK' if p95 <= 0.020 else 'MISSED'}", flush=True)

# Rates per second of CPU: the machine is shared, so wall-clock rates move with the neighbours.
ours = results["tinhgon"]["n"] / results["tinhgon"]["cpu"]
ref = results["vietnamadminunits"]["n"] / results["vietnamadminunits"]["cpu"]
vacr = results["vietnam-address-converter"]["n"] / results["vietnam-address-converter"]["cpu"]
ok = ours >= 2 * ref and acc["tinhgon"] >= acc["vietnamadminunits"]
print(f"(a) per second of CPU: tinhgon {ours:,.0f}/s vs vietnamadminunits {ref:,.0f}/s: ratio {ours / ref:.1f} (target ≥ 2 with at "
      f"least its accuracy) {'OK' if ok else 'MISSED'}; vs vietnam-address-converter {vacr:,.0f}/s: ratio "
      f"{ours / vacr:.1f} [{vendor}]", flush=True)
sys.exit(0)
