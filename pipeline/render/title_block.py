"""An article's headline and standfirst, as its rendered page writes them.

The index page lists each article by the inner HTML of its page's first <h1>
and first standfirst paragraph, so that it says exactly what the article
says, in the same language, with the same draft marks.  They are read once,
when the edition is rendered, and travel with it as plain strings (a build
that reuses a published page may keep them beside it, in its manifest).

What counts as "first <h1>" is what Python's html.parser sees, comments,
<script> and <style> included.  Reading a page with it costs more than
rendering the page's title block, so `read_title_block` first walks the page
with a scanner that knows only the plain HTML the templates write (tags with
double-quoted attributes, text, character references, <style> with
nothing in it that looks like a tag), on which it sees exactly what html.parser sees; on anything
else, or when it reaches the end, it hands the whole page to html.parser.
tests/render/test_title_block.py holds the two to the same answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

STANDFIRST_CLASS = "standfirst"


@dataclass(frozen=True)
class TitleBlock:
    """The inner HTML of a page's first <h1> and first standfirst, source note markers included.

    None where the page has no such element (an index page refuses an
    article without a headline).
    """

    headline: str | None
    standfirst: str | None


class _TitleBlockState:
    """Which parts are found, and the one being read; fed tags by either reader."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.headline: str | None = None
        self.standfirst: str | None = None
        self._open: tuple[str, str, int, int] | None = None
        """(which part, tag, nesting depth, where its content starts) while inside one."""

    @property
    def reading(self) -> bool:
        return self._open is not None

    @property
    def done(self) -> bool:
        return self.headline is not None and self.standfirst is not None

    def start(self, tag: str, class_value: str | None, content_start: int) -> None:
        if self._open is not None:
            part, open_tag, depth, start = self._open
            if tag == open_tag:
                self._open = (part, open_tag, depth + 1, start)
            return
        wanted: str | None = None
        if tag == "h1" and self.headline is None:
            wanted = "headline"
        elif STANDFIRST_CLASS in (class_value or "").split() and self.standfirst is None:
            wanted = "standfirst"
        if wanted is not None:
            self._open = (wanted, tag, 0, content_start)

    def end(self, tag: str, tag_start: int) -> None:
        if self._open is None or tag != self._open[1]:
            return
        part, open_tag, depth, start = self._open
        if depth > 0:
            self._open = (part, open_tag, depth - 1, start)
            return
        setattr(self, part, self.html[start:tag_start])
        self._open = None


class _Found(Exception):
    """Both parts are read: the rest of the page cannot change them."""


class TitleBlockReader(HTMLParser, _TitleBlockState):
    """The inner HTML of a page's first <h1> and first standfirst paragraph, exactly as written."""

    def __init__(self, html: str) -> None:
        HTMLParser.__init__(self, convert_charrefs=False)
        _TitleBlockState.__init__(self, html)
        # HTMLParser counts lines at "\n" only (str.splitlines would also split at U+2028 and others).
        self.line_starts = [0]
        for line in html.split("\n"):
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)

    @classmethod
    def read(cls, html: str) -> TitleBlockReader:
        reader = cls(html)
        try:
            reader.feed(html)
            reader.close()
        except _Found:
            pass
        return reader

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.start(tag, dict(attrs).get("class"), self._offset() + len(self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        self.end(tag, self._offset())
        if self.done:
            raise _Found


# The plain HTML of rendered pages.  Whitespace is ASCII, names are ASCII
# letters and digits, every attribute value is double-quoted, every character
# reference ends with ";", no tag closes itself: on these html.parser and the
# scanner split the text into the same tags.  Quantifiers are possessive, so a
# page the scanner does not know fails at once instead of backtracking.
_REFERENCE = r"&(?:[a-zA-Z][a-zA-Z0-9]*|\#[0-9]+|\#[xX][0-9a-fA-F]+);"
_TEXT = rf"(?:[^<&]++|{_REFERENCE})*+"
_NAME = r"[a-zA-Z][a-zA-Z0-9]*"
_ATTRIBUTE_NAME = r"[a-zA-Z_:][-a-zA-Z0-9_:.]*"
_SPACE = r"[ \t\n]"
# Elements whose content some version of html.parser reads as text, not tags:
# the scanner takes them only when nothing in them could be read as a tag.
_RAW_TEXT = frozenset({"script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript"})
_SPECIAL = "|".join(sorted(["h1", "plaintext", *_RAW_TEXT]))
_STEP = re.compile(
    rf"""{_TEXT}(?:
      <(?P<start>{_NAME})(?P<attributes>(?:{_SPACE}+{_ATTRIBUTE_NAME}(?:="[^"]*")?)*+){_SPACE}*>
    | (?P<end_tag></(?P<end>{_NAME})>)
    | <!DOCTYPE\ html>
    )""",
    re.VERBOSE,
)
# While no part is open, tags that cannot open one (no <h1>, no class naming
# the standfirst, no element with raw text) are skipped in one match.
_SKIP = re.compile(
    rf"""(?:{_TEXT}(?:
      </{_NAME}>
    | <!DOCTYPE\ html>
    | <(?!(?i:{_SPECIAL}){_SPACE}|(?i:{_SPECIAL})>){_NAME}(?:{_SPACE}+(?:
          (?i:class)="(?:(?!{STANDFIRST_CLASS})[^"&])*+"
        | (?!(?i:class)[=>]|(?i:class){_SPACE}){_ATTRIBUTE_NAME}(?:="[^"]*")?
      ))*+{_SPACE}*>
    ))*+""",
    re.VERBOSE,
)
_RAW_CONTENT = re.compile(_TEXT)
_ATTRIBUTE = re.compile(rf'{_SPACE}+({_ATTRIBUTE_NAME})(?:="([^"]*)")?')


def _scan(html: str) -> TitleBlock | None:
    """The title block, read by the plain-HTML scanner; None where html.parser must read the page."""
    state = _TitleBlockState(html)
    position = 0
    while not state.done:
        if not state.reading:
            position = _SKIP.match(html, position).end()  # type: ignore[union-attr]
        step = _STEP.match(html, position)
        if step is None:
            return None
        position = step.end()
        tag = step.group("start")
        if tag is not None:
            tag = tag.lower()
            if tag == "plaintext":
                return None
            class_value: str | None = None
            for attribute in _ATTRIBUTE.finditer(step.group("attributes")):
                if attribute.group(1).lower() == "class":
                    value = attribute.group(2)
                    class_value = unescape(value) if value else value
            state.start(tag, class_value, position)
            if tag in _RAW_TEXT:
                close = _RAW_CONTENT.match(html, position).end()  # type: ignore[union-attr]
                if not html.startswith(f"</{tag}>", close):
                    return None
                state.end(tag, close)
                position = close + len(tag) + 3
        elif step.group("end") is not None:
            state.end(step.group("end").lower(), step.start("end_tag"))
    return TitleBlock(state.headline, state.standfirst)


def read_title_block(html: str) -> TitleBlock:
    found = _scan(html)
    if found is not None:
        return found
    reader = TitleBlockReader.read(html)
    return TitleBlock(reader.headline, reader.standfirst)
