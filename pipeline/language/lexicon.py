"""The words that belong to figures, per language.

Babel supplies grouping, decimal marks, compact forms, months and unit
patterns; it has no spelled-out numbers, ordinals or qualifier phrases.  Those
live here, once, because the formatter writes them and the figure extractor
must read back exactly what the formatter wrote (and the common synonyms a
human writer uses).  Adding a language means adding one Lexicon.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

# The qualifiers and date parts a fact may carry: defined with the words for
# them, so the fact model and both languages name the same set.
Qualifier = Literal["exact", "about", "at_least", "more_than", "almost", "up_to", "just_over"]
DatePart = Literal["early", "mid", "end"]


@dataclass(frozen=True)
class Lexicon:
    cardinals: tuple[str, ...]
    """Number words for 0 to 10."""

    ordinals: tuple[str, ...]
    """Ordinal words for 1 to 10 (index 0 unused)."""

    ordinal_digits: Callable[[int], str]
    """2 -> "2nd" / "ke-2"."""

    qualifiers: dict[Qualifier, str]
    """How a qualifier wraps a figure; "{figure}" marks the number."""

    date_parts: dict[DatePart, str]
    """How a part of a period wraps a date; "{date}" marks the date."""

    qualifier_synonyms: dict[str, Qualifier] = field(default_factory=dict)
    """Other ways writers say the same qualifier (read, never written)."""

    plural_forms: str = "nplurals=2; plural=(n != 1);"
    """The gettext Plural-Forms header, as GNU gettext writes it for the language
    (Babel has no entry for some languages and would guess two forms)."""


def _english_ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


ENGLISH = Lexicon(
    cardinals=("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    ordinals=("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"),
    ordinal_digits=_english_ordinal,
    qualifiers={
        "exact": "{figure}",
        "about": "about {figure}",
        "at_least": "at least {figure}",
        "more_than": "more than {figure}",
        "almost": "almost {figure}",
        "up_to": "up to {figure}",
        "just_over": "just over {figure}",
    },
    date_parts={"early": "early {date}", "mid": "mid-{date}", "end": "end of {date}"},
    qualifier_synonyms={
        "some": "about",
        "around": "about",
        "roughly": "about",
        "approximately": "about",
        "nearly": "almost",
        "over": "more_than",
        "no fewer than": "at_least",
    },
)

INDONESIAN = Lexicon(
    cardinals=("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh"),
    ordinals=(
        "",
        "pertama",
        "kedua",
        "ketiga",
        "keempat",
        "kelima",
        "keenam",
        "ketujuh",
        "kedelapan",
        "kesembilan",
        "kesepuluh",
    ),
    ordinal_digits=lambda number: f"ke-{number}",
    qualifiers={
        "exact": "{figure}",
        "about": "sekitar {figure}",
        "at_least": "setidaknya {figure}",
        "more_than": "lebih dari {figure}",
        "almost": "hampir {figure}",
        "up_to": "hingga {figure}",
        "just_over": "sedikit di atas {figure}",
    },
    date_parts={"early": "awal {date}", "mid": "pertengahan {date}", "end": "akhir {date}"},
    qualifier_synonyms={
        "sedikitnya": "at_least",
        "paling sedikit": "at_least",
        "kira-kira": "about",
        "sekira": "about",
        "sampai": "up_to",
        "nyaris": "almost",
    },
    plural_forms="nplurals=1; plural=0;",
)

LEXICONS: dict[str, Lexicon] = {"en": ENGLISH, "id": INDONESIAN}


def lexicon_for(language: str) -> Lexicon:
    return LEXICONS[language]
