"""``tinhgon generate-inspections``: a demo year of inspection work (see :mod:`tinhgon.inspection.generator`)."""

from tinhgon.core.generating import GenerateCommand
from tinhgon.inspection.generator import generate_inspections


class Command(GenerateCommand):
    help = ("Generate each province commission's inspection plan for the year with inspections and supervisions "
            "at every stage: findings, conclusions, reprimands on party members (on their cadre records), "
            "recommendations, some overdue. Needs the party cells of generate-party-members. Re-running with the "
            "same seed adds nothing.")
    noun = "inspections"
    default_count = 12
    source = "generate-inspections"

    def generate(self, **kw):
        return generate_inspections(**{k: kw[k] for k in ("count", "seed", "within", "today", "progress")})

    def summary(self, result) -> str:
        return (f"{result.inspections:,} inspections and supervisions in {result.plans:,} plans "
                f"({result.measures:,} disciplinary measures, {result.recommendations:,} recommendations)")
