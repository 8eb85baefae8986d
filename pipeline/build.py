"""The build: read and validate everything, render, verify, publish.

One linear function.  Every fact, template and catalog of every locale is
read and validated before a byte is written; the editions are rendered in
memory and their figures checked; then HTML and PDF are written into a
staging folder, the PDFs checked against the HTML, and only then is the
staging folder swapped in for the published one.
"""

from __future__ import annotations

import gettext
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pipeline import check
from pipeline.config import Config, load_config
from pipeline.errors import ErrorCollector, UserError, display_path
from pipeline.i18n import LoadedCatalog, load_catalog
from pipeline.index import render_bilingual_index, render_index
from pipeline.load import FactBase, load_facts
from pipeline.publish import staging
from pipeline.render import RenderedArticle, Renderer
from pipeline.templates import check_article_templates


@dataclass
class BuildReport:
    out_dir: Path
    written: list[Path] = field(default_factory=list)

    def count(self, suffix: str) -> int:
        return sum(1 for path in self.written if path.suffix == suffix)


class Builder(Protocol):
    """One output format: writes the rendered editions into the staging folder."""

    suffix: str

    def write(self, edition: RenderedArticle, stage: Path, config: Config) -> Path: ...


class HtmlBuilder:
    suffix = ".html"

    def write(self, edition: RenderedArticle, stage: Path, config: Config) -> Path:
        target = stage / edition.folder / f"{edition.slug}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(edition.html, encoding="utf-8")
        return target


class PdfBuilder:
    """Renders the staged HTML, so the PDF is made from exactly what the site publishes."""

    suffix = ".pdf"

    def __init__(self, variant: str = "ua") -> None:
        self.variant = variant

    def write(self, edition: RenderedArticle, stage: Path, config: Config) -> Path:
        from pipeline.pdf import write_pdf

        html_path = stage / edition.folder / f"{edition.slug}.html"
        target = html_path.with_suffix(".pdf")
        write_pdf(html_path, target, allowed_roots=[stage / "assets"], variant=self.variant)
        return target



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
) -> BuildReport:
    say = progress or (lambda message: None)
    rendered = render_project(project_dir, draft)
    config, base, editions = rendered.config, rendered.base, rendered.editions
    say(f"rendered {len(editions)} editions of {len(base.articles)} articles")
    check.raise_on_findings(check.check_html_editions(config, base, editions, shown_root=out_dir))

    report = BuildReport(out_dir)
    with staging(out_dir) as stage:
        _copy_assets(config, stage.path)
        builders = (HtmlBuilder(), PdfBuilder(pdf_variant))
        for builder in builders:
            for edition in editions:
                report.written.append(builder.write(edition, stage.path, config))
                if file_written is not None:
                    file_written(len(report.written), len(builders) * len(editions), report.written[-1])
            say(f"wrote {sum(1 for path in report.written if path.suffix == builder.suffix)} {builder.suffix} files")
        check.raise_on_findings(check.check_output(config, base, stage.path, shown_root=out_dir))
        say("figures agree across languages, HTML and PDF")
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
