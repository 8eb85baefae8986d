"""What an editor needs besides "this is wrong": the value they wrote, and what to write instead.

A message echoes what the file holds, and a fact file is anyone's text: a
value may be a megabyte long, or hold a terminal escape or a bidi override
that would rewrite the line it is printed on.  So every echoed value and
every excerpt of a file goes through `safe_text`, which escapes control,
invisible and bidi characters as Python's repr does (`\\u202e`), and values
are cut to a few dozen characters.
"""

from __future__ import annotations

import difflib
import re
import reprlib
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate
from typing import Any

from pipeline.language import hidden_kind

MAX_SHOWN = 60
"""Characters of an echoed value; enough to recognise it, short enough to keep the message one line."""
EXCERPT_WIDTH = 100
"""Columns of a source line shown under a YAML error, around the place pointed at."""

_NESTED = reprlib.Repr()  # keyword arguments only from Python 3.12
_NESTED.maxlevel, _NESTED.maxdict, _NESTED.maxlist, _NESTED.maxstring, _NESTED.maxother = 2, 4, 4, 20, 20

# A number written with a thousands separator: the same mark between groups
# of three digits (361,250; 361.250; 1 234; 1_000; 1'000), perhaps with a
# decimal part after the other mark (1,234.5; 1.234,5).
_GROUPED = re.compile(r"(-?)([0-9]{1,3}(?:([,. '’_\u00a0\u202f])[0-9]{3})(?:\3[0-9]{3})*)(?:([.,])([0-9]+))?")
_DECIMAL_COMMA = re.compile(r"(-?[0-9]+),([0-9]+)")


def _escaped(char: str) -> str:
    if char == "\t":
        return "\\t"
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _unsafe(char: str) -> bool:
    return not char.isprintable() or hidden_kind(char) is not None


def safe_text(text: str) -> str:
    """The text with every character a terminal would act on or hide escaped."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_escaped(char) if _unsafe(char) else char for char in text)


def shown_value(value: Any, typed: str | None = None) -> str:
    """A value as a message echoes it: YAML's words for true, false and null, text quoted, long values cut.

    `typed` is the number as the file writes it (361.250), where the value
    alone would lose it (361.25).
    """
    if typed is not None:
        return safe_text(typed[:MAX_SHOWN])
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, str):
        if len(value) <= MAX_SHOWN:
            return safe_text(repr(value))
        quoted = repr(value[:MAX_SHOWN])
        return safe_text(f"{quoted[:-1]}…{quoted[-1]} ({len(value):,} characters)")
    shown = _NESTED.repr(value)
    return safe_text(shown if len(shown) <= 2 * MAX_SHOWN else shown[: 2 * MAX_SHOWN] + "…")


def shown_key(step: str | int) -> str:
    """A key of the file in a dotted field path: as typed, unless unsafe or long."""
    text = str(step)
    return safe_text(text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…")


def did_you_mean(name: str, options: Iterable[str]) -> str:
    """ " (did you mean 'x'?)" when one of the options is close to `name`, else ""."""
    close = difflib.get_close_matches(name, list(options), n=1)
    return f" (did you mean {shown_value(close[0])}?)" if close else ""


def number_fix(text: str, whole: bool) -> str | None:
    """How to write a number typed with separators, for a field of whole numbers or of any numbers."""
    grouped = _GROUPED.fullmatch(text.strip())
    if grouped is not None:
        sign, digits, mark, decimal_mark, decimals = grouped.groups()
        plain = sign + digits.replace(mark, "")
        if decimal_mark is None:
            if not whole and mark == "," and digits.count(",") == 1:
                # 361,250 may be English for 361250 or Indonesian for 361.25.
                return f"write {plain}, or {sign}{digits.replace(',', '.')} if the comma marks decimals"
            return f"write {plain}, without thousands separators"
        if decimal_mark != mark and not whole:
            return f"write {plain}.{decimals}, without thousands separators and with a decimal point"
        return None
    decimal = _DECIMAL_COMMA.fullmatch(text.strip())
    if decimal is not None and not whole:
        return f"write {decimal.group(1)}.{decimal.group(2)}, with a decimal point"
    return None


def _width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def excerpt(text: str, line: int, column: int) -> tuple[str, ...]:
    """The 1-based `line` of `text` and a caret under its 1-based `column`, as compilers show them.

    Unsafe characters appear escaped (a tab as \\t), and the caret stays
    under the character it points at; a long line is cut around it.
    """
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ()
    # Only the characters that can appear: a line may be a megabyte long.
    whole = lines[line - 1]
    offset = max(0, column - 1 - EXCERPT_WIDTH)
    near = whole[offset : column - 1 + EXCERPT_WIDTH]
    pieces = [_escaped(char) if _unsafe(char) else char for char in near]
    widths = [len(piece) if len(piece) > 1 else _width(piece) for piece in pieces]
    before = list(accumulate(widths, initial=0))  # before[i]: the width of pieces[:i]
    index = min(max(column - 1 - offset, 0), len(pieces))
    start = bisect_left(before, before[index] - EXCERPT_WIDTH // 2)
    end = bisect_right(before, before[start] + EXCERPT_WIDTH) - 1
    head = "…" if offset + start > 0 else ""
    tail = "…" if offset + end < len(whole) else ""
    gutter = f"{line:>5} | "
    caret = " " * (len(head) + before[index] - before[start]) + "^"
    return (gutter + head + "".join(pieces[start:end]) + tail, " " * (len(gutter) - 2) + "| " + caret)
