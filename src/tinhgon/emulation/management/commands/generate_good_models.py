"""``tinhgon generate-good-models``: synthetic good models and practices (see :mod:`tinhgon.emulation.generator`)."""

from tinhgon.core.generating import GenerateCommand
from tinhgon.emulation.generator import generate_good_models


class Command(GenerateCommand):
    help = ("Generate good models and practices of the communes and bodies of the provinces given, every field "
            "and recognition level, years 2021 to today. Re-running with the same seed adds nothing.")
    noun = "good models"
    default_count = 400
    source = "generate-good-models"

    def generate(self, **kw):
        return generate_good_models(**{k: kw[k] for k in ("count", "seed", "within", "today", "batch_size",
                                                          "progress")})

    def summary(self, result) -> str:
        return f"{result.models:,} good models"
