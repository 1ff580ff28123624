"""``tinhgon generate-petitions``: synthetic petitions (see :mod:`tinhgon.petitions.generator`)."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from tinhgon.core.changelog import acting_as
from tinhgon.petitions.generator import DEFAULT_BATCH, generate_petitions


class Command(BaseCommand):
    help = ("Generate synthetic citizen petitions in the communes of the given provinces: Vietnamese texts with "
            "and without accents, groups and crowded groups, repeat contacts, dated lifecycles with their "
            "statutory deadlines, and a few hot spots. Re-running with the same seed adds nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=2000, help="Number of matters (default 2000).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--within", action="append", default=[], metavar="CODE",
                            help="Only provinces with these codes (repeatable, or comma-separated: 01,79).")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="Reading date the lifecycles are drawn against (default today).")
        parser.add_argument("--no-hotspots", dest="hotspots", action="store_false",
                            help="Do not run hot-spot detection at the end.")
        parser.add_argument("--batch-size", dest="batch_size", type=int, default=DEFAULT_BATCH)

    def handle(self, *args, count, seed, within, today, hotspots, batch_size, **options):
        if count < 0:
            raise CommandError("--count must be positive.")
        codes = [c.strip() for w in within for c in w.split(",") if c.strip()]
        t0 = time.perf_counter()
        verbosity = options.get("verbosity", 1)

        def progress(done):
            if verbosity >= 1:
                self.stdout.write(f"  {done:,}/{count:,}", ending="\r" if done < count else "\n")
                self.stdout.flush()

        with acting_as(None, source="cli"):
            result = generate_petitions(count=count, seed=seed, within=codes or None, today=today,
                                        batch_size=batch_size, hotspots=hotspots, progress=progress)
        if result.skipped:
            self.stdout.write(f"Petitions of seed {seed} are already there: nothing added.")
            return
        self.stdout.write(self.style.SUCCESS(
            f"{result.petitions:,} petitions ({result.contacts:,} contacts), {result.hotspots} hot spots "
            f"in {time.perf_counter() - t0:.1f} s."))
