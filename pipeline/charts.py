"""Bar charts drawn from facts, as inline SVG whose text is real text.

Hand-written SVG rather than a plotting library: the charts are two to four
labelled bars, and every piece of text in them must be a Babel-formatted
figure wrapped so that the figure check can trace it to its fact; a plotting
library picks and formats its own tick numbers and would have to be talked
out of both.  Bars carry their values instead of a numeric axis, because
every number shown must be a fact.  The SVG is inline in the HTML, so
WeasyPrint draws the same chart in the PDF, with its text as text.

Template functions (registered by pipeline.render):

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
datetime>` (checked against the date, as a `<time>` is; SVG has no <time>).
<title> and <desc> hold words only: screen readers get the numbers through
`aria-describedby`, which also points at the chart's own text, so each
number is written once, visibly, and checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from pipeline.bilingual import PairMarkup
from pipeline.draft import strip_sentinels
from pipeline.formatting import FigureFormatter, FormatError
from pipeline.load import FactBase
from pipeline.model import CountFact, Fact, PercentFact, SeriesFact

# WeasyPrint does not cascade the page's CSS into inline SVG, so the family is
# set on the <svg> too; in browsers the stylesheet wins.  It is the family of
# the stylesheet's --sans (tests/test_charts.py keeps the two in step).
FONT_FAMILY = '"Briefing Sans", sans-serif'
FONT_SIZE = 14
LINE = 17
"""Height of one line of text, in viewBox units."""
BASELINE = 13.2
"""From the top of a line to its baseline."""
WIDTH = 400
"""viewBox width of a chart; the stylesheet scales it to the column."""
BAR_GAP = 8
INK = "#1b1b1b"
MUTED = "#5a5a5a"
BAR_FILL = "#a4231c"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

LocalText = str | Sequence[str]
Cite = Callable[[str], Markup]
"""Records that a fact is shown and returns its source note marker."""


@dataclass(frozen=True)
class Territory:
    """A label written in each locale's own name for the territory (Babel)."""

    code: str


@dataclass(frozen=True)
class Line:
    """One line of SVG text in one locale; `fig` tells the figure check where it came from."""

    text: str
    lang: str = ""
    fig: tuple[tuple[str, str], ...] = ()

    def markup(self) -> Markup:
        text = strip_sentinels(self.text)
        if not self.fig:
            return Markup.escape(text)
        attributes = Markup("").join(Markup(' {}="{}"').format(name, value) for name, value in self.fig)
        return Markup('<tspan class="fig"{}>{}</tspan>').format(attributes, text)


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width of `text` in a sans-serif face.

    SVG cannot measure text before it is drawn, and a browser may fall back
    to a wider face than the bundled one, so widths err on the wide side: a
    bar then ends a little early rather than running into its value.
    """
    width = 0.0
    for char in text:
        if char.isdigit():
            width += 0.56
        elif char in " .,:;'’!|-ilIjtf()[]":
            width += 0.3
        elif char in "mwMW":
            width += 0.86
        elif char.isupper():
            width += 0.66
        else:
            width += 0.54
    return width * size


def number(value: float) -> str:
    """A coordinate as SVG writes it: at most one decimal, no trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def line_height(size: float) -> float:
    return size * LINE / FONT_SIZE


def text_block(
    ident: str, lines: Sequence[Line], x: float, top: float, anchor: str, size: float = FONT_SIZE, **attributes: str
) -> tuple[Markup, list[str]]:
    """One <text> per line (so no two lines ever run together in extracted text), and their ids.

    `top` is the top of the first line; lines are line_height(size) apart.
    """
    if size != FONT_SIZE:
        attributes["font_size"] = number(size)
    extra = Markup("").join(Markup(' {}="{}"').format(name.replace("_", "-"), v) for name, v in attributes.items())
    parts, ids = [], []
    for index, line in enumerate(lines):
        line_id = ident if index == 0 else f"{ident}-{index + 1}"
        lang = Markup(' lang="{}"').format(line.lang) if line.lang else ""
        baseline = top + line_height(size) * index + BASELINE * size / FONT_SIZE
        parts.append(
            Markup('<text id="{}" x="{}" y="{}" text-anchor="{}"{}{}>{}</text>').format(
                line_id, number(x), number(baseline), anchor, lang, extra, line.markup()
            )
        )
        ids.append(line_id)
    return Markup("\n").join(parts), ids


def svg_element(
    slug: str, size: tuple[float, float], title: Sequence[Line], description: Sequence[Line],
    described_by: Sequence[str], body: Markup,
) -> Markup:  # fmt: skip
    width, height = number(size[0]), number(size[1])
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{slug}-title" aria-describedby="{described}" font-family="{font}" font-size="{size}" '
        'fill="{ink}">\n<title id="{slug}-title">{title}</title>\n<desc id="{slug}-desc">{desc}</desc>\n{body}\n</svg>'
    ).format(
        w=width, h=height, slug=slug, described=" ".join([f"{slug}-desc", *described_by]), font=FONT_FAMILY,
        size=FONT_SIZE, ink=INK, title=_joined(title), desc=_joined(description), body=body,
    )  # fmt: skip


def _joined(lines: Sequence[Line]) -> str:
    return " / ".join(strip_sentinels(line.text) for line in lines)


def figure_element(
    slug: str, css_class: str, titles: Sequence[Line], captions: Sequence[Line], svg: Markup, notes: Markup
) -> Markup:
    """The <figure>: title and caption above the drawing, as HTML, because they reflow and SVG text cannot.

    The source note markers close the last line of the caption (or the title).
    """
    lines = [(line, "figure-title") for line in titles] + [(line, "figure-caption") for line in captions]
    spans = [
        Markup('<span class="{}"{}>{}{}</span>').format(
            css,
            Markup(' lang="{}"').format(line.lang) if line.lang else "",
            line.text,
            Markup('<span class="figure-notes">{}</span>').format(notes) if notes and index == len(lines) - 1 else "",
        )
        for index, (line, css) in enumerate(lines)
    ]
    return Markup('<figure class="{}" id="{}">\n<figcaption>{}</figcaption>\n{}\n</figure>').format(
        css_class, slug, Markup("").join(spans), svg
    )


class FigureTexts:
    """Localised text and citations shared by charts and maps."""

    def __init__(self, base: FactBase, formatters: Sequence[FigureFormatter], cite: Cite) -> None:
        if not formatters:
            raise ValueError("at least one locale is needed")
        self.base = base
        self.formatters = list(formatters)
        self.cite = cite

    def territory(self, code: str) -> Territory:
        if code not in self.formatters[0].locale.territories:
            raise jinja2.TemplateRuntimeError(f"territory({code!r}): not a territory code Babel knows")
        return Territory(code)

    def texts(self, text: LocalText | Territory) -> list[str]:
        """One string per locale."""
        if isinstance(text, PairMarkup) and len(self.formatters) == 2:
            return [text.source, text.target]
        if isinstance(text, Territory):
            return [formatter.locale.territories[text.code] for formatter in self.formatters]
        if isinstance(text, str):
            return [text] * len(self.formatters)
        if len(text) != len(self.formatters):
            raise jinja2.TemplateRuntimeError(f"{len(text)} texts given for {len(self.formatters)} locales")
        return list(text)

    def lines(self, text: LocalText | Territory, fig: tuple[tuple[str, str], ...] = ()) -> list[Line]:
        """One line per locale, or a single line where every locale writes the same."""
        texts = [str(Markup(value).striptags()) if isinstance(value, Markup) else value for value in self.texts(text)]
        if len(set(texts)) == 1:
            return [Line(texts[0], "", fig)]
        return [Line(value, self.lang(index), fig) for index, value in enumerate(texts)]

    def html_lines(self, text: LocalText | None) -> list[Line]:
        """Like lines(), keeping the inline markup a translation may carry (for HTML, not SVG)."""
        if text is None:
            return []
        texts = [value if isinstance(value, Markup) else Markup.escape(value) for value in self.texts(text)]
        if len(set(texts)) == 1:
            return [Line(texts[0])]
        return [Line(value, self.lang(index)) for index, value in enumerate(texts)]

    def lang(self, index: int) -> str:
        return str(self.formatters[index].locale.language) if len(self.formatters) > 1 else ""

    def fact(self, function: str, fact_id: str) -> Fact:
        fact = self.base.facts.get(fact_id)
        if fact is None:
            raise jinja2.TemplateRuntimeError(f"{function}({fact_id!r}): unknown fact")
        return fact

    def formatted(self, function: str, fact: Fact, fact_id: str, period: str | None = None) -> list[str]:
        try:
            return [formatter.fact(fact, period) for formatter in self.formatters]
        except FormatError as exc:
            raise jinja2.TemplateRuntimeError(f"{function}({fact_id!r}): {exc}") from None

    def notes(self, fact_ids: Sequence[str], caption: Sequence[Line] = ()) -> Markup:
        """Records the facts as cited; one source note marker per source, in order.

        A source the caption already marks (its figures came through fig()) is not marked twice.
        """
        markers: dict[str, Markup] = {}
        for fact_id in fact_ids:
            marker = self.cite(fact_id)
            source = self.base.facts[fact_id].source
            if not any(f'href="#source-{source}"' in line.text for line in caption):
                markers.setdefault(source, marker)
        return Markup("").join(markers.values())


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
    """The chart functions of one edition."""

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
        return figure_element(slug, "chart", self.html_lines(title), captions, svg, self.notes(shown, captions))

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
            label = self.lines(dates, (("datetime", str(point.period)),))
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
