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
