"""How the sample's PDFs fill their pages and break their lines, read back from the PDFs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2
import pytest

from pipeline.pdf.document import PAGE_MARGINS_PT
from pipeline.reading.text import pdf_text
from tests.conftest import Project
from tests.pdf_reading import Char, chars, document_language

EDITIONS = ("en", "id", "bilingual")
# A note marker is set at 0.62em: a run of characters this much smaller than
# the line below it is raised onto that line, not a line of its own.
MARKER_RATIO = 0.8
# The structure elements a line of text belongs to as a paragraph does.
BLOCKS = frozenset({"P", "H1", "H2", "H3", "H4", "H5", "H6", "LI", "Caption"})
# The columns of the bilingual edition are 7 mm apart; words, a few points.
COLUMN_GAP_PT = 12.0
SHORT_WORD = 5


def articles(project: Project) -> list[Path]:
    return sorted(
        path for edition in EDITIONS for path in (project.out / edition).glob("*.pdf") if path.stem != "index"
    )


def test_no_last_page_is_nearly_empty(sample_build: Project) -> None:
    """A brief that fits one page is one page; a source list does not strand a line or three."""
    paths = articles(sample_build)
    assert len(paths) == 18
    thin = []
    for path in paths:
        filled = [len("".join(text.split())) for text in pdf_text(path, PAGE_MARGINS_PT)]
        if len(filled) > 1 and filled[-1] * 5 < max(filled):
            thin.append(f"{path.parent.name}/{path.name}: {filled}")
    assert thin == []


@dataclass
class Line:
    """The characters of one line of one column, note markers included."""

    baseline: float
    size: float
    chars: list[Char] = field(default_factory=list)

    @property
    def left(self) -> float:
        return min(char.x for char in self.chars)

    @property
    def right(self) -> float:
        return max(char.right for char in self.chars)

    @property
    def text(self) -> str:
        return "".join(char.text for char in sorted(self.chars, key=lambda char: char.x))


def _rows(characters: list[Char]) -> list[Line]:
    """Characters on a common baseline, top to bottom, note markers joined to their line."""
    rows: list[Line] = []
    for char in sorted(characters, key=lambda char: -char.baseline):
        if rows and abs(rows[-1].baseline - char.baseline) < 0.5:
            rows[-1].chars.append(char)
            rows[-1].size = max(rows[-1].size, char.size)
        else:
            rows.append(Line(char.baseline, char.size, [char]))
    kept: list[Line] = []
    for index, row in enumerate(rows):
        below = rows[index + 1] if index + 1 < len(rows) else None
        raised = (
            below is not None
            and row.size < MARKER_RATIO * below.size
            and row.baseline - below.baseline < 0.6 * below.size
        )
        if raised and below is not None:
            below.chars.extend(row.chars)
        else:
            kept.append(row)
    return kept


def _segments(row: Line) -> list[Line]:
    """A row split where the columns part."""
    segments: list[Line] = []
    for char in sorted(row.chars, key=lambda char: char.x):
        if segments and char.x - segments[-1].right <= COLUMN_GAP_PT:
            segments[-1].chars.append(char)
        else:
            segments.append(Line(row.baseline, row.size, [char]))
    return segments


def _paragraph(char: Char) -> tuple[int, ...]:
    """The structure element of the paragraph, heading, list item or caption holding the character."""
    assert char.marked is not None
    types = char.marked.types
    depth = max((index for index, kind in enumerate(types) if kind in BLOCKS), default=len(types) - 1)
    return char.marked.path[: depth + 1]


def lonely_short_words(page: pypdfium2.PdfPage, lang: str) -> list[str]:
    """Lines holding one word of fewer than SHORT_WORD letters that the next line of their paragraph continues."""
    text = [char for char in chars(page, lang) if char.marked and "Figure" not in char.marked.types]
    lines = [segment for row in _rows(text) for segment in _segments(row)]
    found = []
    for index, line in enumerate(lines):
        words = line.text.split()
        if len(words) != 1 or sum(char.isalnum() for char in words[0]) >= SHORT_WORD:
            continue
        below = [
            other
            for other in lines[index + 1 :]
            if other.baseline < line.baseline and other.left < line.right and line.left < other.right
        ]
        paragraphs = {_paragraph(char) for char in line.chars}
        if below and abs(below[0].size - line.size) < 0.5 and paragraphs & {_paragraph(c) for c in below[0].chars}:
            found.append(f"{words[0]!r} / {below[0].text.strip()[:40]!r}")
    return found


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_line_holds_a_lone_short_word(sample_build: Project, edition: str) -> None:
    lonely = []
    for path in sorted((sample_build.out / edition).glob("*.pdf")):
        document = pypdfium2.PdfDocument(path)
        lang = document_language(document)
        for number, page in enumerate(document, start=1):
            lonely += [f"{path.name} page {number}: {line}" for line in lonely_short_words(page, lang)]
    assert lonely == []
