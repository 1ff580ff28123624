"""Every write of the assessment: cycles, their workflow, self-assessments, reviews, results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.core.audit import audit_event
from tinhgon.core.rulesets import NoRuleSet
from tinhgon.core.scoping import CHANGE, path_within, require_scope

from . import compute as engine
from . import rules
from .models import Cycle, CycleEvent, CycleGroup, Result, UnitResult

APPROVE = "approve"
NEXT = {Cycle.SELF: Cycle.REVIEW, Cycle.REVIEW: Cycle.COUNCIL, Cycle.COUNCIL: Cycle.APPROVED}


def _locked(cycle: Cycle) -> None:
    if cycle.status == Cycle.APPROVED:
        raise ValidationError(_("The cycle “%(cycle)s” is approved and locked; reopen it with a reason first.")
                              % {"cycle": cycle.label})


def _event(cycle: Cycle, kind: str, user, reason: str = "") -> None:
    CycleEvent.objects.create(cycle=cycle, kind=kind, status=cycle.status,
                              actor=user if getattr(user, "pk", None) else None, reason=reason)


def cycle_create(*, user, unit, kind: str, period_start: dt.date, period_end: dt.date, label: str = "",
                 audience: str = Cycle.PERSONS, rule_set: str = "", note: str = "") -> Cycle:
    """A new cycle of ``unit``'s subtree, under the rule set in force at the period's end."""
    require_scope(user, [unit.path], CHANGE)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    cycle = Cycle(label=label or _default_label(kind, period_start, period_end, unit), kind=kind, audience=audience,
                  period_start=period_start, period_end=period_end, unit=unit, scope_path=unit.path,
                  rule_set=rule_set, note=note)
    try:
        cycle.rule_set = engine.rule_set_of(cycle).code
    except NoRuleSet as exc:
        raise ValidationError({"rule_set": str(exc)}) from None
    with transaction.atomic():
        cycle.full_clean()
        cycle.save()
        _event(cycle, CycleEvent.ADVANCED, user)
        audit_event(kind="assessment.cycle_created", message=cycle.label,
                    data={"cycle": cycle.pk, "unit": unit.code, "rule_set": cycle.rule_set})
    return cycle


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _default_label(kind: str, start: dt.date, end: dt.date, unit) -> str:
    """The cycle's name as the records keep it (in Vietnamese, whatever the page's language)."""
    if kind == Cycle.QUARTERLY:
        return f"Quý {ROMAN[(start.month - 1) // 3 + 1]}/{start.year} — {unit.name}"
    return f"Năm {end.year} — {unit.name}"


def cycle_compute(*, user, cycle: Cycle, progress=None, publish=None) -> dict:
    """Compute every result of the cycle from the records and write them (keeping what people
    entered: self-assessments, the reviewers' points and remarks, groups, the council's remarks)."""
    require_scope(user, [cycle.scope_path], CHANGE)
    _locked(cycle)
    computed = engine.compute(cycle, progress=progress)
    ctx = publish or transaction.atomic
    with ctx():
        _write(cycle, computed)
        Cycle.objects.filter(pk=cycle.pk).update(computed_at=timezone.now(), rule_set=computed.rule_set.code)
        cycle.refresh_from_db()
        _event(cycle, CycleEvent.COMPUTED, user)
        audit_event(kind="assessment.cycle_computed", message=cycle.label,
                    data={"cycle": cycle.pk, "results": len(computed.results), "units": len(computed.units)})
    return {"results": len(computed.results), "units": len(computed.units)}


FIELDS = ["body_id", "unit_path", "is_leader", "task_points", "score", "criteria", "discipline", "level_before_cap",
          "level", "moved_down", "assumed", "rule_set", "explanation"]


def _write(cycle: Cycle, computed: engine.Computed) -> None:
    existing = dict(Result.objects.filter(cycle=cycle).values_list("cadre_id", "id"))
    new, changed = [], []
    heads = {u["unit_id"]: u["head_id"] for u in computed.units}
    for row in computed.results:
        values = {k: row[k] for k in FIELDS}
        pk = existing.pop(row["cadre_id"], None)
        obj = Result(cycle_id=cycle.pk, cadre_id=row["cadre_id"], **values)
        if pk is None:
            head = heads.get(row["body_id"])
            obj.reviewer_id = head if head != row["cadre_id"] else None
            new.append(obj)
        else:
            obj.pk = pk
            changed.append(obj)
    if existing:  # people who left the scope since the last computation
        Result.objects.filter(pk__in=list(existing.values())).delete()
    for i in range(0, len(new), 5000):
        Result.objects.bulk_create(new[i:i + 5000])
    for i in range(0, len(changed), 5000):
        _update_computed(changed[i:i + 5000])
    UnitResult.objects.filter(cycle=cycle).delete()
    rows = [UnitResult(cycle_id=cycle.pk, unit_id=u["unit_id"], unit_path=u["unit_path"], depth=u["depth"],
                       counted=u["counted"], cancelled=u["cancelled"], on_time=u["on_time"], late=u["late"],
                       overdue=u["overdue"], completion=u["completion"], rank=u["rank"], head_id=u["head_id"])
            for u in computed.units]
    for i in range(0, len(rows), 5000):
        UnitResult.objects.bulk_create(rows[i:i + 5000])


def results_update(objs: list[Result], names: list[str]) -> None:
    """Write ``names`` of many results at once (the generator's reviews), logged."""
    for i in range(0, len(objs), 5000):
        _update_computed(objs[i:i + 5000], names)


def _update_computed(objs: list[Result], names: list[str] | tuple[str, ...] = tuple(FIELDS)) -> None:
    """Write the computed fields of existing results in one statement per row batch (Django's
    ``bulk_update`` builds a CASE per field and row, far too slow by the hundred thousand), and
    log each change as the change log's ``bulk_update`` would."""
    from django.db import connection

    from tinhgon.core.changelog import UPDATE, record, serialize

    before = {o.pk: serialize(o) for o in Result.objects.filter(pk__in=[o.pk for o in objs])}
    fields = [Result._meta.get_field(f) for f in names]
    logged = {f.attname for f in fields}
    sql = "UPDATE {} SET {} WHERE id = %s".format(
        connection.ops.quote_name(Result._meta.db_table),
        ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields))
    rows = [[f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] + [o.pk] for o in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    items = []
    for o in objs:
        b = before.get(o.pk)
        if b is None:
            continue
        a = {**b, **{k: v for k, v in serialize(o).items() if k in b and k in logged}}
        if a != b:
            items.append((o.pk, str(o), b, a))
    record(UPDATE, Result, items)



def _result_scope(user, result: Result) -> None:
    require_scope(user, [result.unit_path, result.cycle.scope_path], CHANGE)
    if not path_within(result.unit_path, result.cycle.scope_path):
        raise ValidationError(_("This person is outside the cycle's scope."))
    _locked(result.cycle)


def result_self_assess(*, user, result: Result, text: str, level: str = "") -> Result:
    _result_scope(user, result)
    if level and level not in rules.LEVELS:
        raise ValidationError({"self_level": _("Unknown level.")})
    with transaction.atomic():
        result.self_assessment, result.self_level = text.strip(), level
        result.full_clean()
        result.save(update_fields=["self_assessment", "self_level"])
        audit_event(kind="assessment.self_assessed", message=str(result), data={"result": result.pk})
    return result


def _points(value, *, low: Decimal, high: Decimal, name: str) -> Decimal:
    try:
        v = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({name: _("Enter a number.")}) from None
    if not v.is_finite() or v < low or v > high:
        raise ValidationError({name: _("The points must lie between %(low)s and %(high)s.") % {"low": low, "high": high}})
    return v


def result_review(*, user, result: Result, general_points=None, remarks: str = "") -> Result:
    """The direct leader's review: the general criteria points (Decree 335, out of 30) and remarks."""
    _result_scope(user, result)
    cycle = result.cycle
    params = engine.rule_set_of(cycle).parameters
    with transaction.atomic():
        if params.get("method") != rules.CRITERIA:
            if general_points in (None, ""):
                raise ValidationError({"general_points": _("The general criteria points are required.")})
            result.general_points = _points(general_points, low=Decimal(0),
                                            high=Decimal(params.get("general_points", 30)), name="general_points")
        result.review_remarks = remarks.strip()
        result.reviewed_at = timezone.now()
        result.full_clean()
        result.save(update_fields=["general_points", "review_remarks", "reviewed_at"])
        audit_event(kind="assessment.reviewed", message=str(result),
                    data={"result": result.pk, "general_points": str(result.general_points)})
    return result


def result_council_remarks(*, user, result: Result, remarks: str) -> Result:
    _result_scope(user, result)
    with transaction.atomic():
        result.council_remarks = remarks.strip()
        result.save(update_fields=["council_remarks"])
        audit_event(kind="assessment.council_remarks", message=str(result), data={"result": result.pk})
    return result


def result_set_group(*, user, result: Result, group: str) -> Result:
    """Put a person in a named group with similar tasks of their body (the cap's group)."""
    _result_scope(user, result)
    name = group.strip()
    with transaction.atomic():
        if name and result.body_id:
            CycleGroup.objects.get_or_create(cycle=result.cycle, body_id=result.body_id, name=name)
        result.group = name
        result.save(update_fields=["group"])
        audit_event(kind="assessment.group_set", message=str(result), data={"result": result.pk, "group": name})
    return result


def cycle_cap_override(*, user, cycle: Cycle, ratio, decision: str) -> Cycle:
    """A larger share of "excellent" the competent authority allowed a body with outstanding
    results (Decree 335), by the decision it names; empty ratio removes it."""
    require_scope(user, [cycle.scope_path], APPROVE)
    _locked(cycle)
    with transaction.atomic():
        if ratio in (None, ""):
            cycle.cap_override_ratio, cycle.cap_override_decision = None, ""
        else:
            if not decision.strip():
                raise ValidationError({"cap_override_decision": _("Name the decision that allows a larger share.")})
            cycle.cap_override_ratio = _points(ratio, low=Decimal(0), high=Decimal(1), name="cap_override_ratio")
            cycle.cap_override_decision = decision.strip()
        cycle.full_clean()
        cycle.save(update_fields=["cap_override_ratio", "cap_override_decision"])
        _event(cycle, CycleEvent.OVERRIDE, user, reason=cycle.cap_override_decision)
        audit_event(kind="assessment.cap_override", message=cycle.label,
                    data={"cycle": cycle.pk, "ratio": str(cycle.cap_override_ratio),
                          "decision": cycle.cap_override_decision})
    return cycle


def missing_reviews(cycle: Cycle) -> int:
    """Results the direct leader has not reviewed (or, under points, without general points)."""
    qs = Result.objects.filter(cycle=cycle)
    params = engine.rule_set_of(cycle).parameters
    if params.get("method") == rules.CRITERIA:
        return qs.filter(reviewed_at__isnull=True).count()
    return qs.filter(general_points__isnull=True).count()


def cycle_advance(*, user, cycle: Cycle) -> Cycle:
    """Self-assessment → review → council (approval is :func:`cycle_approve`)."""
    require_scope(user, [cycle.scope_path], CHANGE)
    _locked(cycle)
    if cycle.status == Cycle.COUNCIL:
        raise ValidationError(_("The council's stage ends with the approval."))
    if cycle.computed_at is None:
        raise ValidationError(_("Compute the results first."))
    if cycle.status == Cycle.REVIEW and missing_reviews(cycle):
        raise ValidationError(_("%(n)s results still await the direct leader's review.") % {"n": missing_reviews(cycle)})
    with transaction.atomic():
        cycle.status = NEXT[cycle.status]
        cycle.save(update_fields=["status"])
        _event(cycle, CycleEvent.ADVANCED, user)
        audit_event(kind="assessment.cycle_advanced", message=cycle.label, data={"cycle": cycle.pk,
                                                                               "status": cycle.status})
    return cycle


def cycle_approve(*, user, cycle: Cycle) -> Cycle:
    """The council's result approved: every review done, the results computed after the last
    review; the cycle is locked."""
    require_scope(user, [cycle.scope_path], APPROVE)
    _locked(cycle)
    if cycle.status != Cycle.COUNCIL:
        raise ValidationError(_("Only a cycle at the council's stage can be approved."))
    missing = missing_reviews(cycle)
    if missing:
        raise ValidationError(_("%(n)s results still await the direct leader's review.") % {"n": missing})
    last_review = Result.objects.filter(cycle=cycle).exclude(reviewed_at=None).order_by("-reviewed_at") \
        .values_list("reviewed_at", flat=True).first()
    if cycle.computed_at is None or (last_review and last_review > cycle.computed_at):
        raise ValidationError(_("Reviews were entered after the last computation; compute the results again."))
    if not Result.objects.filter(cycle=cycle).exists():
        raise ValidationError(_("The cycle has no results."))
    with transaction.atomic():
        cycle.status = Cycle.APPROVED
        cycle.approved_on = timezone.localdate()
        cycle.save(update_fields=["status", "approved_on"])
        _event(cycle, CycleEvent.APPROVED, user)
        audit_event(kind="assessment.cycle_approved", message=cycle.label, data={"cycle": cycle.pk})
    return cycle


def cycle_reopen(*, user, cycle: Cycle, reason: str) -> Cycle:
    require_scope(user, [cycle.scope_path], APPROVE)
    if cycle.status != Cycle.APPROVED:
        raise ValidationError(_("Only an approved cycle can be reopened."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Reopening needs a reason.")})
    with transaction.atomic():
        cycle.status = Cycle.COUNCIL
        cycle.approved_on = None
        cycle.save(update_fields=["status", "approved_on"])
        _event(cycle, CycleEvent.REOPENED, user, reason=reason.strip())
        audit_event(kind="assessment.cycle_reopened", message=cycle.label,
                    data={"cycle": cycle.pk, "reason": reason.strip()})
    return cycle


def cycle_update(*, user, cycle: Cycle, label: str | None = None, note: str | None = None) -> Cycle:
    require_scope(user, [cycle.scope_path], CHANGE)
    _locked(cycle)
    with transaction.atomic():
        if label is not None:
            cycle.label = label.strip() or cycle.label
        if note is not None:
            cycle.note = note
        cycle.full_clean()
        cycle.save(update_fields=["label", "note"])
        audit_event(kind="assessment.cycle_changed", message=cycle.label, data={"cycle": cycle.pk})
    return cycle


def result_for(user, *, cycle: Cycle, cadre) -> Result:
    """The result of ``cadre`` in ``cycle``; a person outside the cycle's scope is refused."""
    if not path_within(cadre.unit_path, cycle.scope_path):
        raise ValidationError(_("This person is outside the cycle's scope."))
    try:
        return Result.objects.get(cycle=cycle, cadre=cadre)
    except Result.DoesNotExist:
        raise PermissionDenied(_("No result for this person in the cycle.")) from None
