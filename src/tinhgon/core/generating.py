"""The shape every ``tinhgon generate-…`` command shares (synthetic data for the demo and for
scale): ``--count``, ``--seed``, ``--within`` (province codes, repeatable or comma-separated),
``--today``, ``--batch-size``, a progress counter, the change log's source, and one line of
result. A command subclasses :class:`GenerateCommand` and says what it generates."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from .changelog import acting_as


class GenerateCommand(BaseCommand):
    noun = "records"          # what is counted ("tasks", "petitions")
    default_count = 2000
    default_batch = 5000
    source = "cli"            # the change log's source for what it writes

    def add_options(self, parser) -> None:
        """The command's own options, besides the shared ones."""

    def generate(self, *, count: int, seed: int, within: list[str] | None, today: dt.date | None,
                 batch_size: int, progress, **options):
        """Write the records; return a result with ``skipped`` (the seed was there already)."""
        raise NotImplementedError

    def summary(self, result) -> str:
        """What was written (one line; the time is added)."""
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=self.default_count,
                            help=f"Number of {self.noun} (default {self.default_count}).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--within", action="append", default=[], metavar="CODE",
                            help="Only provinces with these codes (repeatable, or comma-separated: 01,79).")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="Reading date the lifecycles are drawn against (default today).")
        parser.add_argument("--batch-size", dest="batch_size", type=int, default=self.default_batch)
        self.add_options(parser)

    def handle(self, *args, count, seed, within, today, batch_size, **options):
        if count < 0:
            raise CommandError("--count must be positive.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        codes = [c.strip() for w in within for c in w.split(",") if c.strip()]
        t0 = time.perf_counter()
        verbosity = options.get("verbosity", 1)

        def progress(done: int) -> None:
            if verbosity >= 1:
                self.stdout.write(f"  {done:,}/{count:,}", ending="\r" if done < count else "\n")
                self.stdout.flush()

        with acting_as(None, source=self.source):
            result = self.generate(count=count, seed=seed, within=codes or None, today=today,
                                   batch_size=batch_size, progress=progress, **options)
        if result.skipped:
            self.stdout.write(f"{self.noun.capitalize()} of seed {seed} are already there: nothing added.")
            return
        self.stdout.write(self.style.SUCCESS(f"{self.summary(result)} in {time.perf_counter() - t0:.1f} s."))
