"""The generator: seeded, realistic, consistent with the accounting."""

import datetime as dt

import pytest
from django.core.management import call_command

from tinhgon.cadres.tests.factories import CadreFactory
from tinhgon.tasks import rules, selectors
from tinhgon.tasks.models import Program, Task, TaskEvent

pytestmark = pytest.mark.django_db


def test_generate_tasks_is_seeded_and_idempotent(tree):
    for i in range(5):
        CadreFactory(full_name=f"Cán bộ {i}", unit=tree["00001" if i % 2 else "01"])
    call_command("generate_tasks", "--count", "120", "--seed", "3", "--today", "2026-06-30", verbosity=0)
    assert Task.objects.count() == 120 and Program.objects.count() == 2
    statuses = set(Task.objects.values_list("status", flat=True))
    assert {Task.ACCEPTED, Task.IN_PROGRESS} <= statuses or {Task.ACCEPTED, Task.ISSUED} <= statuses
    assert TaskEvent.objects.filter(kind=TaskEvent.ISSUED).count() == Task.objects.exclude(status="draft").count()
    call_command("generate_tasks", "--count", "120", "--seed", "3", verbosity=0)
    assert Task.objects.count() == 120
    counts = selectors.accounting(Task.objects.all(), rules.period_of("2026"), dt.date(2026, 6, 30))[0]
    assert counts.assigned > 0 and counts.on_time > 0
