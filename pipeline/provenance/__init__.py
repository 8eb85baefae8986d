"""Where each fact is cited, how old it is, and what changed since a revision.

Takes: the facts, the templates and catalogs, the git history.
Gives: for each fact the articles and sentences citing it and its age
(`pipeline facts`); the facts, items and translations changed since a git
revision (`pipeline diff`).
Never: writes or renders.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.provenance.factdiff import diff_report
    from pipeline.provenance.provenance import fact_file_schema, list_facts, stale_citations

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {
    "diff_report": "pipeline.provenance.factdiff",
    "fact_file_schema": "pipeline.provenance.provenance",
    "list_facts": "pipeline.provenance.provenance",
    "stale_citations": "pipeline.provenance.provenance",
}
__all__ = ["diff_report", "fact_file_schema", "list_facts", "stale_citations"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
