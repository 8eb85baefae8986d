"""Read and validate every input of every locale, then render the editions.

Rendering comes after validation of everything: facts, catalogs and templates
of every locale are read and checked first, so a build that fails has
written nothing.  Editions the build may take as published (reuse.py decides
which) are handed in and not rendered again; the index pages list every
article and are always rendered.
"""

from __future__ import annotations

import dataclasses
import gettext
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.build.dependencies import DependencyTracker, canonical, serialise, template_inputs, templates_digest
from pipeline.build.incremental import (
    Entry,
    asset_entries,
    entries_digest,
)
from pipeline.config import Config, LocaleConfig, load_config
from pipeline.errors import ErrorCollector, UserError, display_path
from pipeline.facts import Article, FactBase, load_facts
from pipeline.i18n import LoadedCatalog, load_catalog
from pipeline.inputs import CATALOG, code_digest, content_digest, read_input
from pipeline.render import (
    RenderedArticle,
    Renderer,
    check_article_templates,
    edition_folder,
    has_index,
    inspect_template,
    render_bilingual_index,
    render_index,
)

if TYPE_CHECKING:
    import jinja2


@dataclass
class Inputs:
    """Everything a build reads, validated."""

    config: Config
    base: FactBase
    catalogs: dict[str, LoadedCatalog]
    draft: bool
    assets: str
    """Digest of the assets folder (stylesheet, fonts, map data): every edition and PDF is made with it."""


def relative_path(edition: RenderedArticle, suffix: str) -> str:
    # One string a file, however many of the build's tables name it.
    return sys.intern(f"{edition.folder}/{edition.slug}{suffix}")


@dataclass
class Rendered:
    config: Config
    base: FactBase
    editions: list[RenderedArticle]
    entries: dict[str, Entry] = field(default_factory=dict)
    """Manifest entries of the HTML editions (relative path -> entry)."""
    reused: set[str] = field(default_factory=set)
    """HTML editions taken from the published folder instead of rendered."""

    def rendered_slugs(self) -> set[str]:
        """Articles with at least one edition rendered by this build."""
        return {e.slug for e in self.editions if relative_path(e, ".html") not in self.reused}


def read_inputs(config: Config, draft: bool = False, assets: str | None = None) -> Inputs:
    """Every input of every locale, validated; all problems reported at once.

    A draft accepts incomplete catalogs, with the source text standing in.
    `assets` is the assets folder's digest when the caller has it already.
    """
    base = load_facts(config)
    catalogs = _load_catalogs(config, draft)
    _validate_articles(config, base)
    if assets is None:
        assets = entries_digest(asset_entries(config.assets_dir, config.root))
    return Inputs(config, base, catalogs, draft, assets)


def render_project(project_dir: Path, draft: bool = False) -> Rendered:
    """Every edition rendered in memory (the preview server and the tests)."""
    return render_editions(read_inputs(load_config(project_dir), draft))


@dataclass(frozen=True)
class Slot:
    """One edition a build publishes: an article in a locale, or in the bilingual pair."""

    article: Article
    locale: LocaleConfig
    bilingual_with: LocaleConfig | None = None

    @property
    def relative(self) -> str:
        return sys.intern(f"{edition_folder(self.locale, self.bilingual_with)}/{self.article.slug}.html")

    @property
    def catalog_locale(self) -> LocaleConfig:
        """Whose catalog the edition reads: the source locale reads none."""
        return self.bilingual_with or self.locale


def slots(config: Config, base: FactBase) -> Iterator[Slot]:
    """Every article edition, in the order the build renders them."""
    for locale in config.locales:
        for article in base.articles.values():
            yield Slot(article, locale)
    if config.target_locales:
        for article in base.articles.values():
            yield Slot(article, config.source_locale, config.target_locales[0])


class Stamps:
    """What an edition is made from, as digests: all but the facts its render reads,
    which the tracker installed in the fact base records while it renders."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        config = inputs.config
        self.tracker = DependencyTracker(inputs.base)
        locales = canonical([(locale.code, locale.babel_name) for locale in config.locales])
        common = content_digest(code_digest(), locales)
        self.common = content_digest(common, inputs.assets, f"draft={inputs.draft}", f"index={has_index(config)}")
        self._templates: dict[str, str] = {}
        self._catalogs: dict[str, str] = {}

    def stamp(self, slot: Slot) -> str:
        config, article, locale = self.inputs.config, slot.article, slot.catalog_locale
        if article.template not in self._templates:
            used = template_inputs(inspect_template(config, article.template))
            self._templates[article.template] = templates_digest(config.templates_dir, config.root, used)
        if locale.code not in self._catalogs:
            self._catalogs[locale.code] = _catalog_digest(config, locale, self.inputs.catalogs.get(locale.code))
        catalog, templates = self._catalogs[locale.code], self._templates[article.template]
        return content_digest(self.common, catalog, canonical(article), templates)

    def inputs_digest(self, slot: Slot, reads: Mapping[str, Any]) -> str:
        return content_digest(self.stamp(slot), self.tracker.digest(reads))


@dataclass(frozen=True)
class Taken:
    """An edition taken as published: its manifest entry, and the edition but its HTML, which is read
    from the published file only when its article's turn comes, so a rebuild never holds every page."""

    edition: RenderedArticle
    entry: Entry
    path: Path

    def read(self) -> RenderedArticle:
        return dataclasses.replace(self.edition, html=self.path.read_text(encoding="utf-8"))


Staged = Callable[[list[RenderedArticle], Mapping[str, Entry]], None]
"""Takes one article's editions (or the index pages) as soon as they are rendered, with the manifest
entries of the editions so far: the build checks and writes them."""


def render_editions(
    inputs: Inputs,
    stamps: Stamps | None = None,
    taken: Mapping[str, Taken] | None = None,
    staged: Staged | None = None,
) -> Rendered:
    """Every edition: those in `taken` as published, the others rendered; article by article.

    With `staged`, each article's editions are handed to it together, and
    only what the index pages and the manifest need of them is kept (their
    HTML is dropped): the build's memory stays the same however many
    articles a project has.  Without it, every edition stays in memory.
    """
    config, base, catalogs, draft = inputs.config, inputs.base, inputs.catalogs, inputs.draft
    stamps = stamps or Stamps(inputs)
    taken = taken or {}
    renderer = Renderer(config, base)
    rendered = Rendered(config, base, [])
    # In the order editions have always been listed: locale by locale, then the bilingual ones.
    folders: dict[str, list[RenderedArticle]] = {}
    last_reads: list[dict[str, list[str]]] = [{}]

    def edition(slot: Slot, render: Callable[[], RenderedArticle]) -> RenderedArticle:
        previous = taken.get(slot.relative)
        if previous is not None:
            rendered.entries[slot.relative] = previous.entry
            rendered.reused.add(slot.relative)
            return previous.read()
        with stamps.tracker.recording() as reads:
            result = render()
        data = {"cited": result.cited, "titles": dataclasses.asdict(result.title_block())}
        recorded = serialise(reads)
        # An article's editions mostly read the same facts: kept once for all of them until the manifest is written.
        if recorded == last_reads[0]:
            recorded = last_reads[0]
        last_reads[0] = recorded
        rendered.entries[slot.relative] = Entry(stamps.inputs_digest(slot, reads), "", recorded, data)
        return result

    def keep(group: list[RenderedArticle]) -> None:
        if staged is not None:
            staged(group, rendered.entries)
            # Staged and checked: the index and the feeds list an edition by its title block, never by its HTML.
            group = [dataclasses.replace(item, html="") for item in group]
        for item in group:
            folders.setdefault(item.folder, []).append(item)

    environments = {
        locale.code: _environment(renderer, locale, catalogs.get(locale.code), draft) for locale in config.locales
    }
    target = config.target_locales[0] if config.target_locales else None
    # The bilingual edition pairs the source language with the first target language.
    loaded = catalogs[target.code] if target is not None else None
    fallback = loaded.is_translated if loaded is not None and draft and not loaded.complete else None
    for article in base.articles.values():
        group = [
            edition(Slot(article, locale), partial(renderer.render, article, locale, environments[locale.code]))
            for locale in config.locales
        ]
        if target is not None and loaded is not None:
            render = partial(renderer.render_bilingual, article, target, loaded.translations, fallback)
            group.append(edition(Slot(article, config.source_locale, target), render))
        keep(group)
    indexes: list[RenderedArticle] = []
    for locale in config.locales:
        indexes += render_index(renderer, locale, environments[locale.code], folders.get(locale.code, []))
    _refuse_missing_translations(config, renderer)
    if target is not None and loaded is not None:
        bilingual = folders.get(edition_folder(config.source_locale, target), [])
        indexes += render_bilingual_index(renderer, target, loaded.translations, fallback, bilingual)
    keep(indexes)
    rendered.editions = [item for items in folders.values() for item in items]
    return rendered


def _environment(
    renderer: Renderer, locale: LocaleConfig, loaded: LoadedCatalog | None, draft: bool
) -> jinja2.Environment:
    if loaded is None:
        return renderer.environment(locale, gettext.NullTranslations())
    return renderer.environment(locale, loaded.translations, loaded.is_translated, draft=draft)


def _catalog_digest(config: Config, locale: LocaleConfig, loaded: LoadedCatalog | None) -> str:
    """The source locale's editions read no catalog; the others read their .po."""
    if loaded is None:
        return "no catalog"
    path = config.catalog_path(locale)
    exists = os.path.lexists(path)
    return content_digest(locale.code, read_input(path, config.root, CATALOG) if exists else b"\0absent")


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
