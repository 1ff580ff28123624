"""(j) A 100,000-row cadre file imported as a background job (check, stage, publish) against the
same file imported in one request (``cadres_import_file``), and what another user meanwhile
sees: the longest wait of a write made every 50 ms from another connection while the job runs.

On SQLite the request-time import holds the write lock for the whole file; the job holds it
only while it publishes.  Target: the job within 2× of the request-time import; no other
write waits longer than the publication itself.
"""

import io
import os
import threading
import time

from _common import import_national, report, setup

vendor = setup()

import django.db  # noqa: E402
from django.db import connection  # noqa: E402

from tinhgon.apparatus.models import Unit  # noqa: E402
from tinhgon.cadres.importers import cadres_import_file  # noqa: E402
from tinhgon.cadres.models import Assignment, Cadre  # noqa: E402
from tinhgon.core import jobs  # noqa: E402
from tinhgon.core.changelog import acting_as  # noqa: E402
from tinhgon.core.models import Job, ObjectChange  # noqa: E402

N = int(os.environ.get("IMPORT_N", "100000"))
import_national()
units = list(Unit.objects.filter(level__code="commune", code__startswith="0").values_list("code", flat=True)[:200])


def csv_bytes(offset: int) -> bytes:
    lines = ["Họ và tên,Giới tính,Ngày sinh,Số CCCD,Mã đơn vị,Chức vụ,Từ ngày"]
    for i in range(N):
        male, year = i % 2, 1966 + i % 34
        cid = f"{1 + offset:03d}{0 if male else 1}{year % 100:02d}{i:06d}"
        lines.append(f"Nguyễn Văn Thử {i},{'Nam' if male else 'Nữ'},{year}-0{1 + i % 9}-{1 + i % 28:02d},{cid},"
                     f"{units[i % len(units)]},Chuyên viên,2025-01-15")
    return ("\n".join(lines) + "\n").encode()


def wipe() -> None:
    Assignment.objects.all()._raw_delete(Assignment.objects.db)
    Cadre.objects.all()._raw_delete(Cadre.objects.db)
    ObjectChange.objects.all()._raw_delete(ObjectChange.objects.db)


# Baseline: the whole file in one request.
data = csv_bytes(1)
t0 = time.perf_counter()
with acting_as(None, source="cli"):
    result = cadres_import_file(fileobj=io.BytesIO(data), filename="a.csv")
sync = time.perf_counter() - t0
assert result.created == N, result
wipe()

# The job, with another user writing every 50 ms from another connection.
data = csv_bytes(2)
job = jobs.job_start(kind="cadres.import", user=None, fileobj=io.BytesIO(data), filename="b.csv")
waits: list[float] = []
done = threading.Event()


def other_user() -> None:
    try:
        while not done.is_set():
            t = time.perf_counter()
            with acting_as(None, source="bench"):
                u = Unit.objects.filter(code=units[0]).order_by("-valid_from").first()
                Unit.objects.filter(pk=u.pk).update(note=f"w {t}")
            waits.append(time.perf_counter() - t)
            time.sleep(0.05)
    finally:
        django.db.connections.close_all()


writer = threading.Thread(target=other_user)
t0 = time.perf_counter()
writer.start()
jobs.job_run(job.pk)
total = time.perf_counter() - t0
done.set()
writer.join()
job.refresh_from_db()
assert job.state == Job.SUCCEEDED and job.result["created"] == N, (job.state, job.error)
published = (job.finished_at - job.started_at).total_seconds()
print(f"job: {total:.1f} s in all; other user's writes: {len(waits)}, longest wait {max(waits):.2f} s, "
      f"median {sorted(waits)[len(waits) // 2] * 1000:.1f} ms")
report(f"(j) cadre import of {N:,} rows as a job vs in one request", vendor, total, sync, "≤ 2", total <= 2 * sync,
       extra=f"{N / total:,.0f} rows/s; longest wait of another user's write {max(waits):.2f} s "
             f"(the request-time import is one transaction of {sync:.1f} s)")
connection.close()
