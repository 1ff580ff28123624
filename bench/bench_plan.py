"""(d) Validate + apply of the national 2025 plan (3,816 operations: 63 → 34 provinces,
district level dissolved, 10,035 → 3,321 communes) through the services, against a raw
bulk write of the same rows in the same run: end the same versions (one UPDATE), insert
the same new versions and succession rows (executemany on SQLite, COPY on PostgreSQL).
Targets: ≤ 10 s each; stretch: ratio ≤ 10.  Then lineage of units (≤ 20 ms) and address
resolution (≤ 50 ms), p95 over many inputs."""

import random
import resource
import statistics
import time

from _common import import_national, setup

vendor = setup()

from django.db import connection, transaction  # noqa: E402

from tinhgon.apparatus.models import Unit  # noqa: E402
from tinhgon.core.bulk import build, insert_objects  # noqa: E402
from tinhgon.core.changelog import acting_as, suspended  # noqa: E402
from tinhgon.restructuring import vn2025  # noqa: E402
from tinhgon.restructuring.models import Plan, Succession  # noqa: E402
from tinhgon.restructuring.selectors import resolve_address, unit_lineage  # noqa: E402
from tinhgon.restructuring.services import (  # noqa: E402
    operations_add,
    plan_apply,
    plan_approve,
    plan_changeset,
    plan_create,
    plan_validate,
)

import_national()
ops = vn2025.build_operations()
with acting_as(None, source="bench"):
    plan = plan_create(name=vn2025.PLAN_NAME, effective_date=vn2025.EFFECTIVE)
    operations_add(plan=plan, operations=ops)

# The raw baseline writes the rows the plan writes; prepare them untimed.
cs = plan_changeset(plan)
end_ids = [r.id for r in cs.versions_to_end]
kinds = dict(Unit.objects.values_list("kind__code", "kind_id").distinct())
levels = dict(Unit.objects.values_list("level__code", "level_id").distinct())


def raw_write() -> None:
    with transaction.atomic(), suspended():
        sid = transaction.savepoint()
        with connection.cursor() as cur:
            for i in range(0, len(end_ids), 900):
                chunk = end_ids[i : i + 900]
                cur.execute(f"UPDATE apparatus_unit SET valid_to = %s WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                            [connection.ops.adapt_datefield_value(vn2025.EFFECTIVE), *chunk])
        new = [build(Unit, code=nv.code, name=nv.name, short_name=nv.short_name or "", level_id=levels.get(nv.level or "commune", 1),
                     kind_id=kinds.get(nv.kind, 1), parent_code=nv.parent_code, path=f"{nv.parent_code}/{nv.code}/",
                     depth=1, search_text=nv.name.lower(), valid_from=vn2025.EFFECTIVE, valid_to=None, source="",
                     note="", latitude=nv.latitude, longitude=nv.longitude, area_km2=nv.area_km2, population=None)
               for nv in cs.new_versions.values()]
        insert_objects(new)
        by_code = {u.code: u.pk for u in new}
        succ = [build(Succession, plan_id=plan.pk, predecessor_id=cs.snapshot[e.pred].id,
                      successor_id=by_code.get(e.succ) or cs.snapshot[e.succ].id, kind=e.kind, share=e.share)
                for e in cs.edges]
        insert_objects(succ)
        transaction.savepoint_rollback(sid)


t0 = time.perf_counter()
raw_write()
baseline = time.perf_counter() - t0

rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
with acting_as(None, source="bench"):
    found = plan_validate(plan=plan)
validate_s = time.perf_counter() - t0
errors = [f for f in found if f["severity"] == "error"]
assert not errors, errors[:5]
with acting_as(None, source="bench"):
    plan_approve(plan=plan)
    t0 = time.perf_counter()
    application = plan_apply(plan=plan)
apply_s = time.perf_counter() - t0
peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
assert Plan.objects.get(pk=plan.pk).status == Plan.APPLIED

ratio = apply_s / baseline
print(f"national 2025 plan [{vendor}]: validate {validate_s:.2f} s, apply {apply_s:.2f} s "
      f"({len(application.ended):,} versions ended, {len(application.created):,} created, "
      f"{len(cs.edges):,} successions); peak RSS {peak_rss / 1024:.0f} MiB (was {rss_before / 1024:.0f} MiB before); "
      f"raw bulk write of the same rows {baseline:.2f} s; ratio apply/raw {ratio:.1f} "
      f"(targets: ≤ 10 s each {'OK' if max(validate_s, apply_s) <= 10 else 'MISSED'}; "
      f"stretch ratio ≤ 10 {'OK' if ratio <= 10 else 'missed'})", flush=True)

random.seed(7)
old_ids = list(Unit.objects.filter(valid_to=vn2025.EFFECTIVE).values_list("id", flat=True))
new_ids = list(Unit.objects.filter(valid_from=vn2025.EFFECTIVE).values_list("id", flat=True))
sample = [Unit.objects.get(pk=i) for i in random.sample(old_ids, 150) + random.sample(new_ids, 50)]
times = []
for u in sample:
    t0 = time.perf_counter()
    unit_lineage(u)
    times.append(time.perf_counter() - t0)
p95 = statistics.quantiles(times, n=20)[18]
print(f"lineage of a unit [{vendor}]: p95 {p95 * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms "
      f"over {len(times)} units (target ≤ 20 ms) {'OK' if p95 <= 0.020 else 'MISSED'}", flush=True)

names = list(Unit.objects.filter(valid_to=vn2025.EFFECTIVE, level__code="commune").select_related()
             .values_list("name", "parent_code"))
district_names = dict(Unit.objects.filter(level__code="district").values_list("code", "name"))
queries = []
for name, parent in random.sample(names, 150):
    queries.append(f"{name}, {district_names.get(parent, '')}")
queries += [q.lower() for q in ("Phường Phúc Xá", "tinh hai duong", "huyen me linh", "thanh pho thu duc", "00001")]
times = []
for q in queries:
    t0 = time.perf_counter()
    resolve_address(q, as_of=vn2025.EFFECTIVE)
    times.append(time.perf_counter() - t0)
p95 = statistics.quantiles(times, n=20)[18]
print(f"address resolution [{vendor}]: p95 {p95 * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms "
      f"over {len(times)} addresses (target ≤ 50 ms) {'OK' if p95 <= 0.050 else 'MISSED'}", flush=True)
