"""The reference converter (``vietnamadminunits.convert_address``) beside tinhgon's, offline.

The reference calls an online geocoder (ArcGIS) for a divided commune given with a street;
here that call fails at once (no network), and such a row counts as the reference's failure.
Used by the oracle test and the benchmark.
"""

from __future__ import annotations

from contextlib import contextmanager


class Offline(OSError):
    """The reference's geocoder was called: there is no network."""


def _no_geocoder(*args, **kwargs):
    raise Offline("online geocoder called")


@contextmanager
def offline_reference():
    """``convert_address`` of ``vietnamadminunits`` whose geocoder call fails at once."""
    import vietnamadminunits
    import vietnamadminunits.converter.converter_2025 as conv

    saved = conv.get_geo_location
    conv.get_geo_location = _no_geocoder
    try:
        yield vietnamadminunits.convert_address
    finally:
        conv.get_geo_location = saved


def reference_answer(convert, text: str) -> tuple[str, str] | str:
    """``(new ward, new province)`` from the reference, or the name of the error it raised."""
    try:
        unit = convert(text)
    except Exception as exc:  # the reference raises on what it cannot read
        return type(exc).__name__
    return (unit.ward or "", unit.province or "")


REASONS = {
    "reference_offline": "the reference calls its online geocoder here (a divided commune given with a street "
                         "or with words it does not take as units): it fails offline; tinhgon lists every successor",
    "reference_no_ward": "the reference finds no ward in the text; tinhgon lists the unit(s) the text fits",
    "reference_not_a_successor": "the reference answers a ward that is not a successor of this commune in the "
                                 "registry; tinhgon answers exactly the registry's successors",
    "ambiguous_without_accents": "without accents the text fits two old communes of the district (e.g. Minh Quân "
                                 "and Minh Quán): tinhgon lists both, the right one among them",
    "tinhgon_wrong": "tinhgon misses a successor or answers another unit first",
}
FIELDS = ("code", "kind", "text", "reference", "tinhgon", "reason")


def disagreements(idx, communes, successors, day) -> list[dict]:
    """Every spelling of every old commune on which the reference and tinhgon do not agree, with why.

    Agreement: for a commune that was not divided, tinhgon's first unit is the reference's ward (in the
    same province); for a divided one, tinhgon's units include the reference's ward.
    """
    from .national import spellings
    from .resolver import AMBIGUOUS, resolve

    out = []
    with offline_reference() as convert:
        for c in communes:
            real = successors[c.id]
            for kind, text in spellings(c):
                ref = reference_answer(convert, text)
                r = resolve(idx, text, as_of=day)
                names = [x["name"] for x in r.candidates]
                ids = [x["id"] for x in r.candidates]
                if isinstance(ref, str):
                    reason = "reference_offline" if ref == "Offline" else f"reference_error_{ref}"
                else:
                    if len(real) > 1:
                        agree = ref[0] in names
                    else:
                        agree = names[:1] == [ref[0]] and r.candidates[0]["province"] == ref[1]
                    if agree:
                        continue
                    if ids == real:
                        reason = "reference_no_ward" if not ref[0] else "reference_not_a_successor"
                    elif r.status == AMBIGUOUS and set(real) <= set(ids):
                        reason = "ambiguous_without_accents" if not any(ch != "đ" and ord(ch) > 127 for ch in text) \
                            else "tinhgon_wrong"
                    else:
                        reason = "tinhgon_wrong"
                out.append({"code": c.code, "kind": kind, "text": text,
                            "reference": ref if isinstance(ref, str) else " / ".join(ref),
                            "tinhgon": f"{r.status}: " + "; ".join(names[:4]), "reason": reason})
    return out
