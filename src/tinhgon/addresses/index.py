"""The registry in memory, for reading addresses fast: every unit version's name by level,
and the succession graph of every applied plan.

Built once from two queries (units, successions) and kept per process; :func:`get_index`
rebuilds it when the registry changed (a cheap fingerprint of both tables is compared on
each call, so a plan applied by another process is seen at the next address).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict

from django.db.models import Count, Max, Sum

from tinhgon.apparatus.models import PATH_SEP, Unit
from tinhgon.restructuring.models import Succession

from .text import PROVINCE_ALIASES, name_keys

LEVELS = ("province", "district", "commune")


class Entry:
    """One unit version as the resolver needs it."""

    __slots__ = ("id", "code", "name", "level", "kind", "parent_code", "codes", "valid_from", "valid_to",
                 "key", "akey", "type")

    def __init__(self, id, code, name, level, kind, parent_code, path, valid_from, valid_to):
        self.id, self.code, self.name, self.level, self.kind = id, code, name, level, kind
        self.parent_code = parent_code
        self.codes = tuple(c for c in path.split(PATH_SEP) if c)
        self.valid_from, self.valid_to = valid_from, valid_to
        self.key, self.akey, self.type = name_keys(name)

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    @property
    def province_code(self) -> str:
        return self.codes[0] if self.codes else self.code

    def __repr__(self) -> str:
        return f"<{self.code} {self.name} {self.valid_from}..{self.valid_to}>"


class Index:
    def __init__(self, units, edges):
        self.entries: dict[int, Entry] = {}
        self.names: dict[str, dict[str, list[Entry]]] = {lv: defaultdict(list) for lv in LEVELS}
        self.by_code: dict[str, list[Entry]] = defaultdict(list)
        self.children: dict[str, list[Entry]] = defaultdict(list)
        for row in units:
            e = Entry(*row)
            self.entries[e.id] = e
            self.by_code[e.code].append(e)
            self.children[e.parent_code].append(e)
            self.names[e.level][e.key].append(e)
        for versions in self.by_code.values():
            versions.sort(key=lambda e: e.valid_from)
        provinces = self.names["province"]
        for alias, key in PROVINCE_ALIASES.items():
            if alias != key and key in provinces and alias not in provinces:
                provinces[alias] = provinces[key]
        self.max_tokens = {lv: max((k.count(" ") + 1 for k in self.names[lv]), default=1) for lv in LEVELS}
        self.out_edges: dict[int, list[tuple[int, float | None]]] = defaultdict(list)
        self.in_edges: dict[int, list[tuple[int, float | None]]] = defaultdict(list)
        for pred, succ, share in edges:  # in id order: a split's default successor first
            if pred in self.entries and succ in self.entries:
                self.out_edges[pred].append((succ, share))
                self.in_edges[succ].append((pred, share))
        # Provinces linked through any plan (Hải Dương ↔ Hải Phòng): an old commune may be
        # written with the new province's name, and the other way round.
        self.related_provinces: dict[str, set[str]] = {}
        for code, versions in self.by_code.items():
            if versions[0].level != "province":
                continue
            linked, stack = {code}, [e.id for e in versions]
            seen = set(stack)
            while stack:
                uid = stack.pop()
                for other, _s in self.out_edges.get(uid, []) + self.in_edges.get(uid, []):
                    if other not in seen and self.entries[other].level == "province":
                        seen.add(other)
                        linked.add(self.entries[other].code)
                        stack.extend(e.id for e in self.by_code[self.entries[other].code])
            self.related_provinces[code] = linked
        under: dict[tuple[str, str], set[str]] = defaultdict(set)
        for e in self.entries.values():
            for code in e.codes[:-1]:
                under[(e.level, code)].add(e.key)
        self._under = under
        self._choices: dict[tuple, list[str]] = {}

    def keys_under(self, level: str, codes) -> list[str]:
        """The name keys of ``level`` units that lie under any of ``codes`` (spelling correction)."""
        k = (level, frozenset(codes))
        if k not in self._choices:
            if len(self._choices) > 5000:
                self._choices.clear()
            self._choices[k] = sorted(set().union(*(self._under.get((level, c), ()) for c in codes)))
        return self._choices[k]

    def version_on(self, code: str, day: dt.date) -> Entry | None:
        versions = self.by_code.get(code) or []
        for e in versions:
            if e.valid_on(day):
                return e
        return None


_LOCK = threading.Lock()
_CACHE: dict = {"index": None, "fingerprint": None}


def fingerprint() -> tuple:
    units = Unit.objects.aggregate(n=Count("id"), m=Max("id"), s=Sum("id"), ended=Count("valid_to"),
                                   last=Max("valid_to"), first=Max("valid_from"))
    succ = Succession.objects.aggregate(n=Count("id"), m=Max("id"))
    return tuple(units.values()) + tuple(succ.values())


def build_index() -> Index:
    units = Unit.objects.filter(level__code__in=LEVELS).order_by("id").values_list(
        "id", "code", "name", "level__code", "kind__name", "parent_code", "path", "valid_from", "valid_to")
    edges = Succession.objects.order_by("id").values_list("predecessor_id", "successor_id", "share")
    return Index(units.iterator(chunk_size=5000), edges.iterator(chunk_size=5000))


def get_index() -> Index:
    """The index of the registry as it is now (rebuilt when units or successions changed)."""
    fp = fingerprint()
    idx = _CACHE["index"]
    if idx is not None and _CACHE["fingerprint"] == fp:
        return idx
    with _LOCK:
        if _CACHE["index"] is None or _CACHE["fingerprint"] != fp:
            _CACHE["index"], _CACHE["fingerprint"] = build_index(), fp
        return _CACHE["index"]


def invalidate(*args, **kwargs) -> None:
    """Forget the index (connected to the saves and deletions of units and successions)."""
    _CACHE["index"] = _CACHE["fingerprint"] = None
