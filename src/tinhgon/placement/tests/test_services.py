"""Rounds from an applied plan: candidates in every successor of a divided commune, the proposal,
the leaders' decisions and their bad inputs (nothing written), approve, apply, nobody lost."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus import selectors as unit_selectors
from tinhgon.cadres.models import Assignment, Discipline
from tinhgon.core.models import ObjectChange
from tinhgon.placement import selectors, services
from tinhgon.placement.models import Candidate, Round, RoundEvent, RoundUnit, Slot

from .factories import DAY, world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def w(tree):
    return world(tree)


@pytest.fixture
def rnd(w, tree):
    return services.round_create(plan=w["plan"], scope_unit=None, leave_date=dt.date(2025, 9, 1))


def cand(rnd, cadre):
    return Candidate.objects.get(round=rnd, cadre=cadre)


def slot(rnd, code, title):
    return Slot.objects.get(round_unit__round=rnd, round_unit__code=code, title=title)


def frozen():
    return (ObjectChange.objects.count(), RoundEvent.objects.count(),
            sorted(Candidate.objects.values_list("id", "slot_id", "pinned", "excluded", "surplus_decision")))


def test_round_has_the_new_units_and_a_divided_communes_cadres_in_both(rnd, w):
    assert rnd.status == Round.PROPOSED  # created with its first proposal
    assert set(RoundUnit.objects.filter(round=rnd).values_list("code", flat=True)) == {"00001", "08975", "08976"}
    binh = cand(rnd, w["binh"])
    assert sorted(binh.options.values_list("code", flat=True)) == ["08975", "08976"]
    groups = dict(RoundUnit.objects.filter(round=rnd).values_list("code", "group"))
    assert groups["08975"] == groups["08976"] != groups["00001"]
    assert Candidate.objects.filter(round=rnd).count() == 6
    # posts from the rule set's standard posts of a commune
    assert slot(rnd, "00001", "Chủ tịch UBND").count == 1


def test_proposal_one_post_each_counts_respected_and_best_chair(rnd, w):
    placed = Candidate.objects.filter(round=rnd, slot__isnull=False)
    for s in Slot.objects.filter(round_unit__round=rnd):
        assert placed.filter(slot=s).count() <= s.count
    # Lan (university) beats Nam (college) for the one chair of the merged ward
    assert cand(rnd, w["lan"]).slot == slot(rnd, "00001", "Chủ tịch UBND")
    assert cand(rnd, w["nam"]).slot.title != "Chủ tịch UBND"
    assert RoundEvent.objects.filter(round=rnd, action="solve").count() == 1
    assert rnd.status == Round.PROPOSED and rnd.stats["groups"] == 2


def test_pin_and_resolve_around_it(rnd, w):
    chair = slot(rnd, "00001", "Chủ tịch UBND")
    services.candidate_pin(candidate=cand(rnd, w["nam"]), slot=chair, reason="Kết luận của Ban Thường vụ")
    assert cand(rnd, w["lan"]).slot_id != chair.pk  # unseated
    services.round_solve(round=rnd)
    assert cand(rnd, w["nam"]).slot_id == chair.pk and cand(rnd, w["nam"]).pinned
    assert cand(rnd, w["lan"]).slot_id not in (None, chair.pk)
    assert RoundEvent.objects.filter(round=rnd, action="pin", reason="Kết luận của Ban Thường vụ").count() == 1


def test_pinning_one_person_to_two_posts_is_refused(rnd, w):
    nam = cand(rnd, w["nam"])
    services.candidate_pin(candidate=nam, slot=slot(rnd, "00001", "Chủ tịch UBND"), reason="r")
    before = frozen()
    with pytest.raises(ValidationError, match="one person holds one primary post"):
        services.candidate_pin(candidate=nam, slot=slot(rnd, "00001", "Phó Chủ tịch UBND"), reason="r")
    assert frozen() == before


def test_pinning_into_a_full_post_is_refused(rnd, w):
    chair = slot(rnd, "00001", "Chủ tịch UBND")
    services.candidate_pin(candidate=cand(rnd, w["lan"]), slot=chair, reason="r")
    before = frozen()
    with pytest.raises(ValidationError, match="is full"):
        services.candidate_pin(candidate=cand(rnd, w["nam"]), slot=chair, reason="r")
    assert frozen() == before


def test_pinning_an_ineligible_person_needs_an_override_reason(rnd, w):
    Discipline.objects.create(cadre=w["nam"], measure="canh_cao", decision_date=dt.date(2025, 3, 1),
                              effective_date=dt.date(2025, 3, 1))
    chair = slot(rnd, "00001", "Chủ tịch UBND")
    before = frozen()
    with pytest.raises(ValidationError, match="not eligible"):
        services.candidate_pin(candidate=cand(rnd, w["nam"]), slot=chair, reason="r")
    assert frozen() == before
    c = services.candidate_pin(candidate=cand(rnd, w["nam"]), slot=chair, reason="r",
                               override_reason="Kỷ luật đã được xem xét")
    assert c.override_reason == "Kỷ luật đã được xem xét"


def test_a_pin_needs_a_reason_and_a_unit_the_person_is_candidate_of(rnd, w):
    before = frozen()
    with pytest.raises(ValidationError):
        services.candidate_pin(candidate=cand(rnd, w["nam"]), slot=slot(rnd, "00001", "Chủ tịch UBND"), reason=" ")
    with pytest.raises(ValidationError, match="not a candidate"):
        services.candidate_pin(candidate=cand(rnd, w["nam"]), slot=slot(rnd, "08975", "Chủ tịch UBND"), reason="r")
    assert frozen() == before


def test_swap_exclude_and_the_log(rnd, w):
    ha, son = cand(rnd, w["ha"]), cand(rnd, w["son"])
    assert ha.slot_id and son.slot_id
    services.candidate_pin(candidate=ha, slot=slot(rnd, "00001", "Chuyên viên"), reason="r")
    ha.refresh_from_db()
    a, b = services.candidates_swap(first=ha, second=son, reason="Đổi theo năng lực")
    assert a.slot_id == son.slot_id or a.slot.title != b.slot.title
    assert a.pinned and b.pinned
    services.candidate_exclude(candidate=cand(rnd, w["mai"]), reason="Xin nghỉ")
    assert cand(rnd, w["mai"]).slot_id is None and cand(rnd, w["mai"]).excluded
    assert list(RoundEvent.objects.filter(round=rnd).order_by("id").values_list("action", flat=True)) == [
        "create", "solve", "pin", "swap", "exclude"]


def test_applying_an_unapproved_round_is_refused(rnd):
    before = (frozen(), Assignment.objects.count())
    with pytest.raises(ValidationError, match="approved"):
        services.round_apply(round=rnd)
    assert (frozen(), Assignment.objects.count()) == before


def test_approve_apply_and_nobody_lost(rnd, w):
    services.candidate_exclude(candidate=cand(rnd, w["son"]), reason="Nghỉ hưu trước tuổi")
    services.candidate_exclude(candidate=cand(rnd, w["mai"]), reason="Chờ kết luận")
    services.round_approve(round=rnd, decision_number="15/QĐ-UBND", decision_date=dt.date(2025, 8, 1),
                           decision_issuer="UBND Thành phố Hà Nội")
    services.round_apply(round=rnd)
    lan = Assignment.objects.get(cadre=w["lan"], status=Assignment.ACTIVE, valid_from=dt.date(2025, 8, 1))
    new = unit_selectors.unit_version_on("00001", DAY)
    assert (lan.unit_id, lan.title, lan.decision_number, lan.kind) == (new.pk, "Chủ tịch UBND", "15/QĐ-UBND",
                                                                      "reappointment")
    assert Assignment.objects.get(cadre=w["lan"], valid_from=DAY).valid_to == dt.date(2025, 8, 1)
    # Sơn and Mai are neither placed, nor decided, nor pending: the round cannot close
    with pytest.raises(ValidationError, match="Nobody may be lost: 2 people"):
        services.round_close(round=rnd)
    services.candidate_decide_surplus(candidate=cand(rnd, w["son"]), option="early_2_5",
                                      decision_number="16/QĐ-UBND", decision_date=dt.date(2025, 9, 1))
    with pytest.raises(ValidationError, match="1 people"):
        services.round_close(round=rnd)
    services.candidate_keep_pending(candidate=cand(rnd, w["mai"]), reason="Nghỉ thai sản")
    assert services.round_close(round=rnd).status == Round.CLOSED


def test_surplus_estimates_and_missing_inputs(rnd, w):
    services.candidate_exclude(candidate=cand(rnd, w["son"]), reason="r")
    services.candidate_exclude(candidate=cand(rnd, w["mai"]), reason="r")
    rows = {r.candidate.cadre_id: r for r in selectors.surplus_rows(rnd, list(selectors.surplus_candidates(rnd)))}
    son = rows[w["son"].pk]
    assert son.options == ["early_2_5", "severance"]
    assert son.estimates[0].amount > 0 and son.estimates[0].formula
    mai = rows[w["mai"].pk]
    assert all(e.amount is None and "salary" in e.missing for e in mai.estimates)
    assert selectors.round_progress(rnd)["undecided"] == 2


def test_scope_covers_every_unit_touched(w, tree):
    outsider = make_user("hcm-leader", role="leader", scopes=[tree["79"]])
    with pytest.raises(PermissionDenied):
        services.round_create(plan=w["plan"], scope_unit=None, user=outsider)
    hn = make_user("hn-leader", role="leader", scopes=[tree["01"]])
    rnd = services.round_solve(round=services.round_create(plan=w["plan"], scope_unit=unit_selectors.unit_version_on(
        "01", DAY), user=hn), user=hn)
    c = cand(rnd, w["nam"])
    services.candidate_pin(candidate=c, slot=slot(rnd, "00001", "Chủ tịch UBND"), reason="r", user=hn)
    with pytest.raises(PermissionDenied):
        services.candidate_exclude(candidate=cand(rnd, w["lan"]), reason="r", user=outsider)
    viewer = make_user("hn-viewer", role="viewer", scopes=[tree["01"]])
    with pytest.raises(PermissionDenied):
        services.round_approve(round=rnd, decision_number="1", decision_date=dt.date(2025, 8, 1), user=viewer)


def test_what_if_round_on_a_draft_plan_cannot_be_applied(tree):
    w = world(tree, apply=False)
    r = services.round_solve(round=services.round_create(plan=w["plan"], scope_unit=None))
    assert r.what_if and Candidate.objects.filter(round=r).count() == 6
    services.round_approve(round=r, decision_number="1", decision_date=dt.date(2025, 8, 1))
    with pytest.raises(ValidationError, match="what-if"):
        services.round_apply(round=r)


def test_merit_uses_the_latest_assessment_results(rnd, w, monkeypatch):
    import tinhgon.placement.selectors as sel

    monkeypatch.setattr(sel, "_latest_results", lambda ids, as_of: {
        w["nam"].pk: {"level": "excellent", "score": 95.0, "cycle": "2024", "period_end": dt.date(2024, 12, 31),
                      "rule_set": "x", "result_id": 1}})
    facts = sel.candidate_facts(rnd, list(Candidate.objects.filter(round=rnd).select_related("cadre")))
    assert facts.by_candidate[cand(rnd, w["nam"]).pk].assessment == "excellent"
    assert facts.by_candidate[cand(rnd, w["lan"]).pk].assessment is None


def test_merit_reads_real_approved_assessment_results(rnd, w, tree):
    """Two chairs for one chair: an approved 'excellent' for Nam (college degree) outweighs Lan's degree."""
    from tinhgon.assessment.models import Cycle, Result

    cycle = Cycle.objects.create(label="Năm 2024", kind="annual", period_start=dt.date(2024, 1, 1),
                                 period_end=dt.date(2024, 12, 31), unit=tree["01"], scope_path=tree["01"].path,
                                 rule_set="assessment-test", status=Cycle.APPROVED)
    for cadre, level in ((w["nam"], "excellent"), (w["lan"], "not_completed")):
        Result.objects.create(cycle=cycle, cadre=cadre, unit_path=cadre.unit_path, level=level, rule_set="x")
    # the merged ward keeps one post, its chair: the two former chairs compete for it
    for s in Slot.objects.filter(round_unit__round=rnd, round_unit__code="00001").exclude(title="Chủ tịch UBND"):
        services.slot_set_count(slot=s, count=0, reason="Một vị trí")
    services.round_solve(round=rnd)
    facts = selectors.candidate_facts(rnd, list(Candidate.objects.filter(round=rnd).select_related("cadre")))
    assert facts.by_candidate[cand(rnd, w["nam"]).pk].assessment == "excellent"
    assert cand(rnd, w["nam"]).slot == slot(rnd, "00001", "Chủ tịch UBND")
    # a cycle not approved counts for nothing
    cycle.status = Cycle.STATUSES[0][0]
    cycle.save()
    assert selectors._latest_results([w["nam"].pk], dt.date.today()) == {}


def test_a_large_round_reads_its_inputs_through_the_query_of_its_cadres(w, tree, monkeypatch):
    """Above ``build.BULK`` candidates the previous posts and the merit inputs are read through one
    query of the waiting cadres instead of their ids: the same candidates, options, proposal and
    inputs (an approved assessment result included)."""
    from tinhgon.assessment.models import Cycle, Result
    from tinhgon.placement import build
    from tinhgon.placement.models import Candidacy

    cycle = Cycle.objects.create(label="Năm 2024", kind="annual", period_start=dt.date(2024, 1, 1),
                                 period_end=dt.date(2024, 12, 31), unit=tree["01"], scope_path=tree["01"].path,
                                 rule_set="assessment-test", status=Cycle.APPROVED)
    Result.objects.create(cycle=cycle, cadre=w["nam"], unit_path=w["nam"].unit_path, level="excellent", rule_set="x")

    def snapshot(r):
        return (sorted(Candidate.objects.filter(round=r).values_list(
                    "cadre_id", "from_unit_id", "from_title", "waiting_path", "assignment_id",
                    "slot__round_unit__code", "slot__title", "score")),
                sorted(Candidacy.objects.filter(candidate__round=r).values_list("candidate__cadre_id",
                                                                                "round_unit__code")))

    small = services.round_create(plan=w["plan"], scope_unit=None, leave_date=dt.date(2025, 9, 1))
    monkeypatch.setattr(build, "BULK", 0)
    large = services.round_create(plan=w["plan"], scope_unit=None, leave_date=dt.date(2025, 9, 1))
    assert snapshot(large) == snapshot(small)
    assert [code for cid, code in snapshot(large)[1] if cid == w["binh"].pk] == ["08975", "08976"]
    cands = list(Candidate.objects.filter(round=large).select_related("cadre"))
    one_by_one = selectors.candidate_facts(large, cands)
    through = selectors.candidate_facts(large, cands, cadres=Candidate.objects.filter(round=large).values("cadre_id"))
    assert through.by_candidate == one_by_one.by_candidate
    assert through.retirement == one_by_one.retirement and through.assessment == one_by_one.assessment
    assert through.by_candidate[cand(large, w["nam"]).pk].assessment == "excellent"
    # a re-solve of a large round reads them the same way: nothing changes
    assert services.round_solve(round=large).stats["changed"] == 0
    assert snapshot(large) == snapshot(small)


def test_every_row_a_round_writes_is_in_the_change_log(rnd):
    """The candidates and their candidacies are written without model instances: each still has
    its creation in the change log, with the state and the text an instance would give."""
    from django.contrib.contenttypes.models import ContentType

    from tinhgon.core.changelog import serialize
    from tinhgon.placement.models import Candidacy

    for model in (Candidate, Candidacy):
        ct = ContentType.objects.get_for_model(model)
        logged = {o.object_id: o for o in ObjectChange.objects.filter(content_type=ct, action="create")}
        rows = list(model.objects.filter(pk__in=logged)) if model is Candidate else \
            list(Candidacy.objects.filter(candidate__round=rnd))
        assert rows and {r.pk for r in rows} <= set(logged)
        for r in rows:
            assert logged[r.pk].after == serialize(r)
            assert logged[r.pk].object_repr == str(r)
    assert Candidate.objects.filter(round=rnd).count() == len(
        [1 for o in ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(Candidate),
                                                action="create") if o.after["round_id"] == rnd.pk])
