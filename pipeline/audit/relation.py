"""How an English and an Indonesian figure relate, whatever sentences they sit in.

This is the part of the audit that knows about figures and nothing about
sentences: whether two figures can be the same figure at all (same value, an
equivalent form, the same kind of measure with another value) and how alike
two differing values are.  pipeline.audit.align weighs these against the sentence
context; keeping them apart lets each be read, and tested, on its own.
"""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal
from typing import Literal

from pipeline.facts import PartialDate
from pipeline.reading import Figure, tidy

Status = Literal["match", "differs"]

QUANTITIES = frozenset({"count", "money", "percent", "percentage_point", "times"})
ANCHORS = frozenset({"year", "date"})
LOWER_BOUNDS = frozenset({"more_than", "at_least", "just_over"})
UPPER_BOUNDS = frozenset({"less_than", "almost", "up_to"})
PER_LARGER_PERIOD = {("year", "month"): 12, ("week", "day"): 7, ("year", "week"): 52}
# An index is written as a fraction in one text and per hundred in the other
# ("0.812" / "81,2"); a percent sign on the larger one is allowed, not needed.
SCALED_UNITS = frozenset({("count", "count"), ("count", "percent")})


def relation(en: Figure, id_: Figure) -> tuple[Status, str | None] | None:
    """How an English and an Indonesian figure relate, if they could be the same figure at all."""
    found = _relation(en, id_)
    if found is not None and found[0] == "match":
        return found
    # A number whose marks only its text's habits decided ("204,894" in
    # Indonesian copy) may mean what the other text says; the translation
    # yields to the original first.
    for first, second, other_text in ((id_, en, "English"), (en, id_, "Indonesian")):
        if first.alternative is not None and first.alternative == second.value:
            reread = replace(first, value=first.alternative, resolution=None)
            if (_relation(reread, second) or ("differs",))[0] == "match":
                return "match", f"{shown(first)} read as {first.alternative}, as the {other_text} text has it"
    return found


def _relation(a: Figure, b: Figure) -> tuple[Status, str | None] | None:
    if a.unit in ANCHORS or b.unit in ANCHORS:
        return _dates(a, b) if a.unit in ANCHORS and b.unit in ANCHORS else None
    if a.unit == "duration" or b.unit == "duration":
        return _durations(a, b)
    scaled = _scaled(a, b)
    if scaled is not None:
        return scaled
    if a.unit != b.unit or a.currency != b.currency:
        if a.unit == b.unit:
            return "differs", f"currency: {a.currency} vs {b.currency}"
        if a.value == b.value and {a.unit, b.unit} <= QUANTITIES:
            return "differs", f"unit: {a.unit.replace('_', ' ')} vs {b.unit.replace('_', ' ')}"
        return None
    synonyms = a.qualifier == b.qualifier or {a.qualifier, b.qualifier} == {"more_than", "just_over"}
    if a.value == b.value:
        if a.qualifier == b.qualifier:
            return "match", None
        note = f"qualifier: {a.qualifier.replace('_', ' ')} vs {b.qualifier.replace('_', ' ')}"
        return ("match" if synonyms else "differs"), note
    coarse, fine = sorted((a, b), key=lambda figure: _step(figure) or 0, reverse=True)
    if _rounds_to(fine, coarse) and (synonyms or (coarse.qualifier == "about" and fine.qualifier == "exact")):
        return "match", f"rounded: {shown(coarse)} ≈ {shown(fine)}"
    return _within_bound(a, b) or ("differs", None)


def _within_bound(a: Figure, b: Figure) -> tuple[Status, str | None] | None:
    """ "more than 24,000" and "24.313": a round bound and the exact figure just past it say the same.
    The exact figure must lie on the bound's side and within the bound's own precision (its last
    non-zero digit), so "lebih dari 70.000" is no restatement of 68,260, nor "more than 20,000" of 24,313."""
    for bound, exact in ((a, b), (b, a)):
        side = 1 if bound.qualifier in LOWER_BOUNDS else -1 if bound.qualifier in UPPER_BOUNDS else 0
        step = _step(replace(bound, qualifier="about"))
        if not side or exact.qualifier != "exact" or step is None:
            continue
        assert isinstance(exact.value, Decimal) and isinstance(bound.value, Decimal)
        gap = (exact.value - bound.value) * side
        if 0 < gap < step:
            return "match", f"bounded: {shown(exact)} fits {shown(bound)}"
    return None


def _scaled(a: Figure, b: Figure) -> tuple[Status, str | None] | None:
    """0.812 and 81,2: one index, as a fraction and per hundred.  Only a fraction
    with two significant digits or more qualifies: "0.5" against "50" is too
    common a coincidence to call one figure."""
    small, large = sorted((a, b), key=lambda figure: figure.value)
    if (small.unit, large.unit) not in SCALED_UNITS or small.qualifier != large.qualifier:
        return None
    assert isinstance(small.value, Decimal) and isinstance(large.value, Decimal)
    if not 0 < small.value < 1 or len(small.value.normalize().as_tuple().digits) < 2:
        return None
    if small.value * 100 != large.value or small.currency is not None or large.currency is not None:
        return None
    return "match", f"scale: {tidy(small.value)} = {tidy(large.value)}/100"


def _rounds_to(fine: Figure, coarse: Figure) -> bool:
    """Whether `fine` rounds (half up, as people round) to `coarse`.

    A figure of one significant digit ("US$1 billion") rounds nothing: read as
    rounding, it would stand for anything from 0.5 to 1.49 billion, so "1
    billion" against "1,4 miliar" is a difference, not a rounding."""
    step, fine_step = _step(coarse), _step(fine)
    if step is None or fine_step is None or step <= fine_step:
        return False
    assert isinstance(fine.value, Decimal) and isinstance(coarse.value, Decimal)
    if coarse.value and abs(coarse.value) < step * 10:
        return False
    gap = (fine.value - coarse.value) * 2
    return -step <= gap < step


def _step(figure: Figure) -> Decimal | None:
    """The precision a figure claims: its last digit's worth, but for "about 58,000" its last non-zero
    digit's (never fewer than two significant digits: "about 10 million" is not "14 million")."""
    step = figure.resolution
    if step is None or figure.qualifier != "about" or figure.value != figure.value.to_integral_value():  # type: ignore[union-attr]
        return step
    digits = str(int(figure.value))  # type: ignore[arg-type]
    implied = Decimal(10) ** max(0, min(len(digits) - len(digits.rstrip("0")), len(digits) - 2))
    return max(step, implied)


def _dates(a: Figure, b: Figure) -> tuple[Status, str | None]:
    first, second = (f.value if isinstance(f.value, PartialDate) else PartialDate(int(f.value)) for f in (a, b))
    if (first, a.part) == (second, b.part):
        return "match", None
    if a.part == b.part and (_within(first, second) or _within(second, first)):
        return "match", f"less precise: {first} vs {second}"
    return "differs", None


def _within(inner: PartialDate, outer: PartialDate) -> bool:
    """2017-07 lies within 2017; 2017-07-03 within 2017-07."""
    if outer.month is None:
        return inner.year == outer.year and inner != outer
    return outer.day is None and (inner.year, inner.month) == (outer.year, outer.month) and inner != outer


def _durations(a: Figure, b: Figure) -> tuple[Status, str | None] | None:
    if a.unit != b.unit:
        duration, other = (a, b) if a.unit == "duration" else (b, a)
        # "children under 15" / "di bawah 15 tahun": an age is a count of years;
        # "a third straight month" / "tiga bulan berturut-turut": a run of periods.
        kin = (other.unit == "count" and duration.period == "year") or other.unit == "ordinal"
        same = duration.value == other.value and duration.qualifier == other.qualifier
        return ("match", f"{shown(a)} / {shown(b)}") if kin and same else None
    if a.key == b.key:
        return "match", None
    for (larger, smaller), factor in PER_LARGER_PERIOD.items():
        for big, small in ((a, b), (b, a)):
            same_qualifier = big.qualifier == small.qualifier
            if (big.period, small.period) == (larger, smaller) and same_qualifier and big.value * factor == small.value:  # type: ignore[operator]
                return "match", f"converted: {shown(big)} = {shown(small)}"
    return "differs", None


def shown(figure: Figure) -> str:
    return " ".join(figure.text.split())


def distinctive(figure: Figure) -> bool:
    """A value unlikely to recur by chance: three significant digits, or a month and year."""
    if isinstance(figure.value, PartialDate):
        return figure.value.month is not None
    return figure.unit in QUANTITIES and len(figure.value.normalize().as_tuple().digits) >= 3


def specific(figure: Figure) -> bool:
    """Distinctive, or a decimal such as 0.66: unlikely to recur by chance within a few sentences."""
    if distinctive(figure) or isinstance(figure.value, PartialDate) or figure.unit not in QUANTITIES:
        return distinctive(figure)
    return figure.value != figure.value.to_integral_value()


def closeness(a: Figure, b: Figure) -> float:
    """1 for equal values, falling to 0 at a factor of ten apart."""
    if not (isinstance(a.value, Decimal) and isinstance(b.value, Decimal)) or a.value <= 0 or b.value <= 0:
        return 0.0
    return max(0.0, 1.0 - abs(math.log10(float(a.value) / float(b.value))))


def typo(a: Figure, b: Figure) -> int | None:
    """How many slips of the pen turn one value into the other ("24,318" / "23.318": one, "2.61" / "2.16":
    one swap of neighbours), if the two are written with the same number of digits in the same places
    and at most two slips apart.  Such a pair is a drift; a merely close value is more often another figure."""
    if not (isinstance(a.value, Decimal) and isinstance(b.value, Decimal)) or a.value == b.value:
        return None
    first, second = str(tidy(a.value)), str(tidy(b.value))
    if len(first) != len(second) or first.find(".") != second.find(".") or len(first.replace(".", "")) < 3:
        return None
    differ = [index for index, (x, y) in enumerate(zip(first, second, strict=True)) if x != y]
    if len(differ) == 2 and differ[1] == differ[0] + 1:
        swapped = first[differ[0]] == second[differ[1]] and first[differ[1]] == second[differ[0]]
        return 1 if swapped else 2
    return len(differ) if len(differ) <= 2 else None
