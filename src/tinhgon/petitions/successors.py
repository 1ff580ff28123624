"""Petitions follow their handling unit through a restructuring (the successor protocol).

Validate: how many open matters each ending unit handles (info), and an error when a unit
dissolved without a successor still handles open matters.  Apply: open matters (received,
accepted, verifying) move to the primary successor with their deadlines unchanged; the
place stays the unit where the matter arose (the report reaches it through the lineage).
Revert undoes exactly that.
"""

from __future__ import annotations

from tinhgon.core.successors import Ending, Finding, OpenRowsFollowUnit, Successor

from .models import Petition


class PetitionHandler(OpenRowsFollowUnit):
    name = "petitions"
    unit_field, path_field = "handling_unit", "handling_path"

    def open_rows(self):
        return Petition.objects.filter(status__in=Petition.OPEN)

    def orphans(self, e: Ending, n: int) -> Finding:
        return Finding(
            code="petitions_without_successor", units=(e.code,), severity="error",
            message_vi=f"{e.name} ({e.code}) bị giải thể không có đơn vị kế thừa nhưng còn {n} đơn thư "
                       f"đang giải quyết: cần chuyển trước.",
            message_en=f"{e.name} ({e.code}) is dissolved without a successor but still handles {n} open "
                       f"petitions: move them first.",
            data={"petitions": n})

    def moves(self, e: Ending, target: Successor, n: int) -> Finding:
        return Finding(
            code="petitions_to_move", units=(e.code, target.code), severity="info",
            message_vi=f"{n} đơn thư đang giải quyết của {e.name} ({e.code}) chuyển sang đơn vị {target.code}, "
                       f"giữ nguyên thời hạn.",
            message_en=f"{n} open petitions of {e.name} ({e.code}) move to unit {target.code} with their "
                       f"deadlines unchanged.",
            data={"petitions": n, "successor": target.code})
