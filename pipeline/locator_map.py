"""A locator map of the places in a story, as inline SVG drawn from facts.

Country outlines come from committed data (assets/data/<name>.json, derived
once from Natural Earth by tools/derive_region_outline.py, provenance beside
it); nothing is downloaded at build time.  Place positions are `coordinates`
facts, place names are msgids, country names are Babel's territory names, and
the month each place was retaken is a date fact, marked for the figure check
like every other figure (`<tspan class="fig" data-fact=...>`).

Template functions (registered by pipeline.render):

    place(coordinates_fact, name, when=None, side=None, muted=False)
                                               a marked place; `when` is a date fact
                                               written under the name ("July 2017"),
                                               `side` where its label is tried first;
                                               a `muted` place is drawn small and grey,
                                               for orientation beside the subject.
    locator_map(slug, title, description, places, countries=(), highlight=(),
                caption=None, outline="iraq-syria-outline")
                                               a <figure> like bar_chart's: `countries`
                                               are labelled (ISO codes), `highlight`ed
                                               ones drawn as the subject of the map.

Texts take one string or one per locale, as in pipeline.charts; with two
locales every name and date gets a line per locale.

The projection is equirectangular, with longitude scaled by the cosine of the
middle latitude: over a box this small the distortion is invisible, and
the arithmetic stays readable.  The map shows the places with a margin
around them.  Labels are placed greedily, in the order of `places`: the
first position around the marker (right, left, above, below, then the
diagonals) that covers no other label or marker and stays inside the frame,
else the one that covers least.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from pipeline.charts import (
    MUTED,
    Cite,
    FigureTexts,
    Line,
    LocalText,
    figure_element,
    line_height,
    number,
    svg_element,
    text_block,
    text_width,
)
from pipeline.formatting import FigureFormatter
from pipeline.load import FactBase
from pipeline.model import CoordinatesFact, DateFact

WIDTH = 400
NAME_SIZE = 15
"""In viewBox units, like the sizes below: place names come out near 13px on a phone, 10.5pt on A4."""
DATE_SIZE = 14
COUNTRY_SIZE = 14
MARGIN = 4
"""Labels keep this far inside the frame."""
SEA = "#dfe8ee"
LAND = "#efece6"
SUBJECT = "#fffdf8"
BORDER = "#8a8580"
MARKER = "#1b1b1b"
MUTED_MARKER = "#8a8580"
# Where the country names sit, chosen by eye for the Iraq-Syria outline: the
# centre of a clipped country is often under a city.  A country without one
# here, or whose point is off the map, is named at the mean of its visible
# outline points.
LABEL_POINTS = {
    "SY": (37.7, 33.9),
    "IQ": (42.0, 32.6),
    "TR": (40.3, 37.45),
    "IR": (45.93, 34.25),
    "JO": (36.5, 32.15),
}
Box = tuple[float, float, float, float]
SIDES = ("right", "left", "above", "below", "above-right", "below-right", "above-left", "below-left")
"""Label positions around a marker, in the order they are tried."""
PAD_LON, PAD_LAT = 2.0, 1.5
"""Degrees shown around the outermost places: room for their labels and a strip of each neighbour."""


@dataclass(frozen=True)
class Place:
    fact_id: str
    name: LocalText
    when: str | None = None
    side: str | None = None
    """Where the label should go first: one of SIDES."""
    muted: bool = False
    """Shown for orientation (the other cities of a story), not as the subject."""


@dataclass(frozen=True)
class Outline:
    bbox: Box
    countries: dict[str, list[list[tuple[float, float]]]]


@cache
def load_outline(path: Path) -> Outline:
    """The committed outline data; refuses points outside its own box (a hand edit gone wrong)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    west, south, east, north = (float(value) for value in data["bbox"])
    countries: dict[str, list[list[tuple[float, float]]]] = {}
    for code, rings in data["countries"].items():
        countries[code] = []
        for ring in rings:
            points = [(float(lon), float(lat)) for lon, lat in ring]
            if any(not (west <= lon <= east and south <= lat <= north) for lon, lat in points):
                raise ValueError(f"{path.name}: {code} has points outside the box {data['bbox']}")
            countries[code].append(points)
    return Outline((west, south, east, north), countries)


class Projection:
    def __init__(self, bbox: Box, width: float) -> None:
        self.west, self.south, self.east, self.north = bbox
        self.stretch = math.cos(math.radians((self.south + self.north) / 2))
        self.scale = width / ((self.east - self.west) * self.stretch)
        self.width = width
        self.height = (self.north - self.south) * self.scale

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.stretch * self.scale, (self.north - lat) * self.scale

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north


def overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


class MapContext(FigureTexts):
    """The map functions of one edition; outlines are read from `data_dir`."""

    def __init__(self, base: FactBase, formatters: Sequence[FigureFormatter], cite: Cite, data_dir: Path) -> None:
        super().__init__(base, formatters, cite)
        self.data_dir = data_dir

    def place(
        self, fact_id: str, name: LocalText, when: str | None = None, side: str | None = None, muted: bool = False
    ) -> Place:
        if side is not None and side not in SIDES:
            raise jinja2.TemplateRuntimeError(f"place({fact_id!r}, side={side!r}): one of {', '.join(SIDES)}")
        return Place(fact_id, name, when, side, muted)

    def locator_map(
        self,
        slug: str,
        title: LocalText,
        description: LocalText,
        places: Sequence[Place],
        countries: Sequence[str] = (),
        highlight: Sequence[str] = (),
        caption: LocalText | None = None,
        outline: str = "iraq-syria-outline",
    ) -> Markup:
        path = self.data_dir / f"{outline}.json"
        if not outline.replace("-", "").isalnum() or not path.is_file():
            raise jinja2.TemplateRuntimeError(f"locator_map({slug!r}): no outline data {outline!r} in assets/data/")
        data = load_outline(path)
        project = Projection(self._extent(places, data.bbox), WIDTH)
        parts = [Markup('<rect width="{}" height="{}" fill="{}"/>').format(WIDTH, number(project.height), SEA)]
        for code, rings in data.countries.items():
            path_data = " ".join(
                "M" + "L".join(f"{number(x)},{number(y)}" for x, y in (project(*point) for point in ring)) + "Z"
                for ring in rings
            )
            fill = SUBJECT if code in highlight else LAND
            parts.append(
                Markup('<path d="{}" fill="{}" stroke="{}" stroke-width="0.6" fill-rule="evenodd"/>').format(
                    path_data, fill, BORDER
                )
            )
        occupied: list[Box] = []
        described: list[str] = []
        markers, shown = self._markers(places, project, occupied)
        for code in countries:
            block, ids = self._country_label(slug, code, data, project, occupied)
            parts.append(block)
            described.extend(ids)
        labels, label_ids = self._place_labels(slug, places, project, occupied)
        parts.extend([*markers, *labels])
        described.extend(label_ids)
        parts.append(
            Markup('<rect width="{}" height="{}" fill="none" stroke="{}" stroke-width="1"/>').format(
                WIDTH, number(project.height), BORDER
            )
        )
        svg = svg_element(
            slug,
            (WIDTH, project.height),
            self.lines(title),
            self.lines(description),
            described,
            Markup("\n").join(parts),
        )
        captions = self.html_lines(caption)
        return figure_element(slug, "locator-map", self.html_lines(title), captions, svg, self.notes(shown, captions))

    def _extent(self, places: Sequence[Place], bbox: Box) -> Box:
        """The places with room around them for labels and neighbours, within the outline's box."""
        positions = [self._where(place) for place in places]
        if not positions:
            return bbox
        west, south, east, north = bbox
        return (
            max(west, min(lon for lon, _ in positions) - PAD_LON),
            max(south, min(lat for _, lat in positions) - PAD_LAT),
            min(east, max(lon for lon, _ in positions) + PAD_LON),
            min(north, max(lat for _, lat in positions) + PAD_LAT),
        )

    def _where(self, place: Place) -> tuple[float, float]:
        fact = self.fact("place", place.fact_id)
        if not isinstance(fact, CoordinatesFact):
            raise jinja2.TemplateRuntimeError(f"place({place.fact_id!r}): a {fact.kind}, not coordinates")
        return fact.value.lon, fact.value.lat

    def _markers(
        self, places: Sequence[Place], project: Projection, occupied: list[Box]
    ) -> tuple[list[Markup], list[str]]:
        markers, shown = [], []
        for place in places:
            lon, lat = self._where(place)
            if not project.contains(lon, lat):
                raise jinja2.TemplateRuntimeError(f"place({place.fact_id!r}): outside the map's outline data")
            x, y = project(lon, lat)
            occupied.append((x - 7, y - 7, x + 7, y + 7))  # the marker and a little air around it
            radius, fill = ("2.5", MUTED_MARKER) if place.muted else ("3.5", MARKER)
            markers.append(
                Markup('<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#fff" stroke-width="1.2"/>').format(
                    number(x), number(y), radius, fill
                )
            )
            shown.append(place.fact_id)
            if place.when is not None:
                shown.append(place.when)
        return markers, shown

    def _country_label(
        self, slug: str, code: str, data: Outline, project: Projection, occupied: list[Box]
    ) -> tuple[Markup, list[str]]:
        lines = self.lines(self.territory(code))
        point = LABEL_POINTS.get(code)
        if point is None or not project.contains(*point):
            point = _visible_centre(code, data.countries.get(code, []), project)
        if point is None:
            return Markup(""), []  # the country is off this map's extent
        x, y = project(*point)
        width = max(text_width(line.text, COUNTRY_SIZE) for line in lines)
        # Kept inside the frame: a name may overlap its border, never the edge of the map.
        x = min(max(x, MARGIN + width / 2), project.width - MARGIN - width / 2)
        top = y - line_height(COUNTRY_SIZE) * len(lines) / 2
        occupied.append((x - width / 2, top, x + width / 2, top + line_height(COUNTRY_SIZE) * len(lines)))
        return text_block(f"{slug}-country-{code.lower()}", lines, x, top, "middle", COUNTRY_SIZE, fill=MUTED)

    def _place_labels(
        self, slug: str, places: Sequence[Place], project: Projection, occupied: list[Box]
    ) -> tuple[list[Markup], list[str]]:
        parts: list[Markup] = []
        described: list[str] = []
        tops: list[float] = []
        for index, place in enumerate(places):
            x, y = project(*self._where(place))
            name = self.lines(place.name)
            when = self._when(place)
            name_height = line_height(NAME_SIZE) * len(name)
            height = name_height + line_height(DATE_SIZE) * len(when)
            width = max(
                [text_width(line.text, NAME_SIZE) for line in name]
                + [text_width(line.text, DATE_SIZE) for line in when]
            )
            anchor, left, top = self._position(x, y, (width, height), place.side, project, occupied)
            # PDF readers join text that shares a baseline ("July 2017November
            # 2017"), so no two labels may line up exactly.
            while any(abs(top - other) < 1 for other in tops):
                top += 1
            tops.append(top)
            occupied.append((left, top, left + width, top + height))
            text_x = {"start": left, "end": left + width, "middle": left + width / 2}[anchor]
            style = {"fill": MUTED} if place.muted else {"font_weight": "600"}
            block, ids = text_block(f"{slug}-place-{index}", name, text_x, top, anchor, NAME_SIZE, **style)
            parts.append(block)
            described.extend(ids)
            if when:
                block, ids = text_block(
                    f"{slug}-when-{index}", when, text_x, top + name_height, anchor, DATE_SIZE, fill=MUTED
                )
                parts.append(block)
                described.extend(ids)
        return parts, described

    def _when(self, place: Place) -> list[Line]:
        if place.when is None:
            return []
        fact = self.fact("place", place.when)
        if not isinstance(fact, DateFact):
            raise jinja2.TemplateRuntimeError(f"place(..., when={place.when!r}): a {fact.kind}, not a date")
        texts = self.formatted("place", fact, place.when)
        return self.lines(texts, (("data-fact", place.when),))

    def _position(
        self,
        x: float,
        y: float,
        size: tuple[float, float],
        side: str | None,
        project: Projection,
        occupied: list[Box],
    ) -> tuple[str, float, float]:
        """The first candidate position that covers nothing, else the one that covers least."""
        width, height = size
        gap = 6
        middle = y - line_height(NAME_SIZE) / 2 - 2  # the first line (the name) level with the marker
        positions = {
            "right": ("start", x + gap, middle),
            "left": ("end", x - gap - width, middle),
            "above": ("middle", x - width / 2, y - gap - height),
            "below": ("middle", x - width / 2, y + gap),
            "above-right": ("start", x + 2, y - gap - height + 2),
            "below-right": ("start", x + 2, y + gap - 2),
            "above-left": ("end", x - 2 - width, y - gap - height + 2),
            "below-left": ("end", x - 2 - width, y + gap - 2),
        }
        order = [side] if side else []
        candidates = [positions[name] for name in dict.fromkeys([*order, *SIDES])]
        best: tuple[float, str, float, float] | None = None
        for anchor, left, top in candidates:
            box = (left, top, left + width, top + height)
            outside = max(0.0, MARGIN - left) + max(0.0, left + width - project.width + MARGIN)
            outside += max(0.0, MARGIN - top) + max(0.0, top + height - project.height + MARGIN)
            cost = sum(overlap(box, other) for other in occupied) + outside * height * 10
            if best is None or cost < best[0]:
                best = (cost, anchor, left, top)
            if cost == 0:
                break
        assert best is not None
        return best[1], best[2], best[3]


def _visible_centre(
    code: str, rings: list[list[tuple[float, float]]], project: Projection
) -> tuple[float, float] | None:
    """The mean of the country's outline points inside the map: rough, but always on the map."""
    if not rings:
        raise jinja2.TemplateRuntimeError(f"country {code!r} has no outline in this map's data")
    inside = [point for ring in rings for point in ring if project.contains(*point)]
    if not inside:
        return None
    return sum(lon for lon, _ in inside) / len(inside), sum(lat for _, lat in inside) / len(inside)
