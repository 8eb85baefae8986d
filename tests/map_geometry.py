"""The geometry of a locator map as drawn, read back from its SVG: label boxes, borders, markers, frame.

Independent of pipeline.graphics.label_placer on purpose: boxes are measured here
from the bundled font with fontTools directly, from the <text> elements'
own x, y, anchor, size and weight, so a placer that got its arithmetic wrong
cannot agree with itself.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from tests.conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"
FONTS = ROOT / "assets" / "fonts"
FACES = {"400": "SourceSans3-Regular.ttf", "600": "SourceSans3-SemiBold.ttf"}
Box = tuple[float, float, float, float]
Segment = tuple[float, float, float, float]


@dataclass(frozen=True)
class Label:
    text: str
    box: Box


@dataclass(frozen=True)
class Geometry:
    width: float
    height: float
    labels: list[Label]
    borders: list[Segment]
    dots: list[tuple[float, float, float]]
    leaders: list[Segment]


@lru_cache(maxsize=4)
def _face(weight: str) -> tuple[float, dict[str, tuple[float, float, float]]]:
    font = TTFont(FONTS / FACES[weight])
    glyf, hmtx = font["glyf"], font["hmtx"]
    metrics = {}
    for code, name in font.getBestCmap().items():
        glyph = glyf[name]
        metrics[chr(code)] = (float(hmtx[name][0]), float(getattr(glyph, "yMin", 0)), float(getattr(glyph, "yMax", 0)))
    return float(font["head"].unitsPerEm), metrics


def text_box(text: str, x: float, baseline: float, anchor: str, size: float, weight: str) -> Box:
    units, metrics = _face(weight)
    scale = size / units
    width = sum(metrics[char][0] for char in text) * scale
    ink = [metrics[char] for char in text if not char.isspace()]
    top = baseline - max(glyph[2] for glyph in ink) * scale
    bottom = baseline - min(glyph[1] for glyph in ink) * scale
    left = x - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
    return left, top, left + width, bottom


def read(svg: ET.Element) -> Geometry:
    _, _, width, height = (float(value) for value in (svg.get("viewBox") or "").split())
    default_size = float(svg.get("font-size") or 14)
    labels = []
    for text in svg.iter(f"{SVG}text"):
        content = "".join(text.itertext())
        box = text_box(
            content,
            float(text.get("x") or 0),
            float(text.get("y") or 0),
            text.get("text-anchor") or "start",
            float(text.get("font-size") or default_size),
            text.get("font-weight") or "400",
        )
        labels.append(Label(content, box))
    borders = []
    for path in svg.iter(f"{SVG}path"):
        for ring in re.findall(r"M([^MZ]+)Z", path.get("d") or ""):
            points = [tuple(float(v) for v in pair.split(",")) for pair in ring.split("L")]
            borders.extend((*a, *b) for a, b in zip(points, [*points[1:], points[0]], strict=True))
    dots = [
        (
            float(c.get("cx") or 0),
            float(c.get("cy") or 0),
            float(c.get("r") or 0) + float(c.get("stroke-width") or 0) / 2,
        )
        for c in svg.iter(f"{SVG}circle")
    ]
    leaders = [
        (float(line.get("x1") or 0), float(line.get("y1") or 0), float(line.get("x2") or 0), float(line.get("y2") or 0))
        for line in svg.iter(f"{SVG}line")
    ]
    return Geometry(width, height, labels, borders, dots, leaders)


def crosses(segment: Segment, box: Box) -> bool:
    """Whether any point of the segment lies inside the box."""
    x1, y1, x2, y2 = segment
    dx, dy = x2 - x1, y2 - y1
    start, end = 0.0, 1.0
    for p, q in ((-dx, x1 - box[0]), (dx, box[2] - x1), (-dy, y1 - box[1]), (dy, box[3] - y1)):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            start = max(start, q / p)
        else:
            end = min(end, q / p)
        if start > end:
            return False
    return True


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def touches_dot(dot: tuple[float, float, float], box: Box) -> bool:
    x, y, radius = dot
    nearest_x, nearest_y = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    return (nearest_x - x) ** 2 + (nearest_y - y) ** 2 < radius**2


def problems(geometry: Geometry) -> list[str]:
    """Every label that crosses a border, a label, a marker or a leader line, or leaves the frame."""
    found = []
    for index, label in enumerate(geometry.labels):
        box = label.box
        if box[0] < 1 or box[1] < 1 or box[2] > geometry.width - 1 or box[3] > geometry.height - 1:
            found.append(f"{label.text!r} leaves the frame: {_rounded(box)}")
        crossed = sum(1 for segment in geometry.borders if crosses(segment, box))
        if crossed:
            found.append(f"{label.text!r} crosses {crossed} border segment(s): {_rounded(box)}")
        for other in geometry.labels[index + 1 :]:
            if overlaps(box, other.box):
                found.append(f"{label.text!r} overlaps {other.text!r}")
        for dot in geometry.dots:
            if touches_dot(dot, box):
                found.append(f"{label.text!r} covers the marker at {dot[0]:.0f},{dot[1]:.0f}")
        for leader in geometry.leaders:
            if crosses(leader, box):
                found.append(f"{label.text!r} is crossed by a leader line")
    return found


def _rounded(box: Box) -> tuple[float, ...]:
    return tuple(round(value, 1) for value in box)
