"""The template functions that write figures: fig(), countries(), format_date() and the source notes.

`fig()` formats a fact with Babel for the reader's locale and wraps it in a
span naming the fact, so the check can tell a figure that came from a fact
from one typed by hand; every figure is followed by the marker of its
source's note.  The bilingual edition's functions give each figure in both
locales, as a Pair.

Every figure of every edition passes through here, so the spans are built by
escaping each value once and concatenating, not with Markup.format, whose
field parsing costs more than the rest of the call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import jinja2
from babel.lists import format_list
from markupsafe import Markup, escape

from pipeline.facts import CountriesFact, Fact, FactBase, PartialDate, SeriesFact
from pipeline.i18n import FigureFormatter, FormatError, Pair


@dataclass
class CitedSource:
    source_id: str
    publisher: str
    title: str | None
    url: str | None
    dates: list[PartialDate] = field(default_factory=list)
    as_of: Markup | Pair = field(default_factory=Markup)
    """The as-of dates of the facts cited from this source, as a localised list."""


class FigureContext:
    """The template functions of one article in one locale; records what is cited."""

    def __init__(
        self,
        base: FactBase,
        formatter: FigureFormatter,
        note_numbers: dict[str, int] | None = None,
        source_name: Callable[[str], str] | None = None,
    ) -> None:
        self.base = base
        self.formatter = formatter
        self.cited: list[str] = []
        self.note_numbers: dict[str, int] = {} if note_numbers is None else note_numbers
        """Source id -> its note's number; one numbering may be shared by several contexts."""
        self.source_name = source_name or (lambda source_id: base.sources[source_id].publisher)
        """A source's name as this edition's notes give it."""

    def fig(self, fact_id: str, period: str | None = None) -> Markup:
        fact = self._fact(fact_id)
        try:
            text = self.formatter.fact(fact, period)
        except FormatError as exc:
            raise jinja2.TemplateRuntimeError(f"fig({fact_id!r}): {exc}") from None
        period_attribute = f' data-period="{escape(period)}"' if period is not None else ""
        figure = Markup(f'<span class="fig" data-fact="{escape(fact_id)}"{period_attribute}>{escape(text)}</span>')
        return self._with_note(fact_id, figure)

    def countries(self, fact_id: str) -> Markup:
        fact = self._fact(fact_id)
        if not isinstance(fact, CountriesFact):
            raise jinja2.TemplateRuntimeError(f"countries({fact_id!r}): fact is a {fact.kind}, not a list of countries")
        text = escape(self.formatter.countries(fact.value))
        names = Markup(f'<span class="countries" data-fact="{escape(fact_id)}">{text}</span>')
        return self._with_note(fact_id, names)

    def _with_note(self, fact_id: str, figure: Markup) -> Markup:
        """The figure followed by its source note marker, kept on one line with it.

        Notes are numbered in order of first citation; the marker is bracketed
        so that text extracted from the PDF never runs it into the figure.
        """
        self.cited.append(fact_id)
        source_id = self.base.facts[fact_id].source
        number = self.note_numbers.setdefault(source_id, len(self.note_numbers) + 1)
        # The title names the source: a tooltip on screen, and the description
        # of the link in the PDF, where "[5]" alone says nothing.
        return Markup(
            f'<span class="cited" data-cites="{escape(fact_id)}">{escape(figure)}<sup class="marker">'
            f'<a href="#source-{escape(source_id)}" role="doc-noteref" title="{escape(self.source_name(source_id))}">'
            f"[{number}]</a></sup></span>"
        )

    def source_marker(self, fact_id: str) -> Markup:
        """Records a fact shown outside a sentence (a chart, a map); returns its source note marker."""
        return self._with_note(fact_id, Markup())

    def count_of(self, fact_id: str, period: str | None = None) -> int | float:
        """The number a fact holds, only to choose a plural form ({% pluralize %})."""
        fact = self._fact(fact_id)
        if isinstance(fact, SeriesFact):
            point = fact.point(period or "")
            if point is None:
                raise jinja2.TemplateRuntimeError(f"count_of({fact_id!r}): no period {period!r}")
            return point.value
        value = getattr(fact, "value", None)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise jinja2.TemplateRuntimeError(f"count_of({fact_id!r}): a {fact.kind} has no count")
        return value

    def cited_sources(self) -> list[CitedSource]:
        sources: dict[str, CitedSource] = {}
        for fact_id in self.cited:
            fact = self.base.facts[fact_id]
            source = self.base.sources[fact.source]
            entry = sources.setdefault(
                fact.source, CitedSource(fact.source, source.publisher, source.title, source.url)
            )
            if fact.as_of not in entry.dates:
                entry.dates.append(fact.as_of)
        for entry in sources.values():
            entry.as_of = Markup(
                format_list([str(self.time(date)) for date in sorted(entry.dates)], locale=self.formatter.locale)
            )
        return sorted(sources.values(), key=lambda entry: self.note_numbers[entry.source_id])

    def time(self, value: PartialDate) -> Markup:
        return Markup(f'<time class="fig" datetime="{escape(str(value))}">{escape(self.formatter.date(value))}</time>')

    def _fact(self, fact_id: str) -> Fact:
        try:
            return self.base.facts[fact_id]
        except KeyError:
            raise jinja2.TemplateRuntimeError(f"unknown fact {fact_id!r}") from None


class BilingualFigures:
    """The template functions of the bilingual edition: each figure in both locales.

    One set of source notes, so one numbering: both sides number from the same
    table.  Each side counting on its own drifted apart wherever one side cites
    a fact outside a sentence (a chart's, the map's notes are drawn once, from
    the source side), and a number then led to another source's note.
    """

    def __init__(
        self,
        base: FactBase,
        source: FigureFormatter,
        target: FigureFormatter,
        source_names: tuple[Callable[[str], str], Callable[[str], str]] | None = None,
    ) -> None:
        names = source_names or (None, None)
        self.source = FigureContext(base, source, None, names[0])
        self.target = FigureContext(base, target, self.source.note_numbers, names[1])

    def fig(self, fact_id: str, period: str | None = None) -> Pair:
        return Pair(self.source.fig(fact_id, period), self.target.fig(fact_id, period))

    def countries(self, fact_id: str) -> Pair:
        return Pair(self.source.countries(fact_id), self.target.countries(fact_id))

    def time(self, value: PartialDate) -> Pair:
        return Pair(self.source.time(value), self.target.time(value))

    def cited_sources(self) -> list[CitedSource]:
        sources = self.source.cited_sources()
        for entry in sources:
            target_dates = Markup(
                format_list(
                    [str(self.target.time(date)) for date in sorted(entry.dates)], locale=self.target.formatter.locale
                )
            )
            entry.as_of = Pair(entry.as_of, target_dates)
        return sources
