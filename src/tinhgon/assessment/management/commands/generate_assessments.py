"""``tinhgon generate-assessments``: synthetic assessment cycles (see :mod:`tinhgon.assessment.generator`)."""

from tinhgon.assessment.generator import generate_assessments
from tinhgon.core.generating import GenerateCommand


class Command(GenerateCommand):
    help = ("Generate, per province holding cadres, an approved annual assessment of the year before today "
            "(computed from the tasks, reviewed, approved) and a quarterly one of the last quarter, computed and "
            "at the direct leaders' review with most general points entered. Every cadre with a unit is "
            "assessed, those pending placement included. Re-running with the same seed adds nothing.")
    noun = "cycles"
    default_count = 0
    source = "generate-assessments"

    def add_options(self, parser):
        parser.add_argument("--reviewed-share", dest="reviewed_share", type=float, default=0.9,
                            help="Share of the quarterly results whose review is entered (default 0.9).")

    def generate(self, *, seed, within, today, progress, reviewed_share, **kw):
        return generate_assessments(seed=seed, within=within, today=today, reviewed_share=reviewed_share)

    def summary(self, result) -> str:
        return f"{result.cycles:,} cycles with {result.results:,} results"
