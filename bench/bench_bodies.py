"""The national 2025 plan with synthetic bodies: 20 in every province (party committee and three
boards, People's Council, People's Committee with 13 departments, Front committee) and 12 in every
district (party committee and its office, People's Committee with 8 offices, Front committee), each
department and office leading a function, with seats and quotas.  Timed: deriving the body
operations (target ≤ 5 s), then validate + apply of the plan with them (target ≤ 10 s)."""

import datetime as dt
import os
import time

from _common import import_national, setup

vendor = setup()

from tinhgon.apparatus.bodies import Territory, body_name  # noqa: E402
from tinhgon.apparatus.models import Function, FunctionHolding, PayrollQuota, Position, Unit  # noqa: E402
from tinhgon.apparatus.services import UnitInput, units_create  # noqa: E402
from tinhgon.core.bulk import build, insert_objects  # noqa: E402
from tinhgon.core.changelog import acting_as, suspended  # noqa: E402
from tinhgon.core.dated import valid_on  # noqa: E402
from tinhgon.restructuring import vn2025  # noqa: E402
from tinhgon.restructuring.models import BodyOperation  # noqa: E402
from tinhgon.restructuring.services import (  # noqa: E402
    body_operations_decide_all,
    body_operations_derive,
    body_operations_include,
    operations_add,
    plan_apply,
    plan_approve,
    plan_create,
    plan_validate,
)

D0 = dt.date(2025, 1, 1)
DEPARTMENTS = ["Sở Nội vụ", "Sở Tài chính", "Sở Xây dựng", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Công Thương",
               "Sở Nông nghiệp và Môi trường", "Sở Khoa học và Công nghệ", "Sở Văn hóa, Thể thao và Du lịch",
               "Sở Tư pháp", "Sở Dân tộc và Tôn giáo", "Thanh tra tỉnh", "Văn phòng UBND"]
BOARDS = ["Ban Tổ chức", "Ủy ban Kiểm tra", "Ban Tuyên giáo và Dân vận"]
OFFICES = ["Phòng Nội vụ", "Phòng Tài chính – Kế hoạch", "Phòng Quản lý đô thị", "Phòng Giáo dục và Đào tạo",
           "Phòng Y tế", "Phòng Kinh tế", "Phòng Tài nguyên và Môi trường", "Phòng Tư pháp"]


def territory(u: Unit, level: str) -> Territory:
    return Territory(u.code, u.name, u.short_name, u.kind.code, level)


def synthetic_bodies() -> tuple[int, int]:
    rows: list[UnitInput] = []
    leads: list[tuple[str, int]] = []

    def add(code, name, kind, parent):
        rows.append(UnitInput(code=code, name=name, kind=kind, level="body", parent_code=parent, valid_from=D0))

    on = dt.date(2025, 6, 30)
    for p in Unit.objects.filter(valid_on(on), level__code="province").select_related("kind"):
        t = territory(p, "province")
        c = p.code
        add(f"{c}-TU", body_name("{party} {short}", t), "cap-uy", c)
        for i, b in enumerate(BOARDS):
            add(f"{c}-TU-B{i}", body_name("{title} {party} {short}", t, b), "co-quan-dang", f"{c}-TU")
        add(f"{c}-HDND", body_name("Hội đồng nhân dân {territory}", t), "hdnd", c)
        add(f"{c}-UBND", body_name("Ủy ban nhân dân {territory}", t), "ubnd", c)
        for i, d in enumerate(DEPARTMENTS):
            add(f"{c}-S{i:02d}", body_name("{title} {territory}", t, d), "so-nganh", f"{c}-UBND")
            leads.append((f"{c}-S{i:02d}", i))
        add(f"{c}-MTTQ", body_name("Ủy ban Mặt trận Tổ quốc Việt Nam {territory}", t), "mttq", c)
    for d in Unit.objects.filter(valid_on(on), level__code="district").select_related("kind"):
        t = territory(d, "district")
        c = d.code
        add(f"{c}-DU", body_name("{party} {short}", t), "cap-uy", c)
        add(f"{c}-DU-VP", body_name("{title} {party} {short}", t, "Văn phòng"), "co-quan-dang", f"{c}-DU")
        add(f"{c}-UBND", body_name("Ủy ban nhân dân {territory}", t), "ubnd", c)
        for i, o in enumerate(OFFICES):
            add(f"{c}-P{i}", body_name("{title} {territory}", t, o), "phong", f"{c}-UBND")
            leads.append((f"{c}-P{i}", i))
        add(f"{c}-MTTQ", body_name("Ủy ban Mặt trận Tổ quốc Việt Nam {territory}", t), "mttq", c)
    units_create(rows=rows, event_kind=None)
    functions = [Function.objects.create(code=f"linh-vuc-{i:02d}", name=f"Lĩnh vực {i}") for i in range(len(DEPARTMENTS))]
    ids = dict(Unit.objects.filter(level__code="body").values_list("code", "id"))
    with suspended():
        insert_objects([build(FunctionHolding, unit_id=ids[code], function_id=functions[i].pk, role="lead",
                              note="", valid_from=D0, valid_to=None) for code, i in leads])
        insert_objects([build(Position, unit_id=uid, title=title, count=n, is_leadership=lead, order=o)
                        for uid in ids.values()
                        for title, n, lead, o in (("Người đứng đầu", 1, True, 10), ("Cấp phó", 3, True, 20))])
        insert_objects([build(PayrollQuota, unit_id=uid, year=year, category="civil_servant", quota=q, decision="")
                        for uid in ids.values() for year, q in ((2022, 40), (2026, 37))])
    return len(rows), len(leads)


import_national()
with acting_as(None, source="bench"):
    n_bodies, n_holdings = synthetic_bodies()
    plan = plan_create(name=vn2025.PLAN_NAME, effective_date=vn2025.EFFECTIVE)
    ops = vn2025.build_operations()
    operations_add(plan=plan, operations=ops)

    t0 = time.perf_counter()
    if os.environ.get("BENCH_PROFILE") == "derive":
        import cProfile
        import pstats

        prof = cProfile.Profile()
        proposed = prof.runcall(body_operations_derive, plan=plan)
        pstats.Stats(prof).sort_stats("cumulative").print_stats("tinhgon", 25)
    else:
        proposed = body_operations_derive(plan=plan)
    derive_s = time.perf_counter() - t0
    body_operations_decide_all(plan=plan, decision="accepted")
    t0 = time.perf_counter()
    added = body_operations_include(plan=plan)
    include_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    found = plan_validate(plan=plan)
    validate_s = time.perf_counter() - t0
    errors = [f for f in found if f["severity"] == "error"]
    assert not errors, errors[:5]
    plan_approve(plan=plan)
    t0 = time.perf_counter()
    if os.environ.get("BENCH_PROFILE") == "apply":  # where apply spends its time
        import cProfile
        import pstats

        prof = cProfile.Profile()
        application = prof.runcall(plan_apply, plan=plan)
        pstats.Stats(prof).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(os.environ.get("BENCH_PROFILE_FILTER", ""), 30)
    else:
        application = plan_apply(plan=plan)
    apply_s = time.perf_counter() - t0

after = Unit.objects.filter(valid_on(dt.date(2026, 1, 1)), level__code="body")
# Five island districts became special zones (commune level): their bodies live on there, renamed.
left = sorted({u.name for u in after.filter(code__regex=r"^[0-9]{3}-").exclude(
    path__regex=r"^[0-9]+/[0-9]{5}/")})
kinds = {k: BodyOperation.objects.filter(plan=plan, kind=k).count()
         for k in ("merge", "rename", "move", "dissolve", "transfer_function", "transfer_power")}
print(f"bodies, national 2025 plan [{vendor}]: {n_bodies:,} synthetic bodies ({n_holdings:,} function holdings); "
      f"derive {derive_s:.2f} s ({len(proposed):,} body operations: "
      + ", ".join(f"{k} {v:,}" for k, v in kinds.items() if v)
      + f"), add {include_s:.2f} s; validate {validate_s:.2f} s + apply {apply_s:.2f} s = "
      f"{validate_s + apply_s:.2f} s ({len(application.ended):,} versions ended, {len(application.created):,} "
      f"created); {after.count():,} bodies valid on 2026-01-01", flush=True)
print(f"  derive ≤ 5 s: {'OK' if derive_s <= 5 else 'MISSED'}; validate + apply ≤ 10 s: "
      f"{'OK' if validate_s + apply_s <= 10 else 'MISSED'}", flush=True)
print(f"  district bodies still valid outside the special zones: {len(left)} {left[:5]}", flush=True)
