"""The output formats: each writes the rendered editions into the staging folder.

A builder is a small unit behind one interface, as Sphinx's are: it names
the suffix of its files, the key that decides whether a published file may
be reused (reuse.py), and writes the files the plan does not reuse.  A new
format (EPUB, plain text) is one more class here and one more entry in
build()'s tuple of builders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pipeline.build.editions import relative_path
from pipeline.inputs import content_digest

if TYPE_CHECKING:
    from pipeline.build.incremental import Entry
    from pipeline.build.reuse import Plan
    from pipeline.pdf import PdfJob
    from pipeline.render import RenderedArticle


class Builder(Protocol):
    """One output format: writes the rendered editions into the staging folder."""

    suffix: str

    def key(self, edition: RenderedArticle, common: str) -> str: ...

    def write_all(
        self, editions: list[RenderedArticle], stage: Path, plan: Plan, done: Callable[[Path], None]
    ) -> list[Path]: ...


class HtmlBuilder:
    """Writes each edition's HTML; an edition taken as published is linked, not written."""

    suffix = ".html"

    def __init__(self, entries: Mapping[str, Entry] | None = None) -> None:
        self.entries: Mapping[str, Entry] = entries or {}
        """Manifest entries of the editions rendered or taken so far (relative path -> entry)."""
        self.outputs: dict[str, str] = {}
        """Digest of each file written that has no entry in `entries` (an index page), for the manifest
        (its text is at hand: no reading back); an edition's is recorded in its entry."""

    def key(self, edition: RenderedArticle, common: str) -> str:
        entry = self.entries.get(relative_path(edition, self.suffix))
        # The index pages list every article and are rendered every time; their text is their key.
        return entry.inputs if entry is not None else content_digest(edition.html)

    def write_all(
        self, editions: list[RenderedArticle], stage: Path, plan: Plan, done: Callable[[Path], None]
    ) -> list[Path]:
        written = []
        for edition in editions:
            relative = relative_path(edition, self.suffix)
            target = stage / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if plan.reusable(relative):
                plan.reuse(relative, target)
            else:
                data = edition.html.encode("utf-8")
                target.write_bytes(data)
                entry = self.entries.get(relative)
                # An edition's manifest entry is completed where it is, not copied with its digest beside it.
                if entry is not None:
                    entry.output = content_digest(data)
                else:
                    self.outputs[relative] = content_digest(data)
            written.append(target)
            done(target)
        return written


class PdfBuilder:
    """Renders the staged HTML, so the PDF is made from exactly what the site publishes.

    A PDF is a function of its HTML, the assets (stylesheet, fonts), the PDF
    variant and the pipeline's code: when none of them changed, the published
    PDF is reused instead of rendered again.
    """

    suffix = ".pdf"

    def __init__(
        self,
        variant: str = "ua",
        scheduler: str | None = None,
        read: Callable[[str, list[str]], bool] | None = None,
        attach: Callable[[str], tuple[Path, str] | None] | None = None,
    ) -> None:
        self.variant = variant
        self.scheduler = scheduler
        """A Dask scheduler's address: render there instead of in local worker processes."""
        self.read = read
        """Given each PDF's page texts (by relative path) as it is rendered; True: checked there, not kept."""
        self.texts: dict[str, list[str]] = {}
        """Page texts of the PDFs rendered by write_all and not taken by `read`, by relative path."""
        self.attach = attach
        """Given a PDF's relative path (en/slug.pdf): the staged file to embed in it and that file's note, or None."""

    def key(self, edition: RenderedArticle, common: str) -> str:
        if self.attach is None:
            return content_digest(common, self.variant, edition.html)
        # A PDF published without its data file is not one to reuse once files are embedded.
        # What the file says is the inputs' to answer for: the key sees only the edition.
        return content_digest(common, self.variant, "with its data file", edition.html)

    def write_all(
        self, editions: list[RenderedArticle], stage: Path, plan: Plan, done: Callable[[Path], None]
    ) -> list[Path]:
        from pipeline.pdf import PdfJob, write_pdfs

        written: list[Path] = []
        jobs: list[PdfJob] = []
        for edition in editions:
            relative = relative_path(edition, self.suffix)
            target = stage / relative
            written.append(target)
            if plan.reusable(relative):
                plan.reuse(relative, target)
                done(target)
            else:
                # The figure check reads every PDF, the bilingual ones too: read where it was rendered.
                attached = self.attach(relative) if self.attach is not None else None
                attachment, note = attached if attached is not None else (None, "")
                jobs.append(PdfJob(target.with_suffix(".html"), target, text=True, attachment=attachment, note=note))
                plan.rendered.append(relative)
        read = self.read

        def taken(job: PdfJob, pages: list[str]) -> bool:
            # Checked as it arrives, so the page texts of a whole corpus never pile up here.
            return read is not None and read(job.pdf.relative_to(stage).as_posix(), pages)

        if jobs and self.scheduler:
            from pipeline.pdf import write_pdfs_on_cluster

            texts = write_pdfs_on_cluster(
                jobs, stage / "assets", self.variant, self.scheduler, lambda job: done(job.pdf), taken
            )
            self.texts = {path.relative_to(stage).as_posix(): pages for path, pages in texts.items()}
        elif jobs:
            texts = write_pdfs(jobs, [stage / "assets"], self.variant, plan.jobs, lambda job: done(job.pdf), taken)
            self.texts = {path.relative_to(stage).as_posix(): pages for path, pages in texts.items()}
        return written
