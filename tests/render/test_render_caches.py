"""Every cache of the HTML stage is keyed on all of its inputs: change one, get another answer.

A cache that missed an input would publish a figure, a label or a sentence
from another edition.  Each test here calls the cached function once, then
again with exactly one input changed, and expects a different result: with
the input left out of the key, the second call would return the first
answer.
"""

from __future__ import annotations

import dataclasses
import gettext
import json
from pathlib import Path
from typing import Any

import jinja2
import pytest
from babel import Locale

from pipeline.config import load_config
from pipeline.facts.model import Display, PartialDate
from pipeline.graphics.map_layout import CountryMark, PlaceMark, draw_map, load_outline
from pipeline.graphics.svg_text import Line
from pipeline.i18n import formatting
from pipeline.i18n.formatting import FigureFormatter
from pipeline.i18n.markup import sanitize_translation
from pipeline.render.renderer import Renderer
from pipeline.render.templates import TemplateReport, inspect_template
from tests.conftest import ROOT, Project

OUTLINE = load_outline(ROOT / "assets" / "data" / "iraq-syria-outline.json")
EXTENT = (36.0, 31.0, 46.0, 38.0)
MOSUL = PlaceMark(43.13, 36.34, (Line("Mosul"),), (Line("July 2017", "", (("data-fact", "mosul_retaken"),)),))
RAQQA = PlaceMark(39.02, 35.95, (Line("Raqqa"),), muted=True)
SYRIA = CountryMark("SY", (Line("Syria"),))
MAP: dict[str, Any] = {
    "slug": "map-city",
    "outline": OUTLINE,
    "extent": EXTENT,
    "highlight": frozenset({"SY"}),
    "countries": (SYRIA,),
    "places": (MOSUL, RAQQA),
    "fonts": ROOT / "assets" / "fonts",
}


def other_outline(tmp_path: Path) -> Any:
    data = json.loads((ROOT / "assets" / "data" / "iraq-syria-outline.json").read_text())
    data["countries"]["SY"][0] = data["countries"]["SY"][0][::2]
    path = tmp_path / "iraq-syria-outline.json"
    path.write_text(json.dumps(data))
    return load_outline(path)


MAP_CHANGES: dict[str, Any] = {
    "slug": "map-other",
    "extent": (36.5, 31.0, 46.0, 38.0),
    "highlight": frozenset({"IQ"}),
    "countries": (CountryMark("SY", (Line("Suriah"),)),),
    "places": (dataclasses.replace(MOSUL, lat=36.0), RAQQA),
}
PLACE_CHANGES: dict[str, Any] = {
    "name": (Line("Mosul", "en"), Line("Mosul", "id")),
    "when": (Line("Juli 2017", "", (("data-fact", "mosul_retaken"),)),),
    "side": "left",
    "muted": True,
}


@pytest.mark.parametrize("changed", [*MAP_CHANGES, "outline"])
def test_the_map_drawing_is_keyed_on_each_of_its_inputs(changed: str, tmp_path: Path) -> None:
    first = draw_map(**MAP)
    value = other_outline(tmp_path) if changed == "outline" else MAP_CHANGES[changed]
    assert draw_map(**{**MAP, changed: value}) != first
    assert draw_map(**MAP) == first


@pytest.mark.parametrize("changed", PLACE_CHANGES)
def test_the_map_drawing_is_keyed_on_each_part_of_a_place(changed: str) -> None:
    first = draw_map(**MAP)
    place = dataclasses.replace(MOSUL, **{changed: PLACE_CHANGES[changed]})
    assert draw_map(**{**MAP, "places": (place, RAQQA)}) != first


def test_the_fact_of_a_date_on_the_map_is_part_of_its_key() -> None:
    when = (Line("July 2017", "", (("data-fact", "raqqa_captured"),)),)
    changed = draw_map(**{**MAP, "places": (dataclasses.replace(MOSUL, when=when), RAQQA)})
    assert 'data-fact="raqqa_captured"' in changed.body
    assert changed != draw_map(**MAP)


def test_outline_data_is_read_again_when_its_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "outline.json"
    data = {"bbox": [35, 29, 49, 38], "countries": {"IQ": [[[40, 30], [41, 30], [41, 31]]]}}
    path.write_text(json.dumps(data))
    first = load_outline(path)
    assert load_outline(path) is first
    data["countries"]["IQ"][0].append([40, 31])
    path.write_text(json.dumps(data))
    assert load_outline(path).countries["IQ"] == [[(40.0, 30.0), (41.0, 30.0), (41.0, 31.0), (40.0, 31.0)]]


EN = FigureFormatter(Locale.parse("en_GB"))
ID = FigureFormatter(Locale.parse("id"))
FULL = Display()


@pytest.mark.parametrize(
    ("call", "first", "second"),
    [
        pytest.param(lambda f, v: f.number(v, FULL), (EN, 1234), (ID, 1234), id="locale"),
        pytest.param(lambda f, v: f.number(v, FULL), (EN, 1234), (EN, 1235), id="number-value"),
        pytest.param(lambda f, v: f.number(v, FULL), (EN, 0.0), (EN, -0.0), id="number-sign-of-zero"),
        pytest.param(lambda f, v: f.number(1234.5, v), (EN, Display(decimals=1)), (EN, FULL), id="number-decimals"),
        pytest.param(
            lambda f, v: f.number(5_600_000, v), (EN, FULL), (EN, Display(style="compact", decimals=1)), id="style"
        ),
        pytest.param(lambda f, v: f.number(v, Display(style="words")), (EN, 2), (EN, 3), id="words"),
        pytest.param(lambda f, v: f.percent(v, Display(decimals=1)), (EN, 1), (EN, 1.5), id="percent"),
        pytest.param(lambda f, v: f.money(1000, v, FULL), (EN, "USD"), (EN, "EUR"), id="currency"),
        pytest.param(lambda f, v: f.date(v), (EN, PartialDate(2017, 7)), (EN, PartialDate(2017, 7, 1)), id="date"),
        pytest.param(lambda f, v: f.date(PartialDate(2017, 7), v), (EN, None), (EN, "early"), id="date-part"),
        pytest.param(lambda f, v: f.duration(3, v, FULL), (EN, "month"), (EN, "year"), id="duration-unit"),
        pytest.param(lambda f, v: f.rank(v, FULL), (EN, 2), (EN, 3), id="rank"),
        pytest.param(lambda f, v: f.countries(v), (EN, ["IQ", "SY"]), (EN, ["SY", "IQ"]), id="countries"),
    ],
)
def test_figures_are_memoised_on_locale_and_every_argument(call: Any, first: Any, second: Any) -> None:
    written = call(*first)
    assert call(*second) != written
    assert call(*first) == written


def test_numbers_that_python_finds_equal_but_babel_writes_apart_are_kept_apart() -> None:
    formatting._MEMO.clear()
    assert EN.number(-0.0, FULL) == "-0"
    assert EN.number(0.0, FULL) == "0"
    assert EN.number(0, FULL) == "0"
    assert formatting._exact(1) != formatting._exact(1.0) != formatting._exact(True)


def test_a_memoised_figure_is_what_the_formatter_writes() -> None:
    formatting._MEMO.clear()
    cold = [EN.number(364792, FULL), ID.date(PartialDate(2015, 12)), ID.percent(0.2, Display(decimals=1))]
    warm = [EN.number(364792, FULL), ID.date(PartialDate(2015, 12)), ID.percent(0.2, Display(decimals=1))]
    assert cold == warm == ["364,792", "Desember 2015", "0,2%"]


def test_sanitized_translations_are_cached_on_their_text() -> None:
    assert sanitize_translation("<em>a</em>") == "<em>a</em>"
    assert sanitize_translation("<em>b</em>") == "<em>b</em>"
    assert sanitize_translation("<script>") == "&lt;script&gt;"


def test_templates_compile_once_per_renderer_and_again_when_they_change(minimal: Project) -> None:
    config = load_config(minimal.root)
    renderer = Renderer(config, None)  # type: ignore[arg-type]
    minimal.write("templates/probe.html", "one {{ 1 + 1 }}")
    first = renderer.environment(config.source_locale, gettext.NullTranslations())
    second = renderer.environment(config.locales[1], gettext.NullTranslations())
    assert first.get_template("probe.html").render() == "one 2"
    assert len(renderer.bytecode.code) == 1
    assert second.get_template("probe.html").render() == "one 2"
    assert len(renderer.bytecode.code) == 1  # the second environment took the compiled code
    minimal.write("templates/probe.html", "two {{ 1 + 1 }}")
    third = renderer.environment(config.source_locale, gettext.NullTranslations())
    assert third.get_template("probe.html").render() == "two 2"
    minimal.write("templates/other.html", "one {{ 1 + 1 }}")
    assert third.get_template("other.html").render() == "one 2"
    assert len(renderer.bytecode.code) == 3


def test_a_template_report_is_shared_and_cannot_be_changed(minimal: Project) -> None:
    config = load_config(minimal.root)
    report = inspect_template(config, "articles/story.html")
    assert inspect_template(config, "articles/story.html") is report
    assert isinstance(report, TemplateReport)
    assert all(isinstance(value, tuple) for value in dataclasses.astuple(report))
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.references = ()  # type: ignore[misc]
    minimal.replace("templates/articles/story.html", "{% block body %}", '{% block body %}{{ fig("deaths") }}')
    assert len(inspect_template(config, "articles/story.html").references) == len(report.references) + 1


def test_environments_keep_their_own_functions_with_shared_code(minimal: Project) -> None:
    config = load_config(minimal.root)
    renderer = Renderer(config, None)  # type: ignore[arg-type]
    minimal.write("templates/probe.html", "{{ greeting }}")
    first = renderer.environment(config.source_locale, gettext.NullTranslations())
    second = renderer.environment(config.locales[1], gettext.NullTranslations())
    first.globals["greeting"] = "hello"
    second.globals["greeting"] = "halo"
    assert first.get_template("probe.html").render() == "hello"
    assert second.get_template("probe.html").render() == "halo"
    with pytest.raises(jinja2.UndefinedError):
        renderer.environment(config.source_locale, gettext.NullTranslations()).get_template("probe.html").render()
