"""Figures in running text, read back per language.

Every figure is reduced to a language-independent key (unit, value, qualifier,
currency, date part, period), so the English and Indonesian versions of a text
can be compared.  Precision beats recall: when a token could be read two ways
and nothing settles it, nothing is extracted, because a missing figure fails a
comparison loudly while a misread one may pass it.  Words come from where the
formatter takes them (Babel's locale data and pipeline.language.lexicon), so whatever
the formatter writes reads back.  How grouping and decimal marks are read, and
which reading wins when two conventions disagree, is pipeline.reading.marks; what
looks like a figure but is not (codes, coordinates, a law's number) is
pipeline.reading.skips; what a figure takes from its neighbours (a range's
unit, a month range's year, the year of its clause) is pipeline.reading.neighbours.

A unit word belongs to its number across spaces and a line wrapped
mid-sentence, never across a line whose next word is capitalised ("in
2019\nDays later" has a year, not 2019 days).  A decade ("the 1990s",
"1990-an") is its own unit, `decade`, valued by its first year.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from babel import Locale
from babel.numbers import get_currency_symbol

from pipeline.facts import PartialDate
from pipeline.language import LEXICONS, DatePart, Lexicon, as_read
from pipeline.reading.figure import Figure, FigureQualifier, FigureUnit, Period, tidy
from pipeline.reading.marks import DIGITS, Marks, Reading
from pipeline.reading.neighbours import Neighbours
from pipeline.reading.skips import (
    NAME_BEFORE_HYPHEN,
    NOT_FIGURES,
    SLASH_DATE,
    collective,
    glued,
    labelled_value,
    slash_date,
)

BABEL_LOCALES = {"en": "en_GB", "id": "id"}
PERIODS: tuple[Period, ...] = ("day", "week", "month", "year")
CURRENCIES = ("USD", "IDR", "EUR", "GBP")

# Powers of ten.  A one-letter abbreviation only counts when glued to the
# number ("5.6m"): "10 m" is ten metres.
SCALES = {
    "en": {"thousand": 3, "million": 6, "billion": 9, "trillion": 12, "bn": 9, "mn": 6, "m": 6},
    "id": {"ribu": 3, "juta": 6, "miliar": 9, "milyar": 9, "triliun": 12, "rb": 3, "jt": 6},
}
# Words after a number that make it percentage points, a percentage or a multiple ("dua kali lipat").
POINTS = "percentage points|percentage point|percentage-point|% points|% point|percent points|basis points|basis point"
UNIT_WORDS = {
    "en": {"points": POINTS, "percent": "percent|per cent"},
    "id": {"points": "poin persentase|persen poin|poin persen|% poin|basis poin", "percent": "persen"},
}
# Lower case only: "PP" is an Indonesian regulation ("PP No. 5/2021").
POINTS_ABBREVIATED = {"en": "ppt|pp|bps", "id": "bps"}
TIMES_WORDS = {"en": "times", "id": "kali lipat|kali"}
MULTIPLIED = {"en": {"doubled": 2, "tripled": 3, "quadrupled": 4}, "id": {}}
# Roman numerals after these words: alert levels ("Level IV", "Siaga III") and ranks ("kuartal III").
ROMAN = dict(zip(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"], range(1, 11), strict=True))
ROMAN_AFTER = {"level": "count", "stage": "count", "phase": "count", "fase": "count", "tahap": "count"}
ROMAN_AFTER |= {"siaga": "count", "kuartal": "ordinal", "triwulan": "ordinal", "semester": "ordinal"}
# Read, never written: the model has no "less than", and lexicon.py holds what the formatter writes.
EXTRA_QUALIFIERS: dict[str, dict[str, FigureQualifier]] = {
    "en": {"less than": "less_than", "fewer than": "less_than", "as many as": "up_to", "close to": "almost"},
    "id": {"kurang dari": "less_than", "kurang lebih": "about", "lebih kurang": "about", "mendekati": "almost"},
}
# Verbs of passing a threshold mean "more than" before a round number ("topped 50,000", not "menembus 33,48 juta":
# the figure reached); "passed" only before a milestone ("passed 12 laws" is twelve).
THRESHOLD_VERBS = {"en": "topped tops surpassed exceeded exceeds passed", "id": "melampaui melebihi menembus tembus"}
MILESTONE_ONLY = {"passed": Decimal(1000)}
# Babel gives "US$" and "Rp"; writers also use a bare "$" (read as USD) and "Rp.".
EXTRA_CURRENCY_SYMBOLS = {"$": "USD", "Rp.": "IDR"}
# Written after the amount; symbols and codes written before it come from Babel.
CURRENCY_WORDS = {
    "euro": "EUR", "euros": "EUR", "dolar AS": "USD", "dolar Amerika Serikat": "USD", "US dollars": "USD",
    "rupiah": "IDR", "pounds sterling": "GBP", "USD": "USD", "IDR": "IDR", "EUR": "EUR", "GBP": "GBP",
}  # fmt: skip
# Babel's duration patterns have no "pekan", the everyday Indonesian week.
EXTRA_PERIOD_WORDS: dict[str, dict[str, Period]] = {"id": {"pekan": "week"}}
# Words that make a spelled number part of a bigger one the lexicon cannot
# spell ("twenty two", "dua belas", "two and a half"): reading only the
# lexicon's word would give a wrong figure, so the whole phrase is skipped.
# Fractions and scale words join only cardinals: "first half", "second million".
NUMBER_JOINERS = {
    "en": "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty"
    " fifty sixty seventy eighty ninety hundred hundreds dozen dozens",
    "id": "sebelas belas puluh puluhan ratus ratusan seratus seribu sejuta",
}
FRACTIONS = {"en": "half halves thirds quarters fifths", "id": "setengah pertiga perempat perlima"}

YEAR = r"[12][0-9]{3}(?![.,]?[0-9]|-an(?![^\W_]))"
DECADE = r"[12][0-9]{2}0(?:['’]?s|-an)"
# Between a number and its unit word: spaces, or a line break where the line goes on in lower case (a wrap).
GAP = r"(?:[^\S\n]*\n[^\S\n]*(?=[a-z%])|[^\S\n]+)"


def extract_figures(written: str, language: str) -> list[Figure]:
    """The figures in text, in order and non-overlapping; language is "en" or "id".

    Look-alike digits ("９０.０００") count as the reader reads them; a figure's `text` is as written."""
    grammar, text = GRAMMARS[language], as_read(written)
    matches = [match for match in grammar.pattern.finditer(text) if match["skip"] is None]
    votes = grammar.marks.votes(match["priced"] or match["number"] for match in matches if match["amount"])
    figures = [figure for match in matches if (figure := grammar.figure(match, text, votes)) is not None]
    figures = grammar.neighbours.read(figures, text, lambda name: grammar.months[name.rstrip(".")])
    return figures if text is written else [replace(f, text=written[f.start : f.end]) for f in figures]


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


class Grammar:
    """The compiled reader for one language."""

    def __init__(self, language: str, lexicon: Lexicon) -> None:
        self.language = language
        self.lexicon = lexicon
        locales = {key: Locale.parse(name) for key, name in BABEL_LOCALES.items()}
        locale = locales[language]
        written: dict[str, FigureQualifier] = {
            _normal(_prefix(t, "{figure}")): q for q, t in lexicon.qualifiers.items()
        }
        synonyms = {_normal(phrase): q for phrase, q in lexicon.qualifier_synonyms.items()}
        self.qualifiers: dict[str, FigureQualifier] = written | synonyms | EXTRA_QUALIFIERS[language]
        self.thresholds = THRESHOLD_VERBS[language].split()
        self.qualifiers |= {verb: "more_than" for verb in self.thresholds}
        self.qualifiers.pop("", None)  # "exact" is written without words
        self.parts: dict[str, DatePart] = {
            _normal(_prefix(template, "{date}")): part for part, template in lexicon.date_parts.items()
        }
        # Abbreviations too ("Jan-Jun 2023"), with "Sep" beside Babel's British "Sept".
        # Abbreviations too ("Jan-Jun 2023", "Feb. 22"), with "Sep" beside Babel's British "Sept".
        wide, short = (locale.months["format"][form].values() for form in ("wide", "abbreviated"))
        self.months = {name: number for names in (wide, short) for number, name in enumerate(names, 1)}
        self.months |= {"Sep": 9} if language == "en" else {}
        self.month_pattern = rf"{_either(wide)}|(?:{_either(set(self.months) - set(wide))})\.?"
        self.periods: dict[str, Period] = dict(EXTRA_PERIOD_WORDS.get(language, {}))
        for period in PERIODS:
            patterns = locale._data["unit_patterns"][f"duration-{period}"]["long"].items()
            self.periods |= {_normal(str(p).replace("{0}", "")): period for form, p in patterns if form != "per"}
        self.currencies = {code: code for code in CURRENCIES} | EXTRA_CURRENCY_SYMBOLS
        for other in locales.values():
            self.currencies |= {get_currency_symbol(code, locale=other): code for code in CURRENCIES}
        self.currency_words = {_normal(word): code for word, code in CURRENCY_WORDS.items()}
        self.scales = SCALES[language]
        self.multiplied = MULTIPLIED[language]
        self.cardinals = {word: number for number, word in enumerate(lexicon.cardinals)}
        self.ordinals = {word: number for number, word in enumerate(lexicon.ordinals) if word}
        self.marks = Marks(locale, locales.values())
        rank_joiners = [*NUMBER_JOINERS[language].split(), *self.cardinals]
        joiners = [*rank_joiners, *FRACTIONS[language].split(), *(w for w in self.scales if len(w) > 1)]
        self.joined, self.rank_joined = (
            (
                re.compile(rf"(?<!\w)(?i:{_either(words)})[\s-]+$"),
                re.compile(rf"[\s-]+(?i:{_either(words)}|and\s+an?\s+(?:half|quarter))(?!\w)"),
            )
            for words in (joiners, rank_joiners)
        )
        self.pattern = re.compile(self._pattern(language))
        qualifier_prefix = re.compile(rf"(?i:{_either(self.qualifiers)})\s+")
        self.neighbours = Neighbours(language, qualifier_prefix, self.month_pattern, self._scale_of)

    def _scale_of(self, figure: Figure) -> int:
        """The power of ten a figure's scale word says ("6 million": 6), 0 without one."""
        found = self.scale_in.search(figure.text)
        return self.scales[found[1].strip().lower()] if found else 0

    def _pattern(self, language: str) -> str:
        samples = [self.lexicon.ordinal_digits(n).partition(str(n)) for n in range(1, 101)]
        ordinal_digits = f"(?i:{_either(s[0] for s in samples)})[0-9]+(?i:{_either(s[2] for s in samples)})"
        day = "(?:3[01]|[12][0-9]|0?[1-9])(?![0-9])" + ("(?:st|nd|rd|th)?" if language == "en" else "")
        months = self.month_pattern
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
        scale = "|".join([rf"{GAP}?(?i:{words})", *(re.escape(w) for w in self.scales if len(w) == 1)])
        self.scale_in = re.compile(rf"[0-9]({scale})(?![^\W_])")
        points, percent = (_either(UNIT_WORDS[language][name].split("|")) for name in ("points", "percent"))
        points = rf"(?i:{points})|{POINTS_ABBREVIATED[language]}"
        times = _either(TIMES_WORDS[language].split("|"))
        multiplied = f"(?i:{_either(self.multiplied)})" if self.multiplied else "(?!)"
        amount = (
            rf"(?P<symbol>{_either(self.currencies)})\s*(?P<priced>{DIGITS})(?P<priced_scale>{scale})?"
            rf"|(?P<number>{DIGITS}|(?i:{_either(self.cardinals)})(?!\w))"
            rf"(?:(?:{GAP}|-)(?P<period>(?i:{_either(self.periods)}))"
            rf"|(?P<times>{GAP}(?i:{times}))"
            rf"|(?P<scale>{scale})?(?:(?P<points>{GAP}?(?:{points}))|(?P<percent>{GAP}?%|{GAP}?(?i:{percent}))"
            rf"|{GAP}(?P<currency>(?i:{_either(CURRENCY_WORDS)})))?)"
        )
        return (
            rf"(?P<slash_date>{SLASH_DATE})|(?P<skip>{NOT_FIGURES})"
            # A figure starts a word: digits glued to letters belong to a name
            # or code (MI5, G20; after a hyphen see figure()) unless a label's
            # (figure_skips.labelled_value), and an unknown currency symbol
            # makes the amount unreadable.
            rf"|(?:(?<![^\W_])|(?<=[^\W\d_])(?=[0-9]))(?<![$£€¥₹])"
            rf"(?P<qualifier>(?i:{_either(self.qualifiers)})\s+)?"
            rf"(?:(?P<date>{date})|(?P<no_year>{no_year})|(?P<ordinal_digits>{ordinal_digits})"
            rf"|(?P<decade>{DECADE})"
            rf"|(?P<ordinal_word>(?i:{_either(self.ordinals)}))|(?P<multiplied>{multiplied})|(?P<amount>{amount})"
            rf"|(?P<roman_after>(?i:{_either(ROMAN_AFTER)}))\s+(?P<roman>{_either(ROMAN)}))"
            r"(?![^\W_])"
        )

    def figure(self, match: re.Match[str], text: str, votes: frozenset[int] = frozenset()) -> Figure | None:
        if match["slash_date"]:
            date = slash_date(match[0], day_first=self.lexicon is LEXICONS["id"])
            if isinstance(date, int):
                return Figure("year", Decimal(date), "exact", match[0], *match.span())
            return None if date is None else Figure("date", date, "exact", match[0], *match.span())
        if text[match.start()].isdigit() and NAME_BEFORE_HYPHEN.search(text, max(0, match.start() - 30), match.start()):
            return None  # COVID-19, F-16, H-1: a name's number (but "top-10" is a figure)
        if glued(text, match.start()) and not labelled_value(text, match.start(), match["number"]):
            return None  # MI5, km2, x86: a code's or unit's digits
        qualifier: FigureQualifier = "exact"
        if match["qualifier"]:
            qualifier = self.qualifiers[_normal(match["qualifier"])]
        if match["amount"] is not None:
            return self._amount(match, text, qualifier, votes)
        if match["decade"]:
            start, end = match.span("decade")
            return Figure("decade", Decimal(match["decade"][:4]), "exact", match["decade"], start, end)
        if match["roman"]:
            unit: FigureUnit = "ordinal" if ROMAN_AFTER[match["roman_after"].lower()] == "ordinal" else "count"
            value, start = Decimal(ROMAN[match["roman"]]), match.start("roman")
            # Letters, like number words: a template may say "Phase II" without citing a fact.
            return Figure(unit, value, "exact", match["roman"], start, match.end(), spelled=True, resolution=Decimal(1))
        if match["multiplied"]:
            factor = Decimal(self.multiplied[match["multiplied"].lower()])
            return Figure("times", factor, qualifier, match[0], match.start(), match.end(), spelled=True)
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
        if body == "ordinal_word" and not self._joined(text, start, end, self.rank_joined):
            if collective(text, start, end, self.language):
                return None
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
            year, month = int(match["year"]), self.months[match["month"].rstrip(".")]
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
        if spelled:
            if self._spelled_noise(match, text, qualifier):
                return None
            read = Reading(Decimal(self.cardinals[token.lower()]), 0)
        else:
            money = bool(match["symbol"] or match["currency"])
            bare = not (scale or money or match["percent"] or match["points"])
            found = self.marks.read(token, votes, money and not scale, bare)
            if found is None:
                return None
            read = found
        exponent = self.scales[scale.strip().lower()] if scale else 0
        exponent -= 2 if match["points"] and re.search(r"(?i)basis|bps", match["points"]) else 0  # hundredths
        unit: FigureUnit = "count"
        currency = period = None
        start = match.start()
        if match["symbol"]:
            unit, currency = "money", self.currencies[match["symbol"]]
        elif match["currency"]:
            unit, currency = "money", self.currency_words[_normal(match["currency"])]
        elif match["points"] or match["times"] or match["percent"]:
            unit = "percentage_point" if match["points"] else "times" if match["times"] else "percent"
        elif match["period"]:
            unit, period = "duration", self.periods[_normal(match["period"])]
            if match["qualifier"] and _normal(match["qualifier"]) == "over":
                qualifier, start = "exact", match.start("amount")  # "over three years" is a span of time
        elif not scale and not spelled:
            if self.marks.is_version(token, text, match.start("number")):
                return None
            if re.fullmatch(YEAR, token):  # a year takes no qualifier: "until 2020"
                return Figure("year", read.value, "exact", token, match.start("number"), match.end())
        verb, value = _normal(match["qualifier"] or ""), read.value.scaleb(exponent)
        round_number = len(value.normalize().as_tuple().digits) <= 2 and value >= MILESTONE_ONLY.get(verb, 0)
        if verb in self.thresholds and not round_number:
            qualifier, start = "exact", match.start("amount")
        alternative = None if read.alternative is None else tidy(read.alternative.scaleb(exponent))
        return Figure(
            unit, tidy(read.value.scaleb(exponent)), qualifier, text[start : match.end()], start, match.end(),
            currency, None, period, spelled, resolution=Decimal(1).scaleb(exponent - read.decimals),
            reading=read.rule, alternative=alternative,
        )  # fmt: skip

    def _spelled_noise(self, match: re.Match[str], text: str, qualifier: FigureQualifier) -> bool:
        """Spelled numbers that are words rather than figures, or only part of one."""
        number_start, number_end = match.span("number")
        quantified = any(match[name] for name in ("scale", "period", "percent", "currency", "points", "times"))
        if self.cardinals[match["number"].lower()] == 1 and not quantified and qualifier == "exact":
            return True  # "one official", "salah satu"
        if not match["period"] and re.match(r"-[^\W\d_]", text[number_end : number_end + 2]):
            return True  # "two-thirds"
        return self._joined(text, number_start, match.end())

    def _joined(self, text: str, start: int, end: int, joiners: tuple[re.Pattern[str], ...] = ()) -> bool:
        before, after = joiners or self.joined
        return bool(before.search(text[max(0, start - 30) : start]) or after.match(text, end))


GRAMMARS = {language: Grammar(language, lexicon) for language, lexicon in LEXICONS.items()}
