"""The figure check: both languages, HTML and PDF, cite the same figures.

Figures are extracted from the text a reader sees, parsing each locale's
conventions.  The check fails, naming the article, the locale, the figure and
its sentence, when
- a figure in the text was not generated from a fact (typed into a template
  or a translation),
- a figure generated from a fact no longer says what the fact says,
- the languages do not cite the same figures with the same values,
- a PDF does not carry exactly the figures of its HTML,
- a note marker does not lead to its figure's source, or the editions number
  a fact's note differently (pipeline/parity/note_parity.py).

How one edition's figures are read and one article's editions compared is
edition_figures.py; this module reads the editions, in memory or published.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from pipeline.config import Config, LocaleConfig, load_config
from pipeline.datasets import data_file_names
from pipeline.errors import CheckFailed, Diagnostic, UserError, display_path
from pipeline.facts import INDEX_SLUG, FactBase, load_facts
from pipeline.parity.chart_data import check_chart_data, read_chart_files
from pipeline.parity.comparison import Edition, compare_bilingual_pdf
from pipeline.parity.data_files import check_figure_data, check_pdf_data, read_published
from pipeline.parity.edition_figures import compare_editions, read_figures
from pipeline.parity.staged import CheckedHtml
from pipeline.pdf import PAGE_MARGINS_PT
from pipeline.provenance import stale_citations
from pipeline.reading import Text, html_text, pdf_text
from pipeline.render import RenderedArticle, has_index


def raise_on_findings(findings: list[Diagnostic]) -> None:
    if findings:
        raise CheckFailed(findings)


def check_html_editions(
    config: Config,
    base: FactBase,
    rendered: list[RenderedArticle],
    shown_root: Path,
    keep: CheckedHtml | None = None,
) -> list[Diagnostic]:
    """Check editions rendered in memory, before anything is written.

    With `keep`, what the check of the written PDFs needs of each edition is
    kept there (staged.py), so their HTML is not read and checked again."""
    checks = HtmlChecks(config, base, shown_root, keep)
    checks.check(rendered)
    return checks.findings


class HtmlChecks:
    """The check of editions rendered in memory, one article's editions at a time.

    A build checks each article as it renders it and then lets its HTML go,
    so its memory does not grow with the corpus.  Every comparison is between
    editions of one article, so the findings are those of one check of all
    editions at once, and listed in its order: every edition's own figures
    (locale by locale), then the bilingual columns, then the languages.
    """

    def __init__(self, config: Config, base: FactBase, shown_root: Path, keep: CheckedHtml | None = None) -> None:
        self.config, self.base, self.shown_root, self.keep = config, base, shown_root, keep
        self._figures: dict[str, list[Diagnostic]] = {}
        self._sides: list[Diagnostic] = []
        self._languages: list[Diagnostic] = []
        self._data: list[Diagnostic] = []
        self.texts: dict[str, dict[str, Text]] = {}
        """The visible text of each article's single-language editions of the last check (slug -> code -> text),
        which its data files are made from and held to."""

    def check(self, rendered: list[RenderedArticle]) -> None:
        """Check these editions: all the editions of the articles among them."""
        config, keep = self.config, self.keep
        editions: list[Edition] = []
        self.texts = {}
        for item in rendered:
            # One string a file, however many of the build's tables name it.
            relative = sys.intern(f"{item.folder}/{item.slug}.html")
            shown = display_path(self.shown_root / relative, config.root)
            if item.bilingual_with is None:
                edition = Edition(item.slug, item.locale, shown, html_text(item.html))
                if item.slug != INDEX_SLUG:
                    # An index page has no data files; its text, which lists every article, is let go.
                    self.texts.setdefault(item.slug, {})[item.locale.code] = edition.text
                editions.append(self._read(edition))
                if keep is not None:
                    keep.keep_edition(relative, item.html, edition)
            else:
                if keep is not None:
                    # Before its sides are read, while the least is held.
                    keep.keep_bilingual(relative, item.html, html_text(item.html))
                sides = _bilingual_sides(item.slug, item.html, item.locale, item.bilingual_with, shown)
                editions.extend(self._read(side) for side in sides)
        sides_found, languages, _ = compare_editions(config, editions)
        self._sides += sides_found
        self._languages += languages
        if keep is not None:
            keep.forget_texts()

    def _read(self, edition: Edition) -> Edition:
        """The edition's figures read as soon as it is, one at a time: an index page, whose text lists
        every article, is never held in several readings at once."""
        self._figures.setdefault(_folder(edition), []).extend(read_figures(edition, self.base))
        return edition

    def check_data(
        self, slug: str, texts: Mapping[str, Text], files: Mapping[str, bytes], pages: Mapping[str, str]
    ) -> None:
        """An article's data files as written (relative path -> bytes), against its pages' texts and,
        for the charts' tables, its single-language pages' HTML (folder -> HTML)."""

        def shown(relative: str) -> str:
            return display_path(self.shown_root / relative, self.config.root)

        self._data += check_figure_data(slug, self.base, texts, files, shown)
        self._data += check_chart_data(slug, self.base, pages, files, shown)

    @property
    def findings(self) -> list[Diagnostic]:
        found = (d for found in self._figures.values() for d in found)
        return [*found, *self._sides, *self._languages, *self._data]


def _bilingual_sides(slug: str, html: str, source: LocaleConfig, target: LocaleConfig, shown: str) -> Iterator[Edition]:
    """Each language of a bilingual edition, read as if the other were not there; one at a time."""
    yield Edition(slug, source, shown, html_text(html, without_language=target.code), bilingual=True)
    yield Edition(slug, target, shown, html_text(html, without_language=source.code), bilingual=True)


def check_output(
    config: Config,
    base: FactBase,
    out_dir: Path,
    shown_root: Path | None = None,
    pdfs: set[str] | None = None,
    pdf_texts: Mapping[str, list[str]] | None = None,
    slugs: set[str] | None = None,
) -> list[Diagnostic]:
    """Check written output; with `pdfs`, read only those PDFs (relative paths): the others
    are byte-identical to PDFs that passed this check when they were published.

    `pdf_texts` holds the page texts of PDFs already read (by relative path),
    as the build's workers read them right after rendering; the others are read here.
    With `slugs`, only those articles are checked: the build passes the ones
    it rendered, the others being byte-identical to what passed when published."""
    shown_root = shown_root or out_dir
    missing: list[Diagnostic] = []
    # Listed as one check of every edition at once lists them: figures, bilingual columns, languages, PDFs.
    figures: list[Diagnostic] = []
    found: tuple[list[Diagnostic], ...] = ([], [], [])
    carried: list[str] = []
    unreadable: dict[str, Diagnostic] = {}
    bilingual_pdfs: list[Diagnostic] = []
    data_findings: list[Diagnostic] = []

    def shown_in(path: Path) -> str:
        return display_path(shown_root / path.relative_to(out_dir), config.root)

    def pages_of(relative: str) -> list[str] | None:
        """A PDF's page texts: as the build read them, read here, or None when it is not to be read."""
        pages = (pdf_texts or {}).get(relative)
        if pages is None and (pdfs is None or relative in pdfs):
            try:
                pages = pdf_text(out_dir / relative, PAGE_MARGINS_PT)
            except ValueError as error:
                unreadable[relative] = Diagnostic(
                    f"cannot be read as a PDF: {error}", "check.pdf", shown_in(out_dir / relative)
                )
        return pages

    # The index pages are editions too, held to the same rules as the articles.
    for slug in [*base.articles, *([INDEX_SLUG] if has_index(config) else [])]:
        if slugs is not None and slug not in slugs:
            continue
        page_html: dict[str, str] = {}
        editions: list[Edition] = []
        for locale in config.locales:
            html_path = out_dir / locale.code / f"{slug}.html"
            pdf_path = html_path.with_suffix(".pdf")
            for path in (html_path, pdf_path):
                if not path.is_file():
                    shown = display_path(shown_root / path.relative_to(out_dir), config.root)
                    missing.append(Diagnostic("missing: run 'pipeline build' first", "check.missing-output", shown))
            if missing:
                continue
            pages = pages_of(pdf_path.relative_to(out_dir).as_posix())
            page_html[locale.code] = html_path.read_text(encoding="utf-8")
            editions.append(
                Edition(
                    slug,
                    locale,
                    display_path(shown_root / html_path.relative_to(out_dir), config.root),
                    html_text(page_html[locale.code]),
                    display_path(shown_root / pdf_path.relative_to(out_dir), config.root),
                    pages,
                )
            )
        html_path = out_dir / "bilingual" / f"{slug}.html"
        shown = display_path(shown_root / html_path.relative_to(out_dir), config.root)
        if not html_path.is_file() or not html_path.with_suffix(".pdf").is_file():
            missing.append(Diagnostic("missing: run 'pipeline build' first", "check.missing-output", shown))
        elif config.target_locales:
            html = html_path.read_text(encoding="utf-8")
            editions.extend(_bilingual_sides(slug, html, config.source_locale, config.target_locales[0], shown))
            relative = html_path.with_suffix(".pdf").relative_to(out_dir).as_posix()
            pages = pages_of(relative)
            if pages is not None:
                pdf_shown = display_path(shown_root / relative, config.root)
                bilingual_pdfs.extend(
                    Diagnostic(f"bilingual PDF {message}", "check.pdf", pdf_shown)
                    for message in compare_bilingual_pdf(html_text(html), pages)
                )
        if slug != INDEX_SLUG:
            folders = [*(locale.code for locale in config.locales), "bilingual"]
            files = _data_files(out_dir, slug, folders, missing, shown_in)
            texts = {e.locale.code: e.text for e in editions if not e.bilingual}
            data_findings.extend(check_figure_data(slug, base, texts, files, lambda name: shown_in(out_dir / name)))
            del texts  # not held into the next article
            tables = read_chart_files(out_dir, slug, page_html, missing, shown_in)
            data_findings.extend(check_chart_data(slug, base, page_html, tables, lambda name: shown_in(out_dir / name)))
            carried += [f"{_folder(edition)}/{slug}.pdf" for edition in editions]
        # Checked and let go: a published corpus is read one article at a time, never held whole.
        figures += [finding for edition in editions for finding in read_figures(edition, base)]
        for findings, more in zip(found, compare_editions(config, editions), strict=True):
            findings += more
    if missing:
        raise UserError(missing)
    if pdfs is None:
        # The build checks what the PDFs it renders carry itself; a check of published output reads every PDF.
        readable = dict.fromkeys(name for name in carried if name not in unreadable)
        data_findings += check_pdf_data(out_dir, readable, lambda name: shown_in(out_dir / name))
    found_all = [finding for findings in found for finding in findings]
    return [*unreadable.values(), *figures, *found_all, *bilingual_pdfs, *data_findings]


def _folder(edition: Edition) -> str:
    return "bilingual" if edition.bilingual else edition.locale.code


def _data_files(
    out_dir: Path, slug: str, folders: list[str], missing: list[Diagnostic], shown: Callable[[Path], str]
) -> dict[str, bytes]:
    """An article's data files beside each of its editions (relative path -> bytes); the absent ones are missing."""
    files: dict[str, bytes] = {}
    for folder in folders:
        for name in data_file_names(slug):
            data = read_published(out_dir, f"{folder}/{name}", missing, shown)
            if data is not None:
                files[f"{folder}/{name}"] = data
    return files


def check_published(
    project: Path,
    out_dir: Path,
    *,
    today: datetime.date | None = None,
    strict: bool = False,
    warn: Callable[[Diagnostic], None] | None = None,
) -> str:
    """Verify built output; cited facts older than their article allows are warnings (errors when strict)."""
    config = load_config(project)
    base = load_facts(config)
    stale = stale_citations(config, base, today or datetime.date.today(), strict)
    if not strict and warn is not None:
        for warning in stale:
            warn(warning)
    if not out_dir.is_dir():
        raise UserError.single("no built output here: run 'pipeline build' first", "check.missing-output", str(out_dir))
    findings = check_output(config, base, out_dir)
    raise_on_findings([*(stale if strict else []), *findings])
    return (
        f"{len(base.articles)} articles in {len(config.locales)} languages: "
        "every figure comes from a fact and agrees across languages, HTML and PDF"
    )
