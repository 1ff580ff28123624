"""Every write of work programs and tasks.

Keyword-only ``<entity>_<verb>`` functions inside ``transaction.atomic``; each checks the
acting user's scope over every unit it touches (``user=None`` is the system: commands,
the generator, a restructuring), validates before writing anything, writes one dated
:class:`TaskEvent` per business action and one audit event.

Who may do what: the lead unit changes a task (create, edit, issue, report, submit,
request an extension, cancel); the accepting authority accepts or returns its product and
approves extensions (the ``approve`` action over the authority unit).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tinhgon.core.audit import audit_event
from tinhgon.core.dated import valid_on
from tinhgon.core.scoping import may_reach, require_scope

from . import rules
from .models import Notification, Program, Section, Task, TaskEvent

EDITABLE = ("title", "content", "assignee", "leader", "start", "deadline", "lead_unit", "product_type",
            "product_description", "authority_unit", "authority_power", "parent", "section")


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


# Programs --------------------------------------------------------------------------------------


@transaction.atomic
def program_create(*, user=None, unit, title: str, term=None, year: int | None = None, source_symbol: str = "",
                   source_issuer: str = "", source_date: dt.date | None = None, source_title: str = "",
                   note: str = "", sections: list[str] | tuple[str, ...] = ()) -> Program:
    """A work program of ``unit``; needs a term (of the unit's body) or a year."""
    require_scope(user, [unit.path])
    program = Program(unit=unit, term=term, year=year, title=(title or "").strip(),
                      source_symbol=(source_symbol or "").strip(), source_issuer=(source_issuer or "").strip(),
                      source_date=source_date, source_title=(source_title or "").strip(), note=note or "")
    _check_program(program)
    program.save()
    for i, text in enumerate(s for s in sections if s and s.strip()):
        Section.objects.create(program=program, order=i + 1, title=text.strip())
    audit_event(kind="tasks.program_created", message=program.title, data={"program": program.pk, "unit": unit.code})
    return program


def _check_program(program: Program) -> None:
    errors: dict[str, list[str]] = {}
    if program.term_id is None and not program.year:
        errors["year"] = [_("Give the term or the year of the program.")]
    if program.term_id is not None and program.term.body_code != program.unit.code:
        errors["term"] = [_("The term must be a term of the program's unit.")]
    if program.year and program.term_id is not None:
        t = program.term
        if dt.date(program.year, 12, 31) < t.valid_from or (t.valid_to and dt.date(program.year, 1, 1) >= t.valid_to):
            errors["year"] = [_("The year lies outside the term.")]
    try:
        program.full_clean()
    except ValidationError as exc:
        for k, v in exc.message_dict.items():
            errors.setdefault(k, []).extend(v)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def program_update(*, user=None, program: Program, **fields) -> Program:
    require_scope(user, [program.unit.path])
    for k, v in fields.items():
        if k in ("unit",):
            require_scope(user, [v.path])
        setattr(program, k, v.strip() if isinstance(v, str) else v)
    _check_program(program)
    program.save()
    audit_event(kind="tasks.program_changed", message=program.title, data={"program": program.pk})
    return program


@transaction.atomic
def section_add(*, user=None, program: Program, title: str) -> Section:
    require_scope(user, [program.unit.path])
    if not (title or "").strip():
        raise ValidationError({"title": [_("Give the section a title.")]})
    order = (program.sections.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    section = Section.objects.create(program=program, order=order, title=title.strip())
    audit_event(kind="tasks.section_added", message=section.title, data={"program": program.pk})
    return section


# Task checks ------------------------------------------------------------------------------------


def holds_post_in(cadre, unit, day: dt.date) -> bool:
    """Whether ``cadre`` holds an active assignment in ``unit`` (any version of its code) on ``day``."""
    from tinhgon.cadres.models import Assignment

    return Assignment.objects.filter(valid_on(day), cadre=cadre, unit__code=unit.code,
                                     status=Assignment.ACTIVE).exists()


def holds_power(unit, power, day: dt.date) -> bool:
    """Whether ``unit`` (by code) holds ``power`` on ``day``."""
    from tinhgon.apparatus.models import PowerHolding

    return PowerHolding.objects.filter(valid_on(day), unit__code=unit.code, power=power).exists()


def _check_task(task: Task, *, day: dt.date) -> None:
    """The errors that refuse a save even of a draft (a wrong clear is not a missing one)."""
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if task.start and task.deadline and task.deadline < task.start:
        err("deadline", _("The deadline (%(deadline)s) is before the start (%(start)s).")
            % {"deadline": task.deadline.strftime("%d/%m/%Y"), "start": task.start.strftime("%d/%m/%Y")})
    if task.assignee_id and task.lead_unit_id and not holds_post_in(task.assignee, task.lead_unit, day):
        err("assignee", _("%(cadre)s holds no position in the lead unit %(unit)s.")
            % {"cadre": task.assignee.full_name, "unit": task.lead_unit.name})
    if task.authority_unit_id and task.authority_power_id:
        on = task.due or task.deadline or day
        if not holds_power(task.authority_unit, task.authority_power, on):
            err("authority_power", _("%(unit)s does not hold the power “%(power)s” on %(day)s.")
                % {"unit": task.authority_unit.name, "power": task.authority_power.name, "day": on.strftime("%d/%m/%Y")})
    elif task.authority_power_id and not task.authority_unit_id:
        err("authority_unit", _("Name the unit that holds the power."))
    if task.parent_id:
        parent = task.parent
        if parent.program_id != task.program_id:
            err("parent", _("The parent task belongs to another program."))
        seen, node = set(), parent
        while node is not None:
            if task.pk and node.pk == task.pk:
                err("parent", _("A task cannot be a sub-task of itself or of its own sub-tasks."))
                break
            if node.pk in seen:
                break
            seen.add(node.pk)
            node = node.parent
        parent_due = parent.due or parent.deadline
        own = task.due or task.deadline
        if parent_due and own and own > parent_due:
            err("deadline", _("A sub-task cannot be due (%(own)s) after its parent task (%(parent)s).")
                % {"own": own.strftime("%d/%m/%Y"), "parent": parent_due.strftime("%d/%m/%Y")})
    if task.section_id and task.section.program_id != task.program_id:
        err("section", _("The section belongs to another program."))
    if task.pk:
        late = [c.title for c in task.children.all() if (c.due or c.deadline) and (task.due or task.deadline)
                and (c.due or c.deadline) > (task.due or task.deadline)]
        if late:
            err("deadline", _("Sub-tasks would be due after the task: %(tasks)s.") % {"tasks": "; ".join(late[:5])})
    try:
        task.full_clean(exclude=["lead_path", "coordinating_units"])
    except ValidationError as exc:
        for k, v in exc.message_dict.items():
            errors.setdefault(k, []).extend(v)
    if errors:
        raise ValidationError(errors)


def task_missing_clears(task: Task) -> list[str]:
    """The keys of the clears ``task`` misses (see :data:`rules.CLEARS`)."""
    return rules.missing_clears(
        assignee=bool(task.assignee_id), title=task.title, content=task.content, start=task.start,
        deadline=task.deadline, lead_unit=bool(task.lead_unit_id), leader=bool(task.leader_id),
        product_type=task.product_type, product_description=task.product_description,
        authority_unit=bool(task.authority_unit_id), authority_power=bool(task.authority_power_id))


def missing_message(keys: list[str]) -> str:
    return _("Missing clears: %(clears)s.") % {"clears": "; ".join(str(rules.CLEAR_LABELS[k]) for k in keys)}


def _event(task: Task, kind: str, on: dt.date, user=None, note: str = "", **extra) -> TaskEvent:
    ev = TaskEvent.objects.create(task=task, kind=kind, on=on, actor=user if getattr(user, "pk", None) else None,
                                  note=note or "", progress=extra.pop("progress", None),
                                  attachment=extra.pop("attachment", None) or "", data=extra)
    audit_event(kind=f"tasks.{kind}", message=f"{task.title}", data={"task": task.pk, "on": on.isoformat(), **extra})
    return ev


def _mail_configured() -> bool:
    return (settings.EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend"
            or getattr(settings, "EMAIL_HOST", "localhost") != "localhost")


def _notify(cadres, task: Task, message: str) -> None:
    """An in-app notice to the users linked to ``cadres`` (and an e-mail when mail is configured)."""
    users = {c.user for c in cadres if c is not None and c.user_id and c.user.is_active}
    for u in users:
        Notification.objects.create(user=u, task=task, message=message[:400])
    if users and _mail_configured():
        from django.core.mail import send_mail

        recipients = [u.email for u in users if u.email]
        if recipients:
            transaction.on_commit(lambda: send_mail(f"[tinhgon] {task.title}"[:150], message,
                                                    None, recipients, fail_silently=True))


def _day(on: dt.date | None) -> dt.date:
    """The date of an event: today, or an earlier day recorded late; never a day to come."""
    if on is not None and on > _today():
        raise ValidationError({"on": [_("An event cannot be dated in the future.")]})
    return on or _today()


def _not_before(task: Task, on: dt.date, field: str = "on") -> None:
    last = (task.events.exclude(kind__in=(TaskEvent.CREATED, TaskEvent.CHANGED, TaskEvent.MOVED))
            .order_by("-on").values_list("on", flat=True).first())
    if last and on < last:
        raise ValidationError({field: [_("The date is before the task's last event (%(day)s).")
                                       % {"day": last.strftime("%d/%m/%Y")}]})


def _require_program(user, program: Program) -> None:
    if user is not None and not may_reach(user, program, "view"):
        raise PermissionDenied(_("The program lies outside your scope."))


# Tasks ------------------------------------------------------------------------------------------


@transaction.atomic
def task_create(*, user=None, program: Program, title: str, content: str = "", lead_unit=None, assignee=None,
                leader=None, start: dt.date | None = None, deadline: dt.date | None = None,
                coordinating_units=(), product_type: str = "", product_description: str = "",
                authority_unit=None, authority_power=None, parent: Task | None = None, section: Section | None = None,
                on: dt.date | None = None) -> Task:
    """A draft task; the assignee and the leader in charge default to the head of the lead unit."""
    from tinhgon.cadres.selectors import unit_head

    day = _day(on)
    lead_unit = lead_unit or program.unit
    _require_program(user, program)
    require_scope(user, [lead_unit.path])
    _require_named_units(user, lead_unit, coordinating_units, authority_unit)
    if assignee is None or leader is None:
        head = unit_head(lead_unit, on=day)
        assignee = assignee or head
        leader = leader or head
    task = Task(program=program, section=section, parent=parent, title=(title or "").strip(),
                content=(content or "").strip(), lead_unit=lead_unit, lead_path=lead_unit.path, assignee=assignee,
                leader=leader, start=start, deadline=deadline, due=deadline, product_type=product_type or "",
                product_description=(product_description or "").strip(), authority_unit=authority_unit,
                authority_power=authority_power)
    _check_task(task, day=day)
    task.save()
    coordinating = [u for u in coordinating_units if u.pk != lead_unit.pk]
    if coordinating:
        task.coordinating_units.set(coordinating)
    _event(task, TaskEvent.CREATED, day, user)
    return task


def _require_change(user, task: Task) -> None:
    require_scope(user, [task.lead_path])


def _require_named_units(user, lead_unit, coordinating=(), authority_unit=None) -> None:
    """A task shows in every unit it names: the drafter must hold each coordinating unit and the
    accepting authority in scope — or the unit must be one the lead unit reports to (a superior
    body accepts its subordinates' products, whoever drafts them)."""
    if user is None or getattr(user, "is_unrestricted", False):
        return
    from tinhgon.core.scoping import path_within

    scopes = user.scope_paths()
    outside = [u for u in [*coordinating, *([authority_unit] if authority_unit is not None else [])]
               if not lead_unit.path.startswith(u.path) and not any(path_within(u.path, p) for p in scopes)]
    if outside:
        raise PermissionDenied(_("These units lie outside your scope and above no unit the task is led by: "
                                 "%(units)s.") % {"units": ", ".join(f"{u.name} ({u.code})" for u in outside)})


def _require_approve(user, task: Task) -> None:
    if task.authority_unit_id is None:
        raise ValidationError({"authority_unit": [_("The task names no accepting authority.")]})
    require_scope(user, [task.authority_unit.path], "approve",
                  message=_("Only the accepting authority (%(unit)s) may do this.") % {"unit": task.authority_unit.name})


def _refuse_closed(task: Task) -> None:
    if task.status == Task.ACCEPTED:
        raise ValidationError({"status": [_("The task was accepted on %(day)s: it can no longer be changed.")
                                          % {"day": task.accepted_on.strftime("%d/%m/%Y") if task.accepted_on else ""}]})
    if task.status == Task.CANCELLED:
        raise ValidationError({"status": [_("The task was cancelled: it can no longer be changed.")]})


@transaction.atomic
def task_update(*, user=None, task: Task, coordinating_units=None, on: dt.date | None = None, **fields) -> Task:
    """Change a task's clears; refused after acceptance or cancellation; after issue the deadline moves
    only through an extension."""
    day = _day(on)
    task = Task.objects.select_for_update().get(pk=task.pk)
    _refuse_closed(task)
    _require_change(user, task)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError({k: [_("This field cannot be changed here.")] for k in sorted(unknown)})
    if task.status != Task.DRAFT and "deadline" in fields and fields["deadline"] != task.deadline:
        raise ValidationError({"deadline": [_("An issued task's deadline changes only through an extension.")]})
    for k, v in fields.items():
        setattr(task, k, v.strip() if isinstance(v, str) else v)
    if "lead_unit" in fields:
        require_scope(user, [task.lead_unit.path])
        task.lead_path = task.lead_unit.path
    _require_named_units(user, task.lead_unit, coordinating_units or (),
                         task.authority_unit if "authority_unit" in fields else None)
    if task.status == Task.DRAFT:
        task.due = task.deadline
    _check_task(task, day=day)
    if task.status != Task.DRAFT:
        missing = task_missing_clears(task)
        if missing:
            raise ValidationError({"__all__": [missing_message(missing)], "missing_clears": missing})
    task.save()
    if coordinating_units is not None:
        task.coordinating_units.set([u for u in coordinating_units if u.pk != task.lead_unit_id])
    _event(task, TaskEvent.CHANGED, day, user, fields=sorted(fields))
    return task


class MissingClears(ValidationError):
    """Issuing refused: ``missing`` names the clears (keys of :data:`rules.CLEARS`)."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__({"missing_clears": [str(rules.CLEAR_LABELS[k]) for k in missing],
                          "__all__": [missing_message(missing)]})


@transaction.atomic
def task_issue(*, user=None, task: Task, on: dt.date | None = None) -> Task:
    """Issue a draft: refused, naming each missing clear, unless all six are there."""
    day = _day(on)
    task = Task.objects.select_for_update().get(pk=task.pk)
    _require_change(user, task)
    if task.status != Task.DRAFT:
        raise ValidationError({"status": [_("Only a draft can be issued.")]})
    missing = task_missing_clears(task)
    if missing:
        raise MissingClears(missing)
    _check_task(task, day=day)
    _not_before(task, day)
    task.status, task.issued_on, task.due = Task.ISSUED, day, task.deadline
    task.save(update_fields=["status", "issued_on", "due"])
    _event(task, TaskEvent.ISSUED, day, user)
    _notify([task.assignee], task, _("Task issued to you: %(title)s (due %(due)s).")
            % {"title": task.title, "due": task.due.strftime("%d/%m/%Y")})
    return task


def _require_open(task: Task, *, allowed=Task.OPEN) -> None:
    _refuse_closed(task)
    if task.status not in allowed:
        raise ValidationError({"status": [_("Not possible while the task is %(status)s.")
                                          % {"status": task.get_status_display()}]})


@transaction.atomic
def task_report(*, user=None, task: Task, progress: int, note: str = "", attachment=None,
                on: dt.date | None = None) -> TaskEvent:
    """A periodic progress report (percent done, what was done, an attachment)."""
    day = _day(on)
    task = Task.objects.select_for_update().get(pk=task.pk)
    _require_open(task, allowed=(Task.ISSUED, Task.IN_PROGRESS, Task.RETURNED))
    _require_change(user, task)
    if progress is None or not 0 <= int(progress) <= 100:
        raise ValidationError({"progress": [_("Progress is a percentage from 0 to 100.")]})
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say what was done.")]})
    _not_before(task, day)
    task.status, task.progress = Task.IN_PROGRESS, int(progress)
    task.save(update_fields=["status", "progress"])
    return _event(task, TaskEvent.REPORTED, day, user, note=note.strip(), progress=int(progress), attachment=attachment)


@transaction.atomic
def task_submit(*, user=None, task: Task, product_note: str = "", product_file=None,
                on: dt.date | None = None) -> Task:
    """Submit the product to the accepting authority (a description or a file is required)."""
    day = _day(on)
    task = Task.objects.select_for_update().get(pk=task.pk)
    _require_open(task, allowed=(Task.ISSUED, Task.IN_PROGRESS, Task.RETURNED))
    _require_change(user, task)
    if not (product_note or "").strip() and not product_file:
        raise ValidationError({"product_note": [_("Attach the product or describe it (its number, its title).")]})
    _not_before(task, day)
    task.status, task.submitted_on, task.progress = Task.SUBMITTED, day, 100
    task.product_note = (product_note or "").strip()
    if product_file:
        task.product_file = product_file
    task.save(update_fields=["status", "submitted_on", "progress", "product_note", "product_file"])
    _event(task, TaskEvent.SUBMITTED, day, user, note=task.product_note)
    _notify([task.leader], task, _("Product submitted for acceptance: %(title)s.") % {"title": task.title})
    return task


@transaction.atomic
def task_accept(*, user=None, task: Task, grade: str = Task.MET, note: str = "", on: dt.date | None = None) -> Task:
    """The authority accepts the submitted product, graded exceeded or met."""
    day = _day(on)
    task = Task.objects.select_for_update().get(pk=task.pk)
    _refuse_closed(task)
    _require_approve(user, task)
    if task.status != Task.SUBMITTED or not (task.product_note or task.product_file):
        raise ValidationError({"status": [_("There is no submitted product to accept.")]})
    if grade not in (Task.EXCEEDED, Task.MET):
        raise ValidationError({"grade": [_("Grade the product: exceeded or met requirements.")]})
    _not_before(task, day)
    task.status, task.accepted_on, task.grade = Task.ACCEPTED, day, grade
    task.save(update_fields=["status", "accepted_on", "grade"])
    _event(task, TaskEvent.ACCEPTED, day, user, note=note, grade=grade, submitted_on=task.submitted_on.isoformat())
    _notify([task.assignee, task.leader], task, _("Product accepted: %(title)s.") % {"title": task.title})
    return task


@transaction.atomic
def task_return(*, user=None, task: Task, reason: str, on: dt.date | None = None) -> Task:
    """The authority returns the product with the reason (a quality failure in the assessment)."""
    day = _day(on)
    task = Task.objects.select_for_update().get(pk=task.pk)
    _refuse_closed(task)
    _require_approve(user, task)
    if task.status != Task.SUBMITTED:
        raise ValidationError({"status": [_("There is no submitted product to return.")]})
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the product is returned.")]})
    _not_before(task, day)
    task.status = Task.RETURNED
    task.save(update_fields=["status"])
    _event(task, TaskEvent.RETURNED, day, user, note=reason.strip())
    _notify([task.assignee], task, _("Product returned: %(title)s — %(reason)s") % {"title": task.title,
                                                                                   "reason": reason.strip()})
    return task


@transaction.atomic
def task_extension_request(*, user=None, task: Task, to: dt.date, reason: str, on: dt.date | None = None) -> Task:
    """The lead unit asks for a later deadline (the original one is kept)."""
    day = _day(on)
    task = Task.objects.select_for_update().get(pk=task.pk)
    _require_open(task)
    _require_change(user, task)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for the extension.")]})
    if to is None or (task.due and to <= task.due):
        raise ValidationError({"to": [_("The new deadline must be after the deadline in force.")]})
    if task.parent_id and (task.parent.due or task.parent.deadline) and to > (task.parent.due or task.parent.deadline):
        raise ValidationError({"to": [_("A sub-task cannot be due after its parent task.")]})
    _not_before(task, day)
    task.extension_to, task.extension_reason = to, reason.strip()
    task.save(update_fields=["extension_to", "extension_reason"])
    _event(task, TaskEvent.EXTENSION_REQUESTED, day, user, note=reason.strip(), to=to.isoformat())
    _notify([task.leader], task, _("Extension requested for %(title)s.") % {"title": task.title})
    return task


@transaction.atomic
def task_extension_decide(*, user=None, task: Task, approve: bool, note: str = "", on: dt.date | None = None) -> Task:
    """The authority approves (the deadline in force moves, the original stays) or refuses."""
    day = _day(on)
    task = Task.objects.select_for_update().get(pk=task.pk)
    _require_open(task)
    _require_approve(user, task)
    if task.extension_to is None:
        raise ValidationError({"extension_to": [_("No extension was requested.")]})
    if approve and task.authority_power_id and not holds_power(task.authority_unit, task.authority_power,
                                                               task.extension_to):
        raise ValidationError({"extension_to": [_("The authority no longer holds the power on the new deadline.")]})
    _not_before(task, day)
    to = task.extension_to
    if approve:
        task.due_before, task.due, task.due_since = task.due, to, day
    task.extension_to, task.extension_reason = None, ""
    task.save(update_fields=["due_before", "due", "due_since", "extension_to", "extension_reason"])
    _event(task, TaskEvent.EXTENSION_APPROVED if approve else TaskEvent.EXTENSION_REFUSED, day, user, note=note,
           to=to.isoformat())
    _notify([task.assignee], task, (_("Extension approved to %(day)s: %(title)s.") if approve
                                    else _("Extension to %(day)s refused: %(title)s."))
            % {"day": to.strftime("%d/%m/%Y"), "title": task.title})
    return task


@transaction.atomic
def task_cancel(*, user=None, task: Task, reason: str, on: dt.date | None = None) -> Task:
    """Cancel a task with its reason (counted apart, out of the completion rate)."""
    day = _day(on)
    task = Task.objects.select_for_update().get(pk=task.pk)
    _refuse_closed(task)
    _require_change(user, task)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for the cancellation.")]})
    _not_before(task, day)
    task.status, task.cancelled_on, task.cancel_reason = Task.CANCELLED, day, reason.strip()
    task.save(update_fields=["status", "cancelled_on", "cancel_reason"])
    _event(task, TaskEvent.CANCELLED, day, user, note=reason.strip())
    return task


def notifications_mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(user=user, read=False)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read=True)
