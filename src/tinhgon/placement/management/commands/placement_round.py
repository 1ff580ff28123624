"""``tinhgon placement-round``: create a placement round for an applied (or draft) plan and compute
its proposal, in the terminal with a progress bar (the same job the pages start)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Create a placement round for the new units of a plan inside a province (or the whole country) "
            "and compute the proposal. Nothing happens when the round exists already.")

    def add_arguments(self, parser):
        parser.add_argument("--plan", default="latest",
                            help="Plan id, or 'latest' (the applied plan with the latest effective date).")
        parser.add_argument("--scope", default="", help="Province code (default: the whole country).")
        parser.add_argument("--leave-date", dest="leave_date", type=dt.date.fromisoformat, default=None,
                            help="Leaving date of the policy estimates (default: the first of next month).")

    def handle(self, *args, plan, scope, leave_date, **options):
        from tinhgon.apparatus.selectors import unit_for_code
        from tinhgon.core.jobs import run_in_terminal
        from tinhgon.placement.jobs import KIND
        from tinhgon.placement.models import Round
        from tinhgon.restructuring.models import Plan

        if plan == "latest":
            found = Plan.objects.filter(status=Plan.APPLIED).order_by("-effective_date", "-id").first()
        else:
            found = Plan.objects.filter(pk=int(plan)).first() if plan.isdigit() else None
        if found is None:
            raise CommandError(f"No plan {plan}.")
        unit = None
        if scope:
            unit = unit_for_code(scope, found.effective_date)
            if unit is None:
                raise CommandError(f"No unit has the code {scope}.")
        if Round.objects.filter(plan=found, scope_path=unit.path if unit else "").exists():
            self.stdout.write("A round for this plan and scope exists already: nothing done.")
            return
        result = run_in_terminal(KIND, params={"plan": found.pk, "scope_unit": unit.pk if unit else None,
                                               "leave_date": leave_date.isoformat() if leave_date else None},
                                 stream=self.stdout, quiet=options.get("verbosity", 1) < 1)
        self.stdout.write(self.style.SUCCESS(str((result or {}).get("message", ""))))
