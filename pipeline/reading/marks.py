"""One number token read through its grouping and decimal marks.

English groups with "," and writes decimals with "."; Indonesian the other way
round; copy often mixes them.  A number only one convention can read is read
that way in either language ("2.4%" in Indonesian is 2.4).  One mark followed
by exactly three digits ("8,900", "364.792") is thousands in one convention and
three decimals in the other; the first of these rules that applies decides:
1. money: an amount without a scale word is grouped, as no currency here has
   three decimals ("$1.500" is 1500);
2. padding: a bare number (no %, no scale word) whose decimal reading would end
   in 0 is grouped, as prose does not pad decimals ("8,900/km2" is 8900);
3. document: when the text's unambiguous numbers all follow one convention,
   that one;
4. language: the language's own ("364.792" is 364792 in Indonesian).
A figure read against its language's convention names the rule in `reading`;
after rules 3 and 4 the other reading stays in `alternative`, for a caller
with more context (the other language's text).  So a fact shown with three
decimals ending in 0 ("5,000" for 5) reads as thousands, alike in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

# Any marks between digits: which are grouping and which decimal is read later.
DIGITS = r"[0-9]+(?:[.,][0-9]+)*"
VERSION_AFTER_NAME = re.compile(r"(?<![^\W_])[A-Z]{2,}[ \u00a0]$")


class Reading(NamedTuple):
    value: Decimal
    decimals: int
    rule: str | None = None
    alternative: Decimal | None = None


def _grouped(group: str) -> str:
    return rf"[1-9][0-9]{{0,2}}(?:{re.escape(group)}[0-9]{{3}})+"


class Marks:
    """The grouping and decimal conventions a language's text may use, its own first."""

    def __init__(self, locale: Locale, locales: Iterable[Locale]) -> None:
        self.group = get_group_symbol(locale)
        marks = dict.fromkeys((get_group_symbol(loc), get_decimal_symbol(loc)) for loc in (locale, *locales))
        self.conventions = [
            (g, d, re.compile(rf"{_grouped(g)}(?:{re.escape(d)}[0-9]+)?|[0-9]+(?:{re.escape(d)}[0-9]+)?"))
            for g, d in marks
        ]
        self.grouped = re.compile(_grouped(self.group))

    def _parses(self, token: str) -> list[tuple[int, Reading]]:
        """(convention, reading) for each convention that can read the token."""
        readings = []
        for index, (group, decimal, pattern) in enumerate(self.conventions):
            if pattern.fullmatch(token):
                whole, _, fraction = token.partition(decimal)
                value = Decimal(whole.replace(group, "") + ("." + fraction if fraction else ""))
                readings.append((index, Reading(value, len(fraction))))
        return readings

    def votes(self, tokens: Iterable[str]) -> frozenset[int]:
        """The conventions that the text's unambiguous numbers follow."""
        readings = (self._parses(token) for token in tokens if "," in token or "." in token)
        return frozenset(found[0][0] for found in readings if len(found) == 1)

    def read(
        self, token: str, votes: frozenset[int] = frozenset(), money: bool = False, bare: bool = False
    ) -> Reading | None:
        """The token's value; when two conventions read it differently, the module docstring's rules choose."""
        if token.isdigit():
            return Reading(Decimal(token), 0)
        readings = self._parses(token)
        if not readings:
            return None  # "1,2,3" or "1.2.3": no convention reads it, so no guess
        if len(readings) == 1 or readings[0][1].value == readings[1][1].value:
            return readings[0][1]
        (_, own), (other_convention, other) = readings
        grouped = own if own.decimals == 0 else other
        if money or (bare and token.endswith("0")):
            chosen, rule = grouped, "money" if money else "padding"
        elif len(votes) == 1:
            chosen, rule = other if other_convention in votes else own, "document"
        else:
            chosen, rule = own, "language"
        unchosen = other if chosen is own else own
        alternative = unchosen.value if rule in ("document", "language") else None
        return chosen._replace(rule=None if chosen is own else rule, alternative=alternative)

    def is_version(self, token: str, text: str, start: int) -> bool:
        """ISIS 2.0: a dotted number after an all-caps name, where the dot cannot group thousands."""
        dotted = "." in token and not (self.group == "." and self.grouped.fullmatch(token))
        return dotted and VERSION_AFTER_NAME.search(text, max(0, start - 40), start) is not None
