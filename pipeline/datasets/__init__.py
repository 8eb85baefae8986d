"""Figures as data: the figures an article cites, as files readers can download.

Takes: the fact base and the visible text of an article's single-language
editions (read by `reading`, with the marks the renderer left on each figure),
and their HTML, whose charts it reads bar by bar.
Gives: one JSON document per article (every cited fact: its value, unit,
qualifier, as-of date, source, its rendering in each language and the
sentences that cite it), the same figures as a CSV table, and a CSV table
per chart.
Never: renders a page, formats a figure itself (the renderings are the pages'
own), or writes a file.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.datasets.charts import (
        CHART_COLUMNS,
        ChartRow,
        article_files,
        chart_cells,
        chart_csv,
        chart_file_name,
        chart_rows,
        chart_tables,
    )
    from pipeline.datasets.figures import FIGURES_FORMAT, data_file_names, figures_document, figures_json
    from pipeline.datasets.tables import figures_csv, read_table, safe_cell

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {
    "CHART_COLUMNS": "pipeline.datasets.charts",
    "article_files": "pipeline.datasets.charts",
    "ChartRow": "pipeline.datasets.charts",
    "chart_cells": "pipeline.datasets.charts",
    "chart_csv": "pipeline.datasets.charts",
    "chart_file_name": "pipeline.datasets.charts",
    "chart_rows": "pipeline.datasets.charts",
    "chart_tables": "pipeline.datasets.charts",
    "FIGURES_FORMAT": "pipeline.datasets.figures",
    "data_file_names": "pipeline.datasets.figures",
    "figures_document": "pipeline.datasets.figures",
    "figures_json": "pipeline.datasets.figures",
    "figures_csv": "pipeline.datasets.tables",
    "read_table": "pipeline.datasets.tables",
    "safe_cell": "pipeline.datasets.tables",
}
__all__ = [
    "CHART_COLUMNS",
    "FIGURES_FORMAT",
    "ChartRow",
    "article_files",
    "chart_cells",
    "chart_csv",
    "chart_file_name",
    "chart_rows",
    "chart_tables",
    "data_file_names",
    "figures_csv",
    "figures_document",
    "figures_json",
    "read_table",
    "safe_cell",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
