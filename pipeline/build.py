"""The build: read and validate everything, render, verify, publish.

One linear function.  Every fact, template and catalog of every locale is
read and validated before a byte is written; the editions are rendered in
memory and their figures checked; then HTML and PDF are written into a
staging folder, the PDFs checked against the HTML, and only then is the
staging folder swapped in for the published one.
"""

from __future__ import annotations

import gettext
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pipeline import check
from pipeline.config import Config, load_config
from pipeline.errors import ErrorCollector, UserError, display_path
from pipeline.i18n import LoadedCatalog, load_catalog
from pipeline.incremental import code_digest, content_digest, read_manifest, tree_digest, write_manifest
from pipeline.index import render_bilingual_index, render_index
from pipeline.load import FactBase, load_facts
from pipeline.publish import is_pipeline_output, staging
from pipeline.render import RenderedArticle, Renderer
from pipeline.templates import check_article_templates


@dataclass
class BuildReport:
    out_dir: Path
    written: list[Path] = field(default_factory=list)
    up_to_date: bool = False
    """Nothing changed since the last build: nothing was rendered or published."""
    rendered_pdfs: list[str] = field(default_factory=list)
    """PDFs rendered by this build; the others were reused unchanged."""

    def count(self, suffix: str) -> int:
        return sum(1 for path in self.written if path.suffix == suffix)


@dataclass
class Plan:
    """What this build writes, and what it may reuse from the published folder."""

    out_dir: Path
    keys: dict[str, str]
    """Output file (relative path) -> digest of everything it is made from."""

    published: dict[str, str]
    """The same, for the files already published and unchanged since."""

    jobs: int = 1
    rendered: list[str] = field(default_factory=list)
    """PDFs rendered by this build (the others were reused)."""

    def reusable(self, relative: str) -> bool:
        return self.published.get(relative) == self.keys[relative]

    @property
    def nothing_changed(self) -> bool:
        return bool(self.published) and self.published == self.keys


class Builder(Protocol):
    """One output format: writes the rendered editions into the staging folder."""

    suffix: str

    def key(self, edition: RenderedArticle, common: str) -> str: ...

    def write_all(
        self, editions: list[RenderedArticle], stage: Path, plan: Plan, done: Callable[[Path], None]
    ) -> list[Path]: ...


def _relative(edition: RenderedArticle, suffix: str) -> str:
    return f"{edition.folder}/{edition.slug}{suffix}"


class HtmlBuilder:
    suffix = ".html"

    def key(self, edition: RenderedArticle, common: str) -> str:
        return content_digest(edition.html)

    def write_all(
        self, editions: list[RenderedArticle], stage: Path, plan: Plan, done: Callable[[Path], None]
    ) -> list[Path]:
        written = []
        for edition in editions:
            target = stage / _relative(edition, self.suffix)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(edition.html, encoding="utf-8")
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

    def __init__(self, variant: str = "ua") -> None:
        self.variant = variant

    def key(self, edition: RenderedArticle, common: str) -> str:
        return content_digest(common, self.variant, edition.html)

    def write_all(
        self, editions: list[RenderedArticle], stage: Path, plan: Plan, done: Callable[[Path], None]
    ) -> list[Path]:
        written: list[Path] = []
        jobs: list[tuple[Path, Path]] = []
        for edition in editions:
            relative = _relative(edition, self.suffix)
            target = stage / relative
            written.append(target)
            if plan.reusable(relative):
                shutil.copy2(plan.out_dir / relative, target)
                done(target)
            else:
                jobs.append((target.with_suffix(".html"), target))
                plan.rendered.append(relative)
        if jobs:
            from pipeline.pdf import write_pdfs

            write_pdfs(jobs, [stage / "assets"], self.variant, plan.jobs, lambda job: done(job[1]))
        return written


Progress = Callable[[str], None]
FileWritten = Callable[[int, int, Path], None]
"""Called after each output file is written: files done, files in all, the file (for a progress bar)."""


@dataclass
class Rendered:
    config: Config
    base: FactBase
    editions: list[RenderedArticle]


def render_project(project_dir: Path, draft: bool = False) -> Rendered:
    """Read and validate every input of every locale, then render every edition in memory.

    A draft renders incomplete catalogs too, with the source text standing in.
    """
    config = load_config(project_dir)
    base = load_facts(config)
    catalogs = _load_catalogs(config, draft)
    _validate_articles(config, base)
    renderer = Renderer(config, base)
    editions: list[RenderedArticle] = []
    for locale in config.locales:
        catalog = catalogs.get(locale.code)
        if catalog is None:
            env = renderer.environment(locale, gettext.NullTranslations())
        else:
            env = renderer.environment(locale, catalog.translations, catalog.is_translated, draft=draft)
        editions.extend(renderer.render(article, locale, env) for article in base.articles.values())
        editions.extend(render_index(renderer, locale, env, editions))
    _refuse_missing_translations(config, renderer)
    if config.target_locales:
        # The bilingual edition pairs the source language with the first target language.
        target = config.target_locales[0]
        catalog = catalogs[target.code]
        fallback = catalog.is_translated if draft and not catalog.complete else None
        editions.extend(
            renderer.render_bilingual(article, target, catalog.translations, fallback)
            for article in base.articles.values()
        )
        editions.extend(render_bilingual_index(renderer, target, catalog.translations, fallback, editions))
    return Rendered(config, base, editions)


def _refuse_missing_translations(config: Config, renderer: Renderer) -> None:
    """A sentence the catalog has never seen would be published in English."""
    errors = ErrorCollector()
    for code, messages in renderer.missing.items():
        shown = display_path(config.catalog_path(config.locale(code)), config.root)
        for _, msgid in messages:
            flat = " ".join(msgid.split())
            label = flat if len(flat) <= 60 else flat[:59] + "…"
            errors.add(
                f'"{label}" is not in the catalog: run pipeline i18n extract and update, then translate it',
                "catalog.untranslated",
                shown,
            )
    errors.raise_if_any()


def build(
    project_dir: Path,
    out_dir: Path,
    progress: Progress | None = None,
    draft: bool = False,
    pdf_variant: str = "ua",
    file_written: FileWritten | None = None,
    jobs: int | None = None,
    force: bool = False,
) -> BuildReport:
    say = progress or (lambda message: None)
    rendered = render_project(project_dir, draft)
    config, base, editions = rendered.config, rendered.base, rendered.editions
    say(f"rendered {len(editions)} editions of {len(base.articles)} articles")
    check.raise_on_findings(check.check_html_editions(config, base, editions, shown_root=out_dir))

    builders = (HtmlBuilder(), PdfBuilder(pdf_variant))
    common = content_digest(code_digest(), tree_digest(config.assets_dir))
    keys = {_relative(edition, b.suffix): b.key(edition, common) for b in builders for edition in editions}
    published = read_manifest(out_dir) if is_pipeline_output(out_dir) and not force else {}
    plan = Plan(out_dir.absolute(), keys, published, jobs or os.cpu_count() or 1)
    report = BuildReport(out_dir)
    if plan.nothing_changed:
        report.up_to_date = True
        return report

    total = len(builders) * len(editions)
    with staging(out_dir) as stage:
        _copy_assets(config, stage.path)

        def done(path: Path) -> None:
            report.written.append(path)
            if file_written is not None:
                file_written(len(report.written), total, path)

        for builder in builders:
            builder.write_all(editions, stage.path, plan, done)
            say(f"wrote {sum(1 for path in report.written if path.suffix == builder.suffix)} {builder.suffix} files")
        report.rendered_pdfs = sorted(plan.rendered)
        findings = check.check_output(config, base, stage.path, shown_root=out_dir, pdfs=set(plan.rendered))
        check.raise_on_findings(findings)
        say("figures agree across languages, HTML and PDF")
        write_manifest(stage.path, keys)
        stage.publish()
    report.written = [out_dir / path.relative_to(stage.path) for path in report.written]
    return report


def _load_catalogs(config: Config, draft: bool) -> dict[str, LoadedCatalog]:
    errors = ErrorCollector()
    catalogs: dict[str, LoadedCatalog] = {}
    for locale in config.target_locales:
        try:
            catalogs[locale.code] = load_catalog(config, locale, draft=draft)
        except UserError as exc:
            errors.extend(exc.diagnostics)
    errors.raise_if_any()
    return catalogs


def _validate_articles(config: Config, base: FactBase) -> None:
    errors = ErrorCollector()
    if not base.articles:
        errors.add("no article: add an 'article:' record to a fact file", "article.none", "facts")
    for article in base.articles.values():
        check_article_templates(config, base, article, errors)
    errors.raise_if_any()


def _copy_assets(config: Config, stage: Path) -> None:
    if config.assets_dir.is_dir():
        # Symlinks are copied as the files they point to only when they stay
        # inside the assets folder; the PDF fetcher re-checks real paths.
        shutil.copytree(config.assets_dir, stage / "assets", symlinks=True)
