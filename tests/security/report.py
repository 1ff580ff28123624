"""The figures of the authorization tests, printed at the end of the run (see conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Outcome:
    endpoints: int = 0                             # endpoint × method pairs
    cases: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    log: list[tuple] = field(default_factory=list)  # every case and its answer


SUMMARY: dict[str, Outcome] = {}


def lines() -> list[str]:
    if not SUMMARY:
        return []
    out = [f"authorization matrix, {name}: {o.endpoints} endpoint × method pairs → {o.cases} cases, "
           f"{len(o.failures)} failures, {o.seconds:.1f} s" for name, o in SUMMARY.items()]
    total = sum(o.cases for o in SUMMARY.values())
    failed = sum(len(o.failures) for o in SUMMARY.values())
    seconds = sum(o.seconds for o in SUMMARY.values())
    out.append(f"authorization matrix: {total} cases in all, {failed} failures, {seconds:.1f} s")
    return out
