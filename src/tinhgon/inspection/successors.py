"""Inspections and recommendations follow their unit through a restructuring (the successor
protocol).

Open inspections (planned, in progress) of an ending inspected unit move to its primary
successor; so do open recommendations an ending unit owns.  Concluded inspections stay with
the unit that was inspected (history is not rewritten).  Validate counts what moves (info)
and refuses a dissolved unit without a successor that still has open ones.  Revert undoes
exactly that.
"""

from __future__ import annotations

from tinhgon.core.successors import Ending, Finding, OpenRowsFollowUnit, Successor

from .models import Inspection, Recommendation


class _Inspected(OpenRowsFollowUnit):
    name = "inspections.inspected"
    unit_field, path_field = "subject_unit", "subject_path"

    def open_rows(self):
        return Inspection.objects.filter(status__in=Inspection.OPEN)

    def orphans(self, e: Ending, n: int) -> Finding:
        return Finding(
            code="inspections_without_successor", units=(e.code,), severity="error",
            message_vi=f"{e.name} ({e.code}) bị giải thể không có đơn vị kế thừa nhưng còn {n} cuộc kiểm tra, "
                       f"giám sát đang tiến hành: cần kết thúc hoặc hủy trước.",
            message_en=f"{e.name} ({e.code}) is dissolved without a successor but still has {n} open inspections "
                       f"or supervisions: conclude or cancel them first.",
            data={"inspections": n})

    def moves(self, e: Ending, target: Successor, n: int) -> Finding:
        return Finding(
            code="inspections_to_move", units=(e.code, target.code), severity="info",
            message_vi=f"{n} cuộc kiểm tra, giám sát đang mở đối với {e.name} ({e.code}) chuyển sang đơn vị "
                       f"{target.code}.",
            message_en=f"{n} open inspections or supervisions of {e.name} ({e.code}) move to unit {target.code}.",
            data={"inspections": n, "successor": target.code})


class _Commission(OpenRowsFollowUnit):
    """Open inspections held by an ending commission go to the commission's successor."""

    name = "inspections.held"
    unit_field, path_field = "commission", "commission_path"

    def open_rows(self):
        return Inspection.objects.filter(status__in=Inspection.OPEN)

    def orphans(self, e: Ending, n: int) -> Finding:
        return Finding(
            code="held_inspections_without_successor", units=(e.code,), severity="error",
            message_vi=f"{e.name} ({e.code}) bị giải thể không có đơn vị kế thừa nhưng còn chủ trì {n} cuộc kiểm "
                       f"tra, giám sát đang mở.",
            message_en=f"{e.name} ({e.code}) is dissolved without a successor but still holds {n} open "
                       f"inspections or supervisions.",
            data={"inspections": n})

    def moves(self, e: Ending, target: Successor, n: int) -> Finding:
        return Finding(
            code="held_inspections_to_move", units=(e.code, target.code), severity="info",
            message_vi=f"{n} cuộc kiểm tra, giám sát do {e.name} ({e.code}) chủ trì chuyển sang {target.code}.",
            message_en=f"{n} open inspections or supervisions held by {e.name} ({e.code}) move to {target.code}.",
            data={"inspections": n, "successor": target.code})


class _Owner(OpenRowsFollowUnit):
    name = "inspections.recommendations"
    unit_field, path_field = "owner_unit", "owner_path"

    def open_rows(self):
        return Recommendation.objects.filter(status=Recommendation.OPEN)

    def orphans(self, e: Ending, n: int) -> Finding:
        return Finding(
            code="recommendations_without_successor", units=(e.code,), severity="error",
            message_vi=f"{e.name} ({e.code}) bị giải thể không có đơn vị kế thừa nhưng còn {n} kiến nghị sau "
                       f"kiểm tra chưa thực hiện: cần giao lại trước.",
            message_en=f"{e.name} ({e.code}) is dissolved without a successor but still owns {n} open "
                       f"recommendations: reassign them first.",
            data={"recommendations": n})

    def moves(self, e: Ending, target: Successor, n: int) -> Finding:
        return Finding(
            code="recommendations_to_move", units=(e.code, target.code), severity="info",
            message_vi=f"{n} kiến nghị chưa thực hiện của {e.name} ({e.code}) chuyển sang đơn vị {target.code}, "
                       f"giữ nguyên thời hạn.",
            message_en=f"{n} open recommendations of {e.name} ({e.code}) move to unit {target.code} with their "
                       f"deadlines unchanged.",
            data={"recommendations": n, "successor": target.code})


class InspectionHandler:
    """One handler for the three relations: the inspected unit, the commission, a recommendation's owner."""

    name = "inspections"
    parts = {"inspected": _Inspected(), "held": _Commission(), "recommendations": _Owner()}

    def validate(self, *, date, endings):
        return [f for part in self.parts.values() for f in part.validate(date=date, endings=endings)]

    def apply(self, *, date, endings):
        return {key: part.apply(date=date, endings=endings) for key, part in self.parts.items()}

    def revert(self, *, date, payload):
        for key, part in self.parts.items():
            if key in (payload or {}):
                part.revert(date=date, payload=payload[key])
