"""Long work in the background, with progress a user can watch.

An app registers a **handler** for a kind of job (in its ``AppConfig.ready``)::

    jobs.register("cadres.import", run_import, label=_("Import cadres"))

    def run_import(ctx: jobs.Context) -> dict:
        for i, batch in enumerate(batches):
            ctx.check_cancelled()
            ctx.stage(checked_rows(batch))          # short transaction per batch
            ctx.progress(i + 1, total, _("Checked %(n)s rows") % …)
        with ctx.publishing():                      # one final transaction
            for payload in ctx.staged():
                …
        return {"created": n}

:func:`job_start` records a :class:`~tinhgon.core.models.Job` row and enqueues the run
through Django's task framework (the ``django-tasks`` backport: the database backend by
default, RQ in production).  The worker (``tinhgon worker``) calls :func:`job_run`,
which runs the handler as the user who started it, with a :class:`DbContext` that writes
progress in short transactions of its own, so other users keep working meanwhile.

* A handler that raises leaves nothing half-written: the publication is one
  transaction; what was staged is removed.  :class:`JobFailed` carries a message and
  the row report of a refused import, shown to the user who started the job.
* Cancelling a queued job drops it; a running one stops at its next
  :meth:`Context.check_cancelled` and publishes nothing.
* A handler may write one file for the user who started the job (an export:
  :meth:`Context.output`); only that user downloads it (``core:job_output``,
  ``/api/jobs/{id}/output/``), it is removed when the job fails or is cancelled, and
  :func:`purge_outputs` removes it after ``TINHGON_JOB_OUTPUT_DAYS``.
* Commands run the same handlers in the terminal (:func:`run_in_terminal`), with a
  text progress bar and no job row.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .changelog import acting_as
from .scoping import restrict

log = logging.getLogger("tinhgon.jobs")

STAGE_CHUNK = 500
PROGRESS_EVERY = 0.5  # seconds between two progress writes


class JobCancelled(Exception):
    """Raised inside a handler when the job was cancelled: nothing is published."""


class JobFailed(Exception):
    """A job refused its input: ``message`` for the user, ``errors`` the row report (dicts)."""

    def __init__(self, message: str, errors: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []


@dataclass(frozen=True)
class Handler:
    kind: str
    run: Callable[[Context], dict | None]
    label: str


_HANDLERS: dict[str, Handler] = {}


def register(kind: str, run: Callable[[Context], dict | None], *, label: str) -> None:
    """Make ``run`` the handler of jobs of ``kind`` (called once per app, in ``ready``)."""
    _HANDLERS[kind] = Handler(kind, run, label)


def handler(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"No job handler for {kind!r}") from None


def kinds() -> list[Handler]:
    return sorted(_HANDLERS.values(), key=lambda h: h.kind)


# Contexts: what a handler sees ---------------------------------------------------------------


class Context:
    """What a running handler may do: report progress, stage rows, publish, read its input."""

    job = None  # the Job row (None in a terminal)
    user = None
    params: dict
    input_name: str = ""

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        raise NotImplementedError

    def check_cancelled(self) -> None:
        """Raise :class:`JobCancelled` if the user cancelled the job."""

    def open_input(self):
        """The uploaded file, opened for reading in binary mode (None when the job has none)."""
        return None

    def stage(self, payloads: Iterable[dict]) -> int:
        raise NotImplementedError

    def staged(self) -> Iterator[dict]:
        raise NotImplementedError

    @contextmanager
    def output(self, filename: str) -> Iterator:
        """A binary file to write the job's result into (an export), kept as ``filename`` for
        the user who started the job once the block ends without an error."""
        raise NotImplementedError

    @contextmanager
    def publishing(self) -> Iterator[None]:
        """The one transaction in which the job writes what it checked."""
        self.check_cancelled()
        with transaction.atomic():
            yield

    @contextmanager
    def publication(self, *, chunked: bool | None = None) -> Iterator[Publication]:
        """Write what was checked, all or nothing, in steps (see :class:`Publication`).

        ``chunked`` (default: on SQLite) makes each step a short transaction of its own, so
        that a large publication never holds SQLite's single write lock for long; should a
        step fail or the job be cancelled, the undo actions of the steps already written run
        and the job writes nothing in the end.  Otherwise (PostgreSQL, whose readers and
        writers do not wait for a transaction that adds rows) it is one transaction.
        """
        from django.db import connection

        if chunked is None:
            chunked = connection.vendor == "sqlite"
        self.check_cancelled()
        pub = Publication(self, chunked=chunked)
        if not chunked:
            with transaction.atomic():
                yield pub
            return
        try:
            yield pub
        except BaseException:
            pub.undo()
            raise


class Publication:
    """The steps of a job's publication, each undoable (see :meth:`Context.publication`).

    ``with pub.step(): …`` writes one step (its own short transaction when chunked);
    ``pub.on_undo(fn)`` registers how to take that step back (e.g. delete the ids it
    created).  Between steps the job's cancellation is checked.
    """

    def __init__(self, ctx: Context, *, chunked: bool):
        self.ctx, self.chunked = ctx, chunked
        self._undo: list[Callable[[], None]] = []

    @contextmanager
    def step(self) -> Iterator[None]:
        if not self.chunked:
            yield
            return
        self.ctx.check_cancelled()
        with transaction.atomic():
            yield

    def on_undo(self, fn: Callable[[], None]) -> None:
        if self.chunked:
            self._undo.append(fn)

    def undo(self) -> None:
        for fn in reversed(self._undo):
            with transaction.atomic():
                fn()
        self._undo.clear()


def _locked(exc: Exception) -> bool:
    """SQLite's "database is locked" / "database table is locked" (another connection writes)."""
    return "locked" in str(exc)


class DbContext(Context):
    """A job run by the worker: progress and staged rows in the database."""

    def __init__(self, job):
        self.job = job
        self.user = job.user
        self.params = dict(job.params or {})
        self.input_name = job.input_name
        self._last = 0.0
        self._seq = 0

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        now = time.monotonic()
        last = total is not None and done >= total
        if not last and now - self._last < PROGRESS_EVERY:
            return
        fields = {"done": max(0, int(done))}
        if total is not None:
            fields["total"] = max(0, int(total))
        if message:
            fields["message"] = str(message)[:300]
        try:
            _job_model()._base_manager.filter(pk=self.job.pk).update(**fields)  # progress ticks are not logged
        except OperationalError as exc:  # a tick is only shown: never let a busy SQLite table fail the job
            if not _locked(exc):
                raise
            log.info("job %s: progress tick skipped (%s)", self.job.pk, exc)
            return
        self._last = now

    def check_cancelled(self) -> None:
        try:
            cancelled = _job_model()._base_manager.filter(pk=self.job.pk, cancel_requested=True).exists()
        except OperationalError as exc:  # asked again at the next check
            if not _locked(exc):
                raise
            return
        if cancelled:
            raise JobCancelled

    def open_input(self):
        if not self.job.input_file:
            return None
        return self.job.input_file.open("rb")

    def stage(self, payloads: Iterable[dict]) -> int:
        from .models import JobStage

        rows = []
        for p in payloads:
            self._seq += 1
            rows.append(JobStage(job_id=self.job.pk, seq=self._seq, payload=p))
        for i in range(0, len(rows), STAGE_CHUNK):
            with transaction.atomic():  # short: one chunk
                JobStage.objects.bulk_create(rows[i: i + STAGE_CHUNK])
        return len(rows)

    @contextmanager
    def output(self, filename: str) -> Iterator:
        import tempfile

        from django.core.files import File

        Job = _job_model()
        with tempfile.TemporaryFile() as tmp:  # written outside any transaction, then stored
            yield tmp
            tmp.seek(0)
            field = Job._meta.get_field("output_file")
            name = field.storage.save(field.generate_filename(self.job, f"{self.job.pk}-{filename}"), File(tmp))
        Job._base_manager.filter(pk=self.job.pk).update(output_file=name, output_name=filename[:255])
        self.job.output_file, self.job.output_name = name, filename[:255]

    def staged(self) -> Iterator[dict]:
        from .models import JobStage

        last = 0
        while True:
            chunk = list(JobStage.objects.filter(job_id=self.job.pk, seq__gt=last).order_by("seq")
                         .values_list("seq", "payload")[:STAGE_CHUNK])
            if not chunk:
                return
            for seq, payload in chunk:
                last = seq
                yield payload


class TerminalContext(Context):
    """A handler run by a command: a text progress bar, staged rows kept in memory."""

    def __init__(self, *, user=None, params: dict | None = None, input_path: str | None = None,
                 output_path: str | None = None, stream=None, quiet: bool = False):
        self.user = user
        self.output_path = output_path
        self.params = dict(params or {})
        self.input_path = input_path
        self.input_name = input_path.rsplit("/", 1)[-1] if input_path else ""
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self._rows: list[dict] = []
        self._last = 0.0

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if total is None or done < total:
            if now - self._last < PROGRESS_EVERY:
                return
        self._last = now
        self.stream.write("\r" + progress_bar(done, total, message))
        if total is not None and done >= total:
            self.stream.write("\n")
        self.stream.flush()

    def open_input(self):
        return open(self.input_path, "rb") if self.input_path else None

    @contextmanager
    def output(self, filename: str) -> Iterator:
        if not self.output_path:
            raise ValueError("this command gives no output file")
        with open(self.output_path, "wb") as fh:
            yield fh

    def stage(self, payloads: Iterable[dict]) -> int:
        before = len(self._rows)
        self._rows.extend(payloads)
        return len(self._rows) - before

    def staged(self) -> Iterator[dict]:
        yield from self._rows


def progress_bar(done: int, total: int | None, message: str = "", width: int = 30) -> str:
    """``[#########.....]  45% 4,500/10,000 message`` (no total: a count only)."""
    if total:
        filled = min(width, int(width * done / total))
        pct = min(100, int(done * 100 / total))
        return f"[{'#' * filled}{'.' * (width - filled)}] {pct:3d}% {done:,}/{total:,} {message}"[:160]
    return f"{done:,} {message}"[:160]


def run_in_terminal(kind: str, *, user=None, params: dict | None = None, input_path: str | None = None,
                    output_path: str | None = None, stream=None, quiet: bool = False) -> dict:
    """Run the handler of ``kind`` synchronously (commands): same code, a text progress bar;
    what the handler writes with :meth:`Context.output` goes to ``output_path``."""
    ctx = TerminalContext(user=user, params=params, input_path=input_path, output_path=output_path,
                          stream=stream, quiet=quiet)
    with acting_as(user, source="cli"):
        return handler(kind).run(ctx) or {}


# Services -------------------------------------------------------------------------------------


def _job_model():
    from .models import Job

    return Job


def _common_scope(user) -> str:
    """The narrowest path that holds all of ``user``'s scopes ("" = national)."""
    if user is None or getattr(user, "is_unrestricted", False):
        return ""
    paths = user.scope_paths()
    if not paths:
        return ""
    if len(paths) == 1:
        return paths[0]
    first, last = min(paths), max(paths)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    common = first[:n]
    return common[: common.rfind("/") + 1] if "/" in common else ""


def job_start(*, kind: str, user, label: str = "", params: dict | None = None, fileobj=None,
              filename: str = "", scope_path: str | None = None):
    """Record a job and queue it (after the surrounding transaction commits)."""
    from django.core.files.base import ContentFile

    from .audit import audit_event

    Job = _job_model()
    h = handler(kind)
    if user is not None and not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to start a job."))
    with transaction.atomic():
        job = Job(kind=kind, label=(label or str(h.label))[:300], user=user if getattr(user, "pk", None) else None,
                  params=params or {}, input_name=(filename or "")[:255],
                  scope_path=_common_scope(user) if scope_path is None else scope_path)
        if fileobj is not None:
            data = fileobj.read()
            job.input_file.save(f"{timezone.now():%Y%m%d-%H%M%S}-{kind}.bin", ContentFile(data), save=False)
        job.full_clean(exclude=["input_file"])
        job.save()
        audit_event(kind="job.started", message=_("Started: %(label)s") % {"label": job.label},
                    user=user, data={"job": job.pk, "kind": kind})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import run_job

    result = run_job.enqueue(job_id)
    _job_model()._base_manager.filter(pk=job_id).update(task_id=str(result.id)[:64])


def job_run(job_id: int) -> None:
    """Run a queued job to its end (called by the worker; safe to call twice)."""
    Job = _job_model()
    with transaction.atomic():
        claimed = Job.objects.filter(pk=job_id, state=Job.QUEUED).update(
            state=Job.RUNNING, started_at=timezone.now())
    if not claimed:
        return  # cancelled before it started, or already run
    job = Job.objects.select_related("user").get(pk=job_id)
    ctx = DbContext(job)
    state, fields = Job.SUCCEEDED, {}
    try:
        with acting_as(job.user, source="job"):
            if job.cancel_requested:
                raise JobCancelled
            result = handler(job.kind).run(ctx) or {}
        fields = {"result": result, "message": str(result.get("message", ""))[:300] if isinstance(result, dict)
                  else ""}
    except JobCancelled:
        state, fields = Job.CANCELLED, {"message": _("Cancelled: nothing was written.")}
    except JobFailed as exc:
        state, fields = Job.FAILED, {"error": exc.message, "errors": exc.errors[:5000],
                                     "message": _("Failed: nothing was written.")}
    except (ValidationError, PermissionDenied) as exc:
        msgs = getattr(exc, "messages", None) or [str(exc)]
        state, fields = Job.FAILED, {"error": " ".join(msgs), "message": _("Failed: nothing was written.")}
    except Exception as exc:  # the worker must survive any handler
        log.exception("job %s (%s) failed", job_id, job.kind)
        state, fields = Job.FAILED, {"error": _("An unexpected error stopped the job (%(error)s). Nothing was "
                                                "written.") % {"error": type(exc).__name__},
                                     "message": _("Failed: nothing was written.")}
    _finish(job, state, **fields)


def _finish(job, state: str, **fields) -> None:
    from .audit import audit_event
    from .models import JobStage

    Job = _job_model()
    JobStage.objects.filter(job_id=job.pk).delete()
    job = Job.objects.get(pk=job.pk)
    for k, v in fields.items():
        setattr(job, k, v)
    job.state, job.finished_at = state, timezone.now()
    if state == Job.SUCCEEDED and job.total:
        job.done = job.total
    stored, storage = job.input_file.name, job.input_file.storage
    job.input_file = ""  # the upload is kept only while the job needs it
    dropped = ""
    if state != Job.SUCCEEDED and job.output_file:  # a failed or cancelled job leaves no file behind
        dropped, job.output_file, job.output_name = job.output_file.name, "", ""
    with acting_as(job.user, source="job"), transaction.atomic():
        job.save()
        audit_event(kind=f"job.{state}", message=f"{job.label}: {job.get_state_display()}", user=job.user,
                    data={"job": job.pk, "kind": job.kind})
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))
        if dropped:
            transaction.on_commit(lambda: storage.delete(dropped))


def job_cancel(*, job, user):
    """Cancel a job: a queued one at once, a running one at its next check (nothing published)."""
    from .audit import audit_event

    Job = _job_model()
    if not job_may_cancel(user, job):
        raise PermissionDenied(_("Only the user who started a job, or an administrator, may cancel it."))
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.finished:
            raise ValidationError(_("The job has already ended (%(state)s).") % {"state": job.get_state_display()})
        job.cancel_requested = True
        job.save(update_fields=["cancel_requested"])
        audit_event(kind="job.cancel_requested", message=job.label, user=user, data={"job": job.pk})
    if job.state == Job.QUEUED:
        _finish(job, Job.CANCELLED, message=_("Cancelled before it started."))
        job.refresh_from_db()
    return job


def job_may_cancel(user, job) -> bool:
    return bool(user and user.is_authenticated and not job.finished
                and (job.user_id == user.pk or getattr(user, "is_unrestricted", False)))


def job_output_for(user, job):
    """The job's output file if ``user`` may download it: only the user who started the job
    (an export holds what that user was allowed to see, masked or not, at that time)."""
    from django.http import Http404

    if not (user and user.is_authenticated and job.user_id == user.pk and job.state == job.SUCCEEDED
            and job.output_file):
        raise Http404(_("No file to download for this job."))
    return job.output_file


def purge_outputs(*, days: int | None = None, now=None) -> int:
    """Remove the output files of jobs that ended more than ``days`` ago (default
    ``TINHGON_JOB_OUTPUT_DAYS``); returns how many were removed."""
    import datetime as dt

    from django.conf import settings

    from .audit import audit_event

    Job = _job_model()
    days = settings.TINHGON_JOB_OUTPUT_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    n = 0
    for job in Job.objects.filter(finished_at__lt=cutoff).exclude(output_file="").only("pk", "output_file"):
        name, storage = job.output_file.name, job.output_file.storage
        Job._base_manager.filter(pk=job.pk).update(output_file="")
        storage.delete(name)
        n += 1
    if n:
        audit_event(kind="job.outputs_purged", message=f"{n}", user=None, data={"days": days, "files": n})
    return n


# Selectors ------------------------------------------------------------------------------------


def jobs_visible(user) -> QuerySet:
    """The jobs ``user`` may see: their own, and those inside their scopes."""
    Job = _job_model()
    if user is None or not user.is_authenticated:
        return Job.objects.none()
    if getattr(user, "is_unrestricted", False):
        return Job.objects.all()
    in_scope_ids = restrict(Job.objects.exclude(scope_path=""), user).values("pk")
    return Job.objects.filter(Q(user=user) | Q(pk__in=in_scope_ids))


# Staging model instances ----------------------------------------------------------------------


def instance_payload(obj) -> dict:
    """The concrete field values of an unsaved instance as JSON (for :meth:`Context.stage`)."""
    out = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key:
            continue
        value = getattr(obj, f.attname)
        out[f.attname] = None if value is None else (value if isinstance(value, (str, int, float, bool))
                                                     else f.value_to_string(obj))
    return out


def instance_from_payload(model, data: dict):
    """An unsaved instance of ``model`` from :func:`instance_payload` (values converted back)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    values = {}
    for name, value in data.items():
        f = fields.get(name)
        if f is not None:
            values[name] = None if value is None else f.to_python(value)
    return model(**values)
