"""The site's machine-readable lists: an Atom feed per language, and the sitemap.

Both are text made in memory from typed data (the title block each edition
hands on, the article's date and byline, the configured locales), never from
reading a page back; `build` writes them.

Atom (RFC 4287), one feed per language edition, beside its index page
(`en/feed.atom`): one entry per article, in the index's order.

- Ids are `urn:uuid:` name-based UUIDs (RFC 9562, version 5) of the
  language, the slug and the publication date.  A reader keeps an entry's id
  for good and shows a new id as a new story, so the id must survive what a
  newsroom changes: a new headline, a corrected translation, a move to
  another domain or a base_url set later.  A new slug is a new address, and
  so a new story, anyway.  The feed's own id is that of the language and the
  feed's title.
- `published` and `updated` are the article's date at 12:00 UTC: RFC 3339
  wants a time, the facts hold a day, and noon UTC falls on that same day
  everywhere from UTC-11 to UTC+11 (midnight would show the day before
  across the Americas).  The feed's `updated` is its newest entry's, so a
  project that did not change gives the same bytes: no clock is read.
- Links are relative to the feed, resolved against its own address as RFC
  4287 section 2 and RFC 3986 say, unless the project names its base_url:
  then they are absolute, for readers that copy them out of context.

The sitemap (sitemaps.org 0.9) lists every HTML page at its absolute address
(so only with a base_url), each with the `xhtml:link` alternates its own head
declares (Google's documented form): every language edition of the page,
itself included.  The pages declare no `x-default`, so neither does the
sitemap: search engines read the two together and want them to agree.

Text is escaped for XML: `&`, `<`, `>` and `"` as entities (no CDATA, so a
`]]>` is only text); invisible characters (bidi controls, private use, C1
controls, line breaks) as character references, as the JSON-LD shows them.
What XML 1.0 cannot carry at all (C0 controls, U+FFFE, U+FFFF, lone
surrogates) is refused, naming the page it came from: dropping it would
publish words other than the page's.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.config import Config, LocaleConfig
from pipeline.errors import UserError
from pipeline.facts import INDEX_SLUG, FactBase
from pipeline.i18n import plain, plain_text
from pipeline.render.index import listed_articles
from pipeline.render.renderer import RenderedArticle

FEED_NAME = "feed.atom"
SITEMAP_NAME = "sitemap.xml"
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
# Fixed for good: every id the pipeline ever published was made under it.
ID_NAMESPACE = uuid.UUID("6f1d3c52-8f4e-4d7a-9a55-2b0e5c1f7a93")
NOON_UTC = "T12:00:00Z"
NEWLINE = "\n"  # between the parts an id is made of: no slug, date or language code holds one
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_INVISIBLE = frozenset({"Cc", "Cf", "Co", "Zl", "Zp"})


@dataclass(frozen=True)
class FeedEntry:
    """One article as its language's feed lists it: plain text, no markup."""

    slug: str
    headline: str
    standfirst: str
    published: datetime.date
    author: str
    source: str
    """The page it was read from (`en/brief-mosul.html`), named when its text cannot be written."""


@dataclass(frozen=True)
class Feed:
    """One language's feed: its title is its index page's."""

    locale: LocaleConfig
    title: str
    entries: tuple[FeedEntry, ...]

    @property
    def path(self) -> str:
        return f"{self.locale.code}/{FEED_NAME}"


@dataclass(frozen=True)
class SitemapPage:
    path: str
    alternates: tuple[tuple[str, str], ...]
    """(hreflang, path) of each language edition, as the page's head lists them."""


def language_feeds(config: Config, base: FactBase, editions: Sequence[RenderedArticle]) -> list[Feed]:
    """One feed per language, from the editions' title blocks and the index page's title; none without an index."""
    made = []
    for locale in config.locales:
        own = [edition for edition in editions if edition.folder == locale.code]
        index = next((edition for edition in own if edition.slug == INDEX_SLUG), None)
        if index is None:
            continue
        by_slug = {edition.slug: edition for edition in own}
        entries = []
        for article in listed_articles(base):
            edition = by_slug.get(article.slug)
            if edition is None:
                continue
            titles = edition.title_block()
            entries.append(
                FeedEntry(
                    article.slug,
                    _plain(titles.headline or ""),
                    _plain(titles.standfirst or ""),
                    article.published.as_date(),
                    article.author,
                    f"{locale.code}/{article.slug}.html",
                )
            )
        made.append(Feed(locale, _plain(index.title_block().headline or ""), tuple(entries)))
    return made


def _plain(html: str) -> str:
    return " ".join(plain_text(plain(html)).split())


def sitemap_pages(config: Config, editions: Iterable[RenderedArticle]) -> list[SitemapPage]:
    """Every HTML page, with the alternates base.html and index.html declare: each locale's edition of it."""
    return [
        SitemapPage(
            f"{edition.folder}/{edition.slug}.html",
            tuple((locale.code, f"{locale.code}/{edition.slug}.html") for locale in config.locales),
        )
        for edition in editions
    ]


def entry_id(language: str, slug: str, published: datetime.date) -> str:
    return _uuid_urn("entry", language, slug, published.isoformat())


def feed_id(language: str, title: str) -> str:
    return _uuid_urn("feed", language, title)


def _uuid_urn(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, NEWLINE.join(parts))}"


def atom_feed(feed: Feed, base_url: str | None) -> str:
    """The feed as an XML document, entries newest first."""
    if not feed.entries:
        raise ValueError(f"{feed.path}: a feed lists at least one article")
    language = feed.locale.code

    def href(name: str) -> str:
        return escape(f"{base_url}{language}/{name}" if base_url else name, feed.path)

    updated = max(entry.published for entry in feed.entries)
    # Escaped before the id is made of it: a text XML cannot carry is refused, not hashed.
    title = escape(feed.title, f"{language}/index.html")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM}" xml:lang="{escape(language, feed.path)}">',
        f"  <id>{feed_id(language, feed.title)}</id>",
        f"  <title>{title}</title>",
        f"  <updated>{updated.isoformat()}{NOON_UTC}</updated>",
        f'  <link rel="self" type="application/atom+xml" href="{href(FEED_NAME)}"/>',
        f'  <link rel="alternate" type="text/html" hreflang="{language}" href="{href("index.html")}"/>',
        "  <generator>pipeline</generator>",
    ]
    hreflang = f'hreflang="{escape(language, feed.path)}"'
    for entry in feed.entries:
        when = f"{entry.published.isoformat()}{NOON_UTC}"
        lines += [
            "  <entry>",
            f"    <id>{entry_id(language, entry.slug, entry.published)}</id>",
            f"    <title>{escape(entry.headline, entry.source)}</title>",
            *([f"    <summary>{escape(entry.standfirst, entry.source)}</summary>"] if entry.standfirst else []),
            f"    <published>{when}</published>",
            f"    <updated>{when}</updated>",
            f"    <author><name>{escape(entry.author, entry.source)}</name></author>",
            f'    <link rel="alternate" type="text/html" {hreflang} href="{href(entry.slug + ".html")}"/>',
            f'    <link rel="alternate" type="application/pdf" {hreflang} href="{href(entry.slug + ".pdf")}"/>',
            "  </entry>",
        ]
    return "\n".join([*lines, "</feed>", ""])


def sitemap_xml(pages: Sequence[SitemapPage], base_url: str) -> str:
    """The sitemap of `pages`, each at its absolute address under `base_url` (which ends in "/")."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<urlset xmlns="{SITEMAP}" xmlns:xhtml="{XHTML}">',
    ]
    for page in pages:
        lines += ["  <url>", f"    <loc>{escape(base_url + page.path, SITEMAP_NAME)}</loc>"]
        for hreflang, path in page.alternates:
            link = f'hreflang="{escape(hreflang, SITEMAP_NAME)}" href="{escape(base_url + path, SITEMAP_NAME)}"'
            lines.append(f'    <xhtml:link rel="alternate" {link}/>')
        lines.append("  </url>")
    return "\n".join([*lines, "</urlset>", ""])


def escape(text: str, source: str) -> str:
    """`text` as XML character data or attribute value; refused if XML 1.0 cannot carry it."""
    illegal = _XML_ILLEGAL.search(text)
    if illegal is not None:
        raise UserError.single(
            f"{source} holds U+{ord(illegal[0]):04X}, a character XML 1.0 cannot carry, so no feed or sitemap "
            "can list it; remove it from the template, translation or fact it comes from",
            "feed.character",
        )
    escaped = "".join(_ENTITIES.get(char, char) for char in text)
    if escaped.isascii() and escaped.isprintable():
        return escaped
    return "".join(_character(char) for char in escaped)


def _character(char: str) -> str:
    # Tab and line breaks too: an attribute's would be read back as spaces, a carriage return as a newline.
    if char in "\t\n\r" or unicodedata.category(char) in _INVISIBLE:
        return f"&#x{ord(char):X};"
    return char
