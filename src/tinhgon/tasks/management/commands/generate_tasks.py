"""``tinhgon generate-tasks``: synthetic work programs and tasks (see :mod:`tinhgon.tasks.generator`)."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from tinhgon.core.changelog import acting_as
from tinhgon.tasks.generator import DEFAULT_BATCH, generate_tasks


class Command(BaseCommand):
    help = ("Generate synthetic work programs (one per province and year) and tasks with realistic "
            "lifecycles and their dated events, assigned to the cadres on record. Re-running with the same "
            "seed adds nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=2000, help="Number of tasks (default 2000).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--within", action="append", default=[], metavar="CODE",
                            help="Only provinces with these codes (repeatable, or comma-separated: 01,79).")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="Reading date the lifecycles are drawn against (default today).")
        parser.add_argument("--no-events", dest="events", action="store_false",
                            help="Write the tasks' dated facts only, not their event rows (benchmarks).")
        parser.add_argument("--batch-size", dest="batch_size", type=int, default=DEFAULT_BATCH)

    def handle(self, *args, count, seed, within, today, events, batch_size, **options):
        if count < 0:
            raise CommandError("--count must be positive.")
        codes = [c.strip() for w in within for c in w.split(",") if c.strip()]
        t0 = time.perf_counter()
        verbosity = options.get("verbosity", 1)

        def progress(done):
            if verbosity >= 1:
                self.stdout.write(f"  {done:,}/{count:,}", ending="\r" if done < count else "\n")
                self.stdout.flush()

        with acting_as(None, source="generate-tasks"):
            result = generate_tasks(count=count, seed=seed, within=codes or None, today=today, events=events,
                                    batch_size=batch_size, progress=progress)
        if result.skipped:
            self.stdout.write(f"Tasks of seed {seed} are already there: nothing added.")
            return
        self.stdout.write(self.style.SUCCESS(
            f"{result.tasks:,} tasks in {result.programs:,} programs ({result.events:,} events) "
            f"in {time.perf_counter() - t0:.1f} s."))
