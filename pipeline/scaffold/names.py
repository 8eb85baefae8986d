"""The slug and the headline of a new story, checked before anything is prepared.

A slug becomes a file name in three folders and a URL, so only a plain name
passes.  A headline becomes the text of a `{% trans %}` block: it must read as
prose to Jinja2, to Babel's extractor and to the figure check, and render
exactly as typed, so what would act as syntax is written as an entity and
what cannot be made safe (figures, line breaks, hidden characters) is refused.
"""

from __future__ import annotations

import re

from pipeline.errors import UserError
from pipeline.facts import INDEX_SLUG, safe_text
from pipeline.language import hidden_kind
from pipeline.reading import extract_figures

MAX_SLUG = 60
MAX_TITLE = 200
SLUG = re.compile(r"[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*")
SLUG_RULE = "lowercase ASCII letters, digits and single hyphens, starting with a letter, at most 60 characters"
# Named entities only: a numeric one (&#123;) would put digits into the
# template's text, which the build reads as a figure typed by hand.
HIDDEN = {"bidi": "a bidi control", "invisible": "an invisible character", "control": "a control character"}
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&lbrace;"}


def _shown(text: str) -> str:
    shown = safe_text(text)
    return "'" + (shown if len(shown) <= MAX_SLUG else shown[: MAX_SLUG - 1] + "…") + "'"


def check_slug(slug: str) -> str:
    """The slug, or a one-line refusal saying what a slug is."""
    if "/" in slug or "\\" in slug or slug.startswith((".", "~")):
        raise UserError.single(
            f"{_shown(slug)} is a path, not a slug: give only the story's name, e.g. 'jakarta-floods'", "new.slug"
        )
    if len(slug) > MAX_SLUG:
        raise UserError.single(f"slug {_shown(slug)} has {len(slug)} characters; a slug has at most 60", "new.slug")
    if not SLUG.fullmatch(slug):
        raise UserError.single(f"{_shown(slug)} is not a slug: use {SLUG_RULE}", "new.slug")
    if slug == INDEX_SLUG:
        raise UserError.single(f"{slug!r} is the index page's name; choose another slug", "new.slug")
    return slug


def headline_from_slug(slug: str) -> str:
    """`jakarta-floods` -> `Jakarta floods`; words holding digits are left out, as a headline may not type a figure."""
    words = [word for word in slug.split("-") if not any(char.isdigit() for char in word)]
    if not words:
        raise UserError.single(
            f"cannot make a headline from {slug!r} without its digits; give one with --title", "new.title"
        )
    text = " ".join(words)
    return text[0].upper() + text[1:]


def check_title(title: str) -> str:
    """The headline as typed, with runs of spaces made one; refused when it cannot be rendered as typed."""
    for char in title:
        if char in "\n\r\t\v\f" or char in "\u2028\u2029":
            raise UserError.single(
                f"the title has a line break or tab (U+{ord(char):04X}); give it on one line", "new.title"
            )
        kind = hidden_kind(char)
        if kind is not None:
            raise UserError.single(
                f"the title has {HIDDEN[kind]} (U+{ord(char):04X}), which readers would not see; type it without",
                "new.title",
            )
    if "%" in title:
        # Not even as an entity: the sentence is %-formatted after its entities
        # are read, so "{% if" would become a format spec.
        raise UserError.single(
            "the title has '%', which a headline cannot hold: a percentage is a figure, and figures come from facts; "
            "leave it out",
            "new.title",
        )
    headline = " ".join(title.split())
    if not headline:
        raise UserError.single("the title is empty; give the headline, or leave out --title", "new.title")
    if len(headline) > MAX_TITLE:
        raise UserError.single(
            f"the title has {len(headline)} characters; a headline has at most {MAX_TITLE}", "new.title"
        )
    typed = [figure.text for figure in extract_figures(headline, "en") if not figure.spelled]
    if typed or any(char.isdigit() for char in headline):
        figure = typed[0] if typed else next(char for char in headline if char.isdigit())
        raise UserError.single(
            f"the title has a figure ({safe_text(figure)!r}); figures come from facts, never from template text: "
            "leave it out of the headline and cite its fact with fig() in the story",
            "new.title",
        )
    return headline


def template_text(headline: str) -> str:
    """The headline as the text of a {% trans %} block: what would start markup or Jinja2 syntax as entities."""
    return "".join(ENTITIES.get(char, char) for char in headline)
