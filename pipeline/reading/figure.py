"""A figure as read from text: the language-independent key both versions must share.

Its own module because every reader of figures needs it and none of them
should need the others: the extractor, the passes that read a figure with
its neighbours, the checks and the audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, getcontext
from typing import Literal

from pipeline.facts import PartialDate
from pipeline.language import DatePart, Qualifier

FigureUnit = Literal[
    "count", "percent", "percentage_point", "money", "year", "date", "ordinal", "duration", "times", "decade"
]
FigureQualifier = Qualifier | Literal["less_than"]
Period = Literal["day", "week", "month", "year"]


@dataclass(frozen=True, slots=True)
class Figure:
    unit: FigureUnit
    value: Decimal | PartialDate
    qualifier: FigureQualifier
    text: str
    start: int
    end: int
    currency: str | None = None
    part: DatePart | None = None
    period: str | None = None
    spelled: bool = False
    year: int | None = None
    """The year of the date the figure's clause ties it to ("6,878 in 2016"); not part of the key."""
    resolution: Decimal | None = None
    """What one step of the last digit written is worth (5.6 million: 100000), for rounding."""
    reading: str | None = None
    """Why a number was read against its language's convention (pipeline.reading.marks)."""
    alternative: Decimal | None = None
    """The other convention's value, when only the language's habit chose between the two."""

    @property
    def key(self) -> tuple[object, ...]:
        """What must agree across languages; the wording and position need not."""
        value = tidy(self.value) if isinstance(self.value, Decimal) else self.value
        return (self.unit, value, self.qualifier, self.currency, self.part, self.period)


def tidy(number: Decimal) -> Decimal:
    """5.6E+6 -> 5600000 and 0.20 -> 0.2, so equal values also print alike."""
    whole = number == number.to_integral_value() and number.adjusted() < getcontext().prec
    return number.quantize(Decimal(1)) if whole else number.normalize()
