"""Readable text out of published HTML and PDF, as a reader gets it.

The figure check reads what a reader reads: the visible text of the HTML body
and the text of the PDF's page area.  From the HTML it also keeps where each
element generated from a fact (`class="fig"`) sits in that text, so a figure
typed by hand can be told apart from one that came from the fact base.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "nav",
        "li",
        "ol",
        "ul",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figure",
        "figcaption",
        "table",
        "tr",
        "td",
        "th",
        "blockquote",
        "br",
        "aside",
        "caption",
        # Inline SVG (charts, maps): each <text> is a label of its own, so
        # "2014" and "20,218" never run together into one figure.
        "text",
        "title",
        "desc",
    }
)
HIDDEN_TAGS = frozenset({"head", "script", "style", "template", "noscript", "svg-defs"})
VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "col", "embed"})
RANGE = re.compile(r"\[(\d+)\u2013(\d+)\]")
"""A run of notes written as a range ("[3–6]")."""
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+|\n")


@dataclass(frozen=True, slots=True)
class FactMark:
    """A stretch of text generated from the fact base."""

    start: int
    end: int
    fact_id: str | None
    period: str | None
    datetime: str | None
    marker: bool = False
    """A note or list number the layout prints (not a figure of the story)."""


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A source note marker as a reader sees it, and what it is attached to."""

    start: int
    end: int
    label: str
    """The marker as printed ("[7]")."""
    target: str | None
    """The source id its link leads to (`#source-ID`), None without such a link."""
    fact_id: str | None
    """The fact it gives the source of (`data-cites` of its `span.cited`); None for a range."""
    scope: tuple[int, int]
    """The stretch of text it cites (its `span.cited`: the figure and the marker)."""
    cites: tuple[str, ...] = ()
    """For a note of a range ("[3–6]"): every fact the range cites."""
    implied: bool = False
    """A note inside a range, which the reader takes from it without a link of its own ("4" of "[3–6]")."""

    @property
    def number(self) -> int | None:
        digits = self.label.strip().removeprefix("[").removesuffix("]")
        return int(digits) if digits.isascii() and digits.isdigit() else None


@dataclass
class Text:
    text: str
    marks: list[FactMark] = field(default_factory=list)
    list_numbers: list[int] = field(default_factory=list)
    """Numbers a browser or WeasyPrint prints before the items of ordered lists."""
    note_refs: list[NoteRef] = field(default_factory=list)
    """Every note marker, in text order."""
    listed_sources: list[str] = field(default_factory=list)
    """The source ids of the source notes (`li id="source-ID"`), in the order they are numbered."""
    source_lines: list[tuple[int, int]] = field(default_factory=list)
    """(offset in `text`, line of the HTML source) where each run of text begins, in text order."""

    def mark_at(self, start: int, end: int) -> FactMark | None:
        for mark in self.marks:
            if mark.start <= start and end <= mark.end:
                return mark
        return None

    def sentence_around(self, start: int, end: int) -> str:
        """The sentence as a reader reads it, without the note markers.

        Called for every figure of a page; an index page lists hundreds, so
        the text without markers and its sentence ends are worked out once.
        """
        reading = self._reading
        if reading is None:
            return self.sentence_around_slowly(start, end)
        # Markers wholly before the figure are those ending by its start.
        before = bisect.bisect_right(reading.marker_ends, start)
        if before < len(reading.marker_starts) and reading.marker_starts[before] < end:
            return self.sentence_around_slowly(start, end)  # a marker inside the figure stays
        shift = reading.removed_before[before]
        return reading.sentences.around(start - shift, end - shift)

    @cached_property
    def _reading(self) -> _Reading | None:
        spans = sorted((mark.start, mark.end) for mark in self.marks if mark.marker)
        if any(first[1] > second[0] for first, second in itertools.pairwise(spans)):
            return None  # overlapping markers: read the slow way
        pieces, removed, last = [], [0], 0
        for start, end in spans:
            pieces.append(self.text[last:start])
            removed.append(removed[-1] + end - start)
            last = end
        pieces.append(self.text[last:])
        return _Reading([start for start, _ in spans], [end for _, end in spans], removed, _Sentences("".join(pieces)))

    def sentence_around_slowly(self, start: int, end: int) -> str:
        text = self.text
        for mark in sorted((mark for mark in self.marks if mark.marker), key=lambda mark: -mark.start):
            if mark.end <= start:
                shift = mark.end - mark.start
                start, end = start - shift, end - shift
            elif mark.start < end:
                continue
            text = text[: mark.start] + text[mark.end :]
        return sentence_around(text, start, end)


@dataclass
class _Reading:
    marker_starts: list[int]
    marker_ends: list[int]
    removed_before: list[int]
    """Characters removed before the i-th marker (and, last, in all)."""
    sentences: _Sentences


class _Sentences:
    """sentence_around over one text, its sentence ends found once."""

    def __init__(self, text: str) -> None:
        self.text = text
        matches = list(SENTENCE_END.finditer(text))
        self.starts = [match.start() for match in matches]
        self.ends = [match.end() for match in matches]

    def around(self, start: int, end: int) -> str:
        index = bisect.bisect_right(self.ends, start)
        if index < len(self.starts) and self.starts[index] < start:
            return sentence_around(self.text, start, end)  # a sentence end runs across the start
        sentence_start = self.ends[index - 1] if index else 0
        following = SENTENCE_END.search(self.text, end)
        sentence_end = following.start() if following else len(self.text)
        return " ".join(self.text[sentence_start:sentence_end].split())


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], on one line."""
    sentence_start = 0
    for match in SENTENCE_END.finditer(text, 0, start):
        sentence_start = match.end()
    following = SENTENCE_END.search(text, end)
    sentence_end = following.start() if following else len(text)
    return " ".join(text[sentence_start:sentence_end].split())


class _VisibleText(HTMLParser):
    def __init__(self, without_language: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.without_language = without_language
        self.dropped: list[str] = []
        """Open elements written in the language left out (bilingual editions)."""
        self.chunks: list[str] = []
        self.length = 0
        self.hidden_depth = 0
        self.stack: list[tuple[str, dict[str, str | None] | None, int]] = []
        self.marks: list[FactMark] = []
        self.list_counters: list[int] = []
        self.list_numbers: list[int] = []
        self.note_refs: list[NoteRef] = []
        self.listed_sources: list[str] = []
        self.cited_starts: list[list[Any]] = []
        """Open `span.cited`: [its start, the fact it cites]."""
        self.in_marker = 0
        self.marker_hrefs: list[str] = []
        self.marker_label: list[str] = []
        self.source_lines: list[tuple[int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_TAGS:
            self.hidden_depth += 1
        if tag in BLOCK_TAGS:
            self._append("\n")
        if tag in VOID_TAGS:
            return
        attributes = dict(attrs)
        if tag == "ol":
            start = attributes.get("start") or "1"
            self.list_counters.append(int(start) - 1 if start.isdigit() else 0)
        elif tag == "ul":
            self.list_counters.append(-1)
        elif tag == "li" and self.list_counters and self.list_counters[-1] >= 0:
            self.list_counters[-1] += 1
            self.list_numbers.append(self.list_counters[-1])
        classes = (attributes.get("class") or "").split()
        self._note_start(tag, attributes, classes)
        marked = attributes if {"fig", "countries", "marker", "cited"} & set(classes) else None
        # A draft's stand-in sentence is marked with the source language, but it
        # sits in the other column and carries that column's figures.
        stand_in = "untranslated" in classes
        other_language = (attributes.get("lang") == self.without_language and not stand_in) or "lang-sep" in classes
        if tag != "html" and self.without_language and other_language:
            self.dropped.append(tag)
            # An element of the other language: its text is not this language's.
            marked = {"drop": "1"}
        self.stack.append((tag, marked, self.length))

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_TAGS and self.hidden_depth:
            self.hidden_depth -= 1
        if tag in ("ol", "ul") and self.list_counters:
            self.list_counters.pop()
        while self.stack:
            open_tag, marked, start = self.stack.pop()
            if marked is not None and "drop" in marked:
                self.dropped.pop()
            elif marked is not None and "cited" in (marked.get("class") or "").split():
                if self.cited_starts:
                    self.cited_starts.pop()
            elif marked is not None and not self.dropped:
                if "marker" in (marked.get("class") or "").split():
                    self._note_end(start)
                    self.in_marker -= 1
                if self.cited_starts and self.cited_starts[-1][1] is None:
                    # Output published before markers named their fact: the figure's fact is the one cited.
                    self.cited_starts[-1][1] = marked.get("data-fact")
                self.marks.append(
                    FactMark(
                        start,
                        self.length,
                        marked.get("data-fact"),
                        marked.get("data-period"),
                        marked.get("datetime") or marked.get("data-datetime"),
                        "marker" in (marked.get("class") or "").split(),
                    )
                )
            if open_tag == tag:
                break
        if tag in BLOCK_TAGS:
            self._append("\n")

    def _note_start(self, tag: str, attributes: dict[str, str | None], classes: list[str]) -> None:
        if "cited" in classes:
            self.cited_starts.append([self.length, attributes.get("data-cites")])
        elif "marker" in classes:
            if not self.dropped:
                self.in_marker += 1
                self.marker_hrefs, self.marker_label = [], []
        elif tag == "a" and self.in_marker:
            self.marker_hrefs.append(attributes.get("href") or "")
        elif tag == "li" and (attributes.get("id") or "").startswith("source-") and not self.dropped:
            self.listed_sources.append((attributes.get("id") or "").removeprefix("source-"))

    def _note_end(self, start: int) -> None:
        targets = [href.removeprefix("#source-") if href.startswith("#source-") else None for href in self.marker_hrefs]
        scope_start, cites = self.cited_starts[-1] if self.cited_starts else (start, None)
        label = "".join(self.marker_label)
        scope = (scope_start, self.length)
        span = RANGE.fullmatch(label)
        if span is None or len(targets) != 2:
            target = targets[0] if targets else None
            self.note_refs.append(NoteRef(start, self.length, label, target, cites, scope))
            return
        # A range stands for every note from its first number to its last.
        first, last = int(span[1]), int(span[2])
        facts = tuple((cites or "").split())
        for number in range(first, last + 1):
            target = targets[0] if number == first else targets[1] if number == last else None
            implied = first < number < last
            self.note_refs.append(NoteRef(start, self.length, f"[{number}]", target, None, scope, facts, implied))

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth and not self.dropped:
            self.source_lines.append((self.length, self.getpos()[0]))
            self._append(data)
            if self.in_marker:
                self.marker_label.append(data)

    def _append(self, chunk: str) -> None:
        self.chunks.append(chunk)
        self.length += len(chunk)


def html_text(html: str, without_language: str | None = None) -> Text:
    """The visible text; for a bilingual edition, optionally without one language."""
    parser = _VisibleText(without_language)
    parser.feed(html)
    parser.close()
    text = "".join(parser.chunks)
    return Text(
        text,
        sorted(parser.marks, key=lambda mark: mark.start),
        parser.list_numbers,
        parser.note_refs,
        parser.listed_sources,
        parser.source_lines,
    )


def pdf_text(path: Path, margins_pt: tuple[float, float, float, float]) -> list[str]:
    """The text of each page's content area (running header and footer left out).

    `margins_pt` is (top, right, bottom, left) in PDF points.  A ValueError when PDFium cannot read it.
    """
    from pipeline.reading.embedded import open_pdf

    top, right, bottom, left = margins_pt
    pages: list[str] = []
    document = open_pdf(path)
    try:
        for page in document:
            width, height = page.get_size()
            text_page = page.get_textpage()
            pages.append(
                text_page.get_text_bounded(left=left, bottom=bottom, right=width - right, top=height - top)
                .replace("\r\n", "\n")
                # pdfium marks a word hyphenated at a line end with U+FFFE and joins it.
                .replace("\ufffe", "")
                .replace("\r", "\n")
            )
            text_page.close()
            page.close()
    finally:
        document.close()
    return pages
