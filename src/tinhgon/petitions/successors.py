"""Petitions follow their handling unit through a restructuring (the successor protocol).

Validate: how many open matters each ending unit handles (info), and an error when a unit
dissolved without a successor still handles open matters.  Apply: open matters (received,
accepted, verifying) move to the primary successor with their deadlines unchanged; the
place stays the unit where the matter arose (the report reaches it through the lineage).
Revert undoes exactly that.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from tinhgon.core.successors import Ending, Finding

from .models import Petition

CHUNK = 900


def _chunks(items: list, n: int = CHUNK):
    for i in range(0, len(items), n):
        yield items[i: i + n]


class PetitionHandler:
    name = "petitions"

    def validate(self, *, date: dt.date, endings: list[Ending]) -> list[Finding]:
        by_unit = {e.unit_id: e for e in endings}
        counts: dict[int, int] = {}
        for ids in _chunks(list(by_unit)):
            rows = (Petition.objects.filter(handling_unit_id__in=ids, status__in=Petition.OPEN)
                    .values("handling_unit_id").annotate(n=Count("id")).order_by())
            counts.update({r["handling_unit_id"]: r["n"] for r in rows})
        findings = []
        for unit_id, n in sorted(counts.items(), key=lambda kv: by_unit[kv[0]].path):
            e = by_unit[unit_id]
            target = e.primary()
            if target is None:
                findings.append(Finding(
                    code="petitions_without_successor", units=(e.code,), severity="error",
                    message_vi=f"{e.name} ({e.code}) bị giải thể không có đơn vị kế thừa nhưng còn {n} đơn thư "
                               f"đang giải quyết: cần chuyển trước.",
                    message_en=f"{e.name} ({e.code}) is dissolved without a successor but still handles {n} open "
                               f"petitions: move them first.",
                    data={"petitions": n}))
                continue
            findings.append(Finding(
                code="petitions_to_move", units=(e.code, target.code), severity="info",
                message_vi=f"{n} đơn thư đang giải quyết của {e.name} ({e.code}) chuyển sang đơn vị {target.code}, "
                           f"giữ nguyên thời hạn.",
                message_en=f"{n} open petitions of {e.name} ({e.code}) move to unit {target.code} with their "
                           f"deadlines unchanged.",
                data={"petitions": n, "successor": target.code}))
        return findings

    def apply(self, *, date: dt.date, endings: list[Ending]) -> dict:
        from tinhgon.apparatus.models import Unit

        target: dict[int, int] = {}
        for e in endings:
            p = e.primary()
            if p is not None and p.unit_id is not None:
                target[e.unit_id] = p.unit_id
        paths = dict(Unit.objects.filter(pk__in=set(target.values())).values_list("id", "path"))
        moved: list[list] = []
        for ids in _chunks(list(target)):
            rows = list(Petition.objects.filter(handling_unit_id__in=ids, status__in=Petition.OPEN)
                        .values_list("id", "handling_unit_id", "handling_path"))
            moved.extend([list(r) for r in rows])
            by_target: dict[int, list[int]] = {}
            for pk, unit_id, _p in rows:
                by_target.setdefault(target[unit_id], []).append(pk)
            for new_unit, pks in by_target.items():
                for part in _chunks(pks):
                    Petition.objects.filter(pk__in=part).update(handling_unit_id=new_unit,
                                                                handling_path=paths[new_unit])
        return {"moved": moved}

    def revert(self, *, date: dt.date, payload: dict) -> None:
        for pk, unit_id, path in payload.get("moved", []):
            Petition.objects.filter(pk=pk).update(handling_unit_id=unit_id, handling_path=path)
