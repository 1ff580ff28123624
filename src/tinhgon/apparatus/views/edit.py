"""Forms that change the registry. Each one checks the role ("change") and the
scope, calls one service, shows the service's errors next to the fields and
redirects with a message on success (POST → redirect → GET)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhgon.core.scoping import CHANGE, may_change_everywhere, restrict
from tinhgon.core.tables import fmt_date
from tinhgon.core.views_generic import SAVE, confirm_delete, form_page, run_service

from .. import services
from ..forms import (
    FunctionForm,
    FunctionHoldingForm,
    PayrollQuotaForm,
    PositionForm,
    PowerForm,
    PowerHoldingForm,
    UnitChangeForm,
    UnitCreateForm,
    UnitEndForm,
)
from ..models import Function, PayrollQuota, Position, Power
from .common import parse_date, scoped_version, today, unit_for_change_or_404


def _form_page(request, form, *, title, unit=None, submit=SAVE, intro="", danger=False, cancel=None):
    cancel = cancel or (reverse("apparatus:unit", args=[unit.pk]) if unit else reverse("apparatus:tree"))
    return form_page(request, form, title=title, cancel=cancel, submit=submit, intro=intro, danger=danger,
                     template="apparatus/form.html", unit=unit)


_run = run_service


@login_required
def unit_create(request):
    user = request.user
    if not user.may(CHANGE):
        raise Http404
    initial = {"parent_code": request.GET.get("parent", ""), "valid_from": parse_date(request.GET.get("on")) or today()}
    form = UnitCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        parent_code = fields["parent_code"]
        if parent_code:
            if scoped_version(user, parent_code, fields["valid_from"], CHANGE) is None:
                form.add_error("parent_code", _("No unit with code %(code)s valid on %(date)s inside your scopes.")
                               % {"code": parent_code, "date": fmt_date(fields["valid_from"])})
        elif not user.is_unrestricted:
            form.add_error("parent_code", _("Only administrators may create a top-level unit; give a parent code."))
        if not form.errors:
            unit = _run(form, lambda: services.unit_create(**fields))
            if unit is not None:
                messages.success(request, _("Unit %(name)s (%(code)s) created.") % {"name": unit.name, "code": unit.code})
                return redirect("apparatus:unit", unit.pk)
    return _form_page(request, form, title=_("New unit"), cancel=reverse("apparatus:unit_list"))


@login_required
def unit_change(request, pk: int):
    user = request.user
    unit = unit_for_change_or_404(user, pk)
    form = UnitChangeForm(request.POST or None, initial={
        "on": today() if unit.is_valid_on(today()) and unit.valid_from < today() else None,
        "name": unit.name, "short_name": unit.short_name, "kind": unit.kind.code, "parent_code": unit.parent_code,
    })
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        parent_code = d["parent_code"].strip()
        if parent_code != unit.parent_code:
            if parent_code and scoped_version(user, parent_code, d["on"], CHANGE) is None:
                form.add_error("parent_code", _("No unit with code %(code)s valid on %(date)s inside your scopes.")
                               % {"code": parent_code, "date": fmt_date(d["on"])})
            elif not parent_code and not user.is_unrestricted:
                form.add_error("parent_code", _("Only administrators may make a unit top-level."))
        if not form.errors:
            new = _run(form, lambda: services.unit_change(
                unit=unit, on=d["on"], name=d["name"].strip(), short_name=d["short_name"].strip(),
                kind=d["kind"].code, parent_code=parent_code, note=d["note"]))
            if new is not None:
                messages.success(request, _("New version of %(name)s valid from %(date)s.")
                                 % {"name": new.name, "date": fmt_date(new.valid_from)})
                return redirect("apparatus:unit", new.pk)
    return _form_page(request, form, title=_("Change %(name)s") % {"name": unit.name}, unit=unit,
                      intro=_("A change ends this version the day before and starts a new one: "
                              "the history is kept. Moving a unit moves every unit below it."))


@login_required
def unit_end(request, pk: int):
    unit = unit_for_change_or_404(request.user, pk)
    form = UnitEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ended = _run(form, lambda: services.unit_end(unit=unit, on=d["on"], note=d["note"]))
        if ended is not None:
            messages.success(request, _("%(name)s ends: its last valid day is %(date)s.")
                             % {"name": ended.name, "date": fmt_date(ended.last_valid_day)})
            return redirect("apparatus:unit", ended.pk)
    return _form_page(request, form, title=_("End %(name)s") % {"name": unit.name}, unit=unit,
                      submit=gettext_lazy("End the unit"), danger=True,
                      intro=_("Units below it must be ended or moved first."))


@login_required
def position_create(request, pk: int):
    unit = unit_for_change_or_404(request.user, pk)
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        position = _run(form, lambda: services.position_create(unit=unit, **form.cleaned_data))
        if position is not None:
            messages.success(request, _("Position %(title)s added.") % {"title": position.title})
            return redirect("apparatus:unit", unit.pk)
    return _form_page(request, form, title=_("New position in %(name)s") % {"name": unit.name}, unit=unit)


@login_required
def quota_set(request, pk: int):
    unit = unit_for_change_or_404(request.user, pk)
    form = PayrollQuotaForm(request.POST or None, initial={"year": today().year})
    if request.method == "POST" and form.is_valid():
        quota = _run(form, lambda: services.payroll_quota_set(unit=unit, **form.cleaned_data))
        if quota is not None:
            messages.success(request, _("Payroll quota %(year)s set to %(quota)s.")
                             % {"year": quota.year, "quota": quota.quota})
            return redirect("apparatus:unit", unit.pk)
    return _form_page(request, form, title=_("Payroll quota of %(name)s") % {"name": unit.name}, unit=unit,
                      intro=_("Setting the quota of a year that already has one replaces that figure."))


def _holding_create(request, pk: int, form_class, create, held, done: str, title: str):
    """A unit takes on a function or a power (its form prefilled with the unit's period)."""
    unit = unit_for_change_or_404(request.user, pk)
    form = form_class(request.POST or None, initial={"valid_from": unit.valid_from, "valid_to": unit.valid_to})
    if request.method == "POST" and form.is_valid():
        holding = _run(form, lambda: create(unit=unit, **form.cleaned_data))
        if holding is not None:
            messages.success(request, done % {"name": held(holding).name})
            return redirect("apparatus:unit", unit.pk)
    return _form_page(request, form, title=title % {"name": unit.name}, unit=unit)


@login_required
def function_holding_create(request, pk: int):
    return _holding_create(request, pk, FunctionHoldingForm, services.function_holding_create, lambda h: h.function,
                           _("Function %(name)s recorded."), _("Function held by %(name)s"))


@login_required
def power_holding_create(request, pk: int):
    return _holding_create(request, pk, PowerHoldingForm, services.power_holding_create, lambda h: h.power,
                           _("Power %(name)s recorded."), _("Power held by %(name)s"))


def _definer_or_404(user) -> None:
    if not may_change_everywhere(user):
        raise Http404


def _definition_create(request, form_class, create, created: str, title: str):
    """A new function or power (administrators): the form, the service, back to coverage."""
    _definer_or_404(request.user)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data, required_in_kinds=[k.code for k in form.cleaned_data["required_in_kinds"]])
        obj = _run(form, lambda: create(**d))
        if obj is not None:
            messages.success(request, created % {"name": obj.name})
            return redirect("apparatus:coverage")
    return _form_page(request, form, title=title, cancel=reverse("apparatus:coverage"))


@login_required
def function_create(request):
    return _definition_create(request, FunctionForm, services.function_create,
                              _("Function %(name)s created."), _("New function"))


@login_required
def power_create(request):
    return _definition_create(request, PowerForm, services.power_create,
                              _("Power %(name)s created."), _("New power"))



def _definition_edit(request, obj, form_class, update, changed: str, title: str):
    """Change a function or power (administrators); its code stays (imports and holdings use it)."""
    _definer_or_404(request.user)
    initial = {f: getattr(obj, f) for f in form_class.base_fields if hasattr(obj, f) and f != "required_in_kinds"}
    initial["required_in_kinds"] = list(obj.required_in_kinds or [])
    if "function" in form_class.base_fields:
        initial["function"] = obj.function.code if obj.function_id else None
    form = form_class(request.POST or None, initial=initial)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data, required_in_kinds=[k.code for k in form.cleaned_data["required_in_kinds"]])
        d.pop("code", None)
        done = _run(form, lambda: update(obj, d))
        if done is not None:
            messages.success(request, changed % {"name": done.name})
            return redirect("apparatus:coverage")
    return _form_page(request, form, title=title, cancel=reverse("apparatus:coverage"),
                      intro=_("The code identifies it in imports, holdings and the API and does not change."))


def _confirm_delete(request, delete, *, done: str, then: str, title, cancel: str, intro, unit=None):
    return confirm_delete(request, delete, done=done, then=then, title=title, cancel=cancel, intro=intro,
                          template="apparatus/form.html", unit=unit)


def _definition_delete(request, obj, delete, deleted: str, title: str):
    """Delete a function or power no unit holds (administrators); otherwise say what refers to it."""
    _definer_or_404(request.user)
    coverage = reverse("apparatus:coverage")
    return _confirm_delete(request, lambda: delete(obj), done=deleted % {"name": obj.name}, then=coverage,
                           title=title, cancel=coverage, intro=_(
                               "Only a definition that no unit holds (and, for a function, that no power belongs "
                               "to) can be deleted. The change log keeps it."))


@login_required
def function_edit(request, pk: int):
    function = get_object_or_404(Function, pk=pk)
    return _definition_edit(request, function, FunctionForm,
                            lambda obj, d: services.function_update(function=obj, **d),
                            _("Function %(name)s changed."), _("Change function %(code)s") % {"code": function.code})


@login_required
def function_delete(request, pk: int):
    function = get_object_or_404(Function, pk=pk)
    return _definition_delete(request, function, lambda obj: services.function_delete(function=obj),
                              _("Function %(name)s deleted."),
                              _("Delete function %(name)s?") % {"name": function.name})


@login_required
def power_edit(request, pk: int):
    power = get_object_or_404(Power.objects.select_related("function"), pk=pk)
    return _definition_edit(request, power, PowerForm, lambda obj, d: services.power_update(power=obj, **d),
                            _("Power %(name)s changed."), _("Change power %(code)s") % {"code": power.code})


@login_required
def power_delete(request, pk: int):
    power = get_object_or_404(Power, pk=pk)
    return _definition_delete(request, power, lambda obj: services.power_delete(power=obj),
                              _("Power %(name)s deleted."), _("Delete power %(name)s?") % {"name": power.name})


# Positions and payroll quotas: change and delete ---------------------------------------------------


def _position_for_change(user, pk: int) -> Position:
    position = get_object_or_404(restrict(Position.objects.select_related("unit", "unit__kind"), user), pk=pk)
    unit_for_change_or_404(user, position.unit_id)
    return position


@login_required
def position_edit(request, pk: int):
    position = _position_for_change(request.user, pk)
    form = PositionForm(request.POST or None, initial={
        "title": position.title, "count": position.count, "is_leadership": position.is_leadership,
        "order": position.order})
    if request.method == "POST" and form.is_valid():
        done = _run(form, lambda: services.position_update(position=position, **form.cleaned_data))
        if done is not None:
            messages.success(request, _("Position %(title)s changed.") % {"title": done.title})
            return redirect("apparatus:position", done.pk)
    return _form_page(request, form, title=_("Change position %(title)s") % {"title": position.title},
                      unit=position.unit, cancel=reverse("apparatus:position", args=[position.pk]))


@login_required
def position_delete(request, pk: int):
    position = _position_for_change(request.user, pk)
    return _confirm_delete(
        request, lambda: services.position_delete(position=position),
        done=_("Position %(title)s deleted.") % {"title": position.title},
        then=reverse("apparatus:unit", args=[position.unit_id]),
        title=_("Delete position %(title)s?") % {"title": position.title}, unit=position.unit,
        cancel=reverse("apparatus:position", args=[position.pk]),
        intro=_("A position somebody holds now cannot be deleted. Past holders keep the title in "
                "their careers; the change log keeps the position."))


@login_required
def quota_delete(request, pk: int):
    quota = get_object_or_404(restrict(PayrollQuota.objects.select_related("unit", "unit__kind"), request.user),
                              pk=pk)
    unit = unit_for_change_or_404(request.user, quota.unit_id)
    return _confirm_delete(
        request, lambda: services.payroll_quota_delete(payroll_quota=quota),
        done=_("Payroll quota %(year)s deleted.") % {"year": quota.year},
        then=reverse("apparatus:unit", args=[unit.pk]),
        title=_("Delete the payroll quota %(year)s of %(name)s?") % {"year": quota.year, "name": unit.name},
        unit=unit, cancel=reverse("apparatus:quota", args=[quota.pk]),
        intro=_("To correct a figure, set the quota of that year again instead: it replaces it."))
