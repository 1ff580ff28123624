"""A lean multi-row INSERT for the bulk paths (imports, plans applied).

Django's ``bulk_create`` spends most of its time compiling SQL — preparing each
of the ~300,000 values of a national import through the field machinery.  For
plain columns the database driver adapts Python values itself, so this path
prepares only the columns that need it (JSON, dates on SQLite, UUIDs) and
sends multi-row ``INSERT … RETURNING id`` statements.  The change log is still
written for every row (see :mod:`tinhgon.core.changelog`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models

_PLAIN = (
    models.CharField, models.TextField, models.IntegerField, models.FloatField, models.BooleanField,
    models.ForeignKey, models.BigIntegerField, models.SmallIntegerField, models.PositiveIntegerField,
)


def _converter(field: models.Field, connection) -> Callable | None:
    if isinstance(field, models.JSONField):
        encoder = field.encoder or DjangoJSONEncoder
        return lambda v: None if v is None else json.dumps(v, cls=encoder, ensure_ascii=False)
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, _PLAIN) and not isinstance(field, models.DecimalField):
        return None
    return lambda v, f=field: f.get_db_prep_save(v, connection)


def insert_rows(model, columns: Sequence[str], rows: Sequence[Sequence], *, using: str = "default",
                returning: bool = False) -> list[int]:
    """Insert prepared rows into ``model``'s table; returns the new ids when asked."""
    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    per_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    batch = max(1, min(1000, 30000 // max(1, len(columns))))
    ids: list[int] = []
    pk = connection.ops.quote_name(model._meta.pk.column)
    if connection.vendor == "postgresql":
        return _copy_rows(connection, model, table, columns, rows, returning)
    with connection.cursor() as cursor:
        if not returning:
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES {per_row}", rows)
            return ids
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params = [v for row in chunk for v in row]
            cursor.execute(
                f"INSERT INTO {table} ({cols}) VALUES {', '.join([per_row] * len(chunk))} RETURNING {pk}", params
            )
            ids.extend(r[0] for r in cursor.fetchall())
    return ids


def _copy_rows(connection, model, table: str, columns: Sequence[str], rows: Sequence[Sequence],
               returning: bool) -> list[int]:
    """PostgreSQL: ids drawn from the table's sequence in one query, rows sent with COPY."""
    ids: list[int] = []
    pk_column = model._meta.pk.column
    with connection.cursor() as cursor:
        if returning and rows:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk_column, len(rows)],
            )
            ids = [r[0] for r in cursor.fetchall()]
            rows = [(i, *row) for i, row in zip(ids, rows, strict=True)]
            columns = [pk_column, *columns]
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return ids


def insert_objects(objs: list[models.Model], *, using: str = "default") -> list[models.Model]:
    """Insert new model instances (no pk yet) and give them their ids."""
    if not objs:
        return objs
    model = type(objs[0])
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for o in objs:
                f.pre_save(o, add=True)
    convs = [(_converter(f, connection), f.attname) for f in fields]
    rows = [
        tuple(getattr(o, att) if conv is None else conv(getattr(o, att)) for conv, att in convs) for o in objs
    ]
    ids = insert_rows(model, [f.column for f in fields], rows, using=using, returning=True)
    for o, pk in zip(objs, ids, strict=True):
        o.pk = pk
        o._state.adding = False
        o._state.db = using
    return objs


def build(model, **values) -> models.Model:
    """A new, unsaved instance without ``Model.__init__``'s per-field machinery.

    For bulk paths only: every concrete field must be given (by attname) or have a
    plain default; no signals are sent (there are none for unsaved instances).
    """
    from django.db.models.base import ModelState

    obj = model.__new__(model)
    data = obj.__dict__
    for f in model._meta.concrete_fields:
        if f.attname in values:
            data[f.attname] = values[f.attname]
        elif f.has_default():
            data[f.attname] = f.get_default()
        else:
            data[f.attname] = None
    state = ModelState()
    state.adding, state.db = True, None
    data["_state"] = state
    return obj


def chunked_in(queryset, field: str, values, size: int = 900) -> list:
    """``queryset.filter(<field>__in=values)`` evaluated in chunks.

    A single IN list of ten thousand parameters is slow to build on PostgreSQL (the
    driver interpolates parameters client-side) and hits SQLite's variable limit; chunks
    of a few hundred are fast on both.
    """
    values = list(values)
    out: list = []
    for start in range(0, len(values), size):
        out.extend(queryset.filter(**{f"{field}__in": values[start : start + size]}))
    return out
