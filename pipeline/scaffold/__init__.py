"""Starting a story: `pipeline new SLUG`.

Takes: a project folder, a slug and optionally a headline.
Gives: the story's fact file (one example fact of every kind) and article
template, and the catalogs updated with its sentences, so that
`pipeline build --draft` builds it at once.
Never: overwrites a file, changes or drops a translation, or leaves half a
story behind: every file is prepared first and written all together or not at all.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.scaffold.story import new_story

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {"new_story": "pipeline.scaffold.story"}
__all__ = ["new_story"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
