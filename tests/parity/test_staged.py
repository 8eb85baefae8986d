"""The written files are checked against the HTML checked in memory, which is not parsed again.

Each edition's HTML is read into text once per build; a staged file that
differs from what passed is caught by its digest; a PDF made again from HTML
the build did not check is still checked, from the files.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pipeline.build import builders
from pipeline.parity import check as parity_check
from pipeline.reading import Text
from tests.conftest import Project


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if "error: " in line]


def test_a_build_reads_each_editions_html_once(minimal: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    real = parity_check.html_text
    calls: Counter[tuple[str, str | None]] = Counter()

    def counted(html: str, without_language: str | None = None) -> Text:
        calls[(html, without_language)] += 1
        return real(html, without_language=without_language)

    monkeypatch.setattr(parity_check, "html_text", counted)
    assert minimal.build().code == 0
    assert calls, "the check read no HTML"
    assert [key for key, count in calls.items() if count > 1] == []
    # Every HTML file published was read, and only through the check before writing.
    published = {path.read_text(encoding="utf-8") for path in minimal.out.rglob("*.html")}
    assert {html for html, _ in calls} == published


def test_a_staged_file_that_differs_from_what_was_checked_is_refused(
    minimal: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = builders.HtmlBuilder.write_all

    def altered(self: builders.HtmlBuilder, *args: Any) -> list[Path]:
        written = real(self, *args)
        for path in written:
            if path.as_posix().endswith("id/story.html"):
                path.write_text(path.read_text(encoding="utf-8").replace("3.250", "3.520"), encoding="utf-8")
        return written

    monkeypatch.setattr(builders.HtmlBuilder, "write_all", altered)
    result = minimal.build()
    assert result.code == 1
    # The PDF made from the altered file does not match the checked HTML either.
    assert error_lines(result.err) == [
        "out/id/story.html: error: differs from the HTML that passed the figure check [check.changed]",
        'out/id/story.pdf: error: Indonesian PDF lacks "setidaknya 3.250" of its HTML: '
        '"Lembaga pemantau itu mencatat setidaknya 3.250 kematian." [check.pdf]',
        'out/id/story.pdf: error: Indonesian PDF has "setidaknya 3.520", which its HTML does not: '
        '"Lembaga pemantau itu mencatat setidaknya 3.520[1] kematian." [check.pdf]',
    ]
    assert not minimal.out.exists()


def test_a_pdf_made_again_from_html_taken_as_published_is_checked_from_the_files(
    minimal: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert minimal.build().code == 0
    published = {path: path.read_bytes() for path in minimal.out.rglob("*") if path.is_file()}
    real = builders.PdfBuilder.write_all

    def hidden(self: builders.PdfBuilder, *args: Any) -> list[Path]:
        written = real(self, *args)
        self.texts["en/story.pdf"] = [page.replace("at least 3,250", "") for page in self.texts["en/story.pdf"]]
        return written

    monkeypatch.setattr(builders.PdfBuilder, "write_all", hidden)
    # Another PDF variant: every PDF is made again, while the HTML is taken as published.
    result = minimal.build("--archive", "--progress", "lines")
    assert "3 unchanged, taken as published" in result.err
    assert result.code == 1
    assert error_lines(result.err) == [
        'out/en/story.pdf: error: English PDF lacks "at least 3,250" of its HTML: '
        '"The observatory counted at least 3,250 deaths." [check.pdf]'
    ]
    assert {path: path.read_bytes() for path in minimal.out.rglob("*") if path.is_file()} == published
