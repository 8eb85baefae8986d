"""The figure check: both languages, HTML and PDF, cite the same figures.

Figures are extracted from the text a reader sees, parsing each locale's
conventions.  The check fails, naming the article, the locale, the figure and
its sentence, when
- a figure in the text was not generated from a fact (typed into a template
  or a translation),
- a figure generated from a fact no longer says what the fact says,
- the languages do not cite the same figures with the same values,
- a PDF does not carry exactly the figures of its HTML.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import Config, LocaleConfig, load_config
from pipeline.errors import CheckFailed, Diagnostic, UserError, display_path
from pipeline.extract import Figure, extract_figures
from pipeline.formatting import FigureFormatter, FormatError
from pipeline.load import FactBase, load_facts
from pipeline.model import INDEX_SLUG, PartialDate, parse_partial_date
from pipeline.pdf import PAGE_MARGINS_PT
from pipeline.provenance import stale_citations
from pipeline.render import RenderedArticle, has_index
from pipeline.text import FactMark, Text, html_text, pdf_text, sentence_around

Identity = tuple[object, ...]


@dataclass
class Cited:
    """A figure found in an edition and where it came from."""

    figure: Figure
    origin: str | None
    """The fact id (id@period for series points, as_of:DATE for dates) or None for a literal."""
    sentence: str

    @property
    def identity(self) -> Identity:
        return (self.origin, self.figure.key)


@dataclass
class Edition:
    slug: str
    locale: LocaleConfig
    shown: str
    text: Text
    pdf_shown: str | None = None
    pdf_pages: list[str] | None = None
    bilingual: bool = False
    """One language's side of the bilingual edition."""
    cited: list[Cited] = field(default_factory=list)
    markers: list[Figure] = field(default_factory=list)
    """Note and list numbers printed by the layout; not figures, but the PDF has them too."""


def raise_on_findings(findings: list[Diagnostic]) -> None:
    if findings:
        raise CheckFailed(findings)


def check_html_editions(
    config: Config, base: FactBase, rendered: list[RenderedArticle], shown_root: Path
) -> list[Diagnostic]:
    """Check editions rendered in memory, before anything is written."""
    editions: list[Edition] = []
    for item in rendered:
        shown = display_path(shown_root / item.folder / f"{item.slug}.html", config.root)
        if item.bilingual_with is None:
            editions.append(Edition(item.slug, item.locale, shown, html_text(item.html)))
        else:
            editions.extend(_bilingual_sides(item.slug, item.html, item.locale, item.bilingual_with, shown))
    return _check(config, base, editions)


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
    # The index pages are editions too, held to the same rules as the articles.
    for slug in [*base.articles, *([INDEX_SLUG] if has_index(config) else [])]:
        if slugs is not None and slug not in slugs:
            continue
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
            editions.append(
                Edition(
                    slug,
                    locale,
                    display_path(shown_root / html_path.relative_to(out_dir), config.root),
                    html_text(html_path.read_text(encoding="utf-8")),
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
    if missing:
        raise UserError(missing)
    return _check(config, base, editions)


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
    by_article: dict[str, dict[str, Edition]] = {}
    for edition in editions:
        if not edition.bilingual:
            by_article.setdefault(edition.slug, {})[edition.locale.code] = edition
    for edition in editions:
        single = by_article.get(edition.slug, {}).get(edition.locale.code)
        if edition.bilingual and single is not None:
            findings.extend(_compare_bilingual_side(edition, single))
    for article_editions in by_article.values():
        source = article_editions.get(config.source_locale.code)
        for target_locale in config.target_locales:
            target = article_editions.get(target_locale.code)
            if source is not None and target is not None:
                findings.extend(_compare_languages(source, target))
    for edition in editions:
        if edition.pdf_pages is not None:
            findings.extend(_compare_pdf(edition))
    return findings


def _read_figures(edition: Edition, base: FactBase) -> list[Diagnostic]:
    """Collect the edition's figures; report literals and figures that drifted from their fact."""
    findings: list[Diagnostic] = []
    formatter = FigureFormatter(edition.locale.babel)
    figures = extract_figures(edition.text.text, edition.locale.language)
    by_mark: dict[FactMark, list[Figure]] = {}
    for figure in figures:
        mark = edition.text.mark_at(figure.start, figure.end)
        sentence = edition.text.sentence_around(figure.start, figure.end)
        if mark is None:
            if not figure.spelled:
                findings.append(
                    _finding(edition, f'"{figure.text}" does not come from a fact: "{sentence}"', "check.literal")
                )
                edition.cited.append(Cited(figure, None, sentence))
            continue
        if mark.marker:
            edition.markers.append(figure)
            continue
        by_mark.setdefault(mark, []).append(figure)
        edition.cited.append(Cited(figure, _origin(mark), sentence))
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
                _finding(
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


def _compare_languages(source: Edition, target: Edition) -> list[Diagnostic]:
    source_counts = Counter(cited.identity for cited in source.cited)
    target_counts = Counter(cited.identity for cited in target.cited)
    only_source = [c for c in _surplus(source.cited, source_counts - target_counts)]
    only_target = [c for c in _surplus(target.cited, target_counts - source_counts)]
    findings: list[Diagnostic] = []
    source_language = _language_name(source.locale)
    target_language = _language_name(target.locale)
    # Pair leftovers of the same kind in text order: that is most often one
    # figure written two ways, and the reader wants to see both sentences.
    unpaired_target = list(only_target)
    for cited in only_source:
        partner = next((other for other in unpaired_target if other.figure.unit == cited.figure.unit), None)
        if partner is not None:
            unpaired_target.remove(partner)
            findings.append(
                _finding(
                    target,
                    f'{source_language} "{cited.figure.text}" differs from {target_language} '
                    f'"{partner.figure.text}": {source_language}: "{cited.sentence}" / '
                    f'{target_language}: "{partner.sentence}"',
                    "check.differs",
                )
            )
        else:
            findings.append(
                _finding(
                    target,
                    f'{source_language} "{cited.figure.text}" is missing from the {target_language} text: '
                    f'"{cited.sentence}"',
                    "check.differs",
                )
            )
    for cited in unpaired_target:
        findings.append(
            _finding(
                target,
                f'{target_language} "{cited.figure.text}" has no counterpart in the {source_language} text: '
                f'"{cited.sentence}"',
                "check.differs",
            )
        )
    return findings


def _compare_bilingual_side(side: Edition, single: Edition) -> list[Diagnostic]:
    """A language's column of the bilingual edition cites exactly what its own edition cites."""
    side_keys = Counter(cited.figure.key for cited in side.cited)
    single_keys = Counter(cited.figure.key for cited in single.cited)
    language = _language_name(side.locale)
    findings = [
        _finding(
            side,
            f'the {language} column lacks "{cited.figure.text}" of the {language} edition: "{cited.sentence}"',
            "check.bilingual",
        )
        for cited in _surplus(single.cited, single_keys - side_keys)
    ]
    findings += [
        _finding(
            side,
            f'the {language} column has "{cited.figure.text}", which the {language} edition does not: '
            f'"{cited.sentence}"',
            "check.bilingual",
        )
        for cited in _surplus(side.cited, side_keys - single_keys)
    ]
    return findings


def _compare_pdf(edition: Edition) -> list[Diagnostic]:
    assert edition.pdf_pages is not None
    pdf_full = "\n".join(edition.pdf_pages)
    pdf_figures = extract_figures(pdf_full, edition.locale.language)
    html_keys = Counter(cited.figure.key for cited in edition.cited)
    # Words such as "second" are figures only where a fact put them; in the
    # PDF they count only where the HTML has them too.
    pdf_keys = Counter(figure.key for figure in pdf_figures if not figure.spelled or figure.key in html_keys)
    pdf_keys.subtract(Counter(figure.key for figure in edition.markers))
    pdf_keys = +pdf_keys
    findings: list[Diagnostic] = []
    language = _language_name(edition.locale)
    for cited in _surplus(edition.cited, html_keys - pdf_keys):
        findings.append(
            _finding(
                edition,
                f'{language} PDF lacks "{cited.figure.text}" of its HTML: "{cited.sentence}"',
                "check.pdf",
                edition.pdf_shown,
            )
        )
    extra = pdf_keys - html_keys
    for figure in pdf_figures:
        if extra.get(figure.key, 0) > 0:
            extra[figure.key] -= 1
            sentence = sentence_around(pdf_full, figure.start, figure.end)
            findings.append(
                _finding(
                    edition,
                    f'{language} PDF has "{figure.text}", which its HTML does not: "{sentence}"',
                    "check.pdf",
                    edition.pdf_shown,
                )
            )
    return findings


def _surplus(cited: list[Cited], surplus: Counter[Identity] | Counter[object]) -> list[Cited]:
    """The cited figures accounting for `surplus`, last occurrences first left out."""
    remaining = Counter(surplus)
    chosen: list[Cited] = []
    for item in cited:
        key = item.identity if item.identity in remaining else item.figure.key
        if remaining.get(key, 0) > 0:
            remaining[key] -= 1
            chosen.append(item)
    return chosen


def _language_name(locale: LocaleConfig) -> str:
    return locale.babel.get_language_name("en") or locale.code


def _finding(edition: Edition, message: str, code: str, shown: str | None = None) -> Diagnostic:
    return Diagnostic(message, code, shown or edition.shown)
