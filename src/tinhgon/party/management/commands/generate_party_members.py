"""``tinhgon generate-party-members``: synthetic party cells and members (see :mod:`tinhgon.party.generator`)."""

from tinhgon.core.generating import GenerateCommand
from tinhgon.party.generator import DEFAULT_BATCH, generate_party_members


class Command(GenerateCommand):
    help = ("Generate party cells under every commune-level unit and synthetic party members with admission, "
            "probation, transfers and leaving as dated memberships; a share of each commune's cadres get a "
            "member record. Re-running with the same seed adds nothing.")
    noun = "party members"
    default_count = 20000
    default_batch = DEFAULT_BATCH
    source = "generate-party-members"

    def add_options(self, parser):
        parser.add_argument("--cells-per-commune", dest="cells", type=int, default=3,
                            help="Party cells created under each commune-level unit (default 3).")

    def generate(self, *, cells, **kw):
        return generate_party_members(cells_per_commune=cells, **{k: kw[k] for k in (
            "count", "seed", "within", "today", "batch_size", "progress")})

    def summary(self, result) -> str:
        return (f"{result.members:,} party members ({result.memberships:,} memberships, {result.linked:,} linked to "
                f"cadres) in {result.organizations:,} party cells")
