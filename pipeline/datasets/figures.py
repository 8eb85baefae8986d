"""An article's cited figures as one JSON document.

Each record is one fact as the article cites it (a series point by its
period): the fact's own value, unit, qualifier and as-of date from the fact
base, its source, and from each language's page the texts the figure was
rendered as and the sentences that cite it.  The renderings are read from the
pages, never formatted again here, so the file states what readers read; the
figure check (parity/data_files.py) holds the file to the pages and the facts.

The document is the same for every edition of an article, so the English,
Indonesian and bilingual folders, and every PDF, carry one and the same file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.facts import (
    CoordinatesFact,
    CountriesFact,
    DurationFact,
    Fact,
    FactBase,
    MoneyFact,
    PercentFact,
    SeriesFact,
)
from pipeline.reading import Text

FIGURES_FORMAT = "dwibahasa-figures/1"
"""Names the document's layout, so a program reading it knows which fields to expect."""

SUFFIXES = (".figures.json", ".figures.csv")


def data_file_names(slug: str) -> tuple[str, str]:
    """The article's JSON and CSV, as their names sit beside its page."""
    return (slug + SUFFIXES[0], slug + SUFFIXES[1])


@dataclass
class _Cited:
    fact: str
    period: str | None
    renderings: dict[str, list[str]] = field(default_factory=dict)
    sentences: dict[str, list[str]] = field(default_factory=dict)


def figures_document(slug: str, base: FactBase, texts: Mapping[str, Text]) -> dict[str, Any]:
    """The document of one article, from the visible text of each language's edition (locale code -> text).

    Records follow the order in which the first language's page cites them."""
    languages = list(texts)
    found: dict[tuple[str, str | None], _Cited] = {}
    for language, text in texts.items():
        in_prose = _prose_scopes(text)
        for mark in text.marks:
            if mark.marker or mark.fact_id is None or mark.fact_id not in base.facts:
                continue
            cited = found.setdefault((mark.fact_id, mark.period), _Cited(mark.fact_id, mark.period))
            _add(cited.renderings, language, " ".join(text.text[mark.start : mark.end].split()))
            if any(start <= mark.start and mark.end <= end for start, end in in_prose.get(mark.fact_id, ())):
                _add(cited.sentences, language, text.sentence_around(mark.start, mark.end))
    return {
        "format": FIGURES_FORMAT,
        "article": slug,
        "languages": languages,
        "figures": [_record(cited, base, languages) for cited in found.values()],
    }


def figures_json(document: dict[str, Any]) -> bytes:
    """The document as its file holds it: UTF-8, keys in a fixed order, one trailing newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _prose_scopes(text: Text) -> dict[str, list[tuple[int, int]]]:
    """Where each fact is cited in a sentence (its figure with its note marker), by fact id.

    A chart's or a map's values carry the fact too, but no sentence cites them there."""
    scopes: dict[str, list[tuple[int, int]]] = {}
    for ref in text.note_refs:
        if ref.fact_id is not None:
            scopes.setdefault(ref.fact_id, []).append(ref.scope)
    return scopes


def _add(table: dict[str, list[str]], language: str, item: str) -> None:
    items = table.setdefault(language, [])
    if item and item not in items:
        items.append(item)


def _record(cited: _Cited, base: FactBase, languages: list[str]) -> dict[str, Any]:
    fact = base.facts[cited.fact]
    source = base.sources[fact.source]
    value, unit, currency = fact_value(fact, cited.period)
    return {
        "fact": cited.fact,
        "period": cited.period,
        "kind": fact.kind,
        "value": value,
        "unit": unit,
        "currency": currency,
        "qualifier": fact.qualifier,
        "as_of": str(fact.as_of),
        "source": {"id": fact.source, "name": source.publisher, "title": source.title, "url": source.url},
        "renderings": {language: cited.renderings.get(language, []) for language in languages},
        "sentences": {language: cited.sentences.get(language, []) for language in languages},
    }


def fact_value(fact: Fact, period: str | None) -> tuple[Any, str | None, str | None]:
    """(value, unit, currency) of a fact as JSON holds them; a series point's by its period."""
    if isinstance(fact, SeriesFact):
        point = fact.point(period or "")
        return (point.value if point is not None else None), fact.unit, None
    if isinstance(fact, MoneyFact):
        return fact.value, "money", fact.currency
    if isinstance(fact, PercentFact):
        return fact.value, "percent", None
    if isinstance(fact, DurationFact):
        return fact.value, fact.unit, None
    if isinstance(fact, CountriesFact):
        return list(fact.value), "country", None
    if isinstance(fact, CoordinatesFact):
        return {"lat": fact.value.lat, "lon": fact.value.lon}, "degrees", None
    value = getattr(fact, "value", None)
    if fact.kind == "date":
        return str(value), getattr(fact, "part", None) or "date", None
    return value, ("rank" if fact.kind == "rank" else "count"), None
