"""Charts and the locator map, drawn as inline SVG.

Takes: facts, a formatter for their labels, the bundled map data and fonts.
Gives: SVG markup for each chart and map, labels placed clear of each other.
Never: reads a translation catalog itself or writes a file.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.graphics.charts import ChartContext
    from pipeline.graphics.locator_map import MapContext

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {
    "ChartContext": "pipeline.graphics.charts",
    "MapContext": "pipeline.graphics.locator_map",
}
__all__ = ["ChartContext", "MapContext"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
