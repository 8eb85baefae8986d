"""Reading the project's files safely: the first stage every other one reads through.

Takes: paths inside the project (or, for `pipeline audit`, named by the user).
Gives: bytes and text within each kind of file's size limit; the files below a
folder; content digests of files and trees, for incremental builds.
Never: follows a link out of the project, opens a FIFO or a device, reads past
a limit, or writes anything.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.inputs.safe_files import (
        ASSET,
        AUDITED,
        CATALOG,
        CONFIG,
        FACTS,
        TEMPLATE,
        UnsafeFile,
        code_digest,
        content_digest,
        read_input,
        read_input_text,
        tree_digest,
        walk,
    )

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {
    "ASSET": "pipeline.inputs.safe_files",
    "AUDITED": "pipeline.inputs.safe_files",
    "CATALOG": "pipeline.inputs.safe_files",
    "CONFIG": "pipeline.inputs.safe_files",
    "FACTS": "pipeline.inputs.safe_files",
    "TEMPLATE": "pipeline.inputs.safe_files",
    "UnsafeFile": "pipeline.inputs.safe_files",
    "code_digest": "pipeline.inputs.safe_files",
    "content_digest": "pipeline.inputs.safe_files",
    "read_input": "pipeline.inputs.safe_files",
    "read_input_text": "pipeline.inputs.safe_files",
    "tree_digest": "pipeline.inputs.safe_files",
    "walk": "pipeline.inputs.safe_files",
}
__all__ = [
    "ASSET",
    "AUDITED",
    "CATALOG",
    "CONFIG",
    "FACTS",
    "TEMPLATE",
    "UnsafeFile",
    "code_digest",
    "content_digest",
    "read_input",
    "read_input_text",
    "tree_digest",
    "walk",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
