"""The ``cadres.import`` background job: check every row first, then write it all at once.

The page and the API start it (:func:`tinhgon.core.jobs.job_start`); the worker runs
:func:`run_import_job`.  The rows are read and checked by the importer of
:mod:`tinhgon.cadres.importers` without writing — each checked batch is staged in a
short transaction, so the progress shows and other users keep working — and
:func:`_publish` writes everything in one final transaction.
"""

from __future__ import annotations

import csv
import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tinhgon.apparatus.models import Unit

from . import services
from .importers import BATCH, CadreRowsInvalid, _Importer, _text, errors_json, read_table
from .models import Assignment, Cadre


def _count_rows(fileobj, filename: str) -> int | None:
    """Data rows in the file (a quick first pass for the progress bar); None when unreadable."""
    try:
        rows = read_table(fileobj, filename)
        n = sum(1 for cells in rows if any(_text(v) for v in cells)) - 1
    except (CadreRowsInvalid, csv.Error, UnicodeDecodeError, ValueError):
        n = None
    fileobj.seek(0)
    return max(n, 0) if n is not None else None


def run_import_job(ctx) -> dict:
    """The ``cadres.import`` job: read and check every row, staging what it will write in
    short transactions (others keep working, the progress shows), then write it all in one
    final transaction.  A refused file fails the job with the same row report as the page."""
    from django.db import IntegrityError

    from tinhgon.core.audit import audit_event
    from tinhgon.core.jobs import JobFailed

    filename, update = ctx.input_name, bool(ctx.params.get("update"))
    with ctx.open_input() as fh:
        total = _count_rows(fh, filename)

        def step(rows: int) -> None:
            ctx.check_cancelled()
            ctx.progress(rows, total, _("Checked %(n)s rows") % {"n": f"{rows:,}"})

        importer = _Importer(user=ctx.user, update=update, filename=filename, stage=ctx.stage, on_batch=step)
        try:
            importer.run(read_table(fh, filename))
        except CadreRowsInvalid as exc:
            importer.errors.extend(exc.errors_list)
        except csv.Error as exc:
            importer.error(None, "file", _("The CSV file cannot be read: %(error)s") % {"error": exc})
    if importer.errors:
        errors = sorted((e for e in importer.errors if e.message), key=lambda e: (e.row is not None, e.row or 0))
        raise JobFailed(_("The file has %(n)s errors; nothing was written.") % {"n": len(errors)}, errors_json(errors))
    r = importer.result
    ctx.progress(r.rows, r.rows, _("Writing %(n)s records…") % {"n": f"{r.created + r.updated:,}"})
    try:
        with ctx.publication() as pub:
            _publish(ctx, pub)
            with pub.step():
                if r.created or r.updated:
                    audit_event(
                        kind="cadres.imported",
                        message=_("Cadres imported from %(file)s: %(created)s new, %(updated)s changed, "
                                  "%(skipped)s unchanged.")
                        % {"file": filename, "created": r.created, "updated": r.updated, "skipped": r.skipped},
                        data={"file": filename, "created": r.created, "updated": r.updated, "skipped": r.skipped})
    except IntegrityError:
        raise JobFailed(_("Another import or user added some of these citizen IDs while the file was being "
                          "checked; nothing was written. Start the import again.")) from None
    except ValidationError as exc:
        raise JobFailed(_("A record changed while the file was being checked; nothing was written (%(error)s).")
                        % {"error": " ".join(exc.messages)}) from None
    return {"rows": r.rows, "created": r.created, "updated": r.updated, "skipped": r.skipped,
            "message": _("%(created)s new, %(updated)s changed, %(skipped)s unchanged.")
            % {"created": r.created, "updated": r.updated, "skipped": r.skipped}}


def _publish(ctx, pub) -> None:
    """Write what the check staged: new records in bulk, a batch per step (undone by deleting
    them should a later step fail), then the changes to existing records through the services,
    in one last step."""
    from tinhgon.core.jobs import instance_from_payload

    fields = {f.attname: f for f in Cadre._meta.concrete_fields}
    units: dict[int, Unit] = {}
    new: list[dict] = []
    updates: list[dict] = []

    def flush() -> None:
        with pub.step():
            cadres = Cadre.objects.bulk_create([instance_from_payload(Cadre, p["cadre"]) for p in new])
            wanted = {p["assignment"]["unit_id"] for p in new if p["assignment"]} - set(units)
            units.update(Unit.objects.in_bulk(list(wanted)))
            assignments = []
            for cadre, p in zip(cadres, new, strict=True):
                if p["assignment"] is not None:
                    a = instance_from_payload(Assignment, p["assignment"])
                    a.cadre_id = cadre.pk
                    a.unit = units[a.unit_id]  # the change log names the unit: no query per row
                    assignments.append(a)
            if assignments:
                Assignment.objects.bulk_create(assignments)
        ids = [c.pk for c in cadres]
        pub.on_undo(lambda: _undo_new(ids))
        new.clear()

    for p in ctx.staged():
        if p["op"] == "new":
            new.append(p)
            if len(new) >= BATCH:
                flush()
        else:
            updates.append(p)
    if new:
        flush()
    if not updates:
        return
    with pub.step():
        for p in updates:
            cadre = Cadre.objects.get(pk=p["cadre_id"])
            if p["changed"]:
                changed = {k: (fields[k].to_python(v) if k in fields and v is not None else v)
                           for k, v in p["changed"].items()}
                cadre = services.cadre_update(cadre=cadre, lock_version=p["lock_version"], **changed)
            if p["move"]:
                m = p["move"]
                start = dt.date.fromisoformat(m["valid_from"])
                for a in cadre.assignments.filter(is_primary=True, valid_to__isnull=True, valid_from__lt=start):
                    services.assignment_end(assignment=a, on=start)
                services.assignment_create(
                    cadre=cadre, unit=Unit.objects.get(pk=m["unit_id"]), title=m["title"], valid_from=start,
                    decision_number=m["decision_number"],
                    decision_date=dt.date.fromisoformat(m["decision_date"]) if m["decision_date"] else None)


def _undo_new(ids: list[int]) -> None:
    """Take back the records a publication step created (their assignments go with them)."""
    for i in range(0, len(ids), 900):
        Assignment.objects.filter(cadre_id__in=ids[i:i + 900]).delete()
        Cadre.objects.filter(pk__in=ids[i:i + 900]).delete()
