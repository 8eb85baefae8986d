"""The drawing of a locator map, from inputs already resolved to plain values.

pipeline.locator_map reads facts, formats names and dates per locale and
refuses what cannot be drawn; what is left is geometry and label placement,
a pure function of the outline, the extent, the highlighted countries and
the labels' lines.  Many editions draw the same map (every brief of a series
shows the same cities, every locale the same outline), so `draw_map` is
cached on exactly those inputs.

The projection is equirectangular, with longitude scaled by the cosine of the
middle latitude: over a box this small the distortion is invisible, and
the arithmetic stays readable.  Labels are placed greedily, in the order of
the places: the first position around the marker (right, left, above, below,
then the diagonals) that covers no other label or marker and stays inside
the frame, else the one that covers least.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from pipeline.svg_text import MUTED, Line, line_height, number, text_block, text_width

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


@dataclass(frozen=True, eq=False)
class Outline:
    """Country outlines; compared by identity, since load_outline gives one object per content."""

    bbox: Box
    countries: dict[str, list[list[tuple[float, float]]]]


def load_outline(path: Path) -> Outline:
    """The committed outline data; refuses points outside its own box (a hand edit gone wrong).

    Read on every call (a small file) and parsed once per content, so an edit
    is seen at once (the preview server) and a map drawn from the old data is
    never reused for the new.
    """
    return _parse_outline(path.name, path.read_bytes())


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


def overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


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
) -> MapDrawing:
    """The map, every place inside `extent` (the caller refuses the others)."""
    project = Projection(extent, WIDTH)
    parts = [Markup('<rect width="{}" height="{}" fill="{}"/>').format(WIDTH, number(project.height), SEA)]
    for code, rings in outline.countries.items():
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
    markers = _markers(places, project, occupied)
    for country in countries:
        block, ids = _country_label(slug, country, outline, project, occupied)
        parts.append(block)
        described.extend(ids)
    labels, label_ids = _place_labels(slug, places, project, occupied)
    parts.extend([*markers, *labels])
    described.extend(label_ids)
    parts.append(
        Markup('<rect width="{}" height="{}" fill="none" stroke="{}" stroke-width="1"/>').format(
            WIDTH, number(project.height), BORDER
        )
    )
    return MapDrawing(Markup("\n").join(parts), project.height, tuple(described))


def country_label_point(code: str, outline: Outline, project: Projection) -> tuple[float, float] | None:
    """Where the country is named; None when none of it is on this map's extent."""
    point = LABEL_POINTS.get(code)
    if point is None or not project.contains(*point):
        inside = [point for ring in outline.countries.get(code, []) for point in ring if project.contains(*point)]
        if not inside:
            return None
        # The mean of the visible outline points: rough, but always on the map.
        return sum(lon for lon, _ in inside) / len(inside), sum(lat for _, lat in inside) / len(inside)
    return point


def _markers(places: Sequence[PlaceMark], project: Projection, occupied: list[Box]) -> list[Markup]:
    markers = []
    for place in places:
        x, y = project(place.lon, place.lat)
        occupied.append((x - 7, y - 7, x + 7, y + 7))  # the marker and a little air around it
        radius, fill = ("2.5", MUTED_MARKER) if place.muted else ("3.5", MARKER)
        markers.append(
            Markup('<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#fff" stroke-width="1.2"/>').format(
                number(x), number(y), radius, fill
            )
        )
    return markers


def _country_label(
    slug: str, country: CountryMark, outline: Outline, project: Projection, occupied: list[Box]
) -> tuple[Markup, list[str]]:
    point = country_label_point(country.code, outline, project)
    if point is None:
        return Markup(""), []
    x, y = project(*point)
    lines = country.name
    width = max(text_width(line.text, COUNTRY_SIZE) for line in lines)
    # Kept inside the frame: a name may overlap its border, never the edge of the map.
    x = min(max(x, MARGIN + width / 2), project.width - MARGIN - width / 2)
    top = y - line_height(COUNTRY_SIZE) * len(lines) / 2
    occupied.append((x - width / 2, top, x + width / 2, top + line_height(COUNTRY_SIZE) * len(lines)))
    return text_block(f"{slug}-country-{country.code.lower()}", lines, x, top, "middle", COUNTRY_SIZE, fill=MUTED)


def _place_labels(
    slug: str, places: Sequence[PlaceMark], project: Projection, occupied: list[Box]
) -> tuple[list[Markup], list[str]]:
    parts: list[Markup] = []
    described: list[str] = []
    tops: list[float] = []
    for index, place in enumerate(places):
        x, y = project(place.lon, place.lat)
        name, when = place.name, place.when
        name_height = line_height(NAME_SIZE) * len(name)
        height = name_height + line_height(DATE_SIZE) * len(when)
        width = max(
            [text_width(line.text, NAME_SIZE) for line in name] + [text_width(line.text, DATE_SIZE) for line in when]
        )
        anchor, left, top = _position(x, y, (width, height), place.side, project, occupied)
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


def _position(
    x: float, y: float, size: tuple[float, float], side: str | None, project: Projection, occupied: list[Box]
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
