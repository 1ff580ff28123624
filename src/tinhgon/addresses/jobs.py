"""Bulk conversion as a background job: the uploaded file converted row by row, with progress,
into a file the user who started the job downloads (``Context.output``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhgon.core import jobs as core_jobs

from . import bulk

KIND = "addresses.convert"


def register() -> None:
    core_jobs.register(KIND, run_convert, label=gettext_lazy("Convert addresses"))


def start(*, user, upload, spec: bulk.Spec, as_of: dt.date, reverse: bool = False):
    """Check the file (kind, columns) and start its conversion; a refused file starts nothing."""
    bulk.check_upload(upload, upload.name, spec)
    upload.seek(0)
    return core_jobs.job_start(
        kind=KIND, user=user, label=_("Convert the addresses of %(file)s") % {"file": upload.name},
        params={**spec.as_params(), "as_of": as_of.isoformat(), "reverse": bool(reverse)},
        fileobj=upload, filename=upload.name, scope_path="")


def run_convert(ctx) -> dict:
    spec = bulk.Spec.from_params(ctx.params)
    as_of = dt.date.fromisoformat(ctx.params["as_of"])
    reverse = bool(ctx.params.get("reverse"))
    name = ctx.input_name or "addresses.csv"
    src = ctx.open_input()
    try:
        total = bulk.count_rows(src, name)
        ctx.progress(0, total, _("Converting %(n)s addresses…") % {"n": f"{total:,}"})

        def progress(done, tot):
            ctx.progress(done, tot, _("%(done)s of %(total)s addresses converted") % {
                "done": f"{done:,}", "total": f"{tot or total:,}"})

        with ctx.output(bulk.output_name(name)) as out:
            try:
                counts = bulk.convert_file(src, name, out, spec, as_of=as_of, reverse=reverse, progress=progress,
                                           check=ctx.check_cancelled, total=total)
            except ValidationError as exc:
                raise core_jobs.JobFailed(" ".join(exc.messages)) from None
    finally:
        src.close()
    found = counts["rows"] - counts["by_status"].get("not_found", 0)
    counts["message"] = _("%(found)s of %(rows)s addresses converted; the file is ready.") % {
        "found": f"{found:,}", "rows": f"{counts['rows']:,}"}
    return counts
