"""Change log: who changed what, when, with the state before and after.

Every model of the project derives from :class:`TrackedModel`, whose ``save``
and default queryset (``bulk_create``, ``bulk_update``, ``update``) record one
:class:`~tinhgon.core.models.ObjectChange` row per object.  Deletions (cascades
included) and many-to-many changes are recorded by the ``post_delete`` and
``m2m_changed`` receivers connected in :mod:`tinhgon.core.apps`.

The actor is taken from a context variable set by the request middleware, the
API authentication or :func:`acting_as` (management commands, services run by
the system).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

CREATE, UPDATE, DELETE = "create", "update", "delete"


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    username: str = ""
    source: str = "system"
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)


_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("tinhgon_actor", default=None)
_suspended: contextvars.ContextVar[bool] = contextvars.ContextVar("tinhgon_log_off", default=False)


def current_actor() -> Actor:
    return _actor.get() or Actor()


@contextmanager
def acting_as(user=None, *, source: str = "system") -> Iterator[Actor]:
    """Attribute every change made inside the block to ``user`` (or the system)."""
    actor = Actor(
        user_id=getattr(user, "pk", None),
        username=getattr(user, "username", "") or "",
        source=source,
    )
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def _plain(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return None
    if isinstance(value, FieldFile):
        return value.name or None
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return str(value)


_ATTNAMES: dict[type, tuple[str, ...]] = {}


def serialize(obj: models.Model) -> dict:
    """The concrete field values of ``obj`` as JSON-compatible data.

    Fields a model lists in ``changelog_secret`` (a password hash) are kept only as a
    short fingerprint: the log shows that they changed, never what they hold.  Fields it
    lists in ``changelog_redacted`` (a protected person's identity) are kept as a keyed
    fingerprint (:func:`redacted`): a guessable value (a name) cannot be found back from the
    log by hashing candidates, and every page, export or API reading the log sees only that.
    """
    cls = type(obj)
    names = _ATTNAMES.get(cls)
    if names is None:
        names = _ATTNAMES[cls] = tuple(f.attname for f in obj._meta.concrete_fields)
    secret = getattr(cls, "changelog_secret", ())
    hidden = getattr(cls, "changelog_redacted", ())
    out = {}
    for name in names:
        v = getattr(obj, name)
        if name in hidden and v not in (None, ""):
            v = redacted(v)
        elif name in secret and v:
            v = "sha256:" + hashlib.sha256(str(v).encode()).hexdigest()[:10]
        out[name] = v if v is None or isinstance(v, (str, int, float)) else _plain(v)
    return out


REDACTED_PREFIX = "redacted:"


def redacted(value) -> str:
    """What the change log keeps of a redacted field: a fingerprint keyed with the project's
    secret key, so that a change still shows (the fingerprint differs) but not the value."""
    from django.conf import settings

    digest = hmac.new(settings.SECRET_KEY.encode(), str(value).encode(), hashlib.sha256).hexdigest()
    return REDACTED_PREFIX + digest[:10]


def is_tracked(model) -> bool:
    return issubclass(model, TrackedModel)


_LOG_COLUMNS = ("time", "user_id", "user_name", "source", "request_id", "action", "content_type_id",
                "object_id", "object_repr", "before", "after")


def record(action: str, model, items: Iterable[tuple[object, str, dict | None, dict | None]], *, using=None) -> int:
    """Write change-log rows; ``items`` are ``(pk, repr, before, after)`` tuples."""
    if _suspended.get():
        return 0
    from django.db import connections

    from .bulk import insert_rows
    from .models import ObjectChange

    using = using or "default"
    connection = connections[using]
    ct = ContentType.objects.db_manager(using).get_for_model(model, for_concrete_model=False)
    actor = current_actor()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    request_id = ObjectChange._meta.get_field("request_id").get_db_prep_save(actor.request_id, connection)
    dumps = json.dumps
    head = (now, actor.user_id, actor.username[:150], actor.source[:20], request_id, action, ct.pk)
    rows = [
        (*head, pk, (rep or "")[:200],
         None if b is None else dumps(b, ensure_ascii=False), None if a is None else dumps(a, ensure_ascii=False))
        for pk, rep, b, a in items
    ]
    if rows:
        insert_rows(ObjectChange, _LOG_COLUMNS, rows, using=using)
    return len(rows)


def _diff(before: dict | None, after: dict | None) -> bool:
    return before != after


class TrackedQuerySet(models.QuerySet):
    """A queryset whose bulk write paths write to the change log."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        plain = not args and not (set(kwargs) - {"batch_size"}) and not self.model._meta.parents
        if plain and objs and all(o.pk is None for o in objs):
            from .bulk import insert_objects

            created = insert_objects(objs, using=self.db)
        else:
            created = super().bulk_create(objs, *args, **kwargs)
        items = [(o.pk, str(o), None, serialize(o)) for o in created]
        record(CREATE, self.model, items, using=self.db)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if not objs:
            return 0
        pks = [o.pk for o in objs]
        before = {o.pk: serialize(o) for o in self.model._base_manager.using(self.db).filter(pk__in=pks)}
        token = _suspended.set(True)  # bulk_update calls update(): log once, here
        try:
            result = super().bulk_update(objs, fields, *args, **kwargs)
        finally:
            _suspended.reset(token)
        items = []
        for o in objs:
            after = serialize(o)
            b = before.get(o.pk)
            if _diff(b, after):
                items.append((o.pk, str(o), b, after))
        record(UPDATE, self.model, items, using=self.db)
        return result

    def update(self, **kwargs):
        if _suspended.get():
            return super().update(**kwargs)
        before_objs = list(self)
        result = super().update(**kwargs)
        plain = self._plain_values(kwargs)
        if plain is not None:  # the new state is known without reading it back
            items = []
            for o in before_objs:
                b = serialize(o)
                a = {**b, **plain}
                if _diff(b, a):
                    for att, value in plain.items():
                        setattr(o, att, value)
                    items.append((o.pk, str(o), b, a))
            record(UPDATE, self.model, items, using=self.db)
            return result
        pks = [o.pk for o in before_objs]
        after = {o.pk: o for o in self.model._base_manager.using(self.db).filter(pk__in=pks)}
        items = []
        for o in before_objs:
            new = after.get(o.pk)
            if new is None:
                continue
            b, a = serialize(o), serialize(new)
            if _diff(b, a):
                items.append((o.pk, str(new), b, a))
        record(UPDATE, self.model, items, using=self.db)
        return result

    def _plain_values(self, kwargs) -> dict | None:
        """``{attname: JSON value}`` when every new value is a constant, else None."""
        out = {}
        for name, value in kwargs.items():
            if hasattr(value, "resolve_expression"):
                return None
            field = self.model._meta.get_field(name)
            if isinstance(value, models.Model):
                value = value.pk
            value = value if value is None or isinstance(value, (str, int, float)) else _plain(value)
            if field.attname in getattr(self.model, "changelog_redacted", ()) and value not in (None, ""):
                value = redacted(value)
            out[field.attname] = value
        return out

    update.alters_data = True


class TrackedManager(models.Manager.from_queryset(TrackedQuerySet)):
    pass


class TrackedModel(models.Model):
    """Base of every model of the project: each write is in the change log."""

    objects = TrackedManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or self._state.db or "default"
        adding = self._state.adding or self.pk is None
        before = None
        if not adding and not _suspended.get():
            old = type(self)._base_manager.using(using).filter(pk=self.pk).first()
            before = serialize(old) if old is not None else None
            if old is None:
                adding = True
        super().save(*args, **kwargs)
        after = serialize(self)
        if adding:
            record(CREATE, type(self), [(self.pk, str(self), None, after)], using=using)
        elif _diff(before, after):
            record(UPDATE, type(self), [(self.pk, str(self), before, after)], using=using)

    save.alters_data = True


def on_post_delete(sender, instance, using, **kwargs) -> None:
    if issubclass(sender, TrackedModel) or _is_tracked_through(sender):
        record(DELETE, sender, [(instance.pk, str(instance), serialize(instance), None)], using=using)


def _is_tracked_through(model) -> bool:
    return model._meta.auto_created and any(
        issubclass(f.related_model, TrackedModel)
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is not None
    )


def on_m2m_changed(sender, instance, action, reverse, model, pk_set, using, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not isinstance(instance, TrackedModel) and not issubclass(model, TrackedModel):
        return
    field_name = next(
        (f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender),
        sender._meta.model_name,
    )
    change = {"field": field_name, "action": action.removeprefix("post_"), "pks": sorted(pk_set or [])}
    record(UPDATE, type(instance), [(instance.pk, str(instance), None, {"m2m": change})], using=using)


@contextmanager
def suspended() -> Iterator[None]:
    """Turn logging off inside the block. Only for fixture loading in tests."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)
