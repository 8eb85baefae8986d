"""Where the labels of a locator map go: beside their marker, clear of borders, other labels and markers.

SVG cannot measure its own text, and a label that guesses its width runs
across a border in one language and not in the other.  So labels are
measured from the glyphs of the bundled face the stylesheet names (Source
Sans 3, read with fontTools): each line's box is its advance width by the
ink of its tallest and deepest glyphs.  Kerning is left out, which only ever
makes a box a little wider than the text.

A label is tried at candidate positions around its marker, nearest first:
right, left, above, below, the diagonals and a few shifted variants, at
increasing distances.  The first position whose boxes stay inside the frame
and touch no border segment, no label, no marker and no leader line is
taken; one beyond the first two distances gets a leader line from the
marker.  A country name is tried at points inside its country, nearest to
its preferred point first, and is left out rather than drawn across a
border.  When nothing is clear, the position that breaks least is taken, so
a crowded map still shows every place (tests/graphics/test_map.py keeps the sample's
maps clear).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.graphics.svg_text import BASELINE, FONT_SIZE, line_height

Box = tuple[float, float, float, float]
Segment = tuple[float, float, float, float]
FONT_FILES = {"400": "SourceSans3-Regular.ttf", "600": "SourceSans3-SemiBold.ttf", "700": "SourceSans3-Bold.ttf"}
PAD = 1.5
"""Clear space kept around every label's ink, in viewBox units."""
DISTANCES = (5.0, 8.0, 12.0, 17.0, 23.0, 30.0, 38.0, 47.0)
"""How far from its marker a label is tried; beyond the second, a leader line joins them."""
LEADER_FROM = 2
CELL = 16.0
"""Side of the grid cells that border segments are filed under, so a box meets only the segments near it."""
SIDES = ("right", "left", "above", "below", "above-right", "below-right", "above-left", "below-left")
"""Label positions around a marker, in the order they are tried."""


@dataclass(frozen=True)
class Glyphs:
    units: float
    advance: dict[str, float]
    top: dict[str, float]
    bottom: dict[str, float]
    x_height: float


@lru_cache(maxsize=8)
def glyphs(path: Path) -> Glyphs:
    """A face's advance widths and ink extents per character, in font units; read once per file."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(path)
    glyph_set = font.getGlyphSet()
    table = font["glyf"]  # the bundled faces are TrueType
    advance: dict[str, float] = {}
    top: dict[str, float] = {}
    bottom: dict[str, float] = {}
    for code, name in font.getBestCmap().items():
        char = chr(code)
        advance[char] = float(glyph_set[name].width)
        glyph = table[name]
        top[char] = float(getattr(glyph, "yMax", 0) or 0)
        bottom[char] = float(getattr(glyph, "yMin", 0) or 0)
    units = float(font["head"].unitsPerEm)
    x_height = float(getattr(font["OS/2"], "sxHeight", 0) or units / 2)
    font.close()
    return Glyphs(units, advance, top, bottom, x_height)


def font_path(fonts_dir: Path, weight: str) -> Path:
    return fonts_dir / FONT_FILES.get(weight, FONT_FILES["400"])


@lru_cache(maxsize=4096)
def measure(text: str, size: float, weight: str, fonts_dir: Path) -> tuple[float, float, float]:
    """Width, ink above the baseline and ink below it, in the units of `size`."""
    face = glyphs(font_path(fonts_dir, weight))
    # A character the face lacks falls back to another face: counted as wide and tall as an "M".
    wide = face.advance.get("M", face.units)
    scale = size / face.units
    width = sum(face.advance.get(char, wide) for char in text) * scale
    ascent = max((face.top.get(char, face.units * 0.75) for char in text if not char.isspace()), default=0.0)
    descent = -min((face.bottom.get(char, 0.0) for char in text if not char.isspace()), default=0.0)
    return width, ascent * scale, max(descent, 0.0) * scale


@dataclass(frozen=True)
class TextLine:
    """One line of a label, as drawn."""

    text: str
    size: float
    weight: str = "400"


@dataclass(frozen=True)
class Block:
    """The measured lines of one label, stacked line_height(size) apart from a top."""

    lines: tuple[TextLine, ...]
    widths: tuple[float, ...]
    ascents: tuple[float, ...]
    descents: tuple[float, ...]
    offsets: tuple[float, ...]
    """Each line's baseline below the block's top."""
    x_height: float

    @property
    def width(self) -> float:
        return max(self.widths)

    @property
    def ink_top(self) -> float:
        return min(offset - ascent for offset, ascent in zip(self.offsets, self.ascents, strict=True))

    @property
    def ink_bottom(self) -> float:
        return max(offset + descent for offset, descent in zip(self.offsets, self.descents, strict=True))

    def boxes(self, anchor: str, x: float, top: float) -> list[Box]:
        """Each line's ink box when the block is drawn with `anchor` at `x`."""
        boxes = []
        for width, ascent, descent, offset in zip(self.widths, self.ascents, self.descents, self.offsets, strict=True):
            left = x - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
            boxes.append((left, top + offset - ascent, left + width, top + offset + descent))
        return boxes


def block(lines: Sequence[TextLine], fonts_dir: Path) -> Block:
    widths, ascents, descents, offsets = [], [], [], []
    top = 0.0
    for line in lines:
        width, ascent, descent = measure(line.text, line.size, line.weight, fonts_dir)
        widths.append(width)
        ascents.append(ascent)
        descents.append(descent)
        offsets.append(top + BASELINE * line.size / FONT_SIZE)
        top += line_height(line.size)
    face = glyphs(font_path(fonts_dir, lines[0].weight))
    x_height = face.x_height / face.units * lines[0].size
    return Block(tuple(lines), tuple(widths), tuple(ascents), tuple(descents), tuple(offsets), x_height)


@dataclass(frozen=True)
class Placed:
    anchor: str
    x: float
    top: float
    leader: Segment | None = None
    score: float = 0.0
    """How far from ideal: 0 beside the marker on the preferred side; more for each step out and each clash."""


@dataclass
class Placer:
    """The labels of one map, placed one after another against what is already drawn."""

    width: float
    height: float
    margin: float
    borders: Sequence[Segment] = ()
    dots: list[tuple[float, float, float]] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    baselines: list[float] = field(default_factory=list)
    leaders: list[Segment] = field(default_factory=list)
    grid: dict[tuple[int, int], list[Segment]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for segment in self.borders:
            x1, y1, x2, y2 = segment
            if max(x1, x2) < 0 or min(x1, x2) > self.width or max(y1, y2) < 0 or min(y1, y2) > self.height:
                continue
            for cell in _cells((min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))):
                self.grid.setdefault(cell, []).append(segment)

    def add_dot(self, x: float, y: float, radius: float) -> None:
        self.dots.append((x, y, radius))

    def beside(self, x: float, y: float, label: Block, side: str | None = None) -> Placed:
        """The nearest clear position around the marker at (x, y), else the one that breaks least."""
        order = list(dict.fromkeys([*([side] if side else []), *SIDES]))
        best: tuple[float, Placed] | None = None
        for ring, distance in enumerate(DISTANCES):
            candidates = sorted(_around(x, y, label, distance), key=lambda c: order.index(c[0]))
            for rank, (_, anchor, ax, top) in enumerate(candidates):
                boxes = label.boxes(anchor, ax, top)
                leader = _leader(x, y, boxes) if ring >= LEADER_FROM else None
                cost = self._cost(boxes, [top + offset for offset in label.offsets], leader, (x, y))
                score = cost + ring + rank / len(candidates)
                if best is None or cost < best[0]:
                    best = (cost, Placed(anchor, ax, top, leader, score))
                if cost == 0:
                    return self._commit(label, best[1])
        assert best is not None
        return self._commit(label, best[1])

    def inside(
        self, point: tuple[float, float], label: Block, contains: Callable[[float, float], bool], area: Box
    ) -> Placed | None:
        """A clear position centred on a point of the area that `contains` accepts, nearest `point` first."""
        px, py = point
        left, top, right, bottom = (
            max(area[0], self.margin),
            max(area[1], self.margin),
            min(area[2], self.width - self.margin),
            min(area[3], self.height - self.margin),
        )
        step = 3.0
        points = [
            (left + i * step, top + j * step)
            for i in range(int((right - left) / step) + 1)
            for j in range(int((bottom - top) / step) + 1)
        ]
        points.sort(key=lambda p: (p[0] - px) ** 2 + (p[1] - py) ** 2)
        middle = (label.ink_top + label.ink_bottom) / 2
        for x, y in [point, *points]:
            if not contains(x, y):
                continue
            placed = Placed("middle", x, y - middle)
            boxes = label.boxes("middle", x, placed.top)
            if self._cost(boxes, [placed.top + offset for offset in label.offsets], None, None) == 0:
                return self._commit(label, placed)
        return None

    def _commit(self, label: Block, placed: Placed) -> Placed:
        self.boxes.extend(label.boxes(placed.anchor, placed.x, placed.top))
        self.baselines.extend(placed.top + offset for offset in label.offsets)
        if placed.leader is not None:
            self.leaders.append(placed.leader)
        return placed

    def _cost(
        self, boxes: list[Box], baselines: list[float], leader: Segment | None, own: tuple[float, float] | None
    ) -> float:
        """0 for a position that is clear; otherwise larger the more it breaks."""
        cost = 0.0
        for box in boxes:
            padded = (box[0] - PAD, box[1] - PAD, box[2] + PAD, box[3] + PAD)
            outside = (
                max(0.0, self.margin - box[0])
                + max(0.0, box[2] - self.width + self.margin)
                + max(0.0, self.margin - box[1])
                + max(0.0, box[3] - self.height + self.margin)
            )
            cost += outside * 1000
            cost += 100 * sum(1 for other in self.boxes if _overlaps(padded, other))
            cost += 100 * sum(1 for x, y, r in self.dots if _circle_hits(x, y, r + PAD, box))
            cost += 100 * sum(1 for segment in self.leaders if segment_hits_box(segment, padded))
            cost += 10 * len(
                {s for cell in _cells(padded) for s in self.grid.get(cell, ()) if segment_hits_box(s, padded)}
            )
        # PDF readers run text that shares a baseline together ("July 2017November 2017").
        cost += 5 * sum(1 for b in baselines for other in self.baselines if abs(b - other) < 1)
        if leader is not None:
            cost += 100 * sum(1 for other in self.boxes if segment_hits_box(leader, other))
            cost += 100 * sum(
                1 for x, y, r in self.dots if (x, y) != own and _circle_hits(x, y, r, _segment_box(leader))
            )
            cost += 1  # a label beside its marker reads better than one at the end of a line
        return cost


def _around(x: float, y: float, label: Block, distance: float) -> Iterator[tuple[str, str, float, float]]:
    """Candidate (side, anchor, x, top) at `distance` from the marker's centre."""
    d, diagonal = distance, distance * 0.75
    level = y - (label.offsets[0] - label.x_height / 2)  # the first line (the name) level with the marker
    centred = y - (label.ink_top + label.ink_bottom) / 2
    above, below = y - d - label.ink_bottom, y + d - label.ink_top
    yield "right", "start", x + d, level
    yield "left", "end", x - d, level
    yield "above", "middle", x, above
    yield "below", "middle", x, below
    yield "above-right", "start", x + diagonal, y - diagonal - label.ink_bottom
    yield "below-right", "start", x + diagonal, y + diagonal - label.ink_top
    yield "above-left", "end", x - diagonal, y - diagonal - label.ink_bottom
    yield "below-left", "end", x - diagonal, y + diagonal - label.ink_top
    # Shifted variants, for a label that fits beside its marker only a little higher or lower.
    yield "right", "start", x + d, centred
    yield "left", "end", x - d, centred
    yield "right", "start", x + d, y - label.ink_bottom + label.x_height / 2
    yield "left", "end", x - d, y - label.ink_bottom + label.x_height / 2
    yield "above", "start", x - 4, above
    yield "above", "end", x + 4, above
    yield "below", "start", x - 4, below
    yield "below", "end", x + 4, below


def _leader(x: float, y: float, boxes: list[Box]) -> Segment:
    """From near the marker to near the closest point of the label."""
    nearest = min(
        ((min(max(x, b[0]), b[2]), min(max(y, b[1]), b[3])) for b in boxes),
        key=lambda p: (p[0] - x) ** 2 + (p[1] - y) ** 2,
    )
    length = math.hypot(nearest[0] - x, nearest[1] - y)
    ux, uy = (nearest[0] - x) / length, (nearest[1] - y) / length
    start, end = 5.0, length - PAD - 0.5
    return x + ux * start, y + uy * start, x + ux * end, y + uy * end


def _segment_box(segment: Segment) -> Box:
    x1, y1, x2, y2 = segment
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _cells(box: Box) -> Iterator[tuple[int, int]]:
    for i in range(math.floor(box[0] / CELL), math.floor(box[2] / CELL) + 1):
        for j in range(math.floor(box[1] / CELL), math.floor(box[3] / CELL) + 1):
            yield i, j


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _circle_hits(x: float, y: float, radius: float, box: Box) -> bool:
    nearest_x, nearest_y = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    return (nearest_x - x) ** 2 + (nearest_y - y) ** 2 < radius**2


def segment_hits_box(segment: Segment, box: Box) -> bool:
    """Whether any point of the segment lies in the box (Liang-Barsky clipping)."""
    x1, y1, x2, y2 = segment
    dx, dy = x2 - x1, y2 - y1
    start, end = 0.0, 1.0
    for p, q in ((-dx, x1 - box[0]), (dx, box[2] - x1), (-dy, y1 - box[1]), (dy, box[3] - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            if t > end:
                return False
            start = max(start, t)
        else:
            if t < start:
                return False
            end = min(end, t)
    return True


def contains_point(rings: Sequence[Sequence[tuple[float, float]]], x: float, y: float) -> bool:
    """Even-odd rule over all rings, as the map fills them (fill-rule="evenodd")."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside
