"""Export cadre records with the import's columns (an export re-imports unchanged).

The matching ids are read first, in order, in one query; the records are then read by
key in chunks, with their current position looked up per chunk. No read stays open while
the access log is written: on SQLite (WAL) a connection that writes while its own read
is still open cannot take the write lock once another export has written ("database is
locked", at once, whatever the busy timeout). Excel is written with openpyxl's write-only
workbook, CSV is streamed a chunk at a time; :func:`primed` reads the first chunk before
the response starts, so a failing query is an error answer rather than a 200 with only
the header, and a later failure aborts the stream (an incomplete chunked response)
instead of ending it. For a user without the ``personal_data`` action the citizen ID is
masked and the birth date left empty; every unmasked record exported is written to the
personal-data access log (channel ``export``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tinhgon.core.exports import safe_row, workbook_bytes

from . import services
from .importers import COLUMNS, LEVELS_VI, SEX_VI
from .models import Assignment, Cadre
from .rules import mask_citizen_id
from .selectors import may_see_personal_data

CHUNK = 2000
HEADERS = [c.header_vi for c in COLUMNS]
WIDTHS = [26, 9, 12, 15, 9, 10, 18, 16, 18, 14, 18, 14, 10, 13, 13, 18, 9, 24, 12, 30, 12, 16, 13]


def _positions(cadres: list[Cadre]) -> dict[int, Assignment]:
    """The assignment behind each cadre's current unit and title (the latest such)."""
    wanted = {c.pk: (c.unit_id, c.current_title) for c in cadres if c.unit_id}
    out: dict[int, Assignment] = {}
    if not wanted:
        return out
    for a in (Assignment.objects.filter(cadre_id__in=list(wanted), is_primary=True)
              .select_related("unit").order_by("cadre_id", "valid_from")):
        if (a.unit_id, a.title) == wanted[a.cadre_id]:
            out[a.cadre_id] = a
    return out


def export_rows(queryset: QuerySet[Cadre], user, *, unmasked: bool | None = None, log: bool = True,
                path: str = "", dates_as_text: bool = False) -> Iterator[list]:
    """One list of cells per cadre, in the order of :data:`importers.COLUMNS`.

    ``unmasked`` defaults to whether ``user`` may see personal data; unmasked rows are
    logged (``log``), chunk by chunk, as the export proceeds.
    """
    if unmasked is None:
        unmasked = may_see_personal_data(user)

    def day(value: dt.date | None):
        if value is None:
            return ""
        return value.isoformat() if dates_as_text else value

    def flush(chunk: list[Cadre]) -> Iterator[list]:
        positions = _positions(chunk)
        if unmasked and log:
            services.personal_data_access_log_many(user=user, cadre_ids=[c.pk for c in chunk], channel="export",
                                                   path=path, user_name="" if user else "cli")
        for c in chunk:
            a = positions.get(c.pk)
            birth = (day(c.birth_date) if c.birth_date else c.birth_year) if unmasked else ""
            values = {
                "full_name": c.full_name, "sex": SEX_VI.get(c.sex, c.sex), "birth_date": birth,
                "citizen_id": c.citizen_id if unmasked else mask_citizen_id(c.citizen_id),
                "ethnicity": c.ethnicity, "religion": c.religion, "hometown_text": c.hometown_text,
                "hometown_code": c.hometown_code,
                "education_level": LEVELS_VI["education_level"].get(c.education_level, c.education_level),
                "education_field": c.education_field,
                "political_theory": LEVELS_VI["political_theory"].get(c.political_theory, c.political_theory),
                "state_management": LEVELS_VI["state_management"].get(c.state_management, c.state_management),
                "foreign_language": c.foreign_language, "it_certificate": c.it_certificate,
                "party_admission_date": day(c.party_admission_date),
                "party_official_date": day(c.party_official_date),
                "civil_service_rank": c.civil_service_rank, "salary_step": c.salary_step or "",
                "policy_salary": c.policy_salary if c.policy_salary is not None else "",
                "insured_months": c.insured_months if c.insured_months is not None else "", "note": c.note,
                "unit_code": a.unit.code if a else "", "title": a.title if a else "",
                "valid_from": day(a.valid_from) if a else "",
                "decision_number": a.decision_number if a else "", "decision_date": day(a.decision_date) if a else "",
            }
            yield [values[col.name] for col in COLUMNS]

    ids = list(queryset.order_by("name_folded", "id").values_list("pk", flat=True))
    manager = queryset.model._default_manager
    for start in range(0, len(ids), CHUNK):
        block = ids[start:start + CHUNK]
        by_id = manager.select_related("hometown").in_bulk(block)
        # A record deleted since the ids were read is left out.
        yield from flush([by_id[pk] for pk in block if pk in by_id])


def cadres_xlsx(queryset: QuerySet[Cadre], user, *, unmasked: bool | None = None, path: str = "",
                info: Iterable[tuple[str, str]] = ()) -> bytes:
    if unmasked is None:
        unmasked = may_see_personal_data(user)
    notes = [(_("Personal data"), _("shown") if unmasked else _("masked (citizen ID, birth date)")), *info]
    return workbook_bytes(_("Cadres"), HEADERS, export_rows(queryset, user, unmasked=unmasked, path=path),
                          info=notes, widths=WIDTHS)


class _Echo:
    def write(self, value: str) -> str:
        return value


def cadres_csv(queryset: QuerySet[Cadre], user, *, unmasked: bool | None = None, path: str = "") -> Iterator[str]:
    """CSV text (UTF-8 with a BOM for Excel, comma separated), a chunk of lines at a time; text that a
    spreadsheet would take for a formula is neutralized (:func:`core.exports.safe_cell`)."""
    writer = csv.writer(_Echo())
    lines = ["\ufeff" + writer.writerow(safe_row(HEADERS))]
    for row in export_rows(queryset, user, unmasked=unmasked, path=path, dates_as_text=True):
        lines.append(writer.writerow(safe_row(row)))
        if len(lines) >= CHUNK:  # the header goes out with the first chunk of records
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def primed(content: Iterable[str]) -> Iterator[str]:
    """Compute the first piece of a streamed body now, before the response starts."""
    content = iter(content)
    first = next(content, None)
    return content if first is None else itertools.chain([first], content)


def write_csv(fh: io.TextIOBase, queryset: QuerySet[Cadre], user, **kw) -> None:
    for line in cadres_csv(queryset, user, **kw):
        fh.write(line)
