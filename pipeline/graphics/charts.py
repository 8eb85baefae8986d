"""Bar charts drawn from facts, as inline SVG whose text is real text.

Hand-written SVG rather than a plotting library: the charts are two to four
labelled bars, and every piece of text in them must be a Babel-formatted
figure wrapped so that the figure check can trace it to its fact; a plotting
library picks and formats its own tick numbers and would have to be talked
out of both.  Bars carry their values instead of a numeric axis, because
every number shown must be a fact.  The SVG is inline in the HTML, so
WeasyPrint draws the same chart in the PDF, with its text as text.

Template functions (registered by pipeline.render.renderer):

    bar(fact_id, period=None, label=None)  one bar: a count or percent fact, or one point
                                           of a series; without a label a series point is
                                           labelled with its period ("2014", "July 2017").
    bar_group(label, bars)                 bars under a common heading (who counted them).
    territory("IQ")                        a label written in Babel's territory names.
    bar_chart(slug, title, description, bars, caption=None)
                                           a <figure>: visible title and caption with the
                                           source note markers, then the SVG (role="img",
                                           <title>, <desc>).  `bars` mixes bars and groups.

Text arguments (title, description, caption, labels) are one string, or one
string per locale.  The contexts take a list of formatters: with two (a
bilingual edition) every label and value gets one line per locale, first
locale first, each with its `lang`, so "at least 6,878" and "setidaknya
6.878" sit together on the same bar; titles join with " / ".

What the figure check sees: values are `<tspan class="fig" data-fact
data-period>` (checked against the fact), period labels `<tspan class="fig"
data-datetime>` (checked against the date, as a `<time datetime>` is: SVG has
no <time>, and HTML allows `datetime` on nothing else).
<title> and <desc> hold words only: screen readers get the numbers through
`aria-describedby`, which also points at the chart's own text, so each
number is written once, visibly, and checked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from pipeline.facts import CountFact, FactBase, PercentFact, SeriesFact
from pipeline.graphics.svg_text import (
    FONT_SIZE,
    LINE,
    MUTED,
    Cite,
    DataLink,
    FigureTexts,
    Line,
    LocalText,
    Territory,
    figure_element,
    number,
    svg_element,
    text_block,
    text_width,
)
from pipeline.i18n import FigureFormatter

WIDTH = 400
"""viewBox width of a chart; the stylesheet scales it to the column."""
BAR_GAP = 8
BAR_FILL = "#a4231c"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED = frozenset({"figures"})
"""Chart slugs that would name the article's own data files (`<article>.figures.csv`)."""


@dataclass(frozen=True)
class Bar:
    fact_id: str
    period: str | None = None
    label: LocalText | Territory | None = None


@dataclass(frozen=True)
class BarGroup:
    label: LocalText | Territory
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class _Row:
    label: list[Line]
    values: list[Line]
    """Empty for a group heading."""
    value: float = 0.0


class ChartContext(FigureTexts):
    """The chart functions of one edition.

    With the slug of the article, each chart links its data as published
    beside the page (`<article>.<chart>.csv`); a bilingual edition links
    the table of each language, in that language's folder."""

    def __init__(
        self, base: FactBase, formatters: Sequence[FigureFormatter], cite: Cite, article: str | None = None
    ) -> None:
        super().__init__(base, formatters, cite)
        self.article = article

    def bar(self, fact_id: str, period: str | None = None, label: LocalText | Territory | None = None) -> Bar:
        return Bar(fact_id, period, label)

    def bar_group(self, label: LocalText | Territory, bars: Sequence[Bar]) -> BarGroup:
        return BarGroup(label, tuple(bars))

    def bar_chart(
        self,
        slug: str,
        title: LocalText,
        description: LocalText,
        bars: Sequence[Bar | BarGroup],
        caption: LocalText | None = None,
    ) -> Markup:
        if not SLUG.match(slug):
            raise jinja2.TemplateRuntimeError(f"bar_chart({slug!r}): a slug is lowercase words joined by '-'")
        if slug in RESERVED:
            raise jinja2.TemplateRuntimeError(f"bar_chart({slug!r}): the article's own data files take that name")
        rows: list[_Row] = []
        shown: list[str] = []
        for item in bars:
            if isinstance(item, BarGroup):
                rows.append(_Row(self.lines(item.label), []))
            for bar in item.bars if isinstance(item, BarGroup) else (item,):
                rows.append(self._bar_row(bar))
                shown.append(bar.fact_id)
        if not shown:
            raise jinja2.TemplateRuntimeError(f"bar_chart({slug!r}): no bars")
        body, height, described = self._layout(slug, rows)
        svg = svg_element(slug, (WIDTH, height), self.lines(title), self.lines(description), described, body)
        captions = self.html_lines(caption)
        notes = self.notes(shown, captions)
        return figure_element(slug, "chart", self.html_lines(title), captions, svg, notes, self._data(slug))

    def _data(self, slug: str) -> list[DataLink]:
        if self.article is None:
            return []
        name = f"{self.article}.{slug}.csv"
        if len(self.formatters) == 1:
            return [DataLink(name)]
        # The single-language editions' folders are named by their locale codes, which are these languages.
        return [DataLink(f"../{lang}/{name}", lang) for lang in map(self.lang, range(len(self.formatters)))]

    def _bar_row(self, bar: Bar) -> _Row:
        fact = self.fact("bar", bar.fact_id)
        if isinstance(fact, SeriesFact):
            point = fact.point(bar.period or "")
            if point is None:
                known = ", ".join(str(p.period) for p in fact.points)
                raise jinja2.TemplateRuntimeError(f"bar({bar.fact_id!r}, {bar.period!r}): the series has {known}")
            value: float = point.value
        elif isinstance(fact, CountFact | PercentFact):
            point, value = None, fact.value
        else:
            raise jinja2.TemplateRuntimeError(f"bar({bar.fact_id!r}): a {fact.kind} cannot be drawn as a bar")
        where = (("data-fact", bar.fact_id),) + ((("data-period", bar.period),) if bar.period else ())
        texts = self.formatted("bar", fact, bar.fact_id, bar.period)
        values = [Line(text, self.lang(index), where) for index, text in enumerate(texts)]
        if bar.label is not None:
            label = self.lines(bar.label)
        elif point is not None:
            dates = [formatter.date(point.period) for formatter in self.formatters]
            label = self.lines(dates, (("data-datetime", str(point.period)),))
        else:
            raise jinja2.TemplateRuntimeError(f"bar({bar.fact_id!r}): a bar of a single fact needs a label")
        return _Row(label, values, value)

    def _layout(self, slug: str, rows: list[_Row]) -> tuple[Markup, float, list[str]]:
        """Horizontal bars on one scale from zero, each with its label above it and its value after it.

        Labels sit above the bars, not beside them: the bars keep the full
        width on a phone and in a bilingual edition, and no label shares a
        baseline with a value, so text read back from the PDF never runs
        "2014" into "20,218" (PDF readers join text on one baseline).
        """
        scale = _scale([row for row in rows if row.values])
        parts: list[Markup] = []
        described: list[str] = []
        y = 0.0
        for index, row in enumerate(rows):
            if not row.values:
                y += 6 if index else 0
                block, ids = text_block(f"{slug}-group-{index}", row.label, 0, y, "start", font_weight="600")
                parts.append(block)
                described.extend(ids)
                y += LINE * len(row.label) + 2
                continue
            block, ids = text_block(f"{slug}-label-{index}", row.label, 0, y, "start", fill=MUTED)
            parts.append(block)
            described.extend(ids)
            y += LINE * len(row.label) + 1
            height = LINE * len(row.values) + 4
            # A value too small to see still gets a sliver: a bar, unlike a gap, says "counted".
            length = max(1.0, scale * row.value) if row.value > 0 else 0.0
            parts.append(
                Markup('<rect x="0" y="{}" width="{}" height="{}" fill="{}"/>').format(
                    number(y), number(length), number(height), BAR_FILL
                )
            )
            top = y + (height - LINE * len(row.values)) / 2
            block, ids = text_block(f"{slug}-value-{index}", row.values, length + 5, top, "start")
            parts.append(block)
            described.extend(ids)
            y += height + BAR_GAP
        return Markup("\n").join(parts), y - BAR_GAP + 2, described


def _scale(bars: list[_Row]) -> float:
    """viewBox units per unit of value: one scale for all bars, the largest that lets every value fit after its bar."""
    room = [
        (WIDTH - 6 - max(text_width(line.text, FONT_SIZE) for line in row.values)) / row.value
        for row in bars
        if row.value > 0
    ]
    return min(room) if room else 0.0
