"""Restructuring workflow: draft → validated → approved → applied (→ reverted)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.apparatus.models import Unit
from tinhgon.apparatus.services import UnitInput, UnitRowsInvalid, payroll_quota_set, units_create
from tinhgon.core import successors
from tinhgon.core.audit import audit_event
from tinhgon.core.bulk import build, chunked_in
from tinhgon.core.dated import valid_on
from tinhgon.core.scoping import in_scope, path_within, require_scope

from . import bodies, engine, standards
from . import violations as V
from .models import Operation, Plan, PlanApplication, Succession

EDITABLE = {Plan.DRAFT, Plan.VALIDATED}
TRANSFERS = "restructuring.transfers"  # the undo payload of the functions and powers transferred
SUPERSEDED = "restructuring.superseded"  # versions of a same-day plan amended or retired (no revert)


class PlanRefused(ValidationError):
    """A transition refused, with every violation found."""

    def __init__(self, message: str, findings: list | None = None):
        self.findings = findings or []
        super().__init__(message)


def _event(plan: Plan, kind: str, message: str, **data) -> None:
    audit_event(kind=f"plan.{kind}", message=f"{plan.name}: {message}",
                              data={"plan": plan.pk, **data})


def _holds_plan_scope(user, plan: Plan, action: str) -> bool:
    """Whether ``user`` may take ``action`` over the plan's whole scope (a national plan: unrestricted only)."""
    if not user.may(action):
        return False
    if user.is_unrestricted:
        return True
    return bool(plan.scope_path) and in_scope(user, plan.scope_path)


def _may_edit(user, plan: Plan) -> None:
    if user is None:
        return  # the system (commands, imports)
    if not _holds_plan_scope(user, plan, "plan"):
        raise PermissionDenied(_("Only organizers with this plan's scope may draft it."))


def _require_changeset_scope(user, plan: Plan, cs: engine.Changeset, action: str) -> None:
    """The acting user's scope must hold every unit the plan touches, not only the plan's scope."""
    if user is None or user.is_unrestricted:
        return
    paths = {p for ps in cs.touched_paths().values() for p in ps}
    require_scope(user, paths, action)


def _referenced_codes(kind: str, data: dict[str, Any]) -> set[str]:
    """Codes of existing units an operation names (sources, parents, transfer ends)."""
    codes: set[str] = set()

    def add(value) -> None:
        if value not in (None, ""):
            codes.add(str(value))

    if kind in (Operation.RENAME, Operation.MOVE, Operation.DISSOLVE):
        add(data.get("code"))
        add(data.get("parent_code"))
    elif kind == Operation.MERGE:
        for c in data.get("sources") or []:
            add(c)
        target = data.get("target") if isinstance(data.get("target"), dict) else {}
        add(target.get("parent_code"))
    elif kind == Operation.SPLIT:
        add(data.get("source"))
        for t in data.get("targets") or []:
            if isinstance(t, dict):
                add(t.get("code") if not t.get("name") else None)
                add(t.get("parent_code"))
    elif kind == Operation.CREATE:
        unit = data.get("unit") if isinstance(data.get("unit"), dict) else data
        add(unit.get("parent_code"))
    elif kind in (Operation.TRANSFER_FUNCTION, Operation.TRANSFER_POWER):
        add(data.get("from"))
        add(data.get("to"))
    return codes


def _check_operation_scope(plan: Plan, operations: list[tuple[str, dict[str, Any]]], user) -> None:
    """Refuse operations that name a unit outside the plan's scope or the user's.

    Codes that no unit holds on the effective date are left to validation (a new unit
    created earlier in the plan, or a plain mistake it reports).
    """
    codes: set[str] = set()
    for kind, data in operations:
        codes |= _referenced_codes(kind, data)
    if not codes:
        return
    found = chunked_in(Unit.objects.filter(valid_on(plan.effective_date)).values_list("code", "path"),
                       "code", sorted(codes))
    outside_plan = sorted(code for code, path in found if not path_within(path, plan.scope_path))
    if outside_plan:
        raise PlanRefused(_("Units outside the plan's scope: %(codes)s. A plan may only touch units inside "
                            "its scope.") % {"codes": ", ".join(outside_plan[:20])})
    if user is not None:
        require_scope(user, [path for _code, path in found], "plan")


@transaction.atomic
def plan_create(*, name: str, effective_date: dt.date, legal_basis: str = "", rationale: str = "",
                standard_rule_set: str = "", scope_path: str = "", user=None) -> Plan:
    plan = Plan(name=name.strip(), effective_date=effective_date, legal_basis=legal_basis, rationale=rationale,
                standard_rule_set=standard_rule_set, scope_path=scope_path,
                created_by=user if getattr(user, "pk", None) else None)
    _may_edit(user, plan)
    plan.full_clean()
    plan.save()
    _event(plan, "created", _("drafted"))
    return plan


def _check_editable(plan: Plan) -> None:
    if plan.status not in EDITABLE:
        raise PlanRefused(_("Only a draft plan can be edited (this one is %(status)s).")
                          % {"status": plan.get_status_display()})


@transaction.atomic
def operations_add(*, plan: Plan, operations: list[tuple[str, dict[str, Any]]], user=None) -> list[Operation]:
    """Append operations ``(kind, data)``; the plan goes back to draft."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _may_edit(user, plan)
    _check_editable(plan)
    valid_kinds = {k for k, _label in Operation.KINDS}
    bad = [i for i, (kind, data) in enumerate(operations, 1) if kind not in valid_kinds or not isinstance(data, dict)]
    if bad:
        raise PlanRefused(_("Unknown operation kind or malformed data in rows %(rows)s.")
                          % {"rows": ", ".join(map(str, bad))})
    _check_operation_scope(plan, operations, user)
    start = (plan.operations.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    ops = Operation.objects.bulk_create(
        [Operation(plan=plan, seq=start + i, kind=kind, data=data) for i, (kind, data) in enumerate(operations)],
        batch_size=2000,
    )
    _reset_to_draft(plan)
    return ops


@transaction.atomic
def operation_delete(*, operation: Operation, user=None) -> None:
    plan = Plan.objects.select_for_update().get(pk=operation.plan_id)
    _may_edit(user, plan)
    _check_editable(plan)
    operation.delete()
    _reset_to_draft(plan)


def _reset_to_draft(plan: Plan) -> None:
    if plan.status != Plan.DRAFT or plan.violations:
        plan.status, plan.violations, plan.validated_at = Plan.DRAFT, [], None
        plan.save(update_fields=["status", "violations", "validated_at"])


def plan_changeset(plan: Plan) -> engine.Changeset:
    ops = list(plan.operations.order_by("seq").values_list("seq", "kind", "data"))
    cs = engine.compute(plan.effective_date, ops, scope_path=plan.scope_path)
    standards.check(cs, rule_set_code=plan.standard_rule_set or None)
    standards.check_quota(cs)
    bodies.check(cs)
    endings = endings_of(cs)
    for handler in successors.handlers():
        cs.findings.extend(handler.validate(date=plan.effective_date, endings=endings))
    return cs


def endings_of(cs: engine.Changeset, new_ids: dict[str, int] | None = None) -> list[successors.Ending]:
    """Each ending version with its successors (ids only once the new versions exist)."""
    out_edges: dict[str, list[engine.Edge]] = defaultdict(list)
    for e in cs.edges:
        out_edges[e.pred].append(e)
    endings = []
    for rec in cs.versions_to_end:
        succ = []
        for e in out_edges.get(rec.code, []):
            uid = (new_ids or {}).get(e.succ)
            if uid is None and new_ids is not None and e.succ in cs.snapshot:
                uid = cs.snapshot[e.succ].id
            succ.append(successors.Successor(code=e.succ, unit_id=uid, share=e.share, kind=e.kind))
        endings.append(successors.Ending(unit_id=rec.id, code=rec.code, name=rec.name, path=rec.path,
                                         successors=tuple(succ), continues=rec.code in cs.new_versions))
    return endings


@transaction.atomic
def plan_validate(*, plan: Plan, user=None) -> list[dict]:
    """Validate and store every violation; a plan without errors becomes "validated"."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _may_edit(user, plan)
    _check_editable(plan)
    cs = plan_changeset(plan)
    _require_changeset_scope(user, plan, cs, "plan")
    found = [V.as_dict(f) for f in cs.findings]
    plan.violations = found
    plan.validated_at = timezone.now()
    plan.status = Plan.DRAFT if cs.errors else Plan.VALIDATED
    plan.save(update_fields=["violations", "validated_at", "status"])
    _event(plan, "validated", _("%(n)s findings, %(e)s errors") % {"n": len(found), "e": len(cs.errors)},
           errors=len(cs.errors))
    return found


@transaction.atomic
def plan_approve(*, plan: Plan, user=None) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if user is not None and not _holds_plan_scope(user, plan, "approve"):
        raise PermissionDenied(_("Only administrators or leaders with this scope may approve a plan."))
    if plan.status != Plan.VALIDATED:
        raise PlanRefused(_("Only a validated plan can be approved (this one is %(status)s).")
                          % {"status": plan.get_status_display()})
    if user is not None and not user.is_unrestricted:
        # A scoped approver: the registry may have moved since validation; what the plan
        # touches now must still lie inside the approver's scope.
        cs = plan_changeset(plan)
        _require_changeset_scope(user, plan, cs, "approve")
        if cs.errors:
            raise PlanRefused(_("The plan has %(n)s violations since it was validated; validate it again.")
                              % {"n": len(cs.errors)}, cs.errors)
    plan.status, plan.approved_at = Plan.APPROVED, timezone.now()
    plan.approved_by = user if getattr(user, "pk", None) else None
    plan.save(update_fields=["status", "approved_at", "approved_by"])
    _event(plan, "approved", _("approved"))
    return plan


@transaction.atomic
def plan_apply(*, plan: Plan, user=None) -> PlanApplication:
    """Apply an approved plan, all or nothing."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if user is not None and not _holds_plan_scope(user, plan, "approve"):
        raise PermissionDenied(_("Only administrators or leaders with this plan's scope may apply it."))
    if plan.status != Plan.APPROVED:
        raise PlanRefused(_("Only an approved plan can be applied (this one is %(status)s).")
                          % {"status": plan.get_status_display()})
    cs = plan_changeset(plan)
    _require_changeset_scope(user, plan, cs, "approve")
    if cs.errors:
        plan.violations = [V.as_dict(f) for f in cs.findings]
        plan.save(update_fields=["violations"])
        raise PlanRefused(_("The plan has %(n)s violations; nothing was applied.") % {"n": len(cs.errors)},
                          cs.errors)
    date = plan.effective_date
    to_end = cs.versions_to_end
    # Versions an earlier plan of the same day started (a companion plan): they are amended in place
    # when their code goes on, retired (removed, their eve version taking their place in the
    # succession graph) when it does not — a version cannot end on the day it starts.
    same_day = dict(chunked_in(Unit.objects.filter(valid_from=date).values_list("code", "id"), "pk",
                               [r.id for r in to_end]))
    to_end = [r for r in to_end if r.code not in same_day]
    ids = [r.id for r in to_end]
    ended = [[r.id, r.valid_to.isoformat() if r.valid_to else None] for r in to_end]
    for i in range(0, len(ids), 900):
        Unit.objects.filter(pk__in=ids[i : i + 900]).update(valid_to=date)
    rows = [
        UnitInput(code=nv.code, name=nv.name, kind=nv.kind, valid_from=date, parent_code=nv.parent_code,
                  level=nv.level, short_name=nv.short_name or "", latitude=nv.latitude, longitude=nv.longitude,
                  area_km2=nv.area_km2, population=nv.population, note=nv.note or "",
                  source=nv.source or f"plan {plan.pk}")
        for nv in cs.new_versions.values() if nv.code not in same_day
    ]
    try:
        created = units_create(rows=rows, skip_existing=False, event_kind=None)
    except UnitRowsInvalid as exc:
        raise PlanRefused(_("The registry refused the new versions: %(errors)s")
                          % {"errors": "; ".join(str(e) for e in exc.errors_list[:10])}) from exc
    new_ids = {u.code: u.pk for u in created}
    superseded = _amend_same_day(cs, same_day, new_ids) if same_day else {}
    by_code = {u.code: u for u in created}
    for nv in cs.new_versions.values():
        if nv.payroll_quota is not None and nv.code in by_code:
            payroll_quota_set(unit=by_code[nv.code], year=date.year, quota=nv.payroll_quota,
                              decision=plan.legal_basis[:200])
    eve_of = superseded.get("eve", {})
    Succession.objects.bulk_create([
        Succession(plan=plan, predecessor_id=eve_of.get(e.pred) or cs.snapshot[e.pred].id,
                   successor_id=new_ids.get(e.succ) or cs.snapshot[e.succ].id, kind=e.kind, share=e.share)
        for e in cs.edges if not (e.pred in superseded.get("amended", ()) and e.pred == e.succ)
    ], batch_size=2000)
    endings = [e for e in endings_of(cs, new_ids) if e.code not in superseded.get("amended", ())]
    handler_payloads = {h.name: h.apply(date=date, endings=endings) for h in successors.handlers()}
    handler_payloads[TRANSFERS] = bodies.apply_transfers(cs, new_ids)
    if superseded.get("retired"):
        _retire_same_day(superseded, date)
        handler_payloads[SUPERSEDED] = {k: v for k, v in superseded.items() if k != "eve"}
    application = PlanApplication.objects.create(plan=plan, ended=ended, created=[u.pk for u in created],
                                                 handlers=handler_payloads)
    plan.status, plan.applied_at = Plan.APPLIED, timezone.now()
    plan.save(update_fields=["status", "applied_at"])
    _event(plan, "applied", _("%(ended)s versions ended, %(created)s created, %(edges)s successions")
           % {"ended": len(ended), "created": len(created), "edges": len(cs.edges)},
           ended=len(ended), created=len(created), successions=len(cs.edges))
    return application


def _amend_same_day(cs: engine.Changeset, same_day: dict[str, int], new_ids: dict[str, int]) -> dict:
    """Amend in place the same-day versions whose code goes on; find the eve version of those that end."""
    from tinhgon.apparatus.models import Level, UnitKind
    from tinhgon.apparatus.services import search_text_for

    kinds = dict(UnitKind.objects.values_list("code", "id"))
    kind_level = dict(UnitKind.objects.values_list("code", "level__code"))
    levels = dict(Level.objects.values_list("code", "id"))
    amended, retired = [], []
    for code, uid in same_day.items():
        nv = cs.new_versions.get(code)
        if nv is None:
            retired.append(code)
            continue
        path = cs.paths_after.get(code) or cs.snapshot[code].path
        level = nv.level or kind_level.get(nv.kind) or cs.snapshot[code].level
        Unit.objects.filter(pk=uid).update(
            name=nv.name, short_name=nv.short_name or "", kind_id=kinds[nv.kind], level_id=levels[level],
            parent_code=nv.parent_code, path=path, depth=path.count("/") - 1, note=nv.note or "",
            search_text=search_text_for(code, nv.name, nv.short_name or ""))
        new_ids[code] = uid
        amended.append(code)
    eve = dict(Unit.objects.filter(code__in=retired, valid_to=cs.date).values_list("code", "id")) if retired else {}
    return {"amended": amended, "retired": {c: same_day[c] for c in retired}, "eve": eve}


def _retire_same_day(superseded: dict, date: dt.date) -> None:
    """Remove the same-day versions whose code ends: what is left on them goes back to their eve version
    (seats and quotas kept as history); the earlier plan's edge to them goes."""
    from django.db.models import ProtectedError

    from tinhgon.apparatus.models import PayrollQuota, Position

    eve = superseded["eve"]
    for code, uid in superseded["retired"].items():
        back = eve.get(code)
        if back is None:
            raise PlanRefused(_("Unit %(code)s started on the effective date without an earlier version; it "
                                "cannot end on that day.") % {"code": code})
        Position.objects.filter(unit_id=uid).update(unit_id=back)
        PayrollQuota.objects.filter(unit_id=uid).update(unit_id=back)
        Succession.objects.filter(successor_id=uid, predecessor_id=back).delete()
        try:
            Unit.objects.filter(pk=uid).delete()
        except ProtectedError as exc:
            raise PlanRefused(_("Unit %(code)s, started on the effective date by another plan, still has "
                                "records of its own (%(what)s); nothing was applied.")
                              % {"code": code, "what": ", ".join(sorted({o._meta.verbose_name for o in
                                                                         exc.protected_objects}))[:200]}) from exc


@transaction.atomic
def plan_revert(*, plan: Plan, user=None) -> Plan:
    """Undo an applied plan exactly, when no later plan depends on it."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if user is not None and not user.is_unrestricted:
        raise PermissionDenied(_("Only administrators may revert a plan."))
    if plan.status != Plan.APPLIED:
        raise PlanRefused(_("Only an applied plan can be reverted."))
    app = plan.application
    if SUPERSEDED in app.handlers:
        raise PlanRefused(_("This plan amended versions another plan started the same day; it cannot be "
                            "reverted. Draft a plan that undoes it instead."))
    created_ids = list(app.created)
    ended_ids = [uid for uid, _prev in app.ended]
    later = Succession.objects.filter(predecessor_id__in=created_ids).exclude(plan=plan).exists() or \
        Unit.objects.filter(pk__in=created_ids, valid_to__isnull=False).exists() or \
        Unit.objects.filter(pk__in=ended_ids).exclude(valid_to=plan.effective_date).exists()
    if later:
        raise PlanRefused(_("A later change depends on this plan; revert that first."))
    bodies.revert_transfers(app.handlers.get(TRANSFERS))
    for h in reversed(successors.handlers()):
        if h.name in app.handlers:
            h.revert(date=plan.effective_date, payload=app.handlers[h.name])
    Succession.objects.filter(plan=plan).delete()
    Unit.objects.filter(pk__in=created_ids).delete()
    by_previous: dict[str | None, list[int]] = defaultdict(list)
    for uid, prev in app.ended:
        by_previous[prev].append(uid)
    for prev, uids in by_previous.items():
        for i in range(0, len(uids), 900):
            Unit.objects.filter(pk__in=uids[i : i + 900]).update(
                valid_to=dt.date.fromisoformat(prev) if prev else None)
    app.delete()
    plan.status, plan.applied_at = Plan.REVERTED, None
    plan.save(update_fields=["status", "applied_at"])
    _event(plan, "reverted", _("reverted"))
    return plan


# Helpers for the web pages and the API (who may do what, plan edits) -------------------------


def plan_may_edit(user, plan: Plan) -> bool:
    """Whether ``user`` may draft ``plan`` (add/delete operations, validate): the check of the services."""
    try:
        _may_edit(user, plan)
    except PermissionDenied:
        return False
    return True


def plan_may_approve(user, plan: Plan) -> bool:
    return _holds_plan_scope(user, plan, "approve")


def plan_may_apply(user, plan: Plan) -> bool:
    return _holds_plan_scope(user, plan, "approve")


def plan_may_revert(user, plan: Plan) -> bool:
    return bool(user.is_unrestricted)


PLAN_FIELDS = ("name", "effective_date", "legal_basis", "rationale", "standard_rule_set", "scope_path")


@transaction.atomic
def plan_update(*, plan: Plan, user=None, **changes) -> Plan:
    """Change the header of a draft plan; the plan goes back to draft."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _may_edit(user, plan)
    _check_editable(plan)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown plan fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for k, v in changes.items():
        setattr(plan, k, v.strip() if k == "name" else v)
    _may_edit(user, plan)  # the new scope must be the user's too
    plan.full_clean()
    plan.save()
    _reset_to_draft(plan)
    _event(plan, "updated", _("header changed"), fields=sorted(changes))
    return plan


# Body operations derived from the territorial ones --------------------------------------------


def _new_body_name(kind: str, data: dict) -> tuple[str, str] | None:
    """(code, name) a body operation gives a body, if it names one."""
    if kind == Operation.RENAME and data.get("name"):
        return str(data.get("code", "")), str(data["name"])
    if kind == Operation.MERGE and isinstance(data.get("target"), dict) and data["target"].get("name"):
        return str(data["target"].get("code", "")), str(data["target"]["name"])
    return None


def _names_in_use(plan: Plan, proposals: list[tuple[str, dict]], cs: engine.Changeset) -> list[str]:
    """Names the proposals give that another body keeps after the plan."""
    from tinhgon.core.text import fold

    wanted: dict[str, str] = {}
    for kind, data in proposals:
        named = _new_body_name(kind, data)
        if named:
            wanted[fold(named[1])] = named[0]
    if not wanted:
        return []
    renamed = {n[0] for kind, data in proposals if (n := _new_body_name(kind, data))}
    merged = {c for kind, data in proposals if kind == Operation.MERGE for c in data.get("sources", [])}
    gone = cs.ended | cs.consumed | renamed | merged
    clashes = []
    for code, rec in cs.snapshot.items():
        if rec.level == "body" and code not in gone and wanted.get(fold(rec.name)) not in (None, code):
            clashes.append(f"“{rec.name}” ({code} / {wanted[fold(rec.name)]})")
    return sorted(clashes)


@transaction.atomic
def body_operations_derive(*, plan: Plan, user=None) -> list:
    """Propose the body operations of ``plan``'s territorial operations (replacing earlier proposals
    not yet added to the plan). A proposed name already in use is refused: nothing is written."""
    from .models import BodyOperation

    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _may_edit(user, plan)
    _check_editable(plan)
    ops = list(plan.operations.order_by("seq").values_list("seq", "kind", "data"))
    cs = engine.compute(plan.effective_date, ops, scope_path=plan.scope_path)
    proposals = bodies.derive(bodies.from_changeset(cs))
    clashes = _names_in_use(plan, [(p.kind, p.data) for p in proposals], cs)
    if clashes:
        raise PlanRefused(_("The name patterns give names already in use: %(names)s. Change the pattern of the "
                            "body kind or rename those bodies first; nothing was proposed.")
                          % {"names": "; ".join(clashes[:10])})
    if user is not None and proposals:
        codes = sorted({c for p in proposals for c in p.bodies} & set(cs.snapshot))
        require_scope(user, [cs.snapshot[c].path for c in codes], "plan")
    BodyOperation.objects.filter(plan=plan).exclude(status=BodyOperation.INCLUDED).delete()
    start = (BodyOperation.objects.filter(plan=plan).order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    rows = BodyOperation.objects.bulk_create([
        build(BodyOperation, plan_id=plan.pk, seq=start + i, kind=p.kind, data=p.data, reason_vi=p.reason_vi[:500],
              reason_en=p.reason_en[:500], bodies=p.bodies, status=BodyOperation.PROPOSED, operation_id=None)
        for i, p in enumerate(proposals)
    ], batch_size=2000)
    _event(plan, "bodies_derived", _("%(n)s body operations proposed") % {"n": len(rows)}, proposed=len(rows))
    return rows


def _proposal_for_edit(proposal, user):
    from .models import BodyOperation

    proposal = BodyOperation.objects.select_for_update().select_related("plan").get(pk=proposal.pk)
    _may_edit(user, proposal.plan)
    _check_editable(proposal.plan)
    if proposal.status == BodyOperation.INCLUDED:
        raise PlanRefused(_("This body operation is already part of the plan; delete the operation instead."))
    return proposal


@transaction.atomic
def body_operation_decide(*, proposal, decision: str, user=None):
    """Accept or reject a proposed body operation (or put it back to proposed)."""
    from .models import BodyOperation

    if decision not in (BodyOperation.ACCEPTED, BodyOperation.REJECTED, BodyOperation.PROPOSED):
        raise PlanRefused(_("Unknown decision %(d)r.") % {"d": decision})
    proposal = _proposal_for_edit(proposal, user)
    proposal.status = decision
    proposal.save(update_fields=["status"])
    return proposal


@transaction.atomic
def body_operations_decide_all(*, plan: Plan, decision: str, user=None) -> int:
    from .models import BodyOperation

    if decision not in (BodyOperation.ACCEPTED, BodyOperation.REJECTED):
        raise PlanRefused(_("Unknown decision %(d)r.") % {"d": decision})
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _may_edit(user, plan)
    _check_editable(plan)
    return BodyOperation.objects.filter(plan=plan, status=BodyOperation.PROPOSED).update(status=decision)


@transaction.atomic
def body_operation_edit(*, proposal, to: str | None = None, name: str | None = None, user=None):
    """Change where a transfer goes (a unit valid once the plan applies, of a level that still exists
    on the effective date) or the name a rename or merge gives. Refused with nothing written otherwise."""
    proposal = _proposal_for_edit(proposal, user)
    plan = proposal.plan
    data = dict(proposal.data)
    ops = list(plan.operations.order_by("seq").values_list("seq", "kind", "data"))
    cs = None
    if to is not None:
        if proposal.kind not in (Operation.TRANSFER_FUNCTION, Operation.TRANSFER_POWER):
            raise PlanRefused(_("Only a transfer of a function or power has a receiving unit."))
        to = to.strip()
        cs = engine.compute(plan.effective_date, ops, scope_path=plan.scope_path)
        rec = cs.snapshot.get(to)
        if rec is None and to not in cs.new_versions:
            raise PlanRefused(_("No unit %(code)s is valid on %(date)s.") % {"code": to, "date": plan.effective_date})
        gone_level = bodies.dissolved_level_of(cs, to)
        if gone_level:
            from tinhgon.apparatus.models import Level

            label = Level.objects.filter(code=gone_level).values_list("name", flat=True).first() or gone_level
            raise PlanRefused(_("%(code)s belongs to a level (%(level)s) that does not exist on %(date)s once the "
                                "plan applies; choose a unit of the province or the commune level.")
                              % {"code": to, "level": label, "date": plan.effective_date})
        if to in cs.ended:
            raise PlanRefused(_("Unit %(code)s ends with this plan; choose a unit that exists once it applies.")
                              % {"code": to})
        if user is not None and rec is not None:
            require_scope(user, [rec.path], "plan")
        data["to"] = to
    if name is not None:
        name = name.strip()
        if not name or _new_body_name(proposal.kind, data) is None:
            raise PlanRefused(_("Only a rename or a merge gives a name, and the name cannot be empty."))
        if proposal.kind == Operation.RENAME:
            data["name"] = name
        else:
            data["target"] = {**data["target"], "name": name}
        cs = cs or engine.compute(plan.effective_date, ops, scope_path=plan.scope_path)
        clashes = _names_in_use(plan, [(proposal.kind, data)], cs)
        if clashes:
            raise PlanRefused(_("The name is already in use: %(names)s.") % {"names": "; ".join(clashes)})
    proposal.data = data
    proposal.save(update_fields=["data"])
    return proposal


ROUTE_LEVELS = ("province", "commune")


def body_transfer_fields(plan: Plan) -> list[tuple[str, str]]:
    """(code, name) of the fields (functions) of the plan's transfers not yet added to it: those of the
    functions transferred and of the functions the transferred powers belong to."""
    from tinhgon.apparatus.models import Function, Power

    from .models import BodyOperation

    rows = BodyOperation.objects.filter(plan=plan, kind__in=(Operation.TRANSFER_FUNCTION, Operation.TRANSFER_POWER)
                                        ).exclude(status=BodyOperation.INCLUDED).values_list("kind", "data")
    functions, powers = set(), set()
    for kind, data in rows.iterator(chunk_size=2000):
        if kind == Operation.TRANSFER_FUNCTION:
            functions.add(str((data or {}).get("function", "")))
        else:
            powers.add(str((data or {}).get("power", "")))
    functions |= {c for c in chunked_in(Power.objects.values_list("function__code", flat=True), "code", powers) if c}
    return list(Function.objects.filter(code__in=functions).order_by("name").values_list("code", "name"))


@transaction.atomic
def body_operations_route_field(*, plan: Plan, function: str, to: str, user=None) -> list:
    """Send every transfer of one field (the function ``function`` and the powers that belong to it)
    not yet added to the plan to the province or to the communes (``to``), replacing those
    proposals: for the communes one per commune the dissolved territory's communes become. The
    transfers keep their review status. Refused with nothing written when the field or the level
    is unknown, the plan has no such transfer, or a territory has no commune once the plan applies."""
    from tinhgon.apparatus.models import Function, Power

    from .models import BodyOperation

    if to not in ROUTE_LEVELS:
        raise PlanRefused(_("Choose the province or the commune as the receiving level."))
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _may_edit(user, plan)
    _check_editable(plan)
    function = (function or "").strip()
    if not Function.objects.filter(code=function).exists():
        raise PlanRefused(_("No field (function) with code %(code)s.") % {"code": function})
    power_codes = set(Power.objects.filter(function__code=function).values_list("code", flat=True))
    rows = [r for r in BodyOperation.objects.select_for_update().filter(
                plan=plan, kind__in=(Operation.TRANSFER_FUNCTION, Operation.TRANSFER_POWER))
            .exclude(status=BodyOperation.INCLUDED).order_by("seq")
            if (r.kind == Operation.TRANSFER_FUNCTION and (r.data or {}).get("function") == function)
            or (r.kind == Operation.TRANSFER_POWER and (r.data or {}).get("power") in power_codes)]
    if not rows:
        raise PlanRefused(_("The plan has no transfer of the field %(code)s left to route.") % {"code": function})
    ops = list(plan.operations.order_by("seq").values_list("seq", "kind", "data"))
    cs = engine.compute(plan.effective_date, ops, scope_path=plan.scope_path)
    r = bodies.router(bodies.from_changeset(cs))
    groups: dict[tuple, list] = {}
    for row in rows:
        what = row.kind.removeprefix("transfer_")
        groups.setdefault((what, str(row.data.get(what, "")), str(row.data.get("from", ""))), []).append(row)
    made: list[tuple] = []  # (proposal, status)
    for (what, item, source), members in groups.items():
        b = r.gone.get(source)
        if b is None:  # not a body of a dissolved territory (added by hand): left as it is
            continue
        receivers = ([r.province(b, what, item)] if to == "province" else r.communes(b, what, item))
        if not receivers:
            raise PlanRefused(_("%(name)s (%(code)s) has no commune once the plan applies: its field %(field)s "
                                "cannot go to the commune level.") % {"name": b.name, "code": b.code,
                                                                       "field": function})
        role = str(members[0].data.get("role", "")) if what == "function" else ""
        made += [(r.proposal(b, what, item, code, role, to), members[0].status) for code in receivers]
    replaced = [m for (what, item, source), members in groups.items() if source in r.gone for m in members]
    if user is not None and made:
        codes = sorted({p.data["to"] for p, _st in made} & set(cs.snapshot))
        require_scope(user, [cs.snapshot[c].path for c in codes], "plan")
    seqs = sorted(m.seq for m in replaced)
    BodyOperation.objects.filter(pk__in=[m.pk for m in replaced]).delete()
    top = BodyOperation.objects.filter(plan=plan).order_by("-seq").values_list("seq", flat=True).first() or 0
    top = max([top, *seqs])
    seqs = (seqs + list(range(top + 1, top + 1 + len(made))))[:len(made)]  # freed places first, then after the last
    created = BodyOperation.objects.bulk_create([
        build(BodyOperation, plan_id=plan.pk, seq=seq, kind=p.kind, data=p.data, reason_vi=p.reason_vi[:500],
              reason_en=p.reason_en[:500], bodies=p.bodies, status=status, operation_id=None)
        for seq, (p, status) in zip(seqs, made, strict=True)], batch_size=2000)
    _event(plan, "bodies_routed", _("Transfers of the field %(field)s sent to the %(level)s level")
           % {"field": function, "level": _("province") if to == "province" else _("commune")},
           field=function, level=to, transfers=len(created))
    return created


@transaction.atomic
def body_operations_include(*, plan: Plan, user=None) -> list[Operation]:
    """Add the accepted body operations to the plan (which goes back to draft)."""
    from .models import BodyOperation

    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _may_edit(user, plan)
    _check_editable(plan)
    accepted = list(BodyOperation.objects.select_for_update().filter(plan=plan, status=BodyOperation.ACCEPTED)
                    .order_by("seq"))
    if not accepted:
        raise PlanRefused(_("No accepted body operation to add."))
    ops = operations_add(plan=plan, operations=[(b.kind, b.data) for b in accepted], user=user)
    for b, op in zip(accepted, ops, strict=True):
        b.status, b.operation = BodyOperation.INCLUDED, op
    BodyOperation.objects.bulk_update(accepted, ["status", "operation"], batch_size=500)
    _event(plan, "bodies_included", _("%(n)s body operations added") % {"n": len(ops)}, added=len(ops))
    return ops
