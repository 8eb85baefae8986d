"""The figure check of the data files: each article's figures JSON and CSV agree with its pages.

Every copy of an article's JSON (one beside each edition) is the same file;
it lists exactly the facts the pages cite, each with the value the fact base
holds, the texts each language's page renders it as and the sentences that
cite it there; a number's rendering, read back in its language, is the value
to the precision written; and the CSV holds the same rows as the JSON.  A
reader who downloads the numbers gets the numbers the story prints.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from pipeline.datasets import FIGURES_FORMAT, data_file_names, figures_csv, figures_document
from pipeline.errors import Diagnostic
from pipeline.facts import FactBase
from pipeline.reading import Text, extract_figures

NUMERIC_KINDS = frozenset({"count", "percent", "money", "series", "duration", "rank"})
"""Kinds whose rendering reads back as one number (a list of countries, a date or a position does not)."""


def check_figure_data(
    slug: str,
    base: FactBase,
    texts: Mapping[str, Text],
    files: Mapping[str, bytes],
    shown: Callable[[str], str],
) -> list[Diagnostic]:
    """Findings for one article's data files.

    `texts` is the visible text of each language's edition (locale code ->
    text), `files` each data file as written (relative path -> bytes),
    `shown` how a relative path is named in a finding."""
    json_name, csv_name = data_file_names(slug)
    copies = {name: data for name, data in files.items() if name.endswith("/" + json_name)}
    tables = {name: data for name, data in files.items() if name.endswith("/" + csv_name)}
    if not copies:
        return []
    first = min(copies)
    findings = [
        Diagnostic(f"differs from {shown(first)}: every edition carries the same figures", "check.data", shown(name))
        for name, data in sorted(copies.items())
        if data != copies[first]
    ]
    try:
        document = json.loads(copies[first].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return [*findings, Diagnostic(f"not a JSON document: {error}", "check.data", shown(first))]
    findings += [
        Diagnostic(message, "check.data", shown(first)) for message in _document_findings(document, slug, base, texts)
    ]
    if not findings:
        wanted = figures_csv(document)
        for name, data in sorted(tables.items()):
            difference = _table_difference(data, wanted)
            if difference:
                findings.append(Diagnostic(f"{difference}, unlike {shown(first)}", "check.data", shown(name)))
    return findings


def _document_findings(document: Any, slug: str, base: FactBase, texts: Mapping[str, Text]) -> list[str]:
    if not isinstance(document, dict) or document.get("format") != FIGURES_FORMAT:
        return [f'not a figures document: "format" is not "{FIGURES_FORMAT}"']
    if document.get("article") != slug:
        return [f'names article "{document.get("article")}", not "{slug}"']
    pages = figures_document(slug, base, texts)
    if document.get("languages") != pages["languages"]:
        return [f"lists the languages {document.get('languages')}, the pages are in {pages['languages']}"]
    records = document.get("figures")
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        return ['"figures" is not a list of records']
    expected = {(record["fact"], record["period"]): record for record in pages["figures"]}
    given = {(record.get("fact"), record.get("period")): record for record in records}
    messages = [
        f'lacks "{_name(key)}", which the pages cite: "{_first_sentence(record)}"'
        for key, record in expected.items()
        if key not in given
    ]
    messages += [f'lists "{_name(key)}", which no page cites' for key in given if key not in expected]
    for key, record in given.items():
        if key in expected:
            messages += [f'"{_name(key)}": {message}' for message in _record_findings(record, expected[key])]
    return messages


def _record_findings(record: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """A record against the pages and the fact base; its numbers also against their renderings."""
    messages = [
        f"{field} is {json.dumps(record.get(field), ensure_ascii=False)}, "
        f"the {'fact base' if field not in ('renderings', 'sentences') else 'pages'} "
        f"say {json.dumps(expected[field], ensure_ascii=False)}"
        for field in expected
        if record.get(field) != expected[field]
    ]
    if record.get("kind") in NUMERIC_KINDS and not messages:
        for language, renderings in expected["renderings"].items():
            for rendering in renderings:
                if not _reads_as(rendering, language, record["value"]):
                    messages.append(f'value {record["value"]} is not what "{rendering}" says')
    return messages


def _reads_as(rendering: str, language: str, value: Any) -> bool:
    """The rendering, read back, is the value to the precision it is written in (5.6 million: 5,612,000)."""
    figures = [figure for figure in extract_figures(rendering, language) if isinstance(figure.value, Decimal)]
    if len(figures) != 1:
        return True  # a rendering the reader cannot take as one number; the pages' own check read it
    figure = figures[0]
    try:
        wanted = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    assert isinstance(figure.value, Decimal)
    return abs(figure.value - wanted) <= (figure.resolution or Decimal(0)) / 2


def _table_difference(data: bytes, wanted: bytes) -> str | None:
    """Where a CSV file parts from the table the JSON makes, in words; None when they agree."""
    if data == wanted:
        return None
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8").removeprefix("\ufeff"), newline="")))
    except (UnicodeDecodeError, csv.Error) as error:
        return f"not a CSV table: {error}"
    wanted_rows = list(csv.reader(io.StringIO(wanted.decode("utf-8").removeprefix("\ufeff"), newline="")))
    header = wanted_rows[0]
    for number, (row, wanted_row) in enumerate(zip(rows, wanted_rows, strict=False), start=1):
        if row != wanted_row:
            column = next((i for i, (a, b) in enumerate(zip(row, wanted_row, strict=False)) if a != b), len(row))
            name = header[column] if column < len(header) else f"column {column + 1}"
            return f"row {number}, {name}: {json.dumps(_cell(row, column), ensure_ascii=False)}"
    if len(rows) != len(wanted_rows):
        return f"has {len(rows) - 1} figures, the JSON {len(wanted_rows) - 1}"
    return "is written differently (quoting, line ends or byte order mark)"


def _cell(row: list[str], column: int) -> str | None:
    return row[column] if column < len(row) else None


def _name(key: tuple[Any, Any]) -> str:
    fact, period = key
    return f"{fact}@{period}" if period else str(fact)


def _first_sentence(record: dict[str, Any]) -> str:
    return next((sentence for sentences in record["sentences"].values() for sentence in sentences), "")
