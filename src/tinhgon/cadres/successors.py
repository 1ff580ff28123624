"""Cadres follow their unit through a restructuring (the successor protocol).

Validate: how many cadres hold open assignments in each ending unit (info), and an
error when a dissolved unit (no successor) still holds open assignments.

Apply: each assignment of an ending unit still open on the effective date ends that
day and a new one opens at the primary successor (the largest share), same title, kind
and primary flag.  After a merge, split or transformation the new one is *pending
placement* (the placement step decides who takes which seat); when the unit only lives
on under a new version (rename, move: the same code, e.g. the communes re-parented when
the district level is dissolved) it stays active and keeps its position.  The cadres'
denormalized ``unit``/``unit_path`` follow when the date has come.  Revert undoes
exactly that.  Assignments that start on or after the date are moved, not split.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q

from tinhgon.core.bulk import build
from tinhgon.core.successors import Ending, Finding

from .models import Assignment, Cadre

CHUNK = 900
CONTINUE_KINDS = ("rename", "move")


def _open_on(date: dt.date) -> Q:
    return Q(valid_to__isnull=True) | Q(valid_to__gt=date)


def _chunks(items: list, n: int = CHUNK):
    for i in range(0, len(items), n):
        yield items[i : i + n]


class CadreHandler:
    name = "cadres"

    def validate(self, *, date: dt.date, endings: list[Ending]) -> list[Finding]:
        by_unit = {e.unit_id: e for e in endings}
        counts: dict[int, tuple[int, int]] = {}
        for ids in _chunks(list(by_unit)):
            rows = (Assignment.objects.filter(_open_on(date), unit_id__in=ids).values("unit_id")
                    .annotate(n=Count("id"), cadres=Count("cadre_id", distinct=True)).order_by())
            counts.update({r["unit_id"]: (r["n"], r["cadres"]) for r in rows})
        findings = []
        for unit_id, (n, cadres) in sorted(counts.items(), key=lambda kv: by_unit[kv[0]].path):
            e = by_unit[unit_id]
            target = e.primary()
            if target is None:
                findings.append(Finding(
                    code="assignments_without_successor", units=(e.code,), severity="error",
                    message_vi=f"{e.name} ({e.code}) bị giải thể không có đơn vị kế thừa nhưng còn {cadres} cán bộ "
                               f"đang công tác ({n} quá trình công tác chưa kết thúc): cần bố trí trước.",
                    message_en=f"{e.name} ({e.code}) is dissolved without a successor but {cadres} cadres still "
                               f"hold {n} open assignments there: place them first.",
                    data={"cadres": cadres, "assignments": n}))
                continue
            findings.append(Finding(
                code="cadres_to_move", units=(e.code, target.code), severity="info",
                message_vi=f"{cadres} cán bộ của {e.name} ({e.code}) chuyển sang đơn vị {target.code}"
                           + ("." if target.kind in CONTINUE_KINDS else ", chờ bố trí."),
                message_en=f"{cadres} cadres of {e.name} ({e.code}) move to unit {target.code}"
                           + ("." if target.kind in CONTINUE_KINDS else ", pending placement."),
                data={"cadres": cadres, "assignments": n, "successor": target.code}))
        return findings

    def apply(self, *, date: dt.date, endings: list[Ending]) -> dict:
        target: dict[int, tuple[int, bool]] = {}
        for e in endings:
            p = e.primary()
            if p is not None and p.unit_id is not None:
                target[e.unit_id] = (p.unit_id, p.kind in CONTINUE_KINDS)
        ended: dict[str, list[int]] = defaultdict(list)   # previous valid_to → ids ended on ``date``
        moved: list[list] = []                              # [id, unit, status, position] of those moved whole
        new: list[Assignment] = []
        for ids in _chunks(list(target)):
            rows = list(Assignment.objects.filter(_open_on(date), unit_id__in=ids).order_by("id"))
            to_end = [a for a in rows if a.valid_from < date]
            for a in to_end:
                unit_id, same = target[a.unit_id]
                ended[a.valid_to.isoformat() if a.valid_to else ""].append(a.pk)
                new.append(build(
                    Assignment, cadre_id=a.cadre_id, unit_id=unit_id, position_id=a.position_id if same else None,
                    title=a.title, kind=a.kind, is_primary=a.is_primary,
                    status=a.status if same else Assignment.PENDING, valid_from=date, valid_to=a.valid_to,
                    decision_number=a.decision_number if same else "", decision_date=a.decision_date if same else None,
                    decision_issuer=a.decision_issuer if same else "", planned_return=a.planned_return,
                    count_override_reason=""))
            for part in _chunks([a.pk for a in to_end]):
                Assignment.objects.filter(pk__in=part).update(valid_to=date)
            for a in rows:
                if a.valid_from >= date:  # starts with or after the new apparatus: move it whole
                    unit_id, same = target[a.unit_id]
                    moved.append([a.pk, a.unit_id, a.status, a.position_id])
                    a.unit_id = unit_id
                    if not same:
                        a.status, a.position_id = Assignment.PENDING, None
                    a.save(update_fields=["unit", "status", "position"])
        created = [a.pk for a in Assignment.objects.bulk_create(new)] if new else []
        followers = {a.cadre_id for a in new if a.is_primary}
        followers.update(Assignment.objects.filter(pk__in=[m[0] for m in moved], is_primary=True)
                         .values_list("cadre_id", flat=True) if moved else [])
        return {"ended": dict(ended), "created": created, "moved": moved,
                "cadres": self._refresh(date, target, sorted(followers))}

    @staticmethod
    def _refresh(date: dt.date, target: dict[int, tuple[int, bool]], cadre_ids: list[int]) -> list[list]:
        """Point the cadres whose primary assignment moved at the successors (when the date has come)."""
        if date > dt.date.today():
            return []  # still true today; cadre_refresh_current picks it up once an assignment changes
        from tinhgon.apparatus.models import Unit

        paths = dict(Unit.objects.filter(pk__in={t for t, _s in target.values()}).values_list("id", "path"))
        restore: dict[tuple[int, str], list[int]] = defaultdict(list)
        by_target: dict[int, list[int]] = defaultdict(list)
        for ids in _chunks(cadre_ids):
            rows = Cadre.objects.filter(pk__in=ids, unit_id__in=list(target)).values_list("id", "unit_id", "unit_path")
            for pk, unit_id, path in rows:
                restore[(unit_id, path)].append(pk)
                by_target[target[unit_id][0]].append(pk)
        for unit_id, pks in by_target.items():
            for part in _chunks(pks):
                Cadre.objects.filter(pk__in=part).update(unit_id=unit_id, unit_path=paths[unit_id])
        return [[unit_id, path, pks] for (unit_id, path), pks in restore.items()]

    def revert(self, *, date: dt.date, payload: dict) -> None:
        for part in _chunks(payload.get("created", [])):
            Assignment.objects.filter(pk__in=part).delete()
        for prev, pks in payload.get("ended", {}).items():
            for part in _chunks(pks):
                Assignment.objects.filter(pk__in=part).update(valid_to=dt.date.fromisoformat(prev) if prev else None)
        for pk, unit_id, status, position_id in payload.get("moved", []):
            Assignment.objects.filter(pk=pk).update(unit_id=unit_id, status=status, position_id=position_id)
        for unit_id, path, pks in payload.get("cadres", []):
            for part in _chunks(pks):
                Cadre.objects.filter(pk__in=part).update(unit_id=unit_id, unit_path=path)
