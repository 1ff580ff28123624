"""Unit kinds of grassroots party organizations (data written after ``migrate``; created when
missing, never overwritten — administrators may rename them)."""

from __future__ import annotations

from tinhgon.core.changelog import acting_as

KINDS = [
    # code, Vietnamese name, English name
    ("dang-bo-co-so", "Đảng bộ cơ sở", "Grassroots party committee"),
    ("chi-bo", "Chi bộ", "Party cell"),
]


def party_kinds_sync(using: str = "default") -> int:
    from tinhgon.apparatus.models import Level, UnitKind

    level = Level.objects.using(using).filter(code="body").first()
    have = set(UnitKind.objects.using(using).values_list("code", flat=True))
    new = [UnitKind(code=c, name=n, name_en=e, category="party", level=level) for c, n, e in KINDS if c not in have]
    with acting_as(None, source="migrate"):
        UnitKind.objects.using(using).bulk_create(new)
    return len(new)


def on_post_migrate(sender, using="default", **kwargs) -> None:
    if getattr(sender, "label", None) == "party":
        party_kinds_sync(using=using)
