"""The Atom feeds and the sitemap, as text: well-formed, complete, escaped, and in step with the pages.

No schema validator is installed (lxml, xmlschema) and nothing may be fetched
while testing, so the rules are checked one by one: RFC 4287's required
elements and cardinalities for Atom, sitemaps.org 0.9's structure and
Google's hreflang extension for the sitemap.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline.build.editions import Rendered, render_project
from pipeline.config import LocaleConfig
from pipeline.errors import UserError
from pipeline.facts import INDEX_SLUG
from pipeline.render.feeds import Feed, FeedEntry, SitemapPage, atom_feed, language_feeds, sitemap_pages, sitemap_xml
from tests.conftest import ROOT

A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
BASE = "https://news.example.org/briefings/"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")
HOSTILE = 'Tom & "Jerry" </title><script>x</script> ]]> it\'s \u202eevil\u202c \u200b \ue000 \x85 \u2028 \t\r\n end'


@pytest.fixture(scope="module")
def sample() -> Rendered:
    return render_project(ROOT)


def one(parent: ET.Element, tag: str) -> ET.Element:
    found = parent.findall(tag)
    assert len(found) == 1, f"{len(found)} {tag} in {parent.tag}"
    return found[0]


def check_atom(text: str) -> ET.Element:
    """RFC 4287's MUSTs a program can check, and the SHOULDs this pipeline keeps."""
    feed = ET.fromstring(text.encode("utf-8"))
    assert feed.tag == f"{A}feed"
    for element in (feed, *feed.findall(f"{A}entry")):
        for tag in ("id", "title", "updated"):
            one(element, f"{A}{tag}")
        assert uuid.UUID(one(element, f"{A}id").text or "").version == 5
        for tag in ("updated", "published"):
            for date in element.findall(f"{A}{tag}"):
                assert RFC3339.fullmatch(date.text or ""), date.text
        alternates = [
            (link.get("type"), link.get("hreflang")) for link in element.findall(f"{A}link[@rel='alternate']")
        ]
        assert len(alternates) == len(set(alternates)), "two alternate links of one type and language"
        assert all(link.get("href") for link in element.findall(f"{A}link"))
    entries = feed.findall(f"{A}entry")
    assert entries, "a feed lists at least one article"
    for entry in entries:
        # No feed-level author: every entry must have its own, with a name.
        assert one(one(entry, f"{A}author"), f"{A}name").text
        assert entry.find(f"{A}link[@rel='alternate']") is not None
    assert len({one(entry, f"{A}id").text for entry in entries}) == len(entries)
    assert one(feed, f"{A}link[@rel='self']").get("type") == "application/atom+xml"
    newest = max(one(entry, f"{A}updated").text or "" for entry in entries)
    assert one(feed, f"{A}updated").text == newest
    return feed


def test_each_language_has_a_valid_feed_of_its_articles_in_the_index_order(sample: Rendered) -> None:
    made = language_feeds(sample.config, sample.base, sample.editions)
    assert [feed.path for feed in made] == ["en/feed.atom", "id/feed.atom"]
    for feed in made:
        root = check_atom(atom_feed(feed, None))
        language = feed.locale.code
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
        index = next(e for e in sample.editions if e.folder == language and e.slug == INDEX_SLUG)
        listed = re.findall(r'<a href="([a-z0-9-]+)\.html"[^>]*>', index.html.split("<main>")[1])
        links = [one(entry, f"{A}link[@type='text/html']").get("href") for entry in root.findall(f"{A}entry")]
        assert links == list(dict.fromkeys(f"{slug}.html" for slug in listed))
    english = check_atom(atom_feed(made[0], None))
    first = english.findall(f"{A}entry")[0]
    assert (
        one(first, f"{A}title").text == "The fall of Islamic State’s “caliphate”: the war in Iraq and Syria explained"
    )
    assert (one(first, f"{A}summary").text or "").startswith("The US-led coalition says Islamic State")
    assert one(first, f"{A}published").text == "2018-03-29T12:00:00Z"
    pdf = one(first, f"{A}link[@type='application/pdf']")
    assert (pdf.get("rel"), pdf.get("hreflang"), pdf.get("href")) == ("alternate", "en", "iraq-syria-crisis.pdf")


def test_with_a_base_url_every_link_is_absolute_and_no_id_changes(sample: Rendered) -> None:
    feed = language_feeds(sample.config, sample.base, sample.editions)[1]
    relative, absolute = check_atom(atom_feed(feed, None)), check_atom(atom_feed(feed, BASE))
    hrefs = [link.get("href") or "" for link in absolute.iter(f"{A}link")]
    assert hrefs[0] == BASE + "id/feed.atom" and all(href.startswith(BASE + "id/") for href in hrefs)
    # A reader keeps ids for good: setting a site address later must not make every story new.
    assert [e.text for e in relative.iter(f"{A}id")] == [e.text for e in absolute.iter(f"{A}id")]


def test_ids_and_dates_follow_the_article_not_the_clock_or_the_words(sample: Rendered) -> None:
    feed = language_feeds(sample.config, sample.base, sample.editions)[0]
    assert atom_feed(feed, None) == atom_feed(language_feeds(sample.config, sample.base, sample.editions)[0], None)
    first = feed.entries[0]
    retitled = dataclasses.replace(feed, entries=(dataclasses.replace(first, headline="New words"),))
    moved = dataclasses.replace(feed, entries=(dataclasses.replace(first, slug="elsewhere"),))
    feed = dataclasses.replace(feed, entries=(first,))
    ids = [one(check_atom(atom_feed(f, None)), f"{A}entry/{A}id").text for f in (feed, retitled, moved)]
    assert ids[0] == ids[1] != ids[2]


def entry(headline: str, author: str = "Desk") -> FeedEntry:
    return FeedEntry("story", headline, headline, datetime.date(2020, 2, 29), author, "en/story.html")


def hostile_feed(headline: str, author: str = "Desk", title: str = "Briefings") -> Feed:
    return Feed(LocaleConfig("en", "en_GB"), title, (entry(headline, author),))


def test_hostile_text_reads_back_exactly_and_cannot_add_markup() -> None:
    text = atom_feed(hostile_feed(HOSTILE, HOSTILE, HOSTILE), 'https://x.org/a"b&c/')
    root = check_atom(text)
    for found in (one(root, f"{A}title"), *root.iter(f"{A}summary"), *root.iter(f"{A}name")):
        assert found.text == HOSTILE
    assert [element.tag for element in root.iter() if "script" in element.tag] == []
    assert one(root, f"{A}link[@rel='self']").get("href") == 'https://x.org/a"b&c/en/feed.atom'
    # Invisible characters are written as references, so the source shows them.
    assert "\u202e" not in text and "&#x202E;" in text and "&#xE000;" in text and "&#x85;" in text
    assert "]]>" not in text


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b", "\ufffe", "\uffff", "\ud800"])
def test_a_character_xml_cannot_carry_is_refused_naming_the_page(character: str) -> None:
    with pytest.raises(UserError) as caught:
        atom_feed(hostile_feed(f"bad{character}one"), None)
    (line,) = [str(d) for d in caught.value.diagnostics]
    assert line == (
        f"error: en/story.html holds U+{ord(character):04X}, a character XML 1.0 cannot carry, so no feed or "
        "sitemap can list it; remove it from the template, translation or fact it comes from [feed.character]"
    )


def test_the_sitemap_lists_every_page_with_the_alternates_its_head_declares(sample: Rendered) -> None:
    text = sitemap_xml(sitemap_pages(sample.config, sample.editions), BASE)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{SM}urlset" and len(text.encode("utf-8")) < 50 * 2**20
    urls = root.findall(f"{SM}url")
    assert 0 < len(urls) <= 50_000 and all(child.tag == f"{SM}url" for child in root)
    pages = {f"{e.folder}/{e.slug}.html": e.html for e in sample.editions}
    listed = []
    for url in urls:
        loc = url[0]
        assert loc.tag == f"{SM}loc" and len(url.findall(f"{SM}loc")) == 1
        assert (loc.text or "").startswith(BASE) and len(loc.text or "") <= 2048
        assert all(child.tag == f"{XHTML}link" for child in url[1:])
        path = (loc.text or "")[len(BASE) :]
        listed.append(path)
        declared = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="\.\./([^"]+)">', pages[path])
        alternates = [(link.get("rel"), link.get("hreflang"), link.get("href")) for link in url[1:]]
        assert alternates == [("alternate", lang, BASE + href) for lang, href in declared]
        if not path.startswith("bilingual/"):
            # Google's rule: a language edition lists itself among its alternates.
            assert BASE + path in [href for _, _, href in alternates]
    assert sorted(listed) == sorted(pages)
    assert "x-default" not in text and not any("x-default" in html for html in pages.values())


def test_the_sitemap_escapes_what_its_addresses_hold() -> None:
    page = SitemapPage("en/a&b.html", (("en", "en/a&b.html"),))
    text = sitemap_xml([page], 'https://x.org/"q"&/')
    url = one(ET.fromstring(text.encode("utf-8")), f"{SM}url")
    assert one(url, f"{SM}loc").text == 'https://x.org/"q"&/en/a&b.html'
    assert one(url, f"{XHTML}link").get("href") == 'https://x.org/"q"&/en/a&b.html'


def test_every_page_links_the_feed_of_its_language(sample: Rendered) -> None:
    for edition in sample.editions:
        head = edition.html.split("</head>")[0]
        feeds = re.findall(
            r'<link rel="alternate" type="application/atom\+xml" hreflang="(\w+)" title="([^"]+)" href="([^"]+)">', head
        )
        languages = ["en", "id"] if edition.folder == "bilingual" else [edition.folder]
        assert [(lang, href) for lang, _, href in feeds] == [(lang, f"../{lang}/feed.atom") for lang in languages]
        assert all(title.strip() for _, title, _ in feeds)


def test_no_index_page_means_no_feed(minimal_rendered: Rendered) -> None:
    assert language_feeds(minimal_rendered.config, minimal_rendered.base, minimal_rendered.editions) == []
    assert "application/atom+xml" not in minimal_rendered.editions[0].html


@pytest.fixture
def minimal_rendered(minimal) -> Rendered:  # type: ignore[no-untyped-def]
    return render_project(Path(minimal.root))


def test_the_feed_is_as_new_as_its_newest_entry_in_whatever_order() -> None:
    dates = [datetime.date(2021, 6, 30), datetime.date(2019, 1, 1), datetime.date(2020, 2, 29)]
    entries = tuple(dataclasses.replace(entry("x"), slug=f"s{n}", published=date) for n, date in enumerate(dates))
    for order in (entries, entries[::-1]):
        root = check_atom(atom_feed(dataclasses.replace(hostile_feed("x"), entries=order), None))
        assert one(root, f"{A}updated").text == "2021-06-30T12:00:00Z"
