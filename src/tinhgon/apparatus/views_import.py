"""Upload a CSV/XLSX file of unit versions: a background job, all or nothing, errors by row."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhgon.core.exports import xlsx_response
from tinhgon.core.uploads import validate_upload_size
from tinhgon.core.views_jobs import job_in_query, recent_jobs, start_upload_job

from .importers import COLUMNS, REQUIRED, errors_xlsx, template_xlsx

KIND = "apparatus.import_units"


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        validate_upload_size(f)
        return f


def _require_change(request) -> None:
    if not request.user.may("change"):
        raise PermissionDenied


@login_required
def import_units(request):
    _require_change(request)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = start_upload_job(request, kind=KIND, upload=upload,
                                   label=_("Import units from %(file)s") % {"file": upload.name})
            return redirect(f"{reverse('apparatus:import_units')}?job={job.pk}")
    else:
        form = ImportForm()
    job = job_in_query(request, kind=KIND)
    return render(request, "apparatus/import.html", {
        "form": form, "job": job, "errors": job.errors if job else None,
        "filename": job.input_name if job else "",
        "recent": recent_jobs(request, KIND, besides=job),
        "columns": COLUMNS, "required": REQUIRED,
    })


@login_required
def import_template(request):
    return xlsx_response("tinhgon-units-template.xlsx", template_xlsx())


@login_required
def import_errors(request):
    """The row report of a failed import job (``?job=<id>``) as a workbook."""
    _require_change(request)
    job = job_in_query(request, kind=KIND)
    if job is None or not job.errors:
        messages.info(request, _("There is no error report to download."))
        return redirect("apparatus:import_units")
    rows = [{"row": e.get("row"), "field": e.get("column", ""), "message": e.get("message", "")} for e in job.errors]
    return xlsx_response("tinhgon-import-errors.xlsx", errors_xlsx(rows, job.input_name))
