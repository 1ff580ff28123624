"""Every write of citizen petitions.

Keyword-only ``<entity>_<verb>`` functions inside ``transaction.atomic``; each checks the
acting user's scope over every unit it touches (``user=None`` is the system: commands, the
generator, a restructuring), validates everything before writing anything, writes one
dated :class:`PetitionEvent` per business action and one audit event — never a
petitioner's name (a denouncer's identity stays out of the events, the audit and the log).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.core.audit import audit_event
from tinhgon.core.dated import valid_on
from tinhgon.core.rulesets import NoRuleSet, rule_set_for
from tinhgon.core.scoping import in_scope, require_scope
from tinhgon.core.text import fold

from . import rules
from .models import (
    CHANNELS,
    SUBJECTS,
    Contact,
    DaySwap,
    DialogueSession,
    HotSpot,
    IdentityAccess,
    Petition,
    Petitioner,
    PetitionEvent,
    ReceptionSession,
    RemoteArea,
)
from .rulesets import DEADLINES, ROUTING


def _today() -> dt.date:
    return timezone.localdate()


def _err(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


# Calendar, remote areas, places, routing ---------------------------------------------------------


def calendar() -> rules.Calendar:
    """Working days with the administrator's day swaps."""
    return rules.Calendar.of(DaySwap.objects.values_list("day_off", "work_day"))


def unit_codes_on_path(unit) -> list[str]:
    return [c for c in unit.path.split("/") if c]


def is_remote(unit, on: dt.date) -> bool:
    """Whether ``unit`` (or a unit above it) is listed as a remote, difficult area on ``on``."""
    return RemoteArea.objects.filter(valid_on(on), unit_code__in=unit_codes_on_path(unit)).exists()


def resolve_place(text: str, on: dt.date):
    """The unit an address as written names on ``on`` (old names resolved through the lineage), or
    a ValidationError saying why not."""
    from tinhgon.addresses.selectors import convert_address
    from tinhgon.apparatus.models import Unit

    text = (text or "").strip()
    if not text:
        raise _err("place_text", _("Give the place (an address or a unit code)."))
    result = convert_address(text, as_of=on)
    if result.status in ("not_found", "ambiguous") or not result.candidates:
        reason = result.reason or _("No unit matches this address.")
        raise _err("place_text", _("Unknown location “%(text)s”: %(reason)s") % {"text": text[:200], "reason": reason})
    unit = Unit.objects.filter(pk=result.candidates[0]["id"]).first()
    if unit is None:  # pragma: no cover - the index is rebuilt when units change
        raise _err("place_text", _("Unknown location “%(text)s”.") % {"text": text[:200]})
    return unit


def route_level(*, subject: str, kind: str, on: dt.date) -> str | None:
    """The level of the competent unit the routing rule set in force gives (None: the place)."""
    try:
        params = rule_set_for(ROUTING, on).parameters
    except NoRuleSet:
        return None
    for r in params.get("rules", []):
        if r.get("subject", "*") in ("*", subject) and r.get("kind", "*") in ("*", kind):
            return r.get("level")
    return None


def ancestor_at(place, level: str | None, on: dt.date):
    """``place`` itself or its nearest ancestor at ``level`` valid on ``on`` (else the place)."""
    from tinhgon.apparatus.selectors import unit_for_code

    if not level:
        return place
    unit = place
    for _i in range(10):
        if unit.level.code == level:
            return unit
        if not unit.parent_code:
            break
        parent = unit_for_code(unit.parent_code, on)
        if parent is None:
            break
        unit = parent
    return place


def route(place, *, subject: str, kind: str, on: dt.date):
    """The competent unit for a matter at ``place``: the first routing rule that fits names the
    level; the place itself or its nearest ancestor at that level valid on ``on``."""
    return ancestor_at(place, route_level(subject=subject, kind=kind, on=on), on)


def next_code(kind: str, year: int) -> str:
    prefix = f"{rules.CODE_PREFIX[kind]}-{year}-"
    last = Petition.objects.filter(code__startswith=prefix).aggregate(m=Max("code"))["m"]
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:06d}"


# Deadlines -------------------------------------------------------------------------------------


def deadline_for(*, kind: str, accepted: dt.date, round: int = 1, complexity: str = rules.NORMAL,
                 remote: bool = False, extensions: int = 0, suspended_days: int = 0,
                 cal: rules.Calendar | None = None) -> rules.Deadline:
    """The settlement deadline under the rule set in force on the acceptance date; a question the
    rule set refuses is a ValidationError naming the parameter."""
    try:
        rs = rule_set_for(DEADLINES, accepted)
    except NoRuleSet as exc:
        raise _err("accepted", str(exc)) from None
    try:
        return rules.settlement_deadline(rs.parameters, rs.code, kind=kind, accepted=accepted, round=round,
                                         complexity=complexity, remote=remote, extensions=extensions,
                                         suspended_days=suspended_days, calendar=cal or calendar())
    except rules.RuleError as exc:
        raise _err(exc.code, _rule_message(exc, rs.code)) from None


def _rule_message(exc: rules.RuleError, code: str) -> str:
    if exc.code == "extensions":
        return _("The rule set %(rs)s does not allow this extension: %(why)s.") % {"rs": code, "why": str(exc)}
    if exc.code == "complexity":
        return _("The rule set %(rs)s does not allow this complexity: %(why)s.") % {"rs": code, "why": str(exc)}
    return _("The rule set %(rs)s refuses this: %(why)s.") % {"rs": code, "why": str(exc)}


def _set_deadline(p: Petition, cal: rules.Calendar | None = None) -> None:
    d = deadline_for(kind=p.kind, accepted=p.accepted_on, round=p.round, complexity=p.complexity, remote=p.remote,
                     extensions=p.extensions, suspended_days=p.suspended_days, cal=cal)
    p.deadline, p.deadline_raw, p.rule_set = d.deadline, d.raw, d.rule_set


def _acceptance_due(kind: str, received: dt.date, cal: rules.Calendar | None = None) -> dt.date | None:
    try:
        rs = rule_set_for(DEADLINES, received)
    except NoRuleSet:
        return None
    return rules.acceptance_deadline(rs.parameters, rs.code, kind=kind, received=received,
                                     calendar=cal or calendar()).deadline


# Intake ----------------------------------------------------------------------------------------

_PHONE = re.compile(r"^[0-9+ .()-]{0,30}$")


def _clean_petitioners(rows, people: int | None, kind: str) -> tuple[list[dict], int]:
    out = []
    for i, r in enumerate(rows or []):
        name = (r.get("full_name") or "").strip()
        if not name:
            continue
        phone = (r.get("phone") or "").strip()
        if not _PHONE.match(phone):
            raise _err("petitioners", _("Line %(n)s: the phone number “%(phone)s” is not valid.")
                       % {"n": i + 1, "phone": phone[:30]})
        out.append({"full_name": name[:200], "id_number": (r.get("id_number") or "").strip()[:20], "phone": phone,
                    "address": (r.get("address") or "").strip()[:300],
                    "is_representative": bool(r.get("is_representative"))})
    if not out:
        raise _err("petitioners", _("Name at least one petitioner."))
    n = max(int(people or 0), len(out))
    allowed = rules.representatives_allowed(n)
    reps = sum(1 for r in out if r["is_representative"])
    if allowed is not None and kind != rules.DENUNCIATION:
        low, high = allowed
        if not low <= reps <= high:
            raise _err("representatives", _("A group of %(n)s people chooses %(low)s to %(high)s representatives "
                                             "(%(reps)s named).") % {"n": n, "low": low, "high": high, "reps": reps})
    return out, n


@transaction.atomic
def petition_receive(*, user=None, kind: str, subject: str, title: str, received_on: dt.date,
                     petitioners: list[dict], place_text: str = "", place=None, content: str = "",
                     channel: str = "desk", round: int = 1, first_round: Petition | None = None,
                     people: int | None = None, handling_unit=None, handling_officers=(), leader=None) -> Petition:
    """Open a matter: resolve its place, route it, name its petitioners and its first contact."""
    errors: dict[str, list[str]] = {}

    def err(f, m):
        errors.setdefault(f, []).append(m)

    if kind not in dict((k, 1) for k in rules.KINDS):
        err("kind", _("Choose the kind of the matter."))
    if subject not in dict(SUBJECTS):
        err("subject", _("Choose the subject matter."))
    if channel not in dict(CHANNELS):
        err("channel", _("Choose the channel."))
    if not (title or "").strip():
        err("title", _("Summarize the matter."))
    if received_on is None:
        err("received_on", _("Give the date of receipt."))
    elif received_on > _today():
        err("received_on", _("The date of receipt cannot be in the future."))
    if round not in (1, 2):
        err("round", _("The round is 1 or 2."))
    if round == 2:
        if kind != rules.COMPLAINT:
            err("round", _("Only complaints have a second round."))
        elif first_round is None:
            err("first_round", _("A second-round complaint must name its first-round complaint."))
        elif first_round.kind != rules.COMPLAINT or first_round.round != 1:
            err("first_round", _("%(code)s is not a first-round complaint.") % {"code": first_round.code})
    elif first_round is not None:
        err("first_round", _("Only a second-round complaint names a first round."))
    if place is None and not errors.get("received_on"):
        try:
            place = resolve_place(place_text, received_on)
        except ValidationError as exc:
            for k, v in exc.message_dict.items():
                errors.setdefault(k, []).extend(v)
    try:
        rows, n_people = _clean_petitioners(petitioners, people, kind)
    except ValidationError as exc:
        for k, v in exc.message_dict.items():
            errors.setdefault(k, []).extend(v)
        rows, n_people = [], 0
    if errors:
        raise ValidationError(errors)
    if first_round is not None:
        require_scope(user, [first_round.handling_path], "view")
        _check_second_round(first_round, received_on)
    if handling_unit is None:
        handling_unit = route(place, subject=subject, kind=kind, on=received_on)
    require_scope(user, [handling_unit.path])
    if not (in_scope(user, place.path) or user is None or in_scope(user, handling_unit.path)):
        raise PermissionDenied(_("The place lies outside your scope."))
    cal = calendar()
    if kind == rules.DENUNCIATION and (place_text or "").strip():
        # The address as written may be the denouncer's home: it goes with the protected identity
        # (the first petitioner's address), never on the matter itself.
        if not rows[0]["address"]:
            rows[0]["address"] = place_text.strip()[:300]
        place_text = ""
    p = Petition(code=next_code(kind, received_on.year), kind=kind, round=round, first_round=first_round,
                 channel=channel, subject=subject, title=title.strip()[:300], content=(content or "").strip(),
                 place=place, place_path=place.path, place_text=(place_text or "").strip()[:500],
                 handling_unit=handling_unit, handling_path=handling_unit.path, leader=leader, people=n_people,
                 contacts_count=1, received_on=received_on, acceptance_due=_acceptance_due(kind, received_on, cal),
                 remote=is_remote(place, received_on))
    p.text_folded = fold(f"{p.title} {p.content}")[:4000]
    p.full_clean(exclude=["place_path", "handling_path", "text_folded"])
    p.save()
    Petitioner.objects.bulk_create([Petitioner(petition=p, name_folded=fold(r["full_name"]), **r) for r in rows])
    Contact.objects.create(petition=p, on=received_on, channel=channel, people=n_people, note="")
    officers = list(handling_officers or [])
    if officers:
        _check_officers(p, officers)
        p.handling_officers.set(officers)
    _event(p, "received", received_on, user, data={"place": place.code, "handling_unit": handling_unit.code})
    hotspots_detect(roots=[place.path], place_ids={place.pk})
    return p


def _check_second_round(first: Petition, received_on: dt.date) -> None:
    ended = first.concluded_on or first.deadline
    if ended is None:
        raise _err("first_round", _("The first round %(code)s has neither a decision nor a deadline yet.")
                   % {"code": first.code})
    if received_on < ended and first.concluded_on is None:
        raise _err("first_round", _("The first round %(code)s is still within its deadline (%(day)s).")
                   % {"code": first.code, "day": ended.strftime("%d/%m/%Y")})
    rs = rule_set_for(DEADLINES, ended)
    last = rules.second_round_window(rs.parameters, first_decided=ended, remote=first.remote, calendar=calendar())
    if last is not None and received_on > last:
        raise _err("first_round", _("A second complaint had to be lodged by %(day)s (rule set %(rs)s).")
                   % {"day": last.strftime("%d/%m/%Y"), "rs": rs.code})


def _check_officers(p: Petition, officers) -> None:
    bad = [u.get_username() for u in officers if not (u.is_active and in_scope(u, p.handling_path))]
    if bad:
        raise _err("handling_officers", _("Not users of the handling unit: %(names)s.") % {"names": ", ".join(bad)})


def _event(p: Petition, kind: str, on: dt.date, user=None, note: str = "", data: dict | None = None) -> PetitionEvent:
    ev = PetitionEvent.objects.create(petition=p, kind=kind, on=on, actor=user if getattr(user, "pk", None) else None,
                                      note=note or "", data=data or {})
    audit_event(kind=f"petitions.{kind}", message=p.code, data={"petition": p.pk, "on": on.isoformat(), **(data or {})})
    return ev


def _require_change(user, p: Petition) -> None:
    require_scope(user, [p.handling_path])


def _on(on: dt.date | None, p: Petition, after: dt.date | None = None) -> dt.date:
    day = on or _today()
    if day > _today():
        raise _err("on", _("The date cannot be in the future."))
    floor = after or p.received_on
    if day < floor:
        raise _err("on", _("The date cannot be before %(day)s.") % {"day": floor.strftime("%d/%m/%Y")})
    return day


@transaction.atomic
def contact_add(*, user=None, petition: Petition, on: dt.date | None = None, channel: str = "desk",
                people: int = 1, note: str = "", petitioners: list[dict] | None = None) -> Contact:
    """Link a repeat contact to an existing matter (instead of opening a duplicate)."""
    _require_change(user, petition)
    day = _on(on, petition)
    if channel not in dict(CHANNELS):
        raise _err("channel", _("Choose the channel."))
    if not people or people < 1:
        raise _err("people", _("At least one person."))
    c = Contact(petition=petition, on=day, channel=channel, people=people, is_repeat=True, note=(note or "").strip())
    c.full_clean()
    c.save()
    known = set(petition.petitioners.values_list("name_folded", flat=True))
    new = [r for r in (petitioners or []) if (r.get("full_name") or "").strip() and fold(r["full_name"]) not in known]
    Petitioner.objects.bulk_create([Petitioner(petition=petition, full_name=r["full_name"].strip()[:200],
                                               name_folded=fold(r["full_name"]), phone=(r.get("phone") or "")[:30],
                                               address=(r.get("address") or "")[:300]) for r in new])
    Petition.objects.filter(pk=petition.pk).update(
        contacts_count=petition.contacts_count + 1,
        people=max(petition.people, people, petition.petitioners.count()))
    petition.refresh_from_db()
    _event(petition, "contact", day, user, data={"people": people, "repeat": True})
    hotspots_detect(roots=[petition.place_path], place_ids={petition.place_id})
    return c


# Workflow --------------------------------------------------------------------------------------


def _state(p: Petition, allowed: tuple[str, ...], action: str) -> None:
    if p.status not in allowed:
        raise _err("status", _("A matter that is %(status)s cannot be %(action)s.")
                   % {"status": p.get_status_display().lower(), "action": action})


@transaction.atomic
def petition_route(*, user=None, petition: Petition, unit, reason: str, on: dt.date | None = None) -> Petition:
    """Re-route a matter to another competent unit, with a reason (deadlines unchanged)."""
    _require_change(user, petition)
    require_scope(user, [unit.path])
    _state(petition, Petition.OPEN, _("re-routed"))
    if not (reason or "").strip():
        raise _err("reason", _("Give the reason for re-routing."))
    if unit.pk == petition.handling_unit_id:
        raise _err("unit", _("The matter is already handled by this unit."))
    day = _on(on, petition)
    old = petition.handling_unit.code
    petition.handling_unit, petition.handling_path = unit, unit.path
    petition.save(update_fields=["handling_unit", "handling_path"])
    stale = [u for u in petition.handling_officers.all() if not in_scope(u, unit.path)]
    if stale:
        petition.handling_officers.remove(*stale)
    _event(petition, "routed", day, user, note=reason.strip(), data={"from": old, "to": unit.code})
    return petition


@transaction.atomic
def petition_accept(*, user=None, petition: Petition, on: dt.date | None = None,
                    complexity: str = rules.NORMAL) -> Petition:
    """Accept the matter: its settlement deadline is set by the rule set in force that day."""
    _require_change(user, petition)
    _state(petition, (Petition.RECEIVED,), _("accepted"))
    day = _on(on, petition)
    if complexity not in rules.COMPLEXITIES:
        raise _err("complexity", _("Choose the complexity."))
    petition.accepted_on, petition.complexity = day, complexity
    petition.remote = is_remote(petition.place, day)
    _set_deadline(petition)  # a ValidationError here writes nothing
    petition.status = Petition.ACCEPTED
    petition.save()
    _event(petition, "accepted", day, user, data={"deadline": petition.deadline.isoformat() if petition.deadline
                                                  else None, "rule_set": petition.rule_set})
    return petition


@transaction.atomic
def petition_reject(*, user=None, petition: Petition, reason: str, on: dt.date | None = None) -> Petition:
    _require_change(user, petition)
    _state(petition, (Petition.RECEIVED,), _("rejected"))
    if not (reason or "").strip():
        raise _err("reason", _("Give the reason for not accepting the matter."))
    day = _on(on, petition)
    petition.status, petition.rejected_reason, petition.closed_on = Petition.REJECTED, reason.strip()[:500], day
    petition.save()
    _event(petition, "rejected", day, user, note=reason.strip())
    return petition


@transaction.atomic
def petition_verify(*, user=None, petition: Petition, on: dt.date | None = None, note: str = "") -> Petition:
    _require_change(user, petition)
    _state(petition, (Petition.ACCEPTED,), _("put under verification"))
    day = _on(on, petition, petition.accepted_on)
    petition.status = Petition.VERIFYING
    petition.save()
    _event(petition, "verifying", day, user, note=note)
    return petition


@transaction.atomic
def petition_extend(*, user=None, petition: Petition, reason: str, on: dt.date | None = None,
                    complexity: str | None = None) -> Petition:
    """Extend the settlement period where the rule set allows it (denunciations: complex once,
    especially complex twice); anything else is refused and nothing changes."""
    _require_change(user, petition)
    _state(petition, Petition.SETTLING, _("extended"))
    if not (reason or "").strip():
        raise _err("reason", _("Give the reason for the extension."))
    day = _on(on, petition, petition.accepted_on)
    if complexity:
        if complexity not in rules.COMPLEXITIES:
            raise _err("complexity", _("Choose the complexity."))
        petition.complexity = complexity
    petition.extensions += 1
    old = petition.deadline
    _set_deadline(petition)
    petition.save()
    _event(petition, "extended", day, user, note=reason.strip(),
           data={"from": old.isoformat() if old else None, "to": petition.deadline.isoformat(),
                 "extensions": petition.extensions})
    return petition


@transaction.atomic
def petition_suspend(*, user=None, petition: Petition, days: int, reason: str, on: dt.date | None = None) -> Petition:
    """Record days for which the settlement was suspended: under a rule set that excludes them
    (from 2026-07-01) the deadline moves by as many days; before, they count toward the limit."""
    _require_change(user, petition)
    _state(petition, Petition.SETTLING, _("suspended"))
    if not (reason or "").strip():
        raise _err("reason", _("Give the reason for the suspension."))
    if not days or days < 1 or days > 3650:
        raise _err("days", _("Enter a number of days between 1 and 3650."))
    day = _on(on, petition, petition.accepted_on)
    old = petition.deadline
    petition.suspended_days += days
    _set_deadline(petition)
    petition.save()
    _event(petition, "suspended", day, user, note=reason.strip(),
           data={"days": days, "from": old.isoformat() if old else None,
                 "to": petition.deadline.isoformat() if petition.deadline else None})
    return petition


@transaction.atomic
def petition_conclude(*, user=None, petition: Petition, conclusion: str, on: dt.date | None = None) -> Petition:
    """Settle the matter with its conclusion (or decision); on time when by the deadline."""
    _require_change(user, petition)
    _state(petition, Petition.SETTLING, _("concluded"))
    if not (conclusion or "").strip():
        raise _err("conclusion", _("Write the conclusion (or the settlement decision) before settling."))
    day = _on(on, petition, petition.accepted_on)
    petition.status, petition.conclusion, petition.concluded_on = Petition.CONCLUDED, conclusion.strip(), day
    petition.save()
    _event(petition, "concluded", day, user, data={"on_time": petition.settled_on_time()})
    return petition


@transaction.atomic
def petition_close(*, user=None, petition: Petition, on: dt.date | None = None, note: str = "") -> Petition:
    _require_change(user, petition)
    if petition.status != Petition.CONCLUDED or not petition.conclusion:
        raise _err("status", _("A matter is closed only after its conclusion: settle it first."))
    day = _on(on, petition, petition.concluded_on)
    petition.status, petition.closed_on = Petition.CLOSED, day
    petition.save()
    _event(petition, "closed", day, user, note=note)
    return petition


_UNCHANGED = object()


@transaction.atomic
def petition_officers_set(*, user=None, petition: Petition, officers, leader=_UNCHANGED) -> Petition:
    """Name the handling officers (they alone see a denouncer's identity) and, when given, the
    leader in charge (a cadre the user reaches)."""
    from tinhgon.cadres.models import Cadre

    _require_change(user, petition)
    officers = list(officers)
    _check_officers(petition, officers)
    if leader is not _UNCHANGED and leader is not None and user is not None:
        from tinhgon.core.scoping import restrict

        if not restrict(Cadre.objects.filter(pk=leader.pk), user).exists():
            raise _err("leader", _("The leader in charge must be a cadre in your scope."))
    petition.handling_officers.set(officers)
    data = {"officers": sorted(u.pk for u in officers)}
    if leader is not _UNCHANGED and (leader.pk if leader else None) != petition.leader_id:
        petition.leader = leader
        petition.save(update_fields=["leader"])
        data["leader"] = leader.pk if leader else None
    _event(petition, "officers", _today(), user, data=data)
    return petition


@transaction.atomic
def petitions_escalate(*, user=None, on: dt.date | None = None, queryset=None) -> int:
    """Overdue matters go up to the head of their handling unit (``cadres.selectors.unit_head``)."""
    from tinhgon.cadres.selectors import unit_head

    day = on or _today()
    qs = (queryset if queryset is not None else Petition.objects.all()).filter(
        status__in=Petition.OPEN, deadline__lt=day, escalated_on__isnull=True).select_related("handling_unit")
    heads: dict[int, object] = {}
    n = 0
    for p in qs.iterator(chunk_size=500):
        if user is not None and not in_scope(user, p.handling_path):
            continue
        if p.handling_unit_id not in heads:
            heads[p.handling_unit_id] = unit_head(p.handling_unit, on=day)
        head = heads[p.handling_unit_id]
        Petition.objects.filter(pk=p.pk).update(escalated_to=head, escalated_on=day)
        _event(p, "escalated", day, user, data={"to": head.pk if head else None})
        n += 1
    return n


def identity_access_log(*, user, petition: Petition, via: str) -> None:
    """Record that ``user`` saw a denouncer's identity."""
    IdentityAccess.objects.create(petition=petition, user=user, via=via[:20])


# Hot spots -------------------------------------------------------------------------------------


@transaction.atomic
def hotspot_update(*, user=None, hotspot: HotSpot, owner=None, plan_kind: str = "", plan: str = "") -> HotSpot:
    require_scope(user, [hotspot.place_path])
    if hotspot.status == HotSpot.RESOLVED:
        raise _err("status", _("The hot spot is resolved."))
    if plan_kind and plan_kind not in dict(HotSpot.PLAN_KINDS):
        raise _err("plan_kind", _("Choose dialogue, inspection or both."))
    if owner is None:
        raise _err("owner", _("Name the cadre who owns the hot spot."))
    hotspot.owner, hotspot.plan_kind, hotspot.plan = owner, plan_kind, (plan or "").strip()
    hotspot.status = HotSpot.PLANNED if plan_kind or hotspot.plan else HotSpot.CANDIDATE
    hotspot.save()
    audit_event(kind="petitions.hotspot_planned", message=str(hotspot.pk), data={"hotspot": hotspot.pk})
    return hotspot


@transaction.atomic
def hotspot_resolve(*, user=None, hotspot: HotSpot, resolution: str, on: dt.date | None = None) -> HotSpot:
    require_scope(user, [hotspot.place_path])
    if hotspot.status == HotSpot.RESOLVED:
        raise _err("status", _("The hot spot is already resolved."))
    if not (resolution or "").strip():
        raise _err("resolution", _("Say how the hot spot was resolved."))
    if hotspot.owner_id is None:
        raise _err("owner", _("Name the owner and the plan first."))
    day = on or _today()
    hotspot.status, hotspot.resolution, hotspot.resolved_on = HotSpot.RESOLVED, resolution.strip(), day
    hotspot.save()
    audit_event(kind="petitions.hotspot_resolved", message=str(hotspot.pk), data={"hotspot": hotspot.pk})
    return hotspot


# Reception and dialogue ------------------------------------------------------------------------


def _check_leader(user, leader) -> None:
    """The leader of a session is a cadre the user reaches (a foreign cadre is no leader of theirs)."""
    if user is None or leader is None:
        return
    from tinhgon.cadres.models import Cadre
    from tinhgon.core.scoping import restrict

    if not restrict(Cadre.objects.filter(pk=leader.pk), user).exists():
        raise _err("leader", _("The leader must be a cadre in your scope."))


@transaction.atomic
def reception_session_create(*, user=None, unit, leader, leader_role: str, on: dt.date, place: str,
                             citizens: int = 0, online: bool = False, note: str = "", petitions=()) -> ReceptionSession:
    require_scope(user, [unit.path])
    _check_leader(user, leader)
    s = ReceptionSession(unit=unit, unit_path=unit.path, leader=leader, leader_role=leader_role, on=on,
                         place=(place or "").strip(), citizens=citizens or 0, online=online, note=note or "")
    if on and on > _today():
        raise _err("on", _("The date cannot be in the future."))
    s.full_clean(exclude=["unit_path"])
    s.save()
    _link(s, petitions, user)
    audit_event(kind="petitions.reception_session", message=f"{unit.code} {on}", data={"session": s.pk})
    return s


@transaction.atomic
def dialogue_create(*, user=None, unit, leader, on: dt.date, topic: str, participants: int = 0, outcome: str = "",
                    petitions=(), hotspot: HotSpot | None = None) -> DialogueSession:
    require_scope(user, [unit.path])
    _check_leader(user, leader)
    if hotspot is not None:
        require_scope(user, [hotspot.place_path])
    s = DialogueSession(unit=unit, unit_path=unit.path, leader=leader, on=on, topic=(topic or "").strip(),
                        participants=participants or 0, outcome=outcome or "", hotspot=hotspot)
    if on and on > _today():
        raise _err("on", _("The date cannot be in the future."))
    s.full_clean(exclude=["unit_path"])
    s.save()
    _link(s, petitions, user)
    audit_event(kind="petitions.dialogue", message=s.topic, data={"dialogue": s.pk})
    return s


def _link(session, petitions, user) -> None:
    petitions = list(petitions or [])
    if petitions:
        for p in petitions:
            if user is not None and not (in_scope(user, p.handling_path) or in_scope(user, p.place_path)):
                raise PermissionDenied(_("Matter %(code)s lies outside your scope.") % {"code": p.code})
        session.petitions.set(petitions)


# Reference data (administrators) -----------------------------------------------------------------


@transaction.atomic
def day_swap_set(*, user=None, day_off: dt.date, work_day: dt.date | None = None, decision: str = "") -> DaySwap:
    if user is not None and not (user.is_unrestricted and user.may("administer")):
        raise PermissionDenied(_("Only administrators keep the list of day swaps."))
    if work_day is not None and work_day == day_off:
        raise _err("work_day", _("The make-up working day differs from the day off."))
    swap = DaySwap.objects.filter(day_off=day_off).first() or DaySwap(day_off=day_off)
    swap.work_day, swap.decision = work_day, (decision or "").strip()
    swap.full_clean(validate_unique=False)
    swap.save()
    audit_event(kind="petitions.day_swap", message=str(day_off), data={"day_off": day_off.isoformat()})
    return swap


@transaction.atomic
def day_swap_delete(*, user=None, swap: DaySwap) -> None:
    if user is not None and not (user.is_unrestricted and user.may("administer")):
        raise PermissionDenied(_("Only administrators keep the list of day swaps."))
    audit_event(kind="petitions.day_swap_removed", message=str(swap.day_off), data={})
    swap.delete()


@transaction.atomic
def remote_areas_import(*, user=None, rows: list[dict]) -> int:
    """Replace nothing, add the listed periods: ``{"unit_code", "valid_from", "valid_to", "decision"}``.
    Every row is checked first; one bad row refuses the whole file."""
    from tinhgon.apparatus.models import Unit

    if user is not None and not (user.is_unrestricted and user.may("administer")):
        raise PermissionDenied(_("Only administrators keep the list of remote areas."))
    errors = []
    objs = []
    for i, r in enumerate(rows, start=2):
        code = str(r.get("unit_code") or "").strip()
        unit = Unit.objects.filter(code=code).order_by("-valid_from").first()
        if unit is None:
            errors.append(_("Row %(n)s: no unit has the code “%(code)s”.") % {"n": i, "code": code[:40]})
            continue
        obj = RemoteArea(unit_code=code, unit_name=unit.name, valid_from=r.get("valid_from"),
                         valid_to=r.get("valid_to"), decision=str(r.get("decision") or "")[:200])
        try:
            obj.full_clean()
        except ValidationError as exc:
            errors.append(_("Row %(n)s: %(why)s") % {"n": i, "why": "; ".join(exc.messages)})
            continue
        if RemoteArea.objects.filter(unit_code=code).overlapping(obj.valid_from, obj.valid_to).exists():
            errors.append(_("Row %(n)s: %(code)s is already listed over part of this period.") % {"n": i, "code": code})
            continue
        objs.append(obj)
    if errors:
        raise ValidationError(errors)
    RemoteArea.objects.bulk_create(objs)
    audit_event(kind="petitions.remote_areas_imported", message=str(len(objs)), data={"rows": len(objs)})
    return len(objs)


@transaction.atomic
def hotspots_detect(*, user=None, on: dt.date | None = None, roots: list[str] | None = None,
                    place_ids: set[int] | None = None, window_days: int | None = None) -> list[HotSpot]:
    """Raise or refresh hot-spot alerts for every place and subject over a threshold in the window
    (``roots``: only under those paths; ``place_ids``: only those places).  An open hot spot of the
    same place and subject takes the new evidence; a resolved one stays resolved and a new alert
    opens when the crowd comes back."""
    from tinhgon.apparatus.models import Unit

    from .selectors import hotspot_candidates

    day = on or _today()
    if user is not None and not user.is_unrestricted:
        roots = roots or user.scope_paths()
    if window_days is not None and not 1 <= int(window_days) <= 3650:
        raise _err("window_days", _("Enter a window between 1 and 3650 days."))
    found = [c for c in hotspot_candidates(on=day, roots=roots, window_days=window_days)
             if place_ids is None or c["place_id"] in place_ids]
    if not found:
        return []
    units = Unit.objects.in_bulk({c["place_id"] for c in found})
    open_spots = {(h.place_id, h.subject): h for h in HotSpot.objects.filter(
        place_id__in=list(units), status__in=(HotSpot.CANDIDATE, HotSpot.PLANNED))}
    out = []
    for c in found:
        since = dt.date.fromisoformat(c["evidence"]["since"])
        matters = list(Petition.objects.filter(place_id=c["place_id"], subject=c["subject"])
                       .filter(Q(contacts__on__gte=since) | Q(status__in=Petition.OPEN, deadline__lt=day))
                       .values_list("pk", flat=True).distinct()[:200])
        key = (c["place_id"], c["subject"])
        spot = open_spots.get(key)
        if spot is None:
            unit = units[c["place_id"]]
            spot = HotSpot.objects.create(place=unit, place_path=unit.path, subject=c["subject"], detected_on=day,
                                          updated_on=day, reasons=c["reasons"], evidence=c["evidence"])
            audit_event(kind="petitions.hotspot_alert", message=str(spot), data={"hotspot": spot.pk,
                                                                                "reasons": c["reasons"]})
        elif spot.evidence != c["evidence"] or spot.reasons != c["reasons"]:
            spot.reasons, spot.evidence, spot.updated_on = c["reasons"], c["evidence"], day
            spot.save(update_fields=["reasons", "evidence", "updated_on"])
        spot.petitions.add(*matters)
        out.append(spot)
    return out
