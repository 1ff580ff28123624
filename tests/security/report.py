"""The figures of the authorization tests, printed at the end of the run (see conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tinhgon.accounts.roles import ROLE_ACTIONS


@dataclass
class Outcome:
    endpoints: int = 0                             # endpoint × method pairs
    cases: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    log: list[tuple] = field(default_factory=list)  # every case and its answer


SUMMARY: dict[str, Outcome] = {}


SELECTORS: dict[str, int] = {}


def _line(name: str, o: Outcome) -> str:
    routes = len({row[0].split("?")[0] for row in o.log})
    allowed = sum(1 for row in o.log if row[4] == "allow")
    return (f"authorization matrix, {name}: {routes} endpoints, {o.endpoints} endpoint × method pairs × "
            f"({len(ROLE_ACTIONS)} roles × own scope / another province / no scope, and a body naming the other province's "
            f"units where one can) + anonymous = {o.cases} cases ({allowed} allowed, {o.cases - allowed} "
            f"refused): {len(o.failures)} failures, {o.seconds:.1f} s")


def lines() -> list[str]:
    out = [_line(name, o) for name, o in SUMMARY.items()]
    if SUMMARY:
        total = sum(o.cases for o in SUMMARY.values())
        failed = sum(len(o.failures) for o in SUMMARY.values())
        seconds = sum(o.seconds for o in SUMMARY.values())
        out.append(f"authorization matrix: {total} cases in all, {failed} failures, {seconds:.1f} s")
    if SELECTORS:
        out.append("selectors: {found} found, {with_user} take a user ({calls} calls with another province's "
                   "objects, {failures} failures), {unscoped} read public data without one; "
                   "{handlers} successor handlers".format(**{k: SELECTORS.get(k, 0) for k in (
                       "found", "with_user", "calls", "failures", "unscoped", "handlers")}))
    return out
