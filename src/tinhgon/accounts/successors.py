"""User scopes follow their unit through a restructuring (the successor protocol)."""

from __future__ import annotations

import datetime as dt

from tinhgon.core.bulk import chunked_in
from tinhgon.core.successors import Ending, Finding

from .models import UserScope


class UserScopeHandler:
    name = "accounts.scopes"

    def validate(self, *, date: dt.date, endings: list[Ending]) -> list[Finding]:
        dissolved = {e.unit_id: e for e in endings if e.dissolved}
        if not dissolved:
            return []
        findings = []
        rows = chunked_in(UserScope.objects.values_list("user_id", "user__username", "unit_id"), "unit_id", dissolved)
        for user_id, username, unit_id in rows:
            others = bool(set(UserScope.objects.filter(user_id=user_id).values_list("unit_id", flat=True))
                          - set(dissolved))
            e = dissolved[unit_id]
            if not others:
                findings.append(Finding(
                    code="scope_without_successor", units=(e.code,), severity="error",
                    message_vi=f"Người dùng {username} chỉ có phạm vi là {e.name} ({e.code}), đơn vị bị giải thể "
                               "không có đơn vị kế thừa: cần giao phạm vi mới.",
                    message_en=f"User {username}'s only scope is {e.name} ({e.code}), dissolved without a successor: "
                               "give the user a successor scope.",
                    data={"user": username},
                ))
        return findings

    def apply(self, *, date: dt.date, endings: list[Ending]) -> dict:
        by_unit = {e.unit_id: e for e in endings if e.successors}
        removed, created = [], []
        for scope in chunked_in(UserScope.objects.all(), "unit_id", by_unit):
            targets = {s.unit_id for s in by_unit[scope.unit_id].successors if s.unit_id}
            have = set(UserScope.objects.filter(user_id=scope.user_id).values_list("unit_id", flat=True))
            for t in sorted(targets - have):
                created.append(UserScope.objects.create(user_id=scope.user_id, unit_id=t,
                                                        note=f"kế thừa từ {scope.unit_id}").pk)
            removed.append([scope.user_id, scope.unit_id, scope.note])
            scope.delete()
        return {"removed": removed, "created": created}

    def revert(self, *, date: dt.date, payload: dict) -> None:
        UserScope.objects.filter(pk__in=payload.get("created", [])).delete()
        for user_id, unit_id, note in payload.get("removed", []):
            UserScope.objects.get_or_create(user_id=user_id, unit_id=unit_id, defaults={"note": note})
