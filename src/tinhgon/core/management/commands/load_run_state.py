"""``tinhgon load-run-state``: the data ``make run`` serves (see ``core.run_state``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tinhgon.core.run_state import RUN_STATE_COMMANDS, load_run_state


class Command(BaseCommand):
    help = "Load the real apparatus, the demo data, the 2025 plan and synthetic cadres: " + "; ".join(
        " ".join(c) for c in RUN_STATE_COMMANDS)

    def handle(self, *args, **options):
        load_run_state(verbosity=options["verbosity"], stdout=self.stdout, stderr=self.stderr)
