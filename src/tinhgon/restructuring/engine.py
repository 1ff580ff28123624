"""From a plan's operations to a change set: which versions end, which start,
the succession edges, and every violation found on the way.

The computation reads the registry as of the effective date once and works in
memory; validation and apply use the same change set, so what validates is
what applies.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from tinhgon.apparatus.models import PATH_SEP, FunctionHolding, Level, PowerHolding, Unit, UnitKind
from tinhgon.core.bulk import chunked_in
from tinhgon.core.dated import valid_on
from tinhgon.core.successors import Finding

from . import violations as V

SHARE_TOLERANCE = 1e-6
UNIT_FIELDS = ("name", "short_name", "kind", "level", "parent_code", "area_km2", "population",
               "latitude", "longitude", "note")


@dataclass(frozen=True)
class Rec:
    """A unit version valid on the effective date."""

    id: int
    code: str
    name: str
    short_name: str
    kind: str
    level: str
    parent_code: str
    path: str
    valid_to: dt.date | None
    area_km2: float | None
    population: int | None
    latitude: float | None
    longitude: float | None
    source: str
    note: str


@dataclass
class NewVersion:
    code: str
    name: str
    kind: str
    parent_code: str = ""
    level: str = ""
    short_name: str = ""
    area_km2: float | None = None
    population: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    note: str = ""
    source: str = ""
    op: int | None = None
    formed: bool = False  # a newly formed unit (create/merge/split target), checked against standards
    standard_exemption: str = ""  # why the unit need not meet the standard (decision, legal basis)
    payroll_quota: int | None = None  # the quota planned for the new unit in the effective year
    cascade: bool = False  # a new version only because an ancestor moved
    predecessors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Edge:
    pred: str
    succ: str
    kind: str
    share: float | None = None
    op: int | None = None


@dataclass(frozen=True)
class Transfer:
    what: str  # "function" | "power"
    item: str
    source: str
    target: str
    op: int


@dataclass
class Changeset:
    date: dt.date
    snapshot: dict[str, Rec]
    ended: set[str] = field(default_factory=set)  # codes whose line ends (no same-code continuation)
    new_versions: dict[str, NewVersion] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    dissolved: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    paths_after: dict[str, str | None] = field(default_factory=dict)  # code -> path once the plan applies
    scope_path: str = ""  # the plan's declared scope ("" = national)
    consumed: set[str] = field(default_factory=set)  # codes an operation reads and ends or replaces
    level_dissolved: set[str] = field(default_factory=set)  # codes ended with a dissolved level

    def touched_paths(self) -> dict[str, set[str]]:
        """Every unit the plan touches, by code, with its paths before and after.

        The units an operation reads, ends, moves, renames or creates, the new parent
        included, and the sources and targets of transfers: what a scope must contain.
        """
        out: dict[str, set[str]] = defaultdict(set)
        snap = self.snapshot
        for code in self.ended:
            out[code].add(snap[code].path)
        for code, nv in self.new_versions.items():
            if code in snap:
                out[code].add(snap[code].path)
            after = self.paths_after.get(code)
            if after:
                out[code].add(after)
            parent = nv.parent_code
            if parent:
                p_after = self.paths_after.get(parent) or (snap[parent].path if parent in snap else None)
                if p_after:
                    out[parent].add(p_after)
        for e in self.edges:
            for code in (e.pred, e.succ):
                if code in snap:
                    out[code].add(snap[code].path)
        for t in self.transfers:
            for code in (t.source, t.target):
                if code in snap:
                    out[code].add(snap[code].path)
                if self.paths_after.get(code):
                    out[code].add(self.paths_after[code])
        return out

    @property
    def versions_to_end(self) -> list[Rec]:
        codes = self.ended | {c for c in self.new_versions if c in self.snapshot}
        return [self.snapshot[c] for c in sorted(codes)]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)


def load_snapshot(date: dt.date) -> dict[str, Rec]:
    rows = Unit.objects.filter(valid_on(date)).values_list(
        "id", "code", "name", "short_name", "kind__code", "level__code", "parent_code", "path", "valid_to",
        "area_km2", "population", "latitude", "longitude", "source", "note",
    )
    return {r[1]: Rec(*r) for r in rows.iterator(chunk_size=5000)}


def _spec(data: dict[str, Any], base: Rec | None = None, **extra) -> NewVersion:
    if data.get("standard_exemption"):
        extra["standard_exemption"] = str(data["standard_exemption"])
    if data.get("payroll_quota") not in (None, ""):
        try:
            extra["payroll_quota"] = max(0, int(data["payroll_quota"]))
        except (TypeError, ValueError):
            extra["payroll_quota"] = None
    if base is not None:
        values = {f: getattr(base, f) for f in UNIT_FIELDS}
        values.update({k: v for k, v in data.items() if k in UNIT_FIELDS and v not in (None, "")})
        if data.get("kind") and data["kind"] != base.kind and not data.get("level"):
            values["level"] = ""  # derive from the new kind (see _check_kinds)
        return NewVersion(code=base.code, source=base.source, **values, **extra)
    values = {f: data.get(f) for f in UNIT_FIELDS if data.get(f) is not None}
    values.setdefault("name", "")
    values.setdefault("kind", "")
    return NewVersion(code=str(data.get("code") or ""), **values, **extra)


class _Builder:
    def __init__(self, date: dt.date, snapshot: dict[str, Rec], scope_path: str = ""):
        self.cs = Changeset(date=date, snapshot=snapshot, scope_path=scope_path or "")
        self.consumers: dict[str, list[int]] = defaultdict(list)
        self.carry: dict[str, str] = {}          # merged code -> target code (children follow)
        self.level_dissolved: dict[str, str] = {}  # code -> level code its children go to
        self.split_sources: set[str] = set()

    # helpers ------------------------------------------------------------------------
    def need(self, code: str, seq: int) -> Rec | None:
        rec = self.cs.snapshot.get(code)
        if rec is None:
            self.cs.add(V.finding(V.UNIT_NOT_VALID, [code], op=seq, code=code, date=self.cs.date))
        return rec

    def consume(self, code: str, seq: int) -> Rec | None:
        rec = self.need(code, seq)
        if rec is not None:
            self.consumers[code].append(seq)
        return rec

    def new(self, nv: NewVersion, seq: int) -> None:
        if not nv.code:
            self.cs.add(V.finding(V.BAD_OPERATION, [], op=seq, detail="code"))
            return
        if nv.code in self.cs.new_versions:
            self.cs.add(V.finding(V.NEW_CODE_TWICE, [nv.code], op=seq, code=nv.code))
            return
        self.cs.new_versions[nv.code] = nv

    # operations ---------------------------------------------------------------------
    def op_create(self, seq: int, d: dict) -> None:
        nv = _spec(d.get("unit", d), op=seq, formed=True)
        self.new(nv, seq)

    def op_rename(self, seq: int, d: dict) -> None:
        rec = self.consume(d.get("code", ""), seq)
        if rec is None:
            return
        self.new(_spec({k: d[k] for k in ("name", "short_name", "kind", "level", "note") if k in d}, rec, op=seq), seq)
        self.cs.edges.append(Edge(rec.code, rec.code, "rename", None, seq))

    def op_move(self, seq: int, d: dict) -> None:
        rec = self.consume(d.get("code", ""), seq)
        if rec is None:
            return
        if not d.get("parent_code"):
            self.cs.add(V.finding(V.BAD_OPERATION, [rec.code], op=seq, detail="parent_code"))
            return
        self.new(_spec({"parent_code": d["parent_code"]}, rec, op=seq), seq)
        self.cs.edges.append(Edge(rec.code, rec.code, "move", None, seq))

    def op_merge(self, seq: int, d: dict) -> None:
        sources = [str(s) for s in d.get("sources", [])]
        target = d.get("target") or {}
        tcode = str(target.get("code") or "")
        if not sources or not tcode:
            self.cs.add(V.finding(V.BAD_OPERATION, sources, op=seq, detail="sources/target"))
            return
        recs = [self.consume(s, seq) for s in sources]
        if tcode in sources:
            base = self.cs.snapshot.get(tcode)
            if base is None:
                return
            nv = _spec(target, base, op=seq, formed=len(sources) > 1)
        else:
            nv = _spec(target, op=seq, formed=True)
            if not nv.parent_code and recs and recs[0] is not None:
                nv.parent_code = recs[0].parent_code
        nv.predecessors = sources
        self.new(nv, seq)
        for s, rec in zip(sources, recs, strict=True):
            if rec is None:
                continue
            self.carry[s] = tcode
            kind = "absorb" if s == tcode else ("transform" if len(sources) == 1 else "merge")
            self.cs.edges.append(Edge(s, tcode, kind, None, seq))

    def op_split(self, seq: int, d: dict) -> None:
        rec = self.consume(str(d.get("source", "")), seq)
        targets = d.get("targets") or []
        if rec is None:
            return
        if len(targets) < 2:
            self.cs.add(V.finding(V.BAD_OPERATION, [rec.code], op=seq, detail="targets"))
            return
        shares = []
        for t in targets:
            try:
                share = float(t.get("share"))
            except (TypeError, ValueError):
                share = float("nan")
            shares.append(share)
        if any(not (0 < s <= 1) for s in shares) or abs(sum(shares) - 1) > SHARE_TOLERANCE:
            self.cs.add(V.finding(V.SPLIT_SHARES, [rec.code], op=seq, code=rec.code,
                                  total=round(sum(s for s in shares if s == s), 6)))
        self.split_sources.add(rec.code)
        for t, share in zip(targets, shares, strict=True):
            tcode = str(t.get("code") or "")
            if t.get("name"):
                existing = self.cs.new_versions.get(tcode)
                if existing is None:
                    nv = _spec(t, op=seq, formed=True)
                    if not nv.parent_code:
                        nv.parent_code = rec.parent_code
                    nv.predecessors.append(rec.code)
                    self.new(nv, seq)
                else:
                    existing.predecessors.append(rec.code)
            self.cs.edges.append(Edge(rec.code, tcode, "split", share, seq))

    def op_dissolve(self, seq: int, d: dict) -> None:
        rec = self.consume(d.get("code", ""), seq)
        if rec is not None:
            self.cs.dissolved.add(rec.code)

    def op_transfer(self, seq: int, d: dict, what: str) -> None:
        self.cs.transfers.append(Transfer(what, str(d.get(what, "")), str(d.get("from", "")), str(d.get("to", "")), seq))

    def op_dissolve_level(self, seq: int, d: dict) -> None:
        level, to_level = d.get("level", ""), d.get("children_to", "")
        levels = dict(Level.objects.values_list("code", "rank"))
        if level not in levels or to_level not in levels or levels[to_level] >= levels[level]:
            self.cs.add(V.finding(V.BAD_OPERATION, [], op=seq, detail="level/children_to"))
            return
        scope = self.cs.scope_path
        for code, rec in self.cs.snapshot.items():
            if scope and not rec.path.startswith(scope):
                continue  # a scoped plan dissolves the level inside its scope only
            if rec.level == level and code not in self.consumers:
                self.consumers[code].append(seq)
                self.level_dissolved[code] = to_level
                self.cs.dissolved.add(code)

    # resolution ---------------------------------------------------------------------
    def forward(self, code: str, _depth: int = 0) -> str | None:
        """Where the children of ``code`` go after the plan (None: nowhere decided)."""
        if _depth > 50:
            return None
        if code in self.cs.new_versions or (code in self.cs.snapshot and code not in self.consumers):
            return code
        if code in self.carry:
            return self.forward(self.carry[code], _depth + 1)
        return None

    def rehome(self, parent: str) -> str | None:
        """The new parent of whatever sat below ``parent`` (None: nowhere decided)."""
        if parent in self.level_dissolved:
            want = self.level_dissolved[parent]
            rec = self.cs.snapshot[parent]
            for anc in reversed([c for c in rec.path.split(PATH_SEP) if c][:-1]):
                arec = self.cs.snapshot.get(anc)
                if arec is not None and arec.level == want:
                    return self.forward(anc)
            return None
        return self.forward(parent)

    def finish(self) -> Changeset:
        cs, snap = self.cs, self.cs.snapshot
        cs.consumed = {c for c in self.consumers if c not in self.level_dissolved}
        cs.level_dissolved = set(self.level_dissolved)
        explicit = {c: seqs for c, seqs in self.consumers.items() if c not in self.level_dissolved}
        for code, seqs in explicit.items():
            if len(seqs) > 1:
                cs.add(V.finding(V.CONSUMED_TWICE, [code], op=seqs[1], code=code, ops=", ".join(f"#{s}" for s in seqs)))
        for code in self.consumers:
            if code not in cs.new_versions:
                cs.ended.add(code)
        for code, nv in cs.new_versions.items():
            if code in snap and code not in self.consumers:
                cs.add(V.finding(V.CODE_IN_USE, [code], op=nv.op, code=code))

        # Parents of new versions that end: follow merges; otherwise a violation.
        for nv in cs.new_versions.values():
            p = nv.parent_code
            if not p:
                continue
            if p in snap or p in cs.new_versions:
                fwd = self.rehome(p)
                if fwd is None:
                    cs.add(V.finding(V.PARENT_ENDS, [nv.code, p], op=nv.op, code=nv.code, parent=p))
                else:
                    nv.parent_code = fwd
            else:
                cs.add(V.finding(V.UNKNOWN_PARENT, [nv.code, p], op=nv.op, code=nv.code, parent=p))

        # Children of ending units that no operation took along.
        new_parent: dict[str, str] = {}
        for code, rec in snap.items():
            if code in self.consumers or not rec.parent_code or rec.parent_code not in cs.ended:
                continue
            p = rec.parent_code
            target = self.rehome(p)
            if target is None:
                cs.add(V.finding(V.NOT_CONSUMED, [code, p], op=None, code=code, parent=p))
            else:
                new_parent[code] = target

        # Split targets must exist after the plan.
        for e in cs.edges:
            if e.kind == "split" and e.succ not in cs.new_versions and (e.succ not in snap or e.succ in cs.ended):
                cs.add(V.finding(V.UNKNOWN_TARGET, [e.pred, e.succ], op=e.op, code=e.succ))

        for e in cs.edges:
            nv = cs.new_versions.get(e.succ)
            if e.kind == "split" and nv is not None and e.pred not in nv.predecessors:
                nv.predecessors.append(e.pred)
                nv.formed = True

        self._paths_and_cascades(new_parent)
        self._vacant_fields()
        self._scope()
        return cs

    def _scope(self) -> None:
        """Every unit the plan touches must lie inside the plan's declared scope."""
        cs = self.cs
        if not cs.scope_path:
            return
        for code, paths in sorted(cs.touched_paths().items()):
            outside = sorted(p for p in paths if not p.startswith(cs.scope_path))
            if outside:
                cs.add(V.finding(V.OUT_OF_SCOPE, [code], op=None, code=code, path=outside[0],
                                 scope=cs.scope_path))

    def _paths_and_cascades(self, new_parent: dict[str, str]) -> None:
        cs, snap = self.cs, self.cs.snapshot
        alive = {c for c in snap if c not in cs.ended} | set(cs.new_versions)

        def parent_after(code: str) -> str:
            if code in cs.new_versions:
                return cs.new_versions[code].parent_code
            return new_parent.get(code, snap[code].parent_code)

        paths: dict[str, str | None] = {}
        cyclic: set[str] = set()

        def path_of(code: str) -> str | None:
            if code in paths:
                return paths[code]
            chain, cur = [], code
            while cur and cur not in paths:
                if cur in chain:
                    cyclic.update(chain[chain.index(cur):])
                    for c in chain:
                        paths[c] = None
                    return None
                chain.append(cur)
                cur = parent_after(cur) if cur in alive else ""
            base = paths.get(cur, "") if cur else ""
            for c in reversed(chain):
                if base is None:
                    paths[c] = None
                    continue
                base = f"{base}{c}{PATH_SEP}"
                paths[c] = base
            return paths[code]

        for code in alive:
            path_of(code)
        cs.paths_after = dict(paths)
        if cyclic:
            cs.add(V.finding(V.CYCLE, sorted(cyclic), op=None, codes=", ".join(sorted(cyclic))))
        for code in alive:
            if code in cs.new_versions or code not in snap:
                continue
            p = paths.get(code)
            if p is not None and p != snap[code].path:
                rec = snap[code]
                cs.new_versions[code] = replace(_spec({}, rec), parent_code=parent_after(code), cascade=True)
                cs.edges.append(Edge(code, code, "move", None, None))

    def _vacant_fields(self) -> None:
        """Functions and powers of units that end without a same-code or merge successor."""
        cs = self.cs
        gone = {c for c in cs.ended if c not in self.carry}
        if not gone:
            return
        ids = {cs.snapshot[c].id: c for c in gone}
        transfers = {(t.what, t.item, t.source) for t in cs.transfers}
        for what, model, field_name in (("function", FunctionHolding, "function__code"),
                                         ("power", PowerHolding, "power__code")):
            held = chunked_in(model.objects.filter(valid_on(cs.date)).values_list("unit_id", field_name), "unit_id", ids)
            for unit_id, item in held:
                code = ids[unit_id]
                if (what, item, code) not in transfers:
                    cs.add(V.finding(V.VACANT_FIELD, [code], op=None, code=code, what=what, item=item))
        for t in cs.transfers:
            if t.source not in cs.snapshot:
                cs.add(V.finding(V.UNIT_NOT_VALID, [t.source], op=t.op, code=t.source, date=cs.date))
            alive_target = t.target in cs.new_versions or (t.target in cs.snapshot and t.target not in cs.ended)
            if not alive_target:
                cs.add(V.finding(V.UNKNOWN_TARGET, [t.source, t.target], op=t.op, code=t.target))


def compute(date: dt.date, operations: list[tuple[int, str, dict]], snapshot: dict[str, Rec] | None = None,
            *, scope_path: str = "") -> Changeset:
    """The change set of ``operations`` (``(seq, kind, data)``) on ``date``.

    ``scope_path`` is the plan's declared scope: a level is dissolved inside it only, and
    every unit the operations touch outside it is a violation.
    """
    b = _Builder(date, snapshot if snapshot is not None else load_snapshot(date), scope_path)
    deferred = []
    for seq, kind, data in sorted(operations, key=lambda o: o[0]):
        if kind == "dissolve_level":
            deferred.append((seq, data))
            continue
        handler = {
            "create": b.op_create, "rename": b.op_rename, "move": b.op_move, "merge": b.op_merge,
            "split": b.op_split, "dissolve": b.op_dissolve,
        }.get(kind)
        if handler is not None:
            handler(seq, data or {})
        elif kind in ("transfer_function", "transfer_power"):
            b.op_transfer(seq, data or {}, kind.removeprefix("transfer_"))
        else:
            b.cs.add(V.finding(V.BAD_OPERATION, [], op=seq, detail=f"kind {kind!r}"))
    for seq, data in deferred:
        b.op_dissolve_level(seq, data or {})
    cs = b.finish()
    _check_kinds(cs)
    return cs


def _check_kinds(cs: Changeset) -> None:
    """Kinds and levels of the new versions, as the registry will check them."""
    kinds = dict(UnitKind.objects.values_list("code", "level__code"))
    levels = set(Level.objects.values_list("code", flat=True))
    for nv in cs.new_versions.values():
        if nv.kind not in kinds:
            cs.add(V.finding(V.BAD_OPERATION, [nv.code], op=nv.op, detail=f"kind {nv.kind!r}"))
            continue
        if not nv.name.strip():
            cs.add(V.finding(V.BAD_OPERATION, [nv.code], op=nv.op, detail="name"))
        fixed = kinds[nv.kind]
        if fixed:
            if nv.level and nv.level != fixed:
                if nv.code in cs.snapshot and nv.level == cs.snapshot[nv.code].level:
                    nv.level = fixed  # the kind changed: the level follows it
                else:
                    cs.add(V.finding(V.BAD_OPERATION, [nv.code], op=nv.op, detail=f"level {nv.level!r}"))
        elif not nv.level:
            base = cs.snapshot.get(nv.code)
            if base is not None:
                nv.level = base.level
            else:
                cs.add(V.finding(V.BAD_OPERATION, [nv.code], op=nv.op, detail="level"))
        elif nv.level not in levels:
            cs.add(V.finding(V.BAD_OPERATION, [nv.code], op=nv.op, detail=f"level {nv.level!r}"))
