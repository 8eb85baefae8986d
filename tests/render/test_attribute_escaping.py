"""A translation or a fact's text is inert wherever it lands: element text, attribute values,
<meta> content, <title>, SVG text, the PDF's running header and its metadata.

Attribute values are where a quote ends the value: a msgstr such as
`Bahasa" autofocus onfocus="alert(document.domain)` must reach the reader
as that text, never as an event handler.  Every page is read back with an
HTML parser and compared with the page a harmless text in the same places
gives: the hostile text may change what the page says, never which elements
and attributes it has.
"""

from __future__ import annotations

import gettext
import json
import re
from collections import Counter
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2
import pytest
import tinycss2

from pipeline.config import load_config
from pipeline.facts.load import load_facts
from pipeline.i18n.lint import placeholders
from pipeline.i18n.markup import sanitize_translation
from pipeline.render.index import render_bilingual_index, render_index
from pipeline.render.renderer import RenderedArticle, Renderer
from tests.conftest import PO, ROOT, OverriddenTranslations, Project, copy_project
from tests.render.test_security_templates import (
    HOSTILE_AUTHOR,
    HOSTILE_PUBLISHER,
    HOSTILE_TITLE,
    Document,
    assert_inert,
)

ARTICLES = ("iraq-syria-crisis", "brief-mosul")
PAGES = tuple(f"{folder}/{slug}.html" for folder in ("en", "id", "bilingual") for slug in (*ARTICLES, "index"))

# No digits (a digit typed into a translation is refused as a figure) and no
# commas (WeasyPrint splits keywords at commas).
BREAKOUT = (
    '"><script>alert(document.domain)</script><img src=x onerror=alert(document.domain)>'
    "' onmouseover='alert(document.domain)"
)
# The control: a text that differs from the English in the same places, without the breakout.
HARMLESS = "Teks terjemahan"
# What the catalog check lets through: no tags, only quotes.
NAVIGATION = 'Bahasa" autofocus onfocus="alert(document.domain)'
KEYWORDS = 'Negara Islam" http-equiv="refresh" content="x;url=javascript:alert(document.domain)'
# What would end the JSON-LD's <script> element, or its string, or reorder the page's source.
HEADLINE_MSGID = "The fall of Islamic State’s “caliphate”: the war in Iraq and Syria explained"
SCRIPT_BREAKOUT = (
    '</script><script>alert(document.domain)</script><!-- "}, "@type": "Person", "x": "'
    " \u003c/script\u003e \u2028   ‮evil‬ &lt;/script&gt; -->"
)
PLACE = "Mosul' onmouseover='alert(document.domain)' data-x=\"y"

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class Translations(OverriddenTranslations):
    """The project's catalog with msgstrs replaced by (msgctxt, msgid), or all of them."""

    def __init__(
        self, po_path: Path, overrides: dict[tuple[str | None, str], str] | None = None, everywhere: str | None = None
    ) -> None:
        super().__init__(po_path, {})
        if everywhere is not None:
            for key, found in self.table.items():
                # The msgid's placeholders follow the text, so every sentence still finds its values.
                text = " ".join([everywhere] + [f"%({name}){kind}" for name, kind in placeholders(key[1])])
                self.table[key] = [text] * len(found) if isinstance(found, tuple | list) else text
        self.table.update(overrides or {})


class Texts(HTMLParser):
    """The text of a page, by the name of the element that holds it."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.by_tag: dict[str, list[str]] = {}
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if self.open and data.strip():
            self.by_tag.setdefault(self.open[-1], []).append(" ".join(data.split()))

    def __getitem__(self, tag: str) -> list[str]:
        return self.by_tag.get(tag, [])


MAP_LAYOUT = frozenset({"text", "tspan", "line"})
LAYOUT_ATTRIBUTES = frozenset(
    {"x", "y", "x1", "x2", "y1", "y2", "dy", "fill", "stroke", "stroke-width", "font-size", "font-weight"}
    | {"text-anchor", "id", "class", "lang", "data-fact", "data-datetime", "data-period"}
)


def shape(page: Document) -> Counter[tuple[str, frozenset[str]]]:
    """Which elements a page has, each with the names of its attributes (a translation may reorder them)."""
    return Counter((tag, frozenset(attributes)) for tag, attributes in page.elements)


def render_pages(project: Project, translations: gettext.NullTranslations) -> dict[str, str]:
    """Both articles and the index in every edition, rendered in memory without the catalog check."""
    config = load_config(project.root)
    base = load_facts(config)
    renderer = Renderer(config, base)
    english, indonesian = config.locales
    environments = {
        english.code: renderer.environment(english, gettext.NullTranslations()),
        indonesian.code: renderer.environment(indonesian, translations),
    }
    editions: list[RenderedArticle] = []
    for slug in ARTICLES:
        article = base.articles[slug]
        editions += [renderer.render(article, locale, environments[locale.code]) for locale in config.locales]
        editions.append(renderer.render_bilingual(article, indonesian, translations))
    for locale in config.locales:
        editions += render_index(renderer, locale, environments[locale.code], editions)
    editions += render_bilingual_index(renderer, indonesian, translations, None, editions)
    return {f"{edition.folder}/{edition.slug}.html": edition.html for edition in editions}


def attribute(page: Document, tag: str, wanted: str, **where: str) -> list[str | None]:
    return [
        attributes.get(wanted)
        for attributes in page.tags(tag)
        if all(attributes.get(key.replace("_", "-")) == value for key, value in where.items())
    ]


def head_title(html: str) -> str:
    # <title> holds text only (RCDATA): what a browser shows is the text with references resolved.
    found = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    assert found is not None
    return " ".join(unescape(found.group(1)).split())


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return copy_project(ROOT, tmp_path_factory.mktemp("sample") / "project")


@pytest.fixture(scope="module")
def unchanged(sample: Project) -> dict[str, str]:
    return render_pages(sample, Translations(sample.path(PO)))


def assert_same_shape(pages: dict[str, str], control: dict[str, str]) -> None:
    for name in PAGES:
        page = Document(pages[name])
        assert_inert(page)
        ours, theirs = shape(page), shape(Document(control[name]))
        # The map places labels by their measured width: another text may take
        # more or fewer label lines and leader lines, with only drawing attributes.
        laid_out = {part for part in ours | theirs if part[0] in MAP_LAYOUT}
        assert all(attributes <= LAYOUT_ATTRIBUTES for _, attributes in laid_out), (name, laid_out)
        assert {p: n for p, n in ours.items() if p not in laid_out} == {
            p: n for p, n in theirs.items() if p not in laid_out
        }, name


def test_a_sanitized_translation_is_safe_in_a_quoted_attribute() -> None:
    text = BREAKOUT + " and \"quotes\" & 'apostrophes'"
    markup = sanitize_translation(text)
    page = Document(f"<p title=\"{markup}\" data-x='{markup}'>{markup}</p>")
    assert page.elements == [("p", {"title": text, "data-x": text})]
    assert page.visible_text() == text


def test_no_translation_breaks_out_of_any_attribute_title_or_svg(sample: Project) -> None:
    pages = render_pages(sample, Translations(sample.path(PO), everywhere=BREAKOUT))
    # A translation that differs from the English gets a line per language in a chart: so does the control.
    assert_same_shape(pages, render_pages(sample, Translations(sample.path(PO), everywhere=HARMLESS)))
    for folder, english in (("id", ""), ("bilingual", "Language / ")):
        for slug in (*ARTICLES, "index"):
            html = pages[f"{folder}/{slug}.html"]
            page, texts = Document(html), Texts(html)
            # The reader (and a screen reader) gets what the translator typed, as text.
            assert attribute(page, "nav", "aria-label") == [english + BREAKOUT]
            assert BREAKOUT in head_title(html)
            assert BREAKOUT in (attribute(page, "meta", "content", name="description")[0] or "")
            if slug != "index":
                assert BREAKOUT in (attribute(page, "meta", "content", name="keywords")[0] or "")
                # Chart and map titles, descriptions and labels are SVG text.
                for tag in ("title", "desc", "text"):
                    assert [text for text in texts[tag] if BREAKOUT in text], (folder, slug, tag)
            assert BREAKOUT in page.visible_text()
            # The structured data carries it as a string, in the page's one script element.
            [data] = page.json_ld()
            if slug != "index":
                assert BREAKOUT in data["headline"]
                assert BREAKOUT in data["description"]


def test_a_hostile_headline_is_exactly_the_structured_datas_headline(
    sample: Project, unchanged: dict[str, str]
) -> None:
    pages = render_pages(sample, Translations(sample.path(PO), {(None, HEADLINE_MSGID): SCRIPT_BREAKOUT}))
    assert_same_shape(pages, unchanged)
    english = " ".join(HEADLINE_MSGID.split())
    for name, expected in (
        ("id/iraq-syria-crisis.html", SCRIPT_BREAKOUT),
        ("bilingual/iraq-syria-crisis.html", f"{english} / {SCRIPT_BREAKOUT}"),
    ):
        page = Document(pages[name])
        [data] = page.json_ld()
        # As the reader's <h1> reads it: white space (U+2028 included) collapsed, nothing else changed.
        assert data["headline"] == " ".join(expected.split()), name
        assert data["@type"] == "NewsArticle"
        assert "Person" not in json.dumps(data["author"])
        [script] = page.scripts
        assert not {"<", ">", "&", "\u2028", "\u202e"} & set(script), name
    # The index lists the article by that headline too; its own structured data holds only links.
    assert " ".join(SCRIPT_BREAKOUT.split()) in Document(pages["id/index.html"]).visible_text()


def test_inline_markup_of_a_translation_is_plain_text_in_an_attribute(sample: Project) -> None:
    keywords = ("keywords of the PDF, separated by commas", "Islamic State, Iraq, Syria, city brief")
    overrides: dict[tuple[str | None, str], str] = {
        ("navigation label", "Language"): "<em>Bahasa</em>",
        keywords: "<strong>Negara Islam</strong>, ISIS",
        ("place name", "Mosul"): "<em>Mosul</em>",
    }
    pages = render_pages(sample, Translations(sample.path(PO), overrides))
    page = Document(pages["id/brief-mosul.html"])
    assert attribute(page, "nav", "aria-label") == ["Bahasa"]
    assert attribute(page, "meta", "content", name="keywords") == ["Negara Islam, ISIS, Mosul"]
    assert head_title(pages["id/brief-mosul.html"]) == "Merebut kembali Mosul"
    bilingual = Document(pages["bilingual/brief-mosul.html"])
    assert attribute(bilingual, "nav", "aria-label") == ["Language / Bahasa"]
    assert attribute(bilingual, "meta", "content", name="keywords") == [
        "Islamic State, Iraq, Syria, city brief / Negara Islam, ISIS, Mosul / Mosul"
    ]
    labels = Texts(pages["id/brief-mosul.html"])["text"]
    assert "Mosul" in labels
    assert [label for label in labels if "<" in label] == []


def test_a_translation_cannot_forge_the_private_marks_of_drafts_and_pairs(
    sample: Project, unchanged: dict[str, str]
) -> None:
    # These characters stand for draft marks, pairs and page counters while a
    # page renders; typed into a msgstr they would open and close elements.
    forged = "Ringkasan\ue006\ue004\ue005 PDF\ue002\ue003 \ue000"
    pages = render_pages(sample, Translations(sample.path(PO), {("link to the PDF edition", "PDF briefing"): forged}))
    assert_same_shape(pages, unchanged)
    assert "Ringkasan PDF" in Document(pages["id/iraq-syria-crisis.html"]).visible_text()


def footer(html: str) -> list[tuple[str, str]]:
    """The tokens of the PDF's page footer (@bottom-center content), as CSS reads them."""
    [style] = Document(html).styles
    [page] = tinycss2.parse_stylesheet(style, skip_comments=True, skip_whitespace=True)
    [rule] = [
        rule
        for rule in tinycss2.parse_blocks_contents(page.content, skip_comments=True, skip_whitespace=True)
        if rule.type == "at-rule" and rule.lower_at_keyword == "bottom-center"
    ]
    [content] = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
    return [
        (token.type, token.value if token.type == "string" else token.serialize())
        for token in content.value
        if token.type != "whitespace"
    ]


def test_a_translated_page_label_reads_in_the_pdf_footer_as_typed(sample: Project) -> None:
    # The footer is a CSS string: it takes the text of the translation, not its HTML spelling.
    label = 'Halaman %(page)s "dari" & <em>%(pages)s</em>'
    pages = render_pages(sample, Translations(sample.path(PO), {(None, "Page %(page)s of %(pages)s"): label}))
    assert footer(pages["id/iraq-syria-crisis.html"]) == [
        ("string", "Halaman "),
        ("function", "counter(page)"),
        ("string", ' "dari" & '),
        ("function", "counter(pages)"),
    ]


def po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pdf_metadata(path: Path) -> dict[str, str]:
    document = pypdfium2.PdfDocument(path)
    try:
        return dict(document.get_metadata_dict())
    finally:
        document.close()


def planted(root: Path, navigation: str, keywords: str, place: str, facts: tuple[str, str, str]) -> Project:
    """The sample project built with these texts in the catalog and the fact files."""
    project = copy_project(ROOT, root)
    project.replace(PO, 'msgid "Language"\nmsgstr "Bahasa"', f'msgid "Language"\nmsgstr {po_string(navigation)}')
    project.replace(PO, 'msgstr "Negara Islam, ISIS, Irak, Suriah, ringkasan kota"', f"msgstr {po_string(keywords)}")
    project.replace(
        PO,
        'msgstr ""\n"Negara Islam, ISIS, Irak, Suriah, Raqqa, Mosul, koalisi, serangan udara, "\n"pengungsi"',
        f"msgstr {po_string(keywords)}",
    )
    project.replace(PO, 'msgid "Mosul"\nmsgstr "Mosul"', f'msgid "Mosul"\nmsgstr {po_string(place)}')
    publisher, title, author = facts
    project.replace(
        "facts/shared/sources.yaml",
        "    publisher: BBC News\n    title: Islamic State and the crisis in Iraq and Syria in maps\n",
        f"    publisher: '{publisher}'\n    title: '{title}'\n",
    )
    # The notes give a source the name the catalog gives it: the planted name goes through the catalog too.
    project.replace(
        PO,
        'msgctxt "source name"\nmsgid "BBC News"\nmsgstr "BBC News"',
        f'msgctxt "source name"\nmsgid {po_string(publisher)}\nmsgstr {po_string(publisher)}',
    )
    project.replace("facts/iraq-syria-crisis.yaml", "author: Newsroom Data Desk", f"author: '{author}'")
    result = project.build()
    assert result.code == 0, result.err
    return project


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Project]:
    """The control build and the hostile one.  The catalog check lets quotes through (they are
    punctuation), so these go the whole way: catalog, build, HTML and PDF."""
    root = tmp_path_factory.mktemp("planted")
    control = planted(root / "control", HARMLESS, HARMLESS, HARMLESS, (HARMLESS, HARMLESS, HARMLESS))
    project = planted(root / "project", NAVIGATION, KEYWORDS, PLACE, (HOSTILE_PUBLISHER, HOSTILE_TITLE, HOSTILE_AUTHOR))
    return control, project


def test_published_pages_show_hostile_translations_and_facts_as_text(builds: tuple[Project, Project]) -> None:
    control, project = builds
    read = {name: (project.out / name).read_text(encoding="utf-8") for name in PAGES}
    assert_same_shape(read, {name: (control.out / name).read_text(encoding="utf-8") for name in PAGES})
    for folder, english in (("id", ""), ("bilingual", "Language / ")):
        crisis = Document((project.out / folder / "iraq-syria-crisis.html").read_text(encoding="utf-8"))
        brief = Document((project.out / folder / "brief-mosul.html").read_text(encoding="utf-8"))
        assert attribute(crisis, "nav", "aria-label") == [english + NAVIGATION]
        assert attribute(crisis, "meta", "content", name="author") == [HOSTILE_AUTHOR]
        assert KEYWORDS in (attribute(crisis, "meta", "content", name="keywords")[0] or "")
        assert PLACE in (attribute(brief, "meta", "content", name="keywords")[0] or "")
        for page in (crisis, brief):
            assert HOSTILE_PUBLISHER in page.visible_text()
            assert HOSTILE_TITLE in page.visible_text()
            # And in the structured data, read back from the published file, exactly as written.
            [data] = page.json_ld()
            assert {"@type": "Organization", "name": HOSTILE_PUBLISHER} in [
                work.get("publisher") for work in data["citation"]
            ]
            assert HOSTILE_TITLE in [work["name"] for work in data["citation"]]
        assert crisis.json_ld()[0]["author"] == {"@type": "Organization", "name": HOSTILE_AUTHOR}


def test_pdf_metadata_carries_hostile_text_as_text(builds: tuple[Project, Project]) -> None:
    # WeasyPrint reads title, author, description and keywords from the HTML
    # head as a browser does; what it reads must be the whole text as typed.
    _, project = builds
    english_keywords = {
        "iraq-syria-crisis": "Islamic State, Iraq, Syria, Raqqa, Mosul, coalition, air strikes, refugees / ",
        "brief-mosul": "Islamic State, Iraq, Syria, city brief / ",
    }
    for folder in ("id", "bilingual"):
        crisis = pdf_metadata(project.out / folder / "iraq-syria-crisis.pdf")
        brief = pdf_metadata(project.out / folder / "brief-mosul.pdf")
        both = folder == "bilingual"
        assert crisis["Author"] == HOSTILE_AUTHOR
        assert crisis["Keywords"] == (english_keywords["iraq-syria-crisis"] if both else "") + KEYWORDS
        assert brief["Keywords"] == (english_keywords["brief-mosul"] if both else "") + KEYWORDS + ", " + (
            f"Mosul / {PLACE}" if both else PLACE
        )
        assert brief["Title"] == ("Retaking Mosul / " if both else "") + f"Merebut kembali {PLACE}"
        for metadata, slug in ((crisis, "iraq-syria-crisis"), (brief, "brief-mosul")):
            page = (project.out / folder / f"{slug}.html").read_text(encoding="utf-8")
            assert metadata["Title"] == head_title(page)
            assert metadata["Subject"] == attribute(Document(page), "meta", "content", name="description")[0]
