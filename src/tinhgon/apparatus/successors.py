"""What the apparatus moves when a unit version ends (the successor protocol).

Positions and payroll quotas of years from the effective date on go to the
primary successor (the largest share); function and power holdings end on the
effective date and continue, from that day, with the successor that takes the
unit's place (same code, or the merge target). Holdings of dissolved units must
be transferred by the plan itself (restructuring reports them as vacant fields).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from tinhgon.core.bulk import chunked_in
from tinhgon.core.dated import valid_on
from tinhgon.core.successors import Ending, Finding

from .models import FunctionHolding, PayrollQuota, Position, PowerHolding


class ApparatusHandler:
    name = "apparatus"

    def validate(self, *, date: dt.date, endings: list[Ending]) -> list[Finding]:
        dissolved = {e.unit_id: e for e in endings if e.dissolved}
        if not dissolved:
            return []
        findings = []
        counts = defaultdict(int)
        for unit_id in chunked_in(Position.objects.values_list("unit_id", flat=True), "unit_id", dissolved):
            counts[unit_id] += 1
        for unit_id, n in counts.items():
            e = dissolved[unit_id]
            findings.append(Finding(
                code="positions_without_successor", units=(e.code,), severity="info",
                message_vi=f"{n} chức danh của {e.name} ({e.code}) sẽ chấm dứt cùng đơn vị.",
                message_en=f"{n} positions of {e.name} ({e.code}) end with the unit.",
                data={"count": n},
            ))
        return findings

    def apply(self, *, date: dt.date, endings: list[Ending]) -> dict:
        moved_positions, moved_quotas, ended_holdings, created_holdings = [], [], [], []
        by_unit = {e.unit_id: e for e in endings}
        target = {uid: (e.primary().unit_id if e.primary() else None) for uid, e in by_unit.items()}
        targets = {t for t in target.values() if t}
        positions = chunked_in(Position.objects.all(), "unit_id", by_unit)
        taken = set(chunked_in(Position.objects.values_list("unit_id", "title"), "unit_id", targets))
        changed_positions = []
        for p in positions:
            t = target.get(p.unit_id)
            if t and (t, p.title) not in taken:  # a title the successor already has stays behind
                moved_positions.append([p.pk, p.unit_id])
                taken.add((t, p.title))
                p.unit_id = t
                changed_positions.append(p)
        Position.objects.bulk_update(changed_positions, ["unit"])
        quotas = chunked_in(PayrollQuota.objects.filter(year__gte=date.year), "unit_id", by_unit)
        qtaken = set(chunked_in(PayrollQuota.objects.values_list("unit_id", "year", "category"), "unit_id", targets))
        changed = []
        for q in quotas:
            t = target.get(q.unit_id)
            if t and (t, q.year, q.category) not in qtaken:
                moved_quotas.append([q.pk, q.unit_id])
                qtaken.add((t, q.year, q.category))
                q.unit_id = t
                changed.append(q)
        PayrollQuota.objects.bulk_update(changed, ["unit"])
        for model, key in ((FunctionHolding, "function_id"), (PowerHolding, "power_id")):
            holdings = chunked_in(model.objects.filter(valid_on(date)), "unit_id", by_unit)
            new = []
            for h in holdings:
                e = by_unit[h.unit_id]
                follow = [s for s in e.successors if s.kind in ("rename", "move", "absorb", "merge", "transform")]
                if not follow or follow[0].unit_id is None:
                    continue
                ended_holdings.append([model.__name__, h.pk, h.valid_to.isoformat() if h.valid_to else None])
                h.valid_to = date
                copy = model(unit_id=follow[0].unit_id, valid_from=date, valid_to=None,
                             **{key: getattr(h, key)},
                             **({"role": h.role, "note": h.note} if model is FunctionHolding else {"legal_basis": h.legal_basis}))
                new.append(copy)
            model.objects.bulk_update([h for h in holdings if h.valid_to == date], ["valid_to"])
            created_holdings += [[model.__name__, c.pk] for c in model.objects.bulk_create(new)]
        return {"positions": moved_positions, "quotas": moved_quotas,
                "ended_holdings": ended_holdings, "created_holdings": created_holdings}

    def revert(self, *, date: dt.date, payload: dict) -> None:
        models = {"FunctionHolding": FunctionHolding, "PowerHolding": PowerHolding}
        for name, pk in payload.get("created_holdings", []):
            models[name].objects.filter(pk=pk).delete()
        for name, pk, prev in payload.get("ended_holdings", []):
            models[name].objects.filter(pk=pk).update(valid_to=dt.date.fromisoformat(prev) if prev else None)
        for pk, unit_id in payload.get("positions", []):
            Position.objects.filter(pk=pk).update(unit_id=unit_id)
        for pk, unit_id in payload.get("quotas", []):
            PayrollQuota.objects.filter(pk=pk).update(unit_id=unit_id)
