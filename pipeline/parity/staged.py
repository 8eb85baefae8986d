"""The check of the written files, holding each PDF to HTML that was checked once, in memory.

The build checks every edition it rendered before writing a byte
(check.py:check_html_editions).  What the files' check needs of an edition
afterwards is kept from that check, not read again: the digest of the HTML
checked, and the figures found in it (or, for a bilingual edition, its
visible text, whose numbers its PDF must print).  The staged HTML is then
only hashed, never parsed a second time: a file that differs from what was
checked is a finding.  A PDF whose HTML this build did not check (its HTML
taken as published while the PDF is made again, say for another PDF
variant) is checked as `pipeline check` checks it, from the files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.config import Config
from pipeline.errors import Diagnostic, display_path
from pipeline.facts import INDEX_SLUG, FactBase
from pipeline.inputs import content_digest
from pipeline.parity.comparison import Edition, compare_bilingual_pdf, compare_pdf
from pipeline.reading import Text
from pipeline.render import has_index

_NO_TEXT = Text("")


@dataclass
class Kept:
    """What the PDF check needs of one edition whose HTML passed."""

    digest: str
    """Content digest of the HTML bytes checked."""
    edition: Edition | None = None
    """A single-language edition: the figures found in its HTML, its text left out."""
    bilingual: Text | None = None
    """A bilingual edition: its visible text, both languages."""


@dataclass
class CheckedHtml:
    """The editions whose HTML passed the check, by relative path (en/mosul.html)."""

    kept: dict[str, Kept] = field(default_factory=dict)

    def keep_edition(self, relative: str, html: str, edition: Edition) -> None:
        self.kept[relative] = Kept(content_digest(html.encode("utf-8")), edition=edition)

    def keep_bilingual(self, relative: str, html: str, text: Text) -> None:
        self.kept[relative] = Kept(content_digest(html.encode("utf-8")), bilingual=text)

    def forget_texts(self) -> None:
        """Once the figures are found, the text they were found in is no longer needed."""
        for kept in self.kept.values():
            if kept.edition is not None:
                kept.edition = replace(kept.edition, text=_NO_TEXT)


def check_staged(
    config: Config,
    base: FactBase,
    checked: CheckedHtml,
    stage: Path,
    shown_root: Path,
    pdf_texts: Mapping[str, list[str]],
) -> tuple[list[Diagnostic], set[str]]:
    """The staged files against the HTML checked in memory: findings, and the PDFs
    (relative paths) left for a check from the files, their HTML not checked here."""
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
            if pages is None:
                continue
            html = checked.kept.get(f"{folder}/{slug}.html")
            if html is None:
                unchecked.add(pdf)
            elif html.edition is not None:
                findings.extend(compare_pdf(replace(html.edition, pdf_shown=shown(pdf), pdf_pages=pages)))
            elif html.bilingual is not None:
                bilingual.extend(
                    Diagnostic(f"bilingual PDF {message}", "check.pdf", shown(pdf))
                    for message in compare_bilingual_pdf(html.bilingual, pages)
                )
    return findings + bilingual, unchecked
