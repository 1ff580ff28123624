"""Synthetic cadre records for demos and benchmarks (``tinhgon generate-cadres``).

Every record is marked ``synthetic=True`` with the note "Dữ liệu tổng hợp" and the
external key ``gen-<seed>-<i>``: re-running with the same seed adds nothing, and a
larger ``count`` only adds the missing indices.  Record *i* is drawn from a random
generator seeded by ``(seed, batch)``, so the same seed, count and apparatus give the
same records.

The people are plausible rather than real: surnames with their national frequencies
(Hoàng/Huỳnh and Vũ/Võ by region), middle names by sex and age, ages 23 to just under
the statutory retirement age, qualifications correlated with age, title and level,
party membership, ranks and salary steps, citizen IDs consistent with sex and birth
year (``rules.citizen_id_problems`` finds nothing) and unique.  Each gets one primary
assignment to a unit valid on the as-of date — its leadership seats (apparatus
positions) first, or a standard title list per level — and some get a planning-pool
entry and a training.

Writes go through the tracked bulk paths (``bulk_create`` → :mod:`tinhgon.core.bulk`,
change-logged), one transaction per batch, so memory stays flat whatever the count.
The denormalized ``unit``/``unit_path``/``current_title`` are set on the records before
they are inserted (no per-row service call).
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from bisect import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import accumulate

from django.db import transaction
from django.db.models import Count

from tinhgon.apparatus.models import Term
from tinhgon.core.bulk import build
from tinhgon.core.dated import valid_on
from tinhgon.core.text import fold

from .models import Assignment, Cadre, PoolEntry, Training

SYNTHETIC_NOTE = "Dữ liệu tổng hợp (synthetic)"
DEFAULT_BATCH = 10_000
BLOCK = 1_000  # batches are multiples of this

# Surnames with their approximate national frequency (%); (north, south) spellings where they differ.
SURNAMES: list[tuple[str | tuple[str, str], float]] = [
    ("Nguyễn", 38.4), ("Trần", 12.1), ("Lê", 9.5), ("Phạm", 7.0), (("Hoàng", "Huỳnh"), 5.1), ("Phan", 4.5),
    (("Vũ", "Võ"), 3.9), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0),
    ("Lý", 0.5), ("Đinh", 0.9), ("Trịnh", 0.6), ("Lương", 0.5), ("Đào", 0.5), ("Mai", 0.4), ("Cao", 0.4),
    ("Tạ", 0.3), ("Lâm", 0.4), ("Hà", 0.5), ("Chu", 0.3), ("Kiều", 0.2), ("Triệu", 0.3), ("Châu", 0.3),
    ("Tô", 0.2), ("Thái", 0.2), ("La", 0.1), ("Nông", 0.2), ("Lò", 0.1),
]
MIDDLE = {
    "M": [("Văn", 30), ("Đức", 10), ("Minh", 10), ("Quốc", 7), ("Hữu", 7), ("Công", 6), ("Thanh", 6),
          ("Xuân", 5), ("Ngọc", 4), ("Quang", 6), ("Trung", 4), ("Hoàng", 3), ("Tiến", 3), ("Mạnh", 3),
          ("Anh", 3), ("Duy", 3)],
    "F": [("Thị", 45), ("Ngọc", 8), ("Thu", 7), ("Thanh", 7), ("Minh", 5), ("Kim", 5), ("Phương", 4),
          ("Bích", 3), ("Hồng", 4), ("Thúy", 3), ("Mai", 3), ("Hải", 2), ("Diệu", 2), ("Khánh", 2)],
}
GIVEN = {
    "M": ["Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Nam", "Long", "Thắng", "Sơn", "Hoàng", "Quang", "Trung",
          "Cường", "Thành", "Hưng", "Bình", "Phong", "Tùng", "Kiên", "Đức", "Hiếu", "Huy", "Khánh", "Việt",
          "Anh", "Tú", "Lâm", "Vinh", "Thịnh", "Quân", "Đạt", "Toàn", "Nghĩa", "Tâm", "Phúc", "Hòa", "Lộc",
          "Thái", "Chiến", "Tiến"],
    "F": ["Lan", "Hương", "Hoa", "Mai", "Linh", "Hà", "Trang", "Thảo", "Hằng", "Ngọc", "Huyền", "Nhung",
          "Thủy", "Yến", "Phương", "Anh", "Dung", "Oanh", "Loan", "Nga", "Hạnh", "Vân", "Thu", "Hiền", "Giang",
          "Quỳnh", "Chi", "Duyên", "Hòa", "Tâm", "Nhàn", "Liên", "Thơm", "Tuyết"],
}
ETHNICITIES = [("Kinh", 86.0), ("Tày", 2.0), ("Thái", 2.0), ("Mường", 1.6), ("Khmer", 1.4), ("Hoa", 1.0),
               ("Nùng", 1.2), ("H'Mông", 1.0), ("Dao", 0.9), ("Gia Rai", 0.5), ("Ê Đê", 0.4), ("Chăm", 0.3)]
RELIGIONS = [("", 86.0), ("Phật giáo", 7.0), ("Công giáo", 5.0), ("Tin Lành", 1.0), ("Cao Đài", 1.0)]
FIELDS = ["Luật", "Kinh tế", "Quản lý nhà nước", "Hành chính công", "Tài chính – Ngân hàng", "Kế toán",
          "Xây dựng Đảng và Chính quyền nhà nước", "Quản lý đất đai", "Công nghệ thông tin", "Sư phạm",
          "Nông nghiệp", "Quản trị kinh doanh", "Xây dựng", "Y tế công cộng", "Chính trị học"]
LANGUAGES = [("", 30), ("Tiếng Anh A2", 20), ("Tiếng Anh B1", 30), ("Tiếng Anh B2", 12), ("Tiếng Pháp B1", 3),
             ("Tiếng Trung B1", 3), ("Tiếng Anh C1", 2)]
IT_CERTS = [("", 20), ("Ứng dụng CNTT cơ bản", 65), ("Ứng dụng CNTT nâng cao", 15)]
# The provinces of birth registration (the 63 codes before 2025) for the citizen ID.
PROVINCE_CODES = [
    "01", "02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "19", "20", "22", "24", "25", "26", "27",
    "30", "31", "33", "34", "35", "36", "37", "38", "40", "42", "44", "45", "46", "48", "49", "51", "52", "54",
    "56", "58", "60", "62", "64", "66", "67", "68", "70", "72", "74", "75", "77", "79", "80", "82", "83", "84",
    "86", "87", "89", "91", "92", "93", "94", "95", "96",
]

# Standard titles per level for units without positions: (title, seats, leadership, elected).
STANDARD_TITLES = {
    "commune": [("Bí thư Đảng ủy", 1, True, True), ("Phó Bí thư Đảng ủy", 2, True, True),
                ("Chủ tịch HĐND", 1, True, True), ("Phó Chủ tịch HĐND", 1, True, True),
                ("Chủ tịch UBND", 1, True, True), ("Phó Chủ tịch UBND", 2, True, True),
                ("Chủ tịch Ủy ban MTTQ", 1, True, True), ("Trưởng phòng", 4, True, False),
                ("Phó Trưởng phòng", 6, True, False)],
    "district": [("Bí thư Huyện ủy", 1, True, True), ("Phó Bí thư Huyện ủy", 2, True, True),
                 ("Chủ tịch UBND", 1, True, True), ("Phó Chủ tịch UBND", 3, True, True),
                 ("Chủ tịch HĐND", 1, True, True), ("Phó Chủ tịch HĐND", 2, True, True),
                 ("Trưởng phòng", 12, True, False), ("Phó Trưởng phòng", 24, True, False)],
    "province": [("Chủ tịch UBND", 1, True, True), ("Phó Chủ tịch UBND", 4, True, True),
                 ("Chủ tịch HĐND", 1, True, True), ("Phó Chủ tịch HĐND", 2, True, True),
                 ("Chánh Văn phòng", 1, True, False), ("Trưởng phòng", 10, True, False),
                 ("Phó Trưởng phòng", 20, True, False)],
    "body": [("Trưởng phòng", 6, True, False), ("Phó Trưởng phòng", 12, True, False)],
}
STAFF_TITLES = {
    "commune": ["Công chức Văn phòng – Thống kê", "Công chức Tài chính – Kế toán", "Công chức Tư pháp – Hộ tịch",
                "Công chức Địa chính – Xây dựng", "Công chức Văn hóa – Xã hội", "Chuyên viên"],
    "district": ["Chuyên viên", "Chuyên viên chính", "Thanh tra viên"],
    "province": ["Chuyên viên", "Chuyên viên chính", "Thanh tra viên"],
    "body": ["Chuyên viên", "Chuyên viên chính"],
}
ELECTED = ("Bí thư", "Phó Bí thư", "Chủ tịch", "Phó Chủ tịch", "Ủy viên Ban Thường vụ")
UNIT_WEIGHTS = {"commune": 1.0, "district": 3.0, "province": 6.0, "body": 4.0}
# Salary coefficients (hệ số lương) of the ranks: step 1 and the increment per step (Decree 204/2004).
RANK_COEFFICIENTS = {"Cán sự": (1.86, 0.20), "Chuyên viên": (2.34, 0.33), "Chuyên viên chính": (4.40, 0.34),
                     "Chuyên viên cao cấp": (6.20, 0.36)}
BASE_SALARY = 2_340_000  # VND per month from 2024-07-01 (Decree 73/2024)
MISSING_POLICY_INPUT = 0.03  # share of records without a salary (and, separately, insured months) on file
SOUTH_FROM = 45  # province codes from Quảng Ngãi southwards spell Huỳnh, Võ


@dataclass
class UnitInfo:
    id: int
    path: str
    level: str
    name: str
    province_code: str
    province_id: int | None
    province_name: str
    valid_from: dt.date
    valid_to: dt.date | None
    code: str = ""
    seats: list[list] = field(default_factory=list)  # [title, free seats, leadership, elected, position id]


@dataclass
class GenerationResult:
    seed: int
    requested: int
    created: int = 0
    skipped: int = 0
    assignments: int = 0
    pool_entries: int = 0
    trainings: int = 0
    units: int = 0


class NoUnits(ValueError):
    pass


def _weighted(pairs: Iterable[tuple[object, float]]) -> Callable[[random.Random], object]:
    items, weights = zip(*pairs, strict=True)
    cum = list(accumulate(weights))
    total = cum[-1]
    return lambda rng: items[bisect(cum, rng.random() * total)]


_SURNAME = _weighted(SURNAMES)
_MIDDLE = {sex: _weighted(v) for sex, v in MIDDLE.items()}
_ETHNICITY = _weighted(ETHNICITIES)
_RELIGION = _weighted(RELIGIONS)
_LANGUAGE = _weighted(LANGUAGES)
_IT = _weighted(IT_CERTS)


def _pick(rng: random.Random, probs: list[tuple[int, float]]) -> int:
    r = rng.random()
    for value, p in probs:
        if r < p:
            return value
        r -= p
    return probs[-1][0]


def load_units(as_of: dt.date, within: list[str] | None = None, levels: list[str] | None = None) -> list[UnitInfo]:
    """Provinces, districts, communes and bodies valid on ``as_of`` (under the ``within`` codes;
    only the ``levels`` given, when given)."""
    from tinhgon.apparatus.models import Position, Unit

    unknown = set(levels or ()) - set(UNIT_WEIGHTS)
    if unknown:
        raise NoUnits(f"unknown level {', '.join(sorted(unknown))} (one of {', '.join(UNIT_WEIGHTS)})")
    qs = Unit.objects.filter(valid_on(as_of), level__code__in=list(levels or UNIT_WEIGHTS))
    if within:
        roots = list(Unit.objects.filter(valid_on(as_of), code__in=within).values_list("code", "path"))
        missing = set(within) - {c for c, _p in roots}
        if missing:
            raise NoUnits(f"no unit with code {', '.join(sorted(missing))} is valid on {as_of}")
        from tinhgon.core.scoping import scope_q

        qs = qs.filter(scope_q("path", [p for _c, p in roots]))
    rows = list(qs.order_by("path").values_list("id", "code", "path", "level__code", "name", "valid_from",
                                                "valid_to"))
    top = {code: (uid, name) for uid, code, path, level, name, *_ in rows if level == "province"}
    if len(top) < len({r[2].split("/", 1)[0] for r in rows}):
        top.update({code: (uid, name) for uid, code, name in Unit.objects.filter(
            valid_on(as_of), level__code="province").values_list("id", "code", "name")})
    units = []
    for uid, _code, path, level, name, vfrom, vto in rows:
        prov = path.split("/", 1)[0]
        pid, pname = top.get(prov, (None, ""))
        units.append(UnitInfo(uid, path, level, name, prov, pid, pname, vfrom, vto, _code))
    by_id = {u.id: u for u in units}
    # Seats held by real records; synthetic ones are replayed by the generator itself.
    taken: dict[int, int] = dict(
        Assignment.objects.filter(valid_on(as_of), position__isnull=False).exclude(cadre__synthetic=True)
        .values_list("position_id").annotate(n=Count("id")).order_by()
    )
    positions = Position.objects.filter(unit__in=qs.values("id")).order_by("unit_id", "order", "id")
    for p in positions:
        elected = p.title.startswith(ELECTED)
        by_id[p.unit_id].seats.append([p.title, max(0, p.count - taken.get(p.pk, 0)), p.is_leadership, elected, p.pk])
    for u in units:
        if not u.seats:
            u.seats = [[t, n, lead, el, None] for t, n, lead, el in STANDARD_TITLES[u.level]]
    return units


class Generator:
    """Draws record ``i`` of a seed; :meth:`run` writes batches of them."""

    def __init__(self, *, seed: int, as_of: dt.date, units: list[UnitInfo], retirement_months: dict[str, int]):
        if not units:
            raise NoUnits("no unit to assign cadres to")
        self.seed, self.as_of, self.units = seed, as_of, units
        self.cum = list(accumulate(UNIT_WEIGHTS[u.level] for u in units))
        self.max_age = {sex: (months - 1) // 12 for sex, months in retirement_months.items()}
        self.id_offset = zlib.crc32(f"tinhgon-{seed}".encode()) % 1_000_000
        self.term = "2026-2031" if as_of.year >= 2026 else "2021-2026"
        self._provinces: dict[str, int] | None = None

    @property
    def provinces(self) -> dict[str, int]:
        """Province code → id of its latest version (the 63 of before 2025 included): a
        hometown born elsewhere is that province as registered, shown now through the lineage."""
        if self._provinces is None:
            from tinhgon.apparatus.models import Unit

            self._provinces = dict(Unit.objects.filter(level__code="province").order_by("valid_from")
                                   .values_list("code", "id"))
        return self._provinces

    # One person ------------------------------------------------------------------------

    def draw(self, rng: random.Random, i: int) -> dict:
        unit = self.units[bisect(self.cum, rng.random() * self.cum[-1])]
        title, lead, elected, position_id = self._title(rng, unit)
        senior = unit.level in ("province", "body")
        female_p = 0.25 if lead else 0.45
        sex = "F" if rng.random() < female_p else "M"
        low = 30 if lead else 23
        high = max(low + 1, self.max_age[sex])
        age = int(rng.triangular(low, high + 0.999, 48 if lead else 38))
        birth = self.as_of - dt.timedelta(days=int(age * 365.25) + rng.randrange(365))
        surname = _SURNAME(rng)
        if isinstance(surname, tuple):
            surname = surname[1] if int(unit.province_code or 0) >= SOUTH_FROM else surname[0]
        middle = "Thị" if sex == "F" and age > 45 and rng.random() < 0.5 else _MIDDLE[sex](rng)
        name = f"{surname} {middle} {rng.choice(GIVEN[sex])}"
        edu = self._education(rng, age, lead, senior, unit.level)
        party = lead or rng.random() < (0.25 if age < 28 else 0.65)
        theory = self._theory(rng, age, lead, senior, unit.level, party)
        state = self._state_management(rng, age, lead, senior, unit.level)
        rank, step = self._rank(rng, age, state, edu, unit.level)
        admitted = official = None
        if party:
            at = rng.randint(19, max(19, min(age - 1, 38)))
            admitted = birth + dt.timedelta(days=int(at * 365.25) + rng.randrange(365))
            admitted = min(admitted, self.as_of - dt.timedelta(days=30))
            official = admitted + dt.timedelta(days=365)
            if official > self.as_of:
                official = None
        home = unit.province_code if rng.random() < 0.85 or not unit.province_code else rng.choice(PROVINCE_CODES)
        if not home.isdigit() or not 1 <= int(home) <= 96:
            home = rng.choice(PROVINCE_CODES)
        century_digit = (0 if birth.year < 2000 else 2) + (1 if sex == "F" else 0)
        serial = (i * 481_417 + self.id_offset) % 1_000_000
        citizen_id = f"{int(home):03d}{century_digit}{birth.year % 100:02d}{serial:06d}"
        tenure = rng.randint(0, max(0, min(12, age - 23)))
        start = max(unit.valid_from, self.as_of - dt.timedelta(days=int(tenure * 365.25) + rng.randrange(365)),
                    birth + dt.timedelta(days=int(22 * 365.25)))
        start = min(start, self.as_of)
        kind = "election" if elected else "appointment"
        if lead and not elected and rng.random() < 0.04:
            kind = "rotation"
        salary, insured = self._policy_inputs(i, age, rank, step, lead)
        return {
            "i": i, "unit": unit, "title": title, "lead": lead, "position_id": position_id, "kind": kind,
            "start": start, "sex": sex, "age": age, "edu": edu, "theory": theory, "state": state,
            "cadre": dict(
                full_name=name, name_folded=fold(name), sex=sex, birth_date=birth, birth_year=birth.year,
                citizen_id=citizen_id, ethnicity=_ETHNICITY(rng), religion=_RELIGION(rng),
                hometown_id=unit.province_id if home == unit.province_code else self.provinces.get(home),
                hometown_text="" if home == unit.province_code or home in self.provinces else f"Mã tỉnh {home}",
                education_level=edu, education_field=rng.choice(FIELDS) if edu >= 3 else "",
                political_theory=theory, state_management=state, foreign_language=_LANGUAGE(rng),
                it_certificate=_IT(rng), party_admission_date=admitted, party_official_date=official,
                civil_service_rank=rank, salary_step=step, photo="", retirement_adjust_months=0,
                retirement_adjust_basis="", policy_salary=salary, insured_months=insured, unit_id=unit.id, unit_path=unit.path, current_title=title,
                synthetic=True, external_key=f"gen-{self.seed}-{i}", note=SYNTHETIC_NOTE, lock_version=0,
            ),
        }

    def _title(self, rng: random.Random, unit: UnitInfo) -> tuple[str, bool, bool, int | None]:
        free = [s for s in unit.seats if s[1] > 0]
        if free and rng.random() < 0.35:
            seat = free[bisect(list(accumulate(s[1] for s in free)), rng.random() * sum(s[1] for s in free))]
            seat[1] -= 1
            return seat[0], seat[2], seat[3], seat[4]
        staff = [s for s in unit.seats if not s[2]]  # a position's staff titles ("Chuyên viên")
        if staff and rng.random() < 0.5:
            return staff[0][0], False, False, None
        return rng.choice(STAFF_TITLES[unit.level]), False, False, None

    def _policy_inputs(self, i: int, age: int, rank: str, step: int, lead: bool) -> tuple[int | None, int | None]:
        """The monthly salary the restructuring policies count (coefficient of the rank and step, plus a
        leadership allowance, × the base salary) and the months of compulsory insurance since the
        first job; a few records have either missing, as real files do. Drawn from their own
        generator, so the other fields of a seed stay what they were."""
        rng = random.Random(f"tinhgon-policy-{self.seed}-{i}")
        first, per_step = RANK_COEFFICIENTS.get(rank, RANK_COEFFICIENTS["Chuyên viên"])
        coefficient = first + per_step * (max(1, step) - 1) + (rng.choice((0.15, 0.20, 0.25, 0.30)) if lead else 0)
        salary = int(round(coefficient * BASE_SALARY, -3))
        entry = rng.randint(22, 26)
        insured = max(0, (age - entry) * 12 + rng.randrange(12))
        return (None if rng.random() < MISSING_POLICY_INPUT else salary,
                None if rng.random() < MISSING_POLICY_INPUT else insured)

    @staticmethod
    def _education(rng, age, lead, senior, level) -> int:
        if lead and senior:
            probs = [(6, 0.08), (5, 0.55), (4, 0.37)]
        elif lead:
            probs = [(6, 0.01), (5, 0.22), (4, 0.75), (3, 0.02)]
        elif senior:
            probs = [(6, 0.02), (5, 0.25), (4, 0.70), (3, 0.03)]
        else:
            probs = [(5, 0.06), (4, 0.74), (3, 0.12), (2, 0.08)]
        value = _pick(rng, probs)
        if value >= 5 and age < 27 and rng.random() < 0.7:
            value = 4
        if value == 6 and age < 32:
            value = 5
        return value

    @staticmethod
    def _theory(rng, age, lead, senior, level, party) -> int:
        if lead and (senior or level == "district"):
            probs = [(4, 0.10), (3, 0.82), (2, 0.08)]
        elif lead:
            probs = [(4, 0.04), (3, 0.36), (2, 0.60)]
        elif party:
            probs = [(4, 0.02), (3, 0.12 if age >= 35 else 0.03), (2, 0.40), (1, 0.36), (0, 0.10)]
        else:
            probs = [(1, 0.30), (0, 0.70)]
        value = _pick(rng, probs)
        return min(value, 2) if age < 30 else value

    @staticmethod
    def _state_management(rng, age, lead, senior, level) -> int:
        if lead and senior:
            probs = [(3, 0.40), (2, 0.55), (1, 0.05)]
        elif lead and level == "district":
            probs = [(3, 0.10), (2, 0.70), (1, 0.20)]
        elif lead:
            probs = [(2, 0.25), (1, 0.70), (0, 0.05)]
        else:
            probs = [(2, 0.15 if age >= 40 else 0.03), (1, 0.60), (0, 0.37)]
        return _pick(rng, probs)

    @staticmethod
    def _rank(rng, age, state, edu, level) -> tuple[str, int]:
        service = max(0, age - 23)
        if state >= 3 and age >= 45:
            return "Chuyên viên cao cấp", max(1, min(6, 1 + (age - 45) // 3))
        if state >= 2 and age >= 35:
            return "Chuyên viên chính", max(1, min(8, 1 + (age - 35) // 3))
        if edu <= 3:
            return "Cán sự", max(1, min(12, 1 + service // 2))
        return "Chuyên viên", max(1, min(9, 1 + service // 3))

    # Extras ----------------------------------------------------------------------------

    def pool_entry(self, rng: random.Random, rec: dict) -> dict | None:
        if rec["age"] > 50 or rec["edu"] < 4 or rng.random() >= (0.25 if rec["lead"] else 0.06):
            return None
        level, title = rec["unit"].level, rec["title"]
        if title.startswith("Phó "):
            target = title[4:]
        elif rec["lead"]:
            return None
        elif level == "body":
            target = "Phó Trưởng phòng" if rng.random() < 0.7 else "Phó Giám đốc Sở"
        else:
            target = _pick(rng, [(0, 0.45), (1, 0.2), (2, 0.2), (3, 0.15)])
            target = ("Phó Chủ tịch UBND", "Phó Chủ tịch HĐND", "Phó Chủ tịch Ủy ban MTTQ", "Phó Trưởng phòng")[target]
        added = max(rec["start"], self.as_of - dt.timedelta(days=rng.randrange(900)))
        return dict(unit_id=rec["unit"].id, title=target, status=PoolEntry.ACTIVE, added_on=added,
                    decision=f"{rng.randint(1, 999)}-QĐ/TU (tổng hợp)", note=SYNTHETIC_NOTE)

    def training(self, rng: random.Random, rec: dict) -> dict | None:
        if rng.random() >= 0.15:
            return None
        if rec["theory"] >= 3 and rng.random() < 0.5:
            kind, program, inst, months = ("political", "Cao cấp lý luận chính trị",
                                           "Học viện Chính trị quốc gia Hồ Chí Minh", 18)
        elif rec["theory"] == 2 and rng.random() < 0.5:
            kind, program, inst, months = "political", "Trung cấp lý luận chính trị", "Trường Chính trị tỉnh", 8
        elif rec["state"] >= 2:
            kind, program, inst, months = ("state_management", "Bồi dưỡng ngạch chuyên viên chính",
                                           "Học viện Hành chính và Quản trị công", 3)
        else:
            kind, program, inst, months = ("professional", "Bồi dưỡng chuyển đổi số cho cán bộ, công chức",
                                           "Sở Nội vụ", 1)
        start = self.as_of - dt.timedelta(days=rng.randrange(60, 3650))
        start = max(start, rec["cadre"]["birth_date"] + dt.timedelta(days=int(23 * 365.25)))
        end = min(start + dt.timedelta(days=30 * months), self.as_of)
        return dict(kind=kind, program=program, institution=inst, start=start, end=end if end > start else None,
                    result=rng.choice(["Hoàn thành", "Khá", "Giỏi", "Xuất sắc"]))

    def batch(self, start: int, stop: int) -> list[dict]:
        out = []
        rng = random.Random(f"tinhgon-cadres-{self.seed}-{start // BLOCK}")
        for i in range(start, stop):
            if i % BLOCK == 0:  # reseeded every BLOCK records: the same records whatever the batch size
                rng = random.Random(f"tinhgon-cadres-{self.seed}-{i // BLOCK}")
            rec = self.draw(rng, i)
            rec["pool"] = self.pool_entry(rng, rec)
            rec["training"] = self.training(rng, rec)
            out.append(rec)
        return out


def _unique_ids(recs: list[dict], rng: random.Random) -> None:
    """Redraw the serial of a citizen ID already in the database or earlier in the batch."""
    ids = [r["cadre"]["citizen_id"] for r in recs]
    taken = set()
    for k in range(0, len(ids), 900):
        taken.update(Cadre.objects.filter(citizen_id__in=ids[k : k + 900]).values_list("citizen_id", flat=True))
    seen: set[str] = set()
    for r in recs:
        cid = r["cadre"]["citizen_id"]
        while cid in taken or cid in seen:
            cid = f"{cid[:6]}{rng.randrange(1_000_000):06d}"
        r["cadre"]["citizen_id"] = cid
        seen.add(cid)


def write_batch(gen: Generator, recs: list[dict], result: GenerationResult) -> None:
    from tinhgon.apparatus.models import Unit

    keys = [r["cadre"]["external_key"] for r in recs]
    existing: set[str] = set()
    for k in range(0, len(keys), 900):
        existing.update(Cadre.objects.filter(external_key__in=keys[k : k + 900]).values_list("external_key", flat=True))
    recs = [r for r in recs if r["cadre"]["external_key"] not in existing]
    result.skipped += len(existing)
    if not recs:
        return
    _unique_ids(recs, random.Random(f"tinhgon-ids-{gen.seed}-{recs[0]['i']}"))
    cadres = Cadre.objects.bulk_create([build(Cadre, **r["cadre"]) for r in recs])
    assignments, pool, trainings = [], [], []
    for r, c in zip(recs, cadres, strict=True):
        unit = r["unit"]
        start = r["start"]
        assignments.append(build(
            Assignment, cadre_id=c.pk, unit_id=unit.id, position_id=r["position_id"], title=r["title"],
            kind=r["kind"], is_primary=True, status=Assignment.ACTIVE, valid_from=start, valid_to=unit.valid_to,
            decision_number=f"{(r['i'] * 37) % 9000 + 1}/QĐ-{'TU' if r['kind'] == 'election' else 'UBND'}",
            decision_date=start - dt.timedelta(days=7), decision_issuer=unit.province_name or unit.name,
            planned_return=start + dt.timedelta(days=3 * 365) if r["kind"] == "rotation" else None,
            count_override_reason=""))
        if r["pool"]:
            pool.append(build(PoolEntry, cadre_id=c.pk, **r["pool"]))
        if r["training"]:
            trainings.append(build(Training, cadre_id=c.pk, **r["training"]))
    # The change log writes str(obj), which follows assignment.unit and entry.cadre: give them the
    # objects at hand instead of one query per row.
    stubs: dict[int, object] = {}
    for a, r in zip(assignments, recs, strict=True):
        u = r["unit"]
        stub = stubs.get(u.id) or stubs.setdefault(u.id, build(Unit, id=u.id, name=u.name, path=u.path))
        a._state.fields_cache["unit"] = stub
    by_id = {c.pk: c for c in cadres}
    terms = _terms_for(gen, {r["unit"].id: r["unit"] for r in recs if r["pool"]})
    for obj in pool:
        obj._state.fields_cache["cadre"] = by_id[obj.cadre_id]
        obj.term_id = terms[obj.unit_id].pk
        obj._state.fields_cache["term"] = terms[obj.unit_id]
    Assignment.objects.bulk_create(assignments)
    PoolEntry.objects.bulk_create(pool)
    Training.objects.bulk_create(trainings)
    result.created += len(cadres)
    result.assignments += len(assignments)
    result.pool_entries += len(pool)
    result.trainings += len(trainings)


def generate_cadres(*, count: int, seed: int = 1, within: list[str] | None = None, as_of: dt.date | None = None,
                    batch_size: int = DEFAULT_BATCH, levels: list[str] | None = None,
                    progress: Callable[[GenerationResult, int], None] | None = None) -> GenerationResult:
    """Add the synthetic records ``gen-<seed>-0`` … ``gen-<seed>-<count-1>`` that are missing."""
    from .selectors import retirement_rule

    as_of = as_of or dt.date.today()
    units = load_units(as_of, within, levels)
    rule = retirement_rule(as_of)
    gen = Generator(seed=seed, as_of=as_of, units=units,
                    retirement_months={s: rule.age_in_year(s, as_of.year) for s in ("M", "F")})
    result = GenerationResult(seed=seed, requested=count, units=len(units))
    batch_size = max(BLOCK, batch_size // BLOCK * BLOCK)
    for start in range(0, count, batch_size):
        stop = min(count, start + batch_size)
        recs = gen.batch(start, stop)
        with transaction.atomic():
            write_batch(gen, recs, result)
        if progress:
            progress(result, stop)
    return result


def _terms_for(gen: Generator, units: dict[int, UnitInfo]) -> dict[int, Term]:
    """The planning term (``gen.term``) of each pool's unit, as Term records made in bulk once."""
    from tinhgon.apparatus.rules import term_dates

    cache = gen.__dict__.setdefault("_term_cache", {})
    missing = {uid: u for uid, u in units.items() if uid not in cache}
    if missing:
        codes = {u.code: uid for uid, u in missing.items()}
        found = {t.body_code: t for t in Term.objects.filter(body_code__in=list(codes), kind=Term.PARTY_COMMITTEE,
                                                             label=gen.term)}
        start, end = term_dates(gen.term)
        new = [build(Term, body_id=uid, body_code=code, kind=Term.PARTY_COMMITTEE, label=gen.term, number="",
                     note=SYNTHETIC_NOTE, valid_from=start, valid_to=end)
               for code, uid in codes.items() if code not in found]
        for t in Term.objects.bulk_create(new):
            found[t.body_code] = t
        for code, uid in codes.items():
            cache[uid] = found[code]
    return {uid: cache[uid] for uid in units}
