"""The inspection workflow and its bad input: plan → inspection → findings → conclusion →
discipline on the cadre's record → recommendations; each refusal writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhgon.accounts.tests.factories import make_user
from tinhgon.cadres.models import Discipline
from tinhgon.core.models import AuditEvent, ObjectChange
from tinhgon.core.scoping import restrict
from tinhgon.inspection import selectors, services
from tinhgon.inspection.models import Inspection, Measure, Recommendation

from .factories import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(tree):
    w = world(tree)
    w["tree"] = tree
    w["inspector"] = make_user("hn-inspector", role="inspector", scopes=[tree["01"]])
    return w


def _concluded(w, *, cadre=None, on=dt.date(2026, 4, 20)):
    user = w["inspector"]
    plan = services.plan_create(user=user, commission=w["commission"], year=2026, title="Kế hoạch kiểm tra 2026",
                                period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
                                themes="Thực hiện quy chế làm việc", team=[w["full"]])
    insp = services.inspection_create(user=user, plan=plan, title="Kiểm tra chi bộ", subject_unit=w["cell"],
                                      subject_cadre=cadre, start=dt.date(2026, 3, 2), end=dt.date(2026, 4, 30),
                                      kind=Inspection.SIGNS)
    services.inspection_start(user=user, inspection=insp, on=dt.date(2026, 3, 2))
    services.finding_add(user=user, inspection=insp, topic="Quản lý tài chính đảng", found_on=dt.date(2026, 3, 20),
                         severity="serious")
    return services.inspection_conclude(user=user, inspection=insp, on=on, conclusion="Có vi phạm", violation=True)


def _snapshot():
    return (ObjectChange.objects.count(), AuditEvent.objects.count(), Measure.objects.count(),
            Discipline.objects.count(), Recommendation.objects.count())


def test_plan_to_conclusion_to_reprimand_on_the_cadre_record(w):
    insp = _concluded(w, cadre=w["full"])
    m = services.measure_decide(user=w["inspector"], inspection=insp, measure="khien_trach",
                                act_date=dt.date(2025, 6, 1), decision_date=dt.date(2026, 5, 4),
                                reason="Vi phạm quy chế", decision_number="12-QĐ/UBKTTU")
    assert m.subject_kind == "full_member" and m.rule_set == "discipline-69-2022"
    assert m.limitation_until == dt.date(2030, 5, 31)
    d = Discipline.objects.get(cadre=w["full"])
    assert (d.measure, d.body, d.decision_number, m.discipline_id) == ("khien_trach", "party", "12-QĐ/UBKTTU", d.pk)


def test_removal_from_post_of_someone_without_a_post_is_refused(w):
    insp = _concluded(w)
    before = _snapshot()
    with pytest.raises(ValidationError, match="cách chức"):
        services.measure_decide(user=w["inspector"], inspection=insp, measure="cach_chuc", cadre=w["no_post"],
                                act_date=dt.date(2025, 6, 1), decision_date=dt.date(2026, 5, 4), reason="x")
    assert _snapshot() == before


def test_removal_from_post_of_a_member_holding_one_is_allowed(w):
    insp = _concluded(w)
    services.measure_decide(user=w["inspector"], inspection=insp, measure="cach_chuc", cadre=w["full"],
                            act_date=dt.date(2025, 6, 1), decision_date=dt.date(2026, 5, 4), reason="x")
    assert Discipline.objects.get(cadre=w["full"]).measure == "cach_chuc"


@pytest.mark.parametrize(("who", "measure"), [("full", "giai_tan"), ("probationary", "khai_tru"),
                                              ("probationary", "cach_chuc"), (None, "khai_tru"),
                                              (None, "cach_chuc")])
def test_a_measure_not_allowed_for_the_subject_is_refused(w, who, measure):
    insp = _concluded(w)
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.measure_decide(user=w["inspector"], inspection=insp, measure=measure,
                                cadre=w[who] if who else None, act_date=dt.date(2025, 6, 1),
                                decision_date=dt.date(2026, 5, 4), reason="x")
    assert "measure" in exc.value.message_dict
    assert _snapshot() == before


def test_dissolution_of_the_organization_is_allowed(w):
    insp = _concluded(w)
    m = services.measure_decide(user=w["inspector"], inspection=insp, measure="giai_tan", act_date=dt.date(2025, 1, 1),
                                decision_date=dt.date(2026, 5, 4), reason="Mất sức chiến đấu")
    assert m.subject_kind == "organization" and m.subject_unit == w["cell"] and m.discipline is None


def test_discipline_past_its_limitation_period_is_refused(w):
    insp = _concluded(w)
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.measure_decide(user=w["inspector"], inspection=insp, measure="khien_trach", cadre=w["full"],
                                act_date=dt.date(2021, 5, 4), decision_date=dt.date(2026, 5, 4), reason="x")
    assert "03/05/2026" in exc.value.message_dict["act_date"][0]
    assert _snapshot() == before


def test_discipline_before_the_conclusion_is_refused(w):
    user = w["inspector"]
    insp = services.inspection_create(user=user, commission=w["commission"], title="Giám sát", subject_unit=w["cell"],
                                      start=dt.date(2026, 3, 2), end=dt.date(2026, 4, 30),
                                      activity=Inspection.SUPERVISION)
    with pytest.raises(ValidationError):
        services.measure_decide(user=user, inspection=insp, measure="khien_trach", act_date=dt.date(2026, 1, 1),
                                decision_date=dt.date(2026, 5, 4), reason="x")


def test_a_recommendation_without_an_owner_is_refused(w):
    insp = _concluded(w)
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.recommendation_add(user=w["inspector"], inspection=insp, text="Khắc phục", due=dt.date(2026, 6, 30))
    assert "owner_unit" in exc.value.message_dict
    assert _snapshot() == before


def test_recommendation_followed_up_by_its_owner_until_done(w):
    insp = _concluded(w)
    r = services.recommendation_add(user=w["inspector"], inspection=insp, text="Khắc phục thu chi đảng phí",
                                    owner_unit=w["tree"]["00001"], due=dt.date(2026, 5, 30))
    assert r.is_overdue(dt.date(2026, 6, 1))
    owner = make_user("px-clerk", role="clerk", scopes=[w["tree"]["00001"]])
    assert restrict(Recommendation.objects.all(), owner).get() == r
    services.recommendation_report(user=owner, recommendation=r, status="done", on=dt.date(2026, 6, 2),
                                   result="Đã nộp đủ")
    r.refresh_from_db()
    assert r.status == "done" and not r.is_overdue(dt.date(2026, 7, 1))


def test_the_inspected_unit_sees_the_inspection_once_concluded(w):
    user = w["inspector"]
    ward = make_user("px-viewer", role="viewer", scopes=[w["tree"]["00001"]])
    insp = services.inspection_create(user=user, commission=w["commission"], title="Kiểm tra", subject_unit=w["cell"],
                                      start=dt.date(2026, 3, 2), end=dt.date(2026, 4, 30))
    services.inspection_start(user=user, inspection=insp, on=dt.date(2026, 3, 2))
    assert not selectors.inspections_for(ward).exists()
    services.inspection_conclude(user=user, inspection=insp, on=dt.date(2026, 4, 2), conclusion="Tốt")
    assert list(selectors.inspections_for(ward)) == [insp]
    assert not selectors.inspections_for(ward, "inspect").exists()


def test_every_unit_a_write_touches_must_lie_in_the_scope(w):
    hcm = make_user("hcm-inspector", role="inspector", scopes=[w["tree"]["79"]])
    ward_inspector = make_user("px-inspector", role="inspector", scopes=[w["tree"]["00001"]])
    for user in (hcm, ward_inspector):  # the commission, or the inspected unit, lies outside
        with pytest.raises(PermissionDenied):
            services.inspection_create(user=user, commission=w["commission"], title="x", subject_unit=w["cell"],
                                       start=dt.date(2026, 3, 2), end=dt.date(2026, 4, 30))
    clerk = make_user("hn-clerk", role="clerk", scopes=[w["tree"]["01"]])  # no "inspect" action
    with pytest.raises(PermissionDenied):
        services.inspection_create(user=clerk, commission=w["commission"], title="x", subject_unit=w["cell"],
                                   start=dt.date(2026, 3, 2), end=dt.date(2026, 4, 30))
    insp = _concluded(w)
    with pytest.raises(PermissionDenied):  # an owner in another province
        services.recommendation_add(user=w["inspector"], inspection=insp, text="x", owner_unit=w["tree"]["26734"],
                                    due=dt.date(2026, 6, 30))


def test_year_counts_and_early_warning_on_repeated_findings(w):
    _concluded(w, on=dt.date(2026, 4, 20))
    _concluded(w, on=dt.date(2026, 4, 25))
    u = w["inspector"]
    counts = selectors.year_counts(selectors.inspections_for(u), selectors.recommendations_for(u), 2026)
    assert (counts["inspection"], counts["concluded"], counts["violations"]) == (2, 2, 2)
    warnings = selectors.early_warning(w["inspector"], on=dt.date(2026, 5, 1))
    cell = [x for x in warnings if x.unit == w["cell"]]
    assert cell and cell[0].repeated_findings == 2 and "Quản lý tài chính đảng" in cell[0].topics
