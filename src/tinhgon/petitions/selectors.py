"""Reads of citizen petitions shared by pages, the API, panels, reports and other apps.

Everything a user reaches goes through :func:`tinhgon.core.scoping.restrict`.  Reads that
could single out a denouncer leave denunciations' petitioners out: the duplicate hints
never match names against them, and reports count denunciations without any petitioner
detail.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from rapidfuzz import fuzz, process

from tinhgon.core.scoping import restrict, scope_q
from tinhgon.core.text import fold

from . import rules
from .models import Contact, HotSpot, Petition, Petitioner
from .protection import protect_cells, small


def _today() -> dt.date:
    return timezone.localdate()


def petitions_for(user, action: str = "view", *, unit=None, subtree: bool = True):
    """The matters ``user`` reaches for ``action``; with ``unit``, those it handles or where they
    arose (its subtree unless ``subtree`` is false)."""
    qs = restrict(Petition.objects.all(), user, action)
    if unit is not None:
        if subtree:
            qs = qs.filter(scope_q("handling_path", [unit.path]) | scope_q("place_path", [unit.path]))
        else:
            qs = qs.filter(Q(handling_unit__code=unit.code) | Q(place__code=unit.code))
    return qs


# Duplicates ------------------------------------------------------------------------------------

SIMILAR_WINDOW_DAYS = 730
SIMILAR_MAX_CANDIDATES = 4000
TEXT_THRESHOLD = 60


@dataclass
class Similar:
    petition: Petition
    score: int
    reasons: list[str]


def similar(user, *, text: str, place=None, subject: str = "", names: list[str] | tuple = (),
            on: dt.date | None = None, exclude: int | None = None, limit: int = 10) -> list[Similar]:
    """Existing matters like a new one: the same place (its subtree) and subject, a similar text
    with or without accents (rapidfuzz over the folded text), the same petitioners (never those
    of a denunciation)."""
    day = on or _today()
    qs = restrict(Petition.objects.all(), user, "view").filter(
        received_on__gte=day - dt.timedelta(days=SIMILAR_WINDOW_DAYS))
    if place is not None:
        qs = qs.filter(scope_q("place_path", [place.path]))
    if exclude:
        qs = qs.exclude(pk=exclude)
    rows = list(qs.order_by("-received_on", "-id").values_list("id", "text_folded", "subject", "kind")
                [:SIMILAR_MAX_CANDIDATES])
    folded = fold(text)
    scores: dict[int, int] = {}
    if folded and rows:
        choices = {pk: t for pk, t, _s, _k in rows}
        for _t, score, pk in process.extract(folded, choices, scorer=fuzz.token_set_ratio,
                                             score_cutoff=TEXT_THRESHOLD, limit=limit * 3):
            scores[pk] = int(score)
    same_people: set[int] = set()
    folded_names = sorted({fold(n) for n in names if n and fold(n)})
    if folded_names and rows:
        ids = [r[0] for r in rows if r[3] != rules.DENUNCIATION]
        for i in range(0, len(ids), 900):
            same_people.update(Petitioner.objects.filter(petition_id__in=ids[i:i + 900], name_folded__in=folded_names)
                               .values_list("petition_id", flat=True))
    out: dict[int, list] = {}
    for pk, _t, subj, _k in rows:
        reasons = []
        score = scores.get(pk, 0)
        if pk in scores:
            reasons.append("text")
        if subject and subj == subject and place is not None:
            reasons.append("place_subject")
            score += 15
        if pk in same_people:
            reasons.append("petitioners")
            score += 30
        if "text" in reasons or "petitioners" in reasons:
            out[pk] = [min(score, 100), reasons]
    best = sorted(out.items(), key=lambda kv: (-kv[1][0], -kv[0]))[:limit]
    objs = Petition.objects.select_related("place", "handling_unit").in_bulk([pk for pk, _v in best])
    return [Similar(objs[pk], v[0], v[1]) for pk, v in best if pk in objs]


# Deadlines and escalation ----------------------------------------------------------------------

DUE_SOON_DAYS = 7


def _due_soon(user, on: dt.date | None = None, days: int = DUE_SOON_DAYS):
    day = on or _today()
    return petitions_for(user).filter(status__in=Petition.OPEN, deadline__gte=day,
                                      deadline__lte=day + dt.timedelta(days=days))


def _overdue(user, on: dt.date | None = None):
    day = on or _today()
    return petitions_for(user).filter(status__in=Petition.OPEN, deadline__lt=day)


def _DUE_DENUNCIATIONS(day: dt.date):  # noqa: N802 - an aggregate, like Count
    """The denunciations among a row's overdue and due-soon matters (small counts are suppressed)."""
    return Count("id", filter=Q(kind=rules.DENUNCIATION, deadline__lte=day + dt.timedelta(days=DUE_SOON_DAYS)))


def _unit_rows(user, on: dt.date | None = None) -> list[dict]:
    """Due-soon and overdue counts per handling unit, with the head each overdue matter goes up to."""
    from tinhgon.apparatus.models import Unit
    from tinhgon.cadres.selectors import unit_head

    day = on or _today()
    base = petitions_for(user).filter(status__in=Petition.OPEN, deadline__isnull=False)
    rows = (base.values("handling_unit_id").order_by()
            .annotate(overdue=Count("id", filter=Q(deadline__lt=day)),
                      soon=Count("id", filter=Q(deadline__gte=day, deadline__lte=day + dt.timedelta(days=DUE_SOON_DAYS))),
                      denunciations=_DUE_DENUNCIATIONS(day))
            .filter(Q(overdue__gt=0) | Q(soon__gt=0)))
    rows = sorted(rows, key=lambda r: (-r["overdue"], -r["soon"]))[:200]
    units = Unit.objects.in_bulk([r["handling_unit_id"] for r in rows])
    out = []
    for r in rows:
        unit = units[r["handling_unit_id"]]
        out.append(protect_cells({"unit": unit, "overdue": r["overdue"], "soon": r["soon"],
                                  "head": unit_head(unit, on=day) if r["overdue"] else None},
                                 ("overdue", "soon"), denunciations=r["denunciations"]))
    return out


def _leader_rows(user, on: dt.date | None = None) -> list[dict]:
    """Due-soon and overdue counts per leader in charge."""
    from tinhgon.cadres.models import Cadre

    day = on or _today()
    base = petitions_for(user).filter(status__in=Petition.OPEN, deadline__isnull=False, leader__isnull=False)
    rows = list(base.values("leader_id").order_by()
                .annotate(overdue=Count("id", filter=Q(deadline__lt=day)),
                          soon=Count("id", filter=Q(deadline__gte=day,
                                                    deadline__lte=day + dt.timedelta(days=DUE_SOON_DAYS))),
                          denunciations=_DUE_DENUNCIATIONS(day))
                .filter(Q(overdue__gt=0) | Q(soon__gt=0)).order_by("-overdue", "-soon")[:200])
    cadres = Cadre.objects.in_bulk([r["leader_id"] for r in rows])
    return [protect_cells({"leader": cadres.get(r["leader_id"]), "leader_id": r["leader_id"], "overdue": r["overdue"],
                           "soon": r["soon"]}, ("overdue", "soon"), denunciations=r.pop("denunciations"))
            for r in rows]


def deadline_lists(user, on: dt.date | None = None, *, per_unit: bool = True) -> dict:
    """What is due: the overdue and due-soon matters ``user`` reaches (querysets) and, with
    ``per_unit``, their counts per handling unit (with the head each overdue matter goes up to) and
    per leader in charge."""
    day = on or _today()
    out = {"overdue": _overdue(user, day), "soon": _due_soon(user, day), "units": [], "leaders": []}
    if per_unit:
        out.update(units=_unit_rows(user, day), leaders=_leader_rows(user, day))
    return out


def open_deadlines(queryset=None, cal: rules.Calendar | None = None) -> int:
    """Recompute the deadline of every open, accepted matter (pure rules; nothing written): the
    figure the benchmark times.  The rules are pure, so equal inputs (the same kind, round,
    acceptance day, complexity, remote flag, extensions and suspension) are computed once.
    Returns how many matters were computed."""
    from tinhgon.core.rulesets import rule_set_for

    from .rulesets import DEADLINES
    from .services import calendar

    cal = cal or calendar()
    qs = (queryset if queryset is not None else Petition.objects.all()).filter(
        status__in=Petition.SETTLING, accepted_on__isnull=False)
    rule_sets: dict = {}
    done: dict = {}
    n = 0
    for key in qs.values_list("kind", "round", "accepted_on", "complexity", "remote", "extensions",
                              "suspended_days").iterator(chunk_size=5000):
        n += 1
        if key in done:
            continue
        kind, round_, acc, cx, remote, ext, susp = key
        rs = rule_sets.get(acc)
        if rs is None:
            rs = rule_sets[acc] = rule_set_for(DEADLINES, acc)
        try:
            done[key] = rules.settlement_deadline(rs.parameters, rs.code, kind=kind, accepted=acc, round=round_,
                                                  complexity=cx, remote=remote, extensions=ext,
                                                  suspended_days=susp, calendar=cal)
        except rules.RuleError:
            done[key] = None
    return n


# Hot spots -------------------------------------------------------------------------------------


def gatherings(*, since: dt.date, until: dt.date, roots: list[str] | None = None) -> dict[tuple[int, str], dict]:
    """What gathered per (place, subject) in ``[since, until]``: people, contacts, the largest group,
    repeats (from the contacts), overdue open matters, and the matters involved."""
    contacts = Contact.objects.filter(on__gte=since, on__lte=until)
    if roots:
        contacts = contacts.filter(scope_q("petition__place_path", roots))
    out: dict[tuple[int, str], dict] = {}
    for r in (contacts.values("petition__place_id", "petition__subject").order_by()
              .annotate(n_people=Sum("people"), contacts=Count("id"), largest=Max("people"),
                        repeats=Count("id", filter=Q(is_repeat=True)),
                        denunciations=Count("petition_id", distinct=True,
                                            filter=Q(petition__kind=rules.DENUNCIATION)))):
        out[(r["petition__place_id"], r["petition__subject"])] = {
            "people": r["n_people"] or 0, "contacts": r["contacts"], "largest_group": r["largest"] or 0,
            "repeats": r["repeats"], "overdue": 0, "denunciations": r["denunciations"]}
    late = Petition.objects.filter(status__in=Petition.OPEN, deadline__lt=until, received_on__gte=since)
    if roots:
        late = late.filter(scope_q("place_path", roots))
    for r in late.values("place_id", "subject").order_by().annotate(n=Count("id")):
        key = (r["place_id"], r["subject"])
        out.setdefault(key, {"people": 0, "contacts": 0, "largest_group": 0, "repeats": 0, "overdue": 0,
                             "denunciations": 0})
        out[key]["overdue"] = r["n"]
    return out


def hotspot_candidates(*, on: dt.date | None = None, roots: list[str] | None = None,
                       thresholds: dict | None = None, window_days: int | None = None) -> list[dict]:
    """Places and subjects over a threshold in the sliding window ending ``on`` (``window_days``:
    another window than the rule set's, the thresholds unchanged)."""
    from tinhgon.core.rulesets import rule_set_for

    from .rulesets import HOTSPOTS

    day = on or _today()
    rs = rule_set_for(HOTSPOTS, day)
    t = dict(thresholds or rs.parameters)
    if window_days:
        t["window_days"] = int(window_days)
    since = day - dt.timedelta(days=int(t["window_days"]) - 1)
    out = []
    for (place_id, subject), g in gatherings(since=since, until=day, roots=roots).items():
        reasons = rules.hotspot_reasons(rules.Gathering(**{k: v for k, v in g.items() if k != "denunciations"}), t)
        if reasons:
            out.append({"place_id": place_id, "subject": subject, "reasons": reasons,
                        "evidence": {**g, "since": since.isoformat(), "until": day.isoformat(), "rule_set": rs.code,
                                     "since_label": since.strftime("%d/%m/%Y"),
                                     "until_label": day.strftime("%d/%m/%Y")}})
    return out


def hotspots_for(user, *, status: str | None = None):
    qs = restrict(HotSpot.objects.select_related("place", "owner"), user, "view")
    if status == "open":
        qs = qs.exclude(status=HotSpot.RESOLVED)
    elif status:
        qs = qs.filter(status=status)
    return qs


# Reports ---------------------------------------------------------------------------------------

REPORT_FIELDS = ("received", "accepted", "on_time", "late", "overdue", "open")
BY = {"kind": "kind", "subject": "subject", "unit": "handling_unit", "province": None, "month": None}


def report(qs, *, start: dt.date, end: dt.date, by: str = "kind", on: dt.date | None = None) -> list[dict]:
    """Received, accepted, settled on time, settled late, overdue and still open, in a period, by
    kind, subject, handling unit, province (of the place) or month — counted over ``qs``, which the
    caller restricts (:func:`petitions_for`)."""
    from django.db.models import F
    from django.db.models.functions import Substr, TruncMonth

    day = on or _today()
    qs = qs.filter(received_on__gte=start, received_on__lte=end)
    agg = dict(
        received=Count("id"),
        accepted=Count("id", filter=Q(accepted_on__isnull=False)),
        on_time=Count("id", filter=Q(concluded_on__isnull=False) & (Q(deadline__isnull=True)
                                                                    | Q(concluded_on__lte=F("deadline")))),
        late=Count("id", filter=Q(concluded_on__isnull=False, deadline__isnull=False, concluded_on__gt=F("deadline"))),
        overdue=Count("id", filter=Q(status__in=Petition.OPEN, deadline__lt=day)),
        open=Count("id", filter=Q(status__in=Petition.OPEN)),
        denunciations=Count("id", filter=Q(kind=rules.DENUNCIATION)),
    )
    if by == "province":
        key = Substr("place_path", 1, 3)
        rows = qs.annotate(k=key).values("k").order_by().annotate(**agg)
    elif by == "month":
        rows = qs.annotate(k=TruncMonth("received_on")).values("k").order_by().annotate(**agg)
    else:
        rows = qs.annotate(k=F(BY.get(by) or "kind")).values("k").order_by().annotate(**agg)
    rows = [dict(r) for r in rows]
    labels = _labels(by, [r["k"] for r in rows])
    for r in rows:
        r["label"] = labels.get(r["k"], str(r["k"]))
    rows.sort(key=lambda r: (-r["received"], r["label"]))
    return rows



def _labels(by: str, keys: list) -> dict:
    from tinhgon.apparatus.models import Unit

    from .models import KINDS, SUBJECTS

    if by == "kind":
        return {k: str(v) for k, v in KINDS}
    if by == "subject":
        return {k: str(v) for k, v in SUBJECTS}
    if by == "unit":
        return {u.pk: u.name for u in Unit.objects.filter(pk__in=[k for k in keys if k])}
    if by == "province":
        codes = [k.rstrip("/") for k in keys if k]
        names = defaultdict(str)
        for code, name in Unit.objects.filter(code__in=codes, depth=0).order_by("valid_from").values_list("code", "name"):
            names[code] = name
        return {k: names.get(k.rstrip("/")) or k.rstrip("/") for k in keys if k}
    if by == "month":
        return {k: k.strftime("%m/%Y") if k else "" for k in keys}
    return {}


def totals(rows: list[dict]) -> dict:
    """The sums of the raw rows; the denunciations' total is suppressed when small."""
    out = {f: sum(r[f] for r in rows) for f in REPORT_FIELDS}
    den = sum(r.get("denunciations", 0) for r in rows)
    out["denunciations"] = small(den)
    return out


# Reception duty --------------------------------------------------------------------------------


def reception_duty(user, year: int, month: int, *, leader_id: int | None = None) -> tuple[list[dict], str]:
    """The reception duty of each leader who held sessions in the month (RULES.md §7: the rule set
    in force on the month's last day), over the sessions ``user`` reaches; with ``leader_id``,
    that leader's rows only.  Returns the rows and the rule set's code ("" when none is in force)."""
    import calendar as cal

    from tinhgon.core.rulesets import NoRuleSet, rule_set_for

    from .models import ReceptionSession
    from .rulesets import RECEPTION

    day = dt.date(year, month, cal.monthrange(year, month)[1])
    try:
        rs = rule_set_for(RECEPTION, day)
    except NoRuleSet:
        return [], ""
    duties = rs.parameters.get("duties", {})
    days: dict[tuple, list] = defaultdict(list)
    sessions = {}
    qs = restrict(ReceptionSession.objects.select_related("leader", "unit"), user).filter(
        on__year=year, on__month=month)
    if leader_id is not None:
        qs = qs.filter(leader_id=leader_id)
    for s in qs:
        if s.online and not rs.parameters.get("online_allowed"):
            continue
        key = (s.leader_id, s.leader_role, s.unit.code)
        days[key].append(s.on)
        sessions[key] = s
    out = []
    for key, held in days.items():
        s = sessions[key]
        check = rules.duty_check(duties.get(s.leader_role), held, year=year, month=month)
        out.append({"leader": s.leader, "role": s.get_leader_role_display(), "role_code": s.leader_role,
                    "unit": s.unit, **check})
    out.sort(key=lambda r: (r["status"] != "not_met", r["leader"].full_name))
    return out, rs.code
