"""Reads of placement: rounds a user may reach, the facts of candidates (merit inputs), the
board of a unit, the surplus with its estimates, the report of a round."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext as _

from tinhgon.core.bulk import chunked_in
from tinhgon.core.rulesets import rule_set_for
from tinhgon.core.scoping import restrict
from tinhgon.core.text import fold

from . import rules
from .models import Candidate, Round, RoundUnit, Slot
from .rulesets import MERIT, POLICY


def rounds_visible(user, action: str = "view") -> QuerySet[Round]:
    return restrict(Round.objects.select_related("plan", "scope_unit"), user, action)


def merit_params(rnd: Round) -> dict:
    return rule_set_for(MERIT, rnd.as_of, rnd.merit_rule_set or None).parameters


def policy_params(rnd: Round) -> dict:
    return rule_set_for(POLICY, rnd.leave_date, rnd.policy_rule_set or None).parameters


# Facts ------------------------------------------------------------------------------------


def _latest_results(cadre_ids: list[int], as_of: dt.date) -> dict[int, dict]:
    try:
        from tinhgon.assessment.selectors import latest_results
    except ImportError:  # the assessment app not installed
        return {}
    return latest_results(cadre_ids, as_of=as_of)


def _assessed(cadre_ids: list[int], cadres) -> list[int]:
    """Those of ``cadre_ids`` with any assessment result (``cadres``: a query of ids covering them):
    the latest results need be looked for only among them."""
    try:
        from tinhgon.assessment.models import Result
    except ImportError:
        return []
    found = set(Result.objects.filter(cadre_id__in=cadres).values_list("cadre_id", flat=True).distinct())
    return [c for c in cadre_ids if c in found]


def _add_months(day: dt.date, months: int) -> dt.date:
    i = day.year * 12 + day.month - 1 + months
    return dt.date(i // 12, i % 12 + 1, 1)


@dataclass
class Facts:
    by_candidate: dict[int, rules.CandidateFacts]
    assessment: dict[int, dict]              # cadre id → latest result
    retirement: dict[int, dt.date]            # cadre id → statutory retirement date
    pension_start: dict[int, dt.date]
    discipline: dict[int, list[str]] = field(default_factory=dict)


FACT_FIELDS = ("id", "sex", "birth_date", "birth_year", "retirement_adjust_months", "education_level",
               "insured_months")


def candidate_facts(rnd: Round, candidates: list[Candidate], *, results_as_of: dt.date | None = None,
                    keys: list[int] | None = None, cadres=None) -> Facts:
    """The merit inputs of ``candidates`` (Candidate rows with ``cadre`` loaded — at least
    ``FACT_FIELDS`` — saved or not, or any object with ``cadre_id``, ``from_title`` and such a
    ``cadre``), in bulk; keyed by ``keys`` (default: their ids).

    ``cadres``, when given, is a query of cadre ids covering at least the candidates' (a national
    round: every cadre pending placement in the scope): each kind of input is then read in one
    query filtered by it instead of thousands of ids sent in chunks; rows of other cadres are
    ignored."""
    from tinhgon.cadres.models import Assignment, Discipline, PoolEntry
    from tinhgon.cadres.rules import retirement
    from tinhgon.cadres.rulesets import DISCIPLINE
    from tinhgon.cadres.selectors import retirement_rule

    cadre_ids = [c.cadre_id for c in candidates]
    as_of = rnd.as_of
    rule = retirement_rule(as_of)

    def of_cadres(queryset) -> list:
        if cadres is not None:
            return list(queryset.filter(cadre_id__in=cadres))
        return chunked_in(queryset, "cadre_id", cadre_ids)

    pools: dict[int, set[str]] = defaultdict(set)
    for cid, title in of_cadres(PoolEntry.objects.filter(status=PoolEntry.ACTIVE).values_list("cadre_id", "title")):
        pools[cid].add(fold(title))
    first: dict[int, dt.date] = {}
    leader: set[int] = set()
    leader_title: dict[str, bool] = {}
    # one row per person, title and leadership of the position: the earliest start among them
    for cid, title, lead, start in of_cadres(Assignment.objects.filter(valid_from__lte=as_of).values_list(
            "cadre_id", "title", "position__is_leadership").annotate(start=Min("valid_from")).order_by()):
        if cid not in first or start < first[cid]:
            first[cid] = start
        if not lead:
            lead = leader_title.get(title)
            if lead is None:
                lead = leader_title[title] = rules.is_leadership_title(title)
        if lead:
            leader.add(cid)
    months = rule_set_for(DISCIPLINE, as_of).parameters["ineligible_months"]
    disciplined: dict[int, list[str]] = defaultdict(list)
    for cid, measure, eff in of_cadres(Discipline.objects.filter(effective_date__lte=as_of).values_list(
            "cadre_id", "measure", "effective_date")):
        m = months.get(measure, 12)
        if m is None or as_of < _add_months(eff, m):
            disciplined[cid].append(measure)
    results = _latest_results(cadre_ids if cadres is None else _assessed(cadre_ids, cadres),
                              results_as_of or dt.date.today())
    facts: dict[int, rules.CandidateFacts] = {}
    retire: dict[int, dt.date] = {}
    pension: dict[int, dt.date] = {}
    same_birth: dict[tuple, object] = {}  # people born the same day retire the same day
    for i, c in enumerate(candidates):
        k = c.cadre
        key = keys[i] if keys is not None else c.pk
        born = (k.sex, k.birth_date, k.birth_year, k.retirement_adjust_months)
        r = same_birth.get(born)
        if r is None:
            r = same_birth[born] = retirement(sex=k.sex, rule=rule, birth_date=k.birth_date,
                                              birth_year=k.birth_year, adjust_months=k.retirement_adjust_months)
        retire[k.pk], pension[k.pk] = r.retirement_date, r.pension_start
        facts[key] = rules.CandidateFacts(
            id=key, title=c.from_title, was_leader=k.pk in leader, education=k.education_level,
            assessment=(results.get(k.pk) or {}).get("level"), pool_titles=frozenset(pools.get(k.pk, ())),
            service_years=max((as_of - first[k.pk]).days / 365.25 if k.pk in first else 0.0,
                              (k.insured_months or 0) / 12),
            months_left=rules.months_between(as_of, r.pension_start),
            disciplined=bool(disciplined.get(k.pk)))
    return Facts(facts, results, retire, pension, dict(disciplined))


def post_facts(slot: Slot) -> rules.PostFacts:
    return rules.PostFacts(id=slot.pk, title=slot.title, leadership=slot.is_leadership,
                           min_education=slot.min_education)


INELIGIBLE_TEXT = {
    "retired": lambda n: _("past the retirement age"),
    "discipline": lambda n: _("under a discipline still in force"),
    "service_left": lambda n: _("less than %(n)s months of service left") % {"n": n},
    "no_pool_or_experience": lambda n: _("neither in the planning pool for the title nor a leader before"),
}

MERIT_PART_LABELS = {
    "base": "Cơ sở / base", "same_title": "Cùng chức danh / same title", "pool": "Quy hoạch / planning pool",
    "qualification": "Trình độ / qualification", "leadership_experience": "Kinh nghiệm lãnh đạo / leadership",
    "seniority": "Thâm niên / seniority", "assessment": "Đánh giá / assessment",
}


def ineligible_text(reasons: list[tuple[str, int]]) -> str:
    return "; ".join(INELIGIBLE_TEXT[code](n) for code, n in reasons)


# The board of a unit ----------------------------------------------------------------------


@dataclass
class BoardCell:
    score: float | None
    parts: dict
    reasons: list[tuple[str, int]]
    held: bool

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def reason_text(self) -> str:
        return ineligible_text(self.reasons)

    @property
    def parts_text(self) -> str:
        return ", ".join(f"{MERIT_PART_LABELS.get(k, k)} {v:g}" for k, v in self.parts.items())


@dataclass
class Board:
    round_unit: RoundUnit
    slots: list[Slot]
    candidates: list[Candidate]
    cells: dict[tuple[int, int], BoardCell]
    facts: Facts
    holders: dict[int, list[Candidate]]
    elsewhere: dict[int, str]  # candidate id → unit name where they are placed (another unit)


def unit_board(round_unit: RoundUnit) -> Board:
    rnd = round_unit.round
    slots = list(round_unit.slots.order_by("order", "id"))
    cands = list(Candidate.objects.filter(candidacies__round_unit=round_unit)
                 .select_related("cadre", "from_unit", "slot", "slot__round_unit").order_by("from_unit__name", "id"))
    facts = candidate_facts(rnd, cands)
    params = merit_params(rnd)
    cells = {}
    for c in cands:
        f = facts.by_candidate[c.pk]
        for s in slots:
            p = post_facts(s)
            score, parts = rules.merit(f, p, params)
            cells[(c.pk, s.pk)] = BoardCell(score, parts, rules.ineligibility(f, p, params), c.slot_id == s.pk)
    holders: dict[int, list[Candidate]] = defaultdict(list)
    elsewhere = {}
    for c in cands:
        if c.slot_id and c.slot.round_unit_id == round_unit.pk:
            holders[c.slot_id].append(c)
        elif c.slot_id:
            elsewhere[c.pk] = c.slot.round_unit.name
    return Board(round_unit, slots, cands, cells, facts, holders, elsewhere)


# Surplus -----------------------------------------------------------------------------------


@dataclass
class SurplusRow:
    candidate: Candidate
    retirement_date: dt.date | None
    months_early: int | None
    options: list[str]
    estimates: list[rules.Estimate]
    transfers: list[tuple[RoundUnit, int, int]]  # unit, free seats, distance


def _free_seats(rnd: Round) -> dict[int, int]:
    """Round unit id → seats not taken."""
    seats = dict(Slot.objects.filter(round_unit__round=rnd).values_list("round_unit_id").annotate(n=_sum_count())
                 .order_by())
    taken = dict(Candidate.objects.filter(round=rnd, slot__isnull=False).values_list("slot__round_unit_id")
                 .annotate(n=Count("id")).order_by())
    return {u: n - taken.get(u, 0) for u, n in seats.items()}


def _sum_count():
    from django.db.models import Sum

    return Sum("count")


def _district_of(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    return "/".join(parts[:2])


def surplus_rows(rnd: Round, candidates: list[Candidate]) -> list[SurplusRow]:
    """Each unplaced candidate with the policies open to them, the estimates and the nearest
    units with vacancies (a successor of their unit first, then one sharing its old district,
    then the same province)."""
    from tinhgon.cadres.rules import retirement
    from tinhgon.cadres.selectors import retirement_rule

    params = policy_params(rnd)
    code = rule_set_for(POLICY, rnd.leave_date, rnd.policy_rule_set or None).code
    rule = retirement_rule(rnd.as_of)
    free = _free_seats(rnd)
    units = {u.pk: u for u in RoundUnit.objects.filter(round=rnd, pk__in=[k for k, n in free.items() if n > 0])}
    options_of: dict[int, set[int]] = defaultdict(set)
    for cid, uid in chunked_in(Candidate.options.through.objects.values_list("candidate_id", "round_unit_id"),
                               "candidate_id", [c.pk for c in candidates]):
        options_of[cid].add(uid)
    pred_districts = {u.pk: {_district_of(p[2]) for p in u.predecessors if len(p) > 2} for u in units.values()}
    out = []
    for c in candidates:
        k = c.cadre
        r = retirement(sex=k.sex, rule=rule, birth_date=k.birth_date, birth_year=k.birth_year,
                       adjust_months=k.retirement_adjust_months)
        early = rules.months_between(rnd.leave_date, r.pension_start)
        opts = rules.options_for(early)
        ests = [rules.estimate(o, salary=k.policy_salary, insured_months=k.insured_months, leave_date=rnd.leave_date,
                               normal_pension_start=r.pension_start, decision_date=rnd.as_of, params=params,
                               rule_set=code) for o in opts if o != "retirement"]
        from_district = _district_of(c.from_unit.path)
        near = []
        for uid, u in units.items():
            d = 0 if uid in options_of[c.pk] else 1 if from_district in pred_districts[uid] else 2
            near.append((d, -free[uid], u.name, u))
        near.sort(key=lambda t: t[:3])
        out.append(SurplusRow(c, r.retirement_date, early, opts, ests,
                              [(u, free[u.pk], d) for d, _f, _n, u in near[:3]]))
    return out


def surplus_candidates(rnd: Round) -> QuerySet[Candidate]:
    return (Candidate.objects.filter(round=rnd, slot__isnull=True)
            .select_related("cadre", "from_unit", "transfer_unit").order_by("from_unit__path", "cadre__name_folded"))


# Progress and report -------------------------------------------------------------------


def round_progress(rnd: Round) -> dict:
    qs = Candidate.objects.filter(round=rnd)
    agg = qs.aggregate(
        total=Count("id"), placed=Count("id", filter=Q(slot__isnull=False)),
        pinned=Count("id", filter=Q(pinned=True)), excluded=Count("id", filter=Q(excluded=True)),
        decided=Count("id", filter=Q(slot__isnull=True) & ~Q(surplus_decision="")),
        pending=Count("id", filter=Q(slot__isnull=True, surplus_decision="") & ~Q(pending_reason="")))
    agg["surplus"] = agg["total"] - agg["placed"] - agg["pending"]
    agg["undecided"] = agg["surplus"] - agg["decided"]
    agg["seats"] = Slot.objects.filter(round_unit__round=rnd).aggregate(n=_sum_count())["n"] or 0
    agg["units"] = RoundUnit.objects.filter(round=rnd).count()
    agg["lost"] = agg["undecided"]
    agg["percent"] = round(100 * (agg["placed"] + agg["decided"] + agg["pending"]) / agg["total"]) if agg["total"] else 100
    return agg


def round_report(rnd: Round) -> dict:
    """Placed, surplus by option (decided) and undecided, pending; posts after vs payroll quota per unit;
    the estimated cost of the policies (decided options, and the cheapest open one for the rest)."""
    from tinhgon.apparatus.models import PayrollQuota

    prog = round_progress(rnd)
    by_option = dict(Candidate.objects.filter(round=rnd, slot__isnull=True).exclude(surplus_option="")
                     .values_list("surplus_option").annotate(n=Count("id")).order_by())
    units = list(RoundUnit.objects.filter(round=rnd).order_by("path"))
    seats = dict(Slot.objects.filter(round_unit__round=rnd).values_list("round_unit_id").annotate(n=_sum_count())
                 .order_by())
    placed = dict(Candidate.objects.filter(round=rnd, slot__isnull=False).values_list("slot__round_unit_id")
                  .annotate(n=Count("id")).order_by())
    unit_ids = [u.unit_id for u in units if u.unit_id]
    quotas: dict[int, int] = defaultdict(int)
    for uid, q in chunked_in(PayrollQuota.objects.filter(year=rnd.as_of.year).values_list("unit_id", "quota"),
                             "unit_id", unit_ids):
        quotas[uid] += q
    rows = [{"unit": u, "seats": seats.get(u.pk, 0), "placed": placed.get(u.pk, 0), "quota": quotas.get(u.unit_id)}
            for u in units]
    cost = {"decided": 0, "missing": 0, "people": 0}
    surplus = list(surplus_candidates(rnd).filter(pending_reason=""))
    for row in surplus_rows(rnd, surplus):
        c = row.candidate
        chosen = c.surplus_option
        ests = [e for e in row.estimates if e.option == chosen] if chosen else []
        if chosen and chosen in ("transfer", "retirement"):
            continue
        if not ests:
            continue
        e = ests[0]
        if e.amount is None:
            cost["missing"] += 1
        else:
            cost["decided"] += e.amount
            cost["people"] += 1
    return {"progress": prog, "by_option": by_option, "units": rows, "cost": cost,
            "seats": sum(r["seats"] for r in rows), "placed": sum(r["placed"] for r in rows),
            "quota": sum(r["quota"] or 0 for r in rows), "quota_known": sum(1 for r in rows if r["quota"] is not None)}

