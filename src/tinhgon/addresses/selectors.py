"""Reads of the address converter: one address, a few, and the units a text names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.utils import timezone

from .index import get_index
from .resolver import AddressResult, resolve


def convert_address(text: str, *, as_of: dt.date | None = None, reverse: bool = False) -> AddressResult:
    """``text`` (an address as written) to the unit(s) valid on ``as_of`` (default today);
    ``reverse``: a new address back to the old unit(s) it came from."""
    return resolve(get_index(), text, as_of=as_of or timezone.localdate(), reverse=reverse)


def convert_many(texts: Iterable[str], *, as_of: dt.date | None = None, reverse: bool = False) -> Iterator[AddressResult]:
    """:func:`convert_address` over many texts with one index (bulk conversion)."""
    idx = get_index()
    day = as_of or timezone.localdate()
    for text in texts:
        yield resolve(idx, text, as_of=day, reverse=reverse)
