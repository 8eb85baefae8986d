"""The build: read and validate everything, render, check, write to staging, publish.

Takes: a project folder.
Gives: the published output folder, swapped in atomically; what a rebuild
may reuse.
Never: leaves a half-written output: a failed build leaves the previous one
untouched.  The only stage that writes output.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.build.editions import Rendered, render_project
    from pipeline.build.run import build

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {
    "Rendered": "pipeline.build.editions",
    "render_project": "pipeline.build.editions",
    "build": "pipeline.build.run",
}
__all__ = ["Rendered", "build", "render_project"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
