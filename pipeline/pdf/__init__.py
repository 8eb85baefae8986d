"""HTML to tagged A4 PDF with WeasyPrint, in worker processes or on a Dask cluster.

Takes: an edition's HTML and the shipped assets; a staged file to embed.
Gives: PDF bytes and the text of each page.
Never: fetches anything outside the project's assets, or decides what a
figure is.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.pdf.cluster import write_pdfs_on_cluster
    from pipeline.pdf.document import PAGE_MARGINS_PT, PdfJob, page_margin_css
    from pipeline.pdf.writer import write_pdfs

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {
    "PAGE_MARGINS_PT": "pipeline.pdf.document",
    "PdfJob": "pipeline.pdf.document",
    "page_margin_css": "pipeline.pdf.document",
    "write_pdfs": "pipeline.pdf.writer",
    "write_pdfs_on_cluster": "pipeline.pdf.cluster",
}
__all__ = ["PAGE_MARGINS_PT", "PdfJob", "page_margin_css", "write_pdfs", "write_pdfs_on_cluster"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
