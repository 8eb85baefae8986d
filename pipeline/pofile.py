"""Strict syntax check of a .po file, before Babel reads it.

Babel's reader forgives too much for a publishing tool: an unterminated
string silently empties a translation, a line of garbage may be skipped, a
duplicate msgid keeps one of the two translations without a word.  This check
follows GNU gettext's grammar and reports every such problem with its line,
so a translation is never silently truncated or dropped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, unescape

from pipeline.errors import Diagnostic

KEYWORD = re.compile(r"^(?P<keyword>msgctxt|msgid_plural|msgid|msgstr(?:\[(?P<index>\d+)\])?)\s+(?P<rest>.*)$")
STRING = re.compile(r'^"(?P<body>(?:[^"\\]|\\.)*)"\s*$')
ESCAPE = re.compile(r"\\(?P<char>.)")
VALID_ESCAPES = set('\\"ntrabfv01234567x')
COMMENT = re.compile(r"^#(?:[ .:,|]|$)")
Report = Callable[[int, str], None]


@dataclass
class _Entry:
    line: int
    context: str | None = None
    msgid: str | None = None
    has_plural: bool = False
    translations: int = 0
    last_keyword: str = ""


def check_po_syntax(raw: bytes, shown: str) -> list[Diagnostic]:
    findings: list[Diagnostic] = []

    def problem(line: int, message: str) -> None:
        findings.append(Diagnostic(message, "catalog.syntax", shown, line))

    lines = raw.split(b"\n")
    seen: dict[tuple[str | None, str], int] = {}
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

    for number, raw_line in enumerate(lines, start=1):
        try:
            line = raw_line.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as exc:
            problem(number, f"not valid UTF-8 ({exc.reason})")
            # Read on with the bad bytes replaced, so the entry's shape is still checked.
            line = raw_line.decode("utf-8", errors="replace").rstrip("\r")
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
            if text is not None and entry.last_keyword == "msgid" and entry.msgid is not None:
                entry.msgid += text
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
        entry.last_keyword = keyword
    close(entry)
    return sorted(findings, key=lambda finding: finding.line or 0)


def _string(text: str, number: int, report: Report) -> str | None:
    match = STRING.match(text.strip())
    if match is None:
        message = "unterminated string" if text.strip().startswith('"') else "expected a quoted string"
        report(number, message)
        return None
    body = match["body"]
    for escape in ESCAPE.finditer(body):
        if escape["char"] not in VALID_ESCAPES:
            report(number, f"unknown escape \\{escape['char']}")
    return body


def _quote(text: str, width: int = 50) -> str:
    flat = " ".join(text.split())
    return '"' + (flat if len(flat) <= width else flat[: width - 1] + "…") + '"'


PREVIOUS = re.compile(r'^\|\s*(?:(?P<keyword>msgctxt|msgid_plural|msgid)\s+)?"(?P<body>(?:[^"\\]|\\.)*)"\s*$')


def read_po_keeping_previous(raw: bytes, locale: str) -> Catalog:
    """Babel's reader, plus the previous msgids (`#| msgid`) it cannot read.

    Babel turns a multi-line `#| msgid` block into translator comments, which
    would be written back as `# | ...` garbage and lose what the translator
    needs to see; they are moved back where they belong here.
    """
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
