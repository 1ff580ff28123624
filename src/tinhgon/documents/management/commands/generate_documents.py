"""``tinhgon generate-documents``: a synthetic documents registry (see :mod:`tinhgon.documents.generator`)."""

from tinhgon.core.generating import GenerateCommand
from tinhgon.documents.generator import generate_documents


class Command(GenerateCommand):
    help = ("Generate the documents registry of the party committees and People's Committees of the provinces "
            "given: party documents numbered per term and abbreviation, state documents per year, central "
            "documents received, replacements. Re-running with the same seed adds nothing.")
    noun = "documents"
    default_count = 600
    source = "generate-documents"

    def generate(self, **kw):
        return generate_documents(**{k: kw[k] for k in ("count", "seed", "within", "today", "batch_size",
                                                        "progress")})

    def summary(self, result) -> str:
        return f"{result.issued:,} issued and {result.received:,} received documents ({result.terms} terms recorded)"
