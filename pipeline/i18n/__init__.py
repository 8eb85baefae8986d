"""Translations: the catalog workflow, the checks on translators' work, and locale formatting.

Takes: the templates' messages, `locales/*/LC_MESSAGES/messages.po`, the facts.
Gives: checked, compiled catalogs; extract, update, compile, stats and lint;
figures formatted per locale by Babel (FigureFormatter); translations made
safe as markup, and the draft and bilingual markers.
Never: renders a page, or writes outside `locales/`; a catalog update never
drops a translator's work.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.i18n.catalogs import CATALOG_ACTIONS, refresh_catalogs
    from pipeline.i18n.formatting import FigureFormatter, FormatError
    from pipeline.i18n.lint import placeholders, read_catalog, read_catalog_places, singular_id
    from pipeline.i18n.loading import LoadedCatalog, load_catalog, write_atomically
    from pipeline.i18n.markup import NOTE_MARKER, css_counters, css_string, plain, plain_text, sanitize_translation
    from pipeline.i18n.sentinels import (
        PAGE_SENTINEL,
        PAGES_SENTINEL,
        PAIR_END,
        PAIR_MIDDLE,
        PAIR_START,
        SEPARATOR,
        Pair,
        PairMarkup,
        flatten_pairs,
        mark_fallbacks,
        rewrite_sentinels,
        strip_sentinels,
        wrap_fallback,
    )
    from pipeline.i18n.translator_notes import (
        SOURCE_NAME_CONTEXT,
        MessageKey,
        PlaceholderSource,
        names_sources,
        placeholder_sources,
    )

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {
    "css_string": "pipeline.i18n.markup",
    "css_counters": "pipeline.i18n.markup",
    "plain": "pipeline.i18n.markup",
    "plain_text": "pipeline.i18n.markup",
    "NOTE_MARKER": "pipeline.i18n.markup",
    "PAGE_SENTINEL": "pipeline.i18n.sentinels",
    "PAGES_SENTINEL": "pipeline.i18n.sentinels",
    "flatten_pairs": "pipeline.i18n.sentinels",
    "CATALOG_ACTIONS": "pipeline.i18n.catalogs",
    "refresh_catalogs": "pipeline.i18n.catalogs",
    "FigureFormatter": "pipeline.i18n.formatting",
    "FormatError": "pipeline.i18n.formatting",
    "LoadedCatalog": "pipeline.i18n.loading",
    "load_catalog": "pipeline.i18n.loading",
    "write_atomically": "pipeline.i18n.loading",
    "MessageKey": "pipeline.i18n.translator_notes",
    "PlaceholderSource": "pipeline.i18n.translator_notes",
    "SOURCE_NAME_CONTEXT": "pipeline.i18n.translator_notes",
    "names_sources": "pipeline.i18n.translator_notes",
    "placeholder_sources": "pipeline.i18n.translator_notes",
    "PAIR_END": "pipeline.i18n.sentinels",
    "PAIR_MIDDLE": "pipeline.i18n.sentinels",
    "PAIR_START": "pipeline.i18n.sentinels",
    "Pair": "pipeline.i18n.sentinels",
    "PairMarkup": "pipeline.i18n.sentinels",
    "SEPARATOR": "pipeline.i18n.sentinels",
    "mark_fallbacks": "pipeline.i18n.sentinels",
    "rewrite_sentinels": "pipeline.i18n.sentinels",
    "strip_sentinels": "pipeline.i18n.sentinels",
    "wrap_fallback": "pipeline.i18n.sentinels",
    "placeholders": "pipeline.i18n.lint",
    "read_catalog": "pipeline.i18n.lint",
    "read_catalog_places": "pipeline.i18n.lint",
    "singular_id": "pipeline.i18n.lint",
    "sanitize_translation": "pipeline.i18n.markup",
}
__all__ = [
    "CATALOG_ACTIONS",
    "NOTE_MARKER",
    "PAGES_SENTINEL",
    "PAGE_SENTINEL",
    "PAIR_END",
    "PAIR_MIDDLE",
    "PAIR_START",
    "SEPARATOR",
    "SOURCE_NAME_CONTEXT",
    "FigureFormatter",
    "FormatError",
    "LoadedCatalog",
    "MessageKey",
    "Pair",
    "PairMarkup",
    "PlaceholderSource",
    "css_counters",
    "css_string",
    "flatten_pairs",
    "load_catalog",
    "mark_fallbacks",
    "names_sources",
    "placeholder_sources",
    "placeholders",
    "plain",
    "plain_text",
    "read_catalog",
    "read_catalog_places",
    "refresh_catalogs",
    "rewrite_sentinels",
    "sanitize_translation",
    "singular_id",
    "strip_sentinels",
    "wrap_fallback",
    "write_atomically",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
