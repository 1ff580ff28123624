"""Synthetic documents (``tinhgon generate-documents``): the registry of the demo scope.

For each party committee (Tỉnh ủy, Thành ủy, Đảng ủy) inside the provinces given, documents
of every usual type numbered from 01 per abbreviation within each term of the committee
(terms are recorded with the dates of the 2020 and 2025 congresses when the body has none
on those dates); for each People's Committee, decisions, plans, reports, official letters
and normative decisions numbered per calendar year; a few central documents each committee
received (127-KL/TW, 57-NQ/TW, 18-NQ/TW…), some later documents replacing earlier ones and,
once, a gap recorded with its reason.  Rows go through the tracked bulk path (every row is
in the change log).  The same seed gives the same documents; a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from tinhgon.core.text import fold

from . import rules
from .models import PARTY, Document, DocumentRelation, DocumentType
from .services import issuer_symbol_for

TERMS = [("2020-2025", dt.date(2020, 10, 15), dt.date(2025, 10, 15)), ("2025-2030", dt.date(2025, 10, 15), None)]
# type code -> weight, title templates
PARTY_MIX = {
    "nghi-quyet": (6, ["Nghị quyết về phát triển kinh tế số giai đoạn {y}–2030", "Nghị quyết về công tác cán bộ",
                       "Nghị quyết chuyên đề về chuyển đổi số", "Nghị quyết về nhiệm vụ năm {y}"]),
    "ket-luan": (6, ["Kết luận của Ban Thường vụ về tình hình kinh tế - xã hội", "Kết luận hội nghị sơ kết"]),
    "chi-thi": (2, ["Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính", "Chỉ thị về đại hội đảng bộ cơ sở"]),
    "quyet-dinh": (8, ["Quyết định thành lập Ban Chỉ đạo", "Quyết định về công tác cán bộ",
                       "Quyết định kiện toàn tổ giúp việc"]),
    "quy-dinh": (3, ["Quy định về phân cấp quản lý cán bộ", "Quy định về chức năng, nhiệm vụ các ban"]),
    "quy-che": (2, ["Quy chế làm việc của Ban Chấp hành nhiệm kỳ"]),
    "ke-hoach": (8, ["Kế hoạch thực hiện Kết luận 127-KL/TW", "Kế hoạch kiểm tra, giám sát năm {y}",
                     "Kế hoạch học tập, quán triệt nghị quyết"]),
    "chuong-trinh": (3, ["Chương trình làm việc toàn khóa", "Chương trình công tác năm {y}"]),
    "de-an": (3, ["Đề án sắp xếp, tinh gọn tổ chức bộ máy", "Đề án nâng cao chất lượng tổ chức cơ sở đảng"]),
    "bao-cao": (7, ["Báo cáo tổng kết công tác năm {y}", "Báo cáo sơ kết 6 tháng đầu năm {y}"]),
    "huong-dan": (3, ["Hướng dẫn tổ chức đại hội chi bộ", "Hướng dẫn kiểm điểm, đánh giá cuối năm {y}"]),
    "thong-bao": (6, ["Thông báo kết luận của Thường trực", "Thông báo ý kiến chỉ đạo"]),
    "to-trinh": (2, ["Tờ trình về nhân sự", "Tờ trình đề án sắp xếp"]),
    "cong-van": (14, ["Công văn về việc triển khai nhiệm vụ", "Công văn về việc báo cáo số liệu",
                      "Công văn về việc chuẩn bị hội nghị"]),
}
STATE_MIX = {
    "nn-quyet-dinh": (12, ["Quyết định phê duyệt kế hoạch", "Quyết định về việc giao chỉ tiêu biên chế",
                           "Quyết định thành lập tổ công tác"]),
    "nn-quyet-dinh-qppl": (2, ["Quyết định ban hành quy định phân cấp quản lý", "Quyết định quy định giá dịch vụ"]),
    "nn-ke-hoach": (5, ["Kế hoạch cải cách hành chính năm {y}", "Kế hoạch chuyển đổi số năm {y}"]),
    "nn-bao-cao": (5, ["Báo cáo tình hình kinh tế - xã hội tháng", "Báo cáo kết quả giải quyết đơn thư"]),
    "nn-thong-bao": (3, ["Thông báo kết luận của Chủ tịch"]),
    "nn-cong-van": (12, ["Công văn về việc triển khai thực hiện", "Công văn về việc rà soát số liệu"]),
}
RECEIVED = [
    # type code, symbol, issuer, date, title, for party bodies (else state)
    ("ket-luan", "127-KL/TW", "Bộ Chính trị, Ban Bí thư", dt.date(2025, 2, 28),
     "Kết luận về triển khai nghiên cứu, đề xuất tiếp tục sắp xếp tổ chức bộ máy của hệ thống chính trị", True),
    ("nghi-quyet", "57-NQ/TW", "Bộ Chính trị", dt.date(2024, 12, 22),
     "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia", True),
    ("nghi-quyet", "18-NQ/TW", "Ban Chấp hành Trung ương", dt.date(2017, 10, 25),
     "Nghị quyết một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, "
     "hoạt động hiệu lực, hiệu quả", True),
    ("chi-thi", "45-CT/TW", "Bộ Chính trị", dt.date(2025, 4, 14),
     "Chỉ thị về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng", True),
    ("nn-nghi-quyet-qppl", "76/2025/UBTVQH15", "Ủy ban Thường vụ Quốc hội", dt.date(2025, 4, 14),
     "Nghị quyết về sắp xếp đơn vị hành chính năm 2025", False),
    ("nn-quyet-dinh", "759/QĐ-TTg", "Thủ tướng Chính phủ", dt.date(2025, 4, 14),
     "Quyết định phê duyệt Đề án sắp xếp, tổ chức lại đơn vị hành chính các cấp", False),
]
SIGNERS_PARTY = ["Bí thư", "Phó Bí thư Thường trực", "Phó Bí thư"]
SIGNERS_STATE = ["Chủ tịch", "Phó Chủ tịch", "Phó Chủ tịch Thường trực"]


@dataclass
class Result:
    issued: int = 0
    received: int = 0
    terms: int = 0
    skipped: bool = False


def _marker(seed: int) -> str:
    return f"Dữ liệu minh họa (seed {seed})"


def _bodies(within: list[str] | None, today: dt.date):
    """Party committees and People's Committees inside the provinces ``within``, the versions that
    ended included (their documents stay theirs), oldest version of a code first."""
    from tinhgon.apparatus.models import Unit

    qs = Unit.objects.filter(kind__code__in=["cap-uy", "ubnd"], valid_from__lte=today).select_related("kind")
    if within:
        from django.db.models import Q

        cond = Q()
        for code in within:
            cond |= Q(path__startswith=f"{code}/")
        qs = qs.filter(cond)
    return list(qs.order_by("code", "valid_from"))


def _ensure_terms(body, result: Result) -> list:
    """The party committee's terms; the 2020 and 2025 congress terms are recorded where none is (a term
    recorded already from a later date ends the 2020 one)."""
    from tinhgon.apparatus.models import Term
    from tinhgon.apparatus.services import term_create

    have = Term.objects.filter(body_code=body.code, kind=Term.PARTY_COMMITTEE)
    for label, start, end in TERMS:
        later = have.filter(valid_from__gt=start).order_by("valid_from").first()
        if end is not None and later is not None and later.valid_from < end + dt.timedelta(days=120):
            end = later.valid_from
        if have.overlapping(start, end).exists():
            continue
        try:
            term_create(body=body, label=label, valid_from=start, valid_to=end, note="Dữ liệu minh họa")
            result.terms += 1
        except ValidationError:
            continue
    return list(have.order_by("valid_from"))


def _dates(rng: random.Random, start: dt.date, end: dt.date, n: int) -> list[dt.date]:
    span = max((end - start).days, 1)
    return sorted(start + dt.timedelta(days=rng.randrange(span)) for _ in range(n))


def _doc(t: DocumentType, unit, *, number, issuer, day, title, signer, marker, term=None, seq="",
         reason="") -> Document:
    symbol = rules.render_symbol(t.symbol_pattern, number=number, abbreviation=t.abbreviation, issuer=issuer,
                                 year=day.year)
    folded = rules.fold_symbol(symbol)
    return Document(direction=Document.ISSUED, doc_type=t, unit=unit, term=term, year=day.year, sequence_key=seq,
                    number=number, number_reason=reason, issuer_symbol=issuer, symbol=symbol, symbol_folded=folded,
                    symbol_tail=rules.symbol_tail(folded), issued_on=day, signer=signer, title=title,
                    title_folded=fold(title)[:500], summary=marker)


def _draw(rng, mix: dict, types: dict, n: int) -> list[tuple[DocumentType, str]]:
    codes = [c for c in mix if c in types]
    weights = [mix[c][0] for c in codes]
    return [(types[c], rng.choice(mix[c][1])) for c in rng.choices(codes, weights=weights, k=n)]


def _number_run(rng, unit, picks, days, *, sequence_of, term, issuer, signers, marker, gap_once: list,
                counters: dict[str, int]) -> list:
    """Number ``picks`` in date order, one sequence per (period, abbreviation); once, a recorded gap."""
    out = []
    for (t, title), day in zip(picks, days, strict=True):
        seq = sequence_of(t, day)
        n = counters.get(seq, 0) + 1
        reason = ""
        if gap_once and n == 5:
            n += 1
            reason = "Số 05 đăng ký ở sổ văn bản mật"
            gap_once.clear()
        counters[seq] = n
        out.append(_doc(t, unit, number=n, issuer=issuer, day=day, title=title.format(y=day.year),
                        signer=rng.choice(signers), marker=marker, term=term, seq=seq, reason=reason))
    return out


def generate_documents(*, count: int, seed: int, within: list[str] | None, today: dt.date | None,
                       batch_size: int = 2000, progress: Callable[[int], None] | None = None) -> Result:
    """About ``count`` issued documents spread over the bodies of the provinces ``within``."""
    result = Result()
    marker = _marker(seed)
    if Document.objects.filter(summary=marker).exists():
        result.skipped = True
        return result
    today = today or dt.date.today()
    rng = random.Random(seed)
    types = {t.code: t for t in DocumentType.objects.all()}
    bodies = _bodies(within, today)
    if not bodies or count <= 0:
        return result
    per_body = max(1, count // len(bodies))
    gap_once = [True]
    counters: dict[str, int] = {}
    with transaction.atomic():
        rows: list[Document] = []
        for body in bodies:
            issuer = issuer_symbol_for(body, today) or ("TU" if body.kind.code == "cap-uy" else "UBND")
            if body.kind.code == "cap-uy":
                terms = _ensure_terms(body, result)
                for term in terms:
                    start = max(term.valid_from, body.valid_from)
                    end = min(term.valid_to or today, body.valid_to or today, today)
                    if end <= start:
                        continue
                    share = (end - start).days / 730
                    n = max(5, round(per_body * share))
                    picks = _draw(rng, PARTY_MIX, types, n)
                    picks = [(t, title) for t, title in picks if t.in_use_on(start) or t.in_use_on(end)]
                    days = _dates(rng, start, end, len(picks))

                    def seq_of(t, day, term=term, body=body):
                        return rules.sequence_key(system=PARTY, body_code=body.code, group=t.sequence,
                                                  term_id=term.pk)

                    rows += _number_run(rng, body, picks, days, sequence_of=seq_of, term=term, issuer=issuer,
                                        signers=SIGNERS_PARTY, marker=marker, gap_once=gap_once,
                                        counters=counters)
            else:
                start = max(dt.date(today.year - 1, 1, 1), body.valid_from)
                end = min(body.valid_to or today, today)
                if end <= start:
                    continue
                picks = _draw(rng, STATE_MIX, types, per_body)
                days = _dates(rng, start, end, len(picks))

                def seq_of(t, day, body=body):
                    return rules.sequence_key(system=t.system, body_code=body.code, group=t.sequence, year=day.year)

                counters_by_year = sorted(zip(picks, days, strict=True), key=lambda pd: pd[1])
                rows += _number_run(rng, body, [p for p, _d in counters_by_year], [d for _p, d in counters_by_year],
                                    sequence_of=seq_of, term=None, issuer=issuer, signers=SIGNERS_STATE,
                                    marker=marker, gap_once=[], counters=counters)
            for code, symbol, issuer_name, day, title, party in RECEIVED:
                if (party != (body.kind.code == "cap-uy") or code not in types or day > today
                        or (body.valid_to and day >= body.valid_to) or day < body.valid_from - dt.timedelta(days=3650)):
                    continue
                if rng.random() < 0.25 and "127" not in symbol:
                    continue
                folded = rules.fold_symbol(symbol)
                rows.append(Document(direction=Document.RECEIVED, doc_type=types[code], unit=body,
                                     issuer_name=issuer_name, year=day.year, number=rules.leading_number(symbol),
                                     symbol=symbol, symbol_folded=folded, symbol_tail=rules.symbol_tail(folded),
                                     issued_on=day, title=title, title_folded=fold(title)[:500], summary=marker))
        for i in range(0, len(rows), batch_size):
            Document.objects.bulk_create(rows[i:i + batch_size])
        if progress:
            progress(count)
        result.issued = sum(1 for d in rows if d.direction == Document.ISSUED)
        result.received = len(rows) - result.issued
        _replacements(rng, marker)
    return result


def _replacements(rng: random.Random, marker: str) -> None:
    """Some later regulations and rules replace an earlier one of the same body and type."""
    docs = list(Document.objects.filter(summary=marker, direction=Document.ISSUED,
                                        doc_type__code__in=["quy-dinh", "quy-che", "nn-quyet-dinh-qppl"])
                .order_by("unit_id", "doc_type_id", "issued_on", "id"))
    rels, replaced = [], []
    for a, b in zip(docs, docs[1:], strict=False):
        if a.unit_id == b.unit_id and a.doc_type_id == b.doc_type_id and rng.random() < 0.5 and a.pk not in replaced:
            rels.append(DocumentRelation(source=b, target=a, kind=DocumentRelation.REPLACES))
            replaced.append(a.pk)
            a.status, a.status_on = Document.REPLACED, b.issued_on
    DocumentRelation.objects.bulk_create(rels)
    Document.objects.bulk_update([d for d in docs if d.pk in replaced], ["status", "status_on"])
