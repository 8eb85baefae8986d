"""Reading a page's title block back out of its HTML: for tests, which check that the
headline and standfirst the render hands on are what the page shows.  The pipeline
itself never reads them back."""

from __future__ import annotations

from html.parser import HTMLParser

from pipeline.render import TitleBlock

STANDFIRST_CLASS = "standfirst"


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


def by_html_parser(html: str) -> TitleBlock:
    reader = TitleBlockReader.read(html)
    return TitleBlock(reader.headline, reader.standfirst)
