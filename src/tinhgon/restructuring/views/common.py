"""Helpers of the restructuring pages: scoped look-ups, readable operation summaries,
messages in the current language."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tinhgon.apparatus.models import Level, Unit
from tinhgon.core.dated import valid_on
from tinhgon.core.scoping import restrict

from .. import services
from ..models import Operation, Plan


def plans(user):
    return restrict(Plan.objects.all(), user).annotate(n_operations=Count("operations")).order_by(
        "-effective_date", "-id")


def plan_or_404(user, pk: int) -> Plan:
    plan = restrict(Plan.objects.all(), user).filter(pk=pk).first()
    if plan is None:
        raise Http404(_("No such plan."))
    return plan


def is_vi() -> bool:
    return (get_language() or "vi").startswith("vi")


def message_of(v: dict) -> str:
    return v.get("message_vi") if is_vi() else v.get("message_en")


def permissions(user, plan: Plan) -> dict:
    """Which workflow buttons ``user`` sees on ``plan``."""
    editable = plan.status in services.EDITABLE
    may_edit = services.plan_may_edit(user, plan)
    return {
        "may_edit": may_edit and editable,
        "may_validate": may_edit and editable,
        "may_approve": plan.status == Plan.VALIDATED and services.plan_may_approve(user, plan),
        "may_apply": plan.status == Plan.APPROVED and services.plan_may_apply(user, plan),
        "may_revert": plan.status == Plan.APPLIED and services.plan_may_revert(user, plan),
    }


# Summaries ----------------------------------------------------------------------------------


def _codes_of(kind: str, d: dict) -> set[str]:
    codes = set()
    for key in ("code", "source", "parent_code", "from", "to"):
        if d.get(key):
            codes.add(str(d[key]))
    codes.update(str(c) for c in d.get("sources", []))
    for t in d.get("targets", []):
        if t.get("code"):
            codes.add(str(t["code"]))
    for key in ("target", "unit"):
        sub = d.get(key) or {}
        for k in ("code", "parent_code"):
            if sub.get(k):
                codes.add(str(sub[k]))
    return codes


def unit_names(codes: set[str], date: dt.date) -> dict[str, str]:
    """Names of ``codes`` on the eve of ``date`` (else on ``date``): one query."""
    if not codes:
        return {}
    eve = date - dt.timedelta(days=1)
    names: dict[str, str] = {}
    rows = Unit.objects.filter(code__in=codes).filter(valid_on(eve) | valid_on(date)).values_list(
        "code", "name", "valid_from")
    for code, name, _vf in sorted(rows, key=lambda r: r[2] > eve):
        names.setdefault(code, name)
    return names


def _u(code, names: dict[str, str], name: str = "") -> str:
    code = str(code or "?")
    label = name or names.get(code, "")
    return f"{code} {label}".strip()


def _pct(share) -> str:
    try:
        return f"{float(share) * 100:.4g}%"
    except (TypeError, ValueError):
        return "?"


def describe(kind: str, d: dict, names: dict[str, str], levels: dict[str, str]) -> str:
    """A readable line for one operation, e.g. "Merge 00001, 00004 → 00004 Phường Ba Đình"."""
    d = d or {}
    if kind == Operation.MERGE:
        t = d.get("target") or {}
        return _("Merge %(sources)s → %(target)s") % {
            "sources": ", ".join(map(str, d.get("sources", []))) or "?", "target": _u(t.get("code"), names, t.get("name", ""))}
    if kind == Operation.SPLIT:
        targets = ", ".join(f"{_u(t.get('code'), names, t.get('name', ''))} ({_pct(t.get('share'))})"
                            for t in d.get("targets", []))
        return _("Split %(source)s → %(targets)s") % {"source": _u(d.get("source"), names), "targets": targets or "?"}
    if kind == Operation.CREATE:
        u = d.get("unit", d)
        text = _("Create %(unit)s") % {"unit": _u(u.get("code"), names, u.get("name", ""))}
        if u.get("parent_code"):
            text += " " + _("under %(parent)s") % {"parent": _u(u["parent_code"], names)}
        return text
    if kind == Operation.RENAME:
        new = " · ".join(x for x in (d.get("name", ""), d.get("kind", "")) if x)
        return _("Rename %(unit)s → %(new)s") % {"unit": _u(d.get("code"), names), "new": new or "?"}
    if kind == Operation.MOVE:
        return _("Move %(unit)s under %(parent)s") % {"unit": _u(d.get("code"), names),
                                                      "parent": _u(d.get("parent_code"), names)}
    if kind == Operation.DISSOLVE:
        return _("Dissolve %(unit)s") % {"unit": _u(d.get("code"), names)}
    if kind == Operation.DISSOLVE_LEVEL:
        return _("Dissolve the whole level %(level)s; its children go to the level %(to)s") % {
            "level": levels.get(d.get("level", ""), d.get("level", "?")),
            "to": levels.get(d.get("children_to", ""), d.get("children_to", "?"))}
    if kind in (Operation.TRANSFER_FUNCTION, Operation.TRANSFER_POWER):
        item = kind.removeprefix("transfer_")
        label = _("Transfer the function %(item)s: %(src)s → %(dst)s") if item == "function" else \
            _("Transfer the power %(item)s: %(src)s → %(dst)s")
        return label % {"item": d.get(item, "?"), "src": _u(d.get("from"), names), "dst": _u(d.get("to"), names)}
    return f"{kind}: {d}"


def summarize(operations: list[Operation], date: dt.date) -> list[dict]:
    """Rows for a page of operations: two queries in all (names, levels), none per row."""
    codes: set[str] = set()
    for op in operations:
        codes |= _codes_of(op.kind, op.data or {})
    names = unit_names(codes, date)
    levels = dict(Level.objects.values_list("code", "name"))
    return [{"op": op, "summary": describe(op.kind, op.data or {}, names, levels)} for op in operations]
