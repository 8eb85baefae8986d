"""An edition's own figures, read and held to the fact base; then one article's editions compared.

The figure check (check.py) reads each edition of an article, the HTML and
the PDFs alike, with read_figures, and compares them with compare_editions;
the comparisons themselves are comparison.py's.
"""

from __future__ import annotations

import re

from pipeline.config import Config
from pipeline.errors import Diagnostic
from pipeline.facts import FactBase, PartialDate, parse_partial_date
from pipeline.i18n import FigureFormatter, FormatError
from pipeline.language import BIDI_CONTROLS, character_name
from pipeline.parity.comparison import (
    NO_TEXT,
    Cited,
    Edition,
    compare_bilingual_side,
    compare_languages,
    compare_pdf,
    finding,
    language_name,
)
from pipeline.parity.note_parity import NoteIndex, typed_markers, unresolved_notes
from pipeline.reading import FactMark, Figure, extract_figures

# The catalog check refuses these in translations; templates and facts could
# still carry one, and a reader would see a figure reversed that the text holds in order.
BIDI = re.compile("[" + "".join(chr(code) for code in sorted(BIDI_CONTROLS)) + "]")


def compare_editions(
    config: Config, editions: list[Edition]
) -> tuple[list[Diagnostic], list[Diagnostic], list[Diagnostic]]:
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


def read_figures(edition: Edition, base: FactBase) -> list[Diagnostic]:
    """Collect the edition's figures into it; report literals and figures that drifted from their fact.

    Its text is let go then: the comparisons need only its figures, and an
    index page's text, which lists every article, is never held once read."""
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
    edition.text = NO_TEXT
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
