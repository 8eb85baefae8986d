"""Every PDF carries its article's figures file and a one-line parity certificate; the check holds it to the file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import pipeline.build.data_files
from pipeline.reading import pdf_attachments
from tests.conftest import Project, tree_digest
from tests.pdf.test_pdf_attachments import associated_files

FOLDERS = ("en", "id", "bilingual")
CERTIFICATE = re.compile(
    r"Parity certificate: the figures of story in this file agree across its en, id and bilingual editions, "
    r"and this PDF was held to the checked HTML it is made from before publishing; "
    r"dwibahasa \S+ \(code [0-9a-f]{12}\), 2018-03-29T12:00:00Z\."
)


@pytest.fixture
def built(minimal: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1522324800")  # 2018-03-29 12:00 UTC
    result = minimal.build()
    assert result.code == 0, result.err
    return minimal


def test_every_pdf_carries_the_figures_file_beside_it_with_its_certificate(built: Project) -> None:
    for folder in FOLDERS:
        carried = pdf_attachments(built.out / folder / "story.pdf")
        assert list(carried) == ["story.figures.json"]
        data, note = carried["story.figures.json"]
        assert data == (built.out / folder / "story.figures.json").read_bytes()
        assert CERTIFICATE.fullmatch(note), note


def test_the_archive_variant_carries_it_as_an_associated_data_file(built: Project) -> None:
    result = built.build("--archive")
    assert result.code == 0, result.err
    for folder in FOLDERS:
        [spec] = associated_files(built.out / folder / "story.pdf")
        assert b"/AFRelationship /Data" in spec and b"(story.figures.json)" in spec
        assert list(pdf_attachments(built.out / folder / "story.pdf")) == ["story.figures.json"]


def test_a_pdf_carrying_stale_figures_fails_the_check(built: Project, tmp_path: Path) -> None:
    old = tmp_path / "old.pdf"
    shutil.copy2(built.out / "en" / "story.pdf", old)
    built.replace("facts/story.yaml", "value: 5600000", "value: 5610000")
    result = built.build()
    assert result.code == 0, result.err
    # New figures under an unchanged page: the PDF was made again to carry them.
    assert (
        pdf_attachments(built.out / "en" / "story.pdf")["story.figures.json"][0]
        == (built.out / "en" / "story.figures.json").read_bytes()
    )
    shutil.copy2(old, built.out / "en" / "story.pdf")
    result = built.run("check")
    assert result.code == 1
    assert result.err.splitlines() == [
        "out/en/story.pdf: error: the story.figures.json it carries differs from out/en/story.figures.json [check.data]"
    ]


def test_a_build_whose_pdfs_carry_the_wrong_file_fails_and_publishes_nothing(
    built: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = tree_digest(built.out)
    real = pipeline.build.data_files.Certificate.__call__

    def wrong(self, relative_pdf):  # type: ignore[no-untyped-def]
        found = real(self, relative_pdf)
        return None if found is None else (found[0].with_suffix(".csv"), found[1])

    monkeypatch.setattr(pipeline.build.data_files.Certificate, "__call__", wrong)
    built.replace("facts/story.yaml", "value: 3250", "value: 3260")
    built.replace("facts/story.yaml", "value: 5600000", "value: 5610000")
    result = built.build()
    assert result.code == 1
    assert "out/en/story.pdf: error: carries no story.figures.json [check.data]" in result.err.splitlines()
    assert tree_digest(built.out) == published
