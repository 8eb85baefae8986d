"""The language-neutral fact model: what a story states, validated.

Takes: the project's fact files (`facts/*.yaml`), read as plain data.
Gives: a FactBase of facts, sources and articles, series expanded into items,
every error with its file and line; the pydantic schema.
Never: knows a language's wording, renders, or writes.

Other stages import only the names below, from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.facts.explain import did_you_mean, safe_text
    from pipeline.facts.load import FactBase, load_facts
    from pipeline.facts.model import (
        INDEX_SLUG,
        Article,
        CoordinatesFact,
        CountFact,
        CountriesFact,
        DateFact,
        Display,
        DurationFact,
        Fact,
        FactFile,
        MoneyFact,
        PartialDate,
        PercentFact,
        RankFact,
        SeriesFact,
        parse_partial_date,
    )
    from pipeline.facts.series import (
        ITEM_VARIABLE,
        ItemLookup,
        ItemRoles,
        RoleUse,
        SeriesItem,
        check_item,
        item_lookups,
        role_uses,
    )

# Imported on first use: a command that needs one name of a stage does not pay for all of it.
_EXPORTS = {
    "Article": "pipeline.facts.model",
    "CoordinatesFact": "pipeline.facts.model",
    "CountFact": "pipeline.facts.model",
    "CountriesFact": "pipeline.facts.model",
    "DateFact": "pipeline.facts.model",
    "Display": "pipeline.facts.model",
    "DurationFact": "pipeline.facts.model",
    "Fact": "pipeline.facts.model",
    "FactFile": "pipeline.facts.model",
    "INDEX_SLUG": "pipeline.facts.model",
    "MoneyFact": "pipeline.facts.model",
    "PartialDate": "pipeline.facts.model",
    "PercentFact": "pipeline.facts.model",
    "RankFact": "pipeline.facts.model",
    "SeriesFact": "pipeline.facts.model",
    "parse_partial_date": "pipeline.facts.model",
    "did_you_mean": "pipeline.facts.explain",
    "safe_text": "pipeline.facts.explain",
    "FactBase": "pipeline.facts.load",
    "load_facts": "pipeline.facts.load",
    "ITEM_VARIABLE": "pipeline.facts.series",
    "ItemLookup": "pipeline.facts.series",
    "ItemRoles": "pipeline.facts.series",
    "RoleUse": "pipeline.facts.series",
    "SeriesItem": "pipeline.facts.series",
    "check_item": "pipeline.facts.series",
    "item_lookups": "pipeline.facts.series",
    "role_uses": "pipeline.facts.series",
}
__all__ = [
    "INDEX_SLUG",
    "ITEM_VARIABLE",
    "Article",
    "CoordinatesFact",
    "CountFact",
    "CountriesFact",
    "DateFact",
    "Display",
    "DurationFact",
    "Fact",
    "FactBase",
    "FactFile",
    "ItemLookup",
    "ItemRoles",
    "MoneyFact",
    "PartialDate",
    "PercentFact",
    "RankFact",
    "RoleUse",
    "SeriesFact",
    "SeriesItem",
    "check_item",
    "did_you_mean",
    "item_lookups",
    "load_facts",
    "parse_partial_date",
    "role_uses",
    "safe_text",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
