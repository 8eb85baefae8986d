"""Facts to locale-formatted text, by Babel.

Every figure a reader sees is written here: grouping and decimal marks,
compact forms (5.6 million / 5,6 juta), currencies, months, units and the
qualifier in front.  Precision comes from the fact's display hint, so the
English and the Indonesian text of a figure always say the same number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from decimal import Decimal
from functools import update_wrapper
from typing import Concatenate, ParamSpec

from babel import Locale
from babel.lists import format_list
from babel.numbers import format_compact_decimal, format_decimal, get_currency_symbol

from pipeline.facts import (
    CountFact,
    CountriesFact,
    DateFact,
    Display,
    DurationFact,
    Fact,
    MoneyFact,
    PartialDate,
    PercentFact,
    RankFact,
    SeriesFact,
)
from pipeline.language import Lexicon, Qualifier, lexicon_for


class FormatError(ValueError):
    """A fact cannot be written as asked (for example a missing series period)."""


P = ParamSpec("P")
_MEMO: dict[tuple[Hashable, ...], str] = {}
MEMO_SIZE = 65536
"""Far more figures than a newsroom's corpus holds; past it the memo starts again."""


def _exact(value: object) -> Hashable:
    """A key that tells apart arguments Babel writes differently though Python finds them equal.

    1, 1.0 and True are equal, as are 0.0 and -0.0 ("0" and "-0"); a list is not hashable.
    """
    if isinstance(value, bool | int | float):
        return type(value), repr(value)
    if isinstance(value, Display):
        return Display, value.style, value.decimals
    if isinstance(value, list):
        return list, tuple(_exact(item) for item in value)
    if isinstance(value, str):
        return str, str(value)
    if value is None or isinstance(value, PartialDate):
        return value
    raise TypeError(f"no exact key for {type(value).__name__}")


def memoised(method: Callable[Concatenate[FigureFormatter, P], str]) -> Callable[Concatenate[FigureFormatter, P], str]:
    """Writes each figure once per locale: every edition of a build formats the same facts again.

    Keyed on the method, the locale and every argument; shared by all
    formatters, since one is made per edition.
    """

    def cached(self: FigureFormatter, /, *args: P.args, **kwargs: P.kwargs) -> str:
        key = (
            method.__name__,
            self.locale,
            *(_exact(arg) for arg in args),
            *((name, _exact(value)) for name, value in sorted(kwargs.items())),
        )
        text = _MEMO.get(key)
        if text is None:
            text = method(self, *args, **kwargs)
            if len(_MEMO) >= MEMO_SIZE:
                _MEMO.clear()
            _MEMO[key] = text
        return text

    update_wrapper(cached, method)
    return cached


class FigureFormatter:
    """Writes facts in one locale."""

    def __init__(self, locale: Locale) -> None:
        self.locale = locale
        self.lexicon: Lexicon = lexicon_for(locale.language)

    # Whole facts ---------------------------------------------------------

    def fact(self, fact: Fact, period: str | None = None) -> str:
        if isinstance(fact, SeriesFact):
            if period is None:
                raise FormatError("a series is cited one point at a time: give the period")
            point = fact.point(period)
            if point is None:
                known = ", ".join(str(p.period) for p in fact.points)
                raise FormatError(f"the series has no period {period!r} (it has {known})")
            if fact.unit == "percent":
                number = self.percent(point.value, fact.display)
            else:
                number = self.number(point.value, fact.display)
            return self.qualified(number, fact.qualifier)
        if period is not None:
            raise FormatError("only a series fact takes a period")
        if isinstance(fact, CountFact):
            return self.qualified(self.number(fact.value, fact.display), fact.qualifier)
        if isinstance(fact, PercentFact):
            return self.qualified(self.percent(fact.value, fact.display), fact.qualifier)
        if isinstance(fact, MoneyFact):
            return self.qualified(self.money(fact.value, fact.currency, fact.display), fact.qualifier)
        if isinstance(fact, DateFact):
            return self.date(fact.value, fact.part)
        if isinstance(fact, DurationFact):
            return self.qualified(self.duration(fact.value, fact.unit, fact.display), fact.qualifier)
        if isinstance(fact, RankFact):
            return self.rank(fact.value, fact.display)
        if isinstance(fact, CountriesFact):
            return self.countries(fact.value)
        raise FormatError(f"no formatting for facts of kind {fact.kind!r}")

    # Pieces ----------------------------------------------------------------

    def qualified(self, figure: str, qualifier: Qualifier) -> str:
        return self.lexicon.qualifiers[qualifier].format(figure=figure)

    @memoised
    def number(self, value: int | float, display: Display) -> str:
        if display.style == "words":
            return self.lexicon.cardinals[int(value)]
        if display.style == "compact":
            return format_compact_decimal(
                value, format_type="long", locale=self.locale, fraction_digits=display.decimals or 0
            )
        return self._decimal(value, display.decimals)

    @memoised
    def percent(self, value: int | float, display: Display) -> str:
        pattern = self.locale.percent_formats[None].pattern
        digits = display.decimals or 0
        # Keep the locale's own percent pattern (sign, spacing) and only widen
        # the fraction, so "98%" and "0,2%" follow each locale's convention.
        fraction = "." + "0" * digits if digits else ""
        pattern = re.sub(r"0(?:\.0+)?(?=[^0#,.]*$)", "0" + fraction, pattern, count=1)
        return format_decimal(Decimal(str(value)) / 100, format=pattern, locale=self.locale)

    @memoised
    def money(self, value: int | float, currency: str, display: Display) -> str:
        symbol = get_currency_symbol(currency, locale=self.locale)
        if display.style == "compact":
            amount = format_compact_decimal(
                value, format_type="long", locale=self.locale, fraction_digits=display.decimals or 0
            )
        else:
            amount = self._decimal(value, display.decimals)
        pattern = self.locale.currency_formats["standard"].pattern.split(";")[0]
        prefix, _, suffix = re.split(r"([#0,.]+)", pattern, maxsplit=1)
        return prefix.replace("¤", symbol) + amount + suffix.replace("¤", symbol)

    @memoised
    def date(self, value: PartialDate, part: str | None = None) -> str:
        from babel.dates import format_date, format_skeleton

        day = value.as_date()
        if value.precision == "year":
            text = format_skeleton("y", day, locale=self.locale)
        elif value.precision == "month":
            text = format_skeleton("yMMMM", day, locale=self.locale)
        else:
            text = format_date(day, "long", locale=self.locale)
        if part is not None:
            text = self.lexicon.date_parts[part].format(date=text)  # type: ignore[index]
        return text

    @memoised
    def duration(self, value: int, unit: str, display: Display) -> str:
        number = self.lexicon.cardinals[value] if display.style == "words" else self._decimal(value, None)
        patterns = self.locale._data["unit_patterns"][f"duration-{unit}"]["long"]
        pattern = patterns.get(self.locale.plural_form(value)) or patterns["other"]
        return str(pattern).replace("{0}", number)

    @memoised
    def rank(self, value: int, display: Display) -> str:
        if display.style == "words" and value < len(self.lexicon.ordinals):
            return self.lexicon.ordinals[value]
        return self.lexicon.ordinal_digits(value)

    @memoised
    def countries(self, codes: list[str]) -> str:
        return format_list([self.locale.territories[code] for code in codes], locale=self.locale)

    def _decimal(self, value: int | float, decimals: int | None) -> str:
        if decimals:
            return format_decimal(value, format="#,##0." + "0" * decimals, locale=self.locale)
        return format_decimal(value, format="#,##0", locale=self.locale)
