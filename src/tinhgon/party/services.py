"""Writes of party membership: admission, official membership, transfer, leaving. Each checks
the acting user's scope over every organization it touches and records one event."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tinhgon.core.audit import audit_event
from tinhgon.core.scoping import require_scope

from . import rules
from .models import ORGANIZATION_KINDS, Membership, PartyMember


def _check_organization(unit, day: dt.date, field: str = "organization") -> None:
    if unit is None:
        raise ValidationError({field: [_("Choose a party organization.")]})
    if unit.kind.code not in ORGANIZATION_KINDS and unit.kind.category != "party":
        raise ValidationError({field: [_("%(unit)s is not a party organization.") % {"unit": unit.name}]})
    if unit.valid_from > day or (unit.valid_to is not None and unit.valid_to <= day):
        raise ValidationError({field: [_("%(unit)s does not exist on %(day)s.")
                                       % {"unit": unit.name, "day": day.strftime("%d/%m/%Y")}]})


def _official_check(admission: dt.date, official: dt.date | None) -> None:
    if official is None:
        return
    problem = rules.official_problem(admission, official)
    if problem == "before_start":
        raise ValidationError({"official_date": [_("The probation cannot end before it starts: the official date "
                                                   "must come after the admission date.")]})
    if problem == "too_early":
        raise ValidationError({"official_date": [_("The probation lasts %(n)s months: official membership no "
                                                   "earlier than %(day)s.") % {
            "n": rules.PROBATION_MONTHS, "day": rules.probation_end(admission).strftime("%d/%m/%Y")}]})


@transaction.atomic
def member_admit(*, user=None, organization, full_name: str, admission_date: dt.date, card_number: str = "",
                 birth_year: int | None = None, cadre=None, official_date: dt.date | None = None,
                 note: str = "") -> PartyMember:
    """Admit a member (or record one admitted earlier) into ``organization``."""
    # A member admitted before the organization's registered version began is recorded into it
    # from that day ("record"); the admission itself stays on the member.
    joined = max(admission_date, organization.valid_from) if organization is not None else admission_date
    _check_organization(organization, joined)
    require_scope(user, [organization.path, *([cadre.unit_path] if cadre is not None and cadre.unit_path else [])])
    _official_check(admission_date, official_date)
    if cadre is not None and PartyMember.objects.filter(cadre=cadre, left_on__isnull=True).exists():
        raise ValidationError({"cadre": [_("%(name)s already has a membership record.") % {"name": cadre.full_name}]})
    member = PartyMember(full_name=(full_name or "").strip(), birth_year=birth_year, cadre=cadre,
                         card_number=card_number.strip(), admission_date=admission_date, official_date=official_date,
                         organization=organization, organization_path=organization.path, note=note)
    member.full_clean()
    member.save()
    m = Membership(member=member, organization=organization, path=organization.path, valid_from=joined,
                   start_reason="admission" if joined == admission_date else "record")
    m.full_clean()
    m.save()
    audit_event(kind="party.member_admitted", message=f"{member.full_name} → {organization.name}",
                data={"member": member.pk, "organization": organization.code})
    return member


def _open_membership(member: PartyMember) -> Membership | None:
    return member.memberships.filter(valid_to__isnull=True).order_by("-valid_from").first()


@transaction.atomic
def member_make_official(*, user=None, member: PartyMember, official_date: dt.date) -> PartyMember:
    """End the probation: the member becomes a full member on ``official_date``."""
    require_scope(user, [member.organization_path])
    if member.official_date:
        raise ValidationError({"official_date": [_("%(name)s is a full member already.") % {"name": member.full_name}]})
    if member.left_on:
        raise ValidationError({"official_date": [_("%(name)s has left the party.") % {"name": member.full_name}]})
    _official_check(member.admission_date, official_date)
    member.official_date = official_date
    member.full_clean()
    member.save(update_fields=["official_date"])
    audit_event(kind="party.member_official", message=member.full_name, data={"member": member.pk})
    return member


@transaction.atomic
def member_transfer(*, user=None, member: PartyMember, organization, on: dt.date, note: str = "") -> Membership:
    """Move the member to ``organization`` on ``on``: the open membership ends, a new one starts."""
    current = _open_membership(member)
    _check_organization(organization, on)
    require_scope(user, [member.organization_path, organization.path])
    if member.left_on or current is None:
        raise ValidationError({"organization": [_("%(name)s has left the party.") % {"name": member.full_name}]})
    if organization.code == current.organization.code:
        raise ValidationError({"organization": [_("The member belongs to this organization already.")]})
    if on <= current.valid_from:
        raise ValidationError({"on": [_("The transfer must come after the member joined the current organization "
                                        "(%(day)s).") % {"day": current.valid_from.strftime("%d/%m/%Y")}]})
    current.valid_to, current.end_reason = on, "transfer"
    current.full_clean()
    current.save(update_fields=["valid_to", "end_reason"])
    new = Membership(member=member, organization=organization, path=organization.path, valid_from=on,
                     start_reason="transfer", note=note)
    new.full_clean()
    new.save()
    member.organization, member.organization_path = organization, organization.path
    member.save(update_fields=["organization", "organization_path"])
    audit_event(kind="party.member_transferred", message=f"{member.full_name} → {organization.name}",
                data={"member": member.pk, "from": current.organization.code, "to": organization.code})
    return new


@transaction.atomic
def member_leave(*, user=None, member: PartyMember, on: dt.date, reason: str, note: str = "") -> PartyMember:
    """The member leaves the party on ``on`` for ``reason``: the open membership ends."""
    require_scope(user, [member.organization_path])
    if member.left_on:
        raise ValidationError({"on": [_("%(name)s has left the party already.") % {"name": member.full_name}]})
    if reason not in dict(PartyMember.LEAVE_REASONS):
        raise ValidationError({"reason": [_("Choose a reason for leaving.")]})
    current = _open_membership(member)
    start = current.valid_from if current else member.admission_date
    if on <= start:
        raise ValidationError({"on": [_("The member cannot leave before joining (%(day)s).")
                                      % {"day": start.strftime("%d/%m/%Y")}]})
    if current is not None:
        current.valid_to, current.end_reason = on, "left"
        current.save(update_fields=["valid_to", "end_reason"])
    member.left_on, member.leave_reason, member.note = on, reason, note or member.note
    member.full_clean()
    member.save(update_fields=["left_on", "leave_reason", "note"])
    audit_event(kind="party.member_left", message=member.full_name, data={"member": member.pk, "reason": reason})
    return member

