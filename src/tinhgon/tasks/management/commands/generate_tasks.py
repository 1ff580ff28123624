"""``tinhgon generate-tasks``: synthetic work programs and tasks (see :mod:`tinhgon.tasks.generator`)."""

from tinhgon.core.generating import GenerateCommand
from tinhgon.tasks.generator import DEFAULT_BATCH, generate_tasks


class Command(GenerateCommand):
    help = ("Generate synthetic work programs (one per province and year) and tasks with realistic "
            "lifecycles and their dated events, assigned to the cadres on record. Re-running with the same "
            "seed adds nothing.")
    noun = "tasks"
    default_batch = DEFAULT_BATCH
    source = "generate-tasks"

    def add_options(self, parser):
        parser.add_argument("--no-events", dest="events", action="store_false",
                            help="Write the tasks' dated facts only, not their event rows (benchmarks).")

    def generate(self, *, events, **kw):
        return generate_tasks(events=events, **{k: kw[k] for k in
                                                ("count", "seed", "within", "today", "batch_size", "progress")})

    def summary(self, result) -> str:
        return f"{result.tasks:,} tasks in {result.programs:,} programs ({result.events:,} events)"
