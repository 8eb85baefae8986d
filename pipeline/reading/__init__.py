"""Reading figures back out of text, in either language.

Takes: text (plain, Markdown, the visible text of HTML, the text of PDF pages)
and its language.
Gives: every figure it states as a language-independent key (unit, value,
qualifier, currency, date part), with its offsets; the visible text of HTML
and PDF, with the fact marks the renderer left; the files a PDF carries.
Never: imports Jinja, renders, or writes; when a token could be read two ways
and nothing settles it, it gives nothing rather than a guess.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.reading.embedded import pdf_attachments
    from pipeline.reading.extract import extract_figures
    from pipeline.reading.figure import Figure, FigureUnit, tidy
    from pipeline.reading.text import SENTENCE_END, FactMark, NoteRef, Text, html_text, pdf_text, sentence_around

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {
    "FactMark": "pipeline.reading.text",
    "NoteRef": "pipeline.reading.text",
    "SENTENCE_END": "pipeline.reading.text",
    "Text": "pipeline.reading.text",
    "html_text": "pipeline.reading.text",
    "pdf_text": "pipeline.reading.text",
    "sentence_around": "pipeline.reading.text",
    "Figure": "pipeline.reading.figure",
    "FigureUnit": "pipeline.reading.figure",
    "tidy": "pipeline.reading.figure",
    "extract_figures": "pipeline.reading.extract",
    "pdf_attachments": "pipeline.reading.embedded",
}
__all__ = [
    "SENTENCE_END",
    "FactMark",
    "Figure",
    "FigureUnit",
    "NoteRef",
    "Text",
    "extract_figures",
    "html_text",
    "pdf_attachments",
    "pdf_text",
    "sentence_around",
    "tidy",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
