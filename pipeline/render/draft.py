"""Draft builds: English stands in for missing translations, visibly.

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
