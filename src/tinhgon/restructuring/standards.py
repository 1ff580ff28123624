"""New units against the unit standard of the plan's rule set."""

from __future__ import annotations

from tinhgon.core.rulesets import NoRuleSet, rule_set_for

from . import violations as V
from .engine import Changeset
from .rulesets import UNIT_STANDARD

CRITERIA = (("population", "dân số", "population"), ("area_km2", "diện tích (km²)", "area (km²)"))


def evaluate(value_by_attr: dict, variants: list[dict]) -> tuple[str, list[tuple[str, float | None, float]]]:
    """``("pass" | "fail" | "unknown", shortfalls)`` for one unit against the variants of its kind."""
    outcomes, shortfalls = [], []
    for variant in variants:
        outcome = "pass"
        for attr, _vi, _en in CRITERIA:
            floor = variant.get(attr)
            if floor is None:
                continue
            value = value_by_attr.get(attr)
            if value is None:
                outcome = "unknown" if outcome == "pass" else outcome
                shortfalls.append((attr, None, floor))
            elif value < floor:
                outcome = "fail"
                shortfalls.append((attr, value, floor))
        outcomes.append(outcome)
    if all(o == "pass" for o in outcomes):
        return "pass", []
    if all(o == "fail" for o in outcomes):
        return "fail", shortfalls
    return "unknown", shortfalls


def check(cs: Changeset, *, rule_set_code: str | None = None) -> None:
    try:
        rs = rule_set_for(UNIT_STANDARD, cs.date, code=rule_set_code)
    except NoRuleSet:
        return
    kinds = rs.parameters.get("kinds", {})
    exempt_at = rs.parameters.get("exempt_when_sources_at_least")
    for nv in cs.new_versions.values():
        if not nv.formed or nv.kind not in kinds:
            continue
        if exempt_at and len(set(nv.predecessors)) >= exempt_at:
            continue
        result, shortfalls = evaluate({"population": nv.population, "area_km2": nv.area_km2}, kinds[nv.kind])
        if result == "pass":
            continue
        if nv.standard_exemption and result == "fail":
            cs.add(V.finding(V.STANDARD_EXEMPTED, [nv.code], op=nv.op, code=nv.code, reason=nv.standard_exemption,
                             rule=rs.code))
            continue
        labels = {a: (vi, en) for a, vi, en in CRITERIA}
        if result == "fail":
            for attr in dict.fromkeys(a for a, value, _f in shortfalls if value is not None):
                value = next(v for a, v, _f in shortfalls if a == attr and v is not None)
                floor = min(f for a, v, f in shortfalls if a == attr and v is not None)
                cs.add(V.finding(V.BELOW_STANDARD, [nv.code], op=nv.op, code=nv.code, criterion=labels[attr],
                                 value=value, floor=floor, rule=rs.code))
        else:
            unknown = list(dict.fromkeys(a for a, value, _f in shortfalls if value is None)) or [shortfalls[0][0]]
            for attr in unknown:
                cs.add(V.finding(V.STANDARD_UNKNOWN, [nv.code], op=nv.op, code=nv.code, criterion=labels[attr],
                                 rule=rs.code))


def check_quota(cs: Changeset, *, category: str = "civil_servant") -> dict | None:
    """Planned quotas of new units against their predecessors', and the plan's cut against the roadmap.

    Predecessors' quotas are those of the latest year up to the effective year. Returns the
    plan's totals (None when no new unit carries a planned quota).
    """
    from tinhgon.apparatus.models import PayrollQuota
    from tinhgon.apparatus.rulesets import PAYROLL_ROADMAP

    planned = [nv for nv in cs.new_versions.values() if nv.payroll_quota is not None and nv.predecessors]
    if not planned:
        return None
    ids = {cs.snapshot[c].id: c for nv in planned for c in nv.predecessors if c in cs.snapshot}
    latest: dict[str, tuple[int, int]] = {}
    for unit_id, year, quota in PayrollQuota.objects.filter(
        unit_id__in=list(ids), category=category, year__lte=cs.date.year
    ).values_list("unit_id", "year", "quota"):
        code = ids[unit_id]
        if code not in latest or year > latest[code][0]:
            latest[code] = (year, quota)
    before = after = 0
    for nv in planned:
        total = sum(latest[c][1] for c in set(nv.predecessors) if c in latest)
        before += total
        after += nv.payroll_quota
        if nv.payroll_quota > total:
            cs.add(V.finding(V.QUOTA_EXCEEDS, [nv.code, *sorted(set(nv.predecessors))], op=nv.op, code=nv.code,
                             year=cs.date.year, quota=nv.payroll_quota, total=total))
    try:
        minimum = float(rule_set_for(PAYROLL_ROADMAP, cs.date).parameters["min_reduction"])
    except NoRuleSet:
        minimum = None
    reduction = (before - after) / before if before else None
    if minimum is not None and reduction is not None and reduction + 1e-12 < minimum:
        cs.add(V.finding(V.ROADMAP_SHORT, [], reduction=round(reduction * 100, 1), minimum=round(minimum * 100, 1)))
    return {"before": before, "after": after, "reduction": reduction, "minimum": minimum}
