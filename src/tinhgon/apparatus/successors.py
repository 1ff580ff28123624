"""What the apparatus moves when a unit version ends (the successor protocol).

Positions and payroll quotas of years from the effective date on go to the
primary successor (the largest share) and *combine* there: a title the successor
already has gets the seats of the ending unit added (the user then trims them), a
quota of a year and category it already has gets the ending unit's quota added (unless the plan set that quota itself);
titles and quotas it lacks move to it. The positions of the ending version stay
with it as history (with the seats they had), so assignments that ended there keep
their position. Function and power holdings end on the effective date and continue,
from that day, with the successor that takes the unit's place (same code, or the
merge target) unless that successor already holds the same one. Holdings of
dissolved units must be transferred by the plan itself (restructuring reports them
as vacant fields and applies the transfers).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import F

from tinhgon.core.bulk import chunked_in
from tinhgon.core.dated import valid_on
from tinhgon.core.successors import Ending, Finding

from .models import FunctionHolding, PayrollQuota, Position, PowerHolding, Unit


def _holders(rows, unit_ids) -> list[int]:
    """Those of ``unit_ids`` that have rows in ``rows``: one read of the distinct unit ids, so that
    the rows themselves are read by chunks of the few units that hold any (not of every ending unit)."""
    have = set(rows.order_by().values_list("unit_id", flat=True).distinct())
    return [u for u in unit_ids if u in have]


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
        moved_positions, moved_quotas, ended_holdings, created_holdings, moved_holdings = [], [], [], [], []
        added_seats, added_quotas = [], []
        by_unit = {e.unit_id: e for e in endings}
        target = {uid: (e.primary().unit_id if e.primary() else None) for uid, e in by_unit.items()}
        targets = {t for t in target.values() if t}
        moving = [uid for uid, t in target.items() if t]  # dissolved units keep their rows (history)
        successor = Unit.objects.in_bulk(targets)  # the change log names each row moved by its new unit
        # The successor's own line first (same code: its rows move), then the units merged into it.
        first = {uid for uid, e in by_unit.items() if e.primary() is not None and e.primary().code == e.code}
        positions = sorted(chunked_in(Position.objects.select_related("unit"), "unit_id",
                                      _holders(Position.objects.all(), moving)),
                           key=lambda p: (p.unit_id not in first, p.unit_id, p.pk))
        have = {(p.unit_id, p.title): p for p in chunked_in(Position.objects.select_related("unit"), "unit_id",
                                                             _holders(Position.objects.all(), targets))}
        moved, grown = [], {}
        for p in positions:
            t = target.get(p.unit_id)
            if not t:
                continue
            kept = have.get((t, p.title))
            if kept is None:  # a title the successor lacks: the position moves
                moved_positions.append([p.pk, p.unit_id])
                p.unit = successor[t]
                have[(t, p.title)] = p
                moved.append(p)
            else:  # seats summed per title
                kept.count += p.count
                grown[kept.pk] = kept
                added_seats.append([kept.pk, p.count])
        moved_ids = {m.pk for m in moved}
        Position.objects.bulk_update(moved, ["unit", "count"])
        Position.objects.bulk_update([p for p in grown.values() if p.pk not in moved_ids], ["count"])
        later = PayrollQuota.objects.filter(year__gte=date.year)
        quotas = sorted(chunked_in(later.select_related("unit"), "unit_id", _holders(later, moving)),
                        key=lambda q: (q.unit_id not in first, q.unit_id, q.pk))
        qhave = {(q.unit_id, q.year, q.category): q
                 for q in chunked_in(later.select_related("unit"), "unit_id", _holders(later, targets))}
        planned = {q.pk for q in qhave.values()}
        qmoved, qgrown = [], {}
        for q in quotas:
            t = target.get(q.unit_id)
            if not t:
                continue
            kept = qhave.get((t, q.year, q.category))
            if kept is not None and kept.pk in planned:
                continue  # the plan set the successor's quota of that year: it stands, this row stays behind
            if kept is None:
                moved_quotas.append([q.pk, q.unit_id])
                q.unit = successor[t]
                qhave[(t, q.year, q.category)] = q
                qmoved.append(q)
            else:  # quotas of the year combine; the ending unit's row stays as history
                kept.quota += q.quota
                qgrown[kept.pk] = kept
                added_quotas.append([kept.pk, q.quota])
        qmoved_ids = {q.pk for q in qmoved}
        PayrollQuota.objects.bulk_update(qmoved, ["unit", "quota"])
        PayrollQuota.objects.bulk_update([q for q in qgrown.values() if q.pk not in qmoved_ids], ["quota"])
        for model, key in ((FunctionHolding, "function_id"), (PowerHolding, "power_id")):
            current = model.objects.filter(valid_on(date))
            holdings = chunked_in(current.select_related("unit", key.removesuffix("_id")), "unit_id",
                                  _holders(current, moving))
            new, seen = [], set()
            for h in holdings:
                e = by_unit[h.unit_id]
                follow = [s for s in e.successors if s.kind in ("rename", "move", "absorb", "merge", "transform")]
                if not follow or follow[0].unit_id is None:
                    continue
                extra = {"role": h.role, "note": h.note} if model is FunctionHolding else {"legal_basis": h.legal_basis}
                ident = (follow[0].unit_id, getattr(h, key), extra.get("role"))
                if h.valid_from >= date:  # starts with the new apparatus (a same-day plan): moves whole
                    if ident in seen:
                        model.objects.filter(pk=h.pk).delete()
                    else:
                        seen.add(ident)
                        moved_holdings.append([model.__name__, h.pk, h.unit_id])
                        model.objects.filter(pk=h.pk).update(unit_id=follow[0].unit_id)
                    continue
                ended_holdings.append([model.__name__, h.pk, h.valid_to.isoformat() if h.valid_to else None])
                h.valid_to = date
                if ident in seen:  # the successor holds it already (two merged bodies held the same)
                    continue
                seen.add(ident)
                new.append(model(unit_id=follow[0].unit_id, valid_from=date, valid_to=None,
                                 **{key: getattr(h, key)}, **extra))
            ending = [h.pk for h in holdings if h.valid_to == date and h.valid_from < date]
            for i in range(0, len(ending), 900):  # one tracked UPDATE per chunk
                model.objects.filter(pk__in=ending[i : i + 900]).select_related("unit", key.removesuffix("_id")) \
                    .update(valid_to=date)
            created_holdings += [[model.__name__, c.pk] for c in model.objects.bulk_create(new)]
        return {"positions": moved_positions, "quotas": moved_quotas, "added_seats": added_seats,
                "added_quotas": added_quotas, "ended_holdings": ended_holdings, "created_holdings": created_holdings,
                "moved_holdings": moved_holdings}

    def revert(self, *, date: dt.date, payload: dict) -> None:
        models = {"FunctionHolding": FunctionHolding, "PowerHolding": PowerHolding}
        for name, pk in payload.get("created_holdings", []):
            models[name].objects.filter(pk=pk).delete()
        for name, pk, unit_id in payload.get("moved_holdings", []):
            models[name].objects.filter(pk=pk).update(unit_id=unit_id)
        for name, pk, prev in payload.get("ended_holdings", []):
            models[name].objects.filter(pk=pk).update(valid_to=dt.date.fromisoformat(prev) if prev else None)
        for pk, n in reversed(payload.get("added_seats", [])):
            Position.objects.filter(pk=pk).update(count=F("count") - n)
        for pk, n in reversed(payload.get("added_quotas", [])):
            PayrollQuota.objects.filter(pk=pk).update(quota=F("quota") - n)
        for pk, unit_id in payload.get("positions", []):
            Position.objects.filter(pk=pk).update(unit_id=unit_id)
        for pk, unit_id in payload.get("quotas", []):
            PayrollQuota.objects.filter(pk=pk).update(unit_id=unit_id)
