"""A published PDF that PDFium cannot open is a finding of `pipeline check`, not a crash.

Someone replaced the file, a copy was cut short, a sync tool left an empty
file: the check names the PDF and says it cannot be read, in one line, and
exits 1 as for any other finding; the other files are still checked.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import Project


@pytest.fixture
def published(sample_build: Project, tmp_path: Path) -> Project:
    """A copy of the built sample, published output included, for this test to spoil."""
    root = tmp_path / "project"
    shutil.copytree(sample_build.root, root, symlinks=True)
    return Project(root)


@pytest.mark.parametrize(
    ("spoiled", "content"),
    [
        ("en/brief-mosul.pdf", b"<html>not a PDF</html>"),
        ("id/brief-raqqa.pdf", b""),
        ("bilingual/brief-ramadi.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<"),
    ],
    ids=["html-in-its-place", "empty", "header-only"],
)
def test_a_pdf_that_cannot_be_read_is_named_in_one_line(published: Project, spoiled: str, content: bytes) -> None:
    (published.out / spoiled).write_bytes(content)
    result = published.run("check")
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    cannot = [line for line in lines if "cannot be read as a PDF" in line]
    assert cannot == [
        f"out/{spoiled}: error: cannot be read as a PDF: Failed to load document (PDFium: Data format error) "
        "[check.pdf]"
    ], result.err
    # Its figures file is not also reported as unreadable: one PDF, one line.
    assert not [line for line in lines if spoiled in line and line not in cannot], result.err


def test_a_truncated_pdf_is_a_finding_not_a_crash(published: Project) -> None:
    pdf = published.out / "en" / "brief-mosul.pdf"
    data = pdf.read_bytes()
    pdf.write_bytes(data[: len(data) // 2])
    result = published.run("check")
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert "out/en/brief-mosul.pdf: error:" in result.err
