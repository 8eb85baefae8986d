"""Links in the PDFs can be clicked, and say what they are for.

A link is only a link in a PDF viewer when the page has a link annotation
(/Subtype /Link) over it; a structure element tagged Link without one is
nothing to click.  PDF/UA-1 (7.18.5) asks every link annotation for an
alternate description, its /Contents, which screen readers announce: the
bare target (`source-bbc_news`, `https://...`) tells a listener nothing.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from tests.conftest import Project

EDITIONS = ("en", "id", "bilingual")
# The link's words as each edition prints them (the bilingual one prints both; its English half is searched).
PDF_LINK_TEXT = {"en": "PDF briefing", "id": "Ringkasan PDF", "bilingual": "PDF briefing"}
ENTRY_PDF = re.compile(r'<a class="entry-pdf" href="(?P<href>[^"]+)"')
HEADLINE_LINK = re.compile(r'<h2><a href="(?P<slug>[^"]+)\.html">(?P<headline>.*?)</a></h2>', re.DOTALL)
SOURCE_ITEM = re.compile(r'<li id="(?P<id>source-[^"]+)">(?P<body>.*?)</li>', re.DOTALL)


@dataclass(frozen=True)
class Link:
    page: int
    target: str
    """The URI of a URI action, or the name of the destination within the document."""
    contents: str
    rect: tuple[float, float, float, float]
    """left, bottom, right, top, in points."""

    def covers(self, x: float, y: float) -> bool:
        left, bottom, right, top = self.rect
        return left <= x <= right and bottom <= y <= top


def _annotation_text(annotation: object, key: str) -> str:
    size = raw.FPDFAnnot_GetStringValue(annotation, key.encode(), None, 0)
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFAnnot_GetStringValue(annotation, key.encode(), ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size)
    return buffer.raw[: max(size - 2, 0)].decode("utf-16-le")


def _target(document: pdfium.PdfDocument, annotation: object) -> str:
    link = raw.FPDFAnnot_GetLink(annotation)
    action = raw.FPDFLink_GetAction(link) if link else None
    if action and raw.FPDFAction_GetType(action) == raw.PDFACTION_URI:
        size = raw.FPDFAction_GetURIPath(document.raw, action, None, 0)
        buffer = ctypes.create_string_buffer(size)
        raw.FPDFAction_GetURIPath(document.raw, action, buffer, size)
        return str(buffer.value.decode())
    # WeasyPrint writes a link within the document as a named destination: the HTML id, as a string.
    return "#" + _annotation_text(annotation, "Dest")


def link_annotations(pdf: Path) -> list[Link]:
    document = pdfium.PdfDocument(pdf)
    links = []
    try:
        for number in range(len(document)):
            page = document[number]
            for index in range(raw.FPDFPage_GetAnnotCount(page.raw)):
                annotation = raw.FPDFPage_GetAnnot(page.raw, index)
                try:
                    if raw.FPDFAnnot_GetSubtype(annotation) != raw.FPDF_ANNOT_LINK:
                        continue
                    rect = raw.FS_RECTF()
                    raw.FPDFAnnot_GetRect(annotation, rect)
                    box = (rect.left, min(rect.bottom, rect.top), rect.right, max(rect.bottom, rect.top))
                    links.append(
                        Link(number, _target(document, annotation), _annotation_text(annotation, "Contents"), box)
                    )
                finally:
                    raw.FPDFPage_CloseAnnot(annotation)
    finally:
        document.close()
    return links


def text_positions(pdf: Path, text: str) -> list[tuple[int, float, float]]:
    """Where `text` is printed: (page, x, y) of the middle of each occurrence, in reading order."""
    document = pdfium.PdfDocument(pdf)
    found = []
    try:
        for number in range(len(document)):
            textpage = document[number].get_textpage()
            searcher = textpage.search(text, match_case=True)
            while (occurrence := searcher.get_next()) is not None:
                index, count = occurrence
                left, bottom, _, top = textpage.get_charbox(index)
                last = textpage.get_charbox(index + count - 1)
                found.append((number, (left + last[2]) / 2, (bottom + top) / 2))
    finally:
        document.close()
    return found


def html_of(sample_build: Project, edition: str, slug: str) -> str:
    return (sample_build.out / edition / f"{slug}.html").read_text(encoding="utf-8")


def plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_pdf_briefing_link_of_the_index_can_be_clicked(sample_build: Project, edition: str) -> None:
    targets = ENTRY_PDF.findall(html_of(sample_build, edition, "index"))
    assert len(targets) == 6, targets
    printed = text_positions(sample_build.out / edition / "index.pdf", PDF_LINK_TEXT[edition])
    assert len(printed) == len(targets), printed
    links = link_annotations(sample_build.out / edition / "index.pdf")
    for target, (page, x, y) in zip(targets, printed, strict=True):
        over = [link for link in links if link.page == page and link.covers(x, y)]
        assert [link.target for link in over if link.target == target], (
            f"{edition}/index.pdf: nothing to click on the {PDF_LINK_TEXT[edition]!r} link to {target}; "
            f"annotations there: {over}"
        )


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_headline_of_the_index_can_be_clicked(sample_build: Project, edition: str) -> None:
    pdf = sample_build.out / edition / "index.pdf"
    links = link_annotations(pdf)
    for match in HEADLINE_LINK.finditer(html_of(sample_build, edition, "index")):
        # The fewest first words printed once ("Retaking Mosul"): a headline may wrap; the
        # bilingual edition's search finds its English column.
        headline = plain(match["headline"]).split()
        for count in range(2, len(headline) + 1):
            words = " ".join(headline[:count])
            printed = text_positions(pdf, words)
            if len(printed) <= 1:
                break
        assert len(printed) == 1, (edition, words, printed)
        page, x, y = printed[0]
        over = [link.target for link in links if link.page == page and link.covers(x, y)]
        assert f"{match['slug']}.pdf" in over, f"{edition}/index.pdf: nothing to click on the headline {words!r}..."


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_index_links_say_which_briefing(sample_build: Project, edition: str) -> None:
    html = html_of(sample_build, edition, "index")
    label = {"en": "PDF briefing", "id": "Ringkasan PDF", "bilingual": "PDF briefing / Ringkasan PDF"}[edition]
    expected = {f"{m['slug']}.pdf": plain(m["headline"]) for m in HEADLINE_LINK.finditer(html)}
    described: dict[str, set[str]] = {}
    for link in link_annotations(sample_build.out / edition / "index.pdf"):
        described.setdefault(link.target, set()).add(link.contents)
    assert described == {target: {headline, f"{label}: {headline}"} for target, headline in expected.items()}


def test_note_markers_name_their_source(sample_build: Project) -> None:
    """A marker's link reads as the source its note lists, in the edition's language ("[5]" alone says nothing)."""
    for edition in ("en", "id"):
        for pdf in sorted((sample_build.out / edition).glob("*.pdf")):
            if pdf.stem == "index":
                continue
            texts = {m["id"]: plain(m["body"]) for m in SOURCE_ITEM.finditer(html_of(sample_build, edition, pdf.stem))}
            notes = [link for link in link_annotations(pdf) if link.target.startswith("#source-")]
            assert notes, pdf.name
            for link in notes:
                source = link.target.removeprefix("#")
                assert link.contents and texts[source].startswith(link.contents), (edition, pdf.name, link)


def test_no_link_is_described_by_its_bare_target(sample_build: Project) -> None:
    bare = []
    for pdf in sorted(sample_build.out.rglob("*.pdf")):
        for link in link_annotations(pdf):
            if link.contents in (link.target, link.target.removeprefix("#")) or re.fullmatch(r"\[\d+\]", link.contents):
                bare.append(f"{pdf.relative_to(sample_build.out)}: {link.contents}")
    assert bare == []


def test_every_link_annotation_has_an_area_to_click(sample_build: Project) -> None:
    flat = [
        f"{pdf.relative_to(sample_build.out)} page {link.page + 1}: {link.target} {link.rect}"
        for pdf in sorted(sample_build.out.rglob("*.pdf"))
        for link in link_annotations(pdf)
        if link.rect[2] - link.rect[0] < 1 or link.rect[3] - link.rect[1] < 1
    ]
    assert flat == []
