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
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.config import Config
from pipeline.errors import Diagnostic, display_path
from pipeline.facts import INDEX_SLUG, FactBase
from pipeline.inputs import content_digest
from pipeline.parity.comparison import BilingualPrint, Edition, compare_bilingual_pdf, compare_pdf
from pipeline.reading import Text
from pipeline.render import has_index

_NO_TEXT = Text("")


@dataclass(slots=True)
class Kept:
    """What the PDF check needs of one edition whose HTML passed."""

    digest: str
    """Content digest of the HTML bytes checked."""
    edition: Edition | None = None
    """A single-language edition: its figures are read into it; then `packed` holds them."""
    packed: bytes = b""
    """The figures found in the edition's HTML and its layout numbers, pickled and compressed:
    a corpus keeps a few KiB per edition until its PDF is compared, not its figures' objects."""
    bilingual: BilingualPrint | None = None
    """A bilingual edition: what its PDF must print."""

    def waiting(self) -> bool:
        """Its PDF is still to be compared."""
        return self.edition is not None or self.bilingual is not None

    def figures(self) -> Edition:
        assert self.edition is not None
        if not self.packed:
            return self.edition
        cited, markers = pickle.loads(zlib.decompress(self.packed))
        return replace(self.edition, cited=cited, markers=markers)


@dataclass
class CheckedHtml:
    """The editions whose HTML passed the check, by relative path (en/mosul.html)."""

    kept: dict[str, Kept] = field(default_factory=dict)
    compared: dict[str, list[Diagnostic]] = field(default_factory=dict)
    """Findings of the PDFs compared as they were rendered (compare_pdf_pages), by relative path;
    a PDF that agrees with its HTML has none, and no entry."""
    _reading: list[Kept] = field(default_factory=list)
    """Editions kept whose figures are still being read."""

    def keep_edition(self, relative: str, html: str, edition: Edition) -> None:
        self.kept[relative] = Kept(content_digest(html.encode("utf-8")), edition=edition)
        self._reading.append(self.kept[relative])

    def keep_bilingual(self, relative: str, html: str, text: Text) -> None:
        self.kept[relative] = Kept(content_digest(html.encode("utf-8")), bilingual=BilingualPrint.of(text))

    def forget_texts(self) -> None:
        """Once the figures are found, the text they were found in is no longer needed."""
        for kept in self._reading:
            assert kept.edition is not None
            figures = (kept.edition.cited, kept.edition.markers)
            kept.packed = zlib.compress(pickle.dumps(figures, pickle.HIGHEST_PROTOCOL))
            kept.edition = replace(kept.edition, text=_NO_TEXT, cited=[], markers=[])
        self._reading.clear()

    def compare_pdf_pages(self, pdf: str, pages: list[str], shown: str) -> bool:
        """Compare a PDF (relative path) with its checked HTML as soon as it is read, then forget
        both but the HTML's digest.  False: its HTML was not checked here; keep the pages."""
        kept = self.kept.get(pdf.removesuffix(".pdf") + ".html")
        if kept is None:
            return False
        if kept.waiting():
            found = _compare(kept, pages, shown)
            if found:
                self.compared[pdf] = found
            kept.edition = kept.bilingual = None
            kept.packed = b""
        return True


def _compare(kept: Kept, pages: list[str], shown: str) -> list[Diagnostic]:
    if kept.edition is not None:
        return compare_pdf(replace(kept.figures(), pdf_shown=shown, pdf_pages=pages))
    assert kept.bilingual is not None
    return [
        Diagnostic(f"bilingual PDF {message}", "check.pdf", shown)
        for message in compare_bilingual_pdf(kept.bilingual, pages)
    ]


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
