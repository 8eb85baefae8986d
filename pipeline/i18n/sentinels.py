"""Private-use sentinels that carry marks through Jinja2 rendering: draft fallbacks and bilingual pairs.

Draft builds: English stands in for missing translations, visibly.

`pipeline build --draft` renders an edition whose catalog is incomplete, for
review.  A sentence without a published translation (untranslated or fuzzy)
falls back to the source text; it is wrapped in private-use sentinels while
Jinja2 renders, and afterwards each fallback becomes
`<span class="untranslated" lang="en">...</span>` in running text, while the
sentinels are simply dropped where markup cannot go (attributes, <title>,
<style>).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

FALLBACK_START = "\ue002"
FALLBACK_END = "\ue003"
# Splitting at the first ">" finds the end of a tag because no ">" is left
# unescaped inside an attribute value: Jinja2 escapes facts, and
# sanitize_translation escapes translations, quotes included.  Pairs and draft
# marks in a tag are only ever flattened to text there, never laid out as markup.
_TAG = re.compile(r"(<[^>]*>)")
_RAW_TEXT = re.compile(r"^<(/?)(title|style|script)\b", re.IGNORECASE)


def wrap_fallback(text: str) -> str:
    return f"{FALLBACK_START}{text}{FALLBACK_END}"


def strip_sentinels(text: str) -> str:
    return text.replace(FALLBACK_START, "").replace(FALLBACK_END, "")


def rewrite_sentinels(html: str, in_text: Callable[[str], str], in_markup: Callable[[str], str]) -> str:
    """Replace private-use sentinels in rendered HTML: with `in_text` in running
    text, with `in_markup` inside tags and in <title>, <style> and <script>,
    where no element may go."""
    parts = _TAG.split(html)
    in_raw_text = False
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            raw = _RAW_TEXT.match(part)
            if raw:
                in_raw_text = not raw.group(1)
            parts[index] = in_markup(part)
        else:
            parts[index] = in_markup(part) if in_raw_text else in_text(part)
    return "".join(parts)


def mark_fallbacks(html: str, source_language: str) -> str:
    if FALLBACK_START not in html:
        return html
    return rewrite_sentinels(
        html,
        lambda text: text.replace(FALLBACK_START, f'<span class="untranslated" lang="{source_language}">').replace(
            FALLBACK_END, "</span>"
        ),
        strip_sentinels,
    )


# Bilingual editions (pipeline.render.bilingual lays the pairs out) -------------------------

PAIR_START = "\ue004"
PAIR_MIDDLE = "\ue005"
PAIR_END = "\ue006"
SEPARATOR = " / "


@dataclass(frozen=True)
class Pair:
    """One piece of content in the source and the target language."""

    source: Any
    target: Any

    def __html__(self) -> str:
        return pair_markup(self.source, self.target)

    def __str__(self) -> str:
        return self.__html__()


class PairMarkup(Markup):
    """A sentence in both languages: renders as a pair, and keeps its sides for
    functions (charts, maps) that lay out each language themselves."""

    source: Markup
    target: Markup

    def __new__(cls, source: Markup, target: Markup) -> PairMarkup:
        pair = super().__new__(cls, pair_markup(source, target))
        pair.source = source
        pair.target = target
        return pair


def pair_markup(source: Any, target: Any) -> Markup:
    # One escape per side and one string: Markup's + would escape and copy at every step.
    return Markup(f"{PAIR_START}{escape(source)}{PAIR_MIDDLE}{escape(target)}{PAIR_END}")


def flatten_pairs(text: str) -> str:
    """A pair as plain text: "English / Indonesia"."""
    return text.replace(PAIR_START, "").replace(PAIR_MIDDLE, SEPARATOR).replace(PAIR_END, "")


# Page counters ----------------------------------------------------------------------------

# Private-use characters stand in for the page counters while a translated
# "Page %(page)s of %(pages)s" passes through gettext.
PAGE_SENTINEL = Markup("\ue000")
PAGES_SENTINEL = Markup("\ue001")
