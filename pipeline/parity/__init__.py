"""The proof that every published pair cites identical figures.

Takes: the rendered editions (in memory) and the written HTML and PDF files.
Gives: findings: a figure that differs between languages or formats, a note
marker that leads elsewhere, a fact cited but not shown.
Never: renders, imports Jinja, or writes.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.parity.check import (
        HtmlChecks,
        check_html_editions,
        check_output,
        check_published,
        raise_on_findings,
    )
    from pipeline.parity.data_files import check_pdf_data
    from pipeline.parity.staged import CheckedHtml, check_staged

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {
    "check_pdf_data": "pipeline.parity.data_files",
    "CheckedHtml": "pipeline.parity.staged",
    "check_staged": "pipeline.parity.staged",
    "HtmlChecks": "pipeline.parity.check",
    "check_html_editions": "pipeline.parity.check",
    "check_output": "pipeline.parity.check",
    "check_published": "pipeline.parity.check",
    "raise_on_findings": "pipeline.parity.check",
}
__all__ = [
    "CheckedHtml",
    "HtmlChecks",
    "check_html_editions",
    "check_output",
    "check_pdf_data",
    "check_published",
    "check_staged",
    "raise_on_findings",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
