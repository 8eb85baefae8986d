"""Characters that read as something else, or as nothing, in a translation.

Digits.  A reader reads "９０.０００" (fullwidth), "𝟗𝟎.𝟎𝟎𝟎" (mathematical
bold) or "९०" (Devanagari) as a number, so the figure extractor must too:
`as_read` maps every Unicode decimal digit to its ASCII digit, and the
characters whose compatibility form is a mark that numbers are written with
("．", "，", "％", "＄") to that mark.  It maps one code point to one, so
the offsets of what is found in its result are offsets into the text as
written.  Superscript and circled digits are not decimal digits (a footnote
mark "¹" after "90,000" must not make it 900,001): `number_characters` finds
them for the catalog check instead.

Hidden characters.  A bidi control reorders what readers see (U+202E turns
"12" into "21" on the page while the text still says 12); a zero-width or
other invisible character can sit inside a figure or a placeholder unseen;
a control character has no business in prose.  `hidden_characters` finds
all three kinds, for the catalog check to refuse.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Literal

# What numbers are written with besides digits: marks, signs, currency
# symbols, and what the extractor reads as "not a figure" (footnote brackets,
# clock times, slashed dates, hashtags).
NUMBER_MARKS = frozenset(".,%+-$£¥:/#()[]")
# Every decimal digit Unicode has lies in planes 0 and 1; a test checks the
# whole code space, should a later version of Unicode add one elsewhere.
DIGIT_PLANES_END = 0x20000
# Compatibility forms of NUMBER_MARKS are all in the Basic Multilingual Plane.
MARK_FORMS_END = 0x10000

HiddenKind = Literal["bidi", "invisible", "control"]
# Embeddings, overrides and isolates, and the marks that act like them.
BIDI_CONTROLS = frozenset([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# Unicode's Default_Ignorable_Code_Point: drawn as nothing, even those not of
# category Cf (variation selectors, Hangul fillers, the combining grapheme joiner).
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)  # fmt: skip
ALLOWED_CONTROLS = frozenset("\n\t")
# Control characters have no Unicode name, only aliases; these are the ones
# that can be typed or pasted (C0, DELETE, NEXT LINE).
CONTROL_NAMES = {
    0x00: "NULL", 0x01: "START OF HEADING", 0x02: "START OF TEXT", 0x03: "END OF TEXT",
    0x04: "END OF TRANSMISSION", 0x05: "ENQUIRY", 0x06: "ACKNOWLEDGE", 0x07: "BELL", 0x08: "BACKSPACE",
    0x09: "CHARACTER TABULATION", 0x0A: "LINE FEED", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN", 0x0E: "SHIFT OUT", 0x0F: "SHIFT IN", 0x10: "DATA LINK ESCAPE",
    0x11: "DEVICE CONTROL ONE", 0x12: "DEVICE CONTROL TWO", 0x13: "DEVICE CONTROL THREE",
    0x14: "DEVICE CONTROL FOUR", 0x15: "NEGATIVE ACKNOWLEDGE", 0x16: "SYNCHRONOUS IDLE",
    0x17: "END OF TRANSMISSION BLOCK", 0x18: "CANCEL", 0x19: "END OF MEDIUM", 0x1A: "SUBSTITUTE",
    0x1B: "ESCAPE", 0x1C: "INFORMATION SEPARATOR FOUR", 0x1D: "INFORMATION SEPARATOR THREE",
    0x1E: "INFORMATION SEPARATOR TWO", 0x1F: "INFORMATION SEPARATOR ONE", 0x7F: "DELETE", 0x85: "NEXT LINE",
}  # fmt: skip
WHY: dict[HiddenKind, str] = {
    "bidi": "a bidi control that can reorder what readers see",
    "invisible": "an invisible character ({category}) that can hide inside a figure or placeholder",
    "control": "a control character ({category})",
}


@cache
def _reading_table() -> dict[int, int]:
    """The code points `as_read` changes, each to the one it reads as (built on first use: ~30 ms)."""
    table = {}
    for code in range(0x80, DIGIT_PLANES_END):
        char = chr(code)
        if char.isdecimal():
            table[code] = ord("0") + unicodedata.decimal(char)
        elif code < MARK_FORMS_END and unicodedata.decomposition(char):
            folded = unicodedata.normalize("NFKC", char)
            if folded in NUMBER_MARKS:
                table[code] = ord(folded)
    return table


@cache
def _changed() -> frozenset[str]:
    return frozenset(chr(code) for code in _reading_table())


def as_read(text: str) -> str:
    """The text with look-alike digits and marks as the plain ones a reader takes them for; same length.

    Returns `text` itself when nothing changes, so callers can tell by identity.
    """
    # Most text is ASCII, or has a few accented letters and dashes: the set of
    # its characters is found several times faster than the text is translated.
    if text.isascii() or _changed().isdisjoint(set(text)):
        return text
    return text.translate(_reading_table())


def number_characters(text: str) -> list[str]:
    """Characters with a numeric value that are no decimal digit ("²", "①", "½", "Ⅻ"), in order, once each."""
    found = (char for char in text if not char.isascii() and char.isnumeric() and not char.isdecimal())
    return list(dict.fromkeys(char for char in found if unicodedata.category(char) in ("No", "Nl")))


@dataclass(frozen=True)
class Hidden:
    """A character a translation may not contain, at `index` of the text it was found in."""

    index: int
    char: str
    kind: HiddenKind

    @property
    def code(self) -> str:
        return f"catalog.{self.kind}"

    def describe(self) -> str:
        """The character and why it is refused, e.g. U+202E RIGHT-TO-LEFT OVERRIDE, a bidi control ..."""
        why = WHY[self.kind].format(category=unicodedata.category(self.char))
        return f"{character_name(self.char)}, {why}"


def character_name(char: str) -> str:
    """U+00AD SOFT HYPHEN; U+0000 NULL."""
    code = ord(char)
    return f"U+{code:04X} {CONTROL_NAMES.get(code) or unicodedata.name(char, '')}".rstrip()


def hidden_kind(char: str) -> HiddenKind | None:
    """Why a character may not be in a translation, or None when it may."""
    code = ord(char)
    if code < 0x7F and (code >= 0x20 or char in ALLOWED_CONTROLS):
        return None  # the common case first: printable ASCII, line feed, tab
    category = unicodedata.category(char)
    if code in BIDI_CONTROLS:
        return "bidi"
    if category == "Cc":
        return "control"
    if category in ("Cf", "Zl", "Zp") or any(low <= code <= high for low, high in DEFAULT_IGNORABLE):
        return "invisible"
    return None


def hidden_characters(text: str) -> list[Hidden]:
    """The bidi controls, invisible and control characters of a text, each code point once (its first place)."""
    found: dict[str, Hidden] = {}
    for index, char in enumerate(text):
        if char not in found and (kind := hidden_kind(char)) is not None:
            found[char] = Hidden(index, char, kind)
    return list(found.values())
