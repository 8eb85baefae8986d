"""The inline markup a translation may carry, and nothing else.

Jinja2's newstyle gettext marks every translation as safe HTML when
autoescaping is on, so a msgstr could smuggle `<script>`, event handlers,
`style` attributes or `javascript:` links into the HTML and the PDF.  Every
translated string passes through `sanitize_translation`: the allow-listed
tags (em, strong, a with an http(s) href) are rebuilt from scratch; anything
else is escaped and shows as the literal text the translator typed.

Quotes are escaped too, so the Markup it returns is as safe inside a quoted
attribute value (an aria-label, a <meta> content) as in element text: a
translation cannot end the value and add an attribute.  Where a translation
lands in an attribute, templates still take its plain text (the `plain`
filter), so an allowed <em> is not shown there as a literal tag.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser

# markupsafe's escape, not html.escape: it is the one Jinja2's autoescaping
# uses, so a quote reads the same (&#34;) whether a fact or a translation wrote it.
from markupsafe import Markup, escape

from pipeline.i18n.sentinels import (
    FALLBACK_END,
    FALLBACK_START,
    PAGE_SENTINEL,
    PAGES_SENTINEL,
    flatten_pairs,
    strip_sentinels,
)

ALLOWED_TAGS = frozenset({"em", "strong", "a"})
SAFE_HREF = re.compile(r"^https?://[^\s\"'<>`\\]+$", re.IGNORECASE)


class _AllowListRebuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rebuilt = _allowed_start_tag(tag, attrs)
        if rebuilt is None:
            self.parts.append(escape(self.get_starttag_text() or f"<{tag}>"))
            return
        self.parts.append(rebuilt)
        self.open_tags.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(escape(self.get_starttag_text() or f"<{tag}/>"))

    def handle_endtag(self, tag: str) -> None:
        if self.open_tags and self.open_tags[-1] == tag:
            self.open_tags.pop()
            self.parts.append(f"</{tag}>")
        else:
            self.parts.append(escape(f"</{tag}>"))

    def handle_data(self, data: str) -> None:
        self.parts.append(escape(data))

    def handle_comment(self, data: str) -> None:
        self.parts.append(escape(f"<!--{data}-->"))

    def handle_decl(self, decl: str) -> None:
        self.parts.append(escape(f"<!{decl}>"))

    def handle_pi(self, data: str) -> None:
        self.parts.append(escape(f"<?{data}>"))

    def unknown_decl(self, data: str) -> None:
        self.parts.append(escape(f"<![{data}]>"))

    def result(self) -> str:
        self.close()
        # Close what the translator left open so markup never leaks past the sentence.
        return "".join(self.parts) + "".join(f"</{tag}>" for tag in reversed(self.open_tags))


def _allowed_start_tag(tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
    if tag not in ALLOWED_TAGS:
        return None
    if tag == "a":
        if len(attrs) != 1 or attrs[0][0] != "href" or not SAFE_HREF.match(attrs[0][1] or ""):
            return None
        return f'<a href="{escape(attrs[0][1] or "")}">'
    return None if attrs else f"<{tag}>"


def allowed_tags(text: str) -> list[str]:
    """The allow-listed tags `text` opens, in order (to compare a msgstr with its msgid)."""
    found: list[str] = []

    class _Finder(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if _allowed_start_tag(tag, attrs) is not None:
                found.append(tag)

    finder = _Finder(convert_charrefs=True)
    finder.feed(text)
    finder.close()
    return found


def disallowed_markup(text: str) -> list[str]:
    """Tags in `text` that the allow-list would neutralise (for catalog lint)."""
    found: list[str] = []

    class _Finder(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if _allowed_start_tag(tag, attrs) is None:
                found.append(self.get_starttag_text() or tag)

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append(self.get_starttag_text() or tag)

    finder = _Finder(convert_charrefs=True)
    finder.feed(text)
    finder.close()
    return found


# HTMLParser swallows everything after an unclosed <script> or <style> as raw
# text and drops it at close(): neutralise those openers before parsing.
_RAW_TEXT_OPENER = re.compile(r"<(?=(script|style)\b)", re.IGNORECASE)


# The pipeline's marks while a page renders are private-use characters from
# the start of the area: page counters (render/renderer.py), draft fallbacks
# (sentinels.py), bilingual pairs (sentinels.py).  Laid out afterwards, they open
# and close elements, so a translation may not carry them.
_SENTINEL = re.compile("[\ue000-\ue0ff]")


def _without_sentinels(text: str) -> str:
    # A draft hands in a missing translation already wrapped in its fallback marks.
    if len(text) >= 2 and text[0] == FALLBACK_START and text[-1] == FALLBACK_END:
        return FALLBACK_START + _SENTINEL.sub("", text[1:-1]) + FALLBACK_END
    return _SENTINEL.sub("", text)


# Every sentence of every edition passes through here, and a build has far
# fewer distinct sentences than sentences rendered.  The result depends on
# the text alone (a Markup and a str with the same characters give the same).
@lru_cache(maxsize=8192)
def sanitize_translation(text: str) -> Markup:
    rebuilder = _AllowListRebuilder()
    rebuilder.feed(_RAW_TEXT_OPENER.sub("&lt;", _without_sentinels(text)))
    return Markup(rebuilder.result())


# Text for places markup cannot go -----------------------------------------------------------


def plain_text(text: str) -> str:
    """Text for places markup cannot go (CSS strings): no draft marks, pairs as "en / id"."""
    return flatten_pairs(strip_sentinels(str(text)))


def css_string(text: str) -> Markup:
    """A CSS string literal that no text can break out of, even inside <style>."""
    escaped = "".join(
        # A hex escape swallows one following space, so every escape ends with one.
        char if char.isalnum() or char in " ,.-" else f"\\{ord(char):06x} "
        for char in plain_text(text)
    )
    return Markup(f'"{escaped}"')


def css_counters(text: str) -> Markup:
    """CSS `content` for a translated page label, with the page counters in place."""
    parts = []
    for piece in re.split("([\ue000\ue001])", plain_text(text)):
        if piece == PAGE_SENTINEL:
            parts.append("counter(page)")
        elif piece == PAGES_SENTINEL:
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts))


NOTE_MARKER = re.compile(r'<sup class="marker">.*?</sup>', re.DOTALL)


def plain(html: str) -> str:
    """Rendered HTML as plain text for metadata (title, description): no tags, no note markers."""
    return Markup(NOTE_MARKER.sub("", str(html))).striptags()
