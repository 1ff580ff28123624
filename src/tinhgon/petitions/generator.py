"""Synthetic petitions (``tinhgon generate-petitions``): seeded, realistic, scalable.

Matters arise in the communes of the provinces given, over the year before the reading
date: complaints, denunciations and recommendations on land, compensation, administrative
decisions, cadre conduct, …, in Vietnamese with and without accents (as people type), one
petitioner or a group with its representatives, some crowded groups, repeat contacts on
the same matter, and lifecycles drawn against the reading date (accepted with the deadline
the rule set gives, settled on time, late, or still open and overdue).  A few places get a
burst of crowded contacts in the last weeks so that hot spots rise; detection runs at the
end.  Writes go through the tracked bulk paths (every row is in the change log).  The same
seed gives the same matters; a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from tinhgon.core.bulk import build
from tinhgon.core.dated import valid_on
from tinhgon.core.rulesets import NoRuleSet, rule_set_for
from tinhgon.core.scoping import scope_q
from tinhgon.core.text import fold

from . import rules, services
from .models import Contact, Petition, Petitioner, PetitionEvent
from .rulesets import DEADLINES

DEFAULT_BATCH = 5000
SEED_MARK = "generated:"

TEXTS = {
    "land": [("Khiếu nại quyết định thu hồi đất nông nghiệp", "Gia đình tôi bị thu hồi đất nông nghiệp tại cánh đồng {n} nhưng không được thông báo trước, đề nghị xem xét lại quyết định thu hồi đất."),
             ("Tranh chấp ranh giới thửa đất", "Đề nghị giải quyết tranh chấp ranh giới thửa đất số {n} với hộ liền kề, đo đạc lại theo bản đồ địa chính."),
             ("Cấp giấy chứng nhận quyền sử dụng đất chậm", "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất nộp từ năm trước đến nay chưa được giải quyết.")],
    "compensation": [("Khiếu nại mức bồi thường giải phóng mặt bằng", "Mức bồi thường, hỗ trợ khi giải phóng mặt bằng dự án đường {n} thấp hơn giá thị trường, đề nghị tính lại."),
                     ("Chưa được bố trí tái định cư", "Gia đình bị thu hồi đất ở để làm dự án khu đô thị nhưng chưa được bố trí tái định cư.")],
    "administrative_decision": [("Khiếu nại quyết định xử phạt vi phạm hành chính", "Quyết định xử phạt vi phạm hành chính số {n} không đúng thẩm quyền, đề nghị hủy bỏ."),
                                ("Khiếu nại việc từ chối cấp phép xây dựng", "UBND từ chối cấp giấy phép xây dựng nhà ở riêng lẻ mà không nêu rõ lý do.")],
    "cadre_conduct": [("Tố cáo cán bộ địa chính nhũng nhiễu", "Cán bộ địa chính xã gây khó khăn, nhũng nhiễu khi người dân làm thủ tục đăng ký đất đai."),
                      ("Tố cáo sai phạm trong quản lý quỹ", "Tố cáo lãnh đạo thôn {n} sử dụng quỹ đóng góp của nhân dân sai mục đích.")],
    "environment": [("Phản ánh ô nhiễm môi trường từ cơ sở sản xuất", "Cơ sở sản xuất tại cụm công nghiệp xả nước thải chưa qua xử lý ra kênh {n}, gây mùi hôi."),
                    ("Phản ánh tiếng ồn ban đêm", "Xưởng gia công gỗ hoạt động ban đêm gây tiếng ồn ảnh hưởng sinh hoạt của khu dân cư.")],
    "construction": [("Phản ánh xây dựng trái phép", "Công trình xây dựng lấn chiếm hành lang giao thông tại ngõ {n} chưa được xử lý.")],
    "social_policy": [("Kiến nghị chế độ chính sách người có công", "Đề nghị xem xét giải quyết chế độ trợ cấp cho thân nhân liệt sĩ còn chậm."),
                      ("Kiến nghị về bảo hiểm xã hội", "Doanh nghiệp nợ đóng bảo hiểm xã hội của người lao động kéo dài.")],
    "justice": [("Kiến nghị về thi hành án dân sự", "Bản án đã có hiệu lực nhưng việc thi hành án kéo dài, đề nghị đôn đốc.")],
    "other": [("Kiến nghị sửa chữa đường giao thông nông thôn", "Đường liên thôn {n} xuống cấp, đề nghị bố trí kinh phí sửa chữa.")],
}
SUBJECT_WEIGHTS = {"land": 30, "compensation": 15, "administrative_decision": 12, "cadre_conduct": 10,
                   "environment": 10, "construction": 8, "social_policy": 8, "justice": 4, "other": 3}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Phong", "Quân",
         "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vân", "Yến"]
CHANNELS = ["desk"] * 5 + ["mail"] * 3 + ["online"] * 2 + ["hotline"]


@dataclass
class Result:
    petitions: int = 0
    contacts: int = 0
    hotspots: int = 0
    skipped: bool = False


def _kind_of(title: str) -> str:
    """The kind a text is written as: a denunciation, a complaint, else a recommendation or reflection."""
    t = fold(title)
    if t.startswith("to cao"):
        return rules.DENUNCIATION
    if t.startswith(("khieu nai", "tranh chap", "chua duoc")):
        return rules.COMPLAINT
    return rules.RECOMMENDATION


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _places(within: list[str] | None, day: dt.date):
    from tinhgon.apparatus.models import Unit

    qs = Unit.objects.filter(valid_on(day), level__code="commune").select_related("level")
    if within:
        roots = list(Unit.objects.filter(valid_on(day), code__in=within).values_list("path", flat=True))
        qs = qs.filter(scope_q("path", roots)) if roots else qs.none()
    return list(qs.order_by("path"))


def generate_petitions(*, count: int, seed: int = 1, within: list[str] | None = None, today: dt.date | None = None,
                       batch_size: int = DEFAULT_BATCH, hotspots: bool = True,
                       progress: Callable[[int], None] | None = None) -> Result:
    from django.utils import timezone

    day = today or timezone.localdate()
    mark = f"{SEED_MARK}{seed}"
    if PetitionEvent.objects.filter(kind="received", data__generated=mark).exists():
        return Result(skipped=True)
    places = _places(within, day)
    if not places or count <= 0:
        return Result()
    rng = random.Random(seed)
    cal = services.calendar()
    route_cache: dict = {}
    levels: dict = {}
    rs_cache: dict = {}
    seq: dict[str, int] = {}
    for prefix in rules.CODE_PREFIX.values():
        for year in (day.year - 1, day.year):
            p = f"{prefix}-{year}-"
            last = Petition.objects.filter(code__startswith=p).aggregate(m=Max("code"))["m"]
            seq[p] = int(last.rsplit("-", 1)[1]) if last else 0
    subjects = list(SUBJECT_WEIGHTS)
    weights = list(SUBJECT_WEIGHTS.values())
    # A few places where a crowd gathers in the last weeks (hot spots).
    burst_places = rng.sample(places, min(len(places), max(1, count // 1500)))
    result = Result()
    done = 0
    while done < count:
        n = min(batch_size, count - done)
        with transaction.atomic():
            rows, extra = [], []
            for i in range(n):
                k = done + i
                burst = k % 97 == 0 and burst_places
                place = rng.choice(burst_places) if burst else rng.choice(places)
                subject = "land" if burst else rng.choices(subjects, weights)[0]
                title, body = rng.choice(TEXTS[subject])
                kind = _kind_of(title)
                received = day - dt.timedelta(days=rng.randint(0, 20) if burst else int(rng.triangular(0, 365, 30)))
                level = services.route_level(subject=subject, kind=kind, on=day) if (subject, kind) not in levels \
                    else levels[(subject, kind)]
                levels[(subject, kind)] = level
                key = (place.pk, level)
                if key not in route_cache:
                    route_cache[key] = services.ancestor_at(place, level, day)
                handling = route_cache[key]
                body = body.format(n=rng.randint(1, 40))
                if rng.random() < 0.3:  # typed without accents
                    title, body = fold(title).capitalize(), fold(body).capitalize()
                crowded = burst or rng.random() < 0.03
                people = rng.randint(12, 60) if burst else (rng.randint(5, 40) if crowded else 1)
                prefix = f"{rules.CODE_PREFIX[kind]}-{received.year}-"
                seq[prefix] = seq.get(prefix, 0) + 1
                p = build(Petition, code=f"{prefix}{seq[prefix]:06d}", kind=kind, round=1, first_round_id=None,
                          channel=rng.choice(CHANNELS), subject=subject, title=title[:300], content=body,
                          text_folded=fold(f"{title} {body}")[:4000], place_id=place.pk, place_path=place.path,
                          place_text="", handling_unit_id=handling.pk, handling_path=handling.path, leader_id=None,
                          people=people, contacts_count=1, received_on=received, acceptance_due=None,
                          status=Petition.RECEIVED, accepted_on=None, rejected_reason="",
                          complexity=rules.NORMAL, remote=False, extensions=0, suspended_days=0, deadline=None,
                          deadline_raw=None, rule_set="", conclusion="", concluded_on=None, closed_on=None,
                          escalated_to_id=None, escalated_on=None)
                _lifecycle(p, rng, day, cal, rs_cache)
                repeats = rng.choice([0, 0, 0, 1, 2, 3]) if (burst or rng.random() < 0.15) else 0
                rows.append(p)
                extra.append((p, people, repeats, crowded))
            Petition.objects.bulk_create(rows)
            contacts, petitioners, events = [], [], []
            for p, people, repeats, _crowded in extra:
                contacts.append(build(Contact, petition_id=p.pk, on=p.received_on, channel=p.channel, people=people,
                                      is_repeat=False, note=""))
                for _r in range(repeats):
                    on = min(day, p.received_on + dt.timedelta(days=rng.randint(5, 60)))
                    contacts.append(build(Contact, petition_id=p.pk, on=on, channel="desk",
                                          people=max(1, people + rng.randint(-3, 10)), is_repeat=True, note=""))
                n_named = 1 if people < 5 else (rng.randint(1, 2) if people <= 10 else rng.randint(1, 5))
                for _j in range(n_named):
                    name = _name(rng)
                    petitioners.append(build(Petitioner, petition_id=p.pk, full_name=name, name_folded=fold(name),
                                             id_number="", phone=f"09{rng.randint(10000000, 99999999)}", address="",
                                             is_representative=people >= 5))
                events.append(build(PetitionEvent, petition_id=p.pk, kind="received", on=p.received_on, actor_id=None,
                                    note="", data={"generated": mark}))
                if repeats:
                    p.contacts_count = 1 + repeats
            Contact.objects.bulk_create(contacts)
            Petitioner.objects.bulk_create(petitioners)
            PetitionEvent.objects.bulk_create(events)
            multi = [p for p, _pe, r, _c in extra if r]
            if multi:
                Petition.objects.bulk_update(multi, ["contacts_count"])
            result.contacts += len(contacts)
        done += n
        result.petitions = done
        if progress:
            progress(done)
    _sessions(rng, places, day)
    if hotspots:
        roots = [pl.path for pl in burst_places]
        result.hotspots = len(services.hotspots_detect(on=day, roots=roots))
    _dialogues(places, day)
    return result


def _dialogues(places: list, day: dt.date, n: int = 10) -> None:
    """Dialogues held by the communes' leaders on record: one on each open hot spot of their commune
    (its outcome linked to the hot spot and its matters), and one on a few open matters elsewhere."""
    from tinhgon.cadres.models import Cadre

    from .models import HotSpot

    leaders: dict[int, object] = {}
    for c in Cadre.objects.filter(unit_id__in=[p.pk for p in places]).order_by("id")[:2000]:
        leaders.setdefault(c.unit_id, c)
    spots = HotSpot.objects.filter(place_id__in=list(leaders)).exclude(status=HotSpot.RESOLVED).order_by("id")[:n]
    for h in spots:
        services.dialogue_create(unit=h.place, leader=leaders[h.place_id], on=day, hotspot=h,
                                 topic=f"Đối thoại với công dân về {h.get_subject_display().lower()}",
                                 participants=int(h.evidence.get("people") or 0),
                                 outcome="Ghi nhận ý kiến, giao rà soát hồ sơ và trả lời trong 15 ngày",
                                 petitions=list(h.petitions.all()[:5]))
    for unit_id, c in list(leaders.items())[:n // 2]:
        matters = list(Petition.objects.filter(place_id=unit_id, status__in=Petition.OPEN).order_by("id")[:2])
        if matters:
            services.dialogue_create(unit=c.unit, leader=c, on=day, topic="Đối thoại định kỳ với người dân",
                                     participants=sum(m.people for m in matters), petitions=matters,
                                     outcome="Đã giải thích chính sách; công dân thống nhất chờ kết quả xác minh")


def _sessions(rng: random.Random, places: list, day: dt.date, n_leaders: int = 30) -> None:
    """Reception sessions of the last two months and a leader in charge of the open matters, for
    communes that have cadres on record (none without: the demo of the duty check needs them)."""
    from tinhgon.cadres.models import Cadre

    by_id = {p.pk: p for p in places}
    cadres = list(Cadre.objects.filter(unit_id__in=list(by_id)).order_by("id")[: n_leaders * 5])
    seen, leaders = set(), []
    for c in cadres:
        if c.unit_id not in seen:
            seen.add(c.unit_id)
            leaders.append(c)
    for c in leaders[:n_leaders]:
        unit = by_id[c.unit_id]
        Petition.objects.filter(place=unit, status__in=Petition.OPEN, leader__isnull=True).update(leader=c)
        first = (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        for k in range(rng.randint(1, 6)):
            on = min(day, first + dt.timedelta(days=rng.randint(0, 55)))
            services.reception_session_create(unit=unit, leader=c, leader_role="commune_chair", on=on,
                                              place=f"Trụ sở UBND {unit.name}", citizens=rng.randint(0, 12),
                                              online=k == 0 and rng.random() < 0.3)


def _lifecycle(p: Petition, rng: random.Random, day: dt.date, cal: rules.Calendar, rs_cache: dict) -> None:
    """Acceptance, deadline and settlement drawn against the reading date."""
    age = (day - p.received_on).days
    try:
        rs = rs_cache.get(p.received_on) or rs_cache.setdefault(p.received_on, rule_set_for(DEADLINES, p.received_on))
    except NoRuleSet:
        return
    p.acceptance_due = rules.acceptance_deadline(rs.parameters, rs.code, kind=p.kind, received=p.received_on,
                                                 calendar=cal).deadline
    if age < 3 or rng.random() < 0.04:
        return  # still waiting for the acceptance decision
    if rng.random() < 0.06:
        p.status, p.rejected_reason, p.closed_on = Petition.REJECTED, "Không thuộc thẩm quyền, đã hướng dẫn", \
            p.received_on + dt.timedelta(days=rng.randint(2, 9))
        return
    accepted = p.received_on + dt.timedelta(days=rng.randint(1, min(10, age)))
    try:
        ars = rs_cache.get(accepted) or rs_cache.setdefault(accepted, rule_set_for(DEADLINES, accepted))
    except NoRuleSet:
        return
    p.accepted_on, p.status = accepted, Petition.ACCEPTED
    p.complexity = rules.COMPLEX if rng.random() < 0.15 else rules.NORMAL
    if p.kind == rules.DENUNCIATION and p.complexity == rules.COMPLEX and rng.random() < 0.5:
        p.extensions = 1
    d = rules.settlement_deadline(ars.parameters, ars.code, kind=p.kind, accepted=accepted, complexity=p.complexity,
                                  extensions=p.extensions, calendar=cal)
    p.deadline, p.deadline_raw, p.rule_set = d.deadline, d.raw, d.rule_set
    limit = d.deadline or (accepted + dt.timedelta(days=45))
    r = rng.random()
    settle = (accepted + dt.timedelta(days=rng.randint(5, max(6, (limit - accepted).days))) if r < 0.75
              else limit + dt.timedelta(days=rng.randint(1, 40)))
    if settle <= day and rng.random() < 0.9:
        p.status, p.concluded_on = Petition.CONCLUDED, settle
        p.conclusion = "Đã xác minh, kết luận nội dung đơn đúng một phần" if r < 0.5 else "Đã giải quyết, trả lời công dân"
        if settle + dt.timedelta(days=10) <= day and rng.random() < 0.7:
            p.status, p.closed_on = Petition.CLOSED, settle + dt.timedelta(days=rng.randint(1, 10))
    elif rng.random() < 0.5:
        p.status = Petition.VERIFYING
