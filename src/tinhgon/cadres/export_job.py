"""The ``cadres.export`` background job: the cadres matching a search, as a file for the
user who asked.

The list page (``/cadres/?export=xlsx``) and the API (``POST /api/cadres/export/``)
start it with the search criteria; the worker runs :func:`run_export_job` as that user,
so the search is scoped and the personal data masked exactly as the page would show
them *when the job runs*. The rows are those of :mod:`tinhgon.cadres.exports` (the
import's columns: the file re-imports unchanged), streamed into the job's output file
chunk by chunk — memory stays flat whatever the count — and every unmasked record is
written to the personal-data access log (channel ``export``) by the job itself. Only
the user who started the job downloads the file (:func:`tinhgon.core.jobs.job_output_for`).
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.core.exports import safe_row, write_workbook

from . import selectors
from .exports import HEADERS, WIDTHS, export_rows
from .filtersets import PARAMS, CadreFilterSet
from .models import Cadre

KIND = "cadres.export"
FORMATS = ("xlsx", "csv")
XLSX_MAX_ROWS = 1_000_000  # one sheet holds 1,048,576 rows; CSV has no limit
PROGRESS_ROWS = 500


def export_label(criteria: dict, fmt: str) -> str:
    """"Export cadres (XLSX): Inside the unit with this code: 01, Sex: F" — the criteria by their labels."""
    fields = CadreFilterSet(queryset=Cadre.objects.none()).form.fields

    def shown(name: str, value: str) -> str:
        field = fields.get(name)
        if field is None:
            return f"{name}: {value}"
        choices = {str(k): str(v) for k, v in (getattr(field, "choices", None) or []) if k not in ("", None)}
        return f"{field.label}: {choices.get(value, value)}"

    what = ", ".join(shown(k, v) for k, v in sorted(criteria.items())) or _("all in scope")
    return (_("Export cadres (%(format)s): %(criteria)s") % {"format": fmt.upper(), "criteria": what})[:300]


def export_params(criteria: dict, fmt: str, *, path: str = "") -> dict:
    """The job's parameters, checked now so that a bad request starts no job."""
    if fmt not in FORMATS:
        raise ValidationError({"file_format": [_("Choose xlsx or csv.")]})
    criteria = {k: str(v) for k, v in criteria.items() if k in PARAMS and str(v).strip()}
    fs = CadreFilterSet(criteria or None, queryset=Cadre.objects.none())
    if criteria and not fs.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in fs.errors.items()})
    return {"criteria": criteria, "format": fmt, "path": path[:500]}


def _queryset(user, criteria: dict):
    fs = CadreFilterSet(criteria or None, queryset=Cadre.objects.none())
    if not criteria:
        return selectors.cadre_search(user, selectors.CadreQuery())
    if not fs.is_valid():  # a unit named in the criteria may have ended since the job was queued
        raise ValidationError([f"{k}: {' '.join(str(m) for m in v)}" for k, v in fs.errors.items()])
    return selectors.cadre_search(user, fs.query())


def run_export_job(ctx) -> dict:
    user, criteria = ctx.user, dict(ctx.params.get("criteria") or {})
    fmt, path = ctx.params.get("format", "xlsx"), ctx.params.get("path", "")
    if fmt not in FORMATS:
        raise ValidationError(_("Choose xlsx or csv."))
    qs = _queryset(user, criteria)
    total = qs.order_by().count()
    if fmt == "xlsx" and total > XLSX_MAX_ROWS:
        raise ValidationError(_("%(n)s cadres match: an Excel sheet holds at most %(max)s rows. Narrow the search "
                                "or export CSV.") % {"n": f"{total:,}", "max": f"{XLSX_MAX_ROWS:,}"})
    unmasked = selectors.may_see_personal_data(user)
    done = 0

    def counted(rows):
        nonlocal done
        for row in rows:
            yield row
            done += 1
            if done % PROGRESS_ROWS == 0:
                ctx.check_cancelled()
                ctx.progress(done, total, _("%(n)s rows written") % {"n": f"{done:,}"})

    rows = counted(export_rows(qs, user, unmasked=unmasked, path=path, dates_as_text=fmt == "csv"))
    stamp = timezone.localdate().strftime("%Y%m%d")
    filename = f"can-bo-{stamp}.{fmt}"
    with ctx.output(filename) as fh:
        if fmt == "xlsx":
            info = [(_("List"), _("Cadres")),
                    (_("Exported by"), user.get_username() if user else "—"),
                    (_("Personal data"), _("shown") if unmasked else _("masked (citizen ID, birth date)")),
                    *[(_("Filter %(name)s") % {"name": k}, v) for k, v in sorted(criteria.items())]]
            write_workbook(fh, _("Cadres"), HEADERS, rows, info=info, widths=WIDTHS)
        else:
            text = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=True)
            writer = csv.writer(text)
            text.write("\ufeff")
            writer.writerow(safe_row(HEADERS))
            for row in rows:
                writer.writerow(safe_row(row))
            text.flush()
            text.detach()  # leave the binary file open for the context to store
    ctx.progress(done, done, _("%(n)s rows written") % {"n": f"{done:,}"})
    return {"rows": done, "masked": not unmasked, "file": filename}
