"""Where GNU gettext breaks a quoted .po string, so our catalogs wrap as its tools do.

msgcat, msgmerge, Weblate's and Poedit's passes through GNU gettext rewrite
every string with their own wrapping; a catalog wrapped any other way (Babel
uses Python's textwrap) churns in review on the first save.  GNU escapes the
string, cuts it after each `\\n`, and breaks each piece where the Unicode
line breaking algorithm (UAX #14, as libunistring implements it) allows,
greedily, so that no line passes column 79 with its quotes.  Breaking is
never allowed inside an escape, before the `\\n` that ends a piece, or,
in a string flagged python-format, inside a `%(name)s` directive.

The pair table below says, for the class of the last character that is not a
space and the class of the next one, whether a line may break between them
directly and whether it may after spaces.  It was read off GNU msgcat 0.21
(libunistring 1.0) and is held to it by tests/i18n/test_gnu_format.py.
Classes cover Latin, Greek and Cyrillic prose, typographic punctuation and
CJK ideographs; other scripts are treated as letters.
"""

from __future__ import annotations

import unicodedata

PAGE_WIDTH = 79

_ASCII = {
    " ": "SP",
    "!": "EX",
    '"': "QU",
    "$": "PR",
    "%": "PO",
    "'": "QU",
    "(": "OP",
    ")": "CP",
    "+": "PR",
    ",": "IS",
    "-": "HY",
    ".": "IS",
    "/": "SY",
    ":": "IS",
    ";": "IS",
    "?": "EX",
    "[": "OP",
    "\\": "PR",
    "]": "CP",
    "{": "OP",
    "|": "BA",
    "}": "CL",
}
_OTHER = {
    "\u00a0": "GL", "\u202f": "GL", "\u2007": "GL", "\u2011": "GL", "\u034f": "GL",
    "\u00ad": "BA", "\u2010": "BA", "\u2012": "BA", "\u2013": "BA", "\u1680": "BA",
    "\u2014": "B2", "\u00b4": "BB", "\u02c8": "BB", "\u02cc": "BB",
    "\u2024": "IN", "\u2025": "IN", "\u2026": "IN",
    "\u200b": "ZW", "\u2060": "WJ", "\ufeff": "WJ", "\u200d": "CM",
    "\u00b0": "PO", "\u2030": "PO", "\u2031": "PO", "\u2032": "PO", "\u2033": "PO", "\u00a2": "PO",
    "\u00b1": "PR", "\u2212": "PR", "\u2116": "PR",
    "\u201a": "OP", "\u201e": "OP", "\u00a1": "OP", "\u00bf": "OP",
    "\u3005": "NS", "\u3001": "CL", "\u3002": "CL", "\uff0c": "CL", "\uff0e": "CL",
}  # fmt: skip
_CATEGORY = {"Mn": "CM", "Me": "CM", "Mc": "CM", "Cf": "CM", "Ps": "OP", "Pe": "CL", "Pi": "QU", "Pf": "QU"}
_CATEGORY |= {"Nd": "NU", "Sc": "PR", "Zs": "BA"}

# Breaks allowed with nothing between the two classes: after class -> before classes.
_DIRECT = {
    "AL": "BB B2 ID",
    "NU": "BB B2 ID",
    "HY": "AL BB B2 OP PO PR GL ID",
    "BA": "AL NU BB B2 OP PO PR GL ID",
    "B2": "AL NU BB OP PO PR ID",
    "CP": "BB B2 OP ID",
    "CL": "AL NU BB B2 OP ID",
    "IS": "AL BB B2 OP PO PR ID",
    "PO": "BB B2 PO PR ID",
    "PR": "BB B2 PO PR",
    "EX": "AL NU BB B2 OP PO PR ID",
    "SY": "AL BB B2 OP PO PR ID",
    "IN": "AL NU BB B2 OP PO PR ID",
    "ID": "AL NU BB B2 OP PR ID",
    "NS": "AL NU BB B2 OP PO PR ID",
}
DIRECT = {before: frozenset(after.split()) for before, after in _DIRECT.items()}
# Never a break before these, spaces or not; and, after spaces, these pairs stay together.
NEVER_BEFORE = frozenset({"CP", "CL", "IS", "EX", "SY", "WJ", "ZW", "CM"})
NOT_AFTER_SPACES = {"OP": None, "QU": frozenset({"OP"}), "B2": frozenset({"B2"}), "CL": frozenset({"NS"})}


def char_class(char: str) -> str:
    if char in _ASCII:
        return _ASCII[char]
    if char < "\x80":
        return "NU" if char.isdigit() else ("AL" if char.isprintable() else "CM")
    if char in _OTHER:
        return _OTHER[char]
    category = unicodedata.category(char)
    if category in _CATEGORY:
        return _CATEGORY[category]
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return "ID"
    return "AL"


def char_width(char: str) -> int:
    """Columns a character takes on a terminal, as libunistring's uc_width counts them in UTF-8."""
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf", "Cc") or char == "\u200b":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def break_opportunities(chars: list[str]) -> list[bool]:
    """Whether a line may break before each character, by class alone (UAX #14 as libunistring reads it)."""
    allowed = [False] * len(chars)
    last: str | None = None  # the class of the last character that is not a space; None at the start
    after_space = False
    for index, char in enumerate(chars):
        cls = char_class(char)
        if cls == "SP":
            after_space = True
            continue
        if cls == "CM" and last is not None and not after_space:
            continue  # a combining mark belongs to the character before it
        if cls == "CM":
            # Alone after spaces it stands for a letter, and libunistring lets a line start with it
            # whatever came before the spaces.
            allowed[index] = last is not None
            last, after_space = "AL", False
            continue
        if last == "ZW":
            allowed[index] = cls != "ZW"
        elif last is not None and cls not in NEVER_BEFORE:
            if after_space:
                if last in NOT_AFTER_SPACES:
                    kept_together = NOT_AFTER_SPACES[last]
                    allowed[index] = kept_together is not None and cls not in kept_together
                else:
                    allowed[index] = True
            else:
                allowed[index] = cls in DIRECT.get(last, frozenset())
        last = cls
        after_space = False
    return allowed


def line_breaks(widths: list[int], possible: list[bool], width: int, start_column: int) -> list[bool]:
    """Where lines break: greedily, at the last opportunity before a piece would pass `width`.

    A piece runs from one break opportunity to the next, spaces included; a
    piece longer than a line stays whole.
    """
    chosen = [False] * len(widths)
    last_break: int | None = None
    column = start_column
    piece = 0
    for index, (char_columns, can_break) in enumerate(zip(widths, possible, strict=True)):
        if can_break:
            if last_break is not None and column + piece > width:
                chosen[last_break] = True
                column = 0
            last_break = index
            column += piece
            piece = 0
        piece += char_columns
    if last_break is not None and column + piece > width:
        chosen[last_break] = True
    return chosen
