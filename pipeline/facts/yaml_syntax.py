"""YAML syntax errors in plain words, at the column an editor has to look at.

PyYAML words its errors for people who know its grammar ("mapping values
are not allowed here", "expected <block end>, but found '<block mapping
start>'").  An editor needs to know what they typed wrong and how to fix it,
so each problem PyYAML reports is matched here to a sentence saying so, and to
the place to point at: for an unclosed quote or bracket, where it opens, not
the end of the file where PyYAML noticed.  A problem not in the table keeps
PyYAML's wording.

Only the pure-Python scanner's errors reach this module (safeyaml reads a
file libyaml refuses again with PyYAML's), so the wording and places are the
same whichever scanner read the file first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yaml import MarkedYAMLError
from yaml.error import Mark

from pipeline.facts.explain import safe_text

DOUBLE_COLON = (
    'a value cannot contain ": " unless it is in quotes; quote the value, or put the key on a line of its own'
)
DEEPER = (
    "this line is indented more than the key above it, or the line above lacks its ':'; "
    "keys of one mapping start in the same column"
)
INDENTATION = (
    "the indentation of this line matches nothing above it; "
    'keys of one mapping start in the same column, as do list items ("- ")'
)
TAB = "a tab in the indentation; indent with spaces only"


@dataclass(frozen=True)
class Explained:
    message: str
    line: int
    column: int
    """1-based, counted in characters of the line."""


# (what PyYAML says, what it was doing or None for anything, our words, point at PyYAML's context mark)
_TABLE: list[tuple[re.Pattern[str], str | None, str, bool]] = [
    (
        re.compile(r"found unexpected end of stream"),
        "while scanning a quoted scalar",
        "this quoted text is never closed; end it with the quote it starts with",
        True,
    ),
    (
        re.compile(r"expected ',' or '\]', but got"),
        None,
        "this list in [ ] is never closed, or its items lack a comma between them",
        True,
    ),
    (
        re.compile(r"expected ',' or '\}', but got"),
        None,
        "this mapping in { } is never closed, or its entries lack a comma between them",
        True,
    ),
    (
        re.compile(r"found unknown escape character '(.*)'"),
        None,
        'unknown escape "\\{0}" in double quotes; write "\\\\" for a backslash, or use single quotes',
        False,
    ),
    (
        re.compile(r"found a tab character"),
        None,
        TAB,
        False,
    ),
    (
        re.compile(r"found character '(.*)' that cannot start any token"),
        None,
        "{0} cannot start a value; put the value in quotes",
        False,
    ),
    (
        re.compile(r"could not find expected ':'"),
        "while scanning a simple key",
        "a key without its ':'; write \"key: value\"",
        True,
    ),
    (
        re.compile(r"expected <block end>, but found '-'"),
        None,
        'a list item ("- ") where a key was expected; indent the list under its key',
        False,
    ),
    (
        re.compile(r"expected <block end>, but found '<scalar>'"),
        None,
        "text after the end of a value; put the whole value in quotes, or start a new line",
        False,
    ),
    (
        re.compile(r"expected <block end>, but found ':'"),
        None,
        "a ':' with no key before it",
        False,
    ),
    (re.compile(r"expected <block end>, but found"), None, INDENTATION, False),
    (re.compile(r"did not find expected (key|'-' indicator)"), None, INDENTATION, False),
    (
        re.compile(r"expected the node content, but found"),
        None,
        "a value is missing here",
        False,
    ),
    (
        re.compile(r"expected chomping or indentation indicators"),
        None,
        'after "|" or ">" only "-", "+" or a digit may follow on that line',
        False,
    ),
]


def explain(error: MarkedYAMLError, text: str) -> Explained | None:
    """The error in plain words with its 1-based line and column; None when PyYAML gave no place."""
    problem = error.problem or error.context or ""
    mark: Mark | None = error.problem_mark or error.context_mark
    if mark is None:
        return None
    lines = text.splitlines()
    source = lines[mark.line] if mark.line < len(lines) else ""
    if problem == "mapping values are not allowed here":
        # PyYAML says the same of "a: b: c" and of a key indented under a
        # value; the line itself tells them apart.
        before = source[: mark.column]
        if re.search(r":[ \t]", before):
            return Explained(DOUBLE_COLON, mark.line + 1, mark.column + 1)
        return Explained(DEEPER, mark.line + 1, len(before) - len(before.lstrip(" ")) + 1)
    for pattern, context, words, at_context in _TABLE:
        found = pattern.search(problem)
        if found is None or (context is not None and error.context != context):
            continue
        where = error.context_mark if at_context and error.context_mark is not None else mark
        if words.startswith("{0} cannot start") and found.group(1) == "\\t":
            words = TAB if not source[: where.column].strip() else "a tab where a value was expected; use spaces"
        shown = [safe_text(group) if group is not None else "" for group in found.groups()]
        shown = [f"'{group}'" if words.startswith("{0}") else group for group in shown]
        # Not str.format: the words themselves contain braces ("{ }").
        message = words.replace("{0}", shown[0]) if shown else words
        return Explained(message, where.line + 1, where.column + 1)
    return Explained(f"invalid YAML: {safe_text(problem)}", mark.line + 1, mark.column + 1)
