"""Each chart's table, read from the page that draws it: its rows, its bytes, and a label meant to harm."""

from __future__ import annotations

import csv
import io

import pytest

from pipeline.config import load_config
from pipeline.datasets import chart_file_name, chart_rows, chart_tables, read_table
from pipeline.datasets.tables import csv_table
from pipeline.facts.load import load_facts
from pipeline.parity.chart_data import check_chart_data
from tests.conftest import Project, render_with
from tests.graphics.test_charts import CHART_FACTS, CHART_TEMPLATE, STORY

HOSTILE = '=HYPERLINK("https://evil.example", "click, here")\n- now'


def test_a_chart_table_holds_each_bar_as_the_page_shows_it_and_the_fact_base_holds_it(inline_project) -> None:  # type: ignore[no-untyped-def]
    project: Project = inline_project({"facts/charts.yaml": CHART_FACTS, STORY: CHART_TEMPLATE})
    (english, indonesian), findings = render_with(project, {})
    assert findings == []
    base = load_facts(load_config(project.root))
    tables = chart_tables(english.html, base)
    assert list(tables) == ["chart-toll", "chart-strikes"]
    assert tables["chart-toll"] == (
        "\ufeffgroup,label,fact,period,value,rendering\r\n"
        'Observatory,2014,toll,2014,20218,"20,218"\r\n'
        'Observatory,2017,toll,2017,13187,"13,187"\r\n'
        'UN,2016,un_toll,2016,6878,"at least 6,878"\r\n'
        'UN,2017,un_toll,2017,3298,"at least 3,298"\r\n'
    ).encode("utf-8")
    assert read_table(chart_tables(indonesian.html, base)["chart-strikes"])[1:] == [
        ["", "Irak", "strikes_iq", "", "13300", "lebih dari 13.300"],
        ["", "Suriah", "strikes_sy", "", "14600", "lebih dari 14.600"],
    ]


def test_a_hostile_label_round_trips_inert(inline_project) -> None:  # type: ignore[no-untyped-def]
    template = CHART_TEMPLATE.replace('label=territory("IQ")', "label=" + repr(HOSTILE))
    project: Project = inline_project({"facts/charts.yaml": CHART_FACTS, STORY: template})
    (english, _), findings = render_with(project, {})
    assert findings == []
    base = load_facts(load_config(project.root))
    data = chart_tables(english.html, base)["chart-strikes"]
    # Read as a spreadsheet would: one row per bar, the label in one cell, starting with an apostrophe.
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    shown = " ".join(HOSTILE.split())
    assert rows[1] == ["", "'" + shown, "strikes_iq", "", "13300", "more than 13,300"]
    assert len(rows) == 3
    assert chart_rows(english.html)["chart-strikes"][0].label == shown
    files = {f"en/story.{chart}.csv": table for chart, table in chart_tables(english.html, base).items()}
    assert check_chart_data("story", base, {"en": english.html}, files, str) == []


def test_a_cell_with_quotes_commas_and_line_breaks_round_trips() -> None:
    cells = ["-2", 'say "when", then\r\nstop', "@once"]
    assert read_table(csv_table(["a", "b", "c"], [cells])) == [["a", "b", "c"], ["'-2", cells[1], "'@once"]]


def test_a_chart_may_not_take_the_name_of_the_articles_own_table() -> None:
    with pytest.raises(ValueError, match="may not be named 'figures'"):
        chart_file_name("story", "figures")
