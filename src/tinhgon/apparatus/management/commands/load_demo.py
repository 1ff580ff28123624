"""Synthetic demo data on top of the real apparatus, for trying every page.

Every row is marked: units carry ``source="demo"`` and the note "Dữ liệu minh họa";
functions, powers and holdings carry the same note in their description / note /
legal basis.  Re-running the command changes nothing.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tinhgon.apparatus import services
from tinhgon.apparatus.models import (
    Function,
    FunctionHolding,
    PayrollQuota,
    Position,
    Power,
    PowerHolding,
    Unit,
)
from tinhgon.apparatus.services import UnitInput, UnitRowsInvalid
from tinhgon.core.changelog import acting_as
from tinhgon.core.dated import valid_on

DEMO_SOURCE = "demo"
DEMO_NOTE = "Dữ liệu minh họa"
PROVINCES = ("01", "79", "26", "25")  # Hà Nội, Hồ Chí Minh, Vĩnh Phúc, Phú Thọ (Vĩnh Phúc merges into it in 2025)
# Districts whose bodies the demo carries (the district level ends on 2025-07-01): Vĩnh Yên and
# Lập Thạch (Vĩnh Phúc), Việt Trì and Đoan Hùng (Phú Thọ).
DISTRICTS = ("243", "246", "227", "230")
ON = dt.date(2025, 6, 30)
LAW_LG_2025 = "Luật Tổ chức chính quyền địa phương 2025 (Luật số 72/2025/QH15)"

# suffix, parent suffix ("" = the province), kind, name template, short name
BODIES = [
    ("TU", "", "cap-uy", "{party} {pp}", "{party}"),
    ("TU-BTC", "TU", "co-quan-dang", "Ban Tổ chức {party} {pp}", "BTC"),
    ("TU-UBKT", "TU", "co-quan-dang", "Ủy ban Kiểm tra {party} {pp}", "UBKT"),
    ("TU-BTGDV", "TU", "co-quan-dang", "Ban Tuyên giáo và Dân vận {party} {pp}", "BTG&DV"),
    ("HDND", "", "hdnd", "Hội đồng nhân dân {city} {p}", "HĐND"),
    ("UBND", "", "ubnd", "Ủy ban nhân dân {city} {p}", "UBND"),
    ("SNV", "UBND", "so-nganh", "Sở Nội vụ {city} {p}", "Sở Nội vụ"),
    ("STC", "UBND", "so-nganh", "Sở Tài chính {city} {p}", "Sở Tài chính"),
    ("SGDDT", "UBND", "so-nganh", "Sở Giáo dục và Đào tạo {city} {p}", "Sở GD&ĐT"),
    ("SYT", "UBND", "so-nganh", "Sở Y tế {city} {p}", "Sở Y tế"),
    ("SNNMT", "UBND", "so-nganh", "Sở Nông nghiệp và Môi trường {city} {p}", "Sở NN&MT"),
    ("SXD", "UBND", "so-nganh", "Sở Xây dựng {city} {p}", "Sở Xây dựng"),
    ("MTTQ", "", "mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam {city} {p}", "UBMTTQ"),
]

# suffix -> [(title, count, leadership)]; counts vary by province (index 0/1/2)
POSITIONS = {
    "TU": [("Bí thư", (1, 1, 1), True), ("Phó Bí thư", (3, 3, 2), True), ("Ủy viên Ban Thường vụ", (14, 15, 11), False)],
    "TU-BTC": [("Trưởng ban", (1, 1, 1), True), ("Phó Trưởng ban", (4, 4, 3), True), ("Chuyên viên", (30, 32, 14), False)],
    "TU-UBKT": [("Chủ nhiệm", (1, 1, 1), True), ("Phó Chủ nhiệm", (4, 4, 3), True), ("Kiểm tra viên", (25, 26, 12), False)],
    "TU-BTGDV": [("Trưởng ban", (1, 1, 1), True), ("Phó Trưởng ban", (4, 4, 3), True), ("Chuyên viên", (28, 30, 12), False)],
    "HDND": [("Chủ tịch HĐND", (1, 1, 1), True), ("Phó Chủ tịch HĐND", (2, 2, 2), True)],
    "UBND": [("Chủ tịch UBND", (1, 1, 1), True), ("Phó Chủ tịch UBND", (5, 5, 3), True),
             ("Chánh Văn phòng UBND", (1, 1, 1), True)],
    "MTTQ": [("Chủ tịch Ủy ban MTTQ", (1, 1, 1), True), ("Phó Chủ tịch Ủy ban MTTQ", (4, 4, 3), True)],
}
DEPARTMENT_POSITIONS = [("Giám đốc Sở", (1, 1, 1), True), ("Phó Giám đốc Sở", (4, 4, 3), True),
                        ("Chuyên viên", (60, 64, 25), False)]

# Payroll quota 2022 (baseline) per body; the 2026 figure applies a reduction that
# meets the 5 % roadmap for some bodies and misses it for others.
BASELINE = {"TU-BTC": 45, "TU-UBKT": 40, "TU-BTGDV": 42, "HDND": 30, "UBND": 80, "SNV": 95, "STC": 120,
            "SGDDT": 110, "SYT": 105, "SNNMT": 130, "SXD": 90, "MTTQ": 35}
REDUCTIONS = (0.10, 0.03, 0.06, 0.02, 0.08, 0.05, 0.04)  # ≥5 % meets, the others miss

FUNCTIONS = [
    # code, name, English name, required in kinds
    ("to-chuc-can-bo", "Tổ chức bộ máy, biên chế, cán bộ", "Organization, payroll and personnel", ["ubnd"]),
    ("tai-chinh-ngan-sach", "Tài chính – ngân sách", "Finance and budget", ["ubnd"]),
    ("dau-tu-cong", "Quản lý đầu tư công", "Public investment", []),
    ("giao-duc-dao-tao", "Giáo dục và đào tạo", "Education and training", ["ubnd"]),
    ("y-te", "Y tế", "Health", ["ubnd"]),
    ("dat-dai-moi-truong", "Đất đai, tài nguyên và môi trường", "Land and environment", ["ubnd"]),
    ("xay-dung-do-thi", "Xây dựng và phát triển đô thị", "Construction and urban development", []),
    ("cong-tac-to-chuc-dang", "Công tác tổ chức xây dựng Đảng", "Party organization work", ["cap-uy"]),
    ("kiem-tra-giam-sat-dang", "Kiểm tra, giám sát của Đảng", "Party inspection and supervision", ["cap-uy"]),
    ("tuyen-giao-dan-van", "Tuyên giáo và dân vận", "Propaganda and mass mobilization", ["cap-uy"]),
]

POWERS = [
    # code, name, legal basis, function, required in kinds
    ("giao-bien-che", "Giao biên chế công chức trong các cơ quan hành chính cấp tỉnh",
     LAW_LG_2025, "to-chuc-can-bo", ["ubnd"]),
    ("bo-nhiem-giam-doc-so", "Bổ nhiệm, miễn nhiệm người đứng đầu cơ quan chuyên môn thuộc UBND",
     LAW_LG_2025, "to-chuc-can-bo", ["ubnd"]),
    ("quyet-dinh-du-toan", "Quyết định dự toán và phân bổ ngân sách địa phương",
     LAW_LG_2025, "tai-chinh-ngan-sach", ["hdnd"]),
    ("giam-sat-hdnd", "Giám sát hoạt động của Ủy ban nhân dân cùng cấp", LAW_LG_2025, None, ["hdnd"]),
    ("thi-hanh-ky-luat-dang", "Thi hành kỷ luật đảng viên theo thẩm quyền",
     "Quy định 69-QĐ/TW năm 2022 (sửa đổi bởi Quy định 264-QĐ/TW năm 2025)", "kiem-tra-giam-sat-dang", ["cap-uy"]),
]

# (body suffix, function, role) — the same in every demo province, then the exceptions.
FUNCTION_HOLDINGS = [
    ("SNV", "to-chuc-can-bo", "lead"), ("STC", "tai-chinh-ngan-sach", "lead"), ("STC", "dau-tu-cong", "lead"),
    ("SGDDT", "giao-duc-dao-tao", "lead"), ("SYT", "y-te", "lead"), ("SNNMT", "dat-dai-moi-truong", "lead"),
    ("SXD", "xay-dung-do-thi", "lead"), ("TU-BTC", "cong-tac-to-chuc-dang", "lead"),
    ("TU-UBKT", "kiem-tra-giam-sat-dang", "lead"), ("TU-BTGDV", "tuyen-giao-dan-van", "lead"),
    ("SNV", "cong-tac-to-chuc-dang", "coordinate"),
]
EXTRA_FUNCTION_HOLDINGS = {
    "79": [("SXD", "dau-tu-cong", "lead")],  # overlap: Sở Tài chính and Sở Xây dựng both lead public investment
}
MISSING_FUNCTION_HOLDINGS = {
    "26": {("SYT", "y-te", "lead")},  # gap: no unit leads health in Vĩnh Phúc
}
POWER_HOLDINGS = [
    ("UBND", "giao-bien-che"), ("UBND", "bo-nhiem-giam-doc-so"), ("HDND", "quyet-dinh-du-toan"),
    ("HDND", "giam-sat-hdnd"), ("TU-UBKT", "thi-hanh-ky-luat-dang"),
]
MISSING_POWER_HOLDINGS = {"26": {("HDND", "giam-sat-hdnd")}}  # gap: a required power nobody holds

# The bodies of a district: party committee and its office, People's Committee and its offices.
DISTRICT_BODIES = [
    ("DU", "", "cap-uy", "{party} {short}", "{party}"),
    ("DU-VP", "DU", "co-quan-dang", "Văn phòng {party} {short}", "Văn phòng"),
    ("UBND", "", "ubnd", "Ủy ban nhân dân {territory}", "UBND"),
    ("PNV", "UBND", "phong", "Phòng Nội vụ {territory}", "Phòng Nội vụ"),
    ("PTCKH", "UBND", "phong", "Phòng Tài chính – Kế hoạch {territory}", "Phòng TC-KH"),
    ("PVHXH", "UBND", "phong", "Phòng Văn hóa – Xã hội {territory}", "Phòng VH-XH"),
    ("PKT", "UBND", "phong", "Phòng Kinh tế {territory}", "Phòng Kinh tế"),
]
DISTRICT_POSITIONS = {
    "DU": [("Bí thư", 1, True), ("Phó Bí thư", 2, True)],
    "UBND": [("Chủ tịch UBND", 1, True), ("Phó Chủ tịch UBND", 2, True)],
}
OFFICE_POSITIONS = [("Trưởng phòng", 1, True), ("Phó Trưởng phòng", 2, True), ("Chuyên viên", 6, False)]
DISTRICT_FUNCTION_HOLDINGS = [
    ("DU", "cong-tac-to-chuc-dang"), ("DU", "kiem-tra-giam-sat-dang"), ("DU", "tuyen-giao-dan-van"),
    ("PNV", "to-chuc-can-bo"), ("PTCKH", "tai-chinh-ngan-sach"), ("PVHXH", "giao-duc-dao-tao"), ("PVHXH", "y-te"),
    ("PKT", "dat-dai-moi-truong"),
]
DISTRICT_POWER_HOLDINGS = [("DU", "thi-hanh-ky-luat-dang")]


class Command(BaseCommand):
    help = (
        "Load synthetic demo data (marked source=demo, note 'Dữ liệu minh họa') for Hà Nội, Hồ Chí Minh, "
        "Vĩnh Phúc and Phú Thọ (and four of their districts): party and state bodies, positions, payroll quotas 2022/2026, functions and powers "
        "with holdings (one overlap, some gaps). Run after import-vn-admin-units; re-running changes nothing."
    )

    def handle(self, *args, **options):
        self.counts = dict.fromkeys(("units", "positions", "quotas", "functions", "powers", "holdings"), 0)
        provinces = {u.code: u for u in Unit.objects.filter(valid_on(ON), code__in=PROVINCES).select_related("kind")}
        missing = [c for c in PROVINCES if c not in provinces]
        if len(missing) == len(PROVINCES):
            raise CommandError("None of the demo provinces exists: run `tinhgon import-vn-admin-units` first.")
        for code in missing:
            self.stderr.write(f"Province {code} is missing; skipped.")
        with acting_as(None, source="cli"), transaction.atomic():
            functions = self._functions()
            powers = self._powers(functions)
            for i, code in enumerate(PROVINCES):
                if code in provinces:
                    self._province(i, provinces[code], functions, powers)
            districts = Unit.objects.filter(valid_on(ON), code__in=DISTRICTS).select_related("kind")
            for district in sorted(districts, key=lambda d: DISTRICTS.index(d.code)):
                self._district(district, functions, powers)
        self.stdout.write(", ".join(f"{n} {what}" for what, n in self.counts.items()) + " created (demo data).")

    # Catalogue --------------------------------------------------------------------------

    def _functions(self) -> dict[str, Function]:
        have = {f.code: f for f in Function.objects.filter(code__in=[c for c, *_ in FUNCTIONS])}
        for code, name, name_en, kinds in FUNCTIONS:
            if code not in have:
                have[code] = services.function_create(code=code, name=name, name_en=name_en,
                                                      description=DEMO_NOTE, required_in_kinds=kinds)
                self.counts["functions"] += 1
        return have

    def _powers(self, functions) -> dict[str, Power]:
        have = {p.code: p for p in Power.objects.filter(code__in=[c for c, *_ in POWERS])}
        for code, name, basis, function, kinds in POWERS:
            if code not in have:
                have[code] = services.power_create(code=code, name=name, legal_basis=basis,
                                                   function=functions.get(function), required_in_kinds=kinds)
                self.counts["powers"] += 1
        return have

    # One province -----------------------------------------------------------------------

    def _province(self, index: int, province: Unit, functions, powers) -> None:
        p = province.short_name or province.name
        city = "thành phố" if province.kind.code == "thanh-pho-tw" else "tỉnh"
        party = "Thành ủy" if province.kind.code == "thanh-pho-tw" else "Tỉnh ủy"
        pp = "Thành phố Hồ Chí Minh" if p == "Hồ Chí Minh" else p  # "Thành ủy Thành phố Hồ Chí Minh"
        start = max(province.valid_from, dt.date(2025, 1, 1))
        end = _end_of_line(province)
        rows = [
            UnitInput(
                code=f"{province.code}-{suffix}", name=template.format(party=party, city=city, p=p, pp=pp),
                short_name=short.format(party=party), kind=kind, level="body",
                parent_code=f"{province.code}-{parent}" if parent else province.code,
                valid_from=start, valid_to=end, source=DEMO_SOURCE, note=DEMO_NOTE,
            )
            for suffix, parent, kind, template, short in BODIES
        ]
        try:
            created = services.units_create(rows=rows, event_kind="units.demo",
                                            event_message=f"Demo data for {province.code}")
        except UnitRowsInvalid as exc:
            raise CommandError("; ".join(str(e) for e in exc.errors_list)) from None
        self.counts["units"] += len(created)
        units = {u.code.removeprefix(f"{province.code}-"): u
                 for u in Unit.objects.filter(code__in=[r.code for r in rows], valid_from=start)}

        k = min(index, 2)  # seat counts: Phú Thọ as Vĩnh Phúc
        for suffix, unit in units.items():
            titles = POSITIONS.get(suffix) or (DEPARTMENT_POSITIONS if unit.kind.code == "so-nganh" else [])
            # Positions and quotas follow a body to its later versions (a plan moves them):
            # look for them by the body's code, so a second run after a plan adds nothing.
            have = set(Position.objects.filter(unit__code=unit.code).values_list("title", flat=True))
            for order, (title, counts, leadership) in enumerate(titles, start=1):
                if title not in have:
                    services.position_create(unit=unit, title=title, count=counts[k],
                                             is_leadership=leadership, order=order * 10)
                    self.counts["positions"] += 1

        for j, (suffix, baseline) in enumerate(sorted(BASELINE.items())):
            unit = units[suffix]
            base = baseline + 10 * (2 - index) if index < 2 else baseline // 2 + 5 * (index - 2)
            target = round(base * (1 - REDUCTIONS[(j + index) % len(REDUCTIONS)]))
            for year, quota in ((2022, base), (2026, target)):
                if not PayrollQuota.objects.filter(unit__code=unit.code, year=year,
                                                   category=PayrollQuota.CIVIL_SERVANT).exists():
                    services.payroll_quota_set(unit=unit, year=year, quota=quota,
                                               decision=f"{DEMO_NOTE}: quyết định giao biên chế {year}")
                    self.counts["quotas"] += 1

        skip_f = MISSING_FUNCTION_HOLDINGS.get(province.code, set())
        for suffix, fcode, role in FUNCTION_HOLDINGS + EXTRA_FUNCTION_HOLDINGS.get(province.code, []):
            if (suffix, fcode, role) in skip_f:
                continue
            unit, function = units[suffix], functions[fcode]
            if not FunctionHolding.objects.filter(unit=unit, function=function, role=role).exists():
                services.function_holding_create(unit=unit, function=function, role=role,
                                                 valid_from=unit.valid_from, valid_to=unit.valid_to, note=DEMO_NOTE)
                self.counts["holdings"] += 1
        skip_p = MISSING_POWER_HOLDINGS.get(province.code, set())
        for suffix, pcode in POWER_HOLDINGS:
            if (suffix, pcode) in skip_p:
                continue
            unit, power = units[suffix], powers[pcode]
            if not PowerHolding.objects.filter(unit=unit, power=power).exists():
                services.power_holding_create(unit=unit, power=power, valid_from=unit.valid_from,
                                              valid_to=unit.valid_to,
                                              legal_basis=f"{power.legal_basis} ({DEMO_NOTE})")
                self.counts["holdings"] += 1

    # One district ---------------------------------------------------------------------------

    def _district(self, district: Unit, functions, powers) -> None:
        from tinhgon.apparatus.bodies import Territory, body_name

        t = Territory(district.code, district.name, district.short_name, district.kind.code, "district")
        start = max(district.valid_from, dt.date(2025, 1, 1))
        end = _end_of_line(district)
        rows = [
            UnitInput(
                code=f"{district.code}-{suffix}", name=body_name(pattern, t), short_name=body_name(short, t),
                kind=kind, level="body", parent_code=f"{district.code}-{parent}" if parent else district.code,
                valid_from=start, valid_to=end, source=DEMO_SOURCE, note=DEMO_NOTE,
            )
            for suffix, parent, kind, pattern, short in DISTRICT_BODIES
        ]
        try:
            created = services.units_create(rows=rows, event_kind="units.demo",
                                            event_message=f"Demo data for {district.code}")
        except UnitRowsInvalid as exc:
            raise CommandError("; ".join(str(e) for e in exc.errors_list)) from None
        self.counts["units"] += len(created)
        units = {u.code.removeprefix(f"{district.code}-"): u
                 for u in Unit.objects.filter(code__in=[r.code for r in rows], valid_from=start)}
        for suffix, unit in units.items():
            titles = DISTRICT_POSITIONS.get(suffix) or (OFFICE_POSITIONS if unit.kind.code == "phong" else [])
            have = set(Position.objects.filter(unit__code=unit.code).values_list("title", flat=True))
            for order, (title, count, leadership) in enumerate(titles, start=1):
                if title not in have:
                    services.position_create(unit=unit, title=title, count=count, is_leadership=leadership,
                                             order=order * 10)
                    self.counts["positions"] += 1
        for suffix, fcode in DISTRICT_FUNCTION_HOLDINGS:
            unit, function = units[suffix], functions[fcode]
            if not FunctionHolding.objects.filter(unit=unit, function=function).exists():
                services.function_holding_create(unit=unit, function=function, role="lead",
                                                 valid_from=unit.valid_from, valid_to=unit.valid_to, note=DEMO_NOTE)
                self.counts["holdings"] += 1
        for suffix, pcode in DISTRICT_POWER_HOLDINGS:
            unit, power = units[suffix], powers[pcode]
            if not PowerHolding.objects.filter(unit=unit, power=power).exists():
                services.power_holding_create(unit=unit, power=power, valid_from=unit.valid_from,
                                              valid_to=unit.valid_to,
                                              legal_basis=f"{power.legal_basis} ({DEMO_NOTE})")
                self.counts["holdings"] += 1


def _end_of_line(unit: Unit) -> dt.date | None:
    """When the line of ``unit`` ends: versions of its code that follow it on the same path
    (a province that absorbed others continues), else its own end."""
    end = unit.valid_to
    if end is None:
        return None
    for v in Unit.objects.filter(code=unit.code, valid_from__gte=end).order_by("valid_from"):
        if v.valid_from != end or v.path != unit.path:
            break
        end = v.valid_to
        if end is None:
            break
    return end
