"""Reads on cadre records: retirement, eligibility, the multi-criteria search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate
from django.utils.translation import gettext as _

from tinhgon.core.dated import valid_on
from tinhgon.core.rulesets import rule_set_for
from tinhgon.core.scoping import in_scope, restrict, scope_q
from tinhgon.core.text import fold, search_terms

from .models import Cadre, Discipline, PoolEntry
from .rules import FEMALE, MALE, Retirement, RetirementRule, mask_citizen_id, retirement
from .rulesets import DISCIPLINE, RETIREMENT


def retirement_rule(on: dt.date | None = None) -> RetirementRule:
    rs = rule_set_for(RETIREMENT, on or dt.date.today())
    return RetirementRule.from_parameters(rs.code, rs.parameters)


def cadre_retirement(cadre: Cadre, *, rule: RetirementRule | None = None) -> Retirement:
    return retirement(sex=cadre.sex, rule=rule or retirement_rule(), birth_date=cadre.birth_date,
                      birth_year=cadre.birth_year, adjust_months=cadre.retirement_adjust_months)


def _add_months(day: dt.date, months: int) -> dt.date:
    i = day.year * 12 + day.month - 1 + months
    return dt.date(i // 12, i % 12 + 1, 1)


def cadre_eligibility(cadre: Cadre, *, on: dt.date | None = None) -> tuple[bool, list[str]]:
    """Whether a cadre may be planned, appointed or promoted on ``on``, and why not."""
    on = on or dt.date.today()
    params = rule_set_for(DISCIPLINE, on).parameters
    reasons = []
    for d in cadre.disciplines.filter(effective_date__lte=on):
        months = params["ineligible_months"].get(d.measure, 12)
        if months is None:
            reasons.append(_("%(measure)s on %(date)s: permanently ineligible.")
                           % {"measure": d.get_measure_display(), "date": d.effective_date})
        elif on < _add_months(d.effective_date, months):
            reasons.append(_("%(measure)s on %(date)s: ineligible until %(until)s.")
                           % {"measure": d.get_measure_display(), "date": d.effective_date,
                              "until": _add_months(d.effective_date, months)})
    if on > cadre_retirement(cadre).retirement_date:
        reasons.append(_("Past the statutory retirement date."))
    return not reasons, reasons


def may_see_personal_data(user) -> bool:
    return bool(user and user.is_authenticated and user.may("personal_data"))


def masked(cadre: Cadre, user) -> dict:
    """The personal fields as this user may see them: unmasked only for a role with
    ``personal_data`` and a record inside the user's scopes (a record handed in from
    elsewhere stays masked)."""
    if may_see_personal_data(user) and in_scope(user, cadre.unit_path):
        return {"citizen_id": cadre.citizen_id, "birth_date": cadre.birth_date, "masked": False}
    return {"citizen_id": mask_citizen_id(cadre.citizen_id), "birth_date": None, "masked": True}


@dataclass
class CadreQuery:
    q: str = ""
    sex: str = ""
    age_from: int | None = None     # at least this old
    age_under: int | None = None    # younger than this
    education_min: int | None = None
    political_theory_min: int | None = None
    state_management_min: int | None = None
    pool_title: str = ""
    pool_term: str = ""
    within: str = ""            # a unit path prefix (a province, …)
    party_member: bool | None = None
    retiring_within_months: int | None = None
    on: dt.date | None = None


def cadre_search(user, query: CadreQuery) -> QuerySet[Cadre]:
    """Cadres in the user's scopes matching every criterion given."""
    on = query.on or dt.date.today()
    qs = restrict(Cadre.objects.all(), user)
    terms = search_terms(query.q)
    for term in terms:
        qs = qs.filter(name_folded__contains=term)
    long_terms = [t for t in terms if len(t) >= 3]
    national = getattr(user, "is_unrestricted", False) and not query.within
    if long_terms and connection.vendor == "sqlite" and national:
        # Nationally the FTS5 trigram index (migration 0005) narrows; the LIKE filters above
        # decide. Inside a scope, the scope's range of the (unit_path, name_folded) index is
        # read instead: a province's entries are checked faster than a common name's matches
        # across the country are gathered.
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
        qs = qs.filter(pk__in=RawSQL("SELECT rowid FROM cadre_name_fts WHERE cadre_name_fts MATCH %s", [match]))
    if terms and connection.vendor == "postgresql":
        # Let the trigram index find the matches and sort them, instead of walking the whole
        # name index in order until 50 match (seconds for a full name nationally).
        qs = qs.order_by(Collate("name_folded", "C"), "id")
    if query.sex:
        qs = qs.filter(sex=query.sex)
    # Age on ``on``; with only a birth year, 1 January of that year counts as the birth date.
    if query.age_under is not None:  # younger than N: born after the day N years ago
        cut = _years_before(on, query.age_under)
        qs = qs.filter(birth_year__gte=cut.year).filter(
            Q(birth_date__gt=cut) | Q(birth_date__isnull=True, birth_year__gt=cut.year))
    if query.age_from is not None:  # at least N years old
        cut = _years_before(on, query.age_from)
        qs = qs.filter(birth_year__lte=cut.year).filter(
            Q(birth_date__lte=cut) | Q(birth_date__isnull=True, birth_year__lte=cut.year))
    if query.education_min is not None:
        qs = qs.filter(education_level__gte=query.education_min)
    if query.political_theory_min is not None:
        qs = qs.filter(political_theory__gte=query.political_theory_min)
    if query.state_management_min is not None:
        qs = qs.filter(state_management__gte=query.state_management_min)
    if query.within:
        qs = qs.filter(scope_q("unit_path", [query.within]))
    if query.party_member is not None:
        qs = qs.filter(party_admission_date__isnull=not query.party_member)
    if query.pool_title or query.pool_term:
        pool = PoolEntry.objects.filter(status=PoolEntry.ACTIVE)
        if query.pool_title:  # accents optional: titles are few, fold them here
            wanted = fold(query.pool_title)
            titles = [t for t in pool.order_by().values_list("title", flat=True).distinct() if wanted in fold(t)]
            pool = pool.filter(title__in=titles)
        if query.pool_term:
            from tinhgon.apparatus.rules import term_label

            pool = pool.filter(term__label=term_label(query.pool_term))
        qs = qs.filter(Exists(pool.filter(cadre_id=OuterRef("pk"))))
    if query.retiring_within_months is not None:
        qs = qs.filter(_retiring_q(qs, on, query.retiring_within_months))
    return qs


def _retiring_q(qs: QuerySet[Cadre], on: dt.date, months: int) -> Q:
    """Cadres whose statutory retirement date falls in [on, first day of the month ``months``+1 on).

    The retirement month depends only on sex and birth month (plus a per-person
    adjustment) and never moves back when the birth month moves forward, so for the many
    without an adjustment the condition is one birth-date range per sex, found by running
    the rule over the birth months; the few with an adjustment are computed one by one.
    """
    rule = retirement_rule(on)
    horizon = _add_months(on, months + 1)
    cond = Q(pk__in=[])
    for sex in (MALE, FEMALE):
        window = _birth_window(rule, sex, on, horizon)
        if window is None:
            continue
        lo, hi = window
        years = [y for y in range(lo.year, hi.year + 1) if lo <= dt.date(y, 1, 1) < hi]
        cond |= Q(sex=sex, retirement_adjust_months=0) & (
            Q(birth_date__gte=lo, birth_date__lt=hi) | Q(birth_date__isnull=True, birth_year__in=years))
    # The adjusted are few, and found through a partial index (migration 0007).
    adjusted = qs.order_by().exclude(retirement_adjust_months=0)
    ids = [c.pk for c in adjusted.only("id", "sex", "birth_date", "birth_year", "retirement_adjust_months")
           if on <= cadre_retirement(c, rule=rule).retirement_date < horizon]
    return cond | Q(pk__in=ids) if ids else cond


def _birth_window(rule: RetirementRule, sex: str, on: dt.date, horizon: dt.date) -> tuple[dt.date, dt.date] | None:
    """[first day of the first, first day of the month after the last) birth month whose
    retirement date (no adjustment) falls in [on, horizon); None when no month does."""
    first = last = None
    month = dt.date(on.year - 80, 1, 1)
    end = dt.date(horizon.year - 40, 1, 1)
    while month < end:
        moment = retirement(sex=sex, rule=rule, birth_date=month).retirement_date
        if moment >= horizon:
            break
        if moment >= on:
            first = first or month
            last = month
        month = _add_months(month, 1)
    return (first, _add_months(last, 1)) if first else None


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def active_disciplines(cadre: Cadre, on: dt.date | None = None) -> QuerySet[Discipline]:
    return cadre.disciplines.filter(effective_date__lte=on or dt.date.today())


def current_assignments(cadre: Cadre, on: dt.date | None = None):
    return cadre.assignments.filter(valid_on(on or dt.date.today())).select_related("unit")


# Hometown through the lineage -----------------------------------------------------------------


def unit_label(unit, day: dt.date | None = None) -> str:
    """"Xã X, Huyện Y, Tỉnh Z": the unit and its ancestors as they were on ``day`` (while the
    unit was valid: its last day if it has ended)."""
    from tinhgon.apparatus.models import Unit

    if day is None or not unit.is_valid_on(day):
        day = unit.valid_from if unit.valid_to is None else unit.valid_to - dt.timedelta(days=1)
    names = {u.code: u.name for u in Unit.objects.filter(valid_on(day), code__in=unit.ancestor_codes)}
    return ", ".join([unit.name, *[names[c] for c in reversed(unit.ancestor_codes) if c in names]])


@dataclass
class Hometown:
    recorded: str                 # the unit as recorded, with its ancestors then
    now: list[str]                # what it is on the date asked (several when it was divided)
    changed: bool                 # the recorded unit is no longer valid on that date
    text: str = ""                # as written in the file, when given


def hometown(cadre: Cadre, on: dt.date | None = None) -> Hometown | None:
    """The cadre's hometown unit and, through the lineage, what it is on ``on`` (today)."""
    from tinhgon.apparatus.models import Unit
    from tinhgon.restructuring.selectors import unit_now

    if not cadre.hometown_id:
        return Hometown(recorded="", now=[], changed=False, text=cadre.hometown_text) if cadre.hometown_text else None
    on = on or dt.date.today()
    unit = cadre.hometown
    if unit.is_valid_on(on):
        return Hometown(recorded=unit_label(unit, on), now=[], changed=False, text=cadre.hometown_text)
    current = {u.pk: u for u in Unit.objects.filter(pk__in=[c["id"] for c in unit_now(unit, as_of=on)])}
    return Hometown(recorded=unit_label(unit), now=[unit_label(u, on) for u in
                                                   sorted(current.values(), key=lambda u: u.code)],
                    changed=True, text=cadre.hometown_text)


# People and posts: the head of a unit, a cadre's direct superior ----------------------------------


def _holders(position_ids: list[int], day: dt.date) -> dict[int, Cadre]:
    """The cadre holding each position on ``day`` (an active assignment; the earliest start first)."""
    from .models import Assignment

    out: dict[int, Cadre] = {}
    rows = (Assignment.objects.filter(valid_on(day), position_id__in=position_ids, status=Assignment.ACTIVE)
            .select_related("cadre").order_by("valid_from", "id"))
    for a in rows:
        out.setdefault(a.position_id, a.cadre)
    return out


def unit_head(unit, *, on: dt.date | None = None) -> Cadre | None:
    """The head of ``unit``: the holder of its first leadership position (by the positions' order).

    One rule for every app ("the leader", "escalate to the head"): the positions of the
    unit version valid on ``on`` (the same code), leadership ones by ``order`` then title;
    when the first is vacant, the next held one acts.  None when no leadership post is held.
    """
    from tinhgon.apparatus.models import Position
    from tinhgon.apparatus.selectors import unit_for_code

    day = on or dt.date.today()
    version = unit if unit.is_valid_on(day) else (unit_for_code(unit.code, day) or unit)
    positions = list(Position.objects.filter(unit=version, is_leadership=True).order_by("order", "title", "id")
                     .values_list("pk", flat=True))
    if not positions:
        return None
    held = _holders(positions, day)
    return next((held[p] for p in positions if p in held), None)


def direct_superior(cadre: Cadre, *, on: dt.date | None = None) -> Cadre | None:
    """Who a cadre answers to: the head of their unit, or — for the head — the head above.

    Walks up the tree (through the parent codes valid on ``on``) until a unit has a head
    other than the cadre.
    """
    from tinhgon.apparatus.selectors import unit_for_code

    day = on or dt.date.today()
    unit = cadre.unit
    seen = 0
    while unit is not None and seen < 20:
        head = unit_head(unit, on=day)
        if head is not None and head.pk != cadre.pk:
            return head
        unit = unit_for_code(unit.parent_code, day) if unit.parent_code else None
        seen += 1
    return None


def cadre_of(user) -> Cadre | None:
    """The cadre record linked to a user account (None when the account has none)."""
    if user is None or not getattr(user, "pk", None):
        return None
    return Cadre.objects.filter(user_id=user.pk).select_related("unit").first()
