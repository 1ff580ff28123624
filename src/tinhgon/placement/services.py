"""Writes of placement. Every function checks everything first (a ValidationError with a clear
message, nothing written), the user's scope over every unit it touches (the unit where the
candidate waits and the new unit), runs in one transaction and writes one RoundEvent."""

from __future__ import annotations

import datetime as dt
import time
from builtins import round as _num
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.core import bulk
from tinhgon.core.audit import audit_event
from tinhgon.core.bulk import chunked_in
from tinhgon.core.rulesets import rule_set_for
from tinhgon.core.scoping import CHANGE, require_scope

from . import build, rules
from .models import Candidacy, Candidate, Round, RoundEvent, RoundUnit, Slot
from .rulesets import MERIT, POLICY
from .selectors import candidate_facts, merit_params, post_facts

APPROVE = "approve"
EDITABLE = (Round.DRAFT, Round.PROPOSED)


def _event(rnd: Round, action: str, *, user=None, candidate=None, reason: str = "", message: str = "",
           **data) -> RoundEvent:
    ev = RoundEvent(round=rnd, candidate=candidate, action=action, reason=reason[:500], message=message[:500],
                    data=data, user=user if getattr(user, "pk", None) else None)
    ev.full_clean()
    ev.save()
    return ev


def _editable(rnd: Round) -> None:
    if rnd.status not in EDITABLE:
        raise ValidationError(_("The round is %(status)s: reopen it to change the proposal.")
                              % {"status": rnd.get_status_display()})


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: [_("A reason is required.")]})
    return reason


def _round_paths(rnd: Round) -> set[str]:
    paths = set(RoundUnit.objects.filter(round=rnd).values_list("path", flat=True))
    paths.update(Candidate.objects.filter(round=rnd).values_list("waiting_path", flat=True).distinct())
    return paths


# Creating and solving -----------------------------------------------------------------------


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


@transaction.atomic
def round_create(*, plan, scope_unit=None, user=None, leave_date: dt.date | None = None, name: str = "",
                 progress=None) -> Round:
    """A round for the new units of ``plan`` inside ``scope_unit`` (None: the whole country)."""
    from tinhgon.restructuring.models import Plan

    plan = Plan.objects.get(pk=plan.pk)
    if plan.status not in (Plan.APPLIED, Plan.DRAFT, Plan.VALIDATED, Plan.APPROVED):
        raise ValidationError({"plan": [_("A round needs an applied plan, or a plan not applied yet (what-if).")]})
    scope_path = scope_unit.path if scope_unit is not None else ""
    require_scope(user, [scope_path], CHANGE)
    what_if = plan.status != Plan.APPLIED
    data = (build.from_draft_plan if what_if else build.from_applied_plan)(plan, scope_path)
    if not data.seeds:
        raise ValidationError({"plan": [_("Nobody waits for placement from this plan in this scope.")]})
    merit = rule_set_for(MERIT, plan.effective_date)
    policy = rule_set_for(POLICY, max(plan.effective_date, dt.date(2025, 1, 1)))
    leave = leave_date or max(_next_month(dt.date.today()), plan.effective_date)
    label = name.strip() or (_("Placement after %(plan)s — %(scope)s")
                             % {"plan": plan.name, "scope": scope_unit.name if scope_unit else _("whole country")})
    rnd = Round(plan=plan, name=label[:300], scope_unit=scope_unit, scope_path=scope_path, as_of=plan.effective_date,
                leave_date=leave, what_if=what_if, merit_rule_set=merit.code, policy_rule_set=policy.code,
                created_by=user if getattr(user, "pk", None) else None)
    rnd.full_clean()
    rnd.save()
    if progress:
        progress(0, len(data.units), _("Units and posts"))
    groups = rules.groups({code: [i for i in members] for code, members in _members(data).items()})
    ru_objs = [RoundUnit(round=rnd, unit_id=u.unit_id, code=u.code, name=u.name, path=u.path, group=groups[code],
                         predecessors=u.predecessors) for code, u in data.units.items()]
    by_code = {ru.code: ru for ru in RoundUnit.objects.bulk_create(ru_objs)}
    positions = build.positions_of([u.unit_id for u in data.units.values() if u.unit_id])
    reqs = merit.parameters.get("requirements", {})
    slot_objs = []
    blank = {f.attname: f.get_default() for f in Slot._meta.concrete_fields if not f.primary_key}
    for code, u in data.units.items():
        for i, (title, count, lead, pos) in enumerate(build.posts_for(u, data.seeds, merit.parameters, positions)):
            slot_objs.append(bulk.build(Slot, **{
                **blank, "round_unit_id": by_code[code].pk, "title": title, "count": count, "is_leadership": lead,
                "min_education": int(reqs.get(title, {}).get("education_min", 0)), "order": i + 1,
                "position_id": pos}))
    slots = Slot.objects.bulk_create(slot_objs)
    # The first proposal is computed before the candidates are written: each row is inserted once,
    # with its post (no update of every row afterwards).
    t_facts = time.perf_counter()
    among = data.cadres if len(data.seeds) > build.BULK else None
    cadres = _cadres([sd.cadre_id for sd in data.seeds], among)
    keys = list(range(len(data.seeds)))
    facts = candidate_facts(rnd, [_Seeded(sd.cadre_id, sd.from_title, cadres[sd.cadre_id]) for sd in data.seeds],
                            keys=keys, cadres=among)
    t_facts = time.perf_counter() - t_facts
    options = {k: {by_code[c].pk for c in sd.options} for k, sd in zip(keys, data.seeds, strict=True)}
    group_of_unit = {ru.pk: ru.group for ru in by_code.values()}
    result, score, stats = _propose(merit.parameters, facts, slots, group_of_unit, options, keys, {}, progress)
    cand_ids = _insert_logged(Candidate, [
        {"round_id": rnd.pk, "cadre_id": sd.cadre_id, "assignment_id": sd.assignment_id,
         "from_unit_id": sd.from_unit_id, "from_title": sd.from_title, "waiting_path": sd.waiting_path,
         "slot_id": result.get(k), "score": score(k, result[k]) if result.get(k) else None}
        for k, sd in zip(keys, data.seeds, strict=True)], lambda row: str(row["cadre_id"]))
    _insert_logged(Candidacy, [{"candidate_id": cid, "round_unit_id": by_code[code].pk}
                               for cid, sd in zip(cand_ids, data.seeds, strict=True)
                               for code in dict.fromkeys(sd.options)],
                   lambda row: f"{row['candidate_id']} → {row['round_unit_id']}")
    cands = cand_ids
    _event(rnd, "create", user=user, message=_("%(units)s new units, %(n)s candidates")
           % {"units": len(by_code), "n": len(cands)},
           units=len(by_code), candidates=len(cands), what_if=what_if)
    rnd.stats = {**stats, "facts_seconds": _num(t_facts, 3), "candidates": len(cands), "changed": stats["placed"]}
    rnd.status, rnd.solved_at = Round.PROPOSED, timezone.now()
    rnd.save(update_fields=["stats", "status", "solved_at"])
    _event(rnd, "solve", user=user, message=_("%(placed)s placed by the solver, %(changed)s changed")
           % {"placed": stats["placed"], "changed": stats["placed"]}, **rnd.stats)
    audit_event(kind="placement.round_created", message=rnd.name, data={"round": rnd.pk})
    return rnd


def _insert_logged(model, rows: list[dict], label) -> list[int]:
    """Insert new rows of ``model`` — each ``{attname: value}`` of plain values, the others taking
    their default — and write their change-log rows as the tracked ``bulk_create`` does (the same
    state after, ``label(row)`` the text ``str()`` of the instance would give), without building a
    model instance per row; the new ids in order."""
    from tinhgon.core.changelog import CREATE, record

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    blank = {f.attname: f.get_default() for f in fields}
    names = [f.attname for f in fields]
    full = [{**blank, **row} for row in rows]
    ids = bulk.insert_rows(model, [f.column for f in fields], [tuple(r[n] for n in names) for r in full],
                           returning=True)
    pk = model._meta.pk.attname
    record(CREATE, model, [(i, label(r), None, {pk: i, **r}) for i, r in zip(ids, full, strict=True)])
    return ids


def _members(data) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {code: [] for code in data.units}
    for i, sd in enumerate(data.seeds):
        for code in sd.options:
            out[code].append(i)
    return out


class _FactCadre:
    """The fields of a cadre the merit inputs read (``selectors.FACT_FIELDS``), without a model instance."""

    __slots__ = ("pk", "sex", "birth_date", "birth_year", "retirement_adjust_months", "education_level",
                 "insured_months")

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)


class _Seeded:
    """A candidate not written yet, as ``candidate_facts`` reads it."""

    __slots__ = ("cadre_id", "from_title", "cadre")

    def __init__(self, cadre_id: int, from_title: str, cadre: _FactCadre):
        self.cadre_id, self.from_title, self.cadre = cadre_id, from_title, cadre


def _cadres(ids: list[int], among=None) -> dict[int, _FactCadre]:
    """Cadre id → its merit fields; ``among`` (a query of cadre ids covering ``ids``) reads them in one query."""
    from tinhgon.cadres.models import Cadre

    from .selectors import FACT_FIELDS

    qs = Cadre.objects.values_list(*FACT_FIELDS)
    rows = qs.filter(pk__in=among) if among is not None else chunked_in(qs, "pk", ids)
    return {r[0]: _FactCadre(*r) for r in rows}


def _propose(params: dict, facts, slots: list[Slot], group_of_unit: dict[int, int], options: dict[int, set[int]],
             free: list[int], taken: dict[int, int], progress=None):
    """The maximum-merit assignment of the ``free`` candidates (keys of ``facts``) to the seats left
    (``taken``: seats already held by pins), one exact problem per group of units."""
    t0 = time.perf_counter()
    # a post's kind — title, leadership, education required — is all its merit depends on
    kinds: dict[tuple, int] = {}
    slot_info: dict[int, tuple] = {}
    slots_of_unit: dict[int, list[int]] = defaultdict(list)
    for sl in slots:
        kind = kinds.setdefault((sl.title, sl.is_leadership, sl.min_education), len(kinds))
        slot_info[sl.pk] = (sl.round_unit_id, kind, post_facts(sl))
        slots_of_unit[sl.round_unit_id].append(sl.pk)
    cache: dict[tuple[int, int], float | None] = {}
    merit_of = rules.merit_scorer(params)
    by_candidate = facts.by_candidate

    def score(key: int, sid: int) -> float | None:
        unit, kind, post = slot_info[sid]
        if unit not in options[key]:
            return None
        ck = (key, kind)
        if ck in cache:
            return cache[ck]
        value = cache[ck] = merit_of(by_candidate[key], post)
        return value

    def allowed(key: int) -> list[int]:
        return [sid for u in options[key] for sid in slots_of_unit[u]]

    by_group: dict[int, list[int]] = defaultdict(list)
    for k in free:
        gs = {group_of_unit[u] for u in options[k]}
        if gs:
            by_group[min(gs)].append(k)
    posts_of_group: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for sl in slots:
        n = sl.count - taken.get(sl.pk, 0)
        if n > 0:
            posts_of_group[group_of_unit[sl.round_unit_id]].append((sl.pk, n))
    t_solver = 0.0
    result: dict[int, int] = {}
    largest = (0, 0)
    groups = sorted(by_group)
    for i, g in enumerate(groups):
        posts = posts_of_group.get(g, [])
        if not posts:
            continue
        t1 = time.perf_counter()
        result.update(rules.solve(by_group[g], posts, score, allowed=allowed))
        t_solver += time.perf_counter() - t1
        largest = max(largest, (len(by_group[g]), sum(n for _p, n in posts)))
        if progress and i % 100 == 0:
            progress(i, len(groups), _("Groups solved"))
    stats = {"seconds": _num(time.perf_counter() - t0, 3), "solver_seconds": _num(t_solver, 3),
             "groups": len(set(group_of_unit.values())), "largest_group": list(largest), "placed": len(result)}
    return result, score, stats


@transaction.atomic
def round_solve(*, round: Round, user=None, progress=None) -> Round:  # noqa: A002 - the model's name
    """Compute the proposal around the pins: per group of units sharing candidates, the assignment of
    the free candidates to the free seats that maximises the total merit (``rules.solve``)."""
    from .selectors import FACT_FIELDS

    rnd = Round.objects.select_for_update().get(pk=round.pk)
    _editable(rnd)
    require_scope(user, _round_paths(rnd), CHANGE)
    t0 = time.perf_counter()
    params = merit_params(rnd)
    cands = list(Candidate.objects.filter(round=rnd).select_related("cadre").only(
        "id", "cadre_id", "from_title", "slot_id", "score", "pinned", "excluded", "pending_reason",
        "surplus_decision", *(f"cadre__{f}" for f in FACT_FIELDS)))
    among = Candidate.objects.filter(round=rnd).values("cadre_id") if len(cands) > build.BULK else None
    facts = candidate_facts(rnd, cands, cadres=among)
    t_facts = time.perf_counter() - t0
    slots = list(Slot.objects.filter(round_unit__round=rnd))
    group_of_unit = dict(RoundUnit.objects.filter(round=rnd).values_list("id", "group"))
    options: dict[int, set[int]] = defaultdict(set)
    for cid, uid in Candidacy.objects.filter(round_unit__round=rnd).values_list("candidate_id", "round_unit_id"):
        options[cid].add(uid)
    taken: dict[int, int] = defaultdict(int)
    for c in cands:
        if c.pinned and c.slot_id:
            taken[c.slot_id] += 1
    kept = [c for c in cands if c.pinned or c.excluded or c.pending_reason or c.surplus_decision]
    kept_ids = {c.pk for c in kept}
    free = [c.pk for c in cands if c.pk not in kept_ids]
    result, score, stats = _propose(params, facts, slots, group_of_unit, options, free, taken, progress)
    changed = []
    for c in cands:
        if c.pk in kept_ids:
            continue
        new = result.get(c.pk)
        new_score = score(c.pk, new) if new else None
        if c.slot_id != new or c.score != new_score:
            c.slot_id, c.score = new, new_score
            changed.append(c)
    for i in range(0, len(changed), 2000):
        Candidate.objects.bulk_update(changed[i:i + 2000], ["slot", "score"], batch_size=500)
    rnd.stats = {**stats, "seconds": _num(time.perf_counter() - t0, 3), "facts_seconds": _num(t_facts, 3),
                 "candidates": len(cands), "changed": len(changed)}
    rnd.status = Round.PROPOSED
    rnd.solved_at = timezone.now()
    rnd.save(update_fields=["stats", "status", "solved_at"])
    _event(rnd, "solve", user=user, message=_("%(placed)s placed by the solver, %(changed)s changed")
           % {"placed": stats["placed"], "changed": len(changed)}, **rnd.stats)
    return rnd


# Leaders decide ---------------------------------------------------------------------------


def _lock_candidate(candidate: Candidate) -> Candidate:
    # only the candidate's row: its post is an outer join, which PostgreSQL cannot lock
    return (Candidate.objects.select_for_update(of=("self",))
            .select_related("round", "cadre", "slot", "slot__round_unit").get(pk=candidate.pk))


def _check_eligible(c: Candidate, slot: Slot, override_reason: str) -> list[tuple[str, int]]:
    rnd = c.round
    facts = candidate_facts(rnd, [c]).by_candidate[c.pk]
    reasons = rules.ineligibility(facts, post_facts(slot), merit_params(rnd))
    if reasons and not (override_reason or "").strip():
        from .selectors import ineligible_text

        raise ValidationError({"override_reason": [
            _("%(name)s is not eligible for %(post)s (%(why)s): give a reason to override.")
            % {"name": c.cadre.full_name, "post": slot.title, "why": ineligible_text(reasons)}]})
    return reasons


def _merit(c: Candidate, slot: Slot) -> float:
    facts = candidate_facts(c.round, [c]).by_candidate[c.pk]
    return rules.merit(facts, post_facts(slot), merit_params(c.round))[0]


def _make_room(slot: Slot, keep: Candidate | None = None) -> list[int]:
    """Unseat the lowest-merit unpinned holders of ``slot`` beyond its count; their ids."""
    holders = list(Candidate.objects.select_for_update().filter(slot=slot).order_by("pinned", "score", "id"))
    over = len(holders) - slot.count
    out = []
    for h in holders:
        if over <= 0:
            break
        if h.pinned or (keep is not None and h.pk == keep.pk):
            continue
        h.slot, h.score = None, None
        h.save(update_fields=["slot", "score"])
        out.append(h.pk)
        over -= 1
    return out


@transaction.atomic
def candidate_pin(*, candidate: Candidate, slot: Slot, reason: str, override_reason: str = "",
                  user=None) -> Candidate:
    """Fix a person in a post (the solver works around the pins)."""
    c = _lock_candidate(candidate)
    rnd = c.round
    _editable(rnd)
    slot = Slot.objects.select_for_update().select_related("round_unit").get(pk=slot.pk)
    require_scope(user, [c.waiting_path, slot.round_unit.path], CHANGE)
    reason = _reason(reason)
    if slot.round_unit.round_id != rnd.pk:
        raise ValidationError({"slot": [_("That post belongs to another round.")]})
    if not Candidacy.objects.filter(candidate=c, round_unit=slot.round_unit_id).exists():
        raise ValidationError({"slot": [_("%(name)s is not a candidate of %(unit)s.")
                                        % {"name": c.cadre.full_name, "unit": slot.round_unit.name}]})
    if c.pinned and c.slot_id and c.slot_id != slot.pk:
        raise ValidationError({"slot": [_("%(name)s is already pinned to %(post)s (%(unit)s): one person holds one "
                                          "primary post. Unpin first.")
                                        % {"name": c.cadre.full_name, "post": c.slot.title,
                                           "unit": c.slot.round_unit.name}]})
    if c.pinned and c.slot_id == slot.pk:
        raise ValidationError({"slot": [_("%(name)s is already pinned to this post.") % {"name": c.cadre.full_name}]})
    if c.excluded:
        raise ValidationError({"candidate": [_("%(name)s is excluded from the round: include them first.")
                                             % {"name": c.cadre.full_name}]})
    pinned = Candidate.objects.filter(slot=slot, pinned=True).count()
    if pinned >= slot.count:
        raise ValidationError({"slot": [_("The post %(post)s is full: its %(n)s seats are all pinned.")
                                        % {"post": slot.title, "n": slot.count}]})
    reasons = _check_eligible(c, slot, override_reason)
    before = c.slot_id
    c.slot, c.pinned, c.reason = slot, True, reason
    c.override_reason = override_reason.strip() if reasons else ""
    c.score = _merit(c, slot)
    c.surplus_option, c.surplus_decision, c.surplus_decision_date, c.transfer_unit = "", "", None, None
    c.pending_reason = ""
    c.full_clean()
    c.save()
    unseated = _make_room(slot, keep=c)
    _event(rnd, "pin", user=user, candidate=c, reason=reason,
           message=f"{c.cadre.full_name} → {slot.title}, {slot.round_unit.name}", slot=slot.pk, before=before,
           override=c.override_reason, unseated=unseated)
    return c


@transaction.atomic
def candidate_unpin(*, candidate: Candidate, reason: str = "", user=None) -> Candidate:
    c = _lock_candidate(candidate)
    _editable(c.round)
    require_scope(user, [c.waiting_path] + ([c.slot.round_unit.path] if c.slot_id else []), CHANGE)
    if not c.pinned:
        raise ValidationError({"candidate": [_("%(name)s is not pinned.") % {"name": c.cadre.full_name}]})
    c.pinned, c.override_reason = False, ""
    c.save(update_fields=["pinned", "override_reason"])
    _event(c.round, "unpin", user=user, candidate=c, reason=(reason or "").strip(), message=c.cadre.full_name)
    return c


@transaction.atomic
def candidate_exclude(*, candidate: Candidate, reason: str, user=None) -> Candidate:
    """Take a person out of the proposal (they join the surplus)."""
    c = _lock_candidate(candidate)
    _editable(c.round)
    require_scope(user, [c.waiting_path] + ([c.slot.round_unit.path] if c.slot_id else []), CHANGE)
    reason = _reason(reason)
    if c.excluded:
        raise ValidationError({"candidate": [_("%(name)s is already excluded.") % {"name": c.cadre.full_name}]})
    before = c.slot_id
    c.excluded, c.pinned, c.slot, c.score, c.reason = True, False, None, None, reason
    c.save(update_fields=["excluded", "pinned", "slot", "score", "reason"])
    _event(c.round, "exclude", user=user, candidate=c, reason=reason, message=c.cadre.full_name, before=before)
    return c


@transaction.atomic
def candidate_include(*, candidate: Candidate, reason: str = "", user=None) -> Candidate:
    c = _lock_candidate(candidate)
    _editable(c.round)
    require_scope(user, [c.waiting_path], CHANGE)
    if not c.excluded:
        raise ValidationError({"candidate": [_("%(name)s is not excluded.") % {"name": c.cadre.full_name}]})
    c.excluded = False
    c.save(update_fields=["excluded"])
    _event(c.round, "include", user=user, candidate=c, reason=(reason or "").strip(), message=c.cadre.full_name)
    return c


@transaction.atomic
def candidates_swap(*, first: Candidate, second: Candidate, reason: str, override_reason: str = "",
                    user=None) -> tuple[Candidate, Candidate]:
    """Exchange the posts of two placed people (both are pinned afterwards)."""
    a, b = _lock_candidate(first), _lock_candidate(second)
    if a.round_id != b.round_id:
        raise ValidationError({"second": [_("Both people must belong to the same round.")]})
    if a.pk == b.pk:
        raise ValidationError({"second": [_("Choose two different people.")]})
    _editable(a.round)
    if not a.slot_id or not b.slot_id:
        raise ValidationError({"second": [_("Both people must hold a post in the proposal to swap.")]})
    require_scope(user, [a.waiting_path, b.waiting_path, a.slot.round_unit.path, b.slot.round_unit.path], CHANGE)
    reason = _reason(reason)
    sa, sb = a.slot, b.slot
    for c, s in ((a, sb), (b, sa)):
        if not Candidacy.objects.filter(candidate=c, round_unit=s.round_unit_id).exists():
            raise ValidationError({"second": [_("%(name)s is not a candidate of %(unit)s.")
                                              % {"name": c.cadre.full_name, "unit": s.round_unit.name}]})
    ra, rb = _check_eligible(a, sb, override_reason), _check_eligible(b, sa, override_reason)
    a.slot, a.score, a.pinned, a.reason, a.override_reason = sb, _merit(a, sb), True, reason, \
        override_reason.strip() if ra else ""
    b.slot, b.score, b.pinned, b.reason, b.override_reason = sa, _merit(b, sa), True, reason, \
        override_reason.strip() if rb else ""
    a.save()
    b.save()
    _event(a.round, "swap", user=user, candidate=a, reason=reason,
           message=f"{a.cadre.full_name} ↔ {b.cadre.full_name}", other=b.pk, slots=[sa.pk, sb.pk])
    return a, b


@transaction.atomic
def slot_set_count(*, slot: Slot, count: int, reason: str, user=None) -> Slot:
    """Change how many hold a post in the round (the registry is not changed)."""
    s = Slot.objects.select_for_update().select_related("round_unit__round").get(pk=slot.pk)
    rnd = s.round_unit.round
    _editable(rnd)
    require_scope(user, [s.round_unit.path], CHANGE)
    reason = _reason(reason)
    if count is None or int(count) < 0 or int(count) > 500:
        raise ValidationError({"count": [_("A count from 0 to 500.")]})
    pinned = Candidate.objects.filter(slot=s, pinned=True).count()
    if int(count) < pinned:
        raise ValidationError({"count": [_("%(n)s people are pinned to this post: unpin some first.") % {"n": pinned}]})
    before = s.count
    s.count = int(count)
    s.full_clean()
    s.save(update_fields=["count"])
    unseated = _make_room(s)
    _event(rnd, "slot", user=user, reason=reason, message=f"{s.title}, {s.round_unit.name}: {before} → {s.count}",
           slot=s.pk, before=before, after=s.count, unseated=unseated)
    return s


@transaction.atomic
def candidate_decide_surplus(*, candidate: Candidate, option: str, decision_number: str,
                             decision_date: dt.date | None, transfer_unit=None, reason: str = "",
                             user=None) -> Candidate:
    """Record the decision on a person not placed: a policy, a transfer (with the unit), retirement."""
    c = _lock_candidate(candidate)
    rnd = c.round
    if rnd.status == Round.CLOSED:
        raise ValidationError(_("The round is closed."))
    paths = [c.waiting_path] + ([transfer_unit.path] if transfer_unit is not None else [])
    require_scope(user, paths, CHANGE)
    if c.slot_id:
        raise ValidationError({"candidate": [_("%(name)s holds a post in the proposal: exclude them first.")
                                             % {"name": c.cadre.full_name}]})
    if option not in dict(Candidate.OPTIONS):
        raise ValidationError({"option": [_("Choose one of the options.")]})
    if not (decision_number or "").strip():
        raise ValidationError({"decision_number": [_("The decision number is required.")]})
    if decision_date is None:
        raise ValidationError({"decision_date": [_("The decision date is required.")]})
    if option == "transfer" and transfer_unit is None:
        raise ValidationError({"transfer_unit": [_("Choose the unit of the transfer.")]})
    if option != "transfer":
        transfer_unit = None
    c.surplus_option, c.surplus_decision, c.surplus_decision_date = option, decision_number.strip(), decision_date
    c.transfer_unit, c.pending_reason = transfer_unit, ""
    c.full_clean()
    c.save()
    _event(rnd, "surplus", user=user, candidate=c, reason=(reason or "").strip(),
           message=f"{c.cadre.full_name}: {c.get_surplus_option_display()} ({c.surplus_decision})", option=option)
    return c


@transaction.atomic
def candidate_keep_pending(*, candidate: Candidate, reason: str, user=None) -> Candidate:
    """Keep a person explicitly pending (on leave, under review, …), with the reason."""
    c = _lock_candidate(candidate)
    if c.round.status == Round.CLOSED:
        raise ValidationError(_("The round is closed."))
    require_scope(user, [c.waiting_path], CHANGE)
    reason = _reason(reason)
    if c.slot_id:
        raise ValidationError({"candidate": [_("%(name)s holds a post in the proposal: exclude them first.")
                                             % {"name": c.cadre.full_name}]})
    c.pending_reason = reason
    c.surplus_option, c.surplus_decision, c.surplus_decision_date, c.transfer_unit = "", "", None, None
    c.save()
    _event(c.round, "pending", user=user, candidate=c, reason=reason, message=c.cadre.full_name)
    return c


# Approve, apply, close -------------------------------------------------------------------


@transaction.atomic
def round_approve(*, round: Round, decision_number: str, decision_date: dt.date | None,  # noqa: A002
                  decision_issuer: str = "", document=None, user=None) -> Round:
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status != Round.PROPOSED:
        raise ValidationError(_("Only a proposed round can be approved (this one is %(status)s).")
                              % {"status": rnd.get_status_display()})
    require_scope(user, _round_paths(rnd) | {rnd.scope_path}, APPROVE)
    if not (decision_number or "").strip():
        raise ValidationError({"decision_number": [_("The decision number is required.")]})
    if decision_date is None:
        raise ValidationError({"decision_date": [_("The decision date is required.")]})
    rnd.decision_number, rnd.decision_date = decision_number.strip(), decision_date
    rnd.decision_issuer = (decision_issuer or "").strip()
    rnd.document = document
    rnd.status, rnd.approved_at = Round.APPROVED, timezone.now()
    rnd.approved_by = user if getattr(user, "pk", None) else None
    rnd.full_clean()
    rnd.save()
    _event(rnd, "approve", user=user, message=rnd.decision_number)
    audit_event(kind="placement.round_approved", message=rnd.name, data={"round": rnd.pk})
    return rnd


@transaction.atomic
def round_reopen(*, round: Round, reason: str, user=None) -> Round:  # noqa: A002
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status != Round.APPROVED:
        raise ValidationError(_("Only an approved round can be reopened."))
    require_scope(user, {rnd.scope_path}, APPROVE)
    reason = _reason(reason)
    rnd.status = Round.PROPOSED
    rnd.save(update_fields=["status"])
    _event(rnd, "reopen", user=user, reason=reason)
    return rnd


@transaction.atomic
def round_apply(*, round: Round, user=None, progress=None) -> Round:  # noqa: A002
    """Turn the approved proposal into assignments: each placed person's pending assignment ends and
    the post begins on the decision date (or the pending one becomes the post when they fall on the
    same day), with the round's decision; a decided transfer likewise; a decided early retirement or
    severance ends the pending assignment on the leaving date."""
    from tinhgon.cadres.models import Assignment
    from tinhgon.cadres.services import assignment_create, assignment_end, cadre_refresh_current

    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status != Round.APPROVED:
        raise ValidationError(_("The round must be approved before it is applied (it is %(status)s).")
                              % {"status": rnd.get_status_display()})
    if rnd.what_if:
        raise ValidationError(_("A what-if round cannot be applied: its plan is not applied."))
    require_scope(user, _round_paths(rnd) | {rnd.scope_path}, APPROVE)
    cands = list(Candidate.objects.filter(round=rnd).select_related("cadre", "assignment", "slot__round_unit__unit",
                                                                      "transfer_unit"))
    issuer = rnd.decision_issuer or (rnd.scope_unit.name if rnd.scope_unit_id else "")
    placed = ended = moved = 0
    for i, c in enumerate(cands):
        pending = c.assignment
        if pending is None or pending.status != Assignment.PENDING:
            continue
        target, title, kind, position = None, c.from_title, "appointment", None
        number, date = rnd.decision_number, rnd.decision_date
        if c.slot_id:
            target, title, position = c.slot.round_unit.unit, c.slot.title, c.slot.position
            kind = "reappointment" if rules.same_title(c.from_title, c.slot.title) else "appointment"
        elif c.surplus_option == "transfer" and c.transfer_unit_id:
            target, kind, number, date = c.transfer_unit, "transfer", c.surplus_decision, c.surplus_decision_date
        elif c.surplus_decision and c.surplus_option:
            leave = max(c.surplus_decision_date or rnd.leave_date, pending.valid_from + dt.timedelta(days=1))
            assignment_end(assignment=pending, on=leave)
            ended += 1
            continue
        else:
            continue
        start = max(date or rnd.as_of, rnd.as_of)
        fields = dict(unit=target, title=title, position=position, kind=kind, status=Assignment.ACTIVE,
                      decision_number=number, decision_date=date, decision_issuer=issuer)
        if start <= pending.valid_from:
            for k, v in fields.items():
                setattr(pending, k, v)
            pending.full_clean()
            pending.save()
            cadre_refresh_current(cadre=c.cadre)
            new = pending
        else:
            assignment_end(assignment=pending, on=start)
            new = assignment_create(cadre=c.cadre, valid_from=start, valid_to=pending.valid_to,
                                    count_override_reason=_("Placement round %(n)s") % {"n": rnd.pk}
                                    if position is not None else "", **fields)
        if rnd.document_id and c.slot_id:
            Assignment.objects.filter(pk=new.pk).update(document_id=rnd.document_id)
        c.new_assignment = new
        c.save(update_fields=["new_assignment"])
        placed += 1 if c.slot_id else 0
        moved += 0 if c.slot_id else 1
        if progress and i % 200 == 0:
            progress(i, len(cands), _("Assignments written"))
    rnd.status, rnd.applied_at = Round.APPLIED, timezone.now()
    rnd.save(update_fields=["status", "applied_at"])
    _event(rnd, "apply", user=user, message=_("%(placed)s placed, %(moved)s transferred, %(left)s left")
           % {"placed": placed, "moved": moved, "left": ended},
           placed=placed, transferred=moved, left=ended, document=rnd.document_id)
    audit_event(kind="placement.round_applied", message=rnd.name, data={"round": rnd.pk, "placed": placed})
    return rnd


def round_unaccounted(rnd: Round):
    """The candidates neither placed, nor surplus with a decision, nor pending with a reason."""
    return (Candidate.objects.filter(round=rnd, slot__isnull=True, surplus_decision="", pending_reason="")
            .select_related("cadre"))


@transaction.atomic
def round_close(*, round: Round, user=None) -> Round:  # noqa: A002
    """Close the round — only when nobody is lost."""
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status != Round.APPLIED:
        raise ValidationError(_("Only an applied round can be closed."))
    require_scope(user, {rnd.scope_path}, APPROVE)
    lost = round_unaccounted(rnd)
    n = lost.count()
    if n:
        names = ", ".join(c.cadre.full_name for c in lost[:5])
        raise ValidationError(_("Nobody may be lost: %(n)s people are neither placed, nor surplus with a decision, "
                                "nor pending with a reason (%(names)s%(more)s).")
                              % {"n": n, "names": names, "more": ", …" if n > 5 else ""})
    rnd.status, rnd.closed_at = Round.CLOSED, timezone.now()
    rnd.save(update_fields=["status", "closed_at"])
    _event(rnd, "close", user=user)
    audit_event(kind="placement.round_closed", message=rnd.name, data={"round": rnd.pk})
    return rnd


def may(user, rnd: Round, action: str = CHANGE) -> bool:
    try:
        require_scope(user, {rnd.scope_path}, action)
    except PermissionDenied:
        return False
    return True
