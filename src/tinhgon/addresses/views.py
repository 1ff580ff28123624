"""The address page (one address, what was understood) and the bulk conversion page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from tinhgon.core.views_jobs import job_in_query, recent_jobs

from . import bulk, jobs, selectors
from .forms import AddressForm, BulkForm
from .resolver import STATUSES

LEVELS = ("commune", "district", "province")


@login_required
def convert(request):
    form = AddressForm(request.GET or None)
    result, day = None, timezone.localdate()
    if form.is_bound and form.is_valid():
        day = form.cleaned_data["as_of"]
        q = form.cleaned_data["q"]
        if q.strip() or "q" in request.GET:
            result = selectors.convert_address(q, as_of=day, reverse=form.cleaned_data["direction"] == "reverse")
    understood = []
    if result is not None:
        understood = [(lv, result.understood[lv]) for lv in LEVELS if lv in result.understood]
    return render(request, "addresses/convert.html", {
        "form": form, "result": result, "day": day, "understood": understood, "statuses": STATUSES,
        "examples": EXAMPLES})


EXAMPLES = ("P.15, Q.Tân Bình, TP.HCM", "59 nguyễn sỹ sách, p15, tan binh, hcm", "phuc xa ba dinh ha noi",
            "Xã Minh Quân, Trấn Yên, Yên Bái")


@login_required
def bulk_convert(request):
    if request.method == "POST":
        form = BulkForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            spec = bulk.Spec.from_params(d)
            try:
                job = jobs.start(user=request.user, upload=d["file"], spec=spec, as_of=d["as_of"],
                                 reverse=d["reverse"])
            except ValidationError as exc:
                form.add_error("file" if exc.code in ("file_kind", "unreadable", "empty") else "column", exc)
            else:
                return redirect(f"{reverse('addresses:bulk')}?job={job.pk}")
    else:
        form = BulkForm()
    job = job_in_query(request, kind=jobs.KIND)
    return render(request, "addresses/bulk.html", {
        "form": form, "job": job, "recent": recent_jobs(request, jobs.KIND, besides=job),
        "new_columns": bulk.new_columns()})
