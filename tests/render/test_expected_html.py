"""The sample's HTML is exactly what was reviewed.

After an intended change, regenerate with `.venv/bin/python -m tests.regenerate_expected`
and review `git diff tests/expected`.
"""

from __future__ import annotations

import difflib

from pipeline.build.editions import render_project
from tests.conftest import ROOT
from tests.regenerate_expected import expected_path


def test_sample_html_matches_the_reviewed_html() -> None:
    editions = render_project(ROOT).editions
    assert {edition.folder for edition in editions} == {"en", "id", "bilingual"}
    for edition in editions:
        expected = expected_path(edition.folder, edition.slug).read_text(encoding="utf-8")
        if edition.html != expected:
            diff = "".join(
                list(difflib.unified_diff(expected.splitlines(True), edition.html.splitlines(True), "expected", "now"))[
                    :60
                ]
            )
            raise AssertionError(
                f"{edition.folder}/{edition.slug}.html differs from tests/expected "
                f"(regenerate: .venv/bin/python -m tests.regenerate_expected):\n{diff}"
            )
