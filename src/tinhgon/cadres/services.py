"""Writes on cadre records. Every function validates everything first and writes nothing
on bad input (a ValidationError naming the field)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from tinhgon.core.audit import audit_event
from tinhgon.core.dated import interval_within, overlapping, valid_on
from tinhgon.core.text import fold

from .models import (
    Assignment,
    Cadre,
    Commendation,
    Discipline,
    PersonalDataAccess,
    PoolEntry,
    PoolReview,
    SavedSearch,
    Training,
)
from .photos import normalized_photo
from .rules import citizen_id_problems

MIN_AGE_AT_APPOINTMENT = 18
CADRE_FIELDS = {
    f.name for f in Cadre._meta.concrete_fields
    if f.editable and f.name not in {"id", "name_folded", "unit", "unit_path", "current_title", "lock_version", "photo"}
} | {"hometown_id"}


def _citizen_id_errors(cadre: Cadre) -> list[str]:
    messages = {
        "a citizen ID has exactly 12 digits": _("A citizen ID has exactly 12 digits."),
        "the first three digits must be a province code from 001 to 096":
            _("The first three digits must be a province code from 001 to 096."),
        "the fourth digit does not match the recorded sex": _("The fourth digit does not match the recorded sex."),
    }
    out = []
    for p in citizen_id_problems(cadre.citizen_id or "", sex=cadre.sex, birth_year=cadre.birth_year):
        if p in messages:
            out.append(messages[p])
        else:
            out.append(_("The citizen ID's birth-year digits do not match the birth year %(year)s.")
                       % {"year": cadre.birth_year})
    return out


def _check(cadre: Cadre, *, today: dt.date | None = None) -> None:
    cadre_validate(cadre, today=today)


@transaction.atomic
def cadre_create(**fields) -> Cadre:
    unknown = set(fields) - CADRE_FIELDS
    if unknown:
        raise ValidationError({f: [_("Unknown field.")] for f in sorted(unknown)})
    cadre = Cadre(**fields)
    if cadre.birth_date and not cadre.birth_year:
        cadre.birth_year = cadre.birth_date.year
    _check(cadre)
    try:
        with transaction.atomic():
            cadre.save()
    except IntegrityError:
        raise ValidationError({"citizen_id": [_("Another record already has this citizen ID.")]}) from None
    return cadre


@transaction.atomic
def cadre_update(*, cadre: Cadre, lock_version: int | None = None, **fields) -> Cadre:
    """Change a record; ``lock_version`` (from the form or API) detects a concurrent edit."""
    current = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if lock_version is not None and int(lock_version) != current.lock_version:
        raise ValidationError({"lock_version": [_(
            "Someone else changed this record after you opened it. Reload it and apply your changes again.")]})
    unknown = set(fields) - CADRE_FIELDS
    if unknown:
        raise ValidationError({f: [_("Unknown field.")] for f in sorted(unknown)})
    for name, value in fields.items():
        setattr(current, name, value)
    if "birth_date" in fields and current.birth_date:
        current.birth_year = current.birth_date.year
    _check(current)
    current.lock_version += 1
    current.save()
    return current


def _age_on(cadre: Cadre, day: dt.date) -> int:
    born = cadre.birth_date or dt.date(cadre.birth_year, 1, 1)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@transaction.atomic
def assignment_create(
    *, cadre: Cadre, unit, title: str, valid_from: dt.date, valid_to: dt.date | None = None,
    kind: str = "appointment", is_primary: bool = True, position=None, decision_number: str = "",
    decision_date: dt.date | None = None, decision_issuer: str = "", planned_return: dt.date | None = None,
    count_override_reason: str = "", status: str = Assignment.ACTIVE,
) -> Assignment:
    """Record a position held. Refused: outside the unit's validity, a decision dated after the
    start, an age under 18 at the start, two primary positions at once, a position whose seats are
    all taken (unless a reason for exceeding it is given, which is logged)."""
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    a = Assignment(cadre=cadre, unit=unit, title=(title or "").strip(), valid_from=valid_from, valid_to=valid_to,
                   kind=kind, is_primary=is_primary, position=position, decision_number=decision_number,
                   decision_date=decision_date, decision_issuer=decision_issuer, planned_return=planned_return,
                   count_override_reason=count_override_reason.strip(), status=status)
    errors = assignment_problems(a, cadre=cadre, unit=unit, position=position)
    if errors:
        raise ValidationError(errors)
    a.save()
    if a.count_override_reason:
        audit_event(kind="assignment.count_exceeded", message=f"{cadre.full_name}: {a.title}",
                                  data={"assignment": a.pk, "reason": a.count_override_reason})
    cadre_refresh_current(cadre=cadre)
    return a


@transaction.atomic
def assignment_end(*, assignment: Assignment, on: dt.date, kind: str | None = None) -> Assignment:
    a = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if on <= a.valid_from or (a.valid_to is not None and on > a.valid_to):
        raise ValidationError({"on": [_("The end date must fall after the start and not after the current end.")]})
    a.valid_to = on
    a.save()
    cadre_refresh_current(cadre=a.cadre)
    return a


def cadre_refresh_current(*, cadre: Cadre, today: dt.date | None = None) -> Cadre:
    """Keep the denormalized current unit (used for scoping) in step with the assignments."""
    today = today or dt.date.today()
    current = (cadre.assignments.filter(valid_on(today), is_primary=True).select_related("unit").first()
               or cadre.assignments.filter(is_primary=True).select_related("unit").order_by("-valid_from").first())
    unit = current.unit if current else None
    values = (unit.pk if unit else None, unit.path if unit else "", current.title if current else "")
    if (cadre.unit_id, cadre.unit_path, cadre.current_title) != values:
        Cadre.objects.filter(pk=cadre.pk).update(unit=values[0], unit_path=values[1], current_title=values[2])
        cadre.unit_id, cadre.unit_path, cadre.current_title = values
    return cadre


@transaction.atomic
def pool_entry_add(*, cadre: Cadre, unit, title: str, term, added_on: dt.date, decision: str = "",
                   note: str = "") -> PoolEntry:
    """Put a cadre in the planning pool for a title and a term (a Term, or its label: "2026-2031",
    the term of ``unit``'s body, recorded with its default dates when new)."""
    from tinhgon.apparatus.models import Term
    from tinhgon.apparatus.services import term_for_label

    from .selectors import cadre_eligibility

    eligible, reasons = cadre_eligibility(cadre, on=added_on)
    if not eligible:
        raise ValidationError({"cadre": reasons})
    if not isinstance(term, Term):
        try:
            term = term_for_label(body=unit, label=str(term or ""))
        except ValidationError as exc:
            raise ValidationError({"term": exc.messages}) from None
    if PoolEntry.objects.filter(cadre=cadre, title__iexact=title.strip(), term=term, status=PoolEntry.ACTIVE).exists():
        raise ValidationError({"title": [_("This cadre is already in the pool for that title and term.")]})
    entry = PoolEntry(cadre=cadre, unit=unit, title=title.strip(), term=term, added_on=added_on,
                      decision=decision, note=note)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def pool_review_add(*, entry: PoolEntry, date: dt.date, result: str, note: str = "") -> PoolReview:
    review = PoolReview(entry=entry, date=date, result=result, note=note)
    review.full_clean()
    review.save()
    if result == "remove" and entry.status != PoolEntry.REMOVED:
        entry.status = PoolEntry.REMOVED
        entry.save(update_fields=["status"])
    return review


@transaction.atomic
def discipline_add(*, cadre: Cadre, measure: str, decision_date: dt.date, effective_date: dt.date,
                   body: str = "party", act_date: dt.date | None = None, decision_number: str = "",
                   reason: str = "") -> Discipline:
    d = Discipline(cadre=cadre, measure=measure, body=body, act_date=act_date, decision_number=decision_number,
                   decision_date=decision_date, effective_date=effective_date, reason=reason)
    d.full_clean()
    if effective_date < decision_date:
        raise ValidationError({"effective_date": [_("The measure cannot take effect before its decision.")]})
    if act_date and act_date > decision_date:
        raise ValidationError({"act_date": [_("The violation cannot come after the decision.")]})
    d.save()
    audit_event(kind="cadre.disciplined", message=f"{cadre.full_name}: {d.get_measure_display()}",
                              data={"cadre": cadre.pk, "measure": measure})
    return d


@transaction.atomic
def training_add(*, cadre: Cadre, program: str, start: dt.date, kind: str = "professional", institution: str = "",
                 end: dt.date | None = None, result: str = "") -> Training:
    t = Training(cadre=cadre, program=program, kind=kind, institution=institution, start=start, end=end, result=result)
    t.full_clean()
    if end and end < start:
        raise ValidationError({"end": [_("The end cannot come before the start.")]})
    t.save()
    return t


@transaction.atomic
def commendation_add(*, cadre: Cadre, title: str, date: dt.date, level: str = "", decision: str = "") -> Commendation:
    c = Commendation(cadre=cadre, title=title, date=date, level=level, decision=decision)
    c.full_clean()
    c.save()
    return c


@transaction.atomic
def saved_search_save(*, user, name: str, params: dict) -> SavedSearch:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the search a name.")]})
    obj, _created = SavedSearch.objects.update_or_create(user=user, name=name, defaults={"params": params})
    return obj


# Photo and deletion ------------------------------------------------------------------------------


def _delete_file_on_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def cadre_photo_set(*, cadre: Cadre, fileobj) -> Cadre:
    """Store an uploaded portrait (checked and re-encoded by :mod:`.photos`) as the record's photo.

    The stored name is random (it says nothing of the person); the previous photo's file is
    removed once the change is committed.
    """
    data = normalized_photo(fileobj)  # ValidationError before anything is written
    current = Cadre.objects.select_for_update().get(pk=cadre.pk)
    old = current.photo.name
    name = default_storage.save(f"cadres/photos/{current.pk}-{secrets.token_hex(12)}.jpg", ContentFile(data))
    try:
        current.photo = name
        current.save(update_fields=["photo"])
    except Exception:
        default_storage.delete(name)
        raise
    _delete_file_on_commit(old)
    return current


@transaction.atomic
def cadre_photo_remove(*, cadre: Cadre) -> Cadre:
    current = Cadre.objects.select_for_update().get(pk=cadre.pk)
    old = current.photo.name
    if old:
        current.photo = ""
        current.save(update_fields=["photo"])
        _delete_file_on_commit(old)
    return current


def cadre_history_count(cadre: Cadre) -> int:
    """Rows of history beyond the record's one position: earlier or further positions,
    planning pool, training, commendations, discipline."""
    return max(cadre.assignments.count() - 1, 0) + sum(
        qs.count() for qs in (cadre.pool_entries.all(), cadre.trainings.all(), cadre.commendations.all(),
                              cadre.disciplines.all()))


@transaction.atomic
def cadre_delete(*, cadre: Cadre, user, reason: str) -> None:
    """Delete a record entered by mistake (a duplicate, a test), with the reason.

    A record that has a history beyond its one position (further positions, planning pool,
    training, commendations, discipline) may be deleted by an administrator only: careers
    end by an assignment's end, not by deleting the person. The change log keeps every deleted row, an audit
    event keeps the reason, and the personal-data access log of the record is kept.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for deleting the record.")]})
    current = Cadre.objects.select_for_update().get(pk=cadre.pk)
    history = cadre_history_count(current)
    if history and not user.may("administer"):
        raise PermissionDenied(_(
            "This record has a history (%(n)s rows beyond its position: further positions, planning pool, "
            "training, commendations, discipline). Only an administrator may delete it; to end a career, "
            "end the assignment.")
            % {"n": history})
    audit_event(kind="cadre.deleted", message=f"{current.full_name} ({reason})",
                              data={"cadre": current.pk, "reason": reason, "history_rows": history})
    photo = current.photo.name
    try:
        current.delete()  # cascades to the sections; every row goes to the change log
    except ProtectedError as exc:
        # Records of other capabilities (assessment results, placement candidacies, inspections,
        # party memberships…) keep the person: the record is part of their history.
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise ValidationError(_(
            "This person is referenced by %(n)s records elsewhere (%(kinds)s) and cannot be deleted; "
            "to end a career, end the assignment.")
            % {"n": len(exc.protected_objects), "kinds": ", ".join(kinds)}) from None
    _delete_file_on_commit(photo)


def personal_data_access_log(*, user, cadre: Cadre, channel: str = "web", path: str = "") -> None:
    PersonalDataAccess.objects.create(user=user if getattr(user, "pk", None) else None,
                                      user_name=getattr(user, "username", "") or "", cadre=cadre,
                                      channel=channel, path=path[:300])



# Shared checks (the single-record services and the bulk import call the same functions) -----------


def cadre_validate(cadre: Cadre, *, today: dt.date | None = None, check_unique: bool = True) -> None:
    """Every check :func:`cadre_create` and :func:`cadre_update` make on a person record.

    Raises a ValidationError naming the fields; on success normalizes the name (and its
    folded copy) and derives the birth year from the birth date. ``check_unique=False``
    skips the one query looking for another record with the citizen ID (the bulk import
    matches citizen IDs batch by batch itself).
    """
    today = today or dt.date.today()
    errors: dict[str, list[str]] = {}
    if cadre.birth_date:
        if cadre.birth_date > today:
            errors.setdefault("birth_date", []).append(_("The birth date is in the future."))
        cadre.birth_year = cadre.birth_date.year
    if cadre.birth_year and cadre.birth_year > today.year:
        errors.setdefault("birth_year", []).append(_("The birth year is in the future."))
    if not (cadre.full_name or "").strip():
        errors.setdefault("full_name", []).append(_("The full name is required."))
    if cadre.citizen_id and cadre.birth_year:
        problems = _citizen_id_errors(cadre)
        if problems:
            errors.setdefault("citizen_id", []).extend(problems)
    if cadre.party_official_date and cadre.party_admission_date and cadre.party_official_date < cadre.party_admission_date:
        errors.setdefault("party_official_date", []).append(_("Official membership cannot precede admission."))
    if cadre.retirement_adjust_months and not (cadre.retirement_adjust_basis or "").strip():
        errors.setdefault("retirement_adjust_basis", []).append(
            _("A retirement adjustment needs its legal basis."))
    if check_unique and cadre.citizen_id:
        if Cadre.objects.filter(citizen_id=cadre.citizen_id).exclude(pk=cadre.pk).exists():
            errors.setdefault("citizen_id", []).append(_("Another record already has this citizen ID."))
    if errors:
        raise ValidationError(errors)
    cadre.full_name = " ".join(cadre.full_name.split())
    cadre.name_folded = fold(cadre.full_name)
    cadre.full_clean(validate_unique=False)


def assignment_problems(a: Assignment, *, cadre: Cadre, unit, position=None) -> dict[str, list[str]]:
    """Every check :func:`assignment_create` makes, as ``{field: [messages]}`` (empty: fine).

    For a cadre not saved yet (the bulk import) the clash with other primary positions
    is not looked up: such a person holds none.
    """
    errors: dict[str, list[str]] = {}
    valid_from, valid_to = a.valid_from, a.valid_to
    try:
        a.full_clean(exclude=["cadre", "unit", "position"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if valid_from and not interval_within(valid_from, valid_to, unit.valid_from, unit.valid_to):
        errors.setdefault("valid_from", []).append(_(
            "The assignment must lie inside the period of %(unit)s (%(start)s – %(end)s).")
            % {"unit": unit.name, "start": unit.valid_from, "end": unit.last_valid_day or "…"})
    if a.decision_date and valid_from and a.decision_date > valid_from:
        errors.setdefault("decision_date", []).append(_("The decision is dated after the assignment starts."))
    if valid_from and (cadre.birth_date or cadre.birth_year) and _age_on(cadre, valid_from) < MIN_AGE_AT_APPOINTMENT:
        errors.setdefault("valid_from", []).append(_("The person would be under %(n)s at the start.")
                                                   % {"n": MIN_AGE_AT_APPOINTMENT})
    if a.kind == "rotation" and a.planned_return is None:
        errors.setdefault("planned_return", []).append(_("A rotation needs its planned return date."))
    if position is not None and position.unit_id != unit.pk:
        errors.setdefault("position", []).append(_("The position belongs to another unit."))
    if valid_from and a.is_primary and cadre.pk is not None:
        clash = cadre.assignments.filter(is_primary=True).filter(overlapping(valid_from, valid_to))
        if a.pk is not None:
            clash = clash.exclude(pk=a.pk)
        other = clash.first()
        if other is not None:
            errors.setdefault("valid_from", []).append(_(
                "%(name)s already holds a primary position over that period (%(title)s from %(start)s).")
                % {"name": cadre.full_name, "title": other.title, "start": other.valid_from})
    if position is not None and valid_from and "position" not in errors:
        taken = Assignment.objects.filter(position=position).filter(overlapping(valid_from, valid_to)).count()
        if taken >= position.count and not a.count_override_reason:
            errors.setdefault("count_override_reason", []).append(_(
                "All %(n)s seats of %(title)s are taken; give the reason for exceeding the count.")
                % {"n": position.count, "title": position.title})
    return errors


def personal_data_access_log_many(*, user, cadre_ids, channel: str = "web", path: str = "",
                                  user_name: str = "") -> int:
    """One access-log row per cadre id (an export, a list page): one INSERT per batch."""
    name = user_name or getattr(user, "username", "") or ""
    uid = user.pk if getattr(user, "pk", None) else None
    rows, total = [], 0
    for cid in cadre_ids:
        rows.append(PersonalDataAccess(user_id=uid, user_name=name[:150], cadre_id=cid, channel=channel,
                                       path=path[:300]))
        if len(rows) >= 2000:
            total += len(PersonalDataAccess.objects.bulk_create(rows))
            rows = []
    if rows:
        total += len(PersonalDataAccess.objects.bulk_create(rows))
    return total


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch) -> None:
    saved_search.delete()


@transaction.atomic
def cadre_link_user(*, cadre: Cadre, user, by) -> Cadre:
    """Link ``cadre`` to a user account (``user=None`` unlinks): administrators only.

    One account per person and one person per account; the account's scopes must hold
    the cadre's unit, so that "my tasks" and "my superior" stay inside what the user sees.
    """
    from tinhgon.core.audit import audit_event
    from tinhgon.core.scoping import in_scope

    if by is not None and not by.may("administer"):
        raise PermissionDenied(_("Only administrators may link a user account to a cadre record."))
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if user is not None:
        other = Cadre.objects.filter(user=user).exclude(pk=cadre.pk).first()
        if other is not None:
            raise ValidationError({"user": [_("This account is already linked to %(name)s.") % {"name": other}]})
        if cadre.unit_path and not in_scope(user, cadre.unit_path):
            raise ValidationError({"user": [_("The account's scopes do not hold this cadre's unit.")]})
    before = cadre.user_id
    cadre.user = user
    cadre.save(update_fields=["user"])
    audit_event(kind="cadre.user_linked", message=f"{cadre}: {getattr(user, 'username', '—')}",
                data={"cadre": cadre.pk, "user": getattr(user, "pk", None), "before": before},
                **({"user": by} if by is not None else {}))
    return cadre
