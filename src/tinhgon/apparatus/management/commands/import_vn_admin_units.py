import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from tinhgon.apparatus import vn_admin
from tinhgon.apparatus.services import UnitRowsInvalid, units_create
from tinhgon.core.changelog import acting_as

LEVEL_ORDER = ("province", "district", "commune")


class Command(BaseCommand):
    help = (
        "Load Vietnam's apparatus before the 2025 reorganization (63 provinces, 696 districts, "
        "10,035 communes) from the vietnamadminunits package, then check the counts per level and "
        "kind against the package. Re-running it changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--valid-from", default=vn_admin.LEGACY_VALID_FROM.isoformat(),
                            help="Start date of the imported versions (default: %(default)s).")
        parser.add_argument("--no-check", action="store_true",
                            help="Skip the comparison of the counts with the package data.")

    def _step(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(f"[{time.perf_counter() - self.t0:6.1f} s] {message}")
            self.stdout.flush()

    def handle(self, *args, valid_from, no_check, verbosity, **options):
        self.verbosity, self.t0 = verbosity, time.perf_counter()
        try:
            start = dt.date.fromisoformat(valid_from)
        except ValueError as exc:
            raise CommandError(f"--valid-from: {exc}") from exc
        self._step(f"Reading vietnamadminunits {vn_admin.package_version()}…")
        rows = list(vn_admin.legacy_rows(start))
        self._step(f"{len(rows):,} units read; checking them against the registry and writing…")
        try:
            with acting_as(None, source="cli"):
                created = units_create(rows=rows, event_kind="units.imported",
                                       event_message=f"vietnamadminunits {vn_admin.package_version()}")
        except UnitRowsInvalid as exc:
            for e in exc.errors_list[:50]:
                self.stderr.write(str(e))
            raise CommandError(f"{len(exc.errors_list)} errors; nothing was written.") from exc
        self._step(f"{len(created):,} created, {len(rows) - len(created):,} already present.")
        if no_check:
            return
        problems = vn_admin.count_mismatches(start)
        found = vn_admin.registry_counts(start)
        summary = ", ".join(f"{level} {sum(found.get(level, {}).values()):,}" for level in LEVEL_ORDER)
        if problems:
            for p in problems:
                self.stderr.write(p)
            raise CommandError(f"The registry does not match the package data as of {start}: {summary}.")
        self._step(f"Counts as of {start} match the package per level and kind: {summary}.")
