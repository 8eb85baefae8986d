"""The index page of every edition: each article's headline, standfirst and date, linked.

A project with `templates/index.html` publishes `<edition>/index.html` (and
its PDF) beside the articles of each edition, the bilingual one included.
The index is an edition like the others for the figure check: its dates come
from format_date() and the figures of its standfirsts from fig(), so both
languages must cite the same ones, and its PDF the same as its HTML.

Headline and standfirst come from each article's own rendered edition: its
template's `headline` and `standfirst` blocks, rendered with the page and
handed on as data (RenderedArticle.titles; kept in the manifest for a page a
later build reuses), so the index says exactly what the article says, in the
same language, with the same draft marks.  Source note markers are left out: the
notes they point to are on the article's page.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import jinja2
from markupsafe import Markup

from pipeline.config import LocaleConfig
from pipeline.errors import UserError
from pipeline.facts import INDEX_SLUG, Article, FactBase, PartialDate
from pipeline.i18n import NOTE_MARKER, FigureFormatter, mark_fallbacks
from pipeline.render.bilingual import lay_out_pairs
from pipeline.render.figures import BilingualFigures, FigureContext
from pipeline.render.renderer import INDEX_TEMPLATE, RenderedArticle, Renderer, TitleBlock, has_index
from pipeline.render.structured_data import index_data, with_structured_data


@dataclass(frozen=True)
class IndexEntry:
    """One article as the index lists it, in the edition's language(s)."""

    slug: str
    headline: Markup
    standfirst: Markup
    published: PartialDate
    series: str | None
    """The id of the series that generated the article, if one did."""


def listed_articles(base: FactBase) -> list[Article]:
    """Newest first; on one day, articles written on their own before those a series generated."""
    return sorted(
        base.articles.values(),
        key=lambda article: (-article.published.as_date().toordinal(), article.slug in base.series_items),
    )


def render_index(
    renderer: Renderer, locale: LocaleConfig, env: jinja2.Environment, editions: Sequence[RenderedArticle]
) -> list[RenderedArticle]:
    """The index of one locale's edition, from its articles rendered in `editions`; none without a template."""
    if not has_index(renderer.config):
        return []
    figures = FigureContext(renderer.base, FigureFormatter(locale.babel))
    entries = _entries(renderer.base, [edition for edition in editions if edition.folder == locale.code])
    marked = partial(mark_fallbacks, source_language=renderer.config.source_locale.code)
    html, titles = _render(renderer, locale, env, entries, figures.time)
    data = index_data(locale.code, [locale.code], [entry.slug for entry in entries])
    page = with_structured_data(marked(html), data, INDEX_TEMPLATE)
    return [RenderedArticle(INDEX_SLUG, locale, page, [], titles=titles.map(marked))]


def render_bilingual_index(
    renderer: Renderer,
    target: LocaleConfig,
    translations: gettext.NullTranslations,
    is_translated: Callable[[str | None, str], bool] | None,
    editions: Sequence[RenderedArticle],
) -> list[RenderedArticle]:
    """The index of the bilingual edition: every message and date in both languages."""
    if not has_index(renderer.config):
        return []
    source = renderer.config.source_locale
    env = renderer.bilingual_environment(translations, is_translated)
    both = BilingualFigures(renderer.base, FigureFormatter(source.babel), FigureFormatter(target.babel))
    entries = _entries(renderer.base, [edition for edition in editions if edition.bilingual_with is not None])
    laid_out = partial(lay_out_pairs, source_code=source.code, target_code=target.code)
    html, titles = _render(renderer, source, env, entries, both.time)
    data = index_data("bilingual", [source.code, target.code], [entry.slug for entry in entries])
    html = with_structured_data(laid_out(html), data, INDEX_TEMPLATE)
    return [RenderedArticle(INDEX_SLUG, source, html, [], target, titles=titles.map(laid_out))]


def _entries(base: FactBase, editions: Sequence[RenderedArticle]) -> list[IndexEntry]:
    by_slug = {edition.slug: edition for edition in editions}
    entries = []
    for article in listed_articles(base):
        edition = by_slug.get(article.slug)
        if edition is None:
            continue
        parts = edition.title_block()
        headline = parts.headline or ""
        if not headline.strip():
            origin = base.origin("article", article.slug)
            raise UserError.single(
                f"article {article.slug!r} has no headline for the index page to list "
                "(its template's headline block is missing or empty)",
                "index.headline",
                origin.file,
                origin.line,
            )
        item = base.series_items.get(article.slug)
        entries.append(
            IndexEntry(
                article.slug,
                _without_note_markers(headline),
                _without_note_markers(parts.standfirst or ""),
                article.published,
                item.series_id if item is not None else None,
            )
        )
    return entries


def _render(
    renderer: Renderer,
    locale: LocaleConfig,
    env: jinja2.Environment,
    entries: list[IndexEntry],
    format_date: Callable[[PartialDate], Any],
) -> tuple[str, TitleBlock]:
    variables: dict[str, Any] = {
        "entries": entries,
        "locale": locale,
        "locales": renderer.config.locales,
        "format_date": format_date,
    }
    return renderer.render_with(INDEX_TEMPLATE, locale, env, variables, _page_title)


def _page_title(context: jinja2.runtime.Context) -> TitleBlock:
    """The title the index template sets, handed on as data: what the language's feed is called."""
    value = context.vars.get("page_title")
    return TitleBlock(None if value is None else str(value), None)


def _without_note_markers(html: str) -> Markup:
    return Markup(NOTE_MARKER.sub("", html).strip())
