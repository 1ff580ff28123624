"""Task services: the six clears, the lifecycle, and every bad input of the issue (nothing written)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhgon.core.models import AuditEvent
from tinhgon.tasks import services
from tinhgon.tasks.models import Notification, Task, TaskEvent

from .factories import full_task

pytestmark = pytest.mark.django_db


def _counts():
    return (Task.objects.count(), TaskEvent.objects.count(), AuditEvent.objects.count())


def _refused(call, field=None):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        call()
    assert _counts() == before
    if field:
        assert field in exc.value.message_dict, exc.value.message_dict
    return exc.value


def test_defaults_to_the_head_of_the_lead_unit(world):
    t = services.task_create(program=world.program, title="Việc")
    assert t.assignee == world.head and t.leader == world.head
    assert t.status == Task.DRAFT and t.lead_unit == world.hn and t.lead_path == world.hn.path


def test_issue_lists_each_missing_clear_by_name(world):
    from tinhgon.cadres.models import Assignment

    Assignment.objects.filter(cadre=world.head).delete()  # no head: nobody by default
    t = services.task_create(program=world.program, title="Việc")
    with pytest.raises(services.MissingClears) as exc:
        services.task_issue(task=t)
    assert exc.value.missing == ["person", "work", "time", "responsibility", "product", "authority"]
    assert len(exc.value.message_dict["missing_clears"]) == 6
    t.refresh_from_db()
    assert t.status == Task.DRAFT and t.events.count() == 1


def test_issue_then_the_whole_lifecycle(world, hn_clerk, hn_leader):
    t = full_task(world)
    t = services.task_issue(user=hn_clerk, task=t, on=dt.date(2026, 1, 6))
    assert t.status == Task.ISSUED and t.issued_on == dt.date(2026, 1, 6)
    services.task_report(user=hn_clerk, task=t, progress=40, note="Đã thu thập số liệu", on=dt.date(2026, 2, 1))
    services.task_extension_request(user=hn_clerk, task=t, to=dt.date(2026, 3, 31), reason="Chờ số liệu",
                                    on=dt.date(2026, 3, 1))
    t = services.task_extension_decide(user=hn_leader, task=t, approve=True, on=dt.date(2026, 3, 2))
    assert t.deadline == dt.date(2026, 3, 25) and t.due == dt.date(2026, 3, 31)
    services.task_submit(user=hn_clerk, task=t, product_note="Báo cáo số 12-BC/VP", on=dt.date(2026, 3, 28))
    t = services.task_return(user=hn_leader, task=t, reason="Thiếu phụ lục", on=dt.date(2026, 3, 29))
    assert t.status == Task.RETURNED
    services.task_submit(user=hn_clerk, task=t, product_note="Báo cáo số 12-BC/VP (bổ sung)", on=dt.date(2026, 3, 30))
    t = services.task_accept(user=hn_leader, task=t, grade=Task.EXCEEDED, on=dt.date(2026, 3, 31))
    assert t.status == Task.ACCEPTED and t.grade == Task.EXCEEDED and t.submitted_on == dt.date(2026, 3, 30)
    kinds = list(t.events.order_by("id").values_list("kind", flat=True))
    assert kinds == ["created", "issued", "reported", "extension_requested", "extension_approved", "submitted",
                     "returned", "submitted", "accepted"]


def test_deadline_before_start(world):
    _refused(lambda: full_task(world, start=dt.date(2026, 3, 1), deadline=dt.date(2026, 2, 1)), "deadline")


def test_authority_lacking_the_power(world):
    _refused(lambda: full_task(world, authority_power=world.power_elsewhere), "authority_power")


def test_authority_power_ended_before_the_deadline(world):
    from tinhgon.apparatus.models import PowerHolding

    PowerHolding.objects.filter(unit=world.hn).update(valid_to=dt.date(2026, 2, 1))
    _refused(lambda: full_task(world), "authority_power")


def test_assignee_outside_the_lead_unit(world):
    _refused(lambda: full_task(world, assignee=world.outsider), "assignee")


def test_sub_task_due_after_its_parent(world):
    parent = full_task(world)
    _refused(lambda: full_task(world, parent=parent, deadline=dt.date(2026, 4, 30)), "deadline")


def test_cycle_of_sub_tasks(world):
    a = full_task(world, title="A")
    b = full_task(world, title="B", parent=a)
    _refused(lambda: services.task_update(task=a, parent=b), "parent")
    _refused(lambda: services.task_update(task=a, parent=a), "parent")
    a.refresh_from_db()
    assert a.parent_id is None


def test_accepting_without_a_product(world, hn_leader):
    t = services.task_issue(task=full_task(world))
    _refused(lambda: services.task_accept(user=hn_leader, task=t), "status")
    _refused(lambda: services.task_submit(task=t, product_note="  "), "product_note")


def test_editing_after_acceptance(world):
    t = services.task_issue(task=full_task(world), on=dt.date(2026, 1, 6))
    services.task_submit(task=t, product_note="Báo cáo", on=dt.date(2026, 3, 1))
    services.task_accept(task=t, on=dt.date(2026, 3, 2))
    _refused(lambda: services.task_update(task=t, title="Khác"), "status")
    _refused(lambda: services.task_report(task=t, progress=10, note="x"), "status")
    _refused(lambda: services.task_cancel(task=t, reason="x"), "status")


def test_issued_deadline_moves_only_by_extension(world):
    t = services.task_issue(task=full_task(world))
    _refused(lambda: services.task_update(task=t, deadline=dt.date(2026, 3, 30)), "deadline")


def test_cancel_needs_a_reason(world):
    t = services.task_issue(task=full_task(world))
    _refused(lambda: services.task_cancel(task=t, reason=""), "reason")
    t = services.task_cancel(task=t, reason="Không còn phù hợp")
    assert t.status == Task.CANCELLED and t.cancelled_on


def test_scope_change_only_through_the_lead_unit(world, hcm_clerk, hn_clerk):
    with pytest.raises(PermissionDenied):
        full_task(world, user=hcm_clerk)
    t = full_task(world, user=hn_clerk)
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.task_issue(user=hcm_clerk, task=t)
    assert _counts() == before


def test_accept_only_through_the_authority(world, hn_clerk):
    from tinhgon.accounts.tests.factories import make_user

    t = services.task_issue(task=full_task(world, authority_unit=world.hn))
    services.task_submit(task=t, product_note="Báo cáo")
    hcm_leader = make_user("hcm-leader", role="leader", scopes=[world.tree["79"]])
    for user in (hn_clerk, hcm_leader):  # a clerk may not approve; a leader elsewhere is outside
        with pytest.raises(PermissionDenied):
            services.task_accept(user=user, task=t)


def test_notification_to_a_linked_assignee(world, hn_clerk, mailoutbox, django_capture_on_commit_callbacks):
    from tinhgon.accounts.tests.factories import make_user

    u = make_user("chuyen", role="clerk", scopes=[world.hn], email="chuyen@example.org")
    world.specialist.user = u
    world.specialist.save()
    t = full_task(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.task_issue(task=t)
    n = Notification.objects.get(user=u)
    assert t.title in n.message
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["chuyen@example.org"]


def test_report_with_an_attachment(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    t = services.task_issue(task=full_task(world), on=dt.date(2026, 1, 6))
    ev = services.task_report(task=t, progress=30, note="Đã họp tổ soạn thảo", on=dt.date(2026, 1, 20),
                              attachment=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test"))
    assert ev.attachment.name.startswith("tasks/reports/") and ev.progress == 30
    t.refresh_from_db()
    assert t.status == Task.IN_PROGRESS and t.progress == 30
    _refused(lambda: services.task_report(task=t, progress=130, note="x"), "progress")
    _refused(lambda: services.task_report(task=t, progress=40, note="x", on=dt.date(2026, 1, 10)), "on")


def test_units_a_task_names_must_be_in_scope_or_above_its_lead(world):
    """A task shows in every unit it names: a Ba Đình clerk may name Hà Nội (above Ba Đình) as the
    authority, not Hồ Chí Minh City as a coordinating unit or as the authority."""
    from tinhgon.accounts.tests.factories import make_user

    bd_clerk = make_user("bd-clerk", role="clerk", scopes=[world.ba_dinh])
    hcm = world.tree["79"]
    world.program = services.program_create(unit=world.ba_dinh, title="Chương trình Ba Đình 2026", year=2026)
    t = full_task(world, user=bd_clerk, lead_unit=world.ba_dinh, assignee=None, leader=None,
                  authority_unit=world.hn)
    assert t.authority_unit == world.hn
    before = _counts()
    for over in ({"coordinating_units": [hcm]}, {"authority_unit": hcm}):
        with pytest.raises(PermissionDenied) as exc:
            full_task(world, user=bd_clerk, lead_unit=world.ba_dinh, assignee=None, leader=None, **over)
        assert hcm.code in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.task_update(user=bd_clerk, task=t, coordinating_units=[hcm])
    with pytest.raises(PermissionDenied):
        services.task_update(user=bd_clerk, task=t, authority_unit=hcm)
    assert _counts() == before
    assert not t.coordinating_units.exists()
