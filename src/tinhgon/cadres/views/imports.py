"""Import cadre records from a file in the browser: a background job with a progress bar."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhgon.core.exports import xlsx_response
from tinhgon.core.uploads import validate_upload_size
from tinhgon.core.views_jobs import job_in_query, recent_jobs, start_upload_job

from .. import importers

KIND = "cadres.import"


class CadreImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))
    update = forms.BooleanField(label=gettext_lazy("Update records that already exist (same citizen ID)"),
                                required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        validate_upload_size(f)
        name = f.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return f


@login_required
def cadre_import(request):
    if not request.user.may("change"):
        raise PermissionDenied
    if request.method == "POST":
        form = CadreImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = start_upload_job(request, kind=KIND, upload=upload,
                                   label=_("Import cadres from %(file)s") % {"file": upload.name},
                                   params={"update": form.cleaned_data["update"]})
            return redirect(f"{reverse('cadres:cadre_import')}?job={job.pk}")
    else:
        form = CadreImportForm()
    job = job_in_query(request, kind=KIND)
    return render(request, "cadres/import.html", {
        "form": form, "job": job, "recent": recent_jobs(request, KIND, besides=job),
        "required": [c.header_vi for c in importers.COLUMNS if c.name in importers.REQUIRED],
    })


@login_required
def cadre_import_template(request):
    return xlsx_response("tinhgon-can-bo-mau.xlsx", importers.template_xlsx())
