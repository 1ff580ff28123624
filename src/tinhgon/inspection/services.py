"""Writes of inspection and supervision: plans, inspections and their workflow (planned → in
progress → concluded, or cancelled), findings, disciplinary measures (RULES.md §8) and
recommendations. Every write checks the acting user's scope (action ``inspect``) over every
unit it touches — the commission, the inspected organization, the disciplined person's unit,
a recommendation's owner — and records one event. A recommendation's owner reports on it
(action ``change``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tinhgon.core.audit import audit_event
from tinhgon.core.dated import valid_on
from tinhgon.core.rulesets import rule_set_for
from tinhgon.core.scoping import may_reach, require_scope

from . import rules
from .models import Finding, Inspection, InspectionPlan, Measure, Recommendation
from .rulesets import DISCIPLINE

INSPECT = "inspect"


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _cadre_paths(cadres) -> list[str]:
    return [c.unit_path for c in cadres if c is not None and c.unit_path]


# Plans ------------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, user=None, commission, year: int, title: str, period_start: dt.date, period_end: dt.date,
                themes: str = "", team=(), note: str = "") -> InspectionPlan:
    if commission is None:
        raise ValidationError({"commission": [_("Choose the inspection commission.")]})
    team = list(team or [])
    require_scope(user, [commission.path, *_cadre_paths(team)], INSPECT)
    if period_end < period_start:
        raise ValidationError({"period_end": [_("The period cannot end before it starts.")]})
    plan = InspectionPlan(commission=commission, commission_path=commission.path, year=year, title=(title or "").strip(),
                          themes=themes, period_start=period_start, period_end=period_end, note=note)
    plan.full_clean()
    plan.save()
    if team:
        plan.team.set(team)
    audit_event(kind="inspection.plan_created", message=plan.title, data={"plan": plan.pk})
    return plan


@transaction.atomic
def plan_update(*, user=None, plan: InspectionPlan, title: str, period_start: dt.date, period_end: dt.date,
                themes: str = "", team=(), note: str = "", year: int | None = None) -> InspectionPlan:
    team = list(team or [])
    require_scope(user, [plan.commission_path, *_cadre_paths(team)], INSPECT)
    if period_end < period_start:
        raise ValidationError({"period_end": [_("The period cannot end before it starts.")]})
    plan.title, plan.period_start, plan.period_end, plan.themes, plan.note = (
        (title or "").strip(), period_start, period_end, themes, note)
    if year is not None:
        plan.year = year
    plan.full_clean()
    plan.save()
    plan.team.set(team)
    audit_event(kind="inspection.plan_changed", message=plan.title, data={"plan": plan.pk})
    return plan


# Inspections ------------------------------------------------------------------------------------


@transaction.atomic
def inspection_create(*, user=None, commission=None, title: str, start: dt.date, end: dt.date,
                      subject_unit=None, subject_cadre=None, activity: str = Inspection.INSPECTION,
                      kind: str = Inspection.THEMATIC, plan: InspectionPlan | None = None, lead=None,
                      note: str = "") -> Inspection:
    """An inspection or supervision of a party organization (``subject_unit``) or of a party
    member (``subject_cadre``; the organization is then the member's unit unless given)."""
    if plan is not None:
        commission = commission or plan.commission
        if commission.code != plan.commission.code:
            raise ValidationError({"plan": [_("The plan belongs to another commission.")]})
    if commission is None:
        raise ValidationError({"commission": [_("Choose the inspection commission.")]})
    if subject_cadre is not None and subject_unit is None:
        subject_unit = subject_cadre.unit
    if subject_unit is None:
        raise ValidationError({"subject_unit": [_("Choose the party organization or party member inspected.")]})
    if subject_unit.code == commission.code:
        raise ValidationError({"subject_unit": [_("A commission does not inspect itself.")]})
    require_scope(user, [commission.path, subject_unit.path, *_cadre_paths([subject_cadre, lead])], INSPECT)
    if end < start:
        raise ValidationError({"end": [_("The inspection cannot end before it starts.")]})
    obj = Inspection(plan=plan, commission=commission, commission_path=commission.path, activity=activity, kind=kind,
                     title=(title or "").strip(), subject_unit=subject_unit, subject_cadre=subject_cadre,
                     subject_path=subject_unit.path, start=start, end=end, lead=lead, note=note)
    obj.full_clean()
    obj.save()
    audit_event(kind="inspection.created", message=obj.title, data={"inspection": obj.pk})
    return obj


def _require_status(inspection: Inspection, statuses, message: str) -> None:
    if inspection.status not in statuses:
        raise ValidationError({"status": [message % {"status": inspection.get_status_display()}]})


@transaction.atomic
def inspection_start(*, user=None, inspection: Inspection, on: dt.date) -> Inspection:
    require_scope(user, [inspection.commission_path, inspection.subject_path], INSPECT)
    _require_status(inspection, [Inspection.PLANNED], _("Only a planned inspection can start (it is %(status)s)."))
    inspection.status, inspection.started_on = Inspection.IN_PROGRESS, on
    inspection.save(update_fields=["status", "started_on"])
    audit_event(kind="inspection.started", message=inspection.title, data={"inspection": inspection.pk})
    return inspection


@transaction.atomic
def inspection_conclude(*, user=None, inspection: Inspection, on: dt.date, conclusion: str,
                        violation: bool = False, document=None) -> Inspection:
    """Conclude: the conclusion is recorded and the inspected unit's scope may read it from now on."""
    require_scope(user, [inspection.commission_path, inspection.subject_path], INSPECT)
    _require_status(inspection, [Inspection.IN_PROGRESS],
                    _("Only an inspection in progress can be concluded (it is %(status)s)."))
    if not (conclusion or "").strip():
        raise ValidationError({"conclusion": [_("Write the conclusion.")]})
    if inspection.started_on and on < inspection.started_on:
        raise ValidationError({"on": [_("The conclusion cannot come before the start (%(day)s).")
                                      % {"day": _d(inspection.started_on)}]})
    inspection.status, inspection.concluded_on = Inspection.CONCLUDED, on
    inspection.conclusion, inspection.violation = conclusion.strip(), violation
    inspection.published_path = inspection.subject_path
    inspection.conclusion_document = document
    inspection.save(update_fields=["status", "concluded_on", "conclusion", "violation", "published_path",
                                   "conclusion_document"])
    audit_event(kind="inspection.concluded", message=inspection.title, data={"inspection": inspection.pk})
    return inspection


@transaction.atomic
def inspection_cancel(*, user=None, inspection: Inspection, reason: str) -> Inspection:
    require_scope(user, [inspection.commission_path, inspection.subject_path], INSPECT)
    _require_status(inspection, Inspection.OPEN, _("Only an open inspection can be cancelled (it is %(status)s)."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for cancelling.")]})
    inspection.status = Inspection.CANCELLED
    inspection.note = (inspection.note + "\n" if inspection.note else "") + reason.strip()
    inspection.save(update_fields=["status", "note"])
    audit_event(kind="inspection.cancelled", message=inspection.title, data={"inspection": inspection.pk})
    return inspection


@transaction.atomic
def finding_add(*, user=None, inspection: Inspection, topic: str, found_on: dt.date,
                severity: str = Finding.MINOR, description: str = "") -> Finding:
    require_scope(user, [inspection.commission_path, inspection.subject_path], INSPECT)
    _require_status(inspection, [Inspection.IN_PROGRESS],
                    _("Findings are recorded while the inspection is in progress (it is %(status)s)."))
    f = Finding(inspection=inspection, topic=(topic or "").strip(), found_on=found_on, severity=severity,
                description=description)
    f.full_clean()
    f.save()
    audit_event(kind="inspection.finding_added", message=f.topic, data={"inspection": inspection.pk, "finding": f.pk})
    return f


# Discipline -------------------------------------------------------------------------------------


def holds_post(cadre, on: dt.date) -> bool:
    """Whether ``cadre`` holds a post (an active assignment) on ``on``."""
    from tinhgon.cadres.models import Assignment

    return cadre.assignments.filter(valid_on(on), status=Assignment.ACTIVE).exists()


def member_kind(cadre, on: dt.date) -> str | None:
    """``full_member`` or ``probationary_member`` on ``on`` (the membership record first, else the
    cadre record's party dates); None when the person is no party member that day."""
    from tinhgon.party.models import PartyMember

    pm = (PartyMember.objects.filter(cadre=cadre, admission_date__lte=on)
          .exclude(left_on__lte=on).order_by("-admission_date").first())
    admission, official = ((pm.admission_date, pm.official_date) if pm is not None
                           else (cadre.party_admission_date, cadre.party_official_date))
    if admission is None or admission > on:
        return None
    return rules.FULL_MEMBER if official is not None and official <= on else rules.PROBATIONARY_MEMBER


@transaction.atomic
def measure_decide(*, user=None, inspection: Inspection, measure: str, act_date: dt.date, decision_date: dt.date,
                   effective_date: dt.date | None = None, reason: str, decision_number: str = "",
                   cadre=None, document=None) -> Measure:
    """Decide a disciplinary measure on the inspected organization (no ``cadre``) or on a party
    member (``cadre``: the inspected member or a member of the inspected organization).

    Refused, with nothing written: a measure the subject may not receive (cách chức of someone
    without a post, giải tán of a member, cách chức or khai trừ of a probationary member), a
    violation past its limitation period, a decision before the conclusion.  A measure on a
    member lands on the cadre's record (cadres.Discipline, body "party")."""
    effective_date = effective_date or decision_date
    paths = [inspection.commission_path, inspection.subject_path, *_cadre_paths([cadre])]
    require_scope(user, paths, INSPECT)
    _require_status(inspection, [Inspection.CONCLUDED],
                    _("Discipline is decided on a concluded inspection (it is %(status)s)."))
    if cadre is None and inspection.subject_cadre_id:
        cadre = inspection.subject_cadre
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason for the measure.")]
    if act_date > decision_date:
        errors["act_date"] = [_("The violation cannot come after the decision.")]
    if effective_date < decision_date:
        errors["effective_date"] = [_("The measure cannot take effect before its decision.")]
    if inspection.concluded_on and decision_date < inspection.concluded_on:
        errors["decision_date"] = [_("The decision cannot come before the conclusion (%(day)s).")
                                   % {"day": _d(inspection.concluded_on)}]
    if errors:
        raise ValidationError(errors)
    rs = rule_set_for(DISCIPLINE, decision_date)
    if cadre is None:
        subject_kind, post = rules.ORGANIZATION, False
    else:
        subject_kind = member_kind(cadre, decision_date)
        if subject_kind is None:
            raise ValidationError({"cadre": [_("%(name)s is not a party member on %(day)s.")
                                             % {"name": cadre.full_name, "day": _d(decision_date)}]})
        post = holds_post(cadre, decision_date)
    problem = rules.measure_problem(subject_kind=subject_kind, measure=measure, holds_post=post,
                                    parameters=rs.parameters)
    labels = dict(Measure.MEASURES)
    if problem == "no_post":
        raise ValidationError({"measure": [_("Removal from post (cách chức) needs a post: %(name)s holds none on "
                                             "%(day)s.") % {"name": cadre.full_name, "day": _d(decision_date)}]})
    if problem == "not_allowed":
        allowed = ", ".join(str(labels[m]) for m in rules.allowed_measures(subject_kind, rs.parameters))
        raise ValidationError({"measure": [_("%(measure)s is not a measure for a %(subject)s (allowed: %(allowed)s).")
                                           % {"measure": labels.get(measure, measure),
                                              "subject": str(dict(Measure.SUBJECT_KINDS)[subject_kind]).lower(),
                                              "allowed": allowed}]})
    lim = rules.limitation(measure=measure, act_date=act_date, decision_date=decision_date, parameters=rs.parameters)
    if lim.expired:
        raise ValidationError({"act_date": [_("The limitation period of %(years)s years for %(measure)s ended on "
                                              "%(day)s: this violation can no longer be disciplined.") % {
            "years": lim.years, "measure": labels[measure], "day": _d(lim.expires)}]})
    m = Measure(inspection=inspection, subject_kind=subject_kind, subject_unit=inspection.subject_unit if cadre is None
                else None, subject_cadre=cadre, measure=measure, act_date=act_date, decision_date=decision_date,
                effective_date=effective_date, decision_number=decision_number, reason=reason.strip(),
                rule_set=rs.code, limitation_until=lim.expires, document=document)
    m.full_clean()
    if cadre is not None:
        from tinhgon.cadres.services import discipline_add

        d = discipline_add(cadre=cadre, measure=measure, decision_date=decision_date, effective_date=effective_date,
                           body="party", act_date=act_date, decision_number=decision_number, reason=reason.strip())
        if document is not None:  # the cadre's record cites the same decision
            d.document = document
            d.save(update_fields=["document"])
        m.discipline = d
    m.save()
    audit_event(kind="inspection.measure_decided", message=str(m),
                data={"inspection": inspection.pk, "measure": measure, "cadre": getattr(cadre, "pk", None)})
    return m


# Recommendations --------------------------------------------------------------------------------


@transaction.atomic
def recommendation_add(*, user=None, inspection: Inspection, text: str, due: dt.date, owner_unit=None,
                       owner_cadre=None) -> Recommendation:
    """A recommendation of a concluded inspection, owned by a unit and/or a person, with a deadline."""
    if owner_unit is None and owner_cadre is None:
        raise ValidationError({"owner_unit": [_("A recommendation needs an owner: a unit, a person or both.")]})
    owner_path = owner_unit.path if owner_unit is not None else (owner_cadre.unit_path or "")
    require_scope(user, [inspection.commission_path, owner_path, *_cadre_paths([owner_cadre])], INSPECT)
    _require_status(inspection, [Inspection.CONCLUDED],
                    _("Recommendations follow the conclusion (the inspection is %(status)s)."))
    if inspection.concluded_on and due < inspection.concluded_on:
        raise ValidationError({"due": [_("The deadline cannot come before the conclusion (%(day)s).")
                                       % {"day": _d(inspection.concluded_on)}]})
    r = Recommendation(inspection=inspection, text=(text or "").strip(), owner_unit=owner_unit,
                       owner_cadre=owner_cadre, owner_path=owner_path, commission_path=inspection.commission_path,
                       due=due)
    r.full_clean()
    r.save()
    audit_event(kind="inspection.recommendation_added", message=r.text[:200],
                data={"inspection": inspection.pk, "recommendation": r.pk})
    return r


@transaction.atomic
def recommendation_report(*, user=None, recommendation: Recommendation, status: str, on: dt.date,
                          result: str = "") -> Recommendation:
    """The owner or the commission (``change`` in either's scope) reports a recommendation done or
    cancelled, saying what was done or why."""
    if user is not None and not may_reach(user, recommendation, "change"):
        raise PermissionDenied(_("You may not report on this recommendation."))
    if recommendation.status != Recommendation.OPEN:
        raise ValidationError({"status": [_("This recommendation is closed already.")]})
    if status not in (Recommendation.DONE, Recommendation.CANCELLED):
        raise ValidationError({"status": [_("Report it done or cancelled.")]})
    if not (result or "").strip():
        raise ValidationError({"result": [_("Say what was done (or why it is cancelled).")]})
    concluded = recommendation.inspection.concluded_on
    if concluded and on < concluded:
        raise ValidationError({"on": [_("The date cannot come before the conclusion (%(day)s).") % {"day": _d(concluded)}]})
    recommendation.status, recommendation.done_on, recommendation.result = status, on, result.strip()
    recommendation.save(update_fields=["status", "done_on", "result"])
    audit_event(kind="inspection.recommendation_closed", message=recommendation.text[:200],
                data={"recommendation": recommendation.pk, "status": status})
    return recommendation
