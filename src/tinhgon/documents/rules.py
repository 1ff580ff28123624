"""Pure rules of document numbering (RULES.md §4; Decree 30/2020): no ORM, no I/O.

- :func:`render_symbol` writes a symbol from a type's form (``{nn}-{abbr}/{issuer}``);
- :func:`check_number` says whether a number repeats one of its sequence or skips some,
  and which number comes next;
- :func:`sequence_key` names the sequence: a party body's abbreviation within a term, a
  state body's sequence within a calendar year;
- :func:`fold_symbol` / :func:`symbol_tail` are the search forms of a symbol
  (``ĐA/TU`` → ``da/tu``).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field

from tinhgon.core.text import fold

TOKENS = frozenset({"nn", "n", "abbr", "issuer", "year"})
_NUMBER_HEAD = re.compile(r"^\d+[-/.]?")


def pattern_tokens(pattern: str) -> list[str]:
    """The ``{token}`` names a symbol form uses (a malformed brace raises ``ValueError``)."""
    return [name for _lit, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None]


def pattern_problems(pattern: str) -> list[str]:
    """What is wrong with a symbol form: unknown tokens, no number, broken braces (English keys)."""
    try:
        names = pattern_tokens(pattern)
    except ValueError:
        return ["malformed"]
    problems = [f"unknown:{n}" for n in names if n not in TOKENS]
    if not ({"n", "nn"} & set(names)):
        problems.append("no_number")
    return problems


def render_symbol(pattern: str, *, number: int, abbreviation: str, issuer: str, year: int) -> str:
    """``render_symbol("{nn}-{abbr}/{issuer}", number=9, abbreviation="NQ", issuer="TU", year=2026) == "09-NQ/TU"``."""
    text = pattern.format(nn=f"{number:02d}", n=str(number), abbr=abbreviation, issuer=issuer, year=str(year))
    # A form with an abbreviation the type does not have (a state official letter) drops the empty part.
    return text.replace("/-", "/").replace("--", "-").strip("-/ ")


def fold_symbol(symbol: str | None) -> str:
    """The searchable form of a symbol: folded (no accents, lower case), without spaces."""
    return fold(symbol).replace(" ", "")


def symbol_tail(folded: str) -> str:
    """The folded symbol without its leading number: ``09-nq/tu`` → ``nq/tu``, ``123/qd-ubnd`` → ``qd-ubnd``."""
    return _NUMBER_HEAD.sub("", folded, count=1)


def leading_number(symbol: str) -> int | None:
    """The number a symbol starts with (``127-KL/TW`` → 127), None when it starts otherwise."""
    m = re.match(r"^\s*(\d+)", symbol or "")
    return int(m.group(1)) if m else None


def sequence_key(*, system: str, body_code: str, group: str, term_id: int | None = None,
                 year: int | None = None) -> str:
    """The sequence a document's number belongs to: ``party|<body>|t<term>|NQ``, ``state|<body>|2025|QĐ``."""
    period = f"t{term_id}" if system == "party" else str(year)
    return f"{system}|{body_code}|{period}|{group}"


@dataclass(frozen=True)
class NumberCheck:
    """What a number does to its sequence."""

    number: int
    proposed: int                      # the next number of the sequence (the highest + 1)
    duplicate: bool = False            # the number is taken already
    skipped: list[int] = field(default_factory=list)   # numbers it leaves out (only above the highest)

    @property
    def needs_reason(self) -> bool:
        return self.duplicate or bool(self.skipped)


def next_number(existing: Iterable[int]) -> int:
    return max(existing, default=0) + 1


def check_number(existing: Iterable[int], number: int) -> NumberCheck:
    """Check ``number`` against the numbers of its sequence.

    A number taken already is a duplicate; a number above the next one skips those in
    between; a number below the highest that is free fills an earlier gap and is fine.
    """
    taken = set(existing)
    proposed = next_number(taken)
    skipped = list(range(proposed, number)) if number > proposed else []
    return NumberCheck(number=number, proposed=proposed, duplicate=number in taken, skipped=skipped)


def gaps(existing: Iterable[int]) -> list[int]:
    """The numbers missing below the highest of a sequence."""
    taken = sorted(set(existing))
    if not taken:
        return []
    present = set(taken)
    return [n for n in range(1, taken[-1]) if n not in present]


def skipped_text(skipped: list[int], limit: int = 8) -> str:
    """``[4, 5, 6]`` → ``4, 5, 6``; a long run is written as a range (``4–57``)."""
    if len(skipped) > limit:
        return f"{skipped[0]}–{skipped[-1]}"
    return ", ".join(str(n) for n in skipped)
