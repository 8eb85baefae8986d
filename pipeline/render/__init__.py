"""Templates to HTML, in memory: one edition per article and language, plus the bilingual one.

Takes: the facts, the catalogs, the templates.
Gives: each article's editions as HTML strings with the data the checks need
(title, standfirst, cited facts), the index pages, and the Atom feeds and
sitemap as text.
Never: writes a file or makes a PDF; reads only templates, through `inputs`.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.render.feeds import FEED_NAME, SITEMAP_NAME, atom_feed, language_feeds, sitemap_pages, sitemap_xml
    from pipeline.render.index import render_bilingual_index, render_index
    from pipeline.render.renderer import RenderedArticle, Renderer, TitleBlock, edition_folder, has_index
    from pipeline.render.templates import TemplateReport, check_article_templates, inspect_template, resolve_roles

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {
    "FEED_NAME": "pipeline.render.feeds",
    "SITEMAP_NAME": "pipeline.render.feeds",
    "atom_feed": "pipeline.render.feeds",
    "language_feeds": "pipeline.render.feeds",
    "sitemap_pages": "pipeline.render.feeds",
    "sitemap_xml": "pipeline.render.feeds",
    "RenderedArticle": "pipeline.render.renderer",
    "Renderer": "pipeline.render.renderer",
    "edition_folder": "pipeline.render.renderer",
    "has_index": "pipeline.render.renderer",
    "TemplateReport": "pipeline.render.templates",
    "check_article_templates": "pipeline.render.templates",
    "inspect_template": "pipeline.render.templates",
    "resolve_roles": "pipeline.render.templates",
    "TitleBlock": "pipeline.render.renderer",
    "render_bilingual_index": "pipeline.render.index",
    "render_index": "pipeline.render.index",
}
__all__ = [
    "FEED_NAME",
    "SITEMAP_NAME",
    "RenderedArticle",
    "Renderer",
    "TemplateReport",
    "TitleBlock",
    "atom_feed",
    "check_article_templates",
    "edition_folder",
    "has_index",
    "inspect_template",
    "language_feeds",
    "render_bilingual_index",
    "render_index",
    "resolve_roles",
    "sitemap_pages",
    "sitemap_xml",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
