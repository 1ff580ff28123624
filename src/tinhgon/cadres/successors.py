"""Cadres follow their unit through a restructuring (the successor protocol).

Validate: how many cadres hold open assignments in each ending unit (info), and an
error when a dissolved unit (no successor) still holds open assignments and no unit above
it lives on (nowhere for them to wait for placement: the plan must place them first).

Apply: each assignment of an ending unit still open on the effective date ends that
day and a new one opens at the primary successor (the largest share), same title, kind
and primary flag.  After a merge, split or transformation the new one is *pending
placement* (the placement step decides who takes which seat); when the unit only lives
on under a new version (rename, move: the same code, e.g. the communes re-parented when
the district level is dissolved) it stays active and keeps its position.  The cadres'
denormalized ``unit``/``unit_path`` follow when the date has come.  Revert undoes
exactly that.  Assignments that start on or after the date are moved, not split.

Holders of a *dissolved* unit (no successor: a district body whose functions and powers the
plan transfers, its offices, the district itself when the level ends) are not refused: their
assignments end on the effective date and each continues, *pending placement* and without a
position, at the nearest unit above that lives on (the ancestor itself when it does not end,
else its primary successor; for a district body, the province), so the placement step finds
them in that unit's scope.  Only when no unit above lives on (a top-level unit dissolved, or
every unit above it dissolved too) is the plan refused until they are placed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q

from tinhgon.core.bulk import build
from tinhgon.core.dated import valid_on
from tinhgon.core.successors import Ending, Finding

from .models import Assignment, Cadre

CHUNK = 900
CONTINUE_KINDS = ("rename", "move")


def _open_on(date: dt.date) -> Q:
    return Q(valid_to__isnull=True) | Q(valid_to__gt=date)


def _chunks(items: list, n: int = CHUNK):
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _ancestors(path: str) -> list[str]:
    """Codes above the unit of ``path``, nearest first."""
    return list(reversed([c for c in path.split("/") if c][:-1]))


def _holding_unit(e: Ending, by_code: dict[str, Ending], alive: dict[str, int | None]) -> tuple[str, int | None] | None:
    """(code, id) of the nearest unit above dissolved unit ``e`` that lives on: the ancestor itself
    when it does not end, else its primary successor; None when every unit above ends without one."""
    for code in _ancestors(e.path):
        anc = by_code.get(code)
        if anc is None:
            if code in alive:
                return code, alive[code]
            continue
        p = anc.primary()
        if p is not None:
            return p.code, p.unit_id
    return None


def _alive_above(date: dt.date, endings: list[Ending], dissolved: list[Ending]) -> dict[str, int]:
    """Unit id on ``date`` of each code above the dissolved units that does not end (no row: not valid)."""
    from tinhgon.apparatus.models import Unit

    ending_codes = {e.code for e in endings}
    codes = sorted({c for e in dissolved for c in _ancestors(e.path)} - ending_codes)
    out: dict[str, int] = {}
    for part in _chunks(codes):
        out.update(Unit.objects.filter(valid_on(date), code__in=part).values_list("code", "id"))
    return out


class CadreHandler:
    name = "cadres"

    @staticmethod
    def _targets(date: dt.date, endings: list[Ending], ids: set[int] | None = None) -> dict[int, tuple]:
        """Ending unit id -> (code, id, kind) of the unit its holders go to (kind "pending" for the
        unit above a dissolved one), for the units of ``ids`` (all when None); absent: nowhere."""
        by_code = {e.code: e for e in endings}
        out: dict[int, tuple] = {}
        dissolved = []
        for e in endings:
            if ids is not None and e.unit_id not in ids:
                continue
            p = e.primary()
            if p is not None:
                out[e.unit_id] = (p.code, p.unit_id, p.kind)
            else:
                dissolved.append(e)
        if dissolved:
            alive = _alive_above(date, endings, dissolved)
            for e in dissolved:
                up = _holding_unit(e, by_code, alive)
                if up is not None:
                    out[e.unit_id] = (up[0], up[1], "pending")
        return out

    def validate(self, *, date: dt.date, endings: list[Ending]) -> list[Finding]:
        by_unit = {e.unit_id: e for e in endings}
        counts: dict[int, tuple[int, int]] = {}
        for ids in _chunks(list(by_unit)):
            rows = (Assignment.objects.filter(_open_on(date), unit_id__in=ids).values("unit_id")
                    .annotate(n=Count("id"), cadres=Count("cadre_id", distinct=True)).order_by())
            counts.update({r["unit_id"]: (r["n"], r["cadres"]) for r in rows})
        findings = []
        targets = self._targets(date, endings, set(counts))
        for unit_id, (n, cadres) in sorted(counts.items(), key=lambda kv: by_unit[kv[0]].path):
            e = by_unit[unit_id]
            target = targets.get(unit_id)
            if target is None:
                findings.append(Finding(
                    code="assignments_without_successor", units=(e.code,), severity="error",
                    message_vi=f"{e.name} ({e.code}) bị giải thể không có đơn vị kế thừa, không còn đơn vị cấp trên "
                               f"nào tiếp tục, nhưng còn {cadres} cán bộ đang công tác ({n} quá trình công tác "
                               f"chưa kết thúc): cần bố trí trước.",
                    message_en=f"{e.name} ({e.code}) is dissolved without a successor and no unit above it lives "
                               f"on, but {cadres} cadres still hold {n} open assignments there: place them first.",
                    data={"cadres": cadres, "assignments": n}))
                continue
            findings.append(Finding(
                code="cadres_to_move", units=(e.code, target[0]), severity="info",
                message_vi=f"{cadres} cán bộ của {e.name} ({e.code}) "
                           + (f"(giải thể) chờ bố trí tại đơn vị cấp trên {target[0]}." if target[2] == "pending"
                              else f"chuyển sang đơn vị {target[0]}"
                              + ("." if target[2] in CONTINUE_KINDS else ", chờ bố trí.")),
                message_en=f"{cadres} cadres of {e.name} ({e.code}) "
                           + (f"(dissolved) wait for placement at the unit above, {target[0]}."
                              if target[2] == "pending" else f"move to unit {target[0]}"
                              + ("." if target[2] in CONTINUE_KINDS else ", pending placement.")),
                data={"cadres": cadres, "assignments": n, "successor": target[0]}))
        return findings

    def apply(self, *, date: dt.date, endings: list[Ending]) -> dict:
        target: dict[int, tuple[int, bool]] = {
            uid: (t[1], t[2] in CONTINUE_KINDS) for uid, t in self._targets(date, endings).items()
            if t[1] is not None}
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
