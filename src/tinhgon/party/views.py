"""Pages of party organizations and members: the organizations of a scope with their members,
a member's page with the whole membership history and its actions (official membership,
transfer, leaving), admission, and the development rate with its chart."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.apparatus.models import Unit
from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.scoping import in_scope, may_reach, restrict
from tinhgon.core.tables import export_response, paginate, wants_export
from tinhgon.core.views_generic import service_form

from . import forms as f
from . import selectors, services
from .charts import rate_chart, years_chart
from .models import ORGANIZATION_KINDS, PartyMember
from .tables import MemberTable, OrganizationTable, RateTable

OPEN = Q(memberships__valid_to__isnull=True)


def _today() -> dt.date:
    return timezone.localdate()


def _require(user, action: str) -> None:
    if not user.may(action):
        raise Http404


def _member(user, pk, action="view") -> PartyMember:
    return get_object_or_404(selectors.members_for(user, action), pk=pk)


@login_required
def organization_list(request):
    user = request.user
    qs = (selectors.organizations_under(selectors.scope_prefixes(user), on=_today())
          .annotate(n_members=Count("memberships", filter=OPEN),
                    n_probationary=Count("memberships", filter=OPEN & Q(memberships__member__official_date__isnull=True)))
          .order_by("path"))
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    table = OrganizationTable()
    if wants_export(request):
        return export_response(table, qs, "to-chuc-dang.xlsx", request=request)
    page = paginate(request, qs)
    return render(request, "party/organization_list.html", {
        "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list), "q": q,
        "may_admit": user.may("change")})


@login_required
def organization_detail(request, pk: int):
    user = request.user
    org = get_object_or_404(Unit.objects.select_related("kind").filter(kind__code__in=ORGANIZATION_KINDS), pk=pk)
    if not in_scope(user, org.path) or not user.may("view"):
        raise Http404
    today = _today()
    qs = selectors.members_for(user).filter(organization__code=org.code, left_on__isnull=True).order_by("full_name", "id")
    table = MemberTable(today)
    if wants_export(request):
        return export_response(table, qs, f"dang-vien-{org.code}.xlsx", request=request)
    page = paginate(request, qs)
    year = today.year
    rate = {r.path: r for r in selectors.development_rate(year=year, prefixes=[org.path], floor=org.path)}.get(org.path)
    return render(request, "party/organization_detail.html", {
        "org": org, "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list),
        "rate": rate, "year": year, "may_admit": user.may("change")})


@login_required
def member_list(request):
    user = request.user
    today = _today()
    qs = selectors.members_for(user).order_by("organization_path", "full_name", "id")
    g = request.GET
    q = (g.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(card_number__icontains=q))
    status = g.get("status", "")
    if status == "full":
        qs = qs.filter(left_on__isnull=True, official_date__isnull=False)
    elif status == "probationary":
        qs = qs.filter(left_on__isnull=True, official_date__isnull=True)
    elif status == "left":
        qs = qs.filter(left_on__isnull=False)
    elif status != "all":
        qs = qs.filter(left_on__isnull=True)
    table = MemberTable(today)
    if wants_export(request):
        return export_response(table, qs, "dang-vien.xlsx", request=request)
    page = paginate(request, qs)
    return render(request, "party/member_list.html", {
        "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list), "q": q,
        "status": status, "may_admit": user.may("change")})


@login_required
def member_create(request):
    user = request.user
    _require(user, "change")
    initial = {"admission_date": _today()}
    if request.GET.get("organization"):
        initial["organization_code"] = request.GET["organization"][:40]
    form = f.AdmitForm(request.POST or None, user=user, initial=initial)
    return service_form(request, form, lambda d: services.member_admit(user=user, **form.service_kwargs()),
                        done=lambda m: _("%(name)s admitted.") % {"name": m.full_name},
                        then=lambda m: reverse("party:member", args=[m.pk]), title=_("Admit a party member"),
                        cancel=reverse("party:member_list"), field_map=f.FIELD_MAP)


@login_required
def member_detail(request, pk: int):
    user = request.user
    member = _member(user, pk)
    today = _today()
    from tinhgon.party.rules import probation_end

    return render(request, "party/member_detail.html", {
        "member": member, "history": selectors.memberships_of(user, member), "today": today,
        "status": member.status_label(today), "status_key": member.status_on(today), "probation_end": probation_end(member.admission_date),
        "may_change": user.may("change") and may_reach(user, member, "change"),
        "cadre_visible": member.cadre_id and restrict(type(member.cadre).objects.filter(pk=member.cadre_id),
                                                      user).exists()})


@login_required
def member_act(request, pk: int, action: str):
    user = request.user
    _require(user, "change")
    member = _member(user, pk, "change")
    back = reverse("party:member", args=[member.pk])
    crumbs = {"breadcrumbs": [(_("Party members"), reverse("party:member_list")), (member.full_name, back)]}
    if action == "official":
        from .rules import probation_end

        form = f.OfficialForm(request.POST or None, initial={"official_date": probation_end(member.admission_date)})
        return service_form(request, form, lambda d: services.member_make_official(user=user, member=member, **d),
                            done=lambda m: _("%(name)s is a full member.") % {"name": m.full_name},
                            then=lambda m: back, title=_("Recognize as full member"), cancel=back, **crumbs)
    if action == "transfer":
        form = f.TransferForm(request.POST or None, initial={"on": _today()})
        return service_form(request, form, lambda d: services.member_transfer(
            user=user, member=member, organization=d["organization_code"], on=d["on"], note=d["note"]),
            done=lambda m: _("Membership transferred."), then=lambda m: back, title=_("Transfer the membership"),
            cancel=back, field_map={"organization": "organization_code"}, **crumbs)
    if action == "leave":
        form = f.LeaveForm(request.POST or None, initial={"on": _today()})
        return service_form(request, form, lambda d: services.member_leave(user=user, member=member, **d),
                            done=lambda m: _("Leaving recorded."), then=lambda m: back,
                            title=_("Record leaving the party"), cancel=back, danger=True, **crumbs)
    raise Http404


@login_required
def development(request):
    user = request.user
    today = _today()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 1930 <= int(raw) <= 9999 else today.year
    code = (request.GET.get("unit") or "").strip()[:40]
    root = None
    if code:
        root = unit_for_code(code, dt.date(year, 12, 31)) or unit_for_code(code)
    depth_raw = request.GET.get("depth", "")
    # the page opens on the unit and the level below (a link on a row opens it); Excel has every row
    depth = int(depth_raw) if depth_raw.isdigit() and int(depth_raw) < 20 else (None if wants_export(request) else 1)
    prefixes = selectors.scope_prefixes(user, root)
    rows = selectors.development_rate(year=year, prefixes=prefixes, floor=root.path if root else "", depth=depth)
    table = RateTable()
    if wants_export(request):
        return export_response(table, rows, f"ty-le-phat-trien-dang-vien-{year}.xlsx", request=request)
    top = min((r.depth for r in rows), default=0)
    # the chart compares the units at the top when there are several (the country: its provinces),
    # else the level below the one unit shown
    tops = [r for r in rows if r.depth == top]
    children = tops if len(tops) > 1 else ([r for r in rows if r.depth == top + 1] or tops)
    series = selectors.admissions_by_year(years=list(range(year - 4, year + 1)), prefixes=prefixes)
    # years before any organization of the scope held members are no data, not zero admissions
    while len(series) > 1 and series[0][1] == 0 and series[0][2] == 0:
        series = series[1:]
    return render(request, "party/development.html", {
        "rows": rows[:2000], "total_rows": len(rows), "year": year, "unit": code,
        "depth": "" if depth is None else depth,
        "unknown_unit": bool(code) and root is None, "headers": table.headers(),
        "table_rows": table.html_rows(rows[:2000]), "chart": rate_chart(children), "years": years_chart(series),
        "series": series})
