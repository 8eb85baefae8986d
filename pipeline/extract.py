"""Figures in running text, read back per language.

This is the check behind "the English and Indonesian versions cite identical
figures": every figure is reduced to a language-independent key (unit, value,
qualifier, currency, date part, period) so the two versions can be compared.
Precision beats recall throughout: when a token could be read two ways and
nothing settles it, nothing is extracted, because a missing figure fails the
comparison loudly while a misread one may pass it.

Words come from the same places the formatter takes them from (Babel's locale
data and pipeline.lexicon), so whatever the formatter writes reads back.

Grouping and decimal marks.  English groups with "," and writes decimals with
"."; Indonesian the other way round; copy often mixes them.  A number only one
convention can read is read that way, in either language ("2.4%" in
Indonesian is 2.4, "1,234,567" is 1234567).  The numbers both can read,
differently, are one mark followed by exactly three digits ("8,900",
"364.792"): thousands in one convention, three decimals in the other.  Those
are settled by the first of these rules that applies, and `Figure.reading`
names it:

1. "money": an amount of money without a scale word is grouped, because no
   currency here has three decimals ("$1.500" is 1500);
2. "padding": a bare number (no %, no scale word) whose decimal reading would
   end in 0 is grouped, because prose does not pad decimals: Indonesian
   "8,900/km2" is 8900, English "1.500 people" is 1500;
3. "document": when the numbers of the same text that only one convention can
   read all follow one convention, that one (a text that writes "2.4%" and
   "1,234,567" means 8945 by "8,945");
4. "language": otherwise the language's own convention ("364.792" is 364792
   in Indonesian).

Rule 2 means a fact displayed with three decimals and a final zero in full
digits ("5,000" for 5) reads as thousands: the text alone cannot say
otherwise, and both languages read it alike.

Context years.  A count, amount or rank carries the year of the date its
clause ties it to (`Figure.year`): the nearest year or date in the same
clause, so in "at least 3,298 in 2017, fewer than the 2016 total of 6,878"
the first carries 2017 and the second 2016.  The year stays a figure of its own.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, getcontext
from typing import Literal

from babel import Locale
from babel.numbers import get_currency_symbol, get_decimal_symbol, get_group_symbol

from pipeline.lexicon import LEXICONS, Lexicon
from pipeline.model import DatePart, PartialDate, Qualifier
from pipeline.text import SENTENCE_END

FigureUnit = Literal["count", "percent", "percentage_point", "money", "year", "date", "ordinal", "duration"]
FigureQualifier = Qualifier | Literal["less_than"]
Period = Literal["day", "week", "month", "year"]

BABEL_LOCALES = {"en": "en_GB", "id": "id"}
PERIODS: tuple[Period, ...] = ("day", "week", "month", "year")
CURRENCIES = ("USD", "IDR", "EUR", "GBP")

# Powers of ten.  A one-letter abbreviation only counts when glued to the
# number ("5.6m"): "10 m" is ten metres.
SCALES = {
    "en": {"thousand": 3, "million": 6, "billion": 9, "trillion": 12, "bn": 9, "mn": 6, "m": 6},
    "id": {"ribu": 3, "juta": 6, "miliar": 9, "milyar": 9, "triliun": 12, "rb": 3, "jt": 6},
}
PERCENT_WORDS = {"en": ("percent", "per cent"), "id": ("persen",)}
POINT_WORDS = {
    "en": ("percentage points", "percentage point", "percentage-point", "per cent points", "percent points"),
    "id": ("poin persentase", "persen poin", "poin persen"),
}
# Read, never written: the model has no "less than", and lexicon.py holds what the formatter writes.
EXTRA_QUALIFIERS: dict[str, dict[str, FigureQualifier]] = {
    "en": {"less than": "less_than", "fewer than": "less_than", "as many as": "up_to", "close to": "almost"},
    "id": {"kurang dari": "less_than", "kurang lebih": "about", "lebih kurang": "about", "mendekati": "almost"},
}
# Babel gives "US$" and "Rp"; writers also use a bare "$" (read as USD) and "Rp.".
EXTRA_CURRENCY_SYMBOLS = {"$": "USD", "Rp.": "IDR"}
# Written after the amount; symbols and codes written before it come from Babel.
CURRENCY_WORDS = {
    "euro": "EUR",
    "euros": "EUR",
    "dolar AS": "USD",
    "dolar Amerika Serikat": "USD",
    "US dollars": "USD",
    "rupiah": "IDR",
    "pounds sterling": "GBP",
    "USD": "USD",
    "IDR": "IDR",
    "EUR": "EUR",
    "GBP": "GBP",
}
# Babel's duration patterns have no "pekan", the everyday Indonesian week.
EXTRA_PERIOD_WORDS: dict[str, dict[str, Period]] = {"id": {"pekan": "week"}}
# Words that make a spelled number part of a bigger one the lexicon cannot
# spell ("twenty two", "dua belas", "two and a half"): reading only the
# lexicon's word would give a wrong figure, so the whole phrase is skipped.
NUMBER_JOINERS = {
    "en": "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty"
    " fifty sixty seventy eighty ninety hundred hundreds dozen dozens half halves thirds quarters fifths",
    "id": "sebelas belas puluh puluhan ratus ratusan seratus seribu sejuta setengah pertiga perempat perlima",
}

DIGITS = r"[0-9]+(?:[.,][0-9]+)*"
YEAR = r"[12][0-9]{3}(?![.,]?[0-9])"
URL_OR_EMAIL = r"(?i:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# Footnote markers, fractions and slashed dates (day/month order unknown),
# clock times (10:30, "pukul 10.30", "10.30 WIB"), phone numbers, hashtags.
NOT_FIGURES = (
    r"\[[0-9]{1,3}\]|[0-9]+(?:/[0-9]+)+|[0-9]{1,2}:[0-9]{2}(?![0-9])"
    r"|(?i:pukul|jam)\s+[0-9]{1,2}[.:][0-9]{2}(?![0-9])|[0-9]{1,2}[.:][0-9]{2}\s*(?:WIB|WITA|WIT|GMT|UTC)(?!\w)"
    r"|\+[0-9][0-9 ()-]{6,}[0-9]|#\w+"
)
VERSION_AFTER_NAME = re.compile(r"(?<![^\W_])[A-Z]{2,}[ \u00a0]$")
# Dashes and semicolons end the clause a year qualifies, as a sentence end does.
CLAUSE_END = re.compile(rf"{SENTENCE_END.pattern}|[;—–]|\s-\s")
ANCHORS = ("year", "date")


@dataclass(frozen=True)
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
    """For a number two conventions read differently, the rule that chose (module docstring)."""

    @property
    def key(self) -> tuple[object, ...]:
        """What must agree across languages; the wording and position need not."""
        value = tidy(self.value) if isinstance(self.value, Decimal) else self.value
        return (self.unit, value, self.qualifier, self.currency, self.part, self.period)


def tidy(number: Decimal) -> Decimal:
    """5.6E+6 -> 5600000 and 0.20 -> 0.2, so equal values also print alike."""
    whole = number == number.to_integral_value() and number.adjusted() < getcontext().prec
    return number.quantize(Decimal(1)) if whole else number.normalize()


def extract_figures(text: str, language: str) -> list[Figure]:
    """The figures in text, in order and non-overlapping; language is "en" or "id"."""
    grammar = GRAMMARS[language]
    matches = [match for match in grammar.pattern.finditer(text) if match["skip"] is None]
    votes = grammar.votes(match["priced"] or match["number"] for match in matches if match["amount"])
    figures = [figure for match in matches if (figure := grammar.figure(match, text, votes)) is not None]
    return _tie_years(figures, text)


def _tie_years(figures: list[Figure], text: str) -> list[Figure]:
    if not any(figure.unit in ANCHORS for figure in figures):
        return figures
    boundaries = CLAUSE_END.finditer(text)
    boundary = next(boundaries, None)
    clause, clauses = 0, []
    for figure in figures:
        while boundary is not None and boundary.end() <= figure.start:
            clause, boundary = clause + 1, next(boundaries, None)
        clauses.append(clause)
    # The nearest year or date on each side, found in one pass each way.
    nearest_before: list[int | None] = []
    last = None
    for index, figure in enumerate(figures):
        nearest_before.append(last)
        last = index if figure.unit in ANCHORS else last
    nearest_after: list[int | None] = [None] * len(figures)
    last = None
    for index in range(len(figures) - 1, -1, -1):
        nearest_after[index] = last
        last = index if figures[index].unit in ANCHORS else last
    tied = list(figures)
    for index, figure in enumerate(figures):
        if figure.unit in ANCHORS:
            continue
        gaps = []
        after, before = nearest_after[index], nearest_before[index]
        if after is not None and clauses[after] == clauses[index]:
            gaps.append((figures[after].start - figure.end, 0, after))
        if before is not None and clauses[before] == clauses[index]:
            gaps.append((figure.start - figures[before].end, 1, before))
        if gaps:
            anchor = figures[min(gaps)[2]].value
            tied[index] = replace(figure, year=anchor.year if isinstance(anchor, PartialDate) else int(anchor))
    return tied


def _phrase(text: str) -> str:
    """Any run of whitespace (line breaks from PDFs, no-break spaces) may separate the words."""
    return r"\s+".join(re.escape(word) for word in text.split())


def _either(phrases: Iterable[str]) -> str:
    """Longest first, so that "sedikit di atas" is never read as a shorter phrase."""
    return "|".join(_phrase(phrase) for phrase in sorted(set(phrases), key=len, reverse=True))


def _normal(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _prefix(template: str, slot: str) -> str:
    head, _, tail = template.partition(slot)
    if tail.strip():
        raise ValueError(f"only wording in front of the figure can be read back, not {template!r}")
    return head


def _grouped(group: str) -> str:
    return rf"[1-9][0-9]{{0,2}}(?:{re.escape(group)}[0-9]{{3}})+"


class Grammar:
    """The compiled reader for one language."""

    def __init__(self, language: str, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        locales = {key: Locale.parse(name) for key, name in BABEL_LOCALES.items()}
        locale = locales[language]
        self.qualifiers: dict[str, FigureQualifier] = {
            _normal(_prefix(template, "{figure}")): qualifier
            for qualifier, template in lexicon.qualifiers.items()
            if qualifier != "exact"
        }
        self.qualifiers.update({_normal(phrase): q for phrase, q in lexicon.qualifier_synonyms.items()})
        self.qualifiers.update(EXTRA_QUALIFIERS[language])
        self.parts: dict[str, DatePart] = {
            _normal(_prefix(template, "{date}")): part for part, template in lexicon.date_parts.items()
        }
        self.months = {name: number for number, name in locale.months["format"]["wide"].items()}
        self.periods: dict[str, Period] = dict(EXTRA_PERIOD_WORDS.get(language, {}))
        for period in PERIODS:
            patterns = locale._data["unit_patterns"][f"duration-{period}"]["long"]
            for form, pattern in patterns.items():
                if form != "per":
                    self.periods[_normal(str(pattern).replace("{0}", ""))] = period
        self.currencies = {code: code for code in CURRENCIES} | EXTRA_CURRENCY_SYMBOLS
        for other in locales.values():
            self.currencies |= {get_currency_symbol(code, locale=other): code for code in CURRENCIES}
        self.currency_words = {_normal(word): code for word, code in CURRENCY_WORDS.items()}
        self.scales = SCALES[language]
        self.cardinals = {word: number for number, word in enumerate(lexicon.cardinals)}
        self.ordinals = {word: number for number, word in enumerate(lexicon.ordinals) if word}
        self.group = get_group_symbol(locale)
        # The language's own convention first, then the other one.
        marks = dict.fromkeys((get_group_symbol(loc), get_decimal_symbol(loc)) for loc in (locale, *locales.values()))
        self.conventions = [
            (g, d, re.compile(rf"{_grouped(g)}(?:{re.escape(d)}[0-9]+)?|[0-9]+(?:{re.escape(d)}[0-9]+)?"))
            for g, d in marks
        ]
        self.grouped = re.compile(_grouped(self.group))
        joiners = [
            *NUMBER_JOINERS[language].split(),
            *self.cardinals,
            *(w for w in self.scales if len(w) > 1),
        ]
        self.joined_after = re.compile(rf"[\s-]+(?i:{_either(joiners)}|and\s+an?\s+(?:half|quarter))(?!\w)")
        self.joined_before = re.compile(rf"(?<!\w)(?i:{_either(joiners)})[\s-]+$")
        self.pattern = re.compile(self._pattern(language))

    def _pattern(self, language: str) -> str:
        samples = [self.lexicon.ordinal_digits(n).partition(str(n)) for n in range(1, 101)]
        ordinal_digits = f"(?i:{_either(s[0] for s in samples)})[0-9]+(?i:{_either(s[2] for s in samples)})"
        day = "(?:3[01]|[12][0-9]|0?[1-9])(?![0-9])" + ("(?:st|nd|rd|th)?" if language == "en" else "")
        months = _either(self.months)
        # "end of {date}" needs a space before the date, "mid-{date}" must not have one.
        part_prefixes = [_prefix(template, "{date}") for template in self.lexicon.date_parts.values()]
        parts = "|".join(_phrase(p) + (r"\s+" if p.endswith(" ") else "") for p in part_prefixes)
        date = (
            rf"(?P<part>(?i:{parts}))?"
            rf"(?:(?P<iso>[12][0-9]{{3}}-[01][0-9]-[0-3][0-9])(?![0-9])"
            rf"|(?:(?P<day1>{day})\s+)?(?P<month>{months})(?:\s+(?P<day2>{day}),?)?\s+(?P<year>{YEAR})"
            rf"|(?(part)(?P<bare_year>{YEAR})|(?!)))"
        )
        no_year = rf"{day}\s+(?:{months})|(?:{months})\s+{day}(?![.,]?[0-9])"
        words = _either(w for w in self.scales if len(w) > 1)
        scale = "|".join([rf"\s*(?i:{words})", *(re.escape(w) for w in self.scales if len(w) == 1)])
        points = rf"\s*(?i:{_either(POINT_WORDS[language])})"
        percent = rf"\s*%|\s*(?i:{_either(PERCENT_WORDS[language])})"
        amount = (
            rf"(?P<symbol>{_either(self.currencies)})\s*(?P<priced>{DIGITS})(?P<priced_scale>{scale})?"
            rf"|(?P<number>{DIGITS}|(?i:{_either(self.cardinals)})(?!\w))"
            rf"(?:(?:\s+|-)(?P<period>(?i:{_either(self.periods)}))"
            rf"|(?P<scale>{scale})?(?:(?P<points>{points})|(?P<percent>{percent})"
            rf"|\s+(?P<currency>(?i:{_either(CURRENCY_WORDS)})))?)"
        )
        return (
            rf"(?P<skip>{URL_OR_EMAIL}|{NOT_FIGURES})"
            # A figure starts a word: digits glued to letters or to "letters-"
            # belong to a name or code (MI5, G20, COVID-19), and an unknown
            # currency symbol makes the amount unreadable.
            rf"|(?<![^\W_])(?<![^\W\d_]-)(?<![$£€¥₹])"
            rf"(?P<qualifier>(?i:{_either(self.qualifiers)})\s+)?"
            rf"(?:(?P<date>{date})|(?P<no_year>{no_year})|(?P<ordinal_digits>{ordinal_digits})"
            rf"|(?P<ordinal_word>(?i:{_either(self.ordinals)}))|(?P<amount>{amount}))"
            r"(?![^\W_])"
        )

    def figure(self, match: re.Match[str], text: str, votes: frozenset[int] = frozenset()) -> Figure | None:
        qualifier: FigureQualifier = "exact"
        if match["qualifier"]:
            qualifier = self.qualifiers[_normal(match["qualifier"])]
        if match["amount"] is not None:
            return self._amount(match, text, qualifier, votes)
        # Qualifiers quantify amounts: "hingga Maret 2018" means until March.
        body = next(name for name in ("date", "no_year", "ordinal_digits", "ordinal_word") if match[name])
        start, end = match.span(body)
        found = match[body]
        if body == "date":
            date = self._date(match)
            if date is None:
                return None
            part = self.parts[_normal(match["part"])] if match["part"] else None
            return Figure("date", date, "exact", found, start, end, part=part)
        if body == "ordinal_digits":
            number = int(re.sub("[^0-9]", "", found))
            if found.lower() != self.lexicon.ordinal_digits(number).lower():
                return None  # "2th", "ke2": not how the language writes a rank
            return Figure("ordinal", Decimal(number), "exact", found, start, end)
        if body == "ordinal_word" and not self._joined(text, start, end):
            return Figure("ordinal", Decimal(self.ordinals[found.lower()]), "exact", found, start, end, spelled=True)
        return None  # a day and month without a year, or part of a bigger spelled number

    def _date(self, match: re.Match[str]) -> PartialDate | None:
        if match["iso"]:
            year, month, day = (int(piece) for piece in match["iso"].split("-"))
        elif match["bare_year"]:
            return PartialDate(int(match["bare_year"]))
        else:
            if match["day1"] and match["day2"]:
                return None
            year, month = int(match["year"]), self.months[match["month"]]
            day_text = match["day1"] or match["day2"]
            if not day_text:
                return PartialDate(year, month)
            day = int(re.sub("[^0-9]", "", day_text))
        try:
            datetime.date(year, month, day)
        except ValueError:
            return None
        return PartialDate(year, month, day)

    def _amount(
        self, match: re.Match[str], text: str, qualifier: FigureQualifier, votes: frozenset[int]
    ) -> Figure | None:
        token = match["priced"] or match["number"]
        scale = match["priced_scale"] or match["scale"]
        spelled = token.lower() in self.cardinals
        reading = None
        if spelled:
            number, decimals = Decimal(self.cardinals[token.lower()]), 0
            if self._spelled_noise(match, text, qualifier):
                return None
        else:
            money = bool(match["symbol"] or match["currency"])
            bare = not (scale or money or match["percent"] or match["points"])
            read = self.read(token, votes, money and not scale, bare)
            if read is None:
                return None
            number, decimals, reading = read
        exponent = self.scales[scale.strip().lower()] if scale else 0
        number = number.scaleb(exponent)
        unit: FigureUnit = "count"
        currency = period = None
        if match["symbol"]:
            unit, currency = "money", self.currencies[match["symbol"]]
        elif match["currency"]:
            unit, currency = "money", self.currency_words[_normal(match["currency"])]
        elif match["points"]:
            unit = "percentage_point"
        elif match["percent"]:
            unit = "percent"
        elif match["period"]:
            unit, period = "duration", self.periods[_normal(match["period"])]
        elif not scale and not spelled:
            number_start = match.start("number")
            if self._is_version(token, text, number_start):
                return None
            if re.fullmatch(YEAR, token):  # a year takes no qualifier: "until 2020"
                return Figure("year", number, "exact", token, number_start, match.end())
        figure_text, start, end = match[0], match.start(), match.end()
        resolution = Decimal(1).scaleb(exponent - decimals)
        return Figure(
            unit, tidy(number), qualifier, figure_text, start, end, currency, None, period, spelled,
            resolution=resolution, reading=reading,
        )  # fmt: skip

    def _parses(self, token: str) -> list[tuple[int, Decimal, int]]:
        """(convention, value, decimals written) for each convention that can read the token."""
        readings = []
        for index, (group, decimal, pattern) in enumerate(self.conventions):
            if pattern.fullmatch(token):
                whole, _, fraction = token.partition(decimal)
                value = Decimal(whole.replace(group, "") + ("." + fraction if fraction else ""))
                readings.append((index, value, len(fraction)))
        return readings

    def votes(self, tokens: Iterable[str]) -> frozenset[int]:
        """The conventions that the text's unambiguous numbers follow."""
        voted = set()
        for token in tokens:
            if "," in token or "." in token:
                readings = self._parses(token)
                if len(readings) == 1:
                    voted.add(readings[0][0])
        return frozenset(voted)

    def read(
        self, token: str, votes: frozenset[int] = frozenset(), money: bool = False, bare: bool = False
    ) -> tuple[Decimal, int, str | None] | None:
        """The value, the decimals written and, when two conventions disagree, the rule that chose."""
        readings = self._parses(token)
        if not readings:
            return None  # "1,2,3" or "1.2.3": no convention reads it, so no guess
        if len(readings) == 1 or readings[0][1] == readings[1][1]:
            return readings[0][1], readings[0][2], None
        grouped = next(reading for reading in readings if reading[2] == 0)
        if money:
            chosen, rule = grouped, "money"
        elif bare and token.endswith("0"):
            chosen, rule = grouped, "padding"
        elif len(votes) == 1:
            chosen, rule = next(reading for reading in readings if reading[0] in votes), "document"
        else:
            chosen, rule = readings[0], "language"
        # Only a departure from the language's own convention is worth telling.
        return chosen[1], chosen[2], None if chosen[0] == 0 else rule

    def read_number(self, token: str) -> Decimal | None:
        """The token's value by the language's own convention first (no context)."""
        read = self.read(token)
        return None if read is None else read[0]

    def _is_version(self, token: str, text: str, start: int) -> bool:
        """ISIS 2.0: a dotted number after an all-caps name, where the dot cannot group thousands."""
        dotted = "." in token and not (self.group == "." and self.grouped.fullmatch(token))
        return dotted and VERSION_AFTER_NAME.search(text, max(0, start - 40), start) is not None

    def _spelled_noise(self, match: re.Match[str], text: str, qualifier: FigureQualifier) -> bool:
        """Spelled numbers that are words rather than figures, or only part of one."""
        number_start, number_end = match.span("number")
        quantified = match["scale"] or match["period"] or match["percent"] or match["currency"] or match["points"]
        if self.cardinals[match["number"].lower()] == 1 and not quantified and qualifier == "exact":
            return True  # "one official", "salah satu"
        if not match["period"] and re.match(r"-[^\W\d_]", text[number_end : number_end + 2]):
            return True  # "two-thirds"
        return self._joined(text, number_start, match.end())

    def _joined(self, text: str, start: int, end: int) -> bool:
        return bool(self.joined_before.search(text[max(0, start - 30) : start]) or self.joined_after.match(text, end))


GRAMMARS = {language: Grammar(language, lexicon) for language, lexicon in LEXICONS.items()}
