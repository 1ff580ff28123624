"""Pages of citizen petitions: the list, intake with similar matters, a matter and its workflow,
repeat contacts, deadlines and escalation, hot spots, reports, reception and dialogue sessions,
and the administrators' calendars (day swaps, remote areas)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.scoping import may_reach, restrict
from tinhgon.core.tables import export_response, paginate, wants_export
from tinhgon.core.text import fold
from tinhgon.core.views_generic import service_form

from . import forms as f
from . import selectors, services
from .models import KINDS, SUBJECTS, HotSpot, Petition
from .protection import identity_visible
from .tables import PetitionTable


def _today() -> dt.date:
    return timezone.localdate()


def _require(user, action: str) -> None:
    if not user.may(action):
        raise Http404


def _petition(user, pk, action="view") -> Petition:
    qs = Petition.objects.select_related("place", "handling_unit", "first_round", "leader", "escalated_to")
    return get_object_or_404(restrict(qs, user, action), pk=pk)


def _unit(code: str, on: dt.date | None = None):
    code = (code or "").strip()
    return (unit_for_code(code, on or _today()) or unit_for_code(code)) if code else None


# List and intake -------------------------------------------------------------------------------


def _filtered(request):
    g = request.GET
    user = request.user
    unit = _unit(g.get("unit", ""))
    qs = selectors.petitions_for(user, unit=unit) if unit else selectors.petitions_for(user)
    if g.get("unit") and unit is None:
        qs = qs.none()
    if g.get("kind") in dict(KINDS):
        qs = qs.filter(kind=g["kind"])
    if g.get("subject") in dict(SUBJECTS):
        qs = qs.filter(subject=g["subject"])
    if g.get("status") in dict(Petition.STATUSES):
        qs = qs.filter(status=g["status"])
    today = _today()
    if g.get("due") == "overdue":
        qs = qs.filter(status__in=Petition.OPEN, deadline__lt=today)
    elif g.get("due") == "soon":
        qs = qs.filter(status__in=Petition.OPEN, deadline__gte=today,
                       deadline__lte=today + dt.timedelta(days=selectors.DUE_SOON_DAYS))
    q = (g.get("q") or "").strip()
    if q:
        folded = fold(q)
        qs = qs.filter(Q(code__iexact=q) | Q(text_folded__contains=folded))
    for key in ("received_from", "received_to"):
        try:
            day = dt.date.fromisoformat(g[key]) if g.get(key) else None
        except ValueError:
            day = None
        if day:
            qs = qs.filter(**{"received_on__gte" if key == "received_from" else "received_on__lte": day})
    return qs


@login_required
def petition_list(request):
    user = request.user
    qs = _filtered(request).select_related("place", "handling_unit").order_by("-received_on", "-id")
    table = PetitionTable(_today())
    if wants_export(request):
        if request.GET.get("petitioners"):
            # A denouncer's identity is never exported; the lists carry no petitioners at all.
            messages.error(request, _("Petitioners' identities are not exported: a denouncer's identity is "
                                      "protected by law. The list was not exported."))
            return redirect(reverse("petitions:petition_list"))
        return export_response(table, qs, "don-thu.xlsx", request=request)
    page = paginate(request, qs)
    g = request.GET
    return render(request, "petitions/petition_list.html", {
        "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list), "kinds": KINDS,
        "subjects": SUBJECTS, "statuses": Petition.STATUSES, "f": {k: g.get(k, "") for k in
                                                                ("q", "unit", "kind", "subject", "status", "due")},
        "may_create": user.may("change")})


@login_required
def petition_create(request):
    user = request.user
    _require(user, "change")
    form = f.IntakeForm(request.POST or None, initial=request.GET or None)
    return service_form(
        request, form, lambda d: services.petition_receive(user=user, **form.service_kwargs(user)),
        done=lambda p: _("Matter %(code)s received.") % {"code": p.code},
        then=lambda p: reverse("petitions:petition", args=[p.pk]), title=_("Receive a matter"),
        cancel=reverse("petitions:petition_list"), field_map=f.FIELD_MAP, template="petitions/intake.html",
        submit=_("Receive"))


@login_required
def similar(request):
    """The intake page's panel (HTMX): existing matters like the one being typed.  The page posts
    what is typed, so that names and addresses stay out of the server's access logs; the names of
    a denunciation's petitioners are not compared at all."""
    user = request.user
    g = request.POST if request.method == "POST" else request.GET
    text = " ".join(x for x in (g.get("title", ""), g.get("content", "")) if x)[:2000]
    place, note = None, ""
    if g.get("place_text"):
        try:
            place = services.resolve_place(g["place_text"], _today())
        except ValidationError as exc:
            note = " ".join(exc.messages)
    names = [] if g.get("kind") == "denunciation" else \
        [p["full_name"] for p in f.parse_petitioners(g.get("petitioners", ""))][:50]
    hits = selectors.similar(user, text=text, place=place, subject=g.get("subject", ""), names=names) \
        if (text.strip() or names) else []
    return render(request, "petitions/partials/similar.html", {"hits": hits, "place": place, "note": note,
                                                               "may_link": user.may("change")})


@login_required
def petition_detail(request, pk: int):
    user = request.user
    p = _petition(user, pk)
    today = _today()
    show_identity = identity_visible(user, p)
    petitioners = list(p.petitioners.all()) if show_identity else []
    if p.protected and show_identity:
        services.identity_access_log(user=user, petition=p, via="page")
    may_change = user.may("change") and may_reach(user, p, "change")
    return render(request, "petitions/petition_detail.html", {
        "p": p, "today": today, "days_left": p.days_left(today), "petitioners": petitioners,
        "show_identity": show_identity, "contacts": p.contacts.order_by("on", "id"),
        "events": p.events.select_related("actor").order_by("on", "id"), "may_change": may_change,
        "officers": p.handling_officers.all() if may_change or show_identity else [],
        "second_rounds": restrict(p.second_rounds.all(), user), "hotspots": restrict(p.hotspots.all(), user),
        "dialogues": restrict(p.dialogue_sessions.select_related("leader"), user).order_by("on", "id")})


@login_required
def contact_create(request, pk: int):
    user = request.user
    p = _petition(user, pk, "change")
    form = f.ContactForm(request.POST or None)
    return service_form(
        request, form, lambda d: services.contact_add(user=user, petition=p, **form.service_kwargs()),
        done=lambda c: _("Repeat contact linked to %(code)s.") % {"code": p.code},
        then=lambda c: reverse("petitions:petition", args=[p.pk]), title=_("Link a repeat contact"),
        cancel=reverse("petitions:petition", args=[p.pk]), subtitle=f"{p.code} — {p.title}",
        template="petitions/action_form.html", submit=_("Link the contact"))


ACTIONS = {
    "accept": (f.AcceptForm, _("Accept the matter")),
    "reject": (f.ReasonForm, _("Do not accept")),
    "verify": (f.NoteForm, _("Start verification")),
    "extend": (f.ExtendForm, _("Extend the settlement period")),
    "suspend": (f.SuspendForm, _("Record a suspension")),
    "conclude": (f.ConcludeForm, _("Settle with a conclusion")),
    "close": (f.NoteForm, _("Close the matter")),
    "route": (f.RouteForm, _("Re-route to another unit")),
    "officers": (f.OfficersForm, _("Handling officers")),
}


def _call(action, user, p, d):
    if action == "accept":
        return services.petition_accept(user=user, petition=p, on=d["on"], complexity=d["complexity"])
    if action == "reject":
        return services.petition_reject(user=user, petition=p, on=d["on"], reason=d["reason"])
    if action == "verify":
        return services.petition_verify(user=user, petition=p, on=d["on"], note=d["note"])
    if action == "extend":
        return services.petition_extend(user=user, petition=p, on=d["on"], reason=d["reason"],
                                        complexity=d.get("complexity") or None)
    if action == "suspend":
        return services.petition_suspend(user=user, petition=p, on=d["on"], reason=d["reason"], days=d["days"])
    if action == "conclude":
        return services.petition_conclude(user=user, petition=p, on=d["on"], conclusion=d["conclusion"])
    if action == "close":
        return services.petition_close(user=user, petition=p, on=d["on"], note=d["note"])
    if action == "route":
        unit = _unit(d["unit_code"], d["on"])
        if unit is None:
            raise ValidationError({"unit_code": [_("No unit has the code %(code)s.") % {"code": d["unit_code"]}]})
        return services.petition_route(user=user, petition=p, unit=unit, reason=d["reason"], on=d["on"])
    from tinhgon.accounts.models import User

    names = [n.strip() for n in (d["usernames"] or "").split(",") if n.strip()]
    users = list(User.objects.filter(username__in=names))
    missing = sorted(set(names) - {u.username for u in users})
    if missing:
        raise ValidationError({"usernames": [_("Unknown users: %(names)s.") % {"names": ", ".join(missing)}]})
    leader = None
    if d.get("leader_id"):
        from tinhgon.cadres.models import Cadre

        leader = restrict(Cadre.objects.all(), user).filter(pk=d["leader_id"]).first()
        if leader is None:
            raise ValidationError({"leader_id": [_("No cadre has the record number %(n)s.") % {"n": d["leader_id"]}]})
    return services.petition_officers_set(user=user, petition=p, officers=users, leader=leader)


@login_required
def petition_act(request, pk: int, action: str):
    user = request.user
    if action not in ACTIONS:
        raise Http404
    p = _petition(user, pk, "change")
    form_class, title = ACTIONS[action]
    initial = {"usernames": ", ".join(p.handling_officers.values_list("username", flat=True)),
               "leader_id": p.leader_id} if action == "officers" else None
    form = form_class(request.POST or None, initial=initial)

    def call(d):
        try:
            return _call(action, user, p, d) or True
        except PermissionDenied as exc:
            raise ValidationError(str(exc) or _("You may not do this.")) from None

    return service_form(request, form, call, done=lambda r: _("%(action)s: done.") % {"action": title},
                        then=lambda r: reverse("petitions:petition", args=[p.pk]), title=title,
                        cancel=reverse("petitions:petition", args=[p.pk]), subtitle=f"{p.code} — {p.title}",
                        template="petitions/action_form.html", field_map={"unit": "unit_code", "on": "on"})


# Deadlines and escalation ----------------------------------------------------------------------


@login_required
def deadlines(request):
    user = request.user
    today = _today()
    table = PetitionTable(today)
    lists = selectors.deadline_lists(user, today)
    overdue = lists["overdue"].select_related("place", "handling_unit").order_by("deadline", "id")
    soon = lists["soon"].select_related("place", "handling_unit").order_by("deadline", "id")
    if wants_export(request):
        which = overdue if request.GET.get("list") != "soon" else soon
        return export_response(table, which, "don-thu-han.xlsx", request=request)
    return render(request, "petitions/deadlines.html", {
        "today": today, "headers": table.headers(), "overdue_rows": table.html_rows(overdue[:50]),
        "soon_rows": table.html_rows(soon[:50]), "n_overdue": overdue.count(), "n_soon": soon.count(),
        "units": lists["units"][:20], "leaders": lists["leaders"][:20],
        "more_units": max(0, len(lists["units"]) - 20), "more_leaders": max(0, len(lists["leaders"]) - 20),
        "may_change": user.may("change")})


@login_required
@require_POST
def escalate(request):
    user = request.user
    _require(user, "change")
    n = services.petitions_escalate(user=user, queryset=selectors.petitions_for(user, "change"))
    messages.success(request, _("%(n)s overdue matters escalated to the heads of their units.") % {"n": n})
    return redirect("petitions:deadlines")


# Hot spots -------------------------------------------------------------------------------------


@login_required
def hotspot_list(request):
    from .tables import HotSpotTable

    user = request.user
    status = request.GET.get("status", "open")
    qs = selectors.hotspots_for(user, status=status if status in ("open", *dict(HotSpot.STATUSES)) else None)
    table = HotSpotTable()
    if wants_export(request):
        return export_response(table, qs, "diem-nong.xlsx", request=request)
    page = paginate(request, qs)
    return render(request, "petitions/hotspot_list.html", {
        "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list), "status": status,
        "statuses": HotSpot.STATUSES, "may_change": user.may("change")})


@login_required
@require_POST
def hotspot_detect(request):
    from tinhgon.core.jobs import job_start
    from tinhgon.core.views_jobs import job_start_response

    from .jobs import KIND

    user = request.user
    _require(user, "change")
    roots = None if user.is_unrestricted else user.scope_paths()
    job = job_start(kind=KIND, user=user, params={"roots": roots})
    messages.info(request, _("Hot-spot detection started."))
    return job_start_response(request, job)


def _hotspot(user, pk, action="view") -> HotSpot:
    return get_object_or_404(restrict(HotSpot.objects.select_related("place", "owner"), user, action), pk=pk)


@login_required
def hotspot_detail(request, pk: int):
    user = request.user
    h = _hotspot(user, pk)
    return render(request, "petitions/hotspot_detail.html", {
        "h": h, "matters": restrict(h.petitions.select_related("place", "handling_unit"), user)[:100],
        "dialogues": restrict(h.dialogues.select_related("leader"), user),
        "may_change": user.may("change") and may_reach(user, h, "change")})


@login_required
def hotspot_plan(request, pk: int):
    from tinhgon.cadres.models import Cadre

    user = request.user
    h = _hotspot(user, pk, "change")
    form = f.HotSpotPlanForm(request.POST or None, initial={"owner_id": h.owner_id, "plan_kind": h.plan_kind,
                                                            "plan": h.plan})

    def call(d):
        owner = restrict(Cadre.objects.all(), user).filter(pk=d.get("owner_id")).first() if d.get("owner_id") else None
        return services.hotspot_update(user=user, hotspot=h, owner=owner, plan_kind=d["plan_kind"], plan=d["plan"])

    return service_form(request, form, call, done=lambda r: _("Hot spot plan saved."),
                        then=lambda r: reverse("petitions:hotspot", args=[h.pk]), title=_("Owner and plan"),
                        cancel=reverse("petitions:hotspot", args=[h.pk]), subtitle=str(h),
                        template="petitions/action_form.html", field_map={"owner": "owner_id"})


@login_required
def hotspot_resolve(request, pk: int):
    user = request.user
    h = _hotspot(user, pk, "change")
    form = f.HotSpotResolveForm(request.POST or None)
    return service_form(
        request, form, lambda d: services.hotspot_resolve(user=user, hotspot=h, resolution=d["resolution"], on=d["on"]),
        done=lambda r: _("Hot spot resolved."), then=lambda r: reverse("petitions:hotspot", args=[h.pk]),
        title=_("Resolve the hot spot"), cancel=reverse("petitions:hotspot", args=[h.pk]), subtitle=str(h),
        template="petitions/action_form.html")
