"""Where every fact comes from, which articles cite it, and whether it is too old.

`pipeline facts` lists each fact with its value as readers see it in every
locale, its qualifier, source, as-of date, measure and the articles citing it
(a generated article through its series item's roles too, as
pipeline/provenance/citations.py reads them).  An article may declare
`max_fact_age_months`; `stale_citations` finds the cited facts whose as-of
period ended longer ago than that, for `pipeline check`.
"""

from __future__ import annotations

import calendar
import datetime
import json
from pathlib import Path
from typing import Any

from pipeline.config import Config, load_config
from pipeline.errors import Diagnostic
from pipeline.facts import Fact, FactBase, FactFile, PartialDate, SeriesFact, load_facts
from pipeline.i18n import FigureFormatter, FormatError
from pipeline.provenance.citations import Citations, article_citations

# Publisher names, country lists and series can run to 90 characters; the
# table shortens them to stay readable, the JSON listing keeps them whole.
PUBLISHER_WIDTH = 36
VALUE_WIDTH = 40
NOT_CITED = "not cited"


def render_fact(formatter: FigureFormatter, fact: Fact) -> str | None:
    """The fact as a reader of the formatter's locale sees it; None for facts never written out."""
    try:
        if isinstance(fact, SeriesFact):
            # A series is cited one point at a time: show every point with its period.
            return "; ".join(f"{point.period}: {formatter.fact(fact, str(point.period))}" for point in fact.points)
        return formatter.fact(fact)
    except FormatError:
        return None


def json_value(fact: Fact) -> Any:
    """The fact's value as JSON data: numbers, ISO date strings, lists and objects."""
    dumped = fact.model_dump(mode="json")
    return dumped["points"] if isinstance(fact, SeriesFact) else dumped["value"]


def rendered_values(config: Config, fact: Fact) -> dict[str, str | None]:
    return {locale.code: render_fact(FigureFormatter(locale.babel), fact) for locale in config.locales}


def fact_record(config: Config, base: FactBase, fact_id: str, citing: list[str]) -> dict[str, Any]:
    fact = base.facts[fact_id]
    source = base.sources.get(fact.source)
    return {
        "id": fact_id,
        "kind": fact.kind,
        "value": json_value(fact),
        "qualifier": fact.qualifier,
        "source": {
            "id": fact.source,
            "publisher": source.publisher if source else None,
            "url": source.url if source else None,
        },
        "as_of": str(fact.as_of),
        "measure": fact.measure,
        "rendered": rendered_values(config, fact),
        "cited_by": citing,
        "defined_at": str(base.origin("fact", fact_id)),
    }


def list_facts(project: Path, as_json: bool = False) -> str:
    """`pipeline facts`: every fact with its provenance and the articles citing it."""
    config = load_config(project)
    base = load_facts(config)
    citations = Citations(config, base)
    records = [fact_record(config, base, fact_id, citations.articles(fact_id)) for fact_id in base.facts]
    if as_json:
        return json.dumps({"facts": records}, indent=2, ensure_ascii=False)
    # An uncited fact sharing a measure with a cited one is a variant the article chose against.
    cited_measures = {
        fact.measure: fact_id for fact_id, fact in base.facts.items() if citations.articles(fact_id) and fact.measure
    }
    header = ["id", "kind", *(locale.code for locale in config.locales), "qualifier", "source", "as of", "measure"]
    rows = [[*header, "cited by"]]
    for record in records:
        rendered = [
            _shorten(text if text is not None else json.dumps(record["value"]), VALUE_WIDTH)
            for text in record["rendered"].values()
        ]
        rows.append(
            [
                record["id"],
                record["kind"],
                *rendered,
                record["qualifier"],
                _shorten(record["source"]["publisher"] or record["source"]["id"], PUBLISHER_WIDTH),
                record["as_of"],
                record["measure"] or "-",
                ", ".join(record["cited_by"]) or _uncited(record, cited_measures),
            ]
        )
    cited_count = sum(1 for record in records if record["cited_by"])
    summary = (
        f"{plural(len(records), 'fact')} in {plural(len(base.articles), 'article')}: "
        f"{cited_count} cited, {len(records) - cited_count} {NOT_CITED}"
    )
    return "\n".join([*_table(rows), "", summary])


def _uncited(record: dict[str, Any], cited_measures: dict[str, str]) -> str:
    variant_of = cited_measures.get(record["measure"] or "")
    return f"{NOT_CITED} (variant of {variant_of})" if variant_of else NOT_CITED


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# Staleness -----------------------------------------------------------------


def period_end(date: PartialDate) -> datetime.date:
    """The last day of the period an as-of date names: "2018" ends on 31 December 2018."""
    if date.precision == "day":
        return date.as_date()
    month = date.month or 12
    return datetime.date(date.year, month, calendar.monthrange(date.year, month)[1])


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier, or the month's last day when it is shorter (31 May - 3 = 28 Feb)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    if year < datetime.MINYEAR:
        return datetime.date.min
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def stale_citations(config: Config, base: FactBase, today: datetime.date, strict: bool) -> list[Diagnostic]:
    """Cited facts older than their article allows: warnings, or errors when strict.

    A fact is stale when its as-of period ended more than `max_fact_age_months`
    before `today`; each finding points at the fact's definition, where an
    editor would update it.
    """
    limited = {slug: article for slug, article in base.articles.items() if article.max_fact_age_months is not None}
    if not limited:
        return []
    citations = article_citations(config, base)
    findings: list[Diagnostic] = []
    for slug, article in limited.items():
        months = article.max_fact_age_months
        assert months is not None
        oldest_allowed = months_before(today, months)
        for fact_id in citations.get(slug, []):
            fact = base.facts.get(fact_id)
            if fact is None or period_end(fact.as_of) >= oldest_allowed:
                continue
            origin = base.origin("fact", fact_id)
            findings.append(
                Diagnostic(
                    f"article {slug!r} cites {fact_id!r} as of {fact.as_of}, more than "
                    f"{plural(months, 'month')} before {today.isoformat()} (its max_fact_age_months)",
                    "check.stale",
                    origin.file,
                    origin.line,
                    "error" if strict else "warning",
                )
            )
    return findings


# Schema of fact files ----------------------------------------------------------

SCHEMA_FILE = "facts.schema.json"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def fact_file_schema() -> str:
    """The JSON Schema of one fact file, for editors (YAML language server): completion and validation.

    Generated from the pydantic model, descriptions from its field docstrings,
    so it cannot drift from what the build accepts; the build still checks
    what a schema cannot say (unknown source ids, duplicate ids, calendar dates).
    """
    generated = FactFile.model_json_schema()
    _close_id_maps(generated)
    generated.pop("title", None)
    generated.pop("description", None)
    schema = {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": "pipeline fact file",
        "description": "One YAML file under facts/: sources, facts and the article they belong to "
        "(docs/authoring.md). Export with `pipeline schema --out facts/facts.schema.json`.",
        **generated,
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _close_id_maps(node: Any) -> None:
    """Maps keyed by id accept only ids, as the model does.

    pydantic writes the id pattern as `patternProperties`, which alone lets any
    other key through; an editor should flag `Sohr-Deaths:` as the build will.
    """
    if isinstance(node, dict):
        if "patternProperties" in node:
            node.setdefault("additionalProperties", False)
        for child in node.values():
            _close_id_maps(child)
    elif isinstance(node, list):
        for child in node:
            _close_id_maps(child)
