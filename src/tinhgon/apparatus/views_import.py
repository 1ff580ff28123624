"""Upload a CSV/XLSX file of unit versions: all or nothing, errors by row."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhgon.core.exports import xlsx_response
from tinhgon.core.uploads import validate_upload_size

from .importers import COLUMNS, REQUIRED, errors_xlsx, template_xlsx, units_import_file
from .services import UnitRowsInvalid

SESSION_KEY = "apparatus_import_errors"
MAX_SESSION_ERRORS = 5000


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
    errors, filename = None, ""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            filename = upload.name
            try:
                result = units_import_file(fileobj=upload, filename=upload.name, user=request.user)
            except UnitRowsInvalid as exc:
                errors = exc.errors_list
                request.session[SESSION_KEY] = {
                    "file": filename,
                    "errors": [{"row": e.row, "field": e.field, "message": e.message}
                               for e in errors[:MAX_SESSION_ERRORS]],
                }
            else:
                request.session.pop(SESSION_KEY, None)
                messages.success(request, _(
                    "%(file)s imported: %(created)s unit versions created, %(skipped)s already present."
                ) % {"file": upload.name, "created": result.created, "skipped": result.skipped})
                return redirect("apparatus:import_units")
    else:
        form = ImportForm()
    return render(request, "apparatus/import.html", {
        "form": form, "errors": errors, "filename": filename,
        "columns": COLUMNS, "required": REQUIRED,
    })


@login_required
def import_template(request):
    return xlsx_response("tinhgon-units-template.xlsx", template_xlsx())


@login_required
def import_errors(request):
    _require_change(request)
    report = request.session.get(SESSION_KEY)
    if not report:
        messages.info(request, _("There is no error report to download."))
        return redirect("apparatus:import_units")
    return xlsx_response("tinhgon-import-errors.xlsx", errors_xlsx(report["errors"], report["file"]))
