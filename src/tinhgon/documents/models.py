"""The documents registry (sổ đăng ký văn bản): document types as data, issuer symbols as
data, documents with their number, symbol, issuer, validity and what they replace or amend.

Numbering (RULES.md §4): a party body numbers from 01 per abbreviation within one term of
its committee (types sharing an abbreviation — Quyết định and Quy định, QĐ — share the
sequence); a state body per calendar year (Decree 30/2020).  Which sequence a document
belongs to is written on it (``sequence_key``) when it is registered, so the next number
and the gap check are one indexed read.  A document received from another issuer is
recorded as written and belongs to no sequence.

The issuer of a document is the unit version that issued it and stays so: a restructuring
that ends the issuer moves nothing (history is not rewritten).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.changelog import TrackedModel
from tinhgon.core.scoping import ScopePolicy

PARTY, STATE = "party", "state"
SYSTEMS = [(PARTY, _("Party document")), (STATE, _("State document"))]


class DocumentType(TrackedModel):
    """A kind of document (Nghị quyết, Kết luận, Quyết định, …) with its abbreviation and symbol form.

    ``symbol_pattern`` renders the symbol from ``{nn}`` (the number on at least two digits),
    ``{n}`` (the number as is), ``{abbr}``, ``{issuer}`` and ``{year}``: ``{nn}-{abbr}/{issuer}``
    gives ``09-NQ/TU``, ``{n}/{abbr}-{issuer}`` gives ``123/QĐ-UBND``,
    ``{n}/{year}/{issuer}`` gives ``76/2025/UBTVQH15``.  ``sequence_group`` names the number
    sequence (empty: the abbreviation), so that two types with one abbreviation share it.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    system = models.CharField(_("system"), max_length=10, choices=SYSTEMS)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True,
                                    help_text=_("As written in the symbol: NQ, QĐ, ĐA; empty for an official letter of a "
                                                "state body."))
    symbol_pattern = models.CharField(_("symbol form"), max_length=60,
                                      help_text=_("{nn} number on two digits, {n} number, {abbr}, {issuer}, {year}."))
    sequence_group = models.CharField(_("number sequence"), max_length=30, blank=True,
                                      help_text=_("Types with the same sequence share their numbers; empty: the "
                                                  "abbreviation."))
    valid_from = models.DateField(_("in use from"), null=True, blank=True)
    valid_to = models.DateField(_("in use until"), null=True, blank=True,
                                help_text=_("The first day the type is no longer used."))
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    scope_policy = ScopePolicy(path_lookup=None, public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["system", "order", "name"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    @property
    def sequence(self) -> str:
        return self.sequence_group or self.abbreviation or self.code

    def in_use_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)


class IssuerSymbol(TrackedModel):
    """The issuer's part of a symbol (TU, HU, ĐU, UBND, HĐND) — data, not code.

    A row names one body by its code (``body_code``: the symbol of that body alone), or a
    kind of body (``unit_kind`` code) optionally at the level of its territory
    (``territory_level`` code: ``province``, ``district``, ``commune``).  The most specific
    row wins; the proposal can be changed on the document.
    """

    body_code = models.CharField(_("body code"), max_length=40, blank=True, db_index=True)
    unit_kind = models.CharField(_("unit kind code"), max_length=40, blank=True)
    territory_level = models.CharField(_("level of the territory"), max_length=40, blank=True)
    symbol = models.CharField(_("issuer symbol"), max_length=30)

    scope_policy = ScopePolicy(path_lookup=None, public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["body_code", "unit_kind", "territory_level"]
        verbose_name = _("issuer symbol")
        verbose_name_plural = _("issuer symbols")
        constraints = [models.UniqueConstraint(fields=["body_code", "unit_kind", "territory_level"],
                                               name="uniq_issuer_symbol")]

    def __str__(self) -> str:
        return self.symbol


class Document(TrackedModel):
    """A document issued by a body of the registry, or received by one from another issuer."""

    ISSUED, RECEIVED = "issued", "received"
    DIRECTIONS = [(ISSUED, pgettext_lazy("document", "Issued")), (RECEIVED, pgettext_lazy("document", "Received"))]
    IN_FORCE, EXPIRED, REPLACED = "in_force", "expired", "replaced"
    STATUSES = [(IN_FORCE, pgettext_lazy("document", "In force")), (EXPIRED, pgettext_lazy("document", "Expired")),
                (REPLACED, pgettext_lazy("document", "Replaced"))]

    direction = models.CharField(_("direction"), max_length=10, choices=DIRECTIONS, default=ISSUED)
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="documents",
                                 verbose_name=_("document type"))
    unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="documents",
                             verbose_name=_("registering body"),
                             help_text=_("The issuer of an issued document; the body that received it otherwise."))
    issuer_name = models.CharField(_("issuer"), max_length=200, blank=True,
                                   help_text=_("For a received document: the issuer as written."))
    term = models.ForeignKey("apparatus.Term", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="documents", verbose_name=_("term"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    sequence_key = models.CharField(_("number sequence"), max_length=160, blank=True, editable=False)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_reason = models.CharField(_("reason for the number"), max_length=500, blank=True,
                                     help_text=_("Required for a number that repeats or skips one."))
    issuer_symbol = models.CharField(_("issuer symbol"), max_length=30, blank=True)
    symbol = models.CharField(_("number and symbol"), max_length=80)
    symbol_folded = models.CharField(max_length=80, editable=False, db_index=True)
    symbol_tail = models.CharField(max_length=80, editable=False, db_index=True,
                                   help_text="The folded symbol without its number: nq/tu, qd-ubnd.")
    issued_on = models.DateField(_("date"))
    signer = models.CharField(_("signed by"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=500)
    title_folded = models.CharField(max_length=500, editable=False)
    summary = models.TextField(_("summary"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to="documents/%Y/", blank=True)
    status = models.CharField(_("validity"), max_length=10, choices=STATUSES, default=IN_FORCE)
    status_on = models.DateField(_("validity changed on"), null=True, blank=True)
    created = models.DateTimeField(_("registered at"), auto_now_add=True)

    scope_policy = ScopePolicy(path_lookup="unit__path")

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["sequence_key", "number"], name="document_sequence_number"),
            models.Index(fields=["unit", "issued_on"], name="document_unit_issued"),
            models.Index(fields=["issued_on", "id"], name="document_issued_id"),
            # covering the symbol search's page of ids (the range, the date it sorts by, the body
            # its scope joins): read from the index alone, the rows then fetched by id
            # (on PostgreSQL the symbol in pattern order, so that LIKE 'prefix%' seeks in it).
            models.Index(fields=["symbol_tail", "issued_on", "unit"], name="document_tail_issued",
                         opclasses=["varchar_pattern_ops", "date_ops", "int8_ops"]),
            models.Index(fields=["symbol_folded", "issued_on", "unit"], name="document_symbol_issued",
                         opclasses=["varchar_pattern_ops", "date_ops", "int8_ops"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(number__isnull=True) | models.Q(number__gt=0),
                                   name="document_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} — {self.title}"

    @property
    def issuer_label(self) -> str:
        return self.issuer_name if self.direction == self.RECEIVED and self.issuer_name else self.unit.name


class DocumentRelation(TrackedModel):
    """A document replacing or amending an earlier one."""

    REPLACES, AMENDS = "replaces", "amends"
    KINDS = [(REPLACES, _("Replaces")), (AMENDS, _("Amends"))]

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations_out",
                               verbose_name=_("document"))
    target = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="relations_in",
                               verbose_name=_("earlier document"))
    kind = models.CharField(_("relation"), max_length=10, choices=KINDS)

    scope_policy = ScopePolicy(path_lookup="source__unit__path")

    class Meta:
        ordering = ["source", "id"]
        verbose_name = _("document relation")
        verbose_name_plural = _("document relations")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="uniq_document_relation"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="document_relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source.symbol} {self.get_kind_display()} {self.target.symbol}"
