"""``tinhgon detect-hotspots``: hot-spot detection over the country or one unit's subtree, the same
job handler the hot-spot page starts (:mod:`tinhgon.petitions.jobs`), run in the terminal."""

from django.core.management.base import BaseCommand, CommandError

from tinhgon.core.jobs import run_in_terminal
from tinhgon.petitions.jobs import KIND


class Command(BaseCommand):
    help = ("Raise or refresh hot-spot alerts: places and subjects where people, contacts, a crowded group, "
            "overdue matters or repeat contacts pass the thresholds of the rule set in the sliding window.")

    def add_arguments(self, parser):
        parser.add_argument("--scope", metavar="CODE", default="",
                            help="Only places under the unit with this code (default: the whole country).")
        parser.add_argument("--window", metavar="DAYS", type=int, default=None,
                            help="Window in days (default: the rule set's, 90).")

    def handle(self, *args, scope, window, **options):
        from django.utils import timezone

        from tinhgon.apparatus.selectors import unit_for_code

        roots = None
        if scope:
            unit = unit_for_code(scope.strip(), timezone.localdate()) or unit_for_code(scope.strip())
            if unit is None:
                raise CommandError(f"No unit has the code {scope}.")
            roots = [unit.path]
        if window is not None and not 1 <= window <= 3650:
            raise CommandError("--window must be between 1 and 3650 days.")
        result = run_in_terminal(KIND, params={"roots": roots, "window_days": window},
                                 quiet=options.get("verbosity", 1) < 1)
        self.stdout.write(self.style.SUCCESS(f"{result.get('hotspots', 0)} hot spots."))
