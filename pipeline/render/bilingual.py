"""The gettext functions templates call: one language's, and the bilingual edition's.

The bilingual edition shows English and Indonesian side by side, paragraph by paragraph.

The article template is rendered once more, in a mode where every sentence
(every gettext call) yields both languages at once and every figure is
formatted for each: `fig()` returns a Pair, and the bilingual gettext fills
the English msgid with the English parts and the translation with the
Indonesian ones.  So paragraphs are aligned by construction, not by guessing.

While Jinja2 renders, a pair travels as text between private-use sentinels;
afterwards each pair in running text becomes

    <span class="pair"><span class="lang-en" lang="en">…</span><span class="lang-sep"> / </span>
    <span class="lang-id" lang="id">…</span></span>

and where markup cannot go (attributes, <title>, <style>) it becomes "English / Indonesia".
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from pipeline.i18n import (
    PAIR_END,
    PAIR_MIDDLE,
    PAIR_START,
    SEPARATOR,
    Pair,
    PairMarkup,
    flatten_pairs,
    mark_fallbacks,
    rewrite_sentinels,
    sanitize_translation,
    wrap_fallback,
)


def side(value: Any, index: int) -> Any:
    # A translated phrase (a place name) filling a placeholder is a PairMarkup: each language takes its own.
    if isinstance(value, Pair | PairMarkup):
        return value.source if index == 0 else value.target
    return value


def lay_out_pairs(html: str, source_code: str, target_code: str) -> str:
    def in_text(text: str) -> str:
        return (
            text.replace(PAIR_START, f'<span class="pair"><span class="lang-{source_code}" lang="{source_code}">')
            .replace(
                PAIR_MIDDLE,
                f'</span><span class="lang-sep" aria-hidden="true">{SEPARATOR}</span>'
                f'<span class="lang-{target_code}" lang="{target_code}">',
            )
            .replace(PAIR_END, "</span></span>")
        )

    return mark_fallbacks(rewrite_sentinels(html, in_text, flatten_pairs), source_code)


def _filled(text: Markup, variables: dict[str, Any], index: int) -> Markup:
    """A sentence with its placeholders filled from one side of each value, as newstyle gettext fills it."""
    if "%" not in text:
        return text  # formatting with a mapping leaves a text without "%" as it is
    return text % {name: side(value, index) for name, value in variables.items()}


def bilingual_gettext_functions(
    target: gettext.NullTranslations, is_translated: Callable[[str | None, str], bool] | None
) -> dict[str, Callable[..., PairMarkup]]:
    """Newstyle gettext functions that return both languages, each with its own figures."""

    def target_text(context: str | None, msgid: str, translated: str) -> Markup:
        if is_translated is not None and not is_translated(context, msgid):
            translated = wrap_fallback(translated)
        return sanitize_translation(translated)

    def both(source: str, translated: Markup, variables: dict[str, Any]) -> PairMarkup:
        return PairMarkup(_filled(sanitize_translation(source), variables, 0), _filled(translated, variables, 1))

    def pgettext(context: str | None, message: str, **variables: Any) -> PairMarkup:
        translated = target.pgettext(context, message) if context else target.gettext(message)
        return both(message, target_text(context, message, translated), variables)

    def npgettext(context: str | None, singular: str, plural: str, num: int, **variables: Any) -> PairMarkup:
        variables.setdefault("num", num)
        source = singular if num == 1 else plural
        if context:
            translated = target.npgettext(context, singular, plural, num)
        else:
            translated = target.ngettext(singular, plural, num)
        return both(source, target_text(context, singular, translated), variables)

    def gettext_(message: str, **variables: Any) -> PairMarkup:
        return pgettext(None, message, **variables)

    def ngettext(singular: str, plural: str, num: int, **variables: Any) -> PairMarkup:
        return npgettext(None, singular, plural, num, **variables)

    return {"gettext": gettext_, "_": gettext_, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}


# One language ----------------------------------------------------------------------------


def _formatted(sentence: Markup, variables: dict[str, Any]) -> Markup:
    if "%" not in sentence:
        return sentence  # formatting with a mapping leaves a text without "%" as it is
    return sentence % variables


def newstyle_gettext_functions(
    translations: gettext.NullTranslations, published: Callable[[str | None, str, str], Markup]
) -> dict[str, Callable[..., Markup]]:
    """The functions jinja2.ext installs for newstyle gettext, for translations that are Markup already.

    Jinja2's own go through the template context to call the translation and
    to ask whether to autoescape it; `published` returns Markup, which
    formats its variables escaped either way.  Every sentence of every
    edition is one call: these call it directly.  As Jinja2's, they always
    format (so "%%" reads "%"), and give `context` and `num` as variables.
    """

    def gettext_(message: str, /, **variables: Any) -> Markup:
        return _formatted(published(None, message, translations.gettext(message)), variables)

    def ngettext(singular: str, plural: str, num: int, /, **variables: Any) -> Markup:
        variables.setdefault("num", num)
        return _formatted(published(None, singular, translations.ngettext(singular, plural, num)), variables)

    def pgettext(context: str, message: str, /, **variables: Any) -> Markup:
        variables.setdefault("context", context)
        return _formatted(published(context, message, translations.pgettext(context, message)), variables)

    def npgettext(context: str, singular: str, plural: str, num: int, /, **variables: Any) -> Markup:
        variables.setdefault("context", context)
        variables.setdefault("num", num)
        translated = translations.npgettext(context, singular, plural, num)
        return _formatted(published(context, singular, translated), variables)

    return {"gettext": gettext_, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}
