"""Synthetic party organizations and members (``tinhgon generate-party-members``): seeded,
scalable to the country's five million members.

For every commune-level unit valid on the reading date (within the provinces given) a few
party cells (units of the ``chi-bo`` kind, created through the unit registry's bulk path);
members spread over them with admission dates over forty years (about 3 % of the members
admitted each year), official twelve months later unless still on probation, some
transferred to another cell of the commune (two dated memberships) and some gone (died,
removed, resigned). A share of the cadres of each commune are linked to a member record
of their own name. Writes go through the tracked bulk paths (every row is in the change
log). The same seed adds nothing a second time (the members carry the seed in their note).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from bisect import bisect
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from django.db import transaction

from tinhgon.core.bulk import build
from tinhgon.core.dated import valid_on

from . import rules
from .models import Membership, PartyMember

DEFAULT_BATCH = 20_000
CELL_NAMES = ["Khu dân cư số {n}", "Tổ dân phố số {n}", "Thôn {n}", "Cơ quan UBND", "Trường Tiểu học",
              "Trường THCS", "Trạm Y tế", "Công an", "Quân sự", "Hợp tác xã", "Doanh nghiệp"]
LINK_SHARE = 0.6  # of a commune's cadres who are party members with a record linked


@dataclass
class Result:
    organizations: int = 0
    members: int = 0
    memberships: int = 0
    linked: int = 0
    skipped: bool = False


@functools.cache
def _name_tables():
    """The name lists with their cumulative weights, built once (what ``rng.choices`` would
    rebuild at every call; the draw is the same: ``bisect(cumulative, random() × total)``)."""
    from tinhgon.cadres.generator import GIVEN, MIDDLE, SURNAMES

    def weighted(pairs):
        items, weights = zip(*pairs, strict=True)
        cum = list(accumulate(weights))
        return items, cum, cum[-1]

    return weighted(SURNAMES), {sex: weighted(v) for sex, v in MIDDLE.items()}, GIVEN


def _name(rng: random.Random) -> tuple[str, int]:
    (surnames, s_cum, s_total), middles, given = _name_tables()
    sex = "M" if rng.random() < 0.6 else "F"
    surname = surnames[bisect(s_cum, rng.random() * s_total, 0, len(s_cum) - 1)]
    if isinstance(surname, tuple):
        surname = surname[0]
    m_items, m_cum, m_total = middles[sex]
    middle = m_items[bisect(m_cum, rng.random() * m_total, 0, len(m_cum) - 1)]
    return f"{surname} {middle} {rng.choice(given[sex])}", sex == "M"


def ensure_cells(communes, *, per_commune: int, rng: random.Random) -> dict[str, list]:
    """Party cells under each commune (created when missing): commune code → [cell units]."""
    from tinhgon.apparatus.models import Unit
    from tinhgon.apparatus.services import UnitInput, units_create

    codes = {c.code: c for c in communes}
    have: dict[str, list] = defaultdict(list)
    for u in Unit.objects.filter(kind__code="chi-bo", parent_code__in=list(codes), valid_to__isnull=True):
        have[u.parent_code].append(u)
    rows = []
    for c in communes:
        for k in range(len(have[c.code]) + 1, per_commune + 1):
            label = CELL_NAMES[(k - 1) % len(CELL_NAMES)].format(n=k)
            rows.append(UnitInput(code=f"{c.code}-CB{k:02d}", name=f"Chi bộ {label} – {c.name}", kind="chi-bo",
                                  level="body", parent_code=c.code, valid_from=c.valid_from,
                                  source="generate-party-members"))
    if rows:
        units_create(rows=rows, event_message=f"{len(rows)} party cells (generated)")
        for u in Unit.objects.filter(kind__code="chi-bo", parent_code__in=list(codes), valid_to__isnull=True):
            if u not in have[u.parent_code]:
                have[u.parent_code].append(u)
    return {k: sorted(v, key=lambda u: u.code) for k, v in have.items()}


def generate_party_members(*, count: int, seed: int = 1, within: list[str] | None = None,
                           today: dt.date | None = None, cells_per_commune: int = 3,
                           batch_size: int = DEFAULT_BATCH, progress: Callable[[int], None] | None = None) -> Result:
    from tinhgon.apparatus.models import Unit
    from tinhgon.cadres.models import Cadre

    today = today or dt.date.today()
    rng = random.Random(seed)
    marker = f"Dữ liệu mẫu (generate-party-members seed {seed})"
    result = Result()
    if PartyMember.objects.filter(note=marker).exists():
        result.skipped = True
        return result
    communes = Unit.objects.filter(valid_on(today), level__code="commune").order_by("path")
    if within:
        from tinhgon.core.scoping import scope_q

        roots = list(Unit.objects.filter(valid_on(today), depth=0, code__in=within).values_list("path", flat=True))
        communes = communes.filter(scope_q("path", roots)) if roots else communes.none()
    communes = list(communes)
    if not communes or count <= 0:
        return result
    with transaction.atomic():
        cells = ensure_cells(communes, per_commune=cells_per_commune, rng=rng)
        result.organizations = sum(len(v) for v in cells.values())
        # cadres per commune (linked to a member record of their own)
        cadres: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
        prefix_of = {c.path: c.code for c in communes}
        taken = set(PartyMember.objects.filter(cadre__isnull=False).values_list("cadre_id", flat=True))
        for pk, name, year, path in (Cadre.objects.filter(unit__isnull=False)
                                     .values_list("pk", "full_name", "birth_year", "unit_path").order_by("pk")):
            parts = path.split("/")
            for i in range(1, len(parts)):
                code = prefix_of.get("/".join(parts[:i]) + "/")
                if code and pk not in taken:
                    cadres[code].append((pk, name, year))
                    break
        weights = [max(1, (c.population or 10000)) for c in communes]
        # drawn at random, written commune by commune (in path order): the inserts into the
        # organization-path indexes stay local instead of touching every page of them
        plan = sorted(rng.choices(range(len(communes)), weights, k=count))
        span = 40 * 365
        made = 0
        members: list = []
        stays: list = []

        def flush():
            nonlocal members, stays
            PartyMember.objects.bulk_create(members, batch_size=5000)
            rows = []
            for m, moves in zip(members, stays, strict=True):
                for org, start, end, s_reason, e_reason in moves:
                    rows.append(build(Membership, member_id=m.pk, organization_id=org.pk, path=org.path,
                                      valid_from=start, valid_to=end, start_reason=s_reason, end_reason=e_reason,
                                      note=""))
            Membership.objects.bulk_create(rows, batch_size=5000)
            result.memberships += len(rows)
            members, stays = [], []

        for idx in plan:
            commune = communes[idx]
            options = cells.get(commune.code) or []
            if not options:
                continue
            org = rng.choice(options)
            admission = today - dt.timedelta(days=int(span * (rng.random() ** 1.15)))
            official = rules.probation_end(admission)
            official = official if official <= today else None
            pool = cadres.get(commune.code)
            cadre_id = None
            if pool and rng.random() < 0.5:
                cadre_id, name, birth_year = pool.pop()
                result.linked += 1
            else:
                name, _male = _name(rng)
                birth_year = max(1940, admission.year - rng.randint(18, 45))
            joined = max(admission, org.valid_from)
            start_reason = "admission" if joined == admission else "record"
            moves = []
            left_on, leave_reason = None, ""
            r = rng.random()
            if r < 0.05 and len(options) > 1 and (today - joined).days > 60:
                other = rng.choice([o for o in options if o.pk != org.pk])
                on = joined + dt.timedelta(days=rng.randint(30, (today - joined).days - 1))
                moves = [(org, joined, on, start_reason, "transfer"), (other, on, None, "transfer", "")]
                org = other
            elif r < 0.08 and cadre_id is None and (today - joined).days > 60:
                left_on = joined + dt.timedelta(days=rng.randint(30, (today - joined).days - 1))
                leave_reason = rng.choice(["died", "removed", "resigned"])
                moves = [(org, joined, left_on, start_reason, "left")]
            else:
                moves = [(org, joined, None, start_reason, "")]
            card = f"{commune.code[:2]}{rng.randint(0, 99_999_999):08d}" if official else ""
            members.append(build(PartyMember, full_name=name, birth_year=birth_year, cadre_id=cadre_id,
                                 card_number=card, admission_date=admission, official_date=official,
                                 organization_id=org.pk, organization_path=org.path, left_on=left_on,
                                 leave_reason=leave_reason, note=marker))
            stays.append(moves)
            made += 1
            if len(members) >= batch_size:
                flush()
                if progress:
                    progress(made)
        if members:
            flush()
        if progress:
            progress(made)
        result.members = made
    return result
