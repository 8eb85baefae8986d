"""Derive the locator map's country outlines from Natural Earth, once, as committed data.

The build never downloads anything: this tool is run by hand when the map's
region changes, and its output (a small JSON of clipped, simplified country
outlines plus a provenance record) is committed under assets/data/.

Source: the npm package `world-atlas` (Natural Earth admin-0 countries as
TopoJSON).  Get it with `npm pack world-atlas@2.0.2` and unpack the tarball;
then, from the project folder:

    python tools/derive_region_outline.py path/to/package/countries-50m.json

Steps: decode the TopoJSON arcs (delta-encoded, quantised integers), simplify
each arc with Douglas-Peucker (arcs are shared between neighbours, so a border
simplified once stays identical in both countries), assemble the rings, clip
them to the bounding box (Sutherland-Hodgman), round to 0.01 degrees.
Standard library only: the decoder is small and a dependency for it would be
bigger than the code.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import shlex
import sys
from pathlib import Path

Point = tuple[float, float]
Ring = list[Point]

DEFAULT_BBOX = (35.0, 29.0, 49.0, 38.0)
"""lon/lat box around Iraq and Syria; starts at 35E so that Cyprus is not cut in half."""
DEFAULT_TOLERANCE = 0.01
"""Douglas-Peucker tolerance in degrees: about 1 km, a fraction of a pixel on the map."""
DEFAULT_OUTPUT = Path("assets/data/iraq-syria-outline.json")
# Natural Earth identifies countries by ISO 3166-1 numeric code; the map names
# them by alpha-2 code, which is what Babel's territory names are keyed by.
ISO_NUMERIC_TO_ALPHA2 = {
    "196": "CY",
    "275": "PS",
    "364": "IR",
    "368": "IQ",
    "376": "IL",
    "400": "JO",
    "414": "KW",
    "422": "LB",
    "682": "SA",
    "760": "SY",
    "792": "TR",
    "818": "EG",
}


def decode_arcs(topology: dict[str, object]) -> list[list[Point]]:
    """Absolute lon/lat points of every arc (TopoJSON stores quantised deltas)."""
    transform = topology.get("transform")
    arcs = topology["arcs"]
    assert isinstance(arcs, list)
    if not isinstance(transform, dict):
        return [[(float(x), float(y)) for x, y in arc] for arc in arcs]
    (scale_x, scale_y), (shift_x, shift_y) = transform["scale"], transform["translate"]
    decoded = []
    for arc in arcs:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        decoded.append(points)
    return decoded


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, iterative (long coastlines would exhaust the recursion limit)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
        farthest, distance = first, 0.0
        for index in range(first + 1, last):
            px, py = points[index]
            if length == 0:
                gap = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                gap = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if gap > distance:
                farthest, distance = index, gap
        if distance > tolerance:
            keep[farthest] = True
            stack.extend(((first, farthest), (farthest, last)))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def ring_points(ring: list[int], arcs: list[list[Point]]) -> Ring:
    """A ring from its arc indices; ~i is arc i reversed; consecutive arcs share an end point."""
    points: Ring = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def clip(ring: Ring, bbox: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman: the part of a closed ring inside the box (edges along the box where cut)."""
    west, south, east, north = bbox
    output = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    for axis, bound, keep_above in ((0, west, True), (0, east, False), (1, south, True), (1, north, False)):
        output = _clip_edge(output, axis, bound, keep_above)
    return output


def _clip_edge(points: Ring, axis: int, bound: float, keep_above: bool) -> Ring:
    def inside(point: Point) -> bool:
        return point[axis] >= bound if keep_above else point[axis] <= bound

    def crossing(a: Point, b: Point) -> Point:
        share = (bound - a[axis]) / (b[axis] - a[axis])
        other = a[1 - axis] + (b[1 - axis] - a[1 - axis]) * share
        return (bound, other) if axis == 0 else (other, bound)

    output: Ring = []
    for index, current in enumerate(points):
        previous = points[index - 1]
        if inside(current):
            if not inside(previous):
                output.append(crossing(previous, current))
            output.append(current)
        elif inside(previous):
            output.append(crossing(previous, current))
    return output


def rounded(ring: Ring) -> list[list[float]]:
    """To 0.01 degrees (about 1 km), without the repeats rounding makes."""
    points: list[list[float]] = []
    for x, y in ring:
        point = [round(x, 2), round(y, 2)]
        if not points or point != points[-1]:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return points


def area(ring: list[list[float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def derive(
    topology: dict[str, object], bbox: tuple[float, float, float, float], tolerance: float
) -> dict[str, list[list[list[float]]]]:
    """alpha-2 code -> rings (outer boundaries and holes alike, drawn with the even-odd rule)."""
    arcs = [simplify(arc, tolerance) for arc in decode_arcs(topology)]
    objects = topology["objects"]
    assert isinstance(objects, dict)
    countries: dict[str, list[list[list[float]]]] = {}
    for geometry in objects["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [rounded(clip(ring_points(ring, arcs), bbox)) for polygon in polygons for ring in polygon]
        # Slivers under a hundredth of a square degree are invisible at this scale.
        rings = [ring for ring in rings if len(ring) >= 3 and area(ring) >= 0.01]
        if not rings:
            continue
        code = ISO_NUMERIC_TO_ALPHA2.get(str(geometry.get("id")))
        if code is None:
            name = geometry.get("properties", {}).get("name")
            raise SystemExit(f"no ISO alpha-2 code for {name!r} (id {geometry.get('id')}): add it or move the box")
        countries[code] = rings
    return dict(sorted(countries.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="world-atlas countries-50m.json (TopoJSON)")
    parser.add_argument("--bbox", type=float, nargs=4, default=DEFAULT_BBOX, metavar=("W", "S", "E", "N"))
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE, help="degrees")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--package-version", default="2.0.2", help="world-atlas version the file comes from")
    args = parser.parse_args(argv)

    raw = args.source.read_bytes()
    west, south, east, north = args.bbox
    bbox = (west, south, east, north)
    countries = derive(json.loads(raw), bbox, args.tolerance)
    data = {"bbox": list(bbox), "countries": countries}
    text = json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")

    provenance = {
        "data": args.out.name,
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "source": {
            "package": "world-atlas",
            "version": args.package_version,
            "registry": "https://registry.npmjs.org/world-atlas",
            "file": args.source.name,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "content": "Natural Earth 1:50m Cultural Vectors, Admin 0 - Countries, as TopoJSON",
        },
        "licence": "Natural Earth data: public domain (https://www.naturalearthdata.com/about/terms-of-use/); "
        "world-atlas packaging: ISC licence, Copyright 2013-2019 Michael Bostock",
        "derived": datetime.date.today().isoformat(),
        "bbox": list(bbox),
        "tolerance_degrees": args.tolerance,
        "steps": "decode TopoJSON arcs; Douglas-Peucker per arc; assemble rings; clip to bbox "
        "(Sutherland-Hodgman); round to 0.01 degrees; drop rings under 0.01 square degrees",
        "command": "python tools/derive_region_outline.py "
        + " ".join(shlex.quote(arg) for arg in (argv if argv is not None else sys.argv[1:])),
    }
    provenance_path = args.out.with_name(args.out.stem + ".provenance.json")
    provenance_path.write_text(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    points = sum(len(ring) for rings in countries.values() for ring in rings)
    print(f"{args.out}: {len(countries)} countries, {points} points, {len(text)} bytes; {provenance_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
