"""The charts' tables as published: each one holds the bars of its page, or the build and the check fail.

A table edited by hand, one written wrong by a broken writer, one left for
a chart the page no longer draws: each is caught and named, and a failed
build leaves the published folder as it was.
"""

from __future__ import annotations

import pytest

import pipeline.build.data_files
import pipeline.datasets.charts
from pipeline.facts import FactBase
from tests.conftest import PO, Project, tree_digest
from tests.graphics.test_charts import CHART_FACTS, CHART_TEMPLATE, STORY

TOLL_TABLE = "out/en/story.chart-toll.csv"
CHART_MESSAGES = {
    ("chart title", "Deaths by year"): "Kematian per tahun",
    ("chart description", "Bar chart of deaths, one bar per year, grouped by who counted."): "Diagram batang.",
    ("chart label", "Observatory"): "Lembaga pemantau",
    ("chart label", "UN"): "PBB",
    ("chart caption", "Separate counts."): "Hitungan terpisah.",
    ("chart title", "Air strikes"): "Serangan udara",
    ("chart description", "Bar chart of air strikes in Iraq and in Syria."): "Diagram batang serangan udara.",
}


@pytest.fixture
def chart_project(inline_project) -> Project:  # type: ignore[no-untyped-def]
    """The charts of tests/graphics, translated, so the project builds."""
    project: Project = inline_project({"facts/charts.yaml": CHART_FACTS, STORY: CHART_TEMPLATE})
    entries = "".join(
        f'\nmsgctxt "{context}"\nmsgid "{message}"\nmsgstr "{translation}"\n'
        for (context, message), translation in CHART_MESSAGES.items()
    )
    project.write(PO, project.read(PO) + entries)
    return project


def test_each_chart_of_each_language_publishes_its_table_and_links_it(chart_project: Project) -> None:
    assert chart_project.build().code == 0, chart_project.build().err
    out = chart_project.out
    for folder in ("en", "id"):
        assert sorted(path.name for path in out.glob(f"{folder}/story.chart-*.csv")) == [
            "story.chart-strikes.csv",
            "story.chart-toll.csv",
        ]
    assert not list(out.glob("bilingual/story.chart-*.csv"))
    assert (
        '<a class="figure-data" href="story.chart-toll.csv" type="text/csv" aria-describedby="chart-toll-title">CSV</a>'
    ) in (out / "en" / "story.html").read_text(encoding="utf-8")
    bilingual = (out / "bilingual" / "story.html").read_text(encoding="utf-8")
    assert 'href="../en/story.chart-toll.csv" hreflang="en"' in bilingual
    assert 'href="../id/story.chart-toll.csv" hreflang="id"' in bilingual
    assert chart_project.run("check").code == 0


def test_check_names_a_cell_of_a_chart_table_edited_after_the_build(chart_project: Project) -> None:
    assert chart_project.build().code == 0
    table = chart_project.path(TOLL_TABLE)
    table.write_bytes(table.read_bytes().replace(b",20218,", b",20281,"))
    result = chart_project.run("check")
    assert result.code == 1
    assert result.err.splitlines() == [
        f'{TOLL_TABLE}: error: row 1, value: "20281", the fact base holds "20218" [check.data]'
    ]


def test_check_names_a_relabelled_bar_and_a_table_of_no_chart(chart_project: Project) -> None:
    assert chart_project.build().code == 0
    table = chart_project.path("out/id/story.chart-strikes.csv")
    table.write_bytes(table.read_bytes().replace(b"Suriah", b"Syria"))
    (chart_project.out / "en" / "story.chart-gone.csv").write_bytes(b"\xef\xbb\xbfgroup\r\n")
    result = chart_project.run("check")
    assert result.code == 1
    assert result.err.splitlines() == [
        "out/en/story.chart-gone.csv: error: out/en/story.html draws no chart of this name [check.data]",
        'out/id/story.chart-strikes.csv: error: row 2, label: "Syria", the chart shows "Suriah" [check.data]',
    ]


def test_check_of_output_without_a_charts_table_asks_for_a_build(chart_project: Project) -> None:
    assert chart_project.build().code == 0
    chart_project.path(TOLL_TABLE).unlink()
    result = chart_project.run("check")
    assert result.code == 2
    assert f"{TOLL_TABLE}: error: missing: run 'pipeline build' first [check.missing-output]" in result.err.splitlines()


def test_a_broken_chart_writer_fails_the_build_and_publishes_nothing(
    chart_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert chart_project.build().code == 0
    before = tree_digest(chart_project.out)
    written = pipeline.datasets.charts.chart_tables

    def off_by_one(html: str, base: FactBase) -> dict[str, bytes]:
        return {chart: table.replace(b",20300,", b",20301,") for chart, table in written(html, base).items()}

    monkeypatch.setattr(pipeline.datasets.charts, "chart_tables", off_by_one)
    chart_project.replace("facts/charts.yaml", "value: 20218", "value: 20300")
    result = chart_project.build()
    assert result.code == 1
    assert [line for line in result.err.splitlines() if "[check.data]" in line] == [
        f'{TOLL_TABLE}: error: row 1, value: "20301", the fact base holds "20300" [check.data]',
        'out/id/story.chart-toll.csv: error: row 1, value: "20301", the fact base holds "20300" [check.data]',
    ]
    assert tree_digest(chart_project.out) == before
