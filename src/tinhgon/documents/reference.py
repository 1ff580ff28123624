"""Document types and issuer symbols shipped with the registry, written after ``migrate``.

Party types: Regulation 66-QĐ/TW (2017) and the types Regulation 399-QĐ/TW adds from
2026-01-09 (RULES.md §4).  State types: Decree 30/2020/NĐ-CP, Appendix III.  Rows are
added when their code is missing and never overwritten: administrators change them, add
types and symbols on the pages and in the API.
"""

from __future__ import annotations

import datetime as dt

from tinhgon.core.changelog import acting_as

REG_66 = "Quy định 66-QĐ/TW năm 2017; Hướng dẫn 36-HD/VPTW"
REG_399 = "Quy định 399-QĐ/TW (từ 09/01/2026)"
DECREE_30 = "Nghị định 30/2020/NĐ-CP, Phụ lục III"
FROM_399 = dt.date(2026, 1, 9)

PARTY_PATTERN = "{nn}-{abbr}/{issuer}"
STATE_PATTERN = "{n}/{abbr}-{issuer}"

# code, name, English name, abbreviation, valid from, legal basis
PARTY_TYPES = [
    ("nghi-quyet", "Nghị quyết", "Resolution", "NQ", None, REG_66),
    ("quyet-dinh", "Quyết định", "Decision", "QĐ", None, REG_66),
    ("quy-dinh", "Quy định", "Regulation", "QĐ", None, REG_66),
    ("chi-thi", "Chỉ thị", "Directive", "CT", None, REG_66),
    ("ket-luan", "Kết luận", "Conclusion", "KL", None, REG_66),
    ("quy-che", "Quy chế", "Rules", "QC", None, REG_66),
    ("huong-dan", "Hướng dẫn", "Guideline", "HD", None, REG_66),
    ("thong-bao", "Thông báo", "Notice", "TB", None, REG_66),
    ("thong-tri", "Thông tri", "Circular", "TT", None, REG_66),
    ("bao-cao", "Báo cáo", "Report", "BC", None, REG_66),
    ("ke-hoach", "Kế hoạch", "Plan", "KH", None, REG_66),
    ("chuong-trinh", "Chương trình", "Program", "CTr", None, REG_66),
    ("de-an", "Đề án", "Project (đề án)", "ĐA", None, REG_66),
    ("to-trinh", "Tờ trình", "Submission", "TTr", None, REG_66),
    ("cong-van", "Công văn", "Official letter", "CV", None, REG_66),
    ("phuong-an", "Phương án", "Scheme (phương án)", "PA", FROM_399, REG_399),
    ("du-an", "Dự án", "Project (dự án)", "DA", FROM_399, REG_399),
    ("giay-moi", "Giấy mời", "Invitation", "GM", FROM_399, REG_399),
    ("phieu-chuyen", "Phiếu chuyển", "Transmittal slip", "PC", FROM_399, REG_399),
    ("thu-cong", "Thư công", "Official letter (thư công)", "ThC", FROM_399, REG_399),
]

# code, name, English name, abbreviation, pattern, sequence group
STATE_TYPES = [
    ("nn-nghi-quyet-qppl", "Nghị quyết (quy phạm pháp luật)", "Resolution (legal normative)", "NQ",
     "{n}/{year}/{abbr}-{issuer}", "QPPL-NQ"),
    ("nn-quyet-dinh-qppl", "Quyết định (quy phạm pháp luật)", "Decision (legal normative)", "QĐ",
     "{n}/{year}/{abbr}-{issuer}", "QPPL-QĐ"),
    ("nn-nghi-quyet", "Nghị quyết (cá biệt)", "Resolution", "NQ", STATE_PATTERN, ""),
    ("nn-quyet-dinh", "Quyết định (cá biệt)", "Decision", "QĐ", STATE_PATTERN, ""),
    ("nn-chi-thi", "Chỉ thị", "Directive", "CT", STATE_PATTERN, ""),
    ("nn-quy-che", "Quy chế", "Rules", "QC", STATE_PATTERN, ""),
    ("nn-quy-dinh", "Quy định", "Regulation", "QyĐ", STATE_PATTERN, ""),
    ("nn-thong-bao", "Thông báo", "Notice", "TB", STATE_PATTERN, ""),
    ("nn-huong-dan", "Hướng dẫn", "Guideline", "HD", STATE_PATTERN, ""),
    ("nn-chuong-trinh", "Chương trình", "Program", "CTr", STATE_PATTERN, ""),
    ("nn-ke-hoach", "Kế hoạch", "Plan", "KH", STATE_PATTERN, ""),
    ("nn-phuong-an", "Phương án", "Scheme (phương án)", "PA", STATE_PATTERN, ""),
    ("nn-de-an", "Đề án", "Project (đề án)", "ĐA", STATE_PATTERN, ""),
    ("nn-bao-cao", "Báo cáo", "Report", "BC", STATE_PATTERN, ""),
    ("nn-to-trinh", "Tờ trình", "Submission", "TTr", STATE_PATTERN, ""),
    ("nn-giay-moi", "Giấy mời", "Invitation", "GM", STATE_PATTERN, ""),
    ("nn-cong-van", "Công văn", "Official letter", "", "{n}/{issuer}", "CV"),
]

# body code, unit kind code, level of the territory, symbol
ISSUER_SYMBOLS = [
    ("", "cap-uy", "province", "TU"),
    ("", "cap-uy", "district", "HU"),
    ("", "cap-uy", "commune", "ĐU"),
    ("", "ubnd", "", "UBND"),
    ("", "hdnd", "", "HĐND"),
    ("", "mttq", "", "MTTQ"),
]


def reference_data_sync(using: str = "default") -> int:
    from .models import PARTY, STATE, DocumentType, IssuerSymbol

    created = 0
    with acting_as(None, source="migrate"):
        have = set(DocumentType.objects.using(using).values_list("code", flat=True))
        rows = [
            DocumentType(code=c, system=PARTY, name=n, name_en=e, abbreviation=a, symbol_pattern=PARTY_PATTERN,
                         valid_from=vf, legal_basis=lb, order=i + 1)
            for i, (c, n, e, a, vf, lb) in enumerate(PARTY_TYPES) if c not in have
        ] + [
            DocumentType(code=c, system=STATE, name=n, name_en=e, abbreviation=a, symbol_pattern=pat,
                         sequence_group=grp, legal_basis=DECREE_30, order=i + 1)
            for i, (c, n, e, a, pat, grp) in enumerate(STATE_TYPES) if c not in have
        ]
        DocumentType.objects.using(using).bulk_create(rows)
        created += len(rows)
        taken = set(IssuerSymbol.objects.using(using).values_list("body_code", "unit_kind", "territory_level"))
        symbols = [IssuerSymbol(body_code=b, unit_kind=k, territory_level=lv, symbol=s)
                   for b, k, lv, s in ISSUER_SYMBOLS if (b, k, lv) not in taken]
        IssuerSymbol.objects.using(using).bulk_create(symbols)
        created += len(symbols)
    return created


def on_post_migrate(sender, using="default", **kwargs) -> None:
    if getattr(sender, "label", None) == "documents":
        reference_data_sync(using=using)
