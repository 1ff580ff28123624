"""Tasks follow their lead unit through a restructuring (the successor protocol).

Validate: how many open tasks each ending unit leads (info), and an error when a dissolved
unit (no successor) still leads open tasks.  Apply: open tasks (issued, in progress,
submitted, returned — drafts too) of an ending unit move to its primary successor, lead
and coordinating roles alike; their assignees are flagged for review (the person may not
hold a post in the new unit).  Closed tasks stay with the unit that did them: the
accounting reaches them through the lineage.  Revert undoes exactly that.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from tinhgon.core.successors import Ending, Finding

from .models import Task

CHUNK = 900
MOVABLE = (Task.DRAFT, *Task.OPEN)


def _chunks(items: list, n: int = CHUNK):
    for i in range(0, len(items), n):
        yield items[i : i + n]


class TaskHandler:
    name = "tasks"

    def validate(self, *, date: dt.date, endings: list[Ending]) -> list[Finding]:
        by_unit = {e.unit_id: e for e in endings}
        counts: dict[int, int] = {}
        for ids in _chunks(list(by_unit)):
            rows = (Task.objects.filter(lead_unit_id__in=ids, status__in=MOVABLE).values("lead_unit_id")
                    .annotate(n=Count("id")).order_by())
            counts.update({r["lead_unit_id"]: r["n"] for r in rows})
        findings = []
        for unit_id, n in sorted(counts.items(), key=lambda kv: by_unit[kv[0]].path):
            e = by_unit[unit_id]
            target = e.primary()
            if target is None:
                findings.append(Finding(
                    code="tasks_without_successor", units=(e.code,), severity="error",
                    message_vi=f"{e.name} ({e.code}) bị giải thể không có đơn vị kế thừa nhưng còn chủ trì {n} "
                               f"nhiệm vụ chưa hoàn thành: cần giao lại trước.",
                    message_en=f"{e.name} ({e.code}) is dissolved without a successor but still leads {n} open "
                               f"tasks: reassign them first.",
                    data={"tasks": n}))
                continue
            findings.append(Finding(
                code="tasks_to_move", units=(e.code, target.code), severity="info",
                message_vi=f"{n} nhiệm vụ chưa hoàn thành của {e.name} ({e.code}) chuyển sang đơn vị {target.code}; "
                           f"người thực hiện cần được rà soát.",
                message_en=f"{n} open tasks of {e.name} ({e.code}) move to unit {target.code}; their assignees "
                           f"are flagged for review.",
                data={"tasks": n, "successor": target.code}))
        return findings

    def apply(self, *, date: dt.date, endings: list[Ending]) -> dict:
        from tinhgon.apparatus.models import Unit

        target: dict[int, int] = {}
        for e in endings:
            p = e.primary()
            if p is not None and p.unit_id is not None:
                target[e.unit_id] = p.unit_id
        paths = dict(Unit.objects.filter(pk__in=set(target.values())).values_list("id", "path"))
        lead: list[list] = []
        for ids in _chunks(list(target)):
            rows = list(Task.objects.filter(lead_unit_id__in=ids, status__in=MOVABLE)
                        .values_list("id", "lead_unit_id", "lead_path", "assignee_review"))
            for pk, unit_id, path, review in rows:
                lead.append([pk, unit_id, path, review])
            by_target: dict[int, list[int]] = {}
            for pk, unit_id, _p, _r in rows:
                by_target.setdefault(target[unit_id], []).append(pk)
            for new_unit, pks in by_target.items():
                for part in _chunks(pks):
                    Task.objects.filter(pk__in=part).update(lead_unit_id=new_unit, lead_path=paths[new_unit],
                                                            assignee_review=True)
        coordinating: list[list] = []  # [task, old unit, whether the successor was added]
        through = Task.coordinating_units.through
        for ids in _chunks(list(target)):
            rows = list(through.objects.filter(unit_id__in=ids, task__status__in=MOVABLE)
                        .values_list("task_id", "unit_id"))
            tasks = {t.pk: t for t in Task.objects.filter(pk__in={r[0] for r in rows})}
            for task_id, unit_id in rows:
                task, new_unit = tasks[task_id], target[unit_id]
                task.coordinating_units.remove(unit_id)
                added = not task.coordinating_units.filter(pk=new_unit).exists() and new_unit != task.lead_unit_id
                if added:
                    task.coordinating_units.add(new_unit)
                coordinating.append([task_id, unit_id, new_unit if added else None])
        return {"lead": lead, "coordinating": coordinating}

    def revert(self, *, date: dt.date, payload: dict) -> None:
        for pk, unit_id, path, review in payload.get("lead", []):
            Task.objects.filter(pk=pk).update(lead_unit_id=unit_id, lead_path=path, assignee_review=review)
        for task_id, unit_id, added in payload.get("coordinating", []):
            task = Task.objects.filter(pk=task_id).first()
            if task is None:
                continue
            if added:
                task.coordinating_units.remove(added)
            task.coordinating_units.add(unit_id)
