"""The index page of every edition: each article listed in that edition's language, linked, and checked."""

from __future__ import annotations

import html
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.config import load_config
from pipeline.errors import UserError
from pipeline.facts.load import load_facts
from tests.conftest import Project
from tests.render.title_reading import TitleBlockReader

EDITIONS = ("en", "id", "bilingual")
ARTICLES = [
    "iraq-syria-crisis",
    "brief-mosul",
    "brief-raqqa",
    "brief-ramadi",
    "brief-deir-al-zour",
    "brief-al-qaim",
]


class Page(HTMLParser):
    """The parts of a built page these tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.entries: list[dict[str, str]] = []
        self.switch: list[tuple[str, str]] = []
        self.current: list[str] = []
        self._stack: list[str] = []
        self._in_switch = False
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag in ("a", "link") and "href" in attributes:
            self.links.append(attributes["href"])
        if tag == "nav" and "language-switch" in attributes.get("class", ""):
            self._in_switch = True
        if self._in_switch and tag == "a":
            self.switch.append((attributes["href"], attributes.get("hreflang", "")))
        if self._in_switch and "aria-current" in attributes:
            self.current.append(attributes["aria-current"])
        if tag == "li" and "article-entry" in attributes.get("class", ""):
            self.entries.append({})
        if self.entries and tag == "a" and tag not in self._stack and not self._in_switch:
            self.entries[-1].setdefault("href", attributes["href"])
        if tag == "time" and self.entries:
            self.entries[-1]["datetime"] = attributes["datetime"]
            self._text = []
        if tag == "h2" and self.entries:
            self._text = []
        self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_switch = False
        if tag == "time" and self.entries:
            self.entries[-1]["date"] = "".join(self._text)
        if tag == "h2" and self.entries:
            self.entries[-1]["headline"] = " ".join("".join(self._text).split())
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def page(project: Project, relative: str) -> Page:
    return Page((project.out / relative).read_text(encoding="utf-8"))


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_index_lists_every_article_with_its_date_and_link(sample_build: Project, edition: str) -> None:
    index = page(sample_build, f"{edition}/index.html")
    assert [entry["href"] for entry in index.entries] == [f"{slug}.html" for slug in ARTICLES]
    assert {entry["datetime"] for entry in index.entries} == {"2018-03-29"}


def test_the_index_speaks_its_editions_language(sample_build: Project) -> None:
    english = page(sample_build, "en/index.html").entries
    indonesian = page(sample_build, "id/index.html").entries
    assert [entry["date"] for entry in english] == ["29 March 2018"] * 6
    assert [entry["date"] for entry in indonesian] == ["29 Maret 2018"] * 6
    assert [entry["headline"] for entry in english][1:] == [
        "Retaking Mosul",
        "Retaking Raqqa",
        "Retaking Ramadi",
        "Retaking Deir al-Zour",
        "Retaking al-Qaim",
    ]
    assert indonesian[1]["headline"] == "Merebut kembali Mosul"
    # Each headline is the article's own, as its page shows it.
    for entry in indonesian:
        headline = TitleBlockReader.read((sample_build.out / "id" / entry["href"]).read_text()).headline
        assert headline is not None and " ".join(html.unescape(headline).split()) == entry["headline"]


def test_the_bilingual_index_gives_both_dates(sample_build: Project) -> None:
    html = (sample_build.out / "bilingual" / "index.html").read_text()
    assert '<span class="lang-en" lang="en"><time class="fig" datetime="2018-03-29">29 March 2018</time></span>' in html
    assert '<span class="lang-id" lang="id"><time class="fig" datetime="2018-03-29">29 Maret 2018</time></span>' in html


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_index_has_the_language_switch(sample_build: Project, edition: str) -> None:
    index = page(sample_build, f"{edition}/index.html")
    others = [code for code in ("en", "id") if code != edition]
    expected = [(f"../{code}/index.html", code) for code in others]
    if edition != "bilingual":
        expected.append(("../bilingual/index.html", ""))
    assert index.switch == expected
    assert index.current == ["page"]


def test_every_link_of_every_built_page_resolves(sample_build: Project) -> None:
    pages = sorted(sample_build.out.glob("*/*.html"))
    assert len(pages) == 3 * (len(ARTICLES) + 1)
    for built in pages:
        links = Page(built.read_text(encoding="utf-8")).links
        # Every article leads back to the index of its edition.
        assert "index.html" in links or built.name == "index.html", built
        for href in links:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https") or not parts.path:
                continue  # the web, or a note on the same page
            assert (built.parent / parts.path).resolve().is_file(), f"{built.name}: {href}"


def test_the_index_is_held_to_the_figure_check(sample_build: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(sample_build.out, out)
    index = out / "id" / "index.html"
    html = index.read_text()
    index.write_text(html.replace('data-fact="raqqa_captured">Oktober 2017<', 'data-fact="raqqa_captured">Mei 2017<'))
    result = sample_build.run("check", "--out", out)
    assert result.code == 1
    edited = "ISIS terusir dari Raqqa pada Mei 2017."
    assert result.err.splitlines() == [
        f'{out}/id/index.html: error: "Mei 2017" should read "Oktober 2017" (raqqa_captured): "{edited}" '
        "[check.fact-value]",
        f'{out}/bilingual/index.html: error: the Indonesian column lacks "Mei 2017" of the Indonesian edition: '
        f'"{edited}" [check.bilingual]',
        f'{out}/bilingual/index.html: error: the Indonesian column has "Oktober 2017", which the Indonesian '
        'edition does not: "ISIS terusir dari Raqqa pada Oktober 2017." [check.bilingual]',
        f'{out}/id/index.html: error: English "October 2017" differs from Indonesian "Mei 2017": '
        f'English: "IS was driven out of Raqqa in October 2017." / Indonesian: "{edited}" [check.differs]',
        f'{out}/id/index.pdf: error: Indonesian PDF lacks "Mei 2017" of its HTML: "{edited}" [check.pdf]',
        f'{out}/id/index.pdf: error: Indonesian PDF has "Oktober 2017", which its HTML does not: '
        '"ISIS terusir dari Raqqa pada Oktober 2017." [check.pdf]',
    ]


def test_a_missing_index_page_is_named(sample_build: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(sample_build.out, out)
    (out / "id" / "index.html").unlink()
    result = sample_build.run("check", "--out", out)
    assert (result.code, result.err) == (
        2,
        f"{out}/id/index.html: error: missing: run 'pipeline build' first [check.missing-output]\n",
    )


def test_a_project_without_an_index_template_publishes_none(minimal: Project) -> None:
    result = minimal.build()
    assert result.code == 0, result.err
    assert sorted(path.name for path in (minimal.out / "en").iterdir()) == [
        "story.figures.csv",
        "story.figures.json",
        "story.html",
        "story.pdf",
    ]


def test_an_article_may_not_take_the_index_pages_name(minimal: Project) -> None:
    minimal.replace("facts/story.yaml", "slug: story", "slug: index")
    with pytest.raises(UserError) as caught:
        load_facts(load_config(minimal.root))
    assert [str(diagnostic) for diagnostic in caught.value.diagnostics] == [
        "facts/story.yaml:25: error: article.slug: slug 'index' is taken by the index page [facts.invalid]"
    ]


def test_an_article_without_a_headline_cannot_be_listed(minimal: Project) -> None:
    minimal.write("templates/index.html", "{% for entry in entries %}{{ entry.headline }}{% endfor %}\n")
    minimal.replace(
        "templates/articles/story.html",
        "{% block headline %}{% trans %}A short story{% endtrans %}{% endblock %}",
        "{% block headline %} {% endblock %}",
    )
    result = minimal.build()
    assert result.code == 2
    assert result.err.splitlines()[-1] == (
        "facts/story.yaml:24: error: article 'story' has no headline for the index page to list "
        "(its template's headline block is missing or empty) [index.headline]"
    )


def test_the_title_block_reader_returns_inner_html_exactly() -> None:
    html = (
        "<html><head><title>Not this</title></head><body>\n<p>Before\u2028the title</p>\n"
        '<h1>Retaking <span class="fig" data-fact="x">Mosul &amp; <em>more</em></span></h1>\n'
        '<div class="standfirst lead"><div>Nested</div> and\nafter</div>\n<h1>A second title</h1>\n'
    )
    parts = TitleBlockReader.read(html)
    assert parts.headline == 'Retaking <span class="fig" data-fact="x">Mosul &amp; <em>more</em></span>'
    assert parts.standfirst == "<div>Nested</div> and\nafter"
