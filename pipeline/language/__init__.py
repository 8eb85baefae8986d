"""What each language calls things, shared by the writer and the reader of figures.

Takes: nothing (tables and rules only).
Gives: per language, the words for qualifiers, scales, periods, months and
ordinals (lexicon), and which characters are digits in disguise (lookalikes).
Never: reads files, formats a figure, or depends on any other stage.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.language.lexicon import LEXICONS, DatePart, Lexicon, Qualifier, lexicon_for
    from pipeline.language.lookalikes import (
        BIDI_CONTROLS,
        Hidden,
        as_read,
        character_name,
        hidden_characters,
        hidden_kind,
        number_characters,
    )

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {
    "BIDI_CONTROLS": "pipeline.language.lookalikes",
    "Hidden": "pipeline.language.lookalikes",
    "as_read": "pipeline.language.lookalikes",
    "character_name": "pipeline.language.lookalikes",
    "hidden_characters": "pipeline.language.lookalikes",
    "hidden_kind": "pipeline.language.lookalikes",
    "number_characters": "pipeline.language.lookalikes",
    "DatePart": "pipeline.language.lexicon",
    "LEXICONS": "pipeline.language.lexicon",
    "Lexicon": "pipeline.language.lexicon",
    "Qualifier": "pipeline.language.lexicon",
    "lexicon_for": "pipeline.language.lexicon",
}
__all__ = [
    "BIDI_CONTROLS",
    "LEXICONS",
    "DatePart",
    "Hidden",
    "Lexicon",
    "Qualifier",
    "as_read",
    "character_name",
    "hidden_characters",
    "hidden_kind",
    "lexicon_for",
    "number_characters",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
