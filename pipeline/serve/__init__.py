"""The live preview: English and Indonesian side by side, reloading on every save.

Takes: a project folder.
Gives: an HTTP server on 127.0.0.1 with the rendered editions.
Never: writes to the output folder or listens beyond the loopback address.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.serve.server import serve

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {
    "serve": "pipeline.serve.server",
}
__all__ = ["serve"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
