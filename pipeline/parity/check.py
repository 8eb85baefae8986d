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
"""

from __future__ import annotations

import datetime
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from pipeline.config import Config, LocaleConfig, load_config
from pipeline.datasets import data_file_names
from pipeline.errors import CheckFailed, Diagnostic, UserError, display_path
from pipeline.facts import INDEX_SLUG, FactBase, PartialDate, load_facts, parse_partial_date
from pipeline.i18n import FigureFormatter, FormatError
from pipeline.language import BIDI_CONTROLS, character_name
from pipeline.parity.chart_data import check_chart_data, read_chart_files
from pipeline.parity.comparison import (
    Cited,
    Edition,
    compare_bilingual_pdf,
    compare_bilingual_side,
    compare_languages,
    compare_pdf,
    finding,
    language_name,
)
from pipeline.parity.data_files import check_figure_data, check_pdf_data, read_published
from pipeline.parity.note_parity import (
    NoteIndex,
    typed_markers,
    unresolved_notes,
)
from pipeline.parity.staged import CheckedHtml
from pipeline.pdf import PAGE_MARGINS_PT
from pipeline.provenance import stale_citations
from pipeline.reading import FactMark, Figure, Text, extract_figures, html_text, pdf_text
from pipeline.render import RenderedArticle, has_index

# The catalog check refuses these in translations; templates and facts could
# still carry one, and a reader would see a figure reversed that the text holds in order.
BIDI = re.compile("[" + "".join(chr(code) for code in sorted(BIDI_CONTROLS)) + "]")


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
                editions.append(edition)
                if item.slug != INDEX_SLUG:
                    # An index page has no data files; its text, which lists every article, is let go.
                    self.texts.setdefault(item.slug, {})[item.locale.code] = edition.text
                if keep is not None:
                    keep.keep_edition(relative, item.html, edition)
            else:
                editions.extend(_bilingual_sides(item.slug, item.html, item.locale, item.bilingual_with, shown))
                if keep is not None:
                    keep.keep_bilingual(relative, item.html, html_text(item.html))
        for edition in editions:
            folder = "bilingual" if edition.bilingual else edition.locale.code
            self._figures.setdefault(folder, []).extend(_read_figures(edition, self.base))
        sides, languages, _ = _compare(config, editions)
        self._sides += sides
        self._languages += languages
        if keep is not None:
            keep.forget_texts()

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


def _bilingual_sides(slug: str, html: str, source: LocaleConfig, target: LocaleConfig, shown: str) -> list[Edition]:
    """Each language of a bilingual edition, read as if the other were not there."""
    return [
        Edition(slug, source, shown, html_text(html, without_language=target.code), bilingual=True),
        Edition(slug, target, shown, html_text(html, without_language=source.code), bilingual=True),
    ]


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
    editions: list[Edition] = []
    missing: list[Diagnostic] = []
    bilingual_pdfs: list[Diagnostic] = []
    data_findings: list[Diagnostic] = []

    def shown_in(path: Path) -> str:
        return display_path(shown_root / path.relative_to(out_dir), config.root)

    # The index pages are editions too, held to the same rules as the articles.
    for slug in [*base.articles, *([INDEX_SLUG] if has_index(config) else [])]:
        if slugs is not None and slug not in slugs:
            continue
        page_html: dict[str, str] = {}
        for locale in config.locales:
            html_path = out_dir / locale.code / f"{slug}.html"
            pdf_path = html_path.with_suffix(".pdf")
            for path in (html_path, pdf_path):
                if not path.is_file():
                    shown = display_path(shown_root / path.relative_to(out_dir), config.root)
                    missing.append(Diagnostic("missing: run 'pipeline build' first", "check.missing-output", shown))
            if missing:
                continue
            relative = pdf_path.relative_to(out_dir).as_posix()
            pages = (pdf_texts or {}).get(relative)
            if pages is None and (pdfs is None or relative in pdfs):
                pages = pdf_text(pdf_path, PAGE_MARGINS_PT)
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
            pages = (pdf_texts or {}).get(relative)
            if pages is None and (pdfs is None or relative in pdfs):
                pages = pdf_text(out_dir / relative, PAGE_MARGINS_PT)
            if pages is not None:
                pdf_shown = display_path(shown_root / relative, config.root)
                bilingual_pdfs.extend(
                    Diagnostic(f"bilingual PDF {message}", "check.pdf", pdf_shown)
                    for message in compare_bilingual_pdf(html_text(html), pages)
                )
        if slug != INDEX_SLUG:
            texts = {e.locale.code: e.text for e in editions if e.slug == slug and not e.bilingual}
            folders = [*(locale.code for locale in config.locales), "bilingual"]
            files = _data_files(out_dir, slug, folders, missing, shown_in)
            data_findings.extend(check_figure_data(slug, base, texts, files, lambda name: shown_in(out_dir / name)))
            tables = read_chart_files(out_dir, slug, page_html, missing, shown_in)
            data_findings.extend(check_chart_data(slug, base, page_html, tables, lambda name: shown_in(out_dir / name)))
    if missing:
        raise UserError(missing)
    if pdfs is None:
        # The build checks what the PDFs it renders carry itself; a check of published output reads every PDF.
        carried = dict.fromkeys(f"{_folder(e)}/{e.slug}.pdf" for e in editions if e.slug != INDEX_SLUG)
        data_findings += check_pdf_data(out_dir, carried, lambda name: shown_in(out_dir / name))
    return _check(config, base, editions) + bilingual_pdfs + data_findings


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


def _check(config: Config, base: FactBase, editions: list[Edition]) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    for edition in editions:
        findings.extend(_read_figures(edition, base))
    sides, languages, pdfs = _compare(config, editions)
    return findings + sides + languages + pdfs


def _compare(config: Config, editions: list[Edition]) -> tuple[list[Diagnostic], list[Diagnostic], list[Diagnostic]]:
    """Editions whose figures are read, compared: bilingual columns, languages, PDFs."""
    sides: list[Diagnostic] = []
    by_article: dict[str, dict[str, Edition]] = {}
    for edition in editions:
        if not edition.bilingual:
            by_article.setdefault(edition.slug, {})[edition.locale.code] = edition
    for edition in editions:
        single = by_article.get(edition.slug, {}).get(edition.locale.code)
        if edition.bilingual and single is not None:
            sides.extend(compare_bilingual_side(edition, single))
    languages: list[Diagnostic] = []
    for article_editions in by_article.values():
        source = article_editions.get(config.source_locale.code)
        for target_locale in config.target_locales:
            target = article_editions.get(target_locale.code)
            if source is not None and target is not None:
                languages.extend(compare_languages(source, target))
    pdfs = [finding for edition in editions if edition.pdf_pages is not None for finding in compare_pdf(edition)]
    return sides, languages, pdfs


def _read_figures(edition: Edition, base: FactBase) -> list[Diagnostic]:
    """Collect the edition's figures; report literals and figures that drifted from their fact."""
    findings: list[Diagnostic] = []
    formatter = FigureFormatter(edition.locale.babel)
    figures = extract_figures(edition.text.text, edition.locale.language)
    notes = NoteIndex(edition.text)
    by_mark: dict[FactMark, list[Figure]] = {}
    for figure in figures:
        mark = edition.text.mark_at(figure.start, figure.end)
        sentence = edition.text.sentence_around(figure.start, figure.end)
        if mark is None:
            if not figure.spelled:
                findings.append(
                    finding(edition, f'"{figure.text}" does not come from a fact: "{sentence}"', "check.literal")
                )
                edition.cited.append(Cited(figure, None, sentence))
            continue
        if mark.marker:
            edition.markers.append(figure)
            continue
        by_mark.setdefault(mark, []).append(figure)
        edition.cited.append(Cited(figure, _origin(mark), sentence, notes.notes_of(mark)))
    column = f"the {language_name(edition.locale)} column: " if edition.bilingual else ""
    for message in unresolved_notes(notes, base):
        findings.append(finding(edition, column + message, "check.note"))
    for match in BIDI.finditer(edition.text.text):
        sentence = edition.text.sentence_around(match.start(), match.end())
        message = f'{character_name(match.group())} can reorder what readers see: "{sentence}"'
        findings.append(finding(edition, column + message, "check.bidi"))
    for start, end in typed_markers(edition.text):
        shown = edition.text.text[start:end]
        message = (
            f'"{shown}" reads as a note marker but no figure put it there: "{edition.text.sentence_around(start, end)}"'
        )
        findings.append(finding(edition, column + message, "check.note"))
    for number in edition.text.list_numbers:
        edition.markers.extend(extract_figures(f"{number}.", edition.locale.language))
    for mark in edition.text.marks:
        if mark.marker:
            continue
        expected = _expected_text(mark, base, formatter)
        if expected is None:
            continue
        wanted = [figure.key for figure in extract_figures(expected, edition.locale.language)]
        found = [figure.key for figure in by_mark.get(mark, [])]
        if wanted != found:
            shown = edition.text.text[mark.start : mark.end]
            sentence = edition.text.sentence_around(mark.start, mark.end)
            findings.append(
                finding(
                    edition,
                    f'"{shown}" should read "{expected}" ({_origin(mark)}): "{sentence}"',
                    "check.fact-value",
                )
            )
    return findings


def _expected_text(mark: FactMark, base: FactBase, formatter: FigureFormatter) -> str | None:
    if mark.fact_id is not None:
        fact = base.facts.get(mark.fact_id)
        if fact is None or fact.kind == "countries":
            return None if fact is not None else f"(unknown fact {mark.fact_id})"
        try:
            return formatter.fact(fact, mark.period)
        except FormatError:
            return f"(no period {mark.period} in {mark.fact_id})"
    if mark.datetime is not None:
        try:
            date: PartialDate = parse_partial_date(mark.datetime)
        except ValueError:
            return f"(invalid date {mark.datetime})"
        return formatter.date(date)
    return None


def _origin(mark: FactMark) -> str:
    if mark.fact_id is not None:
        return f"{mark.fact_id}@{mark.period}" if mark.period else mark.fact_id
    return f"date {mark.datetime}"
