"""Party members follow their organization through a restructuring (the successor protocol).

When a plan's operations end a party organization into another one (a merger, a split, an
absorption), every membership open in it ends on the effective date (``end_reason="merger"``)
and a new one starts that day in its primary successor: the history keeps both rows.  When
the organization itself lives on (the same code in a new version: renamed or moved with its
commune) the open memberships follow the new version in place.  A member's current
organization follows.  Validate counts the members that move (info), refuses a dissolved
organization without a successor that still has members, and tells how many members the
party organizations below an ending unit hold (their organizations follow it).  Revert
deletes the new rows and restores the old ones.
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
        for e in sorted(endings, key=lambda e: e.path):
            if e.unit_id in counts:
                continue
            below = (Membership.objects.filter(valid_to__isnull=True, path__startswith=e.path, valid_from__lt=date)
                     .exclude(organization_id=e.unit_id).count())
            if below:
                out.append(Finding(
                    code="party_members_below", units=(e.code,), severity="info",
                    message_vi=f"Các tổ chức đảng trực thuộc {e.name} ({e.code}) có {below} đảng viên; tổ chức "
                               f"đảng đi theo đơn vị, đảng viên đi theo tổ chức đảng của mình.",
                    message_en=f"The party organizations under {e.name} ({e.code}) have {below} members; the "
                               f"organizations follow the unit and the members their organization.",
                    data={"members": below}))
        return out

    def apply(self, *, date: dt.date, endings: list[Ending]) -> dict:
        from tinhgon.apparatus.models import Unit

        target = primary_targets(endings)
        same_code = {e.unit_id for e in endings if e.continues}
        paths = dict(Unit.objects.filter(pk__in=set(target.values())).values_list("id", "path"))
        ended: list[int] = []     # memberships closed by a merger
        followed: list[list] = []  # [membership id, old organization id, old path]: followed in place
        created: list[int] = []
        members: list[list] = []  # [member id, old organization id, old path]
        for ids in chunks(list(target)):
            rows = list(self._open(ids, date).values_list("id", "member_id", "organization_id", "path"))
            if not rows:
                continue
            moved = [r for r in rows if r[2] not in same_code]
            kept = [r for r in rows if r[2] in same_code]
            for part in chunks([r[0] for r in moved]):
                Membership.objects.filter(pk__in=part).update(valid_to=date, end_reason="merger")
            ended.extend(r[0] for r in moved)
            new = [Membership(member_id=m, organization_id=target[o], path=paths[target[o]], valid_from=date,
                              start_reason="merger") for _id, m, o, _p in moved]
            created.extend(x.pk for x in Membership.objects.bulk_create(new, batch_size=900))
            by_target: dict[int, list[int]] = {}
            for pk, _m, o, p in kept:
                followed.append([pk, o, p])
                by_target.setdefault(target[o], []).append(pk)
            for unit_id, pks in by_target.items():
                for part in chunks(pks):
                    Membership.objects.filter(pk__in=part).update(organization_id=unit_id, path=paths[unit_id])
            by_target = {}
            for _id, m, o, p in rows:
                members.append([m, o, p])
                by_target.setdefault(target[o], []).append(m)
            for unit_id, pks in by_target.items():
                for part in chunks(pks):
                    PartyMember.objects.filter(pk__in=part, left_on__isnull=True).update(
                        organization_id=unit_id, organization_path=paths[unit_id])
        return {"ended": ended, "followed": followed, "created": created, "members": members}

    def revert(self, *, date: dt.date, payload: dict) -> None:
        for part in chunks(payload.get("created", [])):
            Membership.objects.filter(pk__in=part).delete()
        for part in chunks(payload.get("ended", [])):
            Membership.objects.filter(pk__in=part).update(valid_to=None, end_reason="")
        for pk, org_id, path in payload.get("followed", []):
            Membership.objects.filter(pk=pk).update(organization_id=org_id, path=path)
        for member_id, org_id, path in payload.get("members", []):
            PartyMember.objects.filter(pk=member_id).update(organization_id=org_id, organization_path=path)
