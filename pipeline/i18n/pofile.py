"""Strict syntax check of a .po file, before Babel reads it.

Babel's reader forgives too much for a publishing tool: an unterminated
string silently empties a translation, a line of garbage may be skipped, a
duplicate msgid keeps one of the two translations without a word.  This check
follows GNU gettext's grammar and reports every such problem with its line,
so a translation is never silently truncated or dropped.

Escapes.  Babel reads only \\n, \\t, \\r, \\" and \\\\; GNU msgfmt also reads \\a,
\\b, \\f, \\v, octal and hex escapes, so "\\000" would be published by one as
the text "\\000" and end the string for the other.  Only \\n, \\t, \\" and \\\\
are accepted, which every gettext tool reads alike; the rest stand for
control characters or for characters that can be typed as they are.  A
control character typed raw into the file (a NUL byte, say) is refused too,
wherever it is.

Besides findings, the check gives where each msgstr is written (`Places`),
line by line, so that the catalog check can name the line that holds what
it refuses, not only the entry's first line.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, unescape

from pipeline.errors import Diagnostic
from pipeline.language import Hidden, hidden_kind

KEYWORD = re.compile(r"^(?P<keyword>msgctxt|msgid_plural|msgid|msgstr(?:\[(?P<index>\d+)\])?)\s+(?P<rest>.*)$")
STRING = re.compile(r'^"(?P<body>(?:[^"\\]|\\.)*)"\s*$')
# As msgfmt reads escapes: up to three octal digits, any number of hex digits.
ESCAPE = re.compile(r"\\(?:[0-7]{1,3}|x[0-9A-Fa-f]+|(?P<char>.))")
READ_ALIKE_ESCAPES = set('\\"nt')
MSGFMT_ESCAPES = set("rabfv")
COMMENT = re.compile(r"^#(?:[ .:,|]|$)")
Report = Callable[[int, str, str], None]
Key = tuple[str | None, str]


@dataclass
class Places:
    """Where each msgstr is written: per (msgctxt, msgid), per plural index, the
    line of each of its quoted pieces with the offset of that piece's text."""

    pieces: dict[Key, dict[int, list[tuple[int, int]]]] = field(default_factory=dict)
    header: str | None = None
    """The text of the header entry's msgstr (msgid ""), read before Babel reads it."""

    def msgstr_line(self, key: Key, index: int = 0) -> int | None:
        """The line of the `msgstr` (or `msgstr[index]`) keyword itself, also when its text starts on the next line."""
        pieces = self.pieces.get(key, {}).get(index)
        return pieces[0][0] if pieces else None

    def line(self, key: Key, index: int = 0, offset: int = 0) -> int | None:
        """The line that holds character `offset` of msgstr[index]; None for an entry the check did not see."""
        lines = [line for line, start in self.pieces.get(key, {}).get(index, []) if start <= offset]
        return lines[-1] if lines else None


@dataclass
class _Entry:
    line: int
    context: str | None = None
    msgid: str | None = None
    has_plural: bool = False
    translations: int = 0
    last_keyword: str = ""
    msgstrs: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    msgstr_length: int = 0
    index: int = 0
    msgstr_text: str = ""


def check_po_syntax(raw: bytes, shown: str) -> list[Diagnostic]:
    """Every syntax problem of a .po file, with its line (see the module docstring)."""
    return scan_po(raw, shown)[0]


def scan_po(raw: bytes, shown: str) -> tuple[list[Diagnostic], Places]:
    """The syntax problems of a .po file, and where its msgstrs are written."""
    findings: list[Diagnostic] = []
    places = Places()

    def problem(line: int, message: str, code: str = "catalog.syntax") -> None:
        findings.append(Diagnostic(message, code, shown, line))

    lines = raw.split(b"\n")
    seen: dict[Key, int] = {}
    entry: _Entry | None = None

    def close(current: _Entry | None) -> None:
        if current is None:
            return
        if current.msgid is None:
            problem(current.line, f"{current.last_keyword} without msgid")
        elif current.translations == 0:
            problem(current.line, f"msgid {_quote(current.msgid)} has no msgstr")
        else:
            key = (current.context, current.msgid)
            if key in seen:
                problem(current.line, f"duplicate msgid {_quote(current.msgid)} (first on line {seen[key]})")
            else:
                seen[key] = current.line
                context = None if current.context is None else _unescape(current.context)
                places.pieces[(context, _unescape(current.msgid))] = current.msgstrs
                if current.context is None and current.msgid == "":
                    places.header = current.msgstr_text

    for number, raw_line in enumerate(lines, start=1):
        try:
            line = raw_line.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as exc:
            problem(number, f"not valid UTF-8 ({exc.reason})")
            # Read on with the bad bytes replaced, so the entry's shape is still checked.
            line = raw_line.decode("utf-8", errors="replace").rstrip("\r")
        _controls(line, number, entry, problem)
        stripped = line.strip()
        if not stripped:
            close(entry)
            entry = None
            continue
        if stripped.startswith("#~") or COMMENT.match(stripped):
            # Obsolete entries and comments; a comment after a keyword starts a new entry.
            if entry is not None and entry.translations:
                close(entry)
                entry = None
            continue
        if stripped.startswith("#"):
            problem(number, f"unknown comment form {stripped[:20]!r}")
            continue
        if stripped.startswith('"'):
            if entry is None or not entry.last_keyword:
                problem(number, "string continues nothing")
                continue
            text = _string(stripped, number, problem)
            if text is not None:
                _continue(entry, text, number)
            continue
        match = KEYWORD.match(stripped)
        if match is None:
            problem(number, f"not a .po line: {stripped[:40]!r}")
            continue
        keyword = "msgstr" if match["keyword"].startswith("msgstr") else match["keyword"]
        text = _string(match["rest"], number, problem)
        if keyword in ("msgctxt", "msgid") and entry is not None and entry.translations:
            close(entry)
            entry = None
        if entry is None:
            entry = _Entry(number)
        if keyword == "msgctxt":
            entry.context = text or ""
        elif keyword == "msgid":
            if entry.msgid is not None:
                problem(number, "msgid twice in one entry")
            entry.msgid = text or ""
        elif keyword == "msgid_plural":
            entry.has_plural = True
        else:
            if entry.msgid is None:
                problem(number, "msgstr without msgid")
            entry.translations += 1
            entry.index = int(match["index"] or 0)
            entry.msgstrs[entry.index] = [(number, 0)]
            entry.msgstr_length = len(_unescape(text or ""))
            if entry.index == 0 and entry.msgid == "" and entry.context is None:
                entry.msgstr_text = _unescape(text or "")
        entry.last_keyword = keyword
    close(entry)
    return sorted(findings, key=lambda finding: finding.line or 0), places


def _continue(entry: _Entry, text: str, number: int) -> None:
    """A string on a line of its own goes on with the entry's last keyword."""
    if entry.last_keyword == "msgid" and entry.msgid is not None:
        entry.msgid += text
    elif entry.last_keyword == "msgctxt" and entry.context is not None:
        entry.context += text
    elif entry.last_keyword == "msgstr":
        entry.msgstrs.setdefault(entry.index, []).append((number, entry.msgstr_length))
        entry.msgstr_length += len(_unescape(text))
        if entry.index == 0 and entry.msgid == "" and entry.context is None:
            entry.msgstr_text += _unescape(text)


def _controls(line: str, number: int, entry: _Entry | None, report: Report) -> None:
    """A control character typed into the file, in a translation or anywhere else."""
    if line.isprintable():
        return
    where = "line"
    stripped = line.lstrip()
    continued = entry.last_keyword if entry is not None and stripped.startswith('"') else ""
    if entry is not None and entry.msgid is not None and "msgstr" in (stripped[:6], continued):
        where = f"translation of {quote(_unescape(entry.msgid), 60)}"
    for char in dict.fromkeys(line):
        if hidden_kind(char) == "control":
            report(number, f"{where} contains {Hidden(0, char, 'control').describe()}", "catalog.control")


def _string(text: str, number: int, report: Report) -> str | None:
    match = STRING.match(text.strip())
    if match is None:
        message = "unterminated string" if text.strip().startswith('"') else "expected a quoted string"
        report(number, message, "catalog.syntax")
        return None
    body = match["body"]
    for escape in ESCAPE.finditer(body):
        char = escape["char"]
        if char in READ_ALIKE_ESCAPES:
            continue
        if char is None or char in MSGFMT_ESCAPES:
            allowed = '\\n, \\t, \\" and \\\\'
            report(number, f"escape {escape[0]} is not allowed; only {allowed} may be escaped", "catalog.escape")
        else:
            report(number, f"unknown escape {escape[0]}", "catalog.syntax")
    return body


def _unescape(body: str) -> str:
    """A string's text as Babel reads it: the same as msgfmt's, once `_string` accepted its escapes."""
    return str(unescape(f'"{body}"'))


def quote(text: str, width: int) -> str:
    """A msgid as findings quote it: on one line, shortened to `width`."""
    flat = " ".join(text.split())
    return '"' + (flat if len(flat) <= width else flat[: width - 1] + "…") + '"'


def _quote(text: str) -> str:
    return quote(text, 50)


OBSOLETE_PREVIOUS = re.compile(rb"^#~\|", re.MULTILINE)
PREVIOUS = re.compile(r'^\|\s*(?:(?P<keyword>msgctxt|msgid_plural|msgid)\s+)?"(?P<body>(?:[^"\\]|\\.)*)"\s*$')


def read_po_keeping_previous(raw: bytes, locale: str) -> Catalog:
    """Babel's reader, plus the previous msgids (`#| msgid`) it cannot read.

    Babel turns a multi-line `#| msgid` block into translator comments (and
    refuses `#~| msgid` outright), which would be written back as `# | ...`
    garbage and lose what the translator needs to see; they are moved back
    where they belong here.
    """
    # Babel cannot parse an obsolete entry's previous msgid (`#~|`, as msgmerge --previous writes it); read as
    # `#|`, it becomes a comment of that entry and is moved back below, line numbers unchanged.
    raw = OBSOLETE_PREVIOUS.sub(b"#|", raw)
    catalog = read_po(io.BytesIO(raw), locale=locale, abort_invalid=True)
    for message in [*catalog, *catalog.obsolete.values()]:
        previous: dict[str, str] = {}
        keyword = ""
        kept = []
        for comment in message.user_comments:
            match = PREVIOUS.match(comment)
            if match is None:
                kept.append(comment)
                continue
            keyword = match["keyword"] or keyword
            previous[keyword] = previous.get(keyword, "") + unescape(f'"{match["body"]}"')
        if previous.get("msgid"):
            message.user_comments = kept
            message.previous_id = [previous["msgid"]] + (
                [previous["msgid_plural"]] if "msgid_plural" in previous else []
            )
    return catalog
