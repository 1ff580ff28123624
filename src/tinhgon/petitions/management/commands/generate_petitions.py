"""``tinhgon generate-petitions``: synthetic petitions (see :mod:`tinhgon.petitions.generator`)."""

from tinhgon.core.generating import GenerateCommand
from tinhgon.petitions.generator import DEFAULT_BATCH, generate_petitions


class Command(GenerateCommand):
    help = ("Generate synthetic citizen petitions in the communes of the given provinces: Vietnamese texts with "
            "and without accents, groups and crowded groups, repeat contacts, dated lifecycles with their "
            "statutory deadlines, and a few hot spots. Re-running with the same seed adds nothing.")
    noun = "petitions"
    default_batch = DEFAULT_BATCH

    def add_options(self, parser):
        parser.add_argument("--no-hotspots", dest="hotspots", action="store_false",
                            help="Do not run hot-spot detection at the end.")

    def generate(self, *, hotspots, **kw):
        return generate_petitions(hotspots=hotspots, **{k: kw[k] for k in
                                                        ("count", "seed", "within", "today", "batch_size",
                                                         "progress")})

    def summary(self, result) -> str:
        return (f"{result.petitions:,} petitions ({result.contacts:,} contacts), {result.hotspots} hot spots")
