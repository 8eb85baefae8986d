"""The bilingual edition: both languages side by side, aligned, with one set of notes."""

from __future__ import annotations

import html as html_module
import re

import pypdfium2

from pipeline.i18n.sentinels import FALLBACK_END, FALLBACK_START, PAIR_END, PAIR_MIDDLE, PAIR_START
from tests.build.test_sample import SLUG
from tests.conftest import Project
from tests.pdf_reading import chars, document_language

SENTINELS = (PAIR_START, PAIR_MIDDLE, PAIR_END, FALLBACK_START, FALLBACK_END)


def bilingual(project: Project, suffix: str = "html") -> str:
    path = project.out / "bilingual" / f"{SLUG}.{suffix}"
    if suffix == "html":
        return path.read_text()
    document = pypdfium2.PdfDocument(path)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_every_paragraph_is_a_pair_in_both_languages(sample_build: Project) -> None:
    html = bilingual(sample_build)
    # The body runs to the source notes (figures inside it have <div>s of their own).
    body = html.split('<div class="article-body">', 1)[1].split('<section class="sources"', 1)[0]
    paragraphs = re.findall(r"<p>(.*?)</p>", body, re.S)
    assert len(paragraphs) > 30
    for paragraph in paragraphs:
        assert paragraph.startswith('<span class="pair"><span class="lang-en" lang="en">'), paragraph[:80]
        assert '<span class="lang-id" lang="id">' in paragraph
    english = (sample_build.out / "en" / f"{SLUG}.html").read_text()
    assert len(paragraphs) == len(re.findall(r"<p>", english.split('<div class="article-body">', 1)[1]))


def test_one_set_of_source_notes_dated_in_both_languages(sample_build: Project) -> None:
    html = bilingual(sample_build)
    notes = html.split('<ol class="source-list">', 1)[1].split("</ol>", 1)[0]
    english = (sample_build.out / "en" / f"{SLUG}.html").read_text()
    assert notes.count("<li ") == english.split('<ol class="source-list">', 1)[1].count("<li ")
    assert "Figures as of" in notes and "Data per" in notes
    assert '<time class="fig" datetime="2018-02">February 2018</time>' in notes
    assert '<time class="fig" datetime="2018-02">Februari 2018</time>' in notes


def test_no_private_marks_leak_into_the_html_or_the_pdf(sample_build: Project) -> None:
    for text in (bilingual(sample_build), bilingual(sample_build, "pdf")):
        assert [char for char in SENTINELS if char in text] == []


def test_pdf_pages_carry_both_page_labels(sample_build: Project) -> None:
    text = bilingual(sample_build, "pdf")
    pages = len(pypdfium2.PdfDocument(sample_build.out / "bilingual" / f"{SLUG}.pdf"))
    assert f"Page 1 of {pages} / Halaman 1 dari {pages}" in text
    assert "IS in Iraq and Syria / ISIS di Irak dan Suriah" in text


def test_title_and_attributes_read_as_plain_pairs(sample_build: Project) -> None:
    html = bilingual(sample_build)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None and " / Memahami runtuhnya" in title.group(1)
    assert '<nav class="language-switch" aria-label="Language / Bahasa">' in html


def test_the_check_reads_each_column_against_its_own_edition(minimal: Project) -> None:
    assert minimal.build().code == 0
    page = minimal.out / "bilingual" / "story.html"
    page.write_text(page.read_text().replace(">setidaknya 3.250<", ">setidaknya 3.500<"))
    result = minimal.run("check")
    assert result.code == 1
    assert (
        'out/bilingual/story.html: error: "setidaknya 3.500" should read "setidaknya 3.250" (deaths): '
        '"Lembaga pemantau itu mencatat setidaknya 3.500 kematian." [check.fact-value]'
    ) in result.err.splitlines()
    assert (
        'out/bilingual/story.html: error: the Indonesian column lacks "setidaknya 3.250" of the Indonesian '
        'edition: "Lembaga pemantau itu mencatat setidaknya 3.250 kematian." [check.bilingual]'
    ) in result.err.splitlines()


PAIR = re.compile(
    r'<p><span class="pair"><span class="lang-en" lang="en">(.*?)</span>'
    r'<span class="lang-sep" aria-hidden="true"> / </span><span class="lang-id" lang="id">(.*?)</span></span></p>',
    re.S,
)


def _squeezed(markup: str) -> str:
    return "".join(html_module.unescape(re.sub(r"<[^>]+>", "", markup)).split())


def test_each_column_is_tagged_in_its_own_language(sample_build: Project) -> None:
    """PDF/UA-1 7.2: the Indonesian column's structure elements carry /Lang id."""
    document = pypdfium2.PdfDocument(sample_build.out / "bilingual" / f"{SLUG}.pdf")
    assert document_language(document) == "en"
    read: dict[str, list[str]] = {}
    for page in document:
        for char in chars(page, "en"):
            if char.marked is not None:
                read.setdefault(char.marked.lang, []).append(char.text)
    assert set(read) == {"en", "id"}
    text = {lang: "".join("".join(letters).split()) for lang, letters in read.items()}
    pairs = PAIR.findall(bilingual(sample_build))
    assert len(pairs) > 30
    for english, indonesian in pairs:
        english, indonesian = _squeezed(english)[:30], _squeezed(indonesian)[:30]
        assert english in text["en"] and english not in text["id"], english
        assert indonesian in text["id"] and indonesian not in text["en"], indonesian
