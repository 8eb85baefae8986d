"""PDF briefings: metadata, bookmarks, bundled fonts, tagging, figures kept whole, archive variant."""

from __future__ import annotations

import contextlib
import ctypes
import re
import zlib
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium
import pytest

from pipeline.config import load_config
from pipeline.facts.load import load_facts
from pipeline.reading.text import html_text
from tests.build.test_sample import SLUG
from tests.conftest import Project
from tests.pdf_reading import chars, document_language

LANGUAGES = ("en", "id", "bilingual")


def pdf(project: Project, folder: str) -> pypdfium2.PdfDocument:
    return pypdfium2.PdfDocument(project.out / folder / f"{SLUG}.pdf")


def fonts_used(document: pypdfium2.PdfDocument) -> set[tuple[str, bool]]:
    """(base font name, embedded) of the fonts the text is drawn with."""
    fonts = set()
    for page in document:
        text_page = page.get_textpage()
        for index in range(0, text_page.count_chars(), 5):
            text_object = pdfium.FPDFText_GetTextObject(text_page, index)
            if not text_object:
                continue
            font = pdfium.FPDFTextObj_GetFont(text_object)
            size = pdfium.FPDFFont_GetBaseFontName(font, None, 0)
            name = ctypes.create_string_buffer(size)
            pdfium.FPDFFont_GetBaseFontName(font, name, size)
            fonts.add((name.value.decode().split("+")[-1], bool(pdfium.FPDFFont_GetIsEmbedded(font))))
    return fonts


def xmp_packets(path: Path) -> bytes:
    data = path.read_bytes()
    packets = b""
    for match in re.finditer(rb"stream\r?\n", data):
        chunk = data[match.end() : data.find(b"endstream", match.end())]
        with contextlib.suppress(zlib.error):
            chunk = zlib.decompress(chunk)
        if b"x:xmpmeta" in chunk:
            packets += chunk
    return packets


@pytest.mark.parametrize(
    ("folder", "keywords"),
    [("en", "Islamic State, Iraq, Syria"), ("id", "Negara Islam, ISIS, Irak, Suriah"), ("bilingual", "Islamic State")],
)
def test_metadata(sample_build: Project, folder: str, keywords: str) -> None:
    metadata = pdf(sample_build, folder).get_metadata_dict()
    assert metadata["Author"] == "Newsroom Data Desk"
    assert metadata["Title"]
    assert metadata["Keywords"].startswith(keywords)
    assert metadata["Subject"] and "[1]" not in metadata["Subject"]
    assert metadata["CreationDate"] == "D:20180329"


def test_bookmarks_follow_the_headings_in_the_reader_s_language(sample_build: Project) -> None:
    english = [(item.level, item.get_title()) for item in pdf(sample_build, "en").get_toc()]
    indonesian = [(item.level, item.get_title()) for item in pdf(sample_build, "id").get_toc()]
    assert english[0][0] == 0 and english[0][1].startswith("The fall of Islamic State")
    assert (1, "How Raqqa was taken") in english
    assert (1, "Bagaimana Raqqa direbut") in indonesian
    assert len(english) == len(indonesian) >= 10


@pytest.mark.parametrize("folder", LANGUAGES)
def test_only_the_bundled_fonts_are_used_and_all_are_embedded(sample_build: Project, folder: str) -> None:
    fonts = fonts_used(pdf(sample_build, folder))
    assert {name for name, _ in fonts} >= {"Briefing-Serif", "Briefing-Sans"}
    assert [name for name, embedded in fonts if not embedded or not name.startswith("Briefing-")] == []


@pytest.mark.parametrize("folder", LANGUAGES)
def test_pdfs_are_tagged_pdf_ua(sample_build: Project, folder: str) -> None:
    assert pdfium.FPDFCatalog_IsTagged(pdf(sample_build, folder))
    assert b'pdfuaid:part="1"' in xmp_packets(sample_build.out / folder / f"{SLUG}.pdf")


@pytest.mark.parametrize("folder", ["en", "id"])
def test_a_single_language_pdf_is_tagged_in_its_language(sample_build: Project, folder: str) -> None:
    document = pdf(sample_build, folder)
    assert document_language(document) == folder
    languages = {char.marked.lang for page in document for char in chars(page, folder) if char.marked is not None}
    assert languages == {folder}


@pytest.mark.parametrize("folder", ["en", "id"])
def test_no_figure_is_split_across_lines(sample_build: Project, folder: str) -> None:
    html = (sample_build.out / folder / f"{SLUG}.html").read_text()
    text = html_text(html)
    facts = load_facts(load_config(sample_build.root)).facts
    figures = {
        " ".join(text.text[mark.start : mark.end].split())
        for mark in text.marks
        if mark.fact_id and facts[mark.fact_id].kind != "countries"  # lists of names may wrap
    }
    multiword = [figure for figure in figures if " " in figure]
    assert len(multiword) > 20  # "more than 353,900", "5,6 juta", "US$1 miliar", ...
    lines = [
        " ".join(line.split())
        for page in pdf(sample_build, folder)
        for line in page.get_textpage().get_text_range().splitlines()
    ]
    split = [figure for figure in multiword if not any(figure in line for line in lines)]
    assert split == []


@pytest.mark.parametrize("folder", ["en", "id"])
def test_text_is_hyphenated_in_the_reader_s_language(sample_build: Project, folder: str) -> None:
    text = "\n".join(page.get_textpage().get_text_range() for page in pdf(sample_build, folder))
    # pdfium reports a word hyphenated at a line end as joined around U+FFFE.
    assert re.search(r"[a-z](?:\ufffe|\u2010\r?\n)[a-z]", text), "no word was hyphenated at a line end"


def test_archive_build_writes_pdf_a_3b(minimal: Project) -> None:
    result = minimal.build("--archive")
    assert result.code == 0, result.err
    packets = xmp_packets(minimal.out / "en" / "story.pdf")
    assert b'pdfaid:part="3"' in packets and b'pdfaid:conformance="B"' in packets
    assert pdfium.FPDFCatalog_IsTagged(pypdfium2.PdfDocument(minimal.out / "en" / "story.pdf"))
