"""The locator map: coordinates as facts, committed outline data, localised labels, the figure check."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from babel import Locale
from markupsafe import Markup

from pipeline.config import load_config
from pipeline.errors import UserError
from pipeline.facts.load import load_facts
from pipeline.facts.model import CoordinatesFact
from pipeline.graphics.locator_map import MapContext, load_outline
from pipeline.i18n.formatting import FigureFormatter
from pipeline.parity.check import check_html_editions
from pipeline.render.renderer import RenderedArticle
from tests.conftest import ROOT, Project, render_with
from tools import derive_region_outline as derive

SVG = "{http://www.w3.org/2000/svg}"
STORY = "templates/articles/story.html"
DATA = ROOT / "assets" / "data"
OUTLINE = DATA / "iraq-syria-outline.json"
MAP_FACTS = """\
facts:
  mosul_location:
    kind: coordinates
    value: {lat: 36.34, lon: 43.13}
    source: observatory
    as_of: "2018-03"
  raqqa_location:
    kind: coordinates
    value: {lat: 35.95, lon: 39.02}
    source: observatory
    as_of: "2018-03"
  kirkuk_location:
    kind: coordinates
    value: {lat: 35.47, lon: 44.40}
    source: observatory
    as_of: "2018-03"
  mosul_retaken:
    kind: date
    value: "2017-07"
    source: observatory
    as_of: "2018-03"
  raqqa_captured:
    kind: date
    value: "2017-10"
    source: observatory
    as_of: "2018-03"
"""
MAP_TEMPLATE = """\
{% extends "base.html" %}
{% block headline %}{% trans %}A short story{% endtrans %}{% endblock %}
{% block body %}
<p>{% trans deaths=fig("deaths") %}The observatory counted {{ deaths }} deaths.{% endtrans %}</p>
{{ locator_map("map-places",
    title=pgettext("map title", "Places in the story"),
    description=pgettext("map description", "Map of Syria and Iraq with the places in the story."),
    places=[
      place("mosul_location", pgettext("place name", "Mosul"), when="mosul_retaken"),
      place("raqqa_location", pgettext("place name", "Raqqa"), when="raqqa_captured"),
      place("kirkuk_location", pgettext("place name", "Kirkuk")),
    ],
    countries=["SY", "IQ", "TR"],
    highlight=["SY", "IQ"]) }}
{% endblock %}
"""


@pytest.fixture
def map_project(inline_project) -> Project:  # type: ignore[no-untyped-def]
    project: Project = inline_project(
        {
            "facts/places.yaml": MAP_FACTS,
            STORY: MAP_TEMPLATE,
            "assets/data/iraq-syria-outline.json": OUTLINE.read_text(),
        }
    )
    return project


def map_svg(html: str) -> ET.Element:
    svg = re.search(r'<figure class="locator-map" id="map-places">.*?(<svg.*?</svg>)', html, re.S)
    assert svg is not None
    return ET.fromstring(svg.group(1))


def labels(svg: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in svg.iter(f"{SVG}text")]


def test_map_is_an_image_with_title_description_markers_and_labels(map_project: Project) -> None:
    (english, _), findings = render_with(map_project, {})
    assert findings == []
    svg = map_svg(english.html)
    assert svg.get("role") == "img"
    assert svg.findtext(f"{SVG}title") == "Places in the story"
    assert svg.findtext(f"{SVG}desc") == "Map of Syria and Iraq with the places in the story."
    assert (svg.get("aria-describedby") or "").split()[0] == "map-places-desc"
    assert len(svg.findall(f"{SVG}circle")) == 3
    assert labels(svg) == ["Syria", "Iraq", "Türkiye", "Mosul", "July 2017", "Raqqa", "October 2017", "Kirkuk"]
    dates = [t for t in svg.iter(f"{SVG}tspan") if t.get("class") == "fig"]
    assert [(t.get("data-fact"), t.text) for t in dates] == [
        ("mosul_retaken", "July 2017"),
        ("raqqa_captured", "October 2017"),
    ]
    # Country outlines come from the committed data: one path per country.
    assert len(svg.findall(f"{SVG}path")) == len(load_outline(OUTLINE).countries)


def test_country_names_come_from_babel_and_months_are_localised(map_project: Project) -> None:
    (_, indonesian), findings = render_with(map_project, {})
    assert findings == []
    assert labels(map_svg(indonesian.html)) == [
        "Suriah", "Irak", "Turki", "Mosul", "Juli 2017", "Raqqa", "Oktober 2017", "Kirkuk",
    ]  # fmt: skip


def test_markers_sit_where_the_coordinates_say(map_project: Project) -> None:
    (english, _), _ = render_with(map_project, {})
    svg = map_svg(english.html)
    circles = [(float(c.get("cx") or 0), float(c.get("cy") or 0)) for c in svg.iter(f"{SVG}circle")]
    mosul, raqqa, kirkuk = circles
    assert raqqa[0] < mosul[0] < kirkuk[0]  # west to east
    assert mosul[1] < raqqa[1] < kirkuk[1]  # north to south


def test_no_two_labels_share_a_baseline(map_project: Project) -> None:
    """PDF readers run text on one baseline together ("July 2017October 2017")."""
    (english, _), _ = render_with(map_project, {})
    baselines = [float(t.get("y") or 0) for t in map_svg(english.html).iter(f"{SVG}text")]
    assert all(abs(a - b) >= 1 for i, a in enumerate(baselines) for b in baselines[i + 1 :])


def test_check_fails_when_a_date_on_the_map_is_changed(map_project: Project) -> None:
    (english, indonesian), _ = render_with(map_project, {})
    old = 'data-fact="mosul_retaken">July 2017<'
    assert old in english.html
    broken = RenderedArticle(english.slug, english.locale, english.html.replace(old, old.replace("July", "June")), [])
    config = load_config(map_project.root)
    findings = [str(f) for f in check_html_editions(config, load_facts(config), [broken, indonesian], map_project.out)]
    assert findings[0] == (
        'out/en/story.html: error: "June 2017" should read "July 2017" (mosul_retaken): "June 2017" [check.fact-value]'
    )


def test_a_place_that_is_not_coordinates_is_refused(map_project: Project) -> None:
    map_project.replace(STORY, 'place("kirkuk_location"', 'place("raqqa_captured"')
    result = map_project.build()
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{STORY}:5: error: en: place('raqqa_captured'): a date, not coordinates [template.render]"
    ]


def test_missing_outline_data_is_named(map_project: Project) -> None:
    map_project.path("assets/data/iraq-syria-outline.json").unlink()
    result = map_project.build()
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{STORY}:5: error: en: locator_map('map-places'): no outline data 'iraq-syria-outline' in assets/data/ "
        "[template.render]"
    ]


COORDINATES = """\
facts:
  spot:
    kind: coordinates
    value: VALUE
    source: observatory
    as_of: "2018-03"
"""


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{lat: 91, lon: 43.13}", "facts.spot.value.lat: Input should be less than or equal to 90, not 91"),
        ("{lat: -90.5, lon: 43.13}", "facts.spot.value.lat: Input should be greater than or equal to -90, not -90.5"),
        ("{lat: 36.34, lon: 181}", "facts.spot.value.lon: Input should be less than or equal to 180, not 181"),
        ('{lat: "36.34", lon: 43.13}', "facts.spot.value.lat: Input should be a valid number, not '36.34'"),
        ("{lat: 36.34}", "facts.spot.value.lon: missing required field 'lon'"),
        (
            "[36.34, 43.13]",
            "facts.spot.value: Input should be a valid dictionary or instance of Position, not [36.34, 43.13]",
        ),
    ],
)
def test_coordinates_are_validated_by_the_schema(map_project: Project, value: str, message: str) -> None:
    map_project.write("facts/spot.yaml", COORDINATES.replace("VALUE", value))
    with pytest.raises(UserError) as caught:
        load_facts(load_config(map_project.root))
    assert [str(d) for d in caught.value.diagnostics] == [f"facts/spot.yaml:4: error: {message} [facts.invalid]"]


def test_whole_degrees_are_coordinates_too(map_project: Project) -> None:
    map_project.write("facts/spot.yaml", COORDINATES.replace("VALUE", "{lat: 36, lon: 43}"))
    spot = load_facts(load_config(map_project.root)).facts["spot"]
    assert isinstance(spot, CoordinatesFact)
    assert (spot.value.lat, spot.value.lon) == (36.0, 43.0)


def test_outline_data_loads_and_stays_small() -> None:
    outline = load_outline(OUTLINE)
    assert outline.bbox == (35.0, 29.0, 49.0, 38.0)
    assert {"SY", "IQ", "TR", "IR", "JO", "SA"} <= set(outline.countries)
    assert OUTLINE.stat().st_size < 60_000


def test_outline_provenance_names_source_licence_and_matches_the_data() -> None:
    provenance = json.loads((DATA / "iraq-syria-outline.provenance.json").read_text())
    assert provenance["data"] == OUTLINE.name
    assert provenance["source"]["package"] == "world-atlas"
    assert provenance["source"]["version"] == "2.0.2"
    assert provenance["source"]["file"] == "countries-50m.json"
    assert "public domain" in provenance["licence"] and "ISC" in provenance["licence"]
    assert provenance["command"].startswith("python tools/derive_region_outline.py ")
    # The data is exactly what the tool wrote: nobody edited it by hand.
    assert provenance["sha256"] == hashlib.sha256(OUTLINE.read_bytes()).hexdigest()


def test_derivation_decodes_clips_and_simplifies(tmp_path: Path) -> None:
    # Two unit squares sharing an edge (arc 1), quantised with a transform;
    # the box cuts the eastern one in half.
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [40, 30]},
        "arcs": [
            [[2, 0], [-2, 0], [0, 2], [2, 0]],  # west square, less its shared edge: (41,30) (40,30) (40,31) (41,31)
            [[2, 2], [0, -1], [0, -1]],  # the shared edge, with a point in line to simplify away
            [[2, 2], [2, 0], [0, -2], [-2, 0]],  # east square, less its shared edge
        ],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "id": "760", "arcs": [[0, 1]]},
                    {"type": "Polygon", "id": "368", "arcs": [[2, -2]]},
                ],
            }
        },
    }
    source = tmp_path / "countries.json"
    source.write_text(json.dumps(topology))
    out = tmp_path / "data" / "region.json"
    assert derive.main([str(source), "--bbox", "39", "29", "41.5", "32", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["bbox"] == [39, 29, 41.5, 32]
    west, east = data["countries"]["SY"], data["countries"]["IQ"]
    assert sorted(map(tuple, west[0])) == [(40, 30), (40, 31), (41, 30), (41, 31)]
    assert sorted(map(tuple, east[0])) == [(41, 30), (41, 31), (41.5, 30), (41.5, 31)]
    assert load_outline(out).countries["IQ"]
    provenance = json.loads((tmp_path / "data" / "region.provenance.json").read_text())
    assert provenance["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()


def test_sample_map_places_every_city_of_the_story(sample_build: Project) -> None:
    svg_html = (sample_build.out / "id" / "iraq-syria-crisis.html").read_text()
    figure = re.search(r'<figure class="locator-map" id="map-cities">.*?(<svg.*?</svg>)', svg_html, re.S)
    assert figure is not None
    svg = ET.fromstring(figure.group(1))
    shown = labels(svg)
    for name in ("Mosul", "Raqqa", "Ramadi", "Deir al-Zour", "al-Qaim", "Kirkuk", "Aleppo", "Suriah", "Irak"):
        assert name in shown
    assert "Juli 2017" in shown and "Desember 2016" in shown


def test_bilingual_map_is_one_map_per_language_each_in_its_column(map_project: Project) -> None:
    base = load_facts(load_config(map_project.root))
    formatters = [FigureFormatter(Locale.parse("en_GB")), FigureFormatter(Locale.parse("id"))]
    context = MapContext(base, formatters, lambda fact_id: Markup("[1]"), map_project.path("assets/data"))
    html = context.locator_map(
        "map-places",
        title=["Places", "Tempat"],
        description=["Map.", "Peta."],
        places=[context.place("mosul_location", "Mosul", when="mosul_retaken")],
        countries=["IQ"],
        caption=Markup("\ue004Caption.\ue005Keterangan.\ue006"),
    )
    figure = ET.fromstring(html)
    heads = figure.findall("figcaption/span")
    assert [(head.get("lang"), "".join(head.itertext())) for head in heads] == [
        ("en", "PlacesCaption.[1]"),
        ("id", "TempatKeterangan.[1]"),
    ]
    drawings = figure.findall("div")
    assert [d.get("lang") for d in drawings] == ["en", "id"]
    shown = [[("".join(t.itertext())) for t in d.iter(f"{SVG}text")] for d in drawings]
    assert shown == [["Iraq", "Mosul", "July 2017"], ["Irak", "Mosul", "Juli 2017"]]
    assert [d.find(f"{SVG}svg").get("id") for d in drawings] == [None, None]  # type: ignore[union-attr]
    assert [d.find(f"{SVG}svg/{SVG}title").get("id") for d in drawings] == [  # type: ignore[union-attr]
        "map-places-en-title",
        "map-places-id-title",
    ]
