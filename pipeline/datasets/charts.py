"""Each bar chart's data as a CSV table, read from the page that draws it.

A chart's table has one row per bar: the group heading it sits under (or
nothing), its label and the text of its value as the page shows them, the
fact and period the value was drawn from (the marks the renderer left on
it), and the value the fact base holds, as JSON writes numbers.  Labels and
renderings are taken from the page, never formatted again here, so the file
states what readers see; the value is the fact base's, so it states what
the bar stands for.  The check (parity/chart_data.py) holds each file to
its page and to the fact base.

Read from a single-language edition: the bilingual one draws every label
twice, and publishes no tables of its own (it links each language's).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser

from pipeline.datasets.figures import SUFFIXES, data_file_names, fact_value, figures_document, figures_json
from pipeline.datasets.tables import csv_table, figures_csv, value_cell
from pipeline.facts import FactBase
from pipeline.reading import Text

CHART_COLUMNS = ("group", "label", "fact", "period", "value", "rendering")
CHART_CLASS = "chart"
"""The class of a bar chart's <figure> (graphics/charts.py); a locator map has no table."""


@dataclass(frozen=True)
class ChartRow:
    """One bar as its page shows it."""

    group: str
    label: str
    fact: str
    period: str | None
    rendering: str


def chart_file_name(slug: str, chart: str) -> str:
    """A chart's table, as its name sits beside the article's page."""
    name = f"{slug}.{chart}.csv"
    # A chart named "figures" would overwrite the article's own figures table.
    if any(name.endswith(suffix) for suffix in SUFFIXES):
        raise ValueError(f"{slug}: a chart may not be named {chart!r}")
    return name


def chart_rows(html: str) -> dict[str, list[ChartRow]]:
    """Each bar chart of a single-language edition (chart id -> its bars, in the order drawn)."""
    if f'class="{CHART_CLASS}' not in html:
        return {}  # most pages draw no chart: not parsed for nothing
    parser = _Charts()
    parser.feed(html)
    parser.close()
    return parser.charts


def chart_tables(html: str, base: FactBase) -> dict[str, bytes]:
    """Each bar chart's table as its CSV file holds it (chart id -> bytes)."""
    return {chart: chart_csv(rows, base) for chart, rows in chart_rows(html).items()}


def chart_csv(rows: list[ChartRow], base: FactBase) -> bytes:
    return csv_table(CHART_COLUMNS, (chart_cells(row, base) for row in rows))


def chart_cells(row: ChartRow, base: FactBase) -> list[str]:
    """A bar's cells before they are made inert, in CHART_COLUMNS' order."""
    fact = base.facts.get(row.fact)
    value = value_cell(fact_value(fact, row.period)[0]) if fact is not None else ""
    return [row.group, row.label, row.fact, row.period or "", value, row.rendering]


_TEXT_ID = re.compile(r"(?P<role>group|label|value)-(?P<index>\d+)")


class _Charts(HTMLParser):
    """The bars of every <figure class="chart">, from the ids charts.py gives each <text>.

    `{chart}-group-N` is a heading over the bars after it, `{chart}-label-N`
    the label above bar N and `{chart}-value-N` its value, whose
    `<tspan class="fig">` names the fact.  A second line of a text
    (`{chart}-label-N-2`, the bilingual edition's) is not a bar's."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charts: dict[str, list[ChartRow]] = {}
        self.chart: str | None = None
        self.role: str | None = None
        self.chunks: list[str] = []
        self.fact: tuple[str, str | None] | None = None
        self.group = ""
        self.label = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "figure":
            classes = (attributes.get("class") or "").split()
            chart = attributes.get("id")
            self.chart = chart if CHART_CLASS in classes and chart else None
            if self.chart is not None:
                self.charts[self.chart] = []
                self.group = self.label = ""
        elif tag == "text" and self.chart is not None:
            ident = (attributes.get("id") or "").removeprefix(self.chart + "-")
            match = _TEXT_ID.fullmatch(ident)
            self.role = match["role"] if match else None
            self.chunks, self.fact = [], None
        elif tag == "tspan" and self.role == "value" and "fig" in (attributes.get("class") or "").split():
            fact = attributes.get("data-fact")
            if fact:
                self.fact = (fact, attributes.get("data-period"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self.chart = None
        elif tag == "text" and self.role is not None and self.chart is not None:
            shown = " ".join("".join(self.chunks).split())
            if self.role == "group":
                self.group = shown
            elif self.role == "label":
                self.label = shown
            elif self.fact is not None:
                fact, period = self.fact
                self.charts[self.chart].append(ChartRow(self.group, self.label, fact, period, shown))
                self.label = ""
            self.role = None

    def handle_data(self, data: str) -> None:
        if self.role is not None:
            self.chunks.append(data)


def article_files(slug: str, base: FactBase, texts: Mapping[str, Text], pages: Mapping[str, str]) -> dict[str, bytes]:
    """Every data file of an article, as the build writes it and the preview serves it.

    `texts` is the visible text of each language's edition (locale code ->
    text), `pages` the HTML of each single-language edition (folder -> HTML).
    The figures JSON and CSV go by their bare names (every folder holds the
    same two files), the chart tables by `folder/name`."""
    document = figures_document(slug, base, texts)
    json_name, csv_name = data_file_names(slug)
    files = {json_name: figures_json(document), csv_name: figures_csv(document)}
    for folder, html in pages.items():
        files |= {
            f"{folder}/{chart_file_name(slug, chart)}": table for chart, table in chart_tables(html, base).items()
        }
    return files
