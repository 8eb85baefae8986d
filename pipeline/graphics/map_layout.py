"""The drawing of a locator map, from inputs already resolved to plain values.

pipeline.graphics.locator_map reads facts, formats names and dates per locale and
refuses what cannot be drawn; what is left is geometry and label placement,
a pure function of the outline, the extent, the highlighted countries and
the labels' lines.  Many editions draw the same map (every brief of a series
shows the same cities, every locale the same outline), so `draw_map` is
cached on exactly those inputs.

The projection is equirectangular, with longitude scaled by the cosine of the
middle latitude: over a box this small the distortion is invisible, and
the arithmetic stays readable.  Labels are placed by pipeline.graphics.label_placer,
in the order of the places and then the countries, each measured from the
bundled font.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from pipeline.graphics.label_placer import Placed, Placer, Segment, TextLine, block, contains_point
from pipeline.graphics.svg_text import MUTED, Line, line_height, number, text_block
from pipeline.inputs import ASSET, read_input

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
LEADER = "#5a5a5a"
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


@dataclass(frozen=True, eq=False)
class Outline:
    """Country outlines; compared by identity, since load_outline gives one object per content."""

    bbox: Box
    countries: dict[str, list[list[tuple[float, float]]]]


def load_outline(path: Path, root: Path | None = None) -> Outline:
    """The committed outline data; refuses points outside its own box (a hand edit gone wrong).

    Read on every call (a small file) and parsed once per content, so an edit
    is seen at once (the preview server) and a map drawn from the old data is
    never reused for the new.
    """
    inside = path.parent if root is None else root
    return _parse_outline(path.name, read_input(path, inside, ASSET, follow=True))


@lru_cache(maxsize=16)
def _parse_outline(name: str, raw: bytes) -> Outline:
    data = json.loads(raw.decode("utf-8"))
    west, south, east, north = (float(value) for value in data["bbox"])
    countries: dict[str, list[list[tuple[float, float]]]] = {}
    for code, rings in data["countries"].items():
        countries[code] = []
        for ring in rings:
            points = [(float(lon), float(lat)) for lon, lat in ring]
            if any(not (west <= lon <= east and south <= lat <= north) for lon, lat in points):
                raise ValueError(f"{name}: {code} has points outside the box {data['bbox']}")
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


@dataclass(frozen=True)
class PlaceMark:
    """A place as drawn: its position and the lines of its label (plain text, not markup)."""

    lon: float
    lat: float
    name: tuple[Line, ...]
    when: tuple[Line, ...] = ()
    side: str | None = None
    muted: bool = False


@dataclass(frozen=True)
class CountryMark:
    code: str
    name: tuple[Line, ...]
    """Plain text, one line per locale (or one shared by all)."""


@dataclass(frozen=True)
class MapDrawing:
    body: Markup
    """The SVG content inside <svg>: sea, countries, markers, labels, frame."""
    height: float
    described: tuple[str, ...]
    """The ids of the labels, for aria-describedby."""


@lru_cache(maxsize=256)
def draw_map(
    slug: str,
    outline: Outline,
    extent: Box,
    highlight: frozenset[str],
    countries: tuple[CountryMark, ...],
    places: tuple[PlaceMark, ...],
    fonts: Path,
) -> MapDrawing:
    """The map, every place inside `extent` (the caller refuses the others); labels measured with `fonts`."""
    project = Projection(extent, WIDTH)
    parts = [Markup('<rect width="{}" height="{}" fill="{}"/>').format(WIDTH, number(project.height), SEA)]
    rings = {
        code: [[project(*point) for point in ring] for ring in country] for code, country in outline.countries.items()
    }
    for code, country_rings in rings.items():
        path_data = " ".join(
            "M" + "L".join(f"{number(x)},{number(y)}" for x, y in ring) + "Z" for ring in country_rings
        )
        fill = SUBJECT if code in highlight else LAND
        parts.append(
            Markup('<path d="{}" fill="{}" stroke="{}" stroke-width="0.6" fill-rule="evenodd"/>').format(
                path_data, fill, BORDER
            )
        )
    markers, dots = _markers(places, project)
    placer, placements = _place(places, project, border_segments(rings), dots, fonts)
    place_labels, leaders, place_ids = _place_labels(slug, placements)
    described: list[str] = []
    for country in countries:
        label, ids = _country_label(slug, country, outline, project, rings, placer, fonts)
        parts.append(label)
        described.extend(ids)
    parts.extend([*leaders, *markers, *place_labels])
    described.extend(place_ids)
    parts.append(
        Markup('<rect width="{}" height="{}" fill="none" stroke="{}" stroke-width="1"/>').format(
            WIDTH, number(project.height), BORDER
        )
    )
    return MapDrawing(Markup("\n").join(parts), project.height, tuple(described))


def border_segments(rings: dict[str, list[list[tuple[float, float]]]]) -> list[Segment]:
    """Every edge of every outline, closing edges included, as drawn."""
    return [
        (*start, *end)
        for country in rings.values()
        for ring in country
        for start, end in zip(ring, [*ring[1:], ring[0]], strict=True)
    ]


def country_label_point(code: str, outline: Outline, project: Projection) -> tuple[float, float] | None:
    """Where the country is preferably named; None when none of it is on this map's extent."""
    point = LABEL_POINTS.get(code)
    if point is None or not project.contains(*point):
        inside = [point for ring in outline.countries.get(code, []) for point in ring if project.contains(*point)]
        if not inside:
            return None
        # The mean of the visible outline points: rough, but always on the map.
        return sum(lon for lon, _ in inside) / len(inside), sum(lat for _, lat in inside) / len(inside)
    return point


def _markers(places: Sequence[PlaceMark], project: Projection) -> tuple[list[Markup], list[tuple[float, float, float]]]:
    markers, dots = [], []
    for place in places:
        x, y = project(place.lon, place.lat)
        radius, fill = (2.5, MUTED_MARKER) if place.muted else (3.5, MARKER)
        dots.append((x, y, radius + 0.6))  # with its white ring
        markers.append(
            Markup('<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#fff" stroke-width="1.2"/>').format(
                number(x), number(y), number(radius), fill
            )
        )
    return markers, dots


def _place(
    places: Sequence[PlaceMark],
    project: Projection,
    borders: list[Segment],
    dots: list[tuple[float, float, float]],
    fonts: Path,
) -> tuple[Placer, list[tuple[PlaceMark, Placed]]]:
    """Every place's label, placed in the order that leaves them nearest their markers.

    Placed in the places' order, one label can take the only clear spot
    beside another's marker; so the label that ended furthest out is moved
    to the front and the map placed again, while that improves it.
    """
    labels = [
        block(
            [TextLine(line.text, NAME_SIZE, "400" if place.muted else "600") for line in place.name]
            + [TextLine(line.text, DATE_SIZE) for line in place.when],
            fonts,
        )
        for place in places
    ]
    order = list(range(len(places)))
    best: tuple[float, Placer, dict[int, Placed]] | None = None
    for _ in range(len(places) + 1):
        placer = Placer(WIDTH, project.height, MARGIN, borders, dots=list(dots))
        placed = {
            index: placer.beside(*project(places[index].lon, places[index].lat), labels[index], places[index].side)
            for index in order
        }
        total = sum(p.score for p in placed.values())
        if best is None or total < best[0]:
            best = (total, placer, placed)
        worst = max(order, key=lambda index: placed[index].score)
        if placed[worst].score < 1 or order[0] == worst:
            break
        order = [worst, *(index for index in order if index != worst)]
    assert best is not None
    return best[1], [(place, best[2][index]) for index, place in enumerate(places)]


def _country_label(
    slug: str,
    country: CountryMark,
    outline: Outline,
    project: Projection,
    rings: dict[str, list[list[tuple[float, float]]]],
    placer: Placer,
    fonts: Path,
) -> tuple[Markup, list[str]]:
    point = country_label_point(country.code, outline, project)
    own = rings.get(country.code)
    if point is None or not own:
        return Markup(""), []
    label = block([TextLine(line.text, COUNTRY_SIZE) for line in country.name], fonts)
    xs = [x for ring in own for x, _ in ring]
    ys = [y for ring in own for _, y in ring]
    placed = placer.inside(
        project(*point), label, lambda x, y: contains_point(own, x, y), (min(xs), min(ys), max(xs), max(ys))
    )
    if placed is None:
        # Too little of the country is on the map to hold its name clear of its borders.
        return Markup(""), []
    ident = f"{slug}-country-{country.code.lower()}"
    return text_block(ident, country.name, placed.x, placed.top, "middle", COUNTRY_SIZE, fill=MUTED)


def _place_labels(
    slug: str, placements: list[tuple[PlaceMark, Placed]]
) -> tuple[list[Markup], list[Markup], list[str]]:
    parts: list[Markup] = []
    leaders: list[Markup] = []
    described: list[str] = []
    for index, (place, placed) in enumerate(placements):
        if placed.leader is not None:
            leaders.append(
                Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="0.8"/>').format(
                    *(number(value) for value in placed.leader), LEADER
                )
            )
        style = {"fill": MUTED} if place.muted else {"font_weight": "600"}
        name = text_block(f"{slug}-place-{index}", place.name, placed.x, placed.top, placed.anchor, NAME_SIZE, **style)
        parts.append(name[0])
        described.extend(name[1])
        if place.when:
            top = placed.top + line_height(NAME_SIZE) * len(place.name)
            when = text_block(f"{slug}-when-{index}", place.when, placed.x, top, placed.anchor, DATE_SIZE, fill=MUTED)
            parts.append(when[0])
            described.extend(when[1])
    return parts, leaders, described
