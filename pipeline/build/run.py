"""The build: read and validate everything, render, verify, publish.

One linear function.  When every project file is as the last published
build found it, it stops at that first look.  Otherwise every fact, template
and catalog of every locale is read and validated before a byte is written;
the editions whose inputs changed are rendered in memory (the others taken as
published) and their figures checked; then HTML and PDF are written into a
staging folder, the new PDFs checked against the HTML, and only then is the
staging folder swapped in for the published one.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.build.incremental import (
    MANIFEST,
    Entry,
    Manifest,
    asset_entries,
    entries_digest,
    manifest_digest,
    manifest_text,
    project_digest,
    read_manifest,
    write_manifest,
)
from pipeline.build.publish import is_pipeline_output, staging
from pipeline.config import Config, load_config
from pipeline.errors import UserError, display_path
from pipeline.inputs import code_digest, content_digest

if TYPE_CHECKING:
    from pipeline.build.feeds import FeedBuilder
    from pipeline.build.reuse import Plan
    from pipeline.render import RenderedArticle


@dataclass
class BuildReport:
    out_dir: Path
    files: list[str] = field(default_factory=list)
    """The HTML and PDF files written, as paths relative to `out_dir`: strings, one per file of a large corpus."""
    up_to_date: bool = False
    """Nothing changed since the last build: nothing was rendered or published."""
    rendered_pdfs: list[str] = field(default_factory=list)
    """PDFs rendered by this build; the others were reused unchanged."""
    reused_html: list[str] = field(default_factory=list)
    """HTML editions taken as published, their inputs unchanged."""
    data_files: int = 0
    """The figures-as-data files published (JSON and CSV), made or reused."""

    @property
    def written(self) -> list[Path]:
        return [self.out_dir / name for name in self.files]

    def count(self, suffix: str) -> int:
        return sum(1 for name in self.files if name.endswith(suffix))


Progress = Callable[[str], None]
FileWritten = Callable[[int, int, Path], None]
"""Called after each output file is written: files done, files in all, the file (for a progress bar)."""


def build(
    project_dir: Path,
    out_dir: Path,
    progress: Progress | None = None,
    draft: bool = False,
    pdf_variant: str = "ua",
    file_written: FileWritten | None = None,
    jobs: int | None = None,
    force: bool = False,
    scheduler: str | None = None,
) -> BuildReport:
    say = progress or (lambda message: None)
    report = BuildReport(out_dir)
    config = load_config(project_dir)
    published = read_manifest(out_dir) if is_pipeline_output(out_dir) and not force else Manifest()
    assets = asset_entries(config.assets_dir, config.root)
    assets_digest = entries_digest(assets)
    project = project_digest(config, draft, pdf_variant, assets_digest)
    if published.intact and published.project == project:
        report.up_to_date = True
        return report

    # Imported only now that the first look found a change: a nothing-changed
    # build must not pay for the templates, the fact model and the checks.
    from pipeline.build.builders import HtmlBuilder, PdfBuilder
    from pipeline.build.data_files import Certificate, DataBuilder
    from pipeline.build.editions import Stamps, read_inputs, relative_path, render_editions
    from pipeline.build.feeds import FeedBuilder
    from pipeline.build.reuse import Plan, take_unchanged
    from pipeline.parity import (
        CheckedHtml,
        HtmlChecks,
        check_output,
        check_pdf_data,
        check_staged,
        raise_on_findings,
    )

    inputs = read_inputs(config, draft, assets_digest)
    stamps = Stamps(inputs)
    taken = take_unchanged(inputs, stamps, published, out_dir)
    kept = CheckedHtml()
    checks = HtmlChecks(config, inputs.base, out_dir, keep=kept)
    html = HtmlBuilder()
    data = DataBuilder(inputs.base)
    pdf = PdfBuilder(
        pdf_variant, scheduler, lambda relative, pages: kept.compare_pdf_pages(relative, pages, shown(relative))
    )
    builders = (html, pdf)
    common = content_digest(code_digest(), assets_digest)
    plan = Plan(
        out_dir.absolute(),
        {name: entry.inputs for name, entry in assets.items()},
        published,
        jobs or os.cpu_count() or 1,
    )
    staged_html: list[str] = []

    def shown(relative: str) -> str:
        return display_path(out_dir / relative, config.root)

    with staging(out_dir) as stage:
        # Holding the lock now: files taken as published must still be the ones planned with.
        if published.files and manifest_digest(out_dir) != published.digest:
            raise UserError.single(
                f"another build published to {out_dir} while this one was rendering; run the build again",
                "publish.changed",
            )
        _copy_assets(config, stage.path)
        pdf.attach = Certificate(stage.path, [locale.code for locale in config.locales], code_digest())

        def relative(path: Path) -> str:
            return sys.intern(path.relative_to(stage.path).as_posix())

        def check_and_stage(editions: list[RenderedArticle], entries: Mapping[str, Entry]) -> None:
            """One article's editions, just rendered: checked, written to staging, then let go but their digests."""
            # An article none of whose editions was rendered passed this check with these very inputs.
            if any(relative_path(edition, ".html") not in taken for edition in editions):
                checks.check(editions)
            html.entries = entries
            plan.keys |= data.keys(editions, [html.key(e, common) for e in editions], common)
            plan.keys |= {relative_path(e, b.suffix): b.key(e, common) for b in builders for e in editions}
            html.write_all(editions, stage.path, plan, lambda path: staged_html.append(relative(path)))
            data.write_article(editions, stage.path, plan, checks)
            plan.keys |= data.carried_by_pdfs(editions, plan.keys, stage.path)

        rendered = render_editions(inputs, stamps, taken, check_and_stage)
        base, editions = rendered.base, rendered.editions
        fresh = len(editions) - len(rendered.reused)
        summary = f"rendered {fresh} editions of {len(base.articles)} articles"
        say(summary + (f"; {len(rendered.reused)} unchanged, taken as published" if rendered.reused else ""))
        raise_on_findings(checks.findings)
        # Written at once and let go: a large corpus's feeds are not held while its PDFs render.
        _write_feeds(FeedBuilder(config, base, editions), stage.path, plan)
        report.reused_html = sorted(rendered.reused)
        if plan.nothing_changed:
            # Only files that shape nothing published changed (a comment, an unused fact):
            # the manifest learns the new project digest, so the next build stops at the first look.
            stage.replace_published(MANIFEST, manifest_text(out_dir, project, dict(published.files)))
            report.up_to_date = True
            return report

        total = len(builders) * len(editions)

        def done(path: Path) -> None:
            report.files.append(relative(path))
            if file_written is not None:
                file_written(len(report.files), total, path)

        for name in staged_html:
            done(stage.path / name)
        say(f"wrote {len(staged_html)} {html.suffix} files")
        pdf.write_all(editions, stage.path, plan, done)
        say(f"wrote {report.count(pdf.suffix)} {pdf.suffix} files")
        report.rendered_pdfs = sorted(plan.rendered)
        texts = pdf.texts
        findings, unchecked = check_staged(config, base, kept, stage.path, out_dir, texts)
        findings += check_pdf_data(stage.path, plan.rendered, shown)
        if unchecked:
            # PDFs made again from HTML this build did not check: checked from the files.
            slugs = {Path(relative).stem for relative in unchecked}
            only = {relative: texts[relative] for relative in unchecked}
            findings += check_output(config, base, stage.path, out_dir, unchecked, only, slugs)
        raise_on_findings(findings)
        say("figures agree across languages, HTML and PDF")
        # The data files, a few KiB each, are hashed as the manifest is written, as the PDFs are: a digest
        # kept for each of them from the render on would grow the build's memory with the corpus.
        entries = {
            name: _entry(name, key, plan, rendered.entries, assets, html.outputs) for name, key in plan.keys.items()
        }
        write_manifest(stage.path, project, entries)
        stage.publish()
    report.data_files = data.written
    return report


def _entry(
    name: str, key: str, plan: Plan, editions: dict[str, Entry], assets: dict[str, Entry], outputs: dict[str, str]
) -> Entry:
    """The manifest entry of a file written into the staging folder."""
    if name in assets:
        return assets[name]
    if plan.reusable(name):
        return plan.published.files[name]
    entry = editions.get(name)
    if entry is not None and entry.inputs == key:
        # The edition's own entry, its output digest recorded as it was written: one object a file.
        return entry
    # A PDF rendered by this build is hashed when the manifest is written.
    output = outputs.get(name, "")
    return Entry(key, output, entry.reads, entry.data) if entry is not None else Entry(key, output)


def _write_feeds(feeds: FeedBuilder, stage: Path, plan: Plan) -> None:
    plan.keys |= feeds.keys()
    feeds.write_all(stage, plan)


def _copy_assets(config: Config, stage: Path) -> None:
    if config.assets_dir.is_dir():
        # Symlinks are copied as the files they point to only when they stay
        # inside the assets folder; the PDF fetcher re-checks real paths.
        shutil.copytree(config.assets_dir, stage / "assets", symlinks=True)
