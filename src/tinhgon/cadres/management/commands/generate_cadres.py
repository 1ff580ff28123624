"""``tinhgon generate-cadres``: synthetic cadre records (see :mod:`tinhgon.cadres.generator`)."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from tinhgon.cadres.generator import DEFAULT_BATCH, NoUnits, generate_cadres
from tinhgon.core.changelog import acting_as


class Command(BaseCommand):
    help = (
        "Generate synthetic cadre records (marked synthetic, external key gen-<seed>-<i>) with a primary "
        "assignment to a unit valid on the as-of date, some planning-pool entries and trainings. "
        "Re-running with the same seed adds nothing; a larger count adds the missing records."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=2000, help="Number of records (default 2000).")
        parser.add_argument("--seed", type=int, default=1, help="Seed (default 1): the same seed, the same records.")
        parser.add_argument("--within", action="append", default=[], metavar="CODE",
                            help="Only units under this unit code (repeatable, or comma-separated: 01,79).")
        parser.add_argument("--as-of", dest="as_of", type=dt.date.fromisoformat, default=None,
                            help="Units valid on this date (YYYY-MM-DD; default today).")
        parser.add_argument("--batch-size", dest="batch_size", type=int, default=DEFAULT_BATCH)
        parser.add_argument("--levels", default="", metavar="LEVELS",
                            help="Only units of these levels (comma-separated: commune,district,province,body).")

    def handle(self, *args, count, seed, within, as_of, batch_size, levels, **options):
        if count < 0:
            raise CommandError("--count must be positive.")
        codes = [c.strip() for w in within for c in w.split(",") if c.strip()]
        t0 = time.perf_counter()
        verbosity = options.get("verbosity", 1)

        def progress(result, done):
            if verbosity >= 1:
                rate = done / max(1e-9, time.perf_counter() - t0)
                self.stdout.write(f"  {done:,}/{count:,} ({result.created:,} new, {result.skipped:,} present) "
                                  f"{rate:,.0f}/s", ending="\r" if done < count else "\n")
                self.stdout.flush()

        try:
            with acting_as(None, source="generate-cadres"):
                result = generate_cadres(count=count, seed=seed, within=codes or None, as_of=as_of,
                                         batch_size=batch_size, progress=progress,
                                         levels=[x.strip() for x in levels.split(",") if x.strip()] or None)
        except NoUnits as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            f"{result.created:,} synthetic cadres created ({result.skipped:,} already present), "
            f"{result.assignments:,} assignments, {result.pool_entries:,} pool entries, {result.trainings:,} "
            f"trainings over {result.units:,} units in {time.perf_counter() - t0:.1f} s."))
