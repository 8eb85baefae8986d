"""Charts drawn from facts: structure, localisation, the figure check, the PDF.

The fixture project is the minimal one plus a series, two counts and a page
with two charts.  The Indonesian catalog does not translate the chart texts,
so the Indonesian edition shows them in English: the figures are what count.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from babel import Locale
from markupsafe import Markup

from pipeline.config import load_config
from pipeline.facts.load import load_facts
from pipeline.graphics import charts, svg_text
from pipeline.i18n.formatting import FigureFormatter
from pipeline.i18n.sentinels import FALLBACK_START, mark_fallbacks, wrap_fallback
from pipeline.parity.check import check_html_editions
from pipeline.pdf.document import PAGE_MARGINS_PT
from pipeline.reading.extract import extract_figures
from pipeline.reading.text import html_text, pdf_text
from pipeline.render.renderer import RenderedArticle
from tests.conftest import ROOT, Project, render_with

SVG = "{http://www.w3.org/2000/svg}"
STORY = "templates/articles/story.html"
CHART_FACTS = """\
facts:
  toll:
    kind: series
    unit: count
    points:
      - {period: "2014", value: 20218}
      - {period: "2017", value: 13187}
    source: observatory
    as_of: "2018-02"
  un_toll:
    kind: series
    unit: count
    qualifier: at_least
    points:
      - {period: "2016", value: 6878}
      - {period: "2017", value: 3298}
    source: observatory
    as_of: "2018-03"
  strikes_iq:
    kind: count
    value: 13300
    qualifier: more_than
    source: observatory
    as_of: "2018-03"
  strikes_sy:
    kind: count
    value: 14600
    qualifier: more_than
    source: observatory
    as_of: "2018-03"
"""
CHART_TEMPLATE = """\
{% extends "base.html" %}
{% block headline %}{% trans %}A short story{% endtrans %}{% endblock %}
{% block body %}
<p>{% trans deaths=fig("deaths") %}The observatory counted {{ deaths }} deaths.{% endtrans %}</p>
{{ bar_chart("chart-toll",
    title=pgettext("chart title", "Deaths by year"),
    description=pgettext("chart description", "Bar chart of deaths, one bar per year, grouped by who counted."),
    bars=[
      bar_group(pgettext("chart label", "Observatory"), [bar("toll", "2014"), bar("toll", "2017")]),
      bar_group(pgettext("chart label", "UN"), [bar("un_toll", "2016"), bar("un_toll", "2017")]),
    ],
    caption=pgettext("chart caption", "Separate counts.")) }}
{{ bar_chart("chart-strikes",
    title=pgettext("chart title", "Air strikes"),
    description=pgettext("chart description", "Bar chart of air strikes in Iraq and in Syria."),
    bars=[bar("strikes_iq", label=territory("IQ")), bar("strikes_sy", label=territory("SY"))]) }}
{% endblock %}
"""


@pytest.fixture
def chart_project(inline_project) -> Project:  # type: ignore[no-untyped-def]
    project: Project = inline_project({"facts/charts.yaml": CHART_FACTS, STORY: CHART_TEMPLATE})
    return project


def svg_of(html: str, slug: str) -> ET.Element:
    """The chart's <svg>, parsed as XML (the markup is well-formed by construction)."""
    figure = re.search(rf'<figure class="[a-z-]+" id="{slug}">.*?</figure>', html, re.S)
    assert figure is not None, slug
    svg = re.search(r"<svg.*?</svg>", figure.group(0), re.S)
    assert svg is not None
    return ET.fromstring(svg.group(0))


def texts(svg: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in svg.iter(f"{SVG}text")]


def test_chart_is_an_image_with_title_description_and_one_labelled_bar_per_point(chart_project: Project) -> None:
    (english, _), findings = render_with(chart_project, {})
    assert findings == []
    svg = svg_of(english.html, "chart-toll")
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title is not None and title.text == "Deaths by year"
    assert desc is not None and desc.text == "Bar chart of deaths, one bar per year, grouped by who counted."
    assert svg.get("aria-labelledby") == title.get("id")
    described = (svg.get("aria-describedby") or "").split()
    assert described[0] == desc.get("id")
    # Screen readers reach every label and value through aria-describedby.
    ids = {element.get("id"): "".join(element.itertext()) for element in svg.iter(f"{SVG}text")}
    assert [ids[ident] for ident in described[1:]] == [
        "Observatory", "2014", "20,218", "2017", "13,187", "UN", "2016", "at least 6,878", "2017", "at least 3,298",
    ]  # fmt: skip
    assert len(svg.findall(f"{SVG}rect")) == 4
    values = [tspan for tspan in svg.iter(f"{SVG}tspan") if tspan.get("data-fact")]
    assert [(v.get("data-fact"), v.get("data-period"), v.text) for v in values] == [
        ("toll", "2014", "20,218"),
        ("toll", "2017", "13,187"),
        ("un_toll", "2016", "at least 6,878"),
        ("un_toll", "2017", "at least 3,298"),
    ]
    # HTML allows `datetime` on <time>, <ins> and <del> only: SVG dates carry it as data-datetime.
    assert not [tspan for tspan in svg.iter(f"{SVG}tspan") if "datetime" in tspan.attrib]
    periods = [tspan for tspan in svg.iter(f"{SVG}tspan") if tspan.get("data-datetime")]
    assert [(p.get("data-datetime"), p.text, p.get("class")) for p in periods] == [
        ("2014", "2014", "fig"), ("2017", "2017", "fig"), ("2016", "2016", "fig"), ("2017", "2017", "fig"),
    ]  # fmt: skip


def test_bars_share_one_scale_from_zero(chart_project: Project) -> None:
    (english, _), _ = render_with(chart_project, {})
    widths = [float(rect.get("width") or 0) for rect in svg_of(english.html, "chart-toll").iter(f"{SVG}rect")]
    assert widths[0] / widths[1] == pytest.approx(20218 / 13187, rel=0.01)
    assert widths[0] / widths[3] == pytest.approx(20218 / 3298, rel=0.01)
    assert max(widths) <= charts.WIDTH


def test_figure_has_a_visible_title_caption_and_the_source_note_marker(chart_project: Project) -> None:
    (english, _), _ = render_with(chart_project, {})
    caption = re.search(r'id="chart-toll">\n<figcaption>(.*?)</figcaption>', english.html, re.S)
    assert caption is not None
    assert caption.group(1) == (
        '<span class="figure-title">Deaths by year</span><span class="figure-caption">Separate counts.'
        '<span class="figure-notes"><span class="cited" data-cites="toll"><sup class="marker">'
        '<a href="#source-observatory" role="doc-noteref" title="Example Observatory">[1]</a>'
        "</sup></span></span></span>"
    )


def test_labels_and_values_are_localised(chart_project: Project) -> None:
    (english, indonesian), findings = render_with(chart_project, {})
    assert findings == []
    assert texts(svg_of(english.html, "chart-strikes")) == ["Iraq", "more than 13,300", "Syria", "more than 14,600"]
    assert texts(svg_of(indonesian.html, "chart-strikes")) == [
        "Irak",
        "lebih dari 13.300",
        "Suriah",
        "lebih dari 14.600",
    ]
    assert texts(svg_of(indonesian.html, "chart-toll"))[:3] == ["Observatory", "2014", "20.218"]
    assert "setidaknya 6.878" in texts(svg_of(indonesian.html, "chart-toll"))


def test_svg_text_is_read_label_by_label(chart_project: Project) -> None:
    (english, _), _ = render_with(chart_project, {})
    figures = extract_figures(html_text(english.html).text, "en")
    shown = [(figure.unit, figure.text) for figure in figures]
    assert ("year", "2014") in shown and ("count", "20,218") in shown


def tampered(edition: RenderedArticle, old: str, new: str) -> RenderedArticle:
    assert old in edition.html
    return RenderedArticle(edition.slug, edition.locale, edition.html.replace(old, new), edition.cited)


def check(project: Project, editions: list[RenderedArticle]) -> list[str]:
    config = load_config(project.root)
    return [str(f) for f in check_html_editions(config, load_facts(config), editions, shown_root=project.out)]


def test_check_fails_when_a_bar_shows_a_value_that_is_not_the_facts(chart_project: Project) -> None:
    (english, indonesian), _ = render_with(chart_project, {})
    broken = tampered(english, 'data-period="2014">20,218<', 'data-period="2014">20,281<')
    assert check(chart_project, [broken, indonesian]) == [
        'out/en/story.html: error: "20,281" should read "20,218" (toll@2014): "20,281" [check.fact-value]',
        'out/id/story.html: error: English "20,281" differs from Indonesian "20.218": English: "20,281" / '
        'Indonesian: "20.218" [check.differs]',
    ]


def test_check_fails_when_a_period_label_is_changed(chart_project: Project) -> None:
    (english, indonesian), _ = render_with(chart_project, {})
    broken = tampered(english, 'data-datetime="2014">2014<', 'data-datetime="2014">2015<')
    assert 'out/en/story.html: error: "2015" should read "2014" (date 2014): "2015" [check.fact-value]' in check(
        chart_project, [broken, indonesian]
    )


def test_a_number_typed_into_a_chart_description_is_caught(chart_project: Project) -> None:
    chart_project.replace(STORY, "one bar per year, grouped", "one bar for each of 2 years, grouped")
    _, findings = render_with(chart_project, {})
    assert (
        'out/en/story.html: error: "2 years" does not come from a fact: "Bar chart of deaths, one bar for each of '
        '2 years, grouped by who counted." [check.literal]'
    ) in findings


def test_an_unknown_fact_in_a_bar_is_refused_before_rendering(chart_project: Project) -> None:
    chart_project.replace(STORY, 'bar("toll", "2017")', 'bar("tolls", "2017")')
    result = chart_project.build()
    assert result.code == 2
    assert result.err.splitlines() == [f"{STORY}:9: error: unknown fact 'tolls' (did you mean 'toll'?) [template.fact]"]


def test_a_period_the_series_lacks_names_the_periods_it_has(chart_project: Project) -> None:
    chart_project.replace(STORY, 'bar("toll", "2017")', 'bar("toll", "2015")')
    result = chart_project.build()
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{STORY}:5: error: en: bar('toll', '2015'): the series has 2014, 2017 [template.render]"
    ]


def formatters() -> list[FigureFormatter]:
    return [FigureFormatter(Locale.parse("en_GB")), FigureFormatter(Locale.parse("id"))]


def test_bilingual_charts_pair_every_value_in_both_number_formats(chart_project: Project) -> None:
    base = load_facts(load_config(chart_project.root))
    context = charts.ChartContext(base, formatters(), cite=lambda fact_id: Markup(""))
    html = context.bar_chart(
        "chart-both",
        title=["Air strikes", "Serangan udara"],
        description=["Bar chart.", "Diagram batang."],
        bars=[context.bar("strikes_iq", label=context.territory("IQ")), context.bar("toll", "2014")],
    )
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", html, re.S).group(0))  # type: ignore[union-attr]
    lines = [(element.get("lang"), "".join(element.itertext())) for element in svg.iter(f"{SVG}text")]
    assert lines == [
        ("en", "Iraq"), ("id", "Irak"), ("en", "more than 13,300"), ("id", "lebih dari 13.300"),
        (None, "2014"), ("en", "20,218"), ("id", "20.218"),
    ]  # fmt: skip
    assert svg.findtext(f"{SVG}title") == "Air strikes / Serangan udara"
    assert '<span class="figure-title" lang="en">Air strikes</span>' in html
    assert '<span class="figure-title" lang="id">Serangan udara</span>' in html


def test_chart_font_is_the_stylesheets_sans_family() -> None:
    stylesheet = (ROOT / "assets" / "article.css").read_text()
    sans = re.search(r"--sans:\s*([^;]+);", stylesheet)
    assert sans is not None
    assert sans.group(1).split(",")[0].strip() == svg_text.FONT_FAMILY.split(",")[0].strip()


def test_chart_text_is_real_text_in_the_pdf(sample_build: Project) -> None:
    english = "\n".join(pdf_text(sample_build.out / "en" / "iraq-syria-crisis.pdf", PAGE_MARGINS_PT))
    indonesian = "\n".join(pdf_text(sample_build.out / "id" / "iraq-syria-crisis.pdf", PAGE_MARGINS_PT))
    assert "Iraq Body Count\n2014\n20,218\n2017\n13,187\nUN\n2016\nat least 6,878\n2017\nat least 3,298" in english
    assert "Iraq Body Count\n2014\n20.218\n2017\n13.187\nPBB\n2016\nsetidaknya 6.878" in indonesian
    assert "Irak\nlebih dari 13.300\nSuriah\nlebih dari 14.600" in indonesian
    assert "Sudah pulang\nsekitar 3,2 juta\nMasih mengungsi\nsekitar 2,6 juta" in indonesian


def test_sample_html_carries_the_three_charts(sample_build: Project) -> None:
    html = Path(sample_build.out / "en" / "iraq-syria-crisis.html").read_text()
    for slug in ("chart-civilian-deaths", "chart-air-strikes", "chart-iraq-returns"):
        assert svg_of(html, slug).get("role") == "img"


def test_draft_fallback_marks_stay_out_of_the_svg(chart_project: Project) -> None:
    """A draft wraps untranslated text in sentinels that become <span>s: never inside SVG."""
    base = load_facts(load_config(chart_project.root))
    context = charts.ChartContext(base, formatters()[:1], cite=lambda fact_id: Markup(""))
    label = Markup(wrap_fallback("Observatory"))
    html = context.bar_chart(
        "chart-draft",
        title=Markup(wrap_fallback("Deaths by year")),
        description=Markup(wrap_fallback("Bar chart.")),
        bars=[context.bar_group(label, [context.bar("toll", "2014")])],
    )
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None and FALLBACK_START not in svg.group(0)
    marked = mark_fallbacks(html, "en")
    assert '<span class="figure-title"><span class="untranslated" lang="en">Deaths by year</span></span>' in marked
    assert "untranslated" not in re.search(r"<svg.*?</svg>", marked, re.S).group(0)  # type: ignore[union-attr]
