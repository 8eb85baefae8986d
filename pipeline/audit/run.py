"""`pipeline audit EN_FILE ID_FILE`: do two hand-written texts cite the same figures?

For an English text and its Indonesian version that the pipeline did not
produce (plain text, Markdown or HTML), extract the figures of both, align
them (pipeline.audit.align) and report the figures that match, those that
correspond but differ, and those found on one side only.

Offsets (`start`, `end` in the JSON) are character offsets into the text the
extractor read.  For plain text and Markdown they point into the file itself:
everything the reader drops (Markdown markup, a byte-order mark, the CR of a
CRLF, a line break inside a paragraph) becomes a space of the same length.
For HTML they index the visible text, as pipeline.reading.text.html_text gives it.
"""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path
from typing import TextIO

from pipeline.audit.align import Document, align
from pipeline.audit.language import language_problem
from pipeline.audit.report import Lines, Source, Style, agrees, report_json, report_lines
from pipeline.errors import EXIT_CHECK_FAILED, EXIT_OK, ErrorCollector, UserError
from pipeline.inputs import AUDITED, read_input
from pipeline.reading import extract_figures, html_text

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
NEWLINE = re.compile(r"\n")

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


def run_audit(
    en_path: Path,
    id_path: Path,
    as_json: bool,
    out: TextIO,
    force_languages: bool = False,
    show_matches: bool = False,
) -> int:
    """Audit a pair of files and print the report; the exit code is returned.

    Raises UserError (exit 2) for a file that is missing, unreadable, too
    large, not UTF-8, or (unless `force_languages`) not in the language it
    is given as; every such file is named, not only the first.
    """
    errors = ErrorCollector()
    sources: list[Source] = []
    for path, language in ((en_path, "en"), (id_path, "id")):
        try:
            sources.append(read_source(path, language))
        except UserError as error:
            errors.extend(error.diagnostics)
    errors.raise_if_any()
    en, id_ = sources
    if not force_languages:
        for source in sources:
            problem = language_problem(source.document.text, source.document.language)
            if problem is not None:
                errors.add(problem, "audit.language", source.shown)
        errors.raise_if_any()
    alignment = align(en.document, id_.document)
    if as_json:
        json.dump(report_json(en, id_, alignment), out, ensure_ascii=False)
        out.write("\n")
    else:
        for line in report_lines(en, id_, alignment, Style.for_stream(out), show_matches):
            out.write(line + "\n")
    return EXIT_OK if agrees(alignment) else EXIT_CHECK_FAILED


def read_document(path: Path, language: str) -> Document:
    return read_source(path, language).document


def read_source(path: Path, language: str) -> Source:
    text, form = read_text(path)
    # Where each line of the file begins, in offsets of the text the extractor
    # reads: every finding names the line a person opens the file at.
    if form == "html":
        visible = html_text(text)
        text, anchors = visible.text, visible.source_lines or [(0, 1)]
    else:
        anchors = [(0, 1)] + [(match.end(), number) for number, match in enumerate(NEWLINE.finditer(text), 2)]
    lines = Lines(text, anchors)
    text = SOFT_BREAK.sub(lambda match: " " * len(match[0]), text)
    if form == "markdown":
        text = strip_markdown(text)
    return Source(str(path), Document(language, text, extract_figures(text, language)), lines)


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
