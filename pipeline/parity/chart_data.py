"""The figure check of the charts' tables: each chart's CSV holds the bars its page draws.

Beside each single-language edition, every bar chart of the page has its
table, and no table is there for a chart the page does not draw.  Row by
row, a table names the group heading, the label, the fact and period and the
rendering of the bar the page draws in that place (read from the page's
marks), and the value the fact base holds for that fact and period; then it
is written exactly as the data files are (byte order mark, CRLF, quoting,
would-be formulas made inert).  The table is read back and compared cell by
cell, never by making it again the way the build did, so a writer that goes
wrong is caught, not repeated.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from pipeline.datasets import (
    CHART_COLUMNS,
    ChartRow,
    chart_cells,
    chart_csv,
    chart_file_name,
    chart_rows,
    data_file_names,
    read_table,
    safe_cell,
)
from pipeline.errors import Diagnostic
from pipeline.facts import FactBase
from pipeline.parity.data_files import read_published


def check_chart_data(
    slug: str,
    base: FactBase,
    pages: Mapping[str, str],
    files: Mapping[str, bytes],
    shown: Callable[[str], str],
) -> list[Diagnostic]:
    """Findings for one article's chart tables.

    `pages` is the HTML of each single-language edition (folder -> HTML),
    `files` the data files as written (relative path -> bytes; others than
    chart tables are let be), `shown` how a relative path is named in a finding."""
    findings: list[Diagnostic] = []
    for folder, html in pages.items():
        charts = chart_rows(html)
        names = {f"{folder}/{chart_file_name(slug, chart)}": chart for chart in charts}
        page = shown(f"{folder}/{slug}.html")
        for name, chart in names.items():
            if name not in files:
                findings.append(Diagnostic(f'the chart "{chart}" has no table {shown(name)}', "check.data", page))
                continue
            messages = table_findings(files[name], charts[chart], base)
            findings.extend(Diagnostic(message, "check.data", shown(name)) for message in messages)
        findings.extend(
            Diagnostic(f"{page} draws no chart of this name", "check.data", shown(name))
            for name in sorted(chart_files(files, folder, slug))
            if name not in names
        )
    return findings


def chart_files(names: Iterable[str], folder: str, slug: str) -> list[str]:
    """The names among these that would be tables of the article's charts in `folder`."""
    others = {f"{folder}/{name}" for name in data_file_names(slug)}
    prefix = f"{folder}/{slug}."
    return [
        name
        for name in names
        if name.startswith(prefix) and name.endswith(".csv") and name not in others and "." not in _chart(name, prefix)
    ]


def read_chart_files(
    out_dir: Path, slug: str, pages: Mapping[str, str], missing: list[Diagnostic], shown: Callable[[Path], str]
) -> dict[str, bytes]:
    """The chart tables of an article in the published folder (relative path -> bytes): those of the
    charts its pages draw, the absent ones missing, and any other table of the article found there."""
    files: dict[str, bytes] = {}
    for folder, html in pages.items():
        wanted = [f"{folder}/{chart_file_name(slug, chart)}" for chart in chart_rows(html)]
        found = [f"{folder}/{path.name}" for path in (out_dir / folder).glob(f"{slug}.*.csv")]
        for name in [*wanted, *(name for name in chart_files(found, folder, slug) if name not in wanted)]:
            data = read_published(out_dir, name, missing, shown)
            if data is not None:
                files[name] = data
    return files


def table_findings(data: bytes, bars: list[ChartRow], base: FactBase) -> list[str]:
    """Where a chart's table parts from the bars its page draws, in words; none when they agree."""
    try:
        table = read_table(data)
    except ValueError as error:
        return [f"not a CSV table: {error}"]
    if not table or tuple(table[0]) != CHART_COLUMNS:
        return [f"the header is {_quoted(table[0] if table else [])}, not {_quoted(list(CHART_COLUMNS))}"]
    rows = table[1:]
    messages: list[str] = []
    for number, (row, bar) in enumerate(zip(rows, bars, strict=False), start=1):
        wanted = [safe_cell(cell) for cell in chart_cells(bar, base)]
        for column, cell, expected in zip(CHART_COLUMNS, [*row, *[None] * len(CHART_COLUMNS)], wanted, strict=False):
            if cell != expected:
                says = "the fact base holds" if column == "value" else "the chart shows"
                messages.append(f"row {number}, {column}: {_quoted(cell)}, {says} {_quoted(expected)}")
        if len(row) > len(CHART_COLUMNS):
            messages.append(f"row {number} has {len(row)} cells, not {len(CHART_COLUMNS)}")
    if len(rows) != len(bars):
        messages.append(f"has {len(rows)} rows, the chart draws {len(bars)} bars")
    if not messages and data != chart_csv(bars, base):
        messages.append("is written differently (quoting, line ends or byte order mark)")
    return messages


def _chart(name: str, prefix: str) -> str:
    return name.removeprefix(prefix).removesuffix(".csv")


def _quoted(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
