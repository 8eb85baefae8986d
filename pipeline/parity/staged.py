"""The check of the written files, holding each PDF to HTML that was checked once, in memory.

The build checks every edition it rendered before publishing
(check.py:HtmlChecks), article by article, and then lets its HTML go.
What the files' check needs of an edition afterwards is kept from that
check, not read again: the digest of the HTML checked, and the figures found
in it (or, for a bilingual edition, the numbers and marked words its PDF
must print).  The staged HTML is then only hashed, never parsed a second
time: a file that differs from what was checked is a finding.  Each PDF is
compared as its page texts arrive from the renderer, and what was kept for
it is dropped, so neither page texts nor figures pile up over a corpus.  A
PDF whose HTML this build did not check (its HTML taken as published while
the PDF is made again, say for another PDF variant) is checked as `pipeline
check` checks it, from the files.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import Config, LocaleConfig
from pipeline.errors import Diagnostic, display_path
from pipeline.facts import INDEX_SLUG, FactBase
from pipeline.inputs import content_digest
from pipeline.parity.comparison import NO_TEXT, BilingualPrint, Edition, compare_bilingual_pdf, compare_pdf
from pipeline.reading import Text
from pipeline.render import has_index


@dataclass(slots=True)
class Kept:
    """What the PDF check needs of one edition whose HTML passed."""

    digest: str
    """Content digest of the HTML bytes checked."""
    packed: bytes = b""
    """Until its PDF is compared, what it is compared with, pickled and compressed: a single-language
    edition's slug, path shown, figures and layout numbers, or a bilingual edition's BilingualPrint.
    A corpus keeps a few hundred bytes per edition until then, not the objects."""
    locale: LocaleConfig | None = None
    """A single-language edition's locale (shared, not packed); None for a bilingual one."""

    def waiting(self) -> bool:
        """Its PDF is still to be compared."""
        return bool(self.packed)

    def compare(self, pages: list[str], shown: str) -> list[Diagnostic]:
        unpacked = pickle.loads(zlib.decompress(self.packed))
        if isinstance(unpacked, BilingualPrint):
            return [
                Diagnostic(f"bilingual PDF {message}", "check.pdf", shown)
                for message in compare_bilingual_pdf(unpacked, pages)
            ]
        assert self.locale is not None
        slug, html_shown, cited, markers = unpacked
        edition = Edition(slug, self.locale, html_shown, NO_TEXT, shown, pages, cited=cited, markers=markers)
        return compare_pdf(edition)


def _pack(value: object) -> bytes:
    return zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


@dataclass
class CheckedHtml:
    """The editions whose HTML passed the check, by relative path (en/mosul.html)."""

    kept: dict[str, Kept] = field(default_factory=dict)
    compared: dict[str, list[Diagnostic]] = field(default_factory=dict)
    """Findings of the PDFs compared as they were rendered (compare_pdf_pages), by relative path;
    a PDF that agrees with its HTML has none, and no entry."""
    _reading: list[tuple[Kept, Edition]] = field(default_factory=list)
    """Editions kept whose figures are still being read."""

    def keep_edition(self, relative: str, html: str, edition: Edition) -> None:
        self.kept[relative] = Kept(content_digest(html.encode("utf-8")), locale=edition.locale)
        self._reading.append((self.kept[relative], edition))

    def keep_bilingual(self, relative: str, html: str, text: Text) -> None:
        self.kept[relative] = Kept(content_digest(html.encode("utf-8")), _pack(BilingualPrint.of(text)))

    def forget_texts(self) -> None:
        """Once the figures are found, the text they were found in is no longer needed."""
        for kept, edition in self._reading:
            kept.packed = _pack((edition.slug, edition.shown, edition.cited, edition.markers))
        self._reading.clear()

    def compare_pdf_pages(self, pdf: str, pages: list[str], shown: str) -> bool:
        """Compare a PDF (relative path) with its checked HTML as soon as it is read, then forget
        both but the HTML's digest.  False: its HTML was not checked here; keep the pages."""
        kept = self.kept.get(pdf.removesuffix(".pdf") + ".html")
        if kept is None:
            return False
        if kept.waiting():
            found = kept.compare(pages, shown)
            if found:
                self.compared[pdf] = found
            kept.packed = b""
            kept.locale = None
        return True


def check_staged(
    config: Config,
    base: FactBase,
    checked: CheckedHtml,
    stage: Path,
    shown_root: Path,
    pdf_texts: Mapping[str, list[str]],
) -> tuple[list[Diagnostic], set[str]]:
    """The staged files against the HTML checked in memory: findings, and the PDFs
    (relative paths) left for a check from the files, their HTML not checked here.

    `pdf_texts` holds the page texts of the PDFs not compared as they were
    rendered (CheckedHtml.compare_pdf_pages)."""
    findings: list[Diagnostic] = []
    bilingual: list[Diagnostic] = []
    unchecked: set[str] = set()

    def shown(relative: str) -> str:
        return display_path(shown_root / relative, config.root)

    for relative, kept in checked.kept.items():
        path = stage / relative
        if not path.is_file() or content_digest(path.read_bytes()) != kept.digest:
            message = "differs from the HTML that passed the figure check"
            findings.append(Diagnostic(message, "check.changed", shown(relative)))
    # In the order of a check from the files: article by article, the bilingual PDFs last.
    for slug in [*base.articles, *([INDEX_SLUG] if has_index(config) else [])]:
        for folder in [*(locale.code for locale in config.locales), "bilingual"]:
            pdf = f"{folder}/{slug}.pdf"
            pages = pdf_texts.get(pdf)
            if pages is not None and not checked.compare_pdf_pages(pdf, pages, shown(pdf)):
                unchecked.add(pdf)
            (bilingual if folder == "bilingual" else findings).extend(checked.compared.get(pdf, []))
    return findings + bilingual, unchecked
