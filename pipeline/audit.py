"""`pipeline audit EN_FILE ID_FILE`: do two hand-written texts cite the same figures?

For an English text and its Indonesian version that the pipeline did not
produce (plain text, Markdown or HTML), extract the figures of both, align
them (pipeline.align) and report the figures that match, those that
correspond but differ, and those found on one side only.

Offsets (`start`, `end` in the JSON) are character offsets into the text the
extractor read.  For plain text and Markdown they point into the file itself:
everything the reader drops (Markdown markup, a byte-order mark, the CR of a
CRLF, a line break inside a paragraph) becomes a space of the same length.
For HTML they index the visible text, as pipeline.text.html_text gives it.
"""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from pipeline.align import Alignment, Document, Pair, align
from pipeline.errors import EXIT_CHECK_FAILED, EXIT_OK, UserError
from pipeline.extract import Figure, FigureUnit, extract_figures
from pipeline.model import PartialDate
from pipeline.safe_files import AUDITED, read_input
from pipeline.text import html_text

# Files to audit are named on the command line, not found in a project:
# they may lie anywhere the person running the audit can read.
AUDIT_ROOT = Path("/")
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
LOOKS_LIKE_HTML = re.compile(r"<(?:!doctype\s+html|html|body|p|div|article|h[1-6])[\s>]", re.IGNORECASE)
LOOKS_LIKE_MARKDOWN = re.compile(r"^(?:#{1,6} |[*+-] |\d+[.)] |> )|\[[^\]\n]+\]\([^)\s]+\)|\*\*\S", re.MULTILINE)
# A line break inside a paragraph (hard-wrapped text, HTML source lines) is a
# space, or every wrapped line would end a sentence: the next line goes on in
# lower case and is no list item.
SOFT_BREAK = re.compile(r"(?<=[^\s.!?:;…\"”’'])[ \t]*\n(?=[ \t]*(?![0-9]+[.)]\s)[a-z0-9(])")
JSON_UNITS: dict[FigureUnit, str] = {"percentage_point": "other", "duration": "other"}
LANGUAGE_NAMES = {"en": "English", "id": "Indonesian"}

# Markdown markup, blanked rather than removed so offsets keep pointing into
# the file.  Each pattern's groups named "keep" survive; the rest turns to spaces.
MARKDOWN_MARKUP = [
    re.compile(r"^ {0,3}(?:```|~~~).*?^ {0,3}(?:```|~~~)[^\n]*$", re.MULTILINE | re.DOTALL),  # code blocks
    re.compile(r"<!--.*?-->", re.DOTALL),
    re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]+\S+.*$", re.MULTILINE),  # link definitions
    re.compile(r"`[^`\n]+`"),
    re.compile(r"\[\^[^\]\s]+\]"),  # footnote references
    re.compile(r"!?\[(?P<keep>[^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])"),  # links and images
    re.compile(r"<(?:https?://|mailto:)[^>\s]+>|</?[A-Za-z][^>\n]*>"),  # autolinks and inline HTML
    re.compile(r"^ {0,3}(?:[-*_] *){3,}$|^ {0,3}(?:=+|-+) *$", re.MULTILINE),  # rules, setext underlines
    re.compile(r"^ {0,3}(?:#{1,6}[ \t]|(?:> ?)+|[*+-][ \t]+|[0-9]{1,9}[.)][ \t]+)", re.MULTILINE),  # block marks
    re.compile(r"^ {0,3}\|?(?: *:?-+:? *\|)+ *:?-*:? *$", re.MULTILINE),  # table rule rows
    re.compile(r"(?<![\w*~])(?P<mark>\*\*|__|\*|_|~~)(?=\S)(?P<keep>.+?)(?<=\S)(?P=mark)(?![\w*~])"),
    re.compile(r"\|"),
]


def run_audit(en_path: Path, id_path: Path, as_json: bool, out: TextIO) -> int:
    """Audit a pair of files and print the report; the exit code is returned.

    Raises UserError (exit 2) for a file that is missing, unreadable or not UTF-8.
    """
    en = read_document(en_path, "en")
    id_ = read_document(id_path, "id")
    alignment = align(en, id_)
    if as_json:
        json.dump(report_json(en, id_, alignment), out, ensure_ascii=False)
        out.write("\n")
    else:
        bold = _isatty(out)
        for line in report_lines(en, id_, alignment, bold):
            out.write(line + "\n")
    agrees = not alignment.only_en and not alignment.only_id
    agrees = agrees and all(pair.status == "match" for pair in alignment.pairs)
    return EXIT_OK if agrees else EXIT_CHECK_FAILED


def read_document(path: Path, language: str) -> Document:
    text, form = read_text(path)
    if form == "html":
        text = html_text(text).text
    text = SOFT_BREAK.sub(lambda match: " " * len(match[0]), text)
    if form == "markdown":
        text = strip_markdown(text)
    return Document(language, text, extract_figures(text, language))


def read_text(path: Path) -> tuple[str, str]:
    """The file's text and its form: "html", "markdown" or "plain"."""
    try:
        if os.path.isdir(path):
            raise IsADirectoryError(errno.EISDIR, "Is a directory")
        os.stat(path)
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise UserError.single(f"cannot read: {reason}", "audit.unreadable", str(path)) from None
    # The person running the audit named this file: a link is followed wherever
    # it leads (they could have named its target), but what is not a regular
    # file (a FIFO would block, a device never end) or is too large is refused.
    data = read_input(path, AUDIT_ROOT, AUDITED, follow=True, shown=str(path))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        message = f"not UTF-8 text (byte 0x{byte:02x} at offset {error.start}); save it as UTF-8"
        raise UserError.single(message, "audit.encoding", str(path)) from None
    text = re.sub(r"^\ufeff", " ", text).replace("\r\n", " \n").replace("\r", "\n")
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return text, "html"
    if suffix in MARKDOWN_SUFFIXES:
        return text, "markdown"
    if suffix != ".txt" and LOOKS_LIKE_HTML.search(text[:4096]):
        return text, "html"
    if suffix != ".txt" and LOOKS_LIKE_MARKDOWN.search(text):
        return text, "markdown"
    return text, "plain"


def strip_markdown(text: str) -> str:
    """The prose of a Markdown text, markup blanked with spaces (line breaks kept)."""
    for pattern in MARKDOWN_MARKUP:
        text = pattern.sub(_blank_except_kept, text)
    return text


def _blank_except_kept(match: re.Match[str]) -> str:
    whole = match[0]
    if "keep" not in match.re.groupindex or match["keep"] is None:
        return _blank(whole)
    start, end = match.span("keep")
    offset = match.start()
    return _blank(whole[: start - offset]) + match["keep"] + _blank(whole[end - offset :])


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


# Reports -----------------------------------------------------------------


def report_json(en: Document, id_: Document, alignment: Alignment) -> dict[str, Any]:
    def pair(item: Pair) -> dict[str, Any]:
        entry: dict[str, Any] = {"en": item.en, "id": item.id, "status": item.status}
        if item.note:
            entry["note"] = item.note
        return entry

    return {
        "en": [figure_json(figure) for figure in en.figures],
        "id": [figure_json(figure) for figure in id_.figures],
        "pairs": [pair(item) for item in alignment.pairs],
        "only_en": alignment.only_en,
        "only_id": alignment.only_id,
    }


def figure_json(figure: Figure) -> dict[str, Any]:
    value = str(figure.value) if isinstance(figure.value, PartialDate) else _number(figure.value)
    entry: dict[str, Any] = {
        "value": value,
        "unit": JSON_UNITS.get(figure.unit, figure.unit),
        "currency": figure.currency,
        "qualifier": None if figure.qualifier == "exact" else figure.qualifier,
        "text": figure.text,
        "start": figure.start,
        "end": figure.end,
        "kind": figure.unit,
    }
    extras = {"period": figure.period, "part": figure.part, "year": figure.year, "reading": figure.reading}
    entry.update({key: extra for key, extra in extras.items() if extra is not None})
    return entry


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def report_lines(en: Document, id_: Document, alignment: Alignment, bold: bool) -> list[str]:
    mark: Callable[[str], str] = (lambda text: f"\033[1m{text}\033[0m") if bold else (lambda text: f"»{text}«")
    differs = [pair for pair in alignment.pairs if pair.status == "differs"]
    matches = [pair for pair in alignment.pairs if pair.status == "match"]
    # What needs an editor's attention first; the agreeing figures last.
    lines = [_pair_line("differs", en, id_, pair, mark) for pair in differs]
    lines += [_one_side_line(en, index, mark) for index in alignment.only_en]
    lines += [_one_side_line(id_, index, mark) for index in alignment.only_id]
    lines += [_pair_line("match", en, id_, pair, mark) for pair in matches]
    lines.append(
        f"{len(matches)} match, {len(differs)} differ, {len(alignment.only_en)} only in English, "
        f"{len(alignment.only_id)} only in Indonesian"
    )
    return lines


def _pair_line(status: str, en: Document, id_: Document, pair: Pair, mark: Callable[[str], str]) -> str:
    first, second = en.figures[pair.en], id_.figures[pair.id]
    head = f'{status}: English "{_flat(first.text)}" vs Indonesian "{_flat(second.text)}"'
    if pair.note:
        head += f" ({pair.note})"
    return f"{head} | EN: {_in_sentence(en, pair.en, mark)} | ID: {_in_sentence(id_, pair.id, mark)}"


def _one_side_line(document: Document, index: int, mark: Callable[[str], str]) -> str:
    language = LANGUAGE_NAMES[document.language]
    figure = document.figures[index]
    code = document.language.upper()
    return f'only in {language}: "{_flat(figure.text)}" | {code}: {_in_sentence(document, index, mark)}'


def _in_sentence(document: Document, index: int, mark: Callable[[str], str]) -> str:
    figure = document.figures[index]
    start, end = document.sentences[document.figure_sentence[index]]
    start, end = min(start, figure.start), max(end, figure.end)
    text = document.text
    return _flat(text[start : figure.start]) + mark(_flat(figure.text)) + _flat(text[figure.end : end], leading=True)


def _flat(text: str, leading: bool = False) -> str:
    """On one line; a space kept where the sentence had one next to the figure."""
    flat = " ".join(text.split())
    if text[:1].isspace() and flat and leading:
        flat = " " + flat
    if text[-1:].isspace() and flat and not leading:
        flat += " "
    return flat


def _isatty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False
