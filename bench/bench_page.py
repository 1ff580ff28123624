"""(c) Render time of the province tree page of Hà Nội (1 + 30 + 526 units) with the Django
test client: GET /apparatus/units/<id>/tree/?as_of=2025-06-30 as an administrator.
Baseline: fetching the same subtree with hand-written SQL. Target: page < 300 ms (median).

When the page does not exist (``apparatus:unit_tree`` cannot be reversed), the benchmark
falls back to ``selectors.unit_tree_as_of(root_path=…)`` plus rendering a nested list."""

import datetime as dt

from _common import import_national, report, setup, timed

vendor = setup()
import_national()

from django.db import connection  # noqa: E402
from django.template import Context, Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from tinhgon.apparatus import selectors  # noqa: E402
from tinhgon.apparatus.models import Unit  # noqa: E402
from tinhgon.core.testing import make_user  # noqa: E402

AS_OF = dt.date(2025, 6, 30)
REPEAT = 9
hanoi = Unit.objects.get(code="01", valid_from__lte=AS_OF)


def raw_subtree():
    with connection.cursor() as cur:
        cur.execute(
            "SELECT u.id, u.code, u.name, u.path, u.depth, l.code, k.name FROM apparatus_unit u"
            " JOIN apparatus_level l ON l.id = u.level_id JOIN apparatus_unitkind k ON k.id = u.kind_id"
            " WHERE u.path LIKE %s AND u.valid_from <= %s AND (u.valid_to IS NULL OR u.valid_to > %s)"
            " ORDER BY u.path", [hanoi.path + "%", AS_OF, AS_OF])
        return cur.fetchall()


try:
    url = reverse("apparatus:unit_tree", args=[hanoi.pk]) + f"?as_of={AS_OF.isoformat()}"
except NoReverseMatch:
    url = None

if url:
    client = Client()
    client.force_login(make_user("bench-admin", role="administrator", is_superuser=True))

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    body = page().content.decode()
    assert "Phường Phúc Xá" in body, "the page does not list the communes"
    what = f"GET {url} (Hà Nội tree page, {len(body) // 1024} KiB)"
else:
    NESTED = Template(
        "<ul>{% for u in rows %}<li style='margin-left:{{ u.depth }}em'>{{ u.code }} {{ u.name }}"
        " <small>{{ u.kind__name }}</small></li>{% endfor %}</ul>")

    def page():
        rows = selectors.unit_tree_as_of(AS_OF, root_path=hanoi.path)
        return NESTED.render(Context({"rows": rows}))

    what = "unit_tree_as_of(root_path='01/') + nested-list template (page not available yet)"

baseline, _ = timed(raw_subtree, repeat=REPEAT, warmup=1)
figure, runs = timed(page, repeat=REPEAT, warmup=2)
report(what, vendor, figure, baseline, "page < 300 ms", figure < 0.300, unit="ms",
       extra=f"median of {REPEAT}, min {min(runs) * 1000:.1f} ms, max {max(runs) * 1000:.1f} ms")
