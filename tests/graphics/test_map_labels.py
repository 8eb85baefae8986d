"""Locator map labels: beside their markers, clear of borders, of each other and of the frame.

The sample's maps are checked as published, in every edition, with boxes
measured from the bundled font by tests/map_geometry.py (not by the placer).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from pipeline.graphics.label_placer import Placer, TextLine, block, segment_hits_box
from tests.conftest import ROOT, Project
from tests.map_geometry import SVG, problems, read

FONTS = ROOT / "assets" / "fonts"
ARTICLES = ("iraq-syria-crisis", "brief-mosul", "brief-raqqa", "brief-ramadi", "brief-deir-al-zour", "brief-al-qaim")


def maps(html: str) -> list[ET.Element]:
    figures = re.findall(r'<figure class="locator-map[^"]*".*?</figure>', html, re.S)
    return [ET.fromstring(svg) for figure in figures for svg in re.findall(r"<svg.*?</svg>", figure, re.S)]


@pytest.mark.parametrize("edition", ["en", "id", "bilingual"])
@pytest.mark.parametrize("article", ARTICLES)
def test_sample_map_labels_cross_nothing_and_stay_in_the_frame(
    sample_build: Project, edition: str, article: str
) -> None:
    svgs = maps((sample_build.out / edition / f"{article}.html").read_text())
    assert len(svgs) == (2 if edition == "bilingual" else 1)
    for svg in svgs:
        assert problems(read(svg)) == []


@pytest.mark.parametrize("edition", ["en", "id", "bilingual"])
def test_every_country_and_place_is_named(sample_build: Project, edition: str) -> None:
    for article in ARTICLES:
        for svg in maps((sample_build.out / edition / f"{article}.html").read_text()):
            texts = {"".join(text.itertext()) for text in svg.iter(f"{SVG}text")}
            english = svg.get("lang") != "id" if edition == "bilingual" else edition == "en"
            countries = ["Syria", "Iraq", "Türkiye", "Iran", "Jordan"] if english else ["Suriah", "Irak", "Turki"]
            assert set(countries) <= texts, (article, texts)
            if not english:
                assert {"Iran", "Yordania"} <= texts, (article, texts)
            assert {"Mosul", "Raqqa", "Ramadi", "Deir al-Zour", "al-Qaim"} <= texts


def test_labels_sit_beside_their_markers(sample_build: Project) -> None:
    """Aleppo's and Mosul's labels once sat far from their dots."""
    svg = maps((sample_build.out / "en" / "iraq-syria-crisis.html").read_text())[0]
    geometry = read(svg)
    dots = geometry.dots
    names = [label for label in geometry.labels if label.text in ("Aleppo", "Mosul", "Raqqa", "Kirkuk", "Ramadi")]
    for label in names:
        box = label.box
        nearest = min(
            ((min(max(x, box[0]), box[2]) - x) ** 2 + (min(max(y, box[1]), box[3]) - y) ** 2) ** 0.5 for x, y, _ in dots
        )
        leader = any(min(abs(line[0] - x) + abs(line[1] - y) for x, y, _ in dots) < 8 for line in geometry.leaders)
        assert nearest < 14 or leader, (label.text, nearest)


def test_a_label_steps_around_a_border_and_gets_a_leader_when_far() -> None:
    label = block([TextLine("Deir al-Zour", 15, "600"), TextLine("November 2017", 14)], FONTS)
    # A border just right of the marker, and one just left: the label must go above or below.
    borders = [(108.0, 0.0, 108.0, 200.0), (92.0, 0.0, 92.0, 200.0)]
    placer = Placer(400, 200, 4, borders)
    placer.add_dot(100, 100, 4.1)
    placed = placer.beside(100, 100, label)
    boxes = label.boxes(placed.anchor, placed.x, placed.top)
    assert not any(segment_hits_box(border, box) for border in borders for box in boxes)
    assert placed.leader is not None  # too wide to fit between the borders: it had to move out


def test_a_country_name_is_left_out_rather_than_drawn_across_its_border() -> None:
    placer = Placer(400, 200, 4)
    name = block([TextLine("Yordania", 14)], FONTS)

    def inside(x: float, y: float) -> bool:
        return 0 <= x <= 10

    # A country ten units wide, narrower than its name.
    assert placer.inside((5, 100), name, inside, (0, 0, 10, 200)) is None
