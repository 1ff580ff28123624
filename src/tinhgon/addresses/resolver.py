"""An address as people write it → the unit(s) it names → what they are on a date.

:func:`parse` finds the commune, district and province at the end of the text, right to
left, each level inside the one after it, with or without commas, accents or type words
(``P.15``, ``Q.Tân Bình``, ``TP.HCM``); what precedes them is the street part, kept as
written.  A name not found as written may be a small spelling mistake: it is corrected
(rapidfuzz) and the correction reported.

:func:`resolve` then follows the registry's succession graph — every applied plan, both
ways — to the units valid on the asked date: forward from an old unit to what it became
(a divided commune: every successor, the one the data marks as default first), backward
from a new unit to what it came from.
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from .index import Entry, Index
from .text import (
    CANONICAL_TYPE,
    STREET_ACCENTS,
    STREET_WORDS,
    TRAILING_JUNK,
    TYPE_ACCENTS,
    TYPES,
    Token,
    is_short,
    tokenize,
)

MAX_LENGTH = 500
# Spelling correction runs only when the text read as written finds no commune (a second pass).
fuzzy_on: ContextVar[bool] = ContextVar("addresses_fuzzy", default=False)
FUZZY_CUTOFF = 85
EXACT, DIVIDED, MERGED, AMBIGUOUS, CORRECTED, NOT_FOUND = (
    "exact", "divided", "merged", "ambiguous", "corrected", "not_found")
STATUSES = (EXACT, DIVIDED, MERGED, AMBIGUOUS, CORRECTED, NOT_FOUND)


@dataclass
class Span:
    level: str
    start: int          # first token, type word included
    end: int            # past the last token
    entries: list[Entry]
    typed: bool
    aligned: bool
    written: str
    corrected: str = ""  # the name read instead of what was written (spelling correction)
    after_street: bool = False  # right after "đường", "phố", "ngõ"… without a type word of its own


@dataclass
class Parse:
    spans: dict[str, Span]
    street: str
    score: tuple = ()

    @property
    def specific(self) -> Span | None:
        for lv in ("commune", "district", "province"):
            if lv in self.spans:
                return self.spans[lv]
        return None


@dataclass
class AddressResult:
    query: str
    as_of: dt.date
    status: str
    reason: str = ""
    street: str = ""
    understood: dict = field(default_factory=dict)     # level → {"written", "unit", "corrected"}
    corrections: list[dict] = field(default_factory=list)
    matched: list[dict] = field(default_factory=list)  # the unit(s) the text names
    candidates: list[dict] = field(default_factory=list)  # what they are on ``as_of``, first = the answer

    @property
    def first(self) -> dict | None:
        return self.candidates[0] if self.candidates else None

    @property
    def new_address(self) -> str:
        return self.candidates[0]["address"] if self.candidates else ""

    def as_dict(self) -> dict:
        return {"query": self.query, "as_of": self.as_of, "status": self.status, "reason": self.reason,
                "street": self.street, "understood": self.understood, "corrections": self.corrections,
                "matched": self.matched, "candidates": self.candidates, "new_address": self.new_address}


# Parsing -----------------------------------------------------------------------------------


def _text_of(text: str, toks: list[Token], a: int, b: int) -> str:
    return text[toks[a].start: toks[b - 1].end] if b > a else ""


def _type_before(toks: list[Token], s: int, level: str) -> int:
    if toks[s].hard:
        return 0
    types = TYPES[level]
    for tl in (2, 1):
        if tl == 1 and s >= 2 and not toks[s - 1].hard and (toks[s - 2].f, toks[s - 1].f) in TWO_WORD_TYPES:
            return 0  # the "xã" of "Thị xã" is no commune's type word
        if s - tl >= 0 and tuple(t.f for t in toks[s - tl: s]) in types \
                and not any(toks[j].hard for j in range(s - tl + 1, s)) \
                and all(not t.accented or t.a in TYPE_ACCENTS for t in toks[s - tl: s]):
            return tl
    return 0


TWO_WORD_TYPES = {t for types in TYPES.values() for t in types if len(t) == 2}


def _spans(idx: Index, text: str, toks: list[Token], level: str, end: int, allowed, prefer=None) -> list[Span]:
    names = idx.names[level]
    accents = any(t.accented for t in toks)
    out = []
    n = len(toks)
    end_aligned = end == n or toks[end].hard
    for k in range(1, min(idx.max_tokens[level], end) + 1):
        s = end - k
        if k > 1 and toks[s + 1].hard:
            break
        key = " ".join(t.f for t in toks[s:end])
        ents = names.get(key)
        if not ents:
            continue
        ents = [e for e in ents if allowed(e)]
        if not ents:
            continue
        if prefer is not None and len(ents) > 1:
            direct = [e for e in ents if prefer(e)]
            if direct:
                ents = direct
        if accents:  # the writer uses accents: "Nga Thanh" is not "Nga Thành"
            akey = " ".join(t.a for t in toks[s:end])
            same = [e for e in ents if e.akey == akey]
            if same:
                ents = same
        tl = _type_before(toks, s, level)
        if not tl and any((ot := _type_before(toks, s, other)) and toks[s - ot].hard
                          for other in TYPES if other != level):
            continue  # "Phường Tuy Hòa, …" names a ward, not the district of that name
        if tl and len(ents) > 1:
            written = " ".join(t.f for t in toks[s - tl: s])
            same = [e for e in ents if e.type == CANONICAL_TYPE.get(written, written)]
            if same:
                ents = same
        start = s - tl
        aligned = toks[start].hard
        if not tl and is_short(key) and not (aligned and end_aligned):
            continue
        # "phố Huế", "đường Láng": more likely a street named after a place (weak, not excluded)
        after_street = not tl and s > 0 and toks[s - 1].f in STREET_WORDS and not toks[s].hard \
            and (not toks[s - 1].accented or toks[s - 1].a in STREET_ACCENTS)
        out.append(Span(level, start, end, ents, bool(tl), aligned, _text_of(text, toks, start, end),
                        after_street=after_street))
    return out


def _fuzzy(idx: Index, text: str, toks: list[Token], level: str, end: int, allowed, choices) -> list[Span]:
    """A name at ``end`` read with one small spelling mistake (a full segment, or after a type word);
    ``choices`` gives the names it may be, when asked (a spelling correction is the last resort)."""
    if not fuzzy_on.get():
        return []
    best = None
    for k in range(1, min(idx.max_tokens[level], end, 5) + 1):
        s = end - k
        if k > 1 and toks[s + 1].hard:
            break
        tl = _type_before(toks, s, level)
        if not tl and not toks[s].hard:
            continue
        key = " ".join(t.f for t in toks[s:end])
        if len(key) < 4 or any(tuple(key.split()) in types for types in TYPES.values()):
            continue
        if not callable(choices) and not choices:
            return []
        if callable(choices):
            choices = choices()
        hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if hit and (best is None or hit[1] > best[0][1]):
            best = (hit, s, tl)
    if best is None:
        return []
    (name, _score, _i), s, tl = best
    ents = [e for e in idx.names[level][name] if allowed(e)]
    if not ents:
        return []
    start = s - tl
    return [Span(level, start, end, ents, bool(tl), toks[start].hard, _text_of(text, toks, start, end),
                 corrected=ents[0].name)]


def _starts_with_type(toks: list[Token], end: int) -> bool:
    """Whether the last comma segment before ``end`` begins with a commune or district type word."""
    start = max((i for i in range(end) if toks[i].hard), default=0)
    for level in ("commune", "district"):
        for tl in (2, 1):
            seg = toks[start: start + tl]
            if start + tl < end and tuple(t.f for t in seg) in TYPES[level] and len(seg[0].f) > 1 \
                    and all(not t.accented or t.a in TYPE_ACCENTS for t in seg):
                return True
    return False


def _ends_with_name(idx: Index, toks: list[Token], end: int, inside) -> bool:
    """Whether the last comma segment before ``end`` is, whole, the name of a commune or district that
    ``inside`` allows ("Phúc Xá Ba Đình, Hà Nội" read as Ba Đình would leave "Phúc Xá")."""
    start = max((i for i in range(end) if toks[i].hard), default=0)
    key = " ".join(t.f for t in toks[start:end])
    if end - start > 4 or is_short(key):
        return False
    return any(inside(e) for level in ("commune", "district") for e in idx.names[level].get(key, ()))


def _junk_end(toks: list[Token]) -> int:
    end = len(toks)
    while end:
        if toks[end - 1].f.isdigit() and len(toks[end - 1].f) >= 5:  # a postal code
            end -= 1
            continue
        for junk in TRAILING_JUNK:
            k = len(junk)
            if end >= k and tuple(t.f for t in toks[end - k: end]) == junk:
                end -= k
                break
        else:
            return end
    return end


def parse(idx: Index, text: str) -> list[Parse]:
    """The best readings of ``text`` (several when they score the same), best first."""
    toks = tokenize((text or "")[:MAX_LENGTH])
    if not toks:
        return []
    end0 = _junk_end(toks)
    commas = any(t.hard for t in toks[1:])
    found: list[Parse] = []

    def add(spans: dict[str, Span], inside):
        if not spans:
            return
        first = min(sp.start for sp in spans.values())
        street = text[: toks[first].start].strip(" ,;.-–\t\n") if first else ""
        vals = spans.values()
        # With commas in the text, a district or province neither after a type word nor starting a
        # segment is weak ("Xã Nam Hà Lâm Hà, Lâm Đồng" is one ward, not Nam Hà in the district of
        # Lâm Hà); so is a name right after "đường", "phố"…  A commune may follow the street
        # without a comma ("Số 1 Tràng Tiền, Hoàn Kiếm").
        weak = sum(1 for sp in vals if (commas and not sp.typed and not sp.aligned and sp.level != "commune")
                   or sp.after_street)
        # A reading that leaves "Phường …"/"Quận …", or a commune's or district's name of the
        # province, at the end of the street part has missed a unit.
        left = int(bool(first) and (_starts_with_type(toks, first) or _ends_with_name(idx, toks, first, inside)))
        score = (len(spans) - weak - left, -weak, -left, -sum(bool(sp.corrected) for sp in vals),
                 sum(sp.typed for sp in vals), sum(sp.aligned for sp in vals), sum(sp.end - sp.start for sp in vals))
        found.append(Parse(dict(spans), street, score))

    prov_spans = _spans(idx, text, toks, "province", end0, lambda e: True)
    if not prov_spans:
        prov_spans = _fuzzy(idx, text, toks, "province", end0, lambda e: True, lambda: list(idx.names["province"]))
    for P in prov_spans + [None]:
        pend = P.start if P else end0
        pcodes, pdirect = set(), set()
        if P:
            for e in P.entries:
                pdirect.add(e.code)
                pcodes |= idx.related_provinces.get(e.code, {e.code})
        in_p = (lambda e, pc=pcodes: e.codes[0] in pc) if P else (lambda e: True)
        direct = (lambda e, pd=pdirect: e.codes[0] in pd) if P else None
        dist_spans = _spans(idx, text, toks, "district", pend, in_p, direct) if pend else []
        if P and not dist_spans and pend:
            dist_spans = _fuzzy(idx, text, toks, "district", pend, in_p, lambda pc=pcodes: idx.keys_under("district", pc))
        for D in dist_spans + [None]:
            dend = D.start if D else pend
            if D:
                dcodes = {e.code for e in D.entries}

                def in_d(e, dcodes=dcodes, in_p=in_p):
                    return len(e.codes) >= 2 and e.codes[-2] in dcodes and in_p(e)
            else:
                in_d = in_p
            comm = _spans(idx, text, toks, "commune", dend, in_d, direct) if dend else []
            if not comm and dend and (D or P):
                parents = {e.code for e in D.entries} if D else pcodes
                comm = _fuzzy(idx, text, toks, "commune", dend, in_d, lambda p=parents: idx.keys_under("commune", p))
            for C in comm + [None]:
                spans = {lv: sp for lv, sp in (("province", P), ("district", D), ("commune", C)) if sp}
                add(spans, in_p)
    if not found:
        return []
    found.sort(key=lambda p: p.score, reverse=True)
    best = found[0].score
    return [p for p in found if p.score == best]


# Lineage -----------------------------------------------------------------------------------


def _forward(idx: Index, e: Entry, day: dt.date, share: float | None, depth: int, out: list):
    if depth > 50:
        return
    if e.valid_on(day):
        out.append((e, share))
        return
    if e.valid_from > day:
        return
    edges = idx.out_edges.get(e.id)
    if edges:
        for sid, s in edges:
            _forward(idx, idx.entries[sid], day, None if share is None else share * (s if s is not None else 1.0),
                     depth + 1, out)
        return
    nxt = next((v for v in idx.by_code.get(e.code, ()) if v.valid_from == e.valid_to), None)
    if nxt is not None:
        _forward(idx, nxt, day, share, depth + 1, out)
        return
    if e.valid_to is not None and depth < 4:  # dissolved with its level: what the units below became
        last = e.valid_to - dt.timedelta(days=1)
        for child in sorted(idx.children.get(e.code, ()), key=lambda c: c.code):
            if child.valid_on(last) and e.code in child.codes:
                _forward(idx, child, day, None, depth + 1, out)


def _backward(idx: Index, e: Entry, day: dt.date, depth: int, out: list):
    if depth > 50:
        return
    if e.valid_on(day):
        out.append((e, None))
        return
    if e.valid_to is not None and e.valid_to <= day:
        return
    edges = idx.in_edges.get(e.id)
    if edges:
        for pid, _s in edges:
            _backward(idx, idx.entries[pid], day, depth + 1, out)
        return
    prev = next((v for v in idx.by_code.get(e.code, ()) if v.valid_to == e.valid_from), None)
    if prev is not None:
        _backward(idx, prev, day, depth + 1, out)


def units_on(idx: Index, e: Entry, day: dt.date) -> list[tuple[Entry, float | None]]:
    """What ``e`` is on ``day``: itself, its successors (with shares) or its predecessors."""
    memo = idx.__dict__.setdefault("_memo", {})
    k = (e.id, day)
    if k in memo:
        return memo[k]
    out: list = []
    if e.valid_on(day):
        out = [(e, 1.0)]
    elif e.valid_to is not None and e.valid_to <= day:
        _forward(idx, e, day, 1.0, 0, out)
    else:
        _backward(idx, e, day, 0, out)
    merged: dict[int, list] = {}
    for u, s in out:
        if u.id in merged:
            prev = merged[u.id][1]
            merged[u.id][1] = None if prev is None or s is None else prev + s
        else:
            merged[u.id] = [u, s]
    res = [(u, None if s is None else round(s, 6)) for u, s in merged.values()]
    if len(memo) < 200_000:
        memo[k] = res
    return res


def _path_names(idx: Index, e: Entry, day: dt.date) -> list[str]:
    names = []
    for code in e.codes[:-1]:
        v = idx.version_on(code, day) or (idx.by_code.get(code) or [None])[-1]
        if v is not None:
            names.append(v.name)
    return names


def _unit(idx: Index, e: Entry, day: dt.date | None = None) -> dict:
    return {"id": e.id, "code": e.code, "name": e.name, "level": e.level, "valid_from": e.valid_from,
            "valid_to": e.valid_to, "path_names": _path_names(idx, e, day or e.valid_from)}


def _address(idx: Index, street: str, e: Entry, day: dt.date) -> str:
    parts = [street] if street else []
    parts.append(e.name)
    parts.extend(reversed(_path_names(idx, e, day)))
    return ", ".join(parts)


# Resolution --------------------------------------------------------------------------------


def _by_code(idx: Index, code: str, day: dt.date) -> list[Entry]:
    versions = idx.by_code.get(code) or []
    if not versions:
        return []
    on = [v for v in versions if v.valid_on(day)]
    if on:
        return on
    before = [v for v in versions if v.valid_from <= day]
    return [before[-1] if before else versions[0]]


def resolve(idx: Index, text: str, *, as_of: dt.date, reverse: bool = False) -> AddressResult:
    """``text`` to the unit(s) valid on ``as_of`` — or, with ``reverse``, to what the unit it
    names came from (the units valid on the day before it began)."""
    query = (text or "").strip()
    res = AddressResult(query=query, as_of=as_of, status=NOT_FOUND)
    if not query:
        res.reason = _("The address is empty.")
        return res
    compact = query.replace(" ", "")
    parses: list[Parse] = []
    if compact.isdigit() and compact in idx.by_code:
        entries = _by_code(idx, compact, as_of)
        level = entries[0].level
        by_level = {level: entries}
    else:
        parses = parse(idx, query)
        if not parses or "commune" not in parses[0].spans:
            token = fuzzy_on.set(True)
            try:
                corrected = parse(idx, query)
            finally:
                fuzzy_on.reset(token)
            if corrected and (not parses or len(corrected[0].spans) > len(parses[0].spans)):
                parses = corrected
        if not parses:
            res.reason = _("No province, district or commune was recognized in this text.")
            return res
        best = parses[0]
        res.street = best.street
        for lv in ("commune", "district", "province"):
            sp = best.spans.get(lv)
            if sp is None:
                continue
            ents = sp.entries
            res.understood[lv] = {"written": sp.written, "corrected": sp.corrected,
                                  "unit": ents[0].name if len({e.name for e in ents}) == 1 else ""}
            if sp.corrected:
                res.corrections.append({"level": lv, "written": sp.written, "read_as": sp.corrected})
        # Every equally good reading counts: their most specific units.
        spec = best.specific
        level = spec.level
        entries, seen = [], set()
        for p in parses:
            sp = p.specific
            if sp is None or sp.level != level:
                continue
            for e in sp.entries:
                if e.id not in seen:
                    seen.add(e.id)
                    entries.append(e)
        by_level = {level: entries}
        missing = _missing_part(idx, best)
        if missing:
            res.reason = missing
            return res
    entries = by_level[level]
    if len(entries) > 1 and level == "commune" and not (parses and "district" in parses[0].spans):
        # A two-level address (no district) names the unit of the day asked rather than an old namesake.
        current = [e for e in entries if e.valid_on(as_of)]
        if current:
            entries = current
    if reverse:
        groups = _group(idx, entries, lambda e: e.valid_from - dt.timedelta(days=1))
    else:
        groups = _group(idx, entries, lambda e: as_of)
    res.matched = [_unit(idx, e) for g in groups for e in g[0][:1]]
    if len(groups) > 1:
        res.status = AMBIGUOUS
        res.reason = _("The text fits %(n)s units: each is listed.") % {"n": len(groups)}
    for g_entries, targets, day in groups:
        for i, (u, share) in enumerate(targets):
            res.candidates.append({
                "id": u.id, "code": u.code, "name": u.name, "level": u.level,
                "province": _province_name(idx, u, day), "address": _address(idx, res.street, u, day),
                "default": i == 0, "share": share, "from_code": g_entries[0].code, "from_name": g_entries[0].name,
                "valid_on": day, "part": day < g_entries[0].valid_from and len(idx.out_edges.get(u.id, ())) > 1,
            })
    if res.status == AMBIGUOUS:
        return res
    if not res.candidates:
        e = groups[0][0][0]
        res.reason = (_("%(unit)s did not exist yet on %(day)s.") if e.valid_from > as_of and not reverse
                      else _("%(unit)s ended without a successor before %(day)s.")) % {
            "unit": e.name, "day": as_of.strftime("%d/%m/%Y")}
        return res
    if res.corrections:
        res.status = CORRECTED
    elif len(res.candidates) > 1:
        res.status = MERGED if reverse or groups[0][2] < groups[0][0][0].valid_from else DIVIDED
    else:
        res.status = EXACT
    return res


def _province_name(idx: Index, u: Entry, day: dt.date) -> str:
    if u.level == "province":
        return u.name
    v = idx.version_on(u.codes[0], day) if u.codes else None
    return v.name if v else ""


def _group(idx: Index, entries: list[Entry], day_of) -> list[tuple[list[Entry], list, dt.date]]:
    """Entries that lead to the same units on their day, grouped (versions of one unit are one answer)."""
    groups: dict[tuple, tuple[list[Entry], list, dt.date]] = {}
    for e in entries:
        day = day_of(e)
        targets = units_on(idx, e, day)
        key = tuple(u.id for u, _s in targets) or ("none", e.code)
        if key in groups:
            groups[key][0].append(e)
        else:
            groups[key] = ([e], targets, day)
    return list(groups.values())


def _missing_part(idx: Index, p: Parse) -> str:
    """A reason when the street part ends with a name of a unit the reading could not place
    ("phúc xá, hồ chí minh": Phúc Xá is no commune of Hồ Chí Minh)."""
    if "commune" in p.spans or not p.street:
        return ""
    toks = tokenize(p.street)
    start = max((i for i, t in enumerate(toks) if t.hard), default=0)
    tail = toks[start:]
    for lv in ("commune", "district"):
        tl = 0
        for n in (2, 1):
            if len(tail) > n and tuple(t.f for t in tail[:n]) in TYPES[lv]:
                tl = n
                break
        key = " ".join(t.f for t in tail[tl:])
        if key and key in idx.names[lv] and (tl or not is_short(key)) and not (lv == "district" and "district" in p.spans):
            where = p.specific.entries[0].name
            return _("“%(part)s” was not found in %(where)s.") % {"part": p.street[tail[0].start:].strip(), "where": where}
    return ""
