"""Figures read in the light of their neighbours.

The extractor's grammar reads one figure at a time; some figures only make
sense next to another one.  These passes run over a text's figures in order:

- Ranges write their unit, scale and currency once: in "3-7 percent", "5 to
  6 million", "$3-5 billion" or "antara 3 hingga 7 persen" the lower bound is
  as much a percentage, a million or a dollar amount as the upper one, so it
  takes what the other bound says.  An Indonesian "hingga"/"sampai" joining a
  range is no "up to" qualifier on the upper bound.
- Month ranges write the year once: "Januari-Juni 2023" and "Jan-Jun 2023"
  give January 2023 as well as June 2023.
- Ranks: a bare number after a rank word ("rank 2", "ranked 4", "Peringkat4"
  glued in an infobox, "urutan: 3") is an ordinal, as "2nd" or "ke-4" is, so
  that it pairs with the other text's "(4th)".
- Context years: a count, amount or rank carries in `year` the year of the
  nearest year or date in its clause (up to a sentence end, dash, semicolon
  or conjunction): in "at least 3,298 in 2017, fewer than the 2016 total of
  6,878" the first carries 2017, the second 2016.  The year stays a figure of
  its own.

Only figures whose gap is exactly a range joiner are touched, so a figure
never takes a unit across words, a line or a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from functools import partial
from itertools import groupby
from operator import itemgetter

from pipeline.facts import PartialDate
from pipeline.reading.figure import Figure, tidy
from pipeline.reading.text import SENTENCE_END

# Where the phrase a year qualifies ends: a sentence end, a dash or semicolon,
# or a conjunction ("120 tonnes in 2016 and 95 tonnes in 2017").
CONJUNCTIONS = "and but while whereas dan tetapi namun sementara sedangkan"
CLAUSE_END = re.compile(rf"{SENTENCE_END.pattern}|[;—–]|\s-\s|\s(?i:{'|'.join(CONJUNCTIONS.split())})\s")
ANCHORS = ("year", "date")

# What joins the two bounds of a range: an unspaced dash (a spaced one is as
# often a clause's dash: "killed 12 - 15 percent of them children") or a word;
# "and" only after "between": "3 and 7 percent" alone may be two figures.
RANGE_WORDS = {"en": "to|through", "id": "hingga|sampai|sampai dengan|s\\.d\\.|s/d"}
BETWEEN = {"en": "between", "id": "antara"}
AND = {"en": "and", "id": "dan"}
# A rank word right before a bare number, on its line: the number is a place in an order.  Both
# languages' words, as infobox labels are copied across ("Rank" in an Indonesian table).
RANK_BEFORE = re.compile(r"(?<![^\W_])(?i:rank|ranked|ranking|peringkat|urutan)(?:[^\S\n]*:)?[^\S\n]*$")
# Units an upper bound lends to a bare lower bound; a rank, year or date is no range of amounts.
LENT = frozenset({"count", "money", "percent", "percentage_point", "duration", "times"})


def _joiner(words: str) -> re.Pattern[str]:
    return re.compile(rf"[-–]|[^\S\n]+(?i:{words})[^\S\n]+")


class Neighbours:
    """The passes for one language; `scale_of` gives the power of ten a figure's own wording applies."""

    def __init__(
        self, language: str, qualifier_prefix: re.Pattern[str], months: str, scale_of: Callable[[Figure], int]
    ) -> None:
        self.qualifier_prefix = qualifier_prefix
        self.scale_of = scale_of
        self.joiner = _joiner(RANGE_WORDS[language])
        self.between = re.compile(rf"(?<![^\W_])(?i:{BETWEEN[language]})\s+$")
        self.and_ = _joiner(AND[language])
        self.month_before = re.compile(
            rf"(?<![^\W_])(?P<month>{months})(?:[^\S\n]?[-–—][^\S\n]?|[^\S\n]+(?i:{RANGE_WORDS[language]})[^\S\n]+)$"
        )
        self.months = months

    def read(self, figures: list[Figure], text: str, month_number: Callable[[str], int]) -> list[Figure]:
        figures = self._ranges(self._up_to(_ranks(figures, text), text), text)
        return _tie_years(self._month_ranges(figures, text, month_number), text)

    def _up_to(self, figures: list[Figure], text: str) -> list[Figure]:
        """In "1,5 hingga 3,5 persen" the "hingga" joins a range: the upper end is no "up to" figure."""
        for index in range(1, len(figures)):
            figure = figures[index]
            if figure.qualifier == "up_to" and not text[figures[index - 1].end : figure.start].strip():
                start = figure.start + self.qualifier_prefix.match(figure.text).end()  # type: ignore[union-attr]
                figures[index] = replace(figure, qualifier="exact", start=start, text=text[start : figure.end])
        return figures

    def _ranges(self, figures: list[Figure], text: str) -> list[Figure]:
        for index in range(1, len(figures)):
            low, high = figures[index - 1], figures[index]
            if low.unit not in LENT or high.unit not in LENT or not self._joined(low, high, text):
                continue
            if low.unit == "count" and not low.currency:
                low = replace(low, unit=high.unit, currency=high.currency, period=high.period)
            elif high.unit == "count" and low.unit == "money":
                high = replace(high, unit="money", currency=low.currency)
            if (low.unit, low.currency, low.period) != (high.unit, high.currency, high.period):
                continue  # "5 percent to 6 dollars": not one range
            scale, own = self.scale_of(high), self.scale_of(low)
            if scale and not own:
                low = _scaled(low, scale)
            figures[index - 1], figures[index] = low, high
        return figures

    def _joined(self, low: Figure, high: Figure, text: str) -> bool:
        gap = text[low.end : high.start]
        if self.joiner.fullmatch(gap):
            return True
        return bool(self.and_.fullmatch(gap) and self.between.search(text, max(0, low.start - 20), low.start))

    def _month_ranges(self, figures: list[Figure], text: str, month_number: Callable[[str], int]) -> list[Figure]:
        read: list[Figure] = []
        for figure in figures:
            value = figure.value
            if figure.unit == "date" and isinstance(value, PartialDate) and value.day is None and value.month:
                before = self.month_before.search(text, max(0, figure.start - 40), figure.start)
                if before is not None and (not read or read[-1].end <= before.start()):
                    start, end = before.span("month")
                    month = PartialDate(value.year, month_number(before["month"]))
                    read.append(replace(figure, value=month, text=text[start:end], start=start, end=end, part=None))
            read.append(figure)
        return read


def _ranks(figures: list[Figure], text: str) -> list[Figure]:
    """A bare count right after a rank word is an ordinal: "Peringkat4", "rank 2", "ranked 4"."""
    return [
        replace(figure, unit="ordinal")
        if figure.unit == "count"
        and figure.qualifier == "exact"
        and figure.text.isdigit()
        and RANK_BEFORE.search(text, max(0, figure.start - 20), figure.start)
        else figure
        for figure in figures
    ]


def _scaled(figure: Figure, exponent: int) -> Figure:
    assert isinstance(figure.value, Decimal)
    scale = partial(Decimal.scaleb, other=exponent)
    resolution = None if figure.resolution is None else scale(figure.resolution)
    alternative = None if figure.alternative is None else scale(figure.alternative)
    return replace(figure, value=tidy(scale(figure.value)), resolution=resolution, alternative=alternative)


def _tie_years(figures: list[Figure], text: str) -> list[Figure]:
    """Give each figure the year of the nearest year or date in its clause (ties go to the one after)."""
    if not any(figure.unit in ANCHORS for figure in figures):
        return figures
    ends = [boundary.end() for boundary in CLAUSE_END.finditer(text)]
    clauses = [bisect_right(ends, figure.start) for figure in figures]
    tied = []
    for _, group in groupby(zip(clauses, figures, strict=True), key=itemgetter(0)):
        members = [figure for _, figure in group]
        anchors = [figure for figure in members if figure.unit in ANCHORS]
        for figure in members:
            if anchors and figure.unit not in ANCHORS:
                value = min(anchors, key=partial(_gap, figure)).value
                figure = replace(figure, year=value.year if isinstance(value, PartialDate) else int(value))
            tied.append(figure)
    return tied


def _gap(figure: Figure, anchor: Figure) -> tuple[int, int]:
    return (anchor.start - figure.end, 0) if anchor.start >= figure.end else (figure.start - anchor.end, 1)
