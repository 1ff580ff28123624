"""(b) The whole apparatus as of a date (10,794 rows) through ``selectors.unit_tree_as_of``
against the equivalent hand-written SQL on the same connection (the same columns, joins,
date filter and order, rows fetched as tuples). Median of several runs. Target ratio ≤ 3."""

import datetime as dt

from _common import import_national, report, setup, timed

vendor = setup()
import_national()

from django.db import connection  # noqa: E402

from tinhgon.apparatus import selectors  # noqa: E402

AS_OF = dt.date(2025, 6, 30)
REPEAT = 9
SQL = """
SELECT u.id, u.code, u.name, u.short_name, u.parent_code, u.path, u.depth,
       l.code, l.name, k.code, k.name, u.valid_from, u.valid_to
FROM apparatus_unit u
JOIN apparatus_level l ON l.id = u.level_id
JOIN apparatus_unitkind k ON k.id = u.kind_id
WHERE u.valid_from <= %s AND (u.valid_to IS NULL OR u.valid_to > %s)
ORDER BY u.path
"""


def raw():
    with connection.cursor() as cur:
        cur.execute(SQL, [AS_OF, AS_OF])
        return cur.fetchall()


def orm():
    return selectors.unit_tree_as_of(AS_OF)


assert len(raw()) == len(orm()) == 10794
baseline, _ = timed(raw, repeat=REPEAT, warmup=2)
figure, runs = timed(orm, repeat=REPEAT, warmup=2)
report("unit_tree_as_of(2025-06-30), whole apparatus (10,794 rows)", vendor, figure, baseline, "≤ 3",
       figure / baseline <= 3, unit="ms", extra=f"median of {REPEAT}")
