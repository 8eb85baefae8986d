"""Which language a text to audit is written in: English, Indonesian, or neither.

`pipeline audit EN ID` reads each file with its language's conventions: the
English "364,792" is a count, the Indonesian "364,792" a decimal.  Files given
the wrong way round would be read with the wrong conventions and compared
figure by figure to no purpose, so the audit first asks each file which
language it reads as, and refuses a file that reads as the other language, or
as neither (a French or Malay-looking text is not Indonesian prose; a mix of
both is a bilingual page, not one side of a pair).

No model is needed: the most frequent function words of the two languages
barely overlap ("the", "of", "was" / "yang", "dan", "di"), and prose of a few
sentences holds dozens of them.  Names, figures and borrowed words carry no
weight either way.  A text too short to tell (a caption, a table of numbers)
gets no verdict and is read as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["en", "id", "mixed", "neither", "unknown"]

# Words that carry grammar, not content, and that the other language does not
# use: each language's most frequent ones in news prose.
ENGLISH_WORDS = """the of and to in is was were are for on that with by at as from it its be been has have had this
which an or not their they he she said after than but will would who also into about over more these those there
when while such other could should may can between during before since under against most what only new all his
her we our"""
INDONESIAN_WORDS = """yang dan di ke dari ini itu dengan untuk pada dalam tidak akan oleh adalah juga sebagai karena
telah sudah atau ada lebih kata para tersebut bahwa saat setelah hingga sejak bagi namun serta masih belum menjadi
mereka kami kita dia ia sekitar antara lalu sedang bisa dapat harus jika ketika tetapi sementara sedangkan menurut
sebelum seperti secara terhadap tahun orang"""
FUNCTION_WORDS = {"en": frozenset(ENGLISH_WORDS.split()), "id": frozenset(INDONESIAN_WORDS.split())}
WORD = re.compile(r"[^\W\d_]+")
LANGUAGE_NAMES = {"en": "English", "id": "Indonesian"}
# Below this many function words of either language the text is too short to tell.
EVIDENCE = 12
# The share of its function words a text's language must hold.  Prose in one
# language quotes a name or a phrase of the other; it never reaches a quarter.
DOMINANT = 0.75
# Function words make up a fifth to two fifths of the words of news prose in
# either language, still a tenth on an infobox-heavy page; far below this
# share the text is in neither language, or is no prose.
PROSE = 0.05
# Enough words to expect EVIDENCE function words in either language.
ENOUGH_WORDS = 150


@dataclass(frozen=True)
class Guess:
    verdict: Verdict
    counts: dict[str, int]
    """Function words of each language found."""
    words: int

    def describe(self) -> str:
        """How the text reads, for a message: "reads as English"."""
        if self.verdict in LANGUAGE_NAMES:
            return f"reads as {LANGUAGE_NAMES[self.verdict]}"
        if self.verdict == "mixed":
            return "reads as a mix of English and Indonesian"
        if self.verdict == "neither":
            return "reads as neither English nor Indonesian"
        return "is too short to tell its language"


def guess_language(text: str, sample: int = 200_000) -> Guess:
    """The language `text` reads as; only its first `sample` characters are read, which is plenty."""
    words = [word.lower() for word in WORD.findall(text, 0, sample)]
    counts = {language: sum(word in table for word in words) for language, table in FUNCTION_WORDS.items()}
    total = counts["en"] + counts["id"]
    if total < EVIDENCE and len(words) < ENOUGH_WORDS:
        return Guess("unknown", counts, len(words))
    if total < EVIDENCE or total < PROSE * len(words):
        return Guess("neither", counts, len(words))
    for language, count in counts.items():
        if count >= DOMINANT * total:
            return Guess(language, counts, len(words))  # type: ignore[arg-type]
    return Guess("mixed", counts, len(words))


def language_problem(text: str, language: str) -> str | None:
    """Why a text given as `language` cannot be audited as such, or None when it can."""
    guess = guess_language(text)
    if guess.verdict in ("unknown", language):
        return None
    counts = ", ".join(f"{guess.counts[code]} {LANGUAGE_NAMES[code]}" for code in ("en", "id"))
    return (
        f"given as the {LANGUAGE_NAMES[language]} text, but it {guess.describe()} "
        f"({counts} function words in {guess.words} words); "
        "check the order of the files (English first), or pass --force-languages"
    )
