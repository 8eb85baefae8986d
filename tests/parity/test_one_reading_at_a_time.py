"""The figure check holds one reading of a page at a time, and a check of published output one article.

An index page lists every article of a corpus, and the check reads the index
pages five times: each language's page, the bilingual page whole (to hold its
PDF to it) and each of its two columns.  Held together until the languages
are compared, those readings of a 400-article corpus were about 8 MiB of the
build's peak, which grew with the corpus.  The comparisons need only the
figures found in a reading, so each reading is let go as soon as its figures
are read, and the next one is made only then.
"""

from __future__ import annotations

import dataclasses
import gc
import weakref
from pathlib import Path
from typing import Any

import pytest

import pipeline.parity.check as check_module
from pipeline.build.editions import render_project
from pipeline.config import load_config
from pipeline.facts import INDEX_SLUG, load_facts
from pipeline.parity import CheckedHtml, HtmlChecks, check_output
from pipeline.reading import Text
from tests.conftest import ROOT, Project


def readings_held(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Watches the check's readings of HTML: for each new one, how many made before are still held."""
    readings: list[weakref.ref[Text]] = []
    held_before: list[int] = []
    real = check_module.html_text

    def reading(html: str, *args: Any, **kwargs: Any) -> Text:
        gc.collect()
        held_before.append(sum(1 for ref in readings if ref() is not None))
        text = real(html, *args, **kwargs)
        readings.append(weakref.ref(text))
        return text

    monkeypatch.setattr(check_module, "html_text", reading)
    return held_before


def test_each_reading_of_the_index_pages_is_let_go_before_the_next(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rendered = render_project(ROOT)
    index = [edition for edition in rendered.editions if edition.slug == INDEX_SLUG]
    assert [edition.folder for edition in index] == ["en", "id", "bilingual"]
    held_before = readings_held(monkeypatch)
    checks = HtmlChecks(rendered.config, rendered.base, tmp_path, keep=CheckedHtml())
    checks.check(index)
    assert held_before == [0, 0, 0, 0, 0]
    assert checks.findings == []


def test_the_index_pages_figures_are_still_compared_across_languages(tmp_path: Path) -> None:
    """Let go of its text, an edition still takes part in the comparison of the languages by its figures."""
    rendered = render_project(ROOT)
    index = [edition for edition in rendered.editions if edition.slug == INDEX_SLUG]
    english = index[0]
    # The first date the English index prints, shown a day off in the English page only.
    date = english.html.index('<time class="fig" datetime="')
    start = english.html.index(">", date) + 1
    end = english.html.index("</time>", start)
    shown = english.html[start:end]
    day, rest = shown.split(" ", 1)
    changed = english.html[:start] + f"{int(day) % 28 + 1} {rest}" + english.html[end:]
    index[0] = dataclasses.replace(english, html=changed)
    checks = HtmlChecks(rendered.config, rendered.base, tmp_path, keep=CheckedHtml())
    checks.check(index)
    # Its own page, then the bilingual page's column and the other language, which are compared by figures.
    assert [finding.code for finding in checks.findings] == [
        "check.fact-value",
        "check.bilingual",
        "check.bilingual",
        "check.differs",
    ]


def test_a_check_of_published_output_holds_one_article_at_a_time(
    monkeypatch: pytest.MonkeyPatch, sample_build: Project
) -> None:
    """`pipeline check` reads a published corpus article by article: the readings of the articles checked
    before are let go, however many articles there are (at most one article's five readings are held)."""
    held_before = readings_held(monkeypatch)
    config = load_config(sample_build.root)
    base = load_facts(config)
    assert check_output(config, base, sample_build.out) == []
    # Every article and the index pages, five readings each.
    assert len(held_before) == 5 * (len(base.articles) + 1)
    assert max(held_before) <= 4, held_before
