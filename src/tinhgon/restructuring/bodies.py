"""Bodies follow their territories: the body operations a plan's territorial operations call for,
the checks on bodies, and the focal points (đầu mối) before and after.

A *body* is a unit of the ``body`` level; its *territory* is the nearest administrative unit
above it; its *kind* is the :class:`~tinhgon.apparatus.models.BodyKind` of its unit kind at
its territory's level (one per territory, or one per field).

- :func:`derive` proposes, from the territorial changes, one operation per body group:
  same-kind bodies of territories merged into one are merged (into the target territory's
  own body, or into a new body named by the kind's pattern); a body
  carried alone into another or renamed territory is renamed by the pattern; bodies of a
  dissolved territory (a dissolved level: the districts) are dissolved and each function and
  power they hold is transferred (by default to the body of the province after the plan that
  leads the same function, else to the province's body of the same kind, else the province;
  :class:`Router` also gives the communes, chosen per field on the review page).
  When the target territory has no body of a kind that several bodies merge into, a new body
  is formed (a merge into a new code, named by the kind's pattern).
- :func:`check` adds the body violations to a change set.
- :func:`focal_points` counts bodies per kind and level, per province and in total.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from tinhgon.apparatus.bodies import (
    BODY_LEVEL,
    MEMBER_ORGANIZATION_KINDS,
    Kind,
    Territory,
    administrative_kinds,
    body_name,
    field_key,
    field_title,
    load_kinds,
    territory_of,
)
from tinhgon.apparatus.models import FunctionHolding, PayrollQuota, PowerHolding
from tinhgon.core.bulk import chunked_in
from tinhgon.core.dated import valid_on
from tinhgon.core.text import fold

from . import engine
from . import violations as V

MERGE_KINDS = ("merge", "absorb", "transform")


@dataclass
class Proposal:
    """One derived body operation, with why it is proposed."""

    kind: str
    data: dict
    reason_vi: str
    reason_en: str
    bodies: list[str] = field(default_factory=list)


@dataclass
class Fate:
    what: str    # "merged" (into another territory), "continues" (same code), "dissolved"
    target: str  # the territory after the plan ("" when none)


@dataclass
class Territorial:
    """The territorial changes of a plan, read from a change set or from an applied plan."""

    date: dt.date
    eve: dict[str, engine.Rec]        # units before the plan
    alive: set[str]                   # codes valid once the plan applies
    fates: dict[str, Fate]            # territory code -> what becomes of it
    after: dict[str, Territory]       # territory code -> its name etc. once the plan applies
    dissolved_levels: set[str] = field(default_factory=set)
    consumed: set[str] = field(default_factory=set)  # codes an operation already handles


@dataclass
class BodyRec:
    code: str
    name: str
    unit_kind: str
    parent_code: str
    path: str
    id: int
    territory: str
    kind: Kind | None
    field: str
    top: bool


def _territory(rec) -> Territory:
    return Territory(rec.code, rec.name, rec.short_name, rec.kind, rec.level)


def _fates(eve, admin, alive, out_edges, dissolved) -> dict[str, Fate]:
    def forward(code: str, depth: int = 0) -> str:
        if depth > 50:
            return ""
        if code in alive:
            return code
        for succ, kind in out_edges.get(code, ()):
            if kind in MERGE_KINDS or kind == "split":
                return forward(succ, depth + 1)
        return ""

    fates: dict[str, Fate] = {}
    for code, rec in eve.items():
        if rec.kind not in admin:
            continue
        gone = code not in alive
        moved = bool(out_edges.get(code))
        if not gone and not moved:
            continue
        if gone and (code in dissolved or not forward(code)):
            up = ""
            for anc in reversed([c for c in rec.path.split("/") if c][:-1]):
                up = forward(anc)
                if up:
                    break
            fates[code] = Fate("dissolved", up)
        elif gone:
            fates[code] = Fate("merged", forward(code))
        else:
            fates[code] = Fate("continues", code)
    return fates


def from_changeset(cs: engine.Changeset) -> Territorial:
    """The territorial changes of a plan not yet applied."""
    snap = cs.snapshot
    admin = administrative_kinds()
    alive = {c for c in snap if c not in cs.ended} | set(cs.new_versions)
    out_edges: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for e in cs.edges:
        out_edges[e.pred].append((e.succ, e.kind))
    fates = _fates(snap, admin, alive, out_edges, cs.dissolved)
    after: dict[str, Territory] = {}
    for code in {f.target for f in fates.values() if f.target} | set(fates):
        nv = cs.new_versions.get(code)
        if nv is not None:
            after[code] = Territory(code, nv.name, nv.short_name, nv.kind, nv.level)
        elif code in snap and code in alive:
            after[code] = _territory(snap[code])
    levels = {snap[c].level for c in cs.level_dissolved if c in snap}
    return Territorial(cs.date, snap, alive, fates, after, levels, set(cs.consumed))


def from_applied(plan) -> Territorial:
    """The territorial changes of an applied plan (for a companion plan effective the same day)."""
    from tinhgon.apparatus.models import Unit

    from .models import Succession

    date = plan.effective_date
    eve = engine.load_snapshot(date - dt.timedelta(days=1))
    now = engine.load_snapshot(date)
    admin = administrative_kinds()
    out_edges: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pred, succ, kind in Succession.objects.filter(plan=plan).values_list(
            "predecessor__code", "successor__code", "kind"):
        out_edges[pred].append((succ, kind))
    app = getattr(plan, "application", None)
    ended_ids = [uid for uid, _prev in (app.ended if app else [])]
    ended_codes = set(chunked_in(Unit.objects.values_list("code", flat=True), "pk", ended_ids))
    alive = set(now)
    dissolved = {c for c in ended_codes if c not in alive and not out_edges.get(c)}
    fates = _fates(eve, admin, alive, out_edges, dissolved)
    after = {code: _territory(now[code]) for code in {f.target for f in fates.values() if f.target} | set(fates)
             if code in now}
    levels = {eve[c].level for c in dissolved if c in eve and eve[c].kind in admin}
    return Territorial(date, eve, alive, fates, after, levels, set())


def _bodies(t: Territorial, kinds: dict[tuple[str, str], Kind]) -> dict[str, BodyRec]:
    eve = t.eve
    admin = administrative_kinds()
    territories = {c for c, r in eve.items() if r.kind in admin}
    out = {}
    for code, r in eve.items():
        if r.level != BODY_LEVEL:
            continue
        terr = territory_of(r.path, territories)
        kind = kinds.get((r.kind, eve[terr].level)) if terr else None
        fkey = field_key(r.name, kind, _territory(eve[terr])) if kind and terr else ""
        out[code] = BodyRec(code, r.name, r.kind, r.parent_code, r.path, r.id, terr, kind, fkey,
                            r.parent_code == terr)
    return out


def _renamed(b: BodyRec, t: Territorial, target: str) -> str:
    """The name of body ``b`` once its territory is ``target`` (its own name when no pattern applies)."""
    old, new = t.eve.get(b.territory), t.after.get(target)
    if new is None:
        return b.name
    if b.kind is not None:
        title = field_title(b.name, b.kind, _territory(old) if old else None) if b.kind.per_field else ""
        return body_name(b.kind.name_pattern, new, title)
    if old is not None and (old.short_name or old.name) in b.name:
        return b.name.replace(old.short_name or old.name, new.short_name or new.name)
    return b.name


def derive(t: Territorial) -> list[Proposal]:
    """The body operations the territorial changes ``t`` call for."""
    bodies, groups, chosen, dest, gone = _layout(t)
    proposals: list[Proposal] = []

    for key, keep in sorted(chosen.items(), key=lambda kv: kv[1].path):
        members = groups[key]
        target = key[0]
        renamed = (keep.territory != target or (
            target in t.after and target in t.eve and t.after[target].name != t.eve[target].name))
        name = _renamed(keep, t, target) if renamed else keep.name
        if len(members) > 1 and dest[keep.code] != keep.code:  # a new body, named by the pattern
            parent = target if keep.top else dest.get(keep.parent_code, keep.parent_code)
            spec = {"code": dest[keep.code], "name": _renamed(keep, t, target), "kind": keep.unit_kind,
                    "level": BODY_LEVEL, "parent_code": parent}
            sources = sorted(m.code for m in members)
            merged = ", ".join(m.name for m in members)
            proposals.append(Proposal(
                "merge", {"sources": sources, "target": spec, "derived": True},
                f"Thành lập {spec['name']} ({spec['code']}) mới trên cơ sở hợp nhất {merged} "
                f"(địa bàn {target} chưa có cơ quan loại này).",
                f"Form a new {spec['name']} ({spec['code']}) by merging {merged} "
                f"(territory {target} has no body of this kind).", sources))
        elif len(members) > 1:
            spec: dict = {"code": keep.code}
            if name != keep.name:
                spec["name"] = name
            if keep.top and keep.territory != target:
                spec["parent_code"] = target
            elif not keep.top and dest.get(keep.parent_code, keep.parent_code) != keep.parent_code:
                spec["parent_code"] = dest[keep.parent_code]
            sources = sorted(m.code for m in members)
            others = ", ".join(m.name for m in members if m.code != keep.code)
            proposals.append(Proposal(
                "merge", {"sources": sources, "target": spec, "derived": True},
                f"Hợp nhất {others} vào {name}.", f"Merge {others} into {name}.", sources))
        elif name != keep.name:
            proposals.append(Proposal(
                "rename", {"code": keep.code, "name": name, "derived": True},
                f"Đổi tên {keep.name} thành {name} (theo địa bàn sau sắp xếp).",
                f"Rename {keep.name} to {name} (after its territory).", [keep.code]))
        elif keep.top and keep.territory != target:
            proposals.append(Proposal(
                "move", {"code": keep.code, "parent_code": target, "derived": True},
                f"Chuyển {keep.name} về {target}.", f"Move {keep.name} to {target}.", [keep.code]))

    # Dissolved territories: their bodies end, their functions and powers go up (or where the user says).
    if gone:
        proposals += _dissolve(t, bodies, gone, dest)
    return proposals


def _layout(t: Territorial):
    """The bodies before the plan, their groups (target territory, kind, field) of those a territorial
    change touches, the body each group keeps, where each grouped body ends up, and the bodies of
    dissolved territories."""
    kinds = load_kinds()
    bodies = _bodies(t, kinds)
    fates = t.fates
    # Groups: bodies whose territory ends in (or continues as) the same territory, by kind and field.
    groups: dict[tuple, list[BodyRec]] = defaultdict(list)
    for b in bodies.values():
        if b.kind is None or b.code not in t.alive or b.code in t.consumed:
            continue
        fate = fates.get(b.territory)
        target = b.territory if fate is None else fate.target
        if fate is not None and fate.what == "dissolved":
            continue
        groups[(target, b.kind.code, b.field)].append(b)
    dest: dict[str, str] = {}
    chosen: dict[tuple, BodyRec] = {}
    fresh: list[tuple] = []
    for key, members in groups.items():
        target = key[0]
        touched = [m for m in members if m.territory in fates]
        if not touched:
            continue
        own = [m for m in members if m.territory == target]
        keep = sorted(own or members, key=lambda m: (m.path.count("/"), m.code))[0]
        chosen[key] = keep
        if not own and len(members) > 1 and target in t.after:
            fresh.append(key)  # the target territory has no body of the kind: a new one is formed
        for m in members:
            dest[m.code] = keep.code
    new_codes = _new_codes(t, [(key, chosen[key]) for key in fresh])
    for key in fresh:
        code = new_codes[key]
        for m in groups[key]:
            dest[m.code] = code

    gone = [b for b in bodies.values() if b.code in t.alive and b.code not in t.consumed
            and fates.get(b.territory) is not None and fates[b.territory].what == "dissolved"]
    return bodies, groups, chosen, dest, gone


def _new_codes(t: Territorial, wanted: list[tuple[tuple, BodyRec]]) -> dict[tuple, str]:
    """A code for each body formed anew in a target territory: the kept body's code with the target
    territory's code in place of its own ("26-SYT" → "25-SYT"), else the target's code before it; a
    number is added while the code is used by any unit version or another new body."""
    from tinhgon.apparatus.models import Unit

    if not wanted:
        return {}
    def base(key, keep):
        prefix = f"{keep.territory}-"
        return f"{key[0]}-{keep.code[len(prefix):]}" if keep.code.startswith(prefix) else f"{key[0]}-{keep.code}"
    bases = {key: base(key, keep) for key, keep in wanted}
    used = set(t.eve) | set(chunked_in(Unit.objects.values_list("code", flat=True), "code", set(bases.values())))
    out = {}
    for key, _keep in sorted(wanted, key=lambda kv: bases[kv[0]]):
        code, n = bases[key], 1
        while code in used:
            n += 1
            code = f"{bases[key]}-{n}"
        used.add(code)
        out[key] = code
    return out


class Router:
    """Where the functions and powers of the bodies of dissolved territories can go once the plan
    applies: to the province (the body that leads the same function or holds the same power there,
    else the province's body of the same kind, else the province) or to the communes the dissolved
    territory's communes become (in each, the body leading the same function or holding the power,
    else the commune's body of the same kind, else the commune)."""

    PROVINCE, COMMUNE = "province", "commune"

    def __init__(self, t: Territorial, bodies: dict[str, BodyRec], gone: list[BodyRec], dest: dict[str, str]):
        self.t, self.bodies, self.dest = t, bodies, dest
        self.gone = {b.code: b for b in gone}
        ids = {b.id for b in gone}
        by_id = {b.id: b for b in bodies.values()}
        day = t.date - dt.timedelta(days=1)
        self.lead: dict[tuple[str, str], str] = {}
        self.hold: dict[tuple[str, str], str] = {}
        self.by_kind: dict[tuple[str, str], str] = {}
        after_territory: dict[int, str] = {}
        for b in bodies.values():
            if b.code in t.alive and b.territory and b.id not in ids:
                fate = t.fates.get(b.territory)
                if fate is None or fate.what != "dissolved":
                    terr = b.territory if fate is None else fate.target
                    after_territory[b.id] = terr
                    if b.top:
                        self.by_kind.setdefault((terr, b.unit_kind), dest.get(b.code, b.code))
        self.functions: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self.powers: dict[int, list[str]] = defaultdict(list)
        fh = FunctionHolding.objects.filter(valid_on(day)).values_list("unit_id", "function__code", "role")
        for uid, fcode, role in chunked_in(fh, "unit_id", list(ids | set(after_territory))):
            if uid in ids:
                self.functions[uid].append((fcode, role))
            elif role == FunctionHolding.LEAD:
                code = by_id[uid].code
                self.lead.setdefault((after_territory[uid], fcode), dest.get(code, code))
        ph = PowerHolding.objects.filter(valid_on(day)).values_list("unit_id", "power__code")
        for uid, pcode in chunked_in(ph, "unit_id", list(ids | set(after_territory))):
            if uid in ids:
                self.powers[uid].append(pcode)
            else:
                code = by_id[uid].code
                self.hold.setdefault((after_territory[uid], pcode), dest.get(code, code))
        self._children: dict[str, list[str]] | None = None

    def top_kind(self, b: BodyRec) -> str:
        cur = b
        while not cur.top and cur.parent_code in self.bodies:
            cur = self.bodies[cur.parent_code]
        return cur.unit_kind

    def _receiver(self, territory: str, b: BodyRec, what: str, item: str) -> str:
        found = (self.lead if what == "function" else self.hold).get((territory, item))
        return found or self.by_kind.get((territory, self.top_kind(b))) or territory

    def province(self, b: BodyRec, what: str, item: str) -> str:
        return self._receiver(self.t.fates[b.territory].target, b, what, item)

    def communes(self, b: BodyRec, what: str, item: str) -> list[str]:
        """One receiver per commune the territory's communes become (none when it has no commune)."""
        if self._children is None:
            admin = administrative_kinds()
            self._children = defaultdict(list)
            for code, r in self.t.eve.items():
                if r.kind in admin:
                    self._children[r.parent_code].append(code)
        after = set()
        for c in self._children.get(b.territory, []):
            fate = self.t.fates.get(c)
            if fate is None:
                if c in self.t.alive:
                    after.add(c)
            elif fate.what != "dissolved" and fate.target:
                after.add(fate.target)
        return sorted({self._receiver(c, b, what, item) for c in after})

    def proposal(self, b: BodyRec, what: str, item: str, to: str, role: str = "", level: str = "") -> Proposal:
        data = {what: item, "from": b.code, "to": to}
        if what == "function":
            data["role"] = role
        data["derived"] = True
        where_vi = {"commune": " (cấp xã)", "province": " (cấp tỉnh)"}.get(level, "")
        where_en = {"commune": " (commune level)", "province": " (province level)"}.get(level, "")
        label_vi = "chức năng" if what == "function" else "thẩm quyền"
        return Proposal(f"transfer_{what}", data, f"Chuyển {label_vi} {item} của {b.name} cho {to}{where_vi}.",
                        f"Transfer the {what} {item} of {b.name} to {to}{where_en}.", [b.code, to])


def router(t: Territorial) -> Router:
    bodies, _groups, _chosen, dest, gone = _layout(t)
    return Router(t, bodies, gone, dest)


def _dissolve(t: Territorial, bodies, gone: list[BodyRec], dest: dict[str, str]) -> list[Proposal]:
    r = Router(t, bodies, gone, dest)
    out: list[Proposal] = []
    for b in sorted(gone, key=lambda b: b.path):
        out.append(Proposal("dissolve", {"code": b.code, "derived": True},
                            f"Giải thể {b.name} (địa bàn {b.territory} không còn).",
                            f"Dissolve {b.name} (its territory {b.territory} ends).", [b.code]))
        for fcode, role in sorted(r.functions.get(b.id, [])):
            out.append(r.proposal(b, "function", fcode, r.province(b, "function", fcode), role))
        for pcode in sorted(r.powers.get(b.id, [])):
            out.append(r.proposal(b, "power", pcode, r.province(b, "power", pcode)))
    return out


# Checks -------------------------------------------------------------------------------


def check(cs: engine.Changeset) -> None:
    """Add the body violations of change set ``cs``."""
    snap = cs.snapshot
    if not any(r.level == BODY_LEVEL for r in snap.values()) and not any(
            nv.level == BODY_LEVEL for nv in cs.new_versions.values()):
        return
    t = from_changeset(cs)
    kinds = load_kinds()
    bodies = _bodies(t, kinds)
    _check_kinds_merged(cs, bodies)
    for b in bodies.values():
        fate = t.fates.get(b.territory)
        if fate is None or b.kind is None or not b.top or b.code in cs.consumed:
            continue
        if fate.what == "dissolved" and snap[b.territory].level in t.dissolved_levels:
            cs.add(V.finding(V.BODY_LEVEL_NOT_DISSOLVED, [b.code, b.territory], code=b.code, name=b.name,
                             territory=b.territory))
        elif fate.what != "continues":
            cs.add(V.finding(V.BODY_UNHANDLED, [b.code, b.territory], code=b.code, name=b.name,
                             territory=b.territory))
    _check_after(cs, t, bodies, kinds)
    _check_transfer_levels(cs, t)
    _check_roadmap(cs, bodies)


def _check_kinds_merged(cs: engine.Changeset, bodies: dict[str, BodyRec]) -> None:
    preds: dict[tuple[str, int | None], list[str]] = defaultdict(list)
    for e in cs.edges:
        if e.kind in MERGE_KINDS and e.pred in bodies:
            preds[(e.succ, e.op)].append(e.pred)
    for (succ, op), codes in preds.items():
        kinds = {bodies[c].unit_kind for c in codes}
        nv = cs.new_versions.get(succ)
        if nv is not None and nv.kind:
            kinds.add(nv.kind)
        if len(kinds) > 1:
            names = ", ".join(f"{bodies[c].name} ({bodies[c].unit_kind})" for c in sorted(codes))
            cs.add(V.finding(V.BODY_KINDS_DIFFER, sorted(codes), op=op, code=succ, bodies=names))


def _check_after(cs: engine.Changeset, t: Territorial, bodies: dict[str, BodyRec], kinds) -> None:
    """Duplicates, names of ended territories and names in use, once the plan applies."""
    snap = cs.snapshot
    admin = administrative_kinds()
    territories_after = {c for c in t.alive if (cs.new_versions[c].kind if c in cs.new_versions
                                                 else snap[c].kind) in admin}
    alive_bodies = [c for c in t.alive if (cs.new_versions[c].level if c in cs.new_versions
                                          else snap[c].level) == BODY_LEVEL]
    groups: dict[tuple, list[str]] = defaultdict(list)
    names: dict[str, list[str]] = defaultdict(list)
    for code in alive_bodies:
        nv = cs.new_versions.get(code)
        path = cs.paths_after.get(code) or (snap[code].path if code in snap else "")
        terr = territory_of(path, territories_after)
        if not terr:
            continue
        level = cs.new_versions[terr].level if terr in cs.new_versions else snap[terr].level
        ukind = nv.kind if nv is not None else snap[code].kind
        name = nv.name if nv is not None else snap[code].name
        names[fold(name)].append(code)
        kind = kinds.get((ukind, level))
        b = bodies.get(code)
        if kind is not None:
            if b is not None and b.kind is not None and name == b.name:
                fkey = b.field if kind.per_field else ""
            else:
                tinfo = t.after.get(terr) or (_territory(snap[terr]) if terr in snap else None)
                fkey = field_key(name, kind, tinfo)
            groups[(terr, kind.code, fkey)].append(code)
        if b is not None and b.territory and b.territory in t.fates:
            old = snap[b.territory]
            new = t.after.get(terr)
            old_name = fold(old.short_name or old.name)
            if old_name and old_name in fold(name) and (new is None or old_name not in fold(new.name)):
                cs.add(V.finding(V.BODY_NAMED_FOR_ENDED, [code, b.territory], code=code, name=name,
                                 territory=old.name))
    for (terr, _kind, _f), codes in groups.items():
        if len(codes) > 1 and any(c in cs.new_versions for c in codes):
            listed = ", ".join(sorted(codes))
            cs.add(V.finding(V.BODY_DUPLICATE, sorted(codes), code=terr, bodies=listed))
    for code, nv in cs.new_versions.items():
        if nv.level != BODY_LEVEL or nv.cascade:
            continue
        clash = [c for c in names.get(fold(nv.name), []) if c != code]
        if clash:
            cs.add(V.finding(V.BODY_NAME_IN_USE, [code, *clash], op=nv.op, code=code, name=nv.name,
                             other=clash[0]))


def _check_transfer_levels(cs: engine.Changeset, t: Territorial) -> None:
    """A function, power or body sent to a unit of a level the plan dissolves."""
    snap = cs.snapshot
    gone_levels = t.dissolved_levels
    if not gone_levels:
        return
    admin = administrative_kinds()
    for tr in cs.transfers:
        level = dissolved_level_of(cs, tr.target, admin)
        if level:
            cs.add(V.finding(V.BODY_LEVEL_GONE, [tr.source, tr.target], op=tr.op, code=tr.source,
                             target=tr.target, level=level, date=cs.date))
    for code, nv in cs.new_versions.items():
        if nv.level == BODY_LEVEL and not nv.cascade and nv.parent_code in cs.level_dissolved:
            rec = snap[nv.parent_code]
            cs.add(V.finding(V.BODY_LEVEL_GONE, [code, nv.parent_code], op=nv.op, code=code,
                             target=nv.parent_code, level=rec.level, date=cs.date))


def dissolved_level_of(cs: engine.Changeset, code: str, admin: set[str] | None = None) -> str | None:
    """The level the plan dissolves that unit ``code`` belongs to: its own, or for a body its
    territory's (None when its level lives on)."""
    snap = cs.snapshot
    rec = snap.get(code)
    if rec is None:
        return None
    admin = administrative_kinds() if admin is None else admin
    for seg in reversed([c for c in rec.path.split("/") if c]):
        r = snap.get(seg)
        if r is not None and r.kind in admin:
            return r.level if seg in cs.level_dissolved else None
    return None


def _check_roadmap(cs: engine.Changeset, bodies: dict[str, BodyRec]) -> None:
    """The ≥ 5 % payroll roadmap checked on each body formed by a merge (quotas summed)."""
    from tinhgon.apparatus.rulesets import PAYROLL_ROADMAP
    from tinhgon.core.rulesets import rule_set_for

    merged: dict[str, set[str]] = defaultdict(set)
    for e in cs.edges:
        if e.kind in MERGE_KINDS and e.pred in bodies:
            merged[e.succ].add(e.pred)
    merged = {k: v for k, v in merged.items() if len(v) > 1}
    if not merged:
        return
    rs = rule_set_for(PAYROLL_ROADMAP, cs.date)
    by, ty, minimum = rs.parameters["baseline_year"], rs.parameters["target_year"], float(rs.parameters["min_reduction"])
    codes = sorted({c for v in merged.values() for c in v})
    sums: dict[tuple[str, int], int] = defaultdict(int)
    rows = PayrollQuota.objects.filter(category=PayrollQuota.CIVIL_SERVANT, year__in=[by, ty]).values_list(
        "unit__code", "year", "quota")
    for code, year, quota in chunked_in(rows, "unit__code", codes):
        sums[(code, year)] += quota
    for succ, preds in sorted(merged.items()):
        base = sum(sums[(c, by)] for c in preds)
        target = sum(sums[(c, ty)] for c in preds)
        if not base or not any((c, ty) in sums for c in preds):
            continue
        reduction = (base - target) / base
        if reduction + 1e-12 < minimum:
            cs.add(V.finding(V.BODY_ROADMAP_SHORT, [succ, *sorted(preds)], code=succ, base=base, target=target,
                             by=by, ty=ty, reduction=round(reduction * 100, 1), minimum=round(minimum * 100, 1)))


# Transfers of functions and powers, applied ------------------------------------------------


def apply_transfers(cs: engine.Changeset, new_ids: dict[str, int]) -> dict:
    """End each transferred holding on the effective date and give the receiving unit the same
    (unless it already holds it). Returns what :func:`revert_transfers` needs."""
    date = cs.date
    ended, created = [], []
    for what, model, key in (("function", FunctionHolding, "function"), ("power", PowerHolding, "power")):
        wanted: dict[tuple[int, str], list[int]] = defaultdict(list)  # (source id, item) -> receiving unit ids
        for tr in cs.transfers:
            if tr.what != what or tr.source not in cs.snapshot:
                continue
            target = new_ids.get(tr.target) or (cs.snapshot[tr.target].id if tr.target in cs.snapshot else None)
            if target is not None and target not in wanted[(cs.snapshot[tr.source].id, tr.item)]:
                wanted[(cs.snapshot[tr.source].id, tr.item)].append(target)
        if not wanted:
            continue
        sources = {uid for uid, _item in wanted}
        rows = [h for h in chunked_in(model.objects.filter(valid_on(date)).select_related(key, "unit"), "unit_id",
                                      sources)
                if (h.unit_id, getattr(h, key).code) in wanted]
        targets = {u for receivers in wanted.values() for u in receivers}
        held = {(uid, item, role) for uid, item, role in chunked_in(
            model.objects.filter(valid_on(date)).values_list(
                "unit_id", f"{key}_id", "role" if model is FunctionHolding else "unit_id"), "unit_id", targets)}
        new = []
        for h in rows:
            ended.append([model.__name__, h.pk, h.valid_to.isoformat() if h.valid_to else None])
            h.valid_to = date
            for target in wanted[(h.unit_id, getattr(h, key).code)]:  # the communes: each receives it
                role = h.role if model is FunctionHolding else target
                ident = (target, getattr(h, f"{key}_id"), role)
                if ident in held:
                    continue
                held.add(ident)
                extra = ({"role": h.role, "note": h.note} if model is FunctionHolding
                         else {"legal_basis": h.legal_basis})
                new.append(model(unit_id=target, valid_from=date, valid_to=None,
                                 **{f"{key}_id": getattr(h, f"{key}_id")}, **extra))
        end_holdings(model, [h.pk for h in rows], date)
        created += [[model.__name__, c.pk] for c in model.objects.bulk_create(new, batch_size=500)]
    return {"ended": ended, "created": created}


def end_holdings(model, pks: list[int], date: dt.date) -> None:
    """End holdings on ``date``: one tracked UPDATE per chunk (the change log reads them once)."""
    related = ("unit", "function") if model is FunctionHolding else ("unit", "power")
    for i in range(0, len(pks), 900):
        model.objects.filter(pk__in=pks[i : i + 900]).select_related(*related).update(valid_to=date)


def revert_transfers(payload: dict | None) -> None:
    if not payload:
        return
    models = {"FunctionHolding": FunctionHolding, "PowerHolding": PowerHolding}
    for name, pk in payload.get("created", []):
        models[name].objects.filter(pk=pk).delete()
    for name, pk, prev in payload.get("ended", []):
        models[name].objects.filter(pk=pk).update(valid_to=dt.date.fromisoformat(prev) if prev else None)


# Focal points ---------------------------------------------------------------------------


@dataclass
class FocalPoints:
    """Bodies (đầu mối) on the eve of and on the effective date: per kind and level, per province, in total."""

    kinds: list[dict]       # {"level", "kind", "before", "after", "change"}
    provinces: list[dict]   # {"code", "name", "before", "after", "change"}
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before


def _bodies_on(day: dt.date, scope: str, user) -> list[tuple[str, str, str]]:
    """(province code, level code of the territory, kind label) of each body valid on ``day``."""
    from tinhgon.apparatus.models import Level, Unit, UnitKind
    from tinhgon.core.scoping import restrict

    admin = administrative_kinds()
    units = Unit.objects.filter(valid_on(day))
    if scope:
        units = units.filter(path__startswith=scope)
    territories = dict(units.filter(kind__code__in=admin).values_list("code", "level__code").iterator(chunk_size=5000))
    kinds = load_kinds()
    kind_names = dict(UnitKind.objects.values_list("code", "name"))
    level_names = dict(Level.objects.values_list("code", "name"))
    out = []
    bodies = units.filter(level__code=BODY_LEVEL).exclude(kind__code__in=MEMBER_ORGANIZATION_KINDS)
    for path, ukind in restrict(bodies, user).values_list("path", "kind__code"):
        terr = territory_of(path, territories)
        level = territories.get(terr, "")
        k = kinds.get((ukind, level))
        label = k.name if k is not None else f"{kind_names.get(ukind, ukind)} ({level_names.get(level, level) or '—'})"
        out.append((path.split("/", 1)[0], level, label))
    return out


def focal_points(plan, *, user) -> FocalPoints:
    from tinhgon.apparatus.models import Level, Unit

    d = plan.effective_date
    eve = d - dt.timedelta(days=1)
    scope = plan.scope_path or ""
    before, after = _bodies_on(eve, scope, user), _bodies_on(d, scope, user)
    rank = dict(Level.objects.values_list("code", "rank"))
    level_names = dict(Level.objects.values_list("code", "name"))
    by_kind: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    by_province: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for side, rows in ((0, before), (1, after)):
        for province, level, label in rows:
            by_kind[(level, label)][side] += 1
            by_province[province][side] += 1
    names: dict[str, str] = {}
    for code, name, _vf in Unit.objects.filter(code__in=list(by_province), level__code="province").order_by(
            "valid_from").values_list("code", "name", "valid_from"):
        names[code] = name  # the latest version's name
    kinds = [{"level": level_names.get(lv, lv or "—"), "kind": label, "before": b, "after": a, "change": a - b}
             for (lv, label), (b, a) in sorted(by_kind.items(), key=lambda kv: (rank.get(kv[0][0], 99), kv[0][1]))]
    provinces = [{"code": code, "name": names.get(code, code), "before": b, "after": a, "change": a - b}
                 for code, (b, a) in sorted(by_province.items())]
    return FocalPoints(kinds, provinces, len(before), len(after))
