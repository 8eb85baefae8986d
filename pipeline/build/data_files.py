"""The figures-as-data builder: each article's figures JSON and CSV, beside every edition, and a CSV
table of each of its charts beside each single-language edition.

Made from the visible text of the article's single-language editions, as
the figure check has just read them, and checked as written
(parity/data_files.py) before the build goes on.  The files' key is made
from the keys of the article's HTML: an article whose pages are reused
unchanged has its data files reused too, and one of them changed makes them
again.  The JSON goes into every PDF of the article as well, so a PDF's key
includes it (see PdfBuilder).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import DISTRIBUTION
from pipeline.datasets import (
    article_files,
    chart_file_name,
    chart_rows,
    data_file_names,
)
from pipeline.facts import INDEX_SLUG
from pipeline.inputs import content_digest
from pipeline.reading import Text, html_text

if TYPE_CHECKING:
    from pipeline.build.reuse import Plan
    from pipeline.facts import FactBase
    from pipeline.parity import HtmlChecks
    from pipeline.render import RenderedArticle


class DataBuilder:
    """Writes `<folder>/<slug>.figures.json` and `.figures.csv` for every edition's folder, and
    `<folder>/<slug>.<chart>.csv` for each chart of a single-language edition."""

    def __init__(self, base: FactBase) -> None:
        self.base = base
        self.written = 0
        """Data files put into the staging folder, made or reused: a count, for the build's report."""

    def names(self, editions: Iterable[RenderedArticle]) -> list[str]:
        """The relative paths of an article's data files: one JSON and one CSV per edition's folder,
        then its charts' tables."""
        editions = list(editions)
        figures = [f"{e.folder}/{name}" for e in editions for name in data_file_names(e.slug)]
        return figures + [f"{e.folder}/{name}" for e in editions for name in _chart_names(e)]

    def keys(self, editions: list[RenderedArticle], html_keys: Iterable[str], common: str) -> dict[str, str]:
        """Each data file's key: what its article's pages are made from, and the code."""
        if not editions or editions[0].slug == INDEX_SLUG:
            return {}
        key = content_digest(common, "figures as data", *html_keys)
        return dict.fromkeys(self.names(editions), key)

    def carried_by_pdfs(self, editions: list[RenderedArticle], keys: dict[str, str], stage: Path) -> dict[str, str]:
        """The keys of an article's PDFs with the figures file they carry, as staged: new figures make new
        PDFs under unchanged pages, and a change that leaves the file as it was (a heading translated
        anew) makes no PDF of another language again."""
        if not editions or editions[0].slug == INDEX_SLUG:
            return {}
        carried: dict[str, str] = {}
        for edition in editions:
            pdf = f"{edition.folder}/{edition.slug}.pdf"
            staged = stage / edition.folder / data_file_names(edition.slug)[0]
            if pdf in keys and staged.is_file():
                carried[pdf] = content_digest(keys[pdf], staged.read_bytes())
        return carried

    def write_article(self, editions: list[RenderedArticle], stage: Path, plan: Plan, checks: HtmlChecks) -> None:
        """One article's data files, made (or reused) and then checked against its pages as written."""
        names = [name for name in self.names(editions) if name in plan.keys]
        if not names:
            return
        self.written += len(names)
        if all(plan.reusable(name) for name in names):
            for name in names:
                plan.reuse(name, stage / name)
            return
        slug = editions[0].slug
        # Taken, not looked up: the texts of an article whose files are made are let go with them.
        texts = checks.texts.pop(slug, None) or _texts(editions)
        pages = _pages(editions)
        contents = article_files(slug, self.base, texts, pages)
        for name in names:
            data = contents[name] if name in contents else contents[name.rpartition("/")[2]]
            target = stage / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        checks.check_data(slug, texts, {name: (stage / name).read_bytes() for name in names}, pages)


def _chart_names(edition: RenderedArticle) -> list[str]:
    """The tables of an edition's charts; the bilingual edition links the single-language ones."""
    if edition.bilingual_with is not None or edition.slug == INDEX_SLUG:
        return []
    return [chart_file_name(edition.slug, chart) for chart in chart_rows(edition.html)]


def _pages(editions: list[RenderedArticle]) -> dict[str, str]:
    """The HTML of the single-language editions, by folder: what the charts' tables are read from."""
    return {e.folder: e.html for e in editions if e.bilingual_with is None}


def _texts(editions: list[RenderedArticle]) -> dict[str, Text]:
    """The single-language editions' visible texts, for an article the figure check did not read this build."""
    return {e.locale.code: html_text(e.html) for e in editions if e.bilingual_with is None}


class Certificate:
    """What each PDF carries: its article's figures file, and one line saying what was checked, by what, when."""

    def __init__(self, stage: Path, languages: list[str], code: str) -> None:
        self.stage = stage
        self.editions = ", ".join(languages) + " and bilingual"
        self.by = f"{DISTRIBUTION} {_version()} (code {code[:12]})"
        self.when = _build_time()

    def __call__(self, relative_pdf: str) -> tuple[Path, str] | None:
        folder, _, name = relative_pdf.rpartition("/")
        slug = name.removesuffix(".pdf")
        if slug == INDEX_SLUG:
            return None
        note = (
            f"Parity certificate: the figures of {slug} in this file agree across its {self.editions} editions, "
            f"and this PDF was held to the checked HTML it is made from before publishing; "
            f"{self.by}, {self.when}."
        )
        return self.stage / folder / data_file_names(slug)[0], note


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "(not installed)"


def _build_time() -> str:
    """Now, in UTC; SOURCE_DATE_EPOCH's time instead when set, as reproducible builds ask."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isascii() and epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
