"""Good models and practices (mô hình hay, cách làm hiệu quả, điển hình tiên tiến).

A good model belongs to the unit where it was built, in the year it was recognized, with
the level and decision that recognized it and its evidence (a file or a link).  The unit
is kept as history: a restructuring that ends the unit moves nothing; counts of a
successor read its predecessors through the lineage.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhgon.core.changelog import TrackedModel
from tinhgon.core.scoping import ScopePolicy

FIELDS = [
    ("economy", _("Economic development")),
    ("agriculture", _("Agriculture and new rural areas")),
    ("culture", _("Culture and society")),
    ("education", _("Education and training")),
    ("health", _("Health care")),
    ("party", _("Party building")),
    ("mass_mobilization", _("Mass mobilization")),
    ("defense", _("Defense and security")),
    ("administration", _("Administrative reform")),
    ("digital", _("Digital transformation")),
    ("environment", _("Environment")),
    ("other", _("Other field")),
]

LEVELS = [
    ("unit", _("Unit")),
    ("commune", _("Commune level")),
    ("district", _("District level")),
    ("province", _("Province level")),
    ("national", _("National level")),
]


class GoodModel(TrackedModel):
    """A good model or practice recognized in a year."""

    title = models.CharField(_("title"), max_length=300)
    field = models.CharField(_("field"), max_length=20, choices=FIELDS)
    unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="good_models",
                             verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    owner = models.CharField(_("collective or person"), max_length=200, blank=True)
    recognition_level = models.CharField(_("recognition level"), max_length=10, choices=LEVELS)
    recognition_decision = models.CharField(_("recognition decision"), max_length=120, blank=True,
                                            help_text=_("As written, e.g. 1234/QĐ-UBND, for a decision not in the "
                                                        "registry."))
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="good_models", verbose_name=_("recognition decision (registry)"))
    description = models.TextField(_("description"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="emulation/%Y/", blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    title_folded = models.CharField(max_length=300, editable=False)

    scope_policy = ScopePolicy(path_lookup="unit__path")

    class Meta:
        ordering = ["-year", "title", "id"]
        verbose_name = _("good model")
        verbose_name_plural = _("good models")
        indexes = [models.Index(fields=["unit", "year"], name="good_model_unit_year")]
        constraints = [models.CheckConstraint(condition=models.Q(year__gte=1945) & models.Q(year__lte=2200),
                                              name="good_model_year_range")]

    def __str__(self) -> str:
        return self.title
