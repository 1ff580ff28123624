"""Denouncer protection: who may see the petitioners of a matter.

A denouncer's identity (the petitioners of a denunciation) is shown only to the handling
officers the matter names; every page and answer that shows it records the access
(:func:`tinhgon.petitions.services.identity_access_log`).  Exports, the change log
(``changelog_redacted``), the duplicate hints and the reports never carry it.
"""

from __future__ import annotations

from . import rules
from .models import Petition


def identity_visible(user, petition: Petition) -> bool:
    """Whether ``user`` may see the petitioners' identity: anyone who reaches a complaint or a
    recommendation; for a denunciation only the handling officers it names."""
    if not petition.protected:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return petition.handling_officers.filter(pk=user.pk).exists()


# Small counts ----------------------------------------------------------------------------------
#
# A count of denunciations in a very small cell (one unit, one month, one subject) can single a
# denouncer out ("the only denunciation from that ward in March").  Such counts are shown as
# "< k" when they lie between 1 and k - 1: k is the setting TINHGON_PETITIONS_SMALL_COUNT (3 by
# default; 1 shows every count).  Zero is shown: it singles nobody out.


class Suppressed(str):
    """A suppressed count: prints "< k" on pages and in Excel, sorts and compares as text."""

    def __new__(cls, k: int):
        obj = super().__new__(cls, f"< {k}")
        obj.k = k
        return obj


def small_count_threshold() -> int:
    from django.conf import settings

    return max(1, int(getattr(settings, "TINHGON_PETITIONS_SMALL_COUNT", 3)))


def small(n, k: int | None = None):
    """``n`` itself, or "< k" when it is a count between 1 and k - 1."""
    k = small_count_threshold() if k is None else k
    if isinstance(n, int) and 0 < n < k:
        return Suppressed(k)
    return n


def protect_cells(row: dict, fields, *, denunciations: int | None, k: int | None = None) -> dict:
    """A row of counts whose cell holds ``denunciations`` denunciations: when those are between 1
    and k - 1, every count of ``fields`` between 1 and k - 1 is suppressed (the row is marked)."""
    k = small_count_threshold() if k is None else k
    if denunciations and 0 < denunciations < k:
        hit = False
        for f in fields:
            v = small(row.get(f), k)
            if v is not row.get(f):
                row[f], hit = v, True
        row["suppressed"] = hit or row.get("suppressed", False)
    return row


EVIDENCE_COUNTS = ("people", "contacts", "largest_group", "repeats", "overdue", "denunciations")


def protected_evidence(evidence: dict | None, k: int | None = None) -> dict:
    """A hot spot's evidence as shown (pages, Excel, API): when it counts between 1 and k - 1
    denunciations, its small figures read "< k"."""
    e = dict(evidence or {})
    return protect_cells(e, EVIDENCE_COUNTS, denunciations=e.get("denunciations"), k=k)


_REPORT_FIELDS = ("received", "accepted", "on_time", "late", "overdue", "open")  # selectors.REPORT_FIELDS


def protect_report(rows: list[dict], by: str, k: int | None = None) -> list[dict]:
    """The report as shown: the count of denunciations of every row (and, by kind, every figure of
    the denunciations' row) reads "< k" when it lies between 1 and k - 1 (``protection.small``)."""
    out = []
    for r in rows:
        r = dict(r)
        if by == "kind" and r["k"] == rules.DENUNCIATION:
            protect_cells(r, (*_REPORT_FIELDS, "denunciations"), denunciations=r["denunciations"], k=k)
        else:
            protect_cells(r, ("denunciations",), denunciations=r["denunciations"], k=k)
        out.append(r)
    return out


def protect_totals(total: dict, shown: list[dict]) -> dict:
    """The total row as shown beside :func:`protect_report`'s rows: a column where a cell reads
    "< k" totals "> n" (n the sum of the cells shown), so that no suppressed cell is found again
    by subtracting the others from the total."""
    out = dict(total)
    for f in (*_REPORT_FIELDS, "denunciations"):
        cells = [r.get(f) for r in shown]
        if any(isinstance(c, Suppressed) for c in cells):
            out[f] = f"> {sum(c for c in cells if isinstance(c, int))}"
    return out
