"""The figure check's comparisons: one language with another, a bilingual column with its edition, a PDF with its HTML.

Each compares figures already read (pipeline/parity/edition_figures.py reads them) and
returns findings naming the edition, the figure and its sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.config import LocaleConfig
from pipeline.errors import Diagnostic
from pipeline.parity.note_parity import (
    CitedFigure,
    marked_words,
    marker_mismatches,
    note_differences,
    pdf_note_mismatches,
)
from pipeline.reading import Figure, Text, extract_figures, sentence_around

Identity = tuple[object, ...]


@dataclass(slots=True)
class Cited:
    """A figure found in an edition and where it came from."""

    figure: Figure
    origin: str | None
    """The fact id (id@period for series points, as_of:DATE for dates) or None for a literal."""
    sentence: str
    notes: tuple[str, ...] = ()
    """The note markers attached to it ("[7]",)."""

    @property
    def identity(self) -> Identity:
        return (self.origin, self.figure.key)


NO_TEXT = Text("")
"""An edition's text once its figures are read, or of one made from its figures alone."""


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


def compare_languages(source: Edition, target: Edition) -> list[Diagnostic]:
    source_counts = Counter(cited.identity for cited in source.cited)
    target_counts = Counter(cited.identity for cited in target.cited)
    only_source = [c for c in _surplus(source.cited, source_counts - target_counts)]
    only_target = [c for c in _surplus(target.cited, target_counts - source_counts)]
    findings: list[Diagnostic] = []
    source_language = language_name(source.locale)
    target_language = language_name(target.locale)
    # Pair leftovers of the same kind in text order: that is most often one
    # figure written two ways, and the reader wants to see both sentences.
    unpaired_target = list(only_target)
    for cited in only_source:
        partner = next((other for other in unpaired_target if other.figure.unit == cited.figure.unit), None)
        if partner is not None:
            unpaired_target.remove(partner)
            findings.append(
                finding(
                    target,
                    f'{source_language} "{cited.figure.text}" differs from {target_language} '
                    f'"{partner.figure.text}": {source_language}: "{cited.sentence}" / '
                    f'{target_language}: "{partner.sentence}"',
                    "check.differs",
                )
            )
        else:
            findings.append(
                finding(
                    target,
                    f'{source_language} "{cited.figure.text}" is missing from the {target_language} text: '
                    f'"{cited.sentence}"',
                    "check.differs",
                )
            )
    for cited in unpaired_target:
        findings.append(
            finding(
                target,
                f'{target_language} "{cited.figure.text}" has no counterpart in the {source_language} text: '
                f'"{cited.sentence}"',
                "check.differs",
            )
        )
    findings += [
        finding(target, message, "check.note")
        for message in note_differences(_figures(source), _figures(target), source_language, target_language)
    ]
    return findings


def compare_bilingual_side(side: Edition, single: Edition) -> list[Diagnostic]:
    """A language's column of the bilingual edition cites exactly what its own edition cites."""
    side_keys = Counter(cited.figure.key for cited in side.cited)
    single_keys = Counter(cited.figure.key for cited in single.cited)
    language = language_name(side.locale)
    findings = [
        finding(
            side,
            f'the {language} column lacks "{cited.figure.text}" of the {language} edition: "{cited.sentence}"',
            "check.bilingual",
        )
        for cited in _surplus(single.cited, single_keys - side_keys)
    ]
    findings += [
        finding(
            side,
            f'the {language} column has "{cited.figure.text}", which the {language} edition does not: '
            f'"{cited.sentence}"',
            "check.bilingual",
        )
        for cited in _surplus(side.cited, side_keys - single_keys)
    ]
    names = (f"the {language} edition", f"the {language} column")
    differences = note_differences(_figures(single), _figures(side), *names)
    findings += [finding(side, message, "check.note") for message in differences]
    return findings


def compare_pdf(edition: Edition) -> list[Diagnostic]:
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
    language = language_name(edition.locale)
    for cited in _surplus(edition.cited, html_keys - pdf_keys):
        findings.append(
            finding(
                edition,
                f'{language} PDF lacks "{cited.figure.text}" of its HTML: "{cited.sentence}"',
                "check.pdf",
                edition.pdf_shown,
            )
        )
    html_notes = [(cited.figure.key, cited.notes) for cited in edition.cited]
    for message in pdf_note_mismatches(pdf_full, pdf_figures, html_notes):
        findings.append(finding(edition, f"{language} PDF {message}", "check.note", edition.pdf_shown))
    extra = pdf_keys - html_keys
    for figure in pdf_figures:
        if extra.get(figure.key, 0) > 0:
            extra[figure.key] -= 1
            sentence = sentence_around(pdf_full, figure.start, figure.end)
            findings.append(
                finding(
                    edition,
                    f'{language} PDF has "{figure.text}", which its HTML does not: "{sentence}"',
                    "check.pdf",
                    edition.pdf_shown,
                )
            )
    return findings


def _figures(edition: Edition) -> list[CitedFigure]:
    return [(cited.origin, cited.figure.text, cited.notes) for cited in edition.cited]


_LAYOUT_NUMBERS = re.compile(r"(?:\[\d+\])+|\(?https?://\S+")
_DIGITS = re.compile(r"\d(?:[\d.,]*\d)?")


@dataclass(frozen=True)
class BilingualPrint:
    """What a bilingual edition's PDF must print as its HTML does, kept instead of the HTML's text.

    Its pages interleave two languages' conventions, so numbers are compared
    as the digits a reader sees ("3,250" and "3.250" alike), whatever their language.
    """

    digits: Counter[str]
    marked: Counter[str]
    """The words note markers follow (note_parity.marked_words)."""

    @classmethod
    def of(cls, html: Text) -> BilingualPrint:
        digits = Counter(_DIGITS.findall(_LAYOUT_NUMBERS.sub(" ", html.text)))
        digits.update(str(number) for number in html.list_numbers)
        return cls(digits, marked_words(html.text))


def compare_bilingual_pdf(html: Text | BilingualPrint, pdf_pages: list[str]) -> list[str]:
    """What a bilingual PDF prints otherwise than its HTML: numbers, and the words the note markers follow."""
    expected = html if isinstance(html, BilingualPrint) else BilingualPrint.of(html)
    pdf = "\n".join(pdf_pages)
    in_pdf = Counter(_DIGITS.findall(_LAYOUT_NUMBERS.sub(" ", pdf)))
    messages = [f'lacks "{digits}" of its HTML' for digits in (expected.digits - in_pdf).elements()]
    messages += [f'has "{digits}", which its HTML does not' for digits in (in_pdf - expected.digits).elements()]
    # A missing number moves its marker onto the word before: one finding is enough.
    return messages or marker_mismatches(expected.marked, pdf)


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


def language_name(locale: LocaleConfig) -> str:
    return locale.babel.get_language_name("en") or locale.code


def finding(edition: Edition, message: str, code: str, shown: str | None = None) -> Diagnostic:
    return Diagnostic(message, code, shown or edition.shown)
