"""Party members follow their organization through a restructuring (the successor protocol).

When a plan's operations end a party organization (a merger, a split, an absorption), every
membership open in it ends on the effective date (``end_reason="merger"``) and a new one
starts that day in its primary successor: the history keeps both rows.  A member's current
organization follows.  Validate counts the members that move (info) and refuses a dissolved
organization without a successor that still has members.  Revert deletes the new rows and
reopens the old ones.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from tinhgon.core.successors import Ending, Finding, chunks, primary_targets

from .models import Membership, PartyMember


class PartyMemberHandler:
    name = "party"

    def _open(self, unit_ids: list[int], date: dt.date):
        return Membership.objects.filter(organization_id__in=unit_ids, valid_to__isnull=True, valid_from__lt=date)

    def validate(self, *, date: dt.date, endings: list[Ending]) -> list[Finding]:
        by_unit = {e.unit_id: e for e in endings}
        counts: dict[int, int] = {}
        for ids in chunks(list(by_unit)):
            for r in self._open(ids, date).values("organization_id").annotate(n=Count("id")).order_by():
                counts[r["organization_id"]] = r["n"]
        out = []
        for unit_id, n in sorted(counts.items(), key=lambda kv: by_unit[kv[0]].path):
            e = by_unit[unit_id]
            target = e.primary()
            if target is None:
                out.append(Finding(
                    code="party_members_without_successor", units=(e.code,), severity="error",
                    message_vi=f"{e.name} ({e.code}) bị giải thể không có tổ chức đảng kế thừa nhưng còn {n} "
                               f"đảng viên sinh hoạt: cần chuyển sinh hoạt trước.",
                    message_en=f"{e.name} ({e.code}) is dissolved without a successor but still has {n} party "
                               f"members: transfer them first.",
                    data={"members": n}))
            else:
                out.append(Finding(
                    code="party_members_to_move", units=(e.code, target.code), severity="info",
                    message_vi=f"{n} đảng viên của {e.name} ({e.code}) chuyển sinh hoạt sang {target.code}; "
                               f"quá trình sinh hoạt được giữ nguyên.",
                    message_en=f"{n} party members of {e.name} ({e.code}) move to {target.code}; their membership "
                               f"history is kept.",
                    data={"members": n, "successor": target.code}))
        return out

    def apply(self, *, date: dt.date, endings: list[Ending]) -> dict:
        from tinhgon.apparatus.models import Unit

        target = primary_targets(endings)
        paths = dict(Unit.objects.filter(pk__in=set(target.values())).values_list("id", "path"))
        ended: list[list] = []   # [membership id, old end reason]
        created: list[int] = []
        members: list[list] = []  # [member id, old organization id, old path]
        for ids in chunks(list(target)):
            rows = list(self._open(ids, date).values_list("id", "member_id", "organization_id", "path"))
            if not rows:
                continue
            for part in chunks([r[0] for r in rows]):
                Membership.objects.filter(pk__in=part).update(valid_to=date, end_reason="merger")
            ended.extend([[r[0], ""] for r in rows])
            new = [Membership(member_id=m, organization_id=target[o], path=paths[target[o]], valid_from=date,
                              start_reason="merger") for _id, m, o, _p in rows]
            created.extend(x.pk for x in Membership.objects.bulk_create(new, batch_size=900))
            by_target: dict[int, list[int]] = {}
            for _id, m, o, p in rows:
                members.append([m, o, p])
                by_target.setdefault(target[o], []).append(m)
            for unit_id, pks in by_target.items():
                for part in chunks(pks):
                    PartyMember.objects.filter(pk__in=part, left_on__isnull=True).update(
                        organization_id=unit_id, organization_path=paths[unit_id])
        return {"ended": ended, "created": created, "members": members}

    def revert(self, *, date: dt.date, payload: dict) -> None:
        for part in chunks(payload.get("created", [])):
            Membership.objects.filter(pk__in=part).delete()
        for part in chunks([r[0] for r in payload.get("ended", [])]):
            Membership.objects.filter(pk__in=part).update(valid_to=None, end_reason="")
        for member_id, org_id, path in payload.get("members", []):
            PartyMember.objects.filter(pk=member_id).update(organization_id=org_id, organization_path=path)
