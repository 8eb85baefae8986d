"""The figure check of the data files: each article's figures JSON and CSV agree with its pages.

Every copy of an article's JSON (one beside each edition) is the same file;
it lists exactly the facts the pages cite, each with the value the fact base
holds, the texts each language's page renders it as and the sentences that
cite it there; a number's rendering, read back in its language, is the value
to the precision written; and the CSV holds the same rows as the JSON.  A
reader who downloads the numbers gets the numbers the story prints.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pipeline.datasets import FIGURES_FORMAT, data_file_names, figures_csv, figures_document, read_table
from pipeline.errors import Diagnostic
from pipeline.facts import INDEX_SLUG, FactBase
from pipeline.reading import Text, extract_figures, pdf_attachments

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
    copies = {name: data for name, data in sorted(files.items()) if name.endswith("/" + json_name)}
    tables = {name: data for name, data in sorted(files.items()) if name.endswith("/" + csv_name)}
    findings: list[Diagnostic] = []
    # Each distinct copy is checked on its own, so an edited copy is told what is wrong with it.
    checked: dict[bytes, tuple[str, Any]] = {}
    for name, data in copies.items():
        if data in checked:
            continue
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            findings.append(Diagnostic(f"not a JSON document: {error}", "check.data", shown(name)))
            continue
        messages = _document_findings(document, slug, base, texts)
        findings += [Diagnostic(message, "check.data", shown(name)) for message in messages]
        checked[data] = (name, None if messages else document)
    if len(checked) > 1 and not findings:
        first, *others = checked.values()
        message = f"differs from {shown(first[0])}: every edition carries the same figures"
        findings += [Diagnostic(message, "check.data", shown(name)) for name, _ in others]
    good = [(name, document) for name, document in checked.values() if document is not None]
    if findings or not good:
        return findings
    source, document = good[0]
    wanted = figures_csv(document)
    for name, data in tables.items():
        difference = _table_difference(data, wanted)
        if difference:
            findings.append(Diagnostic(f"{difference}, unlike {shown(source)}", "check.data", shown(name)))
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
    messages = []
    for field, wanted in expected.items():
        given = record.get(field)
        if field in ("renderings", "sentences") and isinstance(given, dict) and set(given) == set(wanted):
            # Per language: the one page that differs is named, not every language's list.
            messages += [
                f"{field}.{language} is {_shown(given[language])}, the {language} page says {_shown(texts)}"
                for language, texts in wanted.items()
                if given[language] != texts
            ]
        elif given != wanted:
            says = "the pages say" if field in ("renderings", "sentences") else "the fact base says"
            messages.append(f"{field} is {_shown(given)}, {says} {_shown(wanted)}")
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
        rows = read_table(data)
    except ValueError as error:
        return f"not a CSV table: {error}"
    wanted_rows = read_table(wanted)
    header = wanted_rows[0]
    for number, (row, wanted_row) in enumerate(zip(rows, wanted_rows, strict=False), start=1):
        if row != wanted_row:
            column = next((i for i, (a, b) in enumerate(zip(row, wanted_row, strict=False)) if a != b), len(row))
            name = header[column] if column < len(header) else f"column {column + 1}"
            return f"row {number}, {name}: {_shown(_cell(row, column))}"
    if len(rows) != len(wanted_rows):
        return f"has {len(rows) - 1} figures, the JSON {len(wanted_rows) - 1}"
    return "is written differently (quoting, line ends or byte order mark)"


def _cell(row: list[str], column: int) -> str | None:
    return row[column] if column < len(row) else None


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _name(key: tuple[Any, Any]) -> str:
    fact, period = key
    return f"{fact}@{period}" if period else str(fact)


def _first_sentence(record: dict[str, Any]) -> str:
    return next((sentence for sentences in record["sentences"].values() for sentence in sentences), "")


def check_pdf_data(folder: Path, relatives: Iterable[str], shown: Callable[[str], str]) -> list[Diagnostic]:
    """Each PDF (relative path under `folder`) of an article carries exactly its article's figures file."""
    findings: list[Diagnostic] = []
    for relative in relatives:
        parent, _, name = relative.rpartition("/")
        slug = name.removesuffix(".pdf")
        json_name = data_file_names(slug)[0]
        data_path = folder / parent / json_name
        if slug == INDEX_SLUG or not data_path.is_file():
            continue
        try:
            carried = pdf_attachments(folder / relative)
        except ValueError as error:
            findings.append(Diagnostic(f"its embedded files cannot be read: {error}", "check.data", shown(relative)))
            continue
        if json_name not in carried:
            findings.append(Diagnostic(f"carries no {json_name}", "check.data", shown(relative)))
        elif carried[json_name][0] != data_path.read_bytes():
            message = f"the {json_name} it carries differs from {shown(f'{parent}/{json_name}')}"
            findings.append(Diagnostic(message, "check.data", shown(relative)))
    return findings


def read_published(out_dir: Path, name: str, missing: list[Diagnostic], shown: Callable[[Path], str]) -> bytes | None:
    """A data file of the published folder (relative path), or None with it noted missing.

    The build writes regular files only: a symbolic link there is not the build's file, and is not followed."""
    path = out_dir / name
    if path.is_file() and not path.is_symlink():
        return path.read_bytes()
    missing.append(Diagnostic("missing: run 'pipeline build' first", "check.missing-output", shown(path)))
    return None
