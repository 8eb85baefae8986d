"""The title block the index lists: read once at render time, the same as html.parser reads it."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest

from pipeline.render import title_block
from pipeline.render.renderer import RenderedArticle
from pipeline.render.title_block import TitleBlock, TitleBlockReader, read_title_block
from tests.conftest import Project, render_with

EXPECTED = Path(__file__).resolve().parent.parent / "expected"


def by_html_parser(html: str) -> TitleBlock:
    reader = TitleBlockReader.read(html)
    return TitleBlock(reader.headline, reader.standfirst)


def test_the_scanner_reads_every_expected_page_without_html_parser() -> None:
    pages = sorted(EXPECTED.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        scanned = title_block._scan(html)
        assert scanned is not None, page
        assert scanned == by_html_parser(html), page


PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>T</title>\n<style>\n@page { content: "a"; }\n</style>\n'
    '</head>\n<body>\n<header class="title-block">\n<h1>Retaking <span class="fig">Mosul</span></h1>\n'
    '<p class="standfirst">IS was <em>driven</em> out &amp; more.</p>\n</header>\n<p>Body</p>\n</body>\n</html>\n'
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("", ""),
        ("<title>T</title>", "<title>T <h1>not this</h1></title>"),
        ("<title>T</title>", "<!-- <h1>not this</h1> -->"),
        ("<title>T</title>", "<script>document.write('<h1>x</h1>')</script>"),
        ("<title>T</title>", "<script>a < b</script>"),
        ("<title>T</title>", "<SCRIPT>x</SCRIPT >"),
        ("<title>T</title>", "<style>p { content: '</style'; }</style>"),
        ("<title>T</title>", "<textarea><h1>x</h1></textarea>"),
        ("<title>T</title>", "<plaintext><h1>x</h1>"),
        ("<title>T</title>", "<?php echo '<h1>'; ?>"),
        ("<title>T</title>", "<![CDATA[<h1>x</h1>]]>"),
        ("<title>T</title>", "<h1/>"),
        ("<title>T</title>", "<br/>"),
        ("<title>T</title>", "&#x; <h1>early</h1>"),
        ("<title>T</title>", "&#1a; &amp &unknown-entity; &#X41;"),
        ("<title>T</title>", "a < b > c"),
        ("<title>T</title>", "<a href=x class=standfirst>unquoted</a>"),
        ("<title>T</title>", "<a class='standfirst'>single-quoted</a>"),
        ("<title>T</title>", '<a class="stand&#102;irst">by reference</a>'),
        ("<title>T</title>", '<a class="lead standfirst" class="other">duplicate</a>'),
        ("<title>T</title>", '<a CLASS="standfirst">capitals</a>'),
        ("<title>T</title>", '<a class="x\u00a0standfirst">non-breaking space</a>'),
        ("<title>T</title>", '<a class\n=\n"standfirst">spaces</a>'),
        ("<title>T</title>", '<a class="standfirst"class="x">no space</a>'),
        ("<title>T</title>", '<a\u2003class="standfirst">em space</a>'),
        ("<title>T</title>", '<a title="x>y" class="standfirst">quoted ></a>'),
        ("<h1>", "<H1 >"),
        ("</h1>", "</H1>"),
        ("</h1>", "</h1 >"),
        ("<h1>", "<h1><h1>"),
        ("<h1>", '<h1 class="standfirst">'),
        ('<p class="standfirst">', '<p class="standfirst"><p class="standfirst">'),
        ('<p class="standfirst">', "<p>"),
        ("<h1>", "<h2>"),
        ("</h1>", ""),
        ("\n", "\r\n"),
        ("\n", "\u2028"),
        ("</p>\n</header>", "</p\n>"),
    ],
)
def test_the_scanner_and_html_parser_agree(old: str, new: str) -> None:
    html = PAGE.replace(old, new, 1) if old else PAGE
    assert read_title_block(html) == by_html_parser(html)


# Pages of the plain HTML the scanner reads, salted with what only html.parser reads.
PLAIN = [
    "<h1>", "</h1>", "<H1>", "<h1 >", "<p>", "</p>", '<p class="standfirst">', '<div class="standfirst lead">',
    "</div>", "<span>", "</span>", '<span class="fig" data-fact="x">', "<em>", "</em>", "<br>",
    "<title>A &amp; B</title>",
    "<style>p { content: '>'; }</style>", "<script>x = 1 > 0</script>", "<!DOCTYPE html>", "&amp;", "&#39;",
    "&#x27;", ">", '"', "'", "=", " ", "\n", "text", "Mosul", '<a href="x">', "</a>", '<a class="standfirst">', "é",
    '<p class="standfirst x" data-x="&lt;h1&gt;">', '<P CLASS="standfirst">', '<i class="">', "<sup hidden>",
]  # fmt: skip
SALT = [
    "<!--", "-->", "<!doctype html>", "<?x?>", "<![CDATA[", "]]>", "&#x;", "&#", "&", "&nbsp", "<", "\r", "\t",
    "\u2028", "</", "<a href=x>", "<p/>", "<h1/>", "<br/>", "\x00", "<textarea>", "</textarea>", "<plaintext>",
    '<a class="stand&#102;irst">', "</h1 >", "<h1\t>", "<title>", "<style>", "</script>", "<script>a<b",
]  # fmt: skip


def random_page(rng: random.Random) -> str:
    def run() -> str:
        return "".join(rng.choice(SALT if rng.random() < 0.02 else PLAIN) for _ in range(rng.randint(0, 8)))

    headline = ["<h1>", run(), "</h1>"]
    standfirst = ['<p class="standfirst">', run(), "</p>"]
    if rng.random() < 0.1:
        standfirst.reverse()  # closed before it opens
    blocks = [headline, standfirst]
    rng.shuffle(blocks)
    return run() + "".join(blocks[0]) + run() + "".join(blocks[1]) + run()


@pytest.mark.parametrize("seed", range(4))
def test_the_scanner_and_html_parser_agree_on_random_pages(seed: int) -> None:
    rng = random.Random(seed)
    scanned = 0
    for _ in range(1500):
        html = random_page(rng)
        scanned += title_block._scan(html) is not None
        assert read_title_block(html) == by_html_parser(html), repr(html)
    assert scanned > 150  # the scanner read a good share itself, not html.parser


def test_editions_carry_their_title_block_as_plain_data(minimal: Project) -> None:
    (english, indonesian), findings = render_with(minimal, {})
    assert findings == []
    for edition in (english, indonesian):
        assert edition.titles is not None
        assert edition.titles == by_html_parser(edition.html)
        # Small enough to keep in a manifest beside a reused page.
        stored = json.loads(json.dumps(dataclasses.asdict(edition.titles)))
        assert TitleBlock(**stored) == edition.titles
    assert english.titles == TitleBlock("A short story", None)


def test_an_edition_without_its_title_block_reads_it_from_its_html(minimal: Project) -> None:
    (english, _), _ = render_with(minimal, {})
    rebuilt = RenderedArticle(english.slug, english.locale, english.html, english.cited)
    assert rebuilt.titles is None
    assert rebuilt.title_block() == english.titles
