"""(a) Import of the real apparatus (10,794 units) through ``units_create`` — validation,
materialized paths, change log, audit event — against a raw bulk insert of the same rows
into the same table (executemany on SQLite, COPY on PostgreSQL). Target ratio ≤ 5."""

from _common import report, setup, timed

vendor = setup()

from django.db import connection, transaction  # noqa: E402

from tinhgon.apparatus import vn_admin  # noqa: E402
from tinhgon.apparatus.models import Unit  # noqa: E402
from tinhgon.apparatus.services import plan_unit_rows, units_create  # noqa: E402
from tinhgon.core.changelog import acting_as, suspended  # noqa: E402
from tinhgon.core.models import AuditEvent, ObjectChange  # noqa: E402

REPEAT = 3
rows = list(vn_admin.legacy_rows())
prepared = plan_unit_rows(rows).units  # the paths etc. for the raw baseline, prepared untimed
fields = [f for f in Unit._meta.concrete_fields if not f.primary_key]
columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
values = [tuple(f.get_db_prep_save(getattr(u, f.attname), connection) for f in fields) for u in prepared]
table = Unit._meta.db_table


def wipe() -> None:
    with connection.cursor() as cur:
        for model in (Unit, ObjectChange, AuditEvent):
            cur.execute(f"DELETE FROM {model._meta.db_table}")


def raw_insert() -> None:
    with transaction.atomic(), connection.cursor() as cur:
        if vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for v in values:
                    copy.write_row(v)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)


def service_import() -> None:
    with acting_as(None, source="bench"):
        created = units_create(rows=rows, event_kind="units.imported")
    assert len(created) == len(rows)


def run(fn):
    def once():
        fn()
    out = []
    for _ in range(REPEAT):
        wipe()
        t, _runs = timed(once)
        out.append(t)
    wipe()
    return sorted(out)[len(out) // 2]


baseline = run(raw_insert)
figure = run(service_import)
# Where the time goes (untimed in the figure above): planning alone, inserting without the log.
plan_t, _ = timed(lambda: plan_unit_rows(rows), repeat=REPEAT)


def insert_without_log():
    with transaction.atomic(), suspended():
        Unit.objects.bulk_create(plan_unit_rows(rows).units, batch_size=1000)


wipe()
nolog_t = run(insert_without_log)
report("import national apparatus (10,794 units) via units_create", vendor, figure, baseline, "≤ 5",
       figure / baseline <= 5,
       extra=f"plan_unit_rows {plan_t:.3f} s, plan+bulk_create without change log {nolog_t:.3f} s")
