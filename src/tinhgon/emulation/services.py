"""Every write of the good models registry (keyword-only, atomic, scope-checked, one audit event)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.core.audit import audit_event
from tinhgon.core.scoping import VIEW, may_reach, require_scope
from tinhgon.core.text import fold

from .models import GoodModel

EDITABLE = ("title", "field", "unit", "year", "owner", "recognition_level", "recognition_decision", "document",
            "description", "evidence_file", "evidence_url")


def _check(gm: GoodModel, user) -> None:
    errors: dict[str, list[str]] = {}
    gm.title = (gm.title or "").strip()
    gm.title_folded = fold(gm.title)[:300]
    year = timezone.localdate().year
    if gm.year and gm.year > year:
        errors.setdefault("year", []).append(_("The year cannot be after this year."))
    if gm.unit_id and gm.year and gm.unit.valid_from.year > gm.year:
        errors.setdefault("year", []).append(
            _("%(unit)s did not exist in %(year)s.") % {"unit": gm.unit.name, "year": gm.year})
    if gm.document_id:
        if user is not None and not may_reach(user, gm.document, VIEW):
            raise PermissionDenied(_("The document is outside your scope."))
        if gm.year and gm.document.issued_on.year > gm.year + 1:
            errors.setdefault("document", []).append(_("The recognition decision is dated long after the year."))
    try:
        gm.full_clean(exclude=["title_folded"] + ([] if gm.evidence_file else ["evidence_file"]))
    except ValidationError as exc:
        for k, v in exc.message_dict.items():
            errors.setdefault(k, []).extend(v)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def good_model_create(*, user=None, unit, title: str, field: str, year: int, recognition_level: str, owner: str = "",
                      recognition_decision: str = "", document=None, description: str = "", evidence_file=None,
                      evidence_url: str = "") -> GoodModel:
    require_scope(user, [unit.path])
    gm = GoodModel(unit=unit, title=title, field=field, year=year, recognition_level=recognition_level,
                   owner=(owner or "").strip(), recognition_decision=(recognition_decision or "").strip(),
                   document=document, description=description or "", evidence_url=(evidence_url or "").strip())
    if evidence_file:
        gm.evidence_file = evidence_file
    _check(gm, user)
    gm.save()
    audit_event(kind="emulation.good_model_created", message=gm.title, data={"good_model": gm.pk, "unit": unit.code})
    return gm


@transaction.atomic
def good_model_update(*, user=None, good_model: GoodModel, **fields) -> GoodModel:
    require_scope(user, [good_model.unit.path])
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError({k: [_("This field cannot be changed.")] for k in sorted(unknown)})
    if "unit" in fields and fields["unit"] is not None:
        require_scope(user, [fields["unit"].path])
    for k, v in fields.items():
        if k == "evidence_file" and not v:
            continue
        setattr(good_model, k, v.strip() if isinstance(v, str) and k != "description" else v)
    _check(good_model, user)
    good_model.save()
    audit_event(kind="emulation.good_model_changed", message=good_model.title, data={"good_model": good_model.pk})
    return good_model


@transaction.atomic
def good_model_delete(*, user=None, good_model: GoodModel) -> None:
    require_scope(user, [good_model.unit.path])
    title, pk = good_model.title, good_model.pk
    good_model.delete()
    audit_event(kind="emulation.good_model_deleted", message=title, data={"good_model": pk})
