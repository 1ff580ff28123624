"""The successor protocol: what other apps must move when a unit version ends.

Restructuring imports no other app. Instead each app registers a
:class:`SuccessorHandler` here (in its ``AppConfig.ready``): it contributes
violations while a plan is validated, moves its own rows (open assignments,
tasks, petitions, user scopes, positions, …) to the successors when the plan is
applied, and can undo that when the plan is reverted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Successor:
    code: str
    unit_id: int | None  # None while validating (the new version does not exist yet)
    share: float | None
    kind: str


@dataclass(frozen=True)
class Ending:
    """One unit version that ends on the plan's effective date, with where it goes."""

    unit_id: int
    code: str
    name: str
    path: str
    successors: tuple[Successor, ...]
    continues: bool  # the same code lives on (rename, move, absorb)

    @property
    def dissolved(self) -> bool:
        return not self.successors

    def primary(self) -> Successor | None:
        """The successor that takes what cannot be divided: the largest share, else the first."""
        if not self.successors:
            return None
        return max(self.successors, key=lambda s: (s.share if s.share is not None else 1.0))


@dataclass(frozen=True)
class Finding:
    code: str
    units: tuple[str, ...]
    message_vi: str
    message_en: str
    severity: str = "error"  # error | unknown | info
    data: dict[str, Any] = field(default_factory=dict)


class SuccessorHandler(Protocol):
    name: str

    def validate(self, *, date: dt.date, endings: list[Ending]) -> list[Finding]: ...

    def apply(self, *, date: dt.date, endings: list[Ending]) -> Any: ...

    def revert(self, *, date: dt.date, payload: Any) -> None: ...


_HANDLERS: dict[str, SuccessorHandler] = {}


def register(handler: SuccessorHandler) -> None:
    _HANDLERS[handler.name] = handler


def unregister(name: str) -> None:
    _HANDLERS.pop(name, None)


def handlers() -> list[SuccessorHandler]:
    return list(_HANDLERS.values())


# Kit: a handler whose rows simply follow their unit ------------------------------------------------

CHUNK = 900  # ids per IN (…): under SQLite's default limit of variables


def chunks(items: list, n: int = CHUNK):
    """``items`` in slices of ``n`` (the ids of one query)."""
    for i in range(0, len(items), n):
        yield items[i: i + n]


def primary_targets(endings: list[Ending]) -> dict[int, int]:
    """Ending unit id → the id of its primary successor (units that are dissolved, or whose
    successor does not exist yet, are left out)."""
    out: dict[int, int] = {}
    for e in endings:
        p = e.primary()
        if p is not None and p.unit_id is not None:
            out[e.unit_id] = p.unit_id
    return out


class OpenRowsFollowUnit:
    """A successor handler for records that an ending unit *holds open* and that go to its
    primary successor (open tasks led by it, open petitions handled by it, …).

    A subclass names the rows (:meth:`open_rows`), the foreign key to the unit
    (``unit_field``, e.g. ``"lead_unit"``) and its denormalized path (``path_field``), the
    fields set on every moved row (``flag``, e.g. ``{"assignee_review": True}``), and its two
    findings: :meth:`moves` (information: n rows go to the successor) and :meth:`orphans`
    (an error: the unit is dissolved without a successor while it still holds n rows).
    ``apply`` moves the rows in chunks and returns, per row, what ``revert`` puts back.
    """

    name = ""
    unit_field = ""
    path_field = ""
    flag: dict[str, Any] = {}

    def open_rows(self):  # pragma: no cover - each subclass says
        raise NotImplementedError

    def moves(self, ending: Ending, target: Successor, n: int) -> Finding:  # pragma: no cover
        raise NotImplementedError

    def orphans(self, ending: Ending, n: int) -> Finding:  # pragma: no cover
        raise NotImplementedError

    def counts(self, unit_ids: list[int]) -> dict[int, int]:
        from django.db.models import Count

        key = f"{self.unit_field}_id"
        out: dict[int, int] = {}
        for ids in chunks(unit_ids):
            rows = (self.open_rows().filter(**{f"{key}__in": ids}).values(key).annotate(n=Count("id"))
                    .order_by())
            out.update({r[key]: r["n"] for r in rows})
        return out

    def validate(self, *, date: dt.date, endings: list[Ending]) -> list[Finding]:
        by_unit = {e.unit_id: e for e in endings}
        findings = []
        for unit_id, n in sorted(self.counts(list(by_unit)).items(), key=lambda kv: by_unit[kv[0]].path):
            e = by_unit[unit_id]
            target = e.primary()
            findings.append(self.orphans(e, n) if target is None else self.moves(e, target, n))
        return findings

    def apply(self, *, date: dt.date, endings: list[Ending]) -> dict:
        from tinhgon.apparatus.models import Unit

        target = primary_targets(endings)
        paths = dict(Unit.objects.filter(pk__in=set(target.values())).values_list("id", "path"))
        key = f"{self.unit_field}_id"
        kept = [key, self.path_field, *self.flag]
        moved: list[list] = []
        for ids in chunks(list(target)):
            rows = list(self.open_rows().filter(**{f"{key}__in": ids}).values_list("id", *kept))
            moved.extend([list(r) for r in rows])
            by_target: dict[int, list[int]] = {}
            for row in rows:
                by_target.setdefault(target[row[1]], []).append(row[0])
            for new_unit, pks in by_target.items():
                for part in chunks(pks):
                    self.open_rows().model.objects.filter(pk__in=part).update(
                        **{key: new_unit, self.path_field: paths[new_unit]}, **self.flag)
        return {"moved": moved, "fields": kept}

    def revert(self, *, date: dt.date, payload: dict) -> None:
        model = self.open_rows().model
        fields = payload.get("fields") or [f"{self.unit_field}_id", self.path_field, *self.flag]
        for pk, *values in payload.get("moved", []):
            model.objects.filter(pk=pk).update(**dict(zip(fields, values, strict=True)))
