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

from tinhgon.core.successors import (
    Ending,
    Finding,
    OpenRowsFollowUnit,
    Successor,
    chunks,
    primary_targets,
)

from .models import Task

MOVABLE = (Task.DRAFT, *Task.OPEN)


class TaskHandler(OpenRowsFollowUnit):
    name = "tasks"
    unit_field, path_field = "lead_unit", "lead_path"
    flag = {"assignee_review": True}  # the person may hold no post in the new unit

    def open_rows(self):
        return Task.objects.filter(status__in=MOVABLE)

    def orphans(self, e: Ending, n: int) -> Finding:
        return Finding(
            code="tasks_without_successor", units=(e.code,), severity="error",
            message_vi=f"{e.name} ({e.code}) bị giải thể không có đơn vị kế thừa nhưng còn chủ trì {n} "
                       f"nhiệm vụ chưa hoàn thành: cần giao lại trước.",
            message_en=f"{e.name} ({e.code}) is dissolved without a successor but still leads {n} open "
                       f"tasks: reassign them first.",
            data={"tasks": n})

    def moves(self, e: Ending, target: Successor, n: int) -> Finding:
        return Finding(
            code="tasks_to_move", units=(e.code, target.code), severity="info",
            message_vi=f"{n} nhiệm vụ chưa hoàn thành của {e.name} ({e.code}) chuyển sang đơn vị {target.code}; "
                       f"người thực hiện cần được rà soát.",
            message_en=f"{n} open tasks of {e.name} ({e.code}) move to unit {target.code}; their assignees "
                       f"are flagged for review.",
            data={"tasks": n, "successor": target.code})

    def apply(self, *, date: dt.date, endings: list[Ending]) -> dict:
        payload = super().apply(date=date, endings=endings)  # the lead role
        target = primary_targets(endings)
        coordinating: list[list] = []  # [task, old unit, the successor if it was added]
        through = Task.coordinating_units.through
        for ids in chunks(list(target)):
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
        return {**payload, "coordinating": coordinating}

    def revert(self, *, date: dt.date, payload: dict) -> None:
        super().revert(date=date, payload=payload)
        for task_id, unit_id, added in payload.get("coordinating", []):
            task = Task.objects.filter(pk=task_id).first()
            if task is None:
                continue
            if added:
                task.coordinating_units.remove(added)
            task.coordinating_units.add(unit_id)
