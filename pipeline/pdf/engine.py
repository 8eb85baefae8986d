"""Two corrections to WeasyPrint (70), installed in the process that renders.

Each wraps one internal function of WeasyPrint, checked by the tests that
read the PDFs back (tests/pdf/test_pdf_pages.py, tests/render/test_bilingual.py).

Lines ending where they should when a trailing space would overhang.

WeasyPrint (70) lays out a run of text that is followed by another inline
box (a figure kept whole, a note marker) as one piece ending in a space: "The
US-led coalition says Islamic State has lost " before "98%[1]".  When that
run fits the line only without its trailing space, Pango keeps it on one line
(the space hangs) but WeasyPrint measures it with the space, finds it too
wide, takes the branch meant for a first word that cannot fit at all, and
keeps the first word alone: the standfirst's first line read "The".

Per CSS Text 3, a collapsible space at the end of a line hangs, so such a run
does fit: `hanging_spaces` lays it out again with room for its trailing
spaces, and keeps that layout when the whole run then fits on one line.
What follows it (the figure) goes to the next line, and the line's final
space is dropped as for any other line.

The language of each part of a tagged PDF, from the HTML `lang` attributes.

WeasyPrint (70) writes the root element's `lang` as the document's /Lang
and nothing more: no structure element carries a /Lang of its own, so in the
bilingual edition a screen reader reads the Indonesian column with English
rules (PDF/UA-1 7.2 asks for every change of language to be marked).

WeasyPrint builds the structure tree from the laid-out boxes, one call of
`weasyprint.pdf.tags._build_box_tree` per box, and each box knows its
element's language (the inherited `lang` of its style).  Wrapping that
function is the one place where a structure element and the HTML element it
comes from are both at hand; reading the language back from the written PDF
would have to guess which element came from which box.  `with_languages` sets
/Lang on an element whose language differs from that of the element it sits
in (the document's /Lang at the top), so a PDF in one language is written
exactly as before.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

# The white-space values whose spaces collapse and whose lines wrap.
_WRAPPING_COLLAPSING = ("normal", "pre-line")

SplitFirstLine = Callable[..., tuple[Any, int, int | None, float, float, float]]


def hanging_spaces(original: SplitFirstLine) -> SplitFirstLine:
    """`split_first_line` that lets the trailing spaces of a run that otherwise fits hang."""

    def split_first_line(
        text: str,
        style: Any,
        context: Any,
        max_width: float | None,
        justification_spacing: float,
        is_line_start: bool = True,
        minimum: bool = False,
    ) -> tuple[Any, int, int | None, float, float, float]:
        split = original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        stripped = text.rstrip(" ")
        if (
            split[2] is None
            or minimum
            or max_width is None
            or math.isinf(max_width)
            or style["white_space"] not in _WRAPPING_COLLAPSING
            or not stripped
            or stripped == text
            or len(stripped.encode()) <= split[1]
        ):
            return split
        # Unconstrained widths: with and without the trailing spaces.
        bare = original(stripped, style, context, None, justification_spacing, is_line_start)
        if bare[2] is not None or bare[3] > max_width:
            return split
        whole = original(text, style, context, None, justification_spacing, is_line_start)
        room = max_width + max(whole[3] - bare[3], 0.0)
        hung = original(text, style, context, room, justification_spacing, is_line_start, minimum)
        return hung if hung[2] is None else split

    split_first_line.hanging_spaces = True  # type: ignore[attr-defined]
    return split_first_line


def _install_hanging_spaces() -> None:
    from weasyprint.layout import inline

    current = inline.split_first_line
    if not getattr(current, "hanging_spaces", False):
        inline.split_first_line = hanging_spaces(current)


BuildBoxTree = Callable[..., Iterator[Any]]

_enclosing: list[str | None] = []
"""The language of the structure elements being built, innermost last."""


def _same(first: str | None, second: str | None) -> bool:
    # Language tags compare without regard to case (BCP 47).
    return (first or "").lower() == (second or "").lower()


def _document_language(pdf: Any) -> str | None:
    lang = pdf.catalog.get("Lang")
    return getattr(lang, "string", None) or None


def with_languages(original: BuildBoxTree) -> BuildBoxTree:
    """`_build_box_tree` that marks the structure elements of a box in another language."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import tags as weasyprint_tags

    def passes_through(box: Any) -> bool:
        # The boxes WeasyPrint makes no structure element of (see its tags.py):
        # it yields their children's elements, or nothing for margin boxes.
        if isinstance(box, boxes.MarginBox):
            return True
        tag = None if box.element is None else box.element_tag
        parent_box = isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.LineBox)
        return parent_box and (tag in ("html", "body") or isinstance(box, boxes.PageBox))

    def build(
        box: Any, parent: Any, pdf: Any, page_number: int, nums: Any, annotations: Any, tags: Any
    ) -> Iterator[Any]:
        arguments = (parent, pdf, page_number, nums, annotations, tags)
        real = box._box if isinstance(box, AbsolutePlaceholder) else box
        if isinstance(real, boxes.PageBox):
            _enclosing[:] = [_document_language(pdf)]
        if passes_through(real):
            yield from original(box, *arguments)
            return
        enclosing = _enclosing[-1] if _enclosing else _document_language(pdf)
        lang = real.style["lang"] or enclosing
        # Children are built while their parent's language is the enclosing one.
        _enclosing.append(lang)
        try:
            elements = list(original(box, *arguments))
        finally:
            _enclosing.pop()
        if lang and not _same(lang, enclosing):
            for element in elements:
                element["Lang"] = weasyprint_tags.pydyf.String(lang)
        yield from elements

    build.with_languages = True  # type: ignore[attr-defined]
    return build


def _install_languages() -> None:
    from weasyprint.pdf import tags

    current = tags._build_box_tree
    if not getattr(current, "with_languages", False):
        tags._build_box_tree = with_languages(current)


def install() -> None:
    """Install both corrections (idempotent; once per process is enough)."""
    _install_hanging_spaces()
    _install_languages()
