import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from tinhgon.apparatus import vn_admin
from tinhgon.apparatus.services import UnitRowsInvalid, units_create
from tinhgon.core.changelog import acting_as


class Command(BaseCommand):
    help = (
        "Load Vietnam's apparatus before the 2025 reorganization (63 provinces, 696 districts, "
        "10,035 communes) from the vietnamadminunits package. Re-running it changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--valid-from", default=vn_admin.LEGACY_VALID_FROM.isoformat(),
                            help="Start date of the imported versions (default: %(default)s).")

    def handle(self, *args, valid_from, **options):
        try:
            start = dt.date.fromisoformat(valid_from)
        except ValueError as exc:
            raise CommandError(f"--valid-from: {exc}") from exc
        t0 = time.perf_counter()
        rows = list(vn_admin.legacy_rows(start))
        try:
            with acting_as(None, source="cli"):
                created = units_create(rows=rows, event_kind="units.imported",
                                       event_message=f"vietnamadminunits {vn_admin.package_version()}")
        except UnitRowsInvalid as exc:
            for e in exc.errors_list[:50]:
                self.stderr.write(str(e))
            raise CommandError(f"{len(exc.errors_list)} errors; nothing was written.") from exc
        self.stdout.write(
            f"{len(rows)} units read, {len(created)} created, {len(rows) - len(created)} already present "
            f"({time.perf_counter() - t0:.1f} s)."
        )
