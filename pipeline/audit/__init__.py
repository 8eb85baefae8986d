"""`pipeline audit`: do two hand-written texts cite the same figures?

Takes: an English and an Indonesian file written by hand.
Gives: the texts aligned sentence by sentence, figure findings per fact, a
report for a person or one JSON document.
Never: touches a project or writes a file.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.audit.run import run_audit

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {
    "run_audit": "pipeline.audit.run",
}
__all__ = ["run_audit"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
