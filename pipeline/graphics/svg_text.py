"""What bar charts and locator maps share: SVG text in each locale, and the elements around it.

A line of SVG text (`Line`) is one locale's text, escaped once and marked
for the figure check when it is a figure; `text_block` writes lines as one
<text> each, `svg_element` and `figure_element` the <svg> and the <figure>
with its HTML title and caption.  `FigureTexts` turns the texts a template
gives (one string, one per locale, a translated pair, a territory code)
into those lines, and records the facts a drawing shows as cited.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jinja2
from babel import Locale
from markupsafe import Markup, escape

from pipeline.facts import Fact, FactBase
from pipeline.i18n import PAIR_END, PAIR_MIDDLE, PAIR_START, FigureFormatter, FormatError, PairMarkup, strip_sentinels

# WeasyPrint does not cascade the page's CSS into inline SVG, so the family is
# set on the <svg> too; in browsers the stylesheet wins.  It is the family of
# the stylesheet's --sans (tests/graphics/test_charts.py keeps the two in step).
FONT_FAMILY = '"Briefing Sans", sans-serif'
FONT_SIZE = 14
LINE = 17
"""Height of one line of text, in viewBox units."""
BASELINE = 13.2
"""From the top of a line to its baseline."""
INK = "#1b1b1b"
MUTED = "#5a5a5a"

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
        attributes = "".join(f' {escape(name)}="{escape(value)}"' for name, value in self.fig)
        return Markup(f'<tspan class="fig"{attributes}>{escape(text)}</tspan>')


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
    extra = "".join(f' {escape(name.replace("_", "-"))}="{escape(value)}"' for name, value in attributes.items())
    parts, ids = [], []
    for index, line in enumerate(lines):
        line_id = ident if index == 0 else f"{ident}-{index + 1}"
        lang = f' lang="{escape(line.lang)}"' if line.lang else ""
        baseline = top + line_height(size) * index + BASELINE * size / FONT_SIZE
        parts.append(
            f'<text id="{escape(line_id)}" x="{number(x)}" y="{number(baseline)}" text-anchor="{escape(anchor)}"'
            f"{lang}{extra}>{line.markup()}</text>"
        )
        ids.append(line_id)
    return Markup("\n".join(parts)), ids


def svg_element(
    slug: str, size: tuple[float, float], title: Sequence[Line], description: Sequence[Line],
    described_by: Sequence[str], body: Markup, lang: str = "",
) -> Markup:  # fmt: skip
    described = escape(" ".join([f"{slug}-desc", *described_by]))
    w, h, slug, lang = number(size[0]), number(size[1]), escape(slug), _lang_attribute(lang)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}"{lang} role="img" '
        f'aria-labelledby="{slug}-title" aria-describedby="{described}" font-family="{escape(FONT_FAMILY)}" '
        f'font-size="{FONT_SIZE}" fill="{escape(INK)}">\n<title id="{slug}-title">{escape(_joined(title))}</title>\n'
        f'<desc id="{slug}-desc">{escape(_joined(description))}</desc>\n{escape(body)}\n</svg>'
    )


def _joined(lines: Sequence[Line]) -> str:
    return " / ".join(strip_sentinels(line.text) for line in lines)


def figure_element(
    slug: str, css_class: str, titles: Sequence[Line], captions: Sequence[Line], svg: Markup, notes: Markup,
    data: Sequence[DataLink] = (),
) -> Markup:  # fmt: skip
    """The <figure>: title and caption above the drawing, as HTML, because they reflow and SVG text cannot.

    The source note markers close the last line of the caption (or the title);
    the links to the drawing's data follow the drawing.
    """
    lines = [(line, "figure-title") for line in titles] + [(line, "figure-caption") for line in captions]
    spans = [
        f'<span class="{escape(css)}"{_lang_attribute(line.lang)}>{escape(line.text)}'
        + (f'<span class="figure-notes">{escape(notes)}</span>' if notes and index == len(lines) - 1 else "")
        + "</span>"
        for index, (line, css) in enumerate(lines)
    ]
    return Markup(
        f'<figure class="{escape(css_class)}" id="{escape(slug)}">\n<figcaption>{"".join(spans)}</figcaption>\n'
        f"{escape(svg)}{data_links(slug, data)}\n</figure>"
    )


@dataclass(frozen=True)
class DataLink:
    """A drawing's data file, relative to the page; `lang` names its language where the page has several."""

    href: str
    lang: str = ""


def data_links(slug: str, links: Sequence[DataLink]) -> str:
    """The links to a drawing's CSV tables.

    The text is the format's name, the same in every language, so no
    catalog is needed; the drawing's <title> describes the link, so a screen
    reader says which chart's data it is.  With several languages each link
    names its own and says so with `hreflang`."""
    return "".join(
        f'\n<a class="figure-data" href="{escape(link.href)}"'
        + (f' hreflang="{escape(link.lang)}"' if link.lang else "")
        + f' type="text/csv" aria-describedby="{escape(slug)}-title">CSV'
        + (f" ({escape(link.lang.upper())})" if link.lang else "")
        + "</a>"
        for link in links
    )


def figure_columns(
    slug: str, css_class: str, columns: Sequence[tuple[str, Sequence[Line], Sequence[Line], Markup]], notes: Markup
) -> Markup:
    """A bilingual <figure>: per language (lang, titles, caption, drawing), a column.

    The heads come first, in one <figcaption>, and the drawings after them,
    so that side by side the drawings start level however long each caption
    runs; on a phone the stylesheet stacks each head over its own drawing.
    Each head ends with the note markers, as each language's text does.
    """
    heads, drawings = [], []
    for lang, titles, captions, svg in columns:
        lines = [(line, "figure-title") for line in titles] + [(line, "figure-caption") for line in captions]
        spans = "".join(f'<span class="{css}">{escape(line.text)}</span>' for line, css in lines)
        marked = f'<span class="figure-notes">{escape(notes)}</span>' if notes else ""
        heads.append(f'<span class="figure-head"{_lang_attribute(lang)}>{spans}{marked}</span>')
        drawings.append(f'<div class="figure-drawing"{_lang_attribute(lang)}>\n{escape(svg)}\n</div>')
    return Markup(
        f'<figure class="{escape(css_class)} figure-columns" id="{escape(slug)}">\n'
        f"<figcaption>{''.join(heads)}</figcaption>\n" + "\n".join(drawings) + "\n</figure>"
    )


def in_language(lines: Sequence[Line], lang: str) -> tuple[Line, ...]:
    """The lines one language shows: its own and those every language shares."""
    return tuple(line for line in lines if line.lang in ("", lang))


def split_pair(text: LocalText | None) -> LocalText | None:
    """A bilingual sentence set aside in a template (`{% set %}`) as its two sides; anything else as it is.

    Such a sentence reaches a function as one string holding both languages
    between the bilingual edition's markers; laid out per language, each side
    goes to its own column.
    """
    if not isinstance(text, str) or isinstance(text, PairMarkup):
        return text
    inner = text.strip()
    if not (inner.startswith(PAIR_START) and inner.endswith(PAIR_END)) or inner.count(PAIR_START) != 1:
        return text
    source, _, target = inner[1:-1].partition(PAIR_MIDDLE)
    if isinstance(text, Markup):
        return [Markup(source), Markup(target)]
    return [source, target]


def _lang_attribute(lang: str) -> str:
    """The lang attribute of a line written in one locale of several; none for a line all locales share."""
    return f' lang="{escape(lang)}"' if lang else ""


# Every map of every edition names the same countries and places again.
@lru_cache(maxsize=16)
def territory_names(locale: Locale) -> dict[str, str]:
    """Babel's names of the territories in `locale`, read once (Babel looks each one up anew)."""
    return dict(locale.territories)


@lru_cache(maxsize=4096)
def shown_text(markup: str) -> str:
    """The text a translated phrase shows, without its markup: what SVG text can hold."""
    return str(Markup(markup).striptags())


class FigureTexts:
    """Localised text and citations shared by charts and maps."""

    def __init__(self, base: FactBase, formatters: Sequence[FigureFormatter], cite: Cite) -> None:
        if not formatters:
            raise ValueError("at least one locale is needed")
        self.base = base
        self.formatters = list(formatters)
        self.cite = cite

    def territory(self, code: str) -> Territory:
        if code not in territory_names(self.formatters[0].locale):
            raise jinja2.TemplateRuntimeError(f"territory({code!r}): not a territory code Babel knows")
        return Territory(code)

    def texts(self, text: LocalText | Territory) -> list[str]:
        """One string per locale."""
        if isinstance(text, PairMarkup) and len(self.formatters) == 2:
            return [text.source, text.target]
        if isinstance(text, Territory):
            return [territory_names(formatter.locale)[text.code] for formatter in self.formatters]
        if isinstance(text, str):
            return [text] * len(self.formatters)
        if len(text) != len(self.formatters):
            raise jinja2.TemplateRuntimeError(f"{len(text)} texts given for {len(self.formatters)} locales")
        return list(text)

    def lines(self, text: LocalText | Territory, fig: tuple[tuple[str, str], ...] = ()) -> list[Line]:
        """One line per locale, or a single line where every locale writes the same."""
        texts = [shown_text(value) if isinstance(value, Markup) else value for value in self.texts(text)]
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
        """Records the facts as cited; one source note marker per source, in the order of the notes.

        A source the caption already marks (its figures came through fig()) is
        not marked twice.  Sorted and compacted, because a reader finds a note
        in "[3–6]" faster than in "[5][6][3][4]".
        """
        markers: dict[str, Markup] = {}
        for fact_id in fact_ids:
            marker = self.cite(fact_id)
            source = self.base.facts[fact_id].source
            if not any(f'href="#source-{source}"' in line.text for line in caption):
                markers.setdefault(source, marker)
        return compact_markers(list(markers.values()))


_MARKER = re.compile(
    r'<span class="cited" data-cites="(?P<fact>[^"]*)"><sup class="marker">'
    r'(?P<link><a href="#source-[^"]*" role="doc-noteref" title="[^"]*">)\[(?P<number>\d+)\]</a></sup></span>'
)
RANGE_FROM = 3
"""A run of this many consecutive notes or more is written as a range, "[3–6]"."""


def compact_markers(markers: Sequence[Markup]) -> Markup:
    """A drawing's note markers in the order of the notes, runs of consecutive notes as a range.

    "[3][4][5][6]" becomes "[3–6]": the first and last numbers link to their
    notes, and the span names every fact the range cites.
    """
    parsed = sorted(
        (match for match in (_MARKER.fullmatch(str(marker)) for marker in markers) if match is not None),
        key=lambda match: int(match["number"]),
    )
    if len(parsed) != len(markers):
        return Markup("").join(markers)  # not written by _with_note: leave as it is
    runs: list[list[re.Match[str]]] = []
    for match in parsed:
        if runs and int(match["number"]) == int(runs[-1][-1]["number"]) + 1:
            runs[-1].append(match)
        else:
            runs.append([match])
    parts: list[str] = []
    for run in runs:
        if len(run) < RANGE_FROM:
            parts.extend(match.group() for match in run)
            continue
        first, last = run[0], run[-1]
        cites = " ".join(match["fact"] for match in run)
        parts.append(
            f'<span class="cited" data-cites="{cites}"><sup class="marker">[{first["link"]}{first["number"]}</a>'
            f"\u2013{last['link']}{last['number']}</a>]</sup></span>"
        )
    return Markup("".join(parts))
