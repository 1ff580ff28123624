"""Every write of the documents registry.

Keyword-only ``<entity>_<verb>`` functions inside ``transaction.atomic``; each checks the
acting user's scope over every unit it touches (``user=None`` is the system: commands and
the generator), validates everything before writing and records one audit event.

Registering an issued document proposes its number (:func:`document_propose`): the term of
the issuer's party committee on the date (party types) or the calendar year (state types),
the sequence of the type's abbreviation, the highest number + 1, the issuer's symbol.  A
number that repeats or skips one is refused unless a reason is recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.core.audit import audit_event
from tinhgon.core.scoping import CHANGE, VIEW, may_reach, require_scope
from tinhgon.core.text import fold

from . import rules
from .models import PARTY, Document, DocumentRelation, DocumentType, IssuerSymbol

UPDATABLE = ("signer", "title", "summary", "attachment")


# Proposal --------------------------------------------------------------------------------------


@dataclass
class Proposal:
    """The number a new document of ``doc_type`` by ``unit`` on ``issued_on`` would get."""

    doc_type: DocumentType
    unit: object
    issued_on: dt.date
    term: object = None
    year: int = 0
    sequence_key: str = ""
    number: int | None = None
    issuer_symbol: str = ""
    symbol: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    def render(self, number: int | None = None, issuer_symbol: str | None = None) -> str:
        n = number if number is not None else self.number
        issuer = self.issuer_symbol if issuer_symbol is None else issuer_symbol
        if n is None or not issuer:
            return ""
        return rules.render_symbol(self.doc_type.symbol_pattern, number=n, abbreviation=self.doc_type.abbreviation,
                                   issuer=issuer, year=self.year)


def issuer_symbol_for(unit, on: dt.date) -> str:
    """The issuer's symbol part for ``unit``: its own row, else its kind at its territory's level, else its kind."""
    from tinhgon.apparatus.selectors import unit_for_code

    rows = {(r.body_code, r.unit_kind, r.territory_level): r.symbol for r in IssuerSymbol.objects.filter(
        body_code__in=["", unit.code])}
    if (unit.code, "", "") in rows:
        return rows[(unit.code, "", "")]
    kind = unit.kind.code
    parent = unit_for_code(unit.parent_code, on) if unit.parent_code else None
    level = parent.level.code if parent is not None else ""
    return rows.get(("", kind, level)) or rows.get(("", kind, "")) or ""


def is_party_body(unit) -> bool:
    return unit.kind.category == "party"


def sequence_numbers(key: str, *, exclude_pk: int | None = None) -> list[int]:
    qs = Document.objects.filter(sequence_key=key, direction=Document.ISSUED, number__isnull=False)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.values_list("number", flat=True))


def document_propose(*, doc_type: DocumentType, unit, issued_on: dt.date, term=None) -> Proposal:
    """The number, term or year and symbol an issued document would get (nothing is written)."""
    from tinhgon.apparatus.selectors import term_on

    p = Proposal(doc_type=doc_type, unit=unit, issued_on=issued_on, year=issued_on.year)
    if not doc_type.in_use_on(issued_on):
        p.errors.setdefault("doc_type", []).append(
            _("The type %(type)s is not in use on %(date)s (%(basis)s).")
            % {"type": doc_type.name, "date": issued_on.strftime("%d/%m/%Y"), "basis": doc_type.legal_basis or "—"})
    if not unit.valid_from <= issued_on or (unit.valid_to and issued_on >= unit.valid_to):
        p.errors.setdefault("issued_on", []).append(
            _("%(unit)s did not exist on %(date)s.") % {"unit": unit.name, "date": issued_on.strftime("%d/%m/%Y")})
    if doc_type.system == PARTY and not is_party_body(unit):
        p.errors.setdefault("doc_type", []).append(
            _("%(type)s is a party document type; %(unit)s is not a party body.")
            % {"type": doc_type.name, "unit": unit.name})
    if doc_type.system != PARTY and is_party_body(unit):
        p.errors.setdefault("doc_type", []).append(
            _("%(type)s is a state document type; %(unit)s is a party body.")
            % {"type": doc_type.name, "unit": unit.name})
    if doc_type.system == PARTY:
        found = term_on(unit, issued_on, kind="party_committee")
        if term is not None and found is not None and term.pk != found.pk:
            p.errors.setdefault("term", []).append(
                _("The date %(date)s lies outside the term %(term)s (%(start)s – %(end)s).")
                % {"date": issued_on.strftime("%d/%m/%Y"), "term": term.label,
                   "start": term.valid_from.strftime("%d/%m/%Y"),
                   "end": term.valid_to.strftime("%d/%m/%Y") if term.valid_to else "…"})
        elif found is None:
            p.errors.setdefault("issued_on", []).append(
                _("No term of %(unit)s is recorded on %(date)s: record the term under the apparatus first.")
                % {"unit": unit.name, "date": issued_on.strftime("%d/%m/%Y")})
        p.term = found
        if found is not None:
            p.sequence_key = rules.sequence_key(system=PARTY, body_code=unit.code, group=doc_type.sequence,
                                                term_id=found.pk)
    else:
        p.sequence_key = rules.sequence_key(system=doc_type.system, body_code=unit.code, group=doc_type.sequence,
                                            year=issued_on.year)
    if p.sequence_key:
        p.number = rules.next_number(sequence_numbers(p.sequence_key))
    p.issuer_symbol = issuer_symbol_for(unit, issued_on)
    p.symbol = p.render()
    return p


# Registering -----------------------------------------------------------------------------------


def _clean_text(value) -> str:
    return (value or "").strip()


def _check_common(doc: Document, errors: dict) -> None:
    today = timezone.localdate()
    if doc.issued_on and doc.issued_on > today:
        errors.setdefault("issued_on", []).append(_("A document cannot be dated after today."))
    if not doc.title:
        errors.setdefault("title", []).append(_("Give the document's title."))


def _fill_search(doc: Document) -> None:
    doc.symbol_folded = rules.fold_symbol(doc.symbol)[:80]
    doc.symbol_tail = rules.symbol_tail(doc.symbol_folded)
    doc.title_folded = fold(doc.title)[:500]


def _full_clean(doc: Document, errors: dict) -> None:
    try:
        doc.full_clean(exclude=["symbol_folded", "symbol_tail", "title_folded"]
                       + ([] if doc.attachment else ["attachment"]))
    except ValidationError as exc:
        for k, v in exc.message_dict.items():
            errors.setdefault(k, []).extend(m for m in v if m not in errors.get(k, []))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def document_register(*, user=None, doc_type: DocumentType, unit, issued_on: dt.date, title: str,
                      number: int | None = None, number_reason: str = "", issuer_symbol: str = "", term=None,
                      signer: str = "", summary: str = "", attachment=None, replaces=(), amends=()) -> Document:
    """Register a document issued by ``unit``; ``number`` None takes the proposed one."""
    from tinhgon.apparatus.models import Unit

    require_scope(user, [unit.path])
    # Registrations of one issuer queue here, so two people never take the same number at once.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    p = document_propose(doc_type=doc_type, unit=unit, issued_on=issued_on, term=term)
    errors: dict[str, list[str]] = {k: list(v) for k, v in p.errors.items()}
    reason = _clean_text(number_reason)
    issuer = _clean_text(issuer_symbol) or p.issuer_symbol
    if not issuer:
        errors.setdefault("issuer_symbol", []).append(
            _("No issuer symbol is configured for %(unit)s: write it (e.g. TU, UBND).") % {"unit": unit.name})
    if number is None:
        number = p.number
    elif number < 1:
        errors.setdefault("number", []).append(_("The number must be 1 or more."))
    if p.sequence_key and number and number >= 1:
        check = rules.check_number(sequence_numbers(p.sequence_key), number)
        if check.duplicate and not reason:
            errors.setdefault("number", []).append(
                _("Number %(n)s of this sequence is taken already (the next one is %(next)s); record the reason "
                  "for repeating it.") % {"n": number, "next": check.proposed})
        elif check.skipped and not reason:
            errors.setdefault("number", []).append(
                _("Number %(n)s skips %(skipped)s (the next one is %(next)s); record the reason for the gap.")
                % {"n": number, "skipped": rules.skipped_text(check.skipped), "next": check.proposed})
    doc = Document(direction=Document.ISSUED, doc_type=doc_type, unit=unit, term=p.term, year=issued_on.year,
                   sequence_key=p.sequence_key, number=number, number_reason=reason, issuer_symbol=issuer,
                   symbol=(p.render(number, issuer) if number and number >= 1 else "")[:80], issued_on=issued_on,
                   signer=_clean_text(signer), title=_clean_text(title), summary=summary or "")
    if attachment:
        doc.attachment = attachment
    _check_common(doc, errors)
    _fill_search(doc)
    _full_clean(doc, errors)
    doc.save()
    _relate_all(user, doc, replaces, amends)
    audit_event(kind="documents.registered", message=doc.symbol,
                data={"document": doc.pk, "unit": unit.code, "number": number, "reason": reason})
    return doc


@transaction.atomic
def document_receive(*, user=None, doc_type: DocumentType, unit, symbol: str, issuer_name: str,
                     issued_on: dt.date, title: str, signer: str = "", summary: str = "", attachment=None,
                     replaces=(), amends=()) -> Document:
    """Record a document ``unit`` received from another issuer, its symbol as written (no sequence)."""
    require_scope(user, [unit.path])
    errors: dict[str, list[str]] = {}
    symbol = " ".join(_clean_text(symbol).split())
    if not symbol:
        errors.setdefault("symbol", []).append(_("Write the number and symbol as on the document (e.g. 127-KL/TW)."))
    if not _clean_text(issuer_name):
        errors.setdefault("issuer_name", []).append(_("Name the issuer of the received document."))
    doc = Document(direction=Document.RECEIVED, doc_type=doc_type, unit=unit, issuer_name=_clean_text(issuer_name),
                   year=issued_on.year, number=rules.leading_number(symbol), symbol=symbol[:80],
                   issued_on=issued_on, signer=_clean_text(signer), title=_clean_text(title), summary=summary or "")
    if attachment:
        doc.attachment = attachment
    _check_common(doc, errors)
    _fill_search(doc)
    _full_clean(doc, errors)
    doc.save()
    _relate_all(user, doc, replaces, amends)
    audit_event(kind="documents.received", message=doc.symbol, data={"document": doc.pk, "unit": unit.code})
    return doc


@transaction.atomic
def document_update(*, user=None, document: Document, **fields) -> Document:
    """Change the signer, title, summary or attachment (the number and issuer stay: register anew)."""
    require_scope(user, [document.unit.path])
    unknown = set(fields) - set(UPDATABLE)
    if unknown:
        raise ValidationError({k: [_("This field cannot be changed.")] for k in sorted(unknown)})
    for k, v in fields.items():
        if k == "attachment" and not v:
            continue
        setattr(document, k, _clean_text(v) if isinstance(v, str) else v)
    errors: dict[str, list[str]] = {}
    _check_common(document, errors)
    _fill_search(document)
    _full_clean(document, errors)
    document.save()
    audit_event(kind="documents.changed", message=document.symbol, data={"document": document.pk})
    return document


@transaction.atomic
def document_set_status(*, user=None, document: Document, status: str, on: dt.date | None = None) -> Document:
    require_scope(user, [document.unit.path])
    if status not in dict(Document.STATUSES):
        raise ValidationError({"status": [_("Unknown validity.")]})
    document.status = status
    document.status_on = None if status == Document.IN_FORCE else (on or timezone.localdate())
    if document.status_on and document.status_on < document.issued_on:
        raise ValidationError({"status_on": [_("The validity cannot change before the document's date.")]})
    document.save()
    audit_event(kind="documents.status", message=f"{document.symbol}: {status}", data={"document": document.pk})
    return document


def _relate_all(user, doc: Document, replaces, amends) -> None:
    for kind, targets in ((DocumentRelation.REPLACES, replaces), (DocumentRelation.AMENDS, amends)):
        for target in targets or ():
            _relate(user, doc, target, kind)


def _relate(user, source: Document, target: Document, kind: str) -> DocumentRelation:
    if target.pk == source.pk:
        raise ValidationError({"replaces": [_("A document cannot replace or amend itself.")]})
    if user is not None and not may_reach(user, target, VIEW):
        raise PermissionDenied(_("The earlier document is outside your scope."))
    if target.issued_on > source.issued_on:
        raise ValidationError({"replaces": [_("%(symbol)s is dated after this document; it cannot be replaced or "
                                              "amended by it.") % {"symbol": target.symbol}]})
    if DocumentRelation.objects.filter(source=source, target=target).exists():
        raise ValidationError({"replaces": [_("%(symbol)s is linked already.") % {"symbol": target.symbol}]})
    rel = DocumentRelation(source=source, target=target, kind=kind)
    rel.full_clean()
    rel.save()
    if kind == DocumentRelation.REPLACES and target.status != Document.REPLACED:
        target.status, target.status_on = Document.REPLACED, source.issued_on
        target.save(update_fields=["status", "status_on"])
    return rel


@transaction.atomic
def document_relate(*, user=None, document: Document, target: Document, kind: str) -> DocumentRelation:
    """Record that ``document`` replaces (the earlier one becomes replaced) or amends ``target``."""
    require_scope(user, [document.unit.path])
    if kind not in dict(DocumentRelation.KINDS):
        raise ValidationError({"kind": [_("Unknown relation.")]})
    rel = _relate(user, document, target, kind)
    audit_event(kind="documents.related", message=str(rel), data={"document": document.pk, "target": target.pk,
                                                                  "kind": kind})
    return rel


@transaction.atomic
def document_delete(*, user=None, document: Document) -> None:
    """Delete a document registered by mistake; one that records cite is refused."""
    require_scope(user, [document.unit.path])
    symbol, pk = document.symbol, document.pk
    try:
        document.delete()
    except ProtectedError as exc:
        raise ValidationError(_("%(symbol)s is cited by %(n)s records (plans, programs, decisions or later "
                                "documents); unlink them first.") % {"symbol": symbol, "n": len(exc.protected_objects)}) from None
    audit_event(kind="documents.deleted", message=symbol, data={"document": pk})


# Links from other records ------------------------------------------------------------------------


def link_targets():
    """What may cite a registered document: (key, model, label, the action changing it, its unit path)."""
    from tinhgon.cadres.models import Assignment, Discipline
    from tinhgon.restructuring.models import Plan
    from tinhgon.tasks.models import Program, Task

    return {
        "plan": (Plan, _("Restructuring plan"), "plan"),
        "program": (Program, _("Work program"), CHANGE),
        "task": (Task, _("Task"), CHANGE),
        "assignment": (Assignment, _("Assignment decision"), CHANGE),
        "discipline": (Discipline, _("Disciplinary decision"), CHANGE),
    }


def _record(kind: str, pk: int, user, action: str):
    from tinhgon.core.scoping import restrict

    model = link_targets()[kind][0]
    qs = model.objects.filter(pk=pk)
    if user is not None:
        qs = restrict(qs, user, action)
    obj = qs.first()
    if obj is None:
        raise ValidationError({"record": [_("No such record within your scope.")]})
    return obj


@transaction.atomic
def document_link(*, user=None, document: Document | None, kind: str, pk: int):
    """Make the record ``kind``/``pk`` cite ``document`` (None: unlink); its free-text reference stays.

    The user needs the right to change the record (plans: the planning action) and to see
    the document.
    """
    if kind not in link_targets():
        raise ValidationError({"kind": [_("Unknown kind of record.")]})
    action = link_targets()[kind][2]
    record = _record(kind, pk, user, action)
    if document is not None and user is not None and not may_reach(user, document, VIEW):
        raise PermissionDenied(_("The document is outside your scope."))
    if kind == "plan" and record.status == "applied" and user is not None and not user.is_unrestricted:
        raise PermissionDenied(_("An applied plan's legal basis is changed by administrators only."))
    record.document = document
    record.save(update_fields=["document"])
    audit_event(kind="documents.linked" if document else "documents.unlinked",
                message=f"{kind} {pk}: {document.symbol if document else '—'}",
                data={"document": getattr(document, "pk", None), "kind": kind, "record": pk})
    return record


# Types and issuer symbols (administrators) -------------------------------------------------------


def _check_type(t: DocumentType) -> None:
    errors: dict[str, list[str]] = {}
    problems = rules.pattern_problems(t.symbol_pattern or "")
    if problems:
        errors["symbol_pattern"] = [_("The symbol form must contain the number ({nn} or {n}) and only {nn}, {n}, "
                                      "{abbr}, {issuer}, {year}.")]
    if t.valid_from and t.valid_to and t.valid_to <= t.valid_from:
        errors["valid_to"] = [_("The end must come after the start.")]
    try:
        t.full_clean()
    except ValidationError as exc:
        for k, v in exc.message_dict.items():
            errors.setdefault(k, []).extend(v)
    if errors:
        raise ValidationError(errors)


def _require_admin(user) -> None:
    from tinhgon.core.scoping import may_change_everywhere

    if user is not None and not may_change_everywhere(user):
        raise PermissionDenied(_("Only users who may change records everywhere maintain document types."))


@transaction.atomic
def document_type_save(*, user=None, instance: DocumentType) -> DocumentType:
    """Create or change a document type (national reference data)."""
    _require_admin(user)
    _check_type(instance)
    created = instance.pk is None
    instance.save()
    audit_event(kind="documents.type_created" if created else "documents.type_changed", message=str(instance),
                data={"type": instance.pk})
    return instance
