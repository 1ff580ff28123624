"""Pages of the documents registry: the list with symbol search, a document with its relations and
the records citing it, registering (with the proposed number) and receiving, the counts by type
with a chart, the document types."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tinhgon.apparatus.selectors import term_on, unit_for_code
from tinhgon.core.forms import add_service_errors
from tinhgon.core.scoping import may_change_everywhere, restrict
from tinhgon.core.tables import export_response, fmt_date, wants_export
from tinhgon.core.views_generic import confirm_delete, form_page, service_form

from . import forms as f
from . import selectors, services
from .charts import bar_chart
from .filtersets import DocumentFilterSet
from .models import Document, DocumentRelation, DocumentType
from .tables import DocumentTable, DocumentTypeTable, TypeCountTable


def _today() -> dt.date:
    return timezone.localdate()


def _document(user, pk: int, action: str = "view") -> Document:
    return get_object_or_404(selectors.documents_for(user, action), pk=pk)


def _require(user, action: str) -> None:
    if not user.may(action):
        raise Http404


def _default_unit_code(user) -> str:
    paths = user.scope_paths() if not user.is_unrestricted else []
    return paths[0].rstrip("/").rsplit("/", 1)[-1] if len(paths) == 1 else ""


def _by_symbols(user, text: str, field: str) -> list[Document]:
    """Documents named by their symbols (comma-separated) within the user's scope; unknown ones refused."""
    from . import rules

    found, missing = [], []
    for part in [p.strip() for p in (text or "").split(",") if p.strip()]:
        doc = selectors.documents_for(user).filter(symbol_folded=rules.fold_symbol(part)).first()
        (found.append(doc) if doc else missing.append(part))
    if missing:
        raise ValidationError({field: [_("No document %(symbols)s in your scope.") % {"symbols": ", ".join(missing)}]})
    return found


def _relations_of(user, document: Document) -> dict:
    """What ``document`` replaces or amends and what replaced or amended it (within the user's scope)."""
    out_ = restrict(DocumentRelation.objects.filter(source=document).select_related("target"), user)
    in_ = restrict(DocumentRelation.objects.filter(target=document).select_related("source"), user)
    return {"out": list(out_), "in": list(in_)}


def _citing_records(user, document: Document) -> list[dict]:
    """Plans, work programs, tasks, assignments and disciplines citing ``document`` that ``user`` may see."""
    out = []
    for kind, (model, label, _action) in services.link_targets().items():
        for obj in restrict(model.objects.filter(document=document), user)[:50]:
            out.append({"kind": kind, "label": label, "object": obj})
    return out


# List and page ------------------------------------------------------------------------------------


@login_required
def document_list(request):
    user = request.user
    base = selectors.documents_for(user)
    fs = DocumentFilterSet(request.GET or None, queryset=base)
    qs = fs.qs if fs.is_bound and fs.is_valid() else (base.none() if fs.is_bound else base)
    qs = qs.order_by("-issued_on", "-id")
    table = DocumentTable()
    if wants_export(request):
        return export_response(table, qs, "so-van-ban.xlsx", request=request)
    page = selectors.page_of(qs, request.GET.get("page"))
    return render(request, "documents/document_list.html", {
        "filter": fs, "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list),
        "may_change": user.may("change")})


@login_required
@require_GET
def document_detail(request, pk: int):
    user = request.user
    doc = _document(user, pk)
    may_change = user.may("change") and restrict(Document.objects.filter(pk=pk), user, "change").exists()
    ctx = {"doc": doc, "relations": _relations_of(user, doc), "citing": _citing_records(user, doc),
           "may_change": may_change}
    if may_change:
        from tinhgon.restructuring.models import Plan
        from tinhgon.tasks.models import Program, Task

        ctx["link_plans"] = list(restrict(Plan.objects.exclude(document=doc), user, "plan")
                                 .order_by("-effective_date", "-id")[:200]) if user.may("plan") else []
        ctx["link_programs"] = list(restrict(Program.objects.exclude(document=doc).select_related("unit"), user,
                                             "change").order_by("-id")[:200])
        # tasks: first those of the programs that cite this document, then the latest
        tasks = restrict(Task.objects.exclude(document=doc).exclude(status=Task.CANCELLED), user, "change")
        ctx["link_tasks"] = list(tasks.select_related("lead_unit").order_by(
            Case(When(program__document=doc, then=0), default=1), "-id")[:200])
        ctx["status_form"] = f.StatusForm(initial={"status": doc.status, "on": doc.status_on})
        ctx["relate_form"] = f.RelateForm()
    return render(request, "documents/document_detail.html", ctx)


@login_required
@require_GET
def document_attachment(request, pk: int):
    doc = _document(request.user, pk)
    if not doc.attachment:
        raise Http404
    name = doc.attachment.name.rsplit("/", 1)[-1]
    response = FileResponse(doc.attachment.open("rb"), as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


# Registering --------------------------------------------------------------------------------------


@login_required
def document_register(request):
    user = request.user
    _require(user, "change")
    initial = {"issued_on": _today(), "unit_code": _default_unit_code(user)}
    t = DocumentType.objects.filter(code=request.GET.get("type", "nghi-quyet")).first()
    if t:
        initial["doc_type"] = t.pk
    form = f.RegisterForm(request.POST or None, request.FILES or None, initial=initial)

    def call(d):
        replaces = _by_symbols(user, d["replaces"], "replaces")
        amends = _by_symbols(user, d["amends"], "amends")
        return services.document_register(
            user=user, doc_type=d["doc_type"], unit=d["unit_code"], issued_on=d["issued_on"], title=d["title"],
            number=d["number"], number_reason=d["number_reason"], issuer_symbol=d["issuer_symbol"],
            signer=d["signer"], summary=d["summary"], attachment=d["attachment"], replaces=replaces, amends=amends)

    proposal = _proposal_of(form if form.is_bound else None, initial)
    return service_form(request, form, call, done=lambda d: _("Document %(symbol)s registered.") % {"symbol": d.symbol},
                        then=lambda d: reverse("documents:document", args=[d.pk]), title=_("Register an issued document"),
                        cancel=reverse("documents:document_list"), field_map={"unit": "unit_code"},
                        template="documents/register.html", proposal=proposal, multipart=True)


def _proposal_of(form, initial) -> services.Proposal | dict | None:
    data = form.data if form is not None else initial
    try:
        t = DocumentType.objects.filter(pk=int(data.get("doc_type") or 0)).first()
    except (TypeError, ValueError):
        t = None
    code = (data.get("unit_code") or "").strip()[:40]
    raw = data.get("issued_on")
    try:
        day = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw or ""))
    except ValueError:
        day = None
    unit = unit_for_code(code, day or _today()) if code else None
    if t is None or unit is None or day is None:
        return None
    return services.document_propose(doc_type=t, unit=unit, issued_on=day)


@login_required
@require_GET
def proposal(request):
    """The proposed number for the type, issuer and date in the query (the register form refreshes it)."""
    _require(request.user, "change")
    p = _proposal_of(None, request.GET)
    return render(request, "documents/partials/proposal.html", {"proposal": p})


@login_required
def document_receive(request):
    user = request.user
    _require(user, "change")
    t = DocumentType.objects.filter(code="ket-luan").first()
    form = f.ReceiveForm(request.POST or None, request.FILES or None,
                         initial={"issued_on": _today(), "unit_code": _default_unit_code(user),
                                  "doc_type": t.pk if t else None})
    return service_form(request, form, lambda d: services.document_receive(
        user=user, doc_type=d["doc_type"], unit=d["unit_code"], symbol=d["symbol"], issuer_name=d["issuer_name"],
        issued_on=d["issued_on"], title=d["title"], signer=d["signer"], summary=d["summary"],
        attachment=d["attachment"]),
        done=lambda d: _("Received document %(symbol)s recorded.") % {"symbol": d.symbol},
        then=lambda d: reverse("documents:document", args=[d.pk]), title=_("Record a received document"),
        cancel=reverse("documents:document_list"), field_map={"unit": "unit_code"},
        template="documents/register.html", multipart=True)


@login_required
def document_edit(request, pk: int):
    user = request.user
    _require(user, "change")
    doc = _document(user, pk, "change")
    form = f.EditForm(request.POST or None, request.FILES or None,
                      initial={"title": doc.title, "signer": doc.signer, "summary": doc.summary})
    return service_form(request, form, lambda d: services.document_update(user=user, document=doc, **d),
                        done=lambda d: _("Document %(symbol)s changed.") % {"symbol": d.symbol},
                        then=lambda d: reverse("documents:document", args=[d.pk]),
                        title=_("Change %(symbol)s") % {"symbol": doc.symbol},
                        cancel=reverse("documents:document", args=[doc.pk]), template="documents/register.html",
                        multipart=True)


@login_required
def document_delete(request, pk: int):
    user = request.user
    _require(user, "change")
    doc = _document(user, pk, "change")
    return confirm_delete(request, lambda: services.document_delete(user=user, document=doc),
                          done=_("Document %(symbol)s deleted.") % {"symbol": doc.symbol},
                          then=reverse("documents:document_list"),
                          title=_("Delete %(symbol)s") % {"symbol": doc.symbol},
                          cancel=reverse("documents:document", args=[doc.pk]),
                          intro=_("Delete only a document registered by mistake. A document that plans, programs, "
                                  "decisions or later documents cite cannot be deleted."))


def _post_back(request, doc: Document, form, call, done: str):
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not do this."))
        else:
            messages.success(request, done)
            return redirect("documents:document", pk=doc.pk)
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)
    return redirect("documents:document", pk=doc.pk)


@login_required
@require_POST
def document_status(request, pk: int):
    user = request.user
    _require(user, "change")
    doc = _document(user, pk, "change")
    return _post_back(request, doc, f.StatusForm(request.POST),
                      lambda d: services.document_set_status(user=user, document=doc, status=d["status"], on=d["on"]),
                      _("Validity changed."))


@login_required
@require_POST
def document_relate(request, pk: int):
    user = request.user
    _require(user, "change")
    doc = _document(user, pk, "change")

    def call(d):
        target = _by_symbols(user, d["target"], "target")[0]
        services.document_relate(user=user, document=doc, target=target, kind=d["kind"])

    return _post_back(request, doc, f.RelateForm(request.POST), call, _("Relation recorded."))


@login_required
@require_POST
def document_link(request, pk: int):
    """Make a plan, program, task, assignment or discipline cite this document (``unlink`` removes it)."""
    user = request.user
    _require(user, "change")
    doc = _document(user, pk)
    unlink = request.POST.get("unlink") == "1"
    return _post_back(request, doc, f.LinkForm(request.POST),
                      lambda d: services.document_link(user=user, document=None if unlink else doc, kind=d["kind"],
                                                       pk=d["record"]),
                      _("Link removed.") if unlink else _("Record linked to %(symbol)s.") % {"symbol": doc.symbol})


# Counts -------------------------------------------------------------------------------------------


@login_required
@require_GET
def counts(request):
    user = request.user
    form = f.CountsForm(request.GET or None)
    unit, start, end, term = None, None, None, None
    today = _today()
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["unit"].strip()
        if code:
            unit = unit_for_code(code, today)
            if unit is None:
                form.add_error("unit", _("No unit has the code %(code)s.") % {"code": code})
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    if unit is not None and not start and not end:
        term = term_on(unit, today, kind="party_committee")
        if term is not None:
            start = term.valid_from
    if not start and not end:
        start = dt.date(today.year, 1, 1)
    rows = selectors.documents_counts(selectors.documents_for(user), unit=unit, start=start, end=end) if not form.errors else []
    table = TypeCountTable()
    period = f"{fmt_date(start)} – {fmt_date(end or today)}"
    if wants_export(request):
        return export_response(table, rows, "van-ban-theo-loai.xlsx", request=request,
                               info=[(_("Period"), period), (_("Unit"), unit.name if unit else _("Your scope"))])
    chart = bar_chart([(f"{r.name} ({r.abbreviation})" if r.abbreviation else r.name, r.issued) for r in rows],
                      width=1100, label_w=300)
    return render(request, "documents/counts.html", {
        "form": form, "rows": table.html_rows(rows), "headers": table.headers(), "chart": chart, "unit": unit,
        "term": term, "period": period, "issued": sum(r.issued for r in rows),
        "received": sum(r.received for r in rows), "start": start, "end": end})


# Types --------------------------------------------------------------------------------------------


@login_required
@require_GET
def type_list(request):
    may_edit = may_change_everywhere(request.user)
    table = DocumentTypeTable(may_edit)
    qs = DocumentType.objects.all()
    if wants_export(request):
        return export_response(table, qs, "loai-van-ban.xlsx", request=request)
    return render(request, "documents/type_list.html", {"headers": table.headers(), "rows": table.html_rows(qs),
                                                         "may_edit": may_edit})


def _type_form(request, instance: DocumentType | None):
    if not may_change_everywhere(request.user):
        raise Http404
    form = f.DocumentTypeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_type_save(user=request.user, instance=form.save(commit=False))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Document type saved."))
            return redirect("documents:type_list")
    return form_page(request, form, title=_("Document type") if instance else _("New document type"),
                     cancel=reverse("documents:type_list"))


@login_required
def type_create(request):
    return _type_form(request, None)


@login_required
def type_edit(request, pk: int):
    return _type_form(request, get_object_or_404(DocumentType, pk=pk))
