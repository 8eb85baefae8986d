"""A locator map of the places in a story, as inline SVG drawn from facts.

Country outlines come from committed data (assets/data/<name>.json, derived
once from Natural Earth by tools/derive_region_outline.py, provenance beside
it); nothing is downloaded at build time.  Place positions are `coordinates`
facts, place names are msgids, country names are Babel's territory names, and
the month each place was retaken is a date fact, marked for the figure check
like every other figure (`<tspan class="fig" data-fact=...>`).

Template functions (registered by pipeline.render.renderer):

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

Texts take one string or one per locale, as in pipeline.graphics.charts; with two
locales (the bilingual edition) each locale gets its own map, labelled in its
language, side by side under the two captions (svg_text.figure_columns).

The map shows the places with a margin around them.  The drawing itself
(projection, label placement) is pipeline.graphics.map_layout's; here the template's
arguments are checked and resolved to what it draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from pipeline.facts import CoordinatesFact, DateFact, FactBase
from pipeline.graphics.label_placer import SIDES
from pipeline.graphics.map_layout import (
    LABEL_POINTS,
    WIDTH,
    Box,
    CountryMark,
    Outline,
    PlaceMark,
    Projection,
    draw_map,
    load_outline,
)
from pipeline.graphics.svg_text import (
    Cite,
    FigureTexts,
    Line,
    LocalText,
    figure_columns,
    figure_element,
    in_language,
    split_pair,
    svg_element,
)
from pipeline.i18n import FigureFormatter

BUNDLED_FONTS = Path(__file__).resolve().parents[2] / "assets" / "fonts"
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
        # The project folder: links among the assets may lead anywhere inside it.
        data = load_outline(path, self.data_dir.parent.parent)
        positions = [self._where(place) for place in places]
        extent = _extent(positions, data.bbox)
        project = Projection(extent, WIDTH)
        shown: list[str] = []
        for place, position in zip(places, positions, strict=True):
            if not project.contains(*position):
                raise jinja2.TemplateRuntimeError(f"place({place.fact_id!r}): outside the map's outline data")
            shown.append(place.fact_id)
            if place.when is not None:
                shown.append(place.when)
        country_marks = tuple(self._country(code, data, project) for code in countries)
        place_marks = tuple(
            PlaceMark(lon, lat, tuple(self.lines(place.name)), tuple(self._when(place)), place.side, place.muted)
            for place, (lon, lat) in zip(places, positions, strict=True)
        )
        highlighted = frozenset(code for code in data.countries if code in highlight)
        # Side by side, each language gets its own map in its own column: two names
        # and two dates under every marker crowd a map the width of one column.
        languages = [self.lang(index) for index in range(len(self.formatters))]
        svgs = []
        for lang in languages:
            ident = f"{slug}-{lang}" if lang else slug
            drawing = draw_map(
                ident,
                data,
                extent,
                highlighted,
                tuple(CountryMark(c.code, in_language(c.name, lang)) for c in country_marks),
                tuple(_in_language(mark, lang) for mark in place_marks),
                self.fonts_dir,
            )
            svgs.append(
                svg_element(
                    ident,
                    (WIDTH, drawing.height),
                    in_language(self.lines(title), lang),
                    in_language(self.lines(description), lang),
                    drawing.described,
                    drawing.body,
                    lang,
                )
            )
        titles, captions = self.html_lines(title), self.html_lines(split_pair(caption))
        notes = self.notes(shown, captions)
        if len(svgs) == 1:
            return figure_element(slug, "locator-map", titles, captions, svgs[0], notes)
        columns = [
            (lang, in_language(titles, lang), in_language(captions, lang), svg)
            for lang, svg in zip(languages, svgs, strict=True)
        ]
        return figure_columns(slug, "locator-map", columns, notes)

    @property
    def fonts_dir(self) -> Path:
        """The faces the stylesheet draws labels in: the project's own, else those shipped with the pipeline."""
        own = self.data_dir.parent / "fonts"
        return own if (own / "SourceSans3-Regular.ttf").is_file() else BUNDLED_FONTS

    def _where(self, place: Place) -> tuple[float, float]:
        fact = self.fact("place", place.fact_id)
        if not isinstance(fact, CoordinatesFact):
            raise jinja2.TemplateRuntimeError(f"place({place.fact_id!r}): a {fact.kind}, not coordinates")
        return fact.value.lon, fact.value.lat

    def _country(self, code: str, data: Outline, project: Projection) -> CountryMark:
        name = tuple(self.lines(self.territory(code)))
        point = LABEL_POINTS.get(code)
        if (point is None or not project.contains(*point)) and not data.countries.get(code):
            raise jinja2.TemplateRuntimeError(f"country {code!r} has no outline in this map's data")
        return CountryMark(code, name)

    def _when(self, place: Place) -> list[Line]:
        if place.when is None:
            return []
        fact = self.fact("place", place.when)
        if not isinstance(fact, DateFact):
            raise jinja2.TemplateRuntimeError(f"place(..., when={place.when!r}): a {fact.kind}, not a date")
        texts = self.formatted("place", fact, place.when)
        return self.lines(texts, (("data-fact", place.when),))


def _extent(positions: Sequence[tuple[float, float]], bbox: Box) -> Box:
    """The places with room around them for labels and neighbours, within the outline's box."""
    if not positions:
        return bbox
    west, south, east, north = bbox
    return (
        max(west, min(lon for lon, _ in positions) - PAD_LON),
        max(south, min(lat for _, lat in positions) - PAD_LAT),
        min(east, max(lon for lon, _ in positions) + PAD_LON),
        min(north, max(lat for _, lat in positions) + PAD_LAT),
    )


def _in_language(mark: PlaceMark, lang: str) -> PlaceMark:
    return PlaceMark(
        mark.lon, mark.lat, in_language(mark.name, lang), in_language(mark.when, lang), mark.side, mark.muted
    )
