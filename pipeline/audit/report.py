"""The reports of `pipeline audit`: a summary an editor reads in a minute, and JSON for tools.

The human report puts first what needs a person: how many figures agree,
differ or stand on one side; then each differing figure with both sentences;
then one-sided figures grouped by the sentence that holds them; then the
untranslated stretches, one line each, because a paragraph nobody translated
is one decision, not sixty findings.  Agreeing figures are counted, and
listed only on request.  Every finding names the file and line of each
text, so the editor can open both at the right place.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

from pipeline.facts import PartialDate
from pipeline.reading import Figure, FigureUnit

if TYPE_CHECKING:
    from pipeline.audit.align import Alignment, Document, Fact

LANGUAGE_NAMES = {"en": "English", "id": "Indonesian"}
# Consumers comparing units see a percentage point as a percent; `kind` tells them apart.
JSON_UNITS: dict[FigureUnit, str] = {"percentage_point": "percent", "duration": "other"}
ONE_SIDED = ("only_en", "only_id")
# Marks around a figure in a sentence, replaced after wrapping by what the
# output can show: they are one character wide, as the guillemets are.
OPEN, CLOSE = "\x01", "\x02"
# How much of a sentence is shown on each side of its figures.
CONTEXT = 90
WIDTH = 100


class Lines:
    """Where the lines of a file begin, in offsets of the text its figures were read from.

    `anchors` holds (offset, line) for each run of text, in order: the run
    beginning at `offset` starts on `line`, and a line break inside a run is
    a line of the file.
    """

    def __init__(self, text: str, anchors: list[tuple[int, int]]) -> None:
        self.text = text
        self.anchors = anchors
        self.starts = [offset for offset, _ in anchors]

    def line(self, offset: int) -> int:
        index = max(0, bisect_right(self.starts, offset) - 1)
        start, line = self.anchors[index]
        return line + self.text.count("\n", start, max(start, offset))


@dataclass(frozen=True)
class Source:
    """One audited file: the name it was given by, what was read, and its lines."""

    shown: str
    document: Document
    lines: Lines

    def line_of(self, figure: int) -> int:
        return self.lines.line(self.document.figures[figure].start)

    def line_of_sentence(self, sentence: int, last: bool = False) -> int:
        start, end = self.document.sentences[sentence]
        return self.lines.line(end - 1 if last else start)


@dataclass(frozen=True)
class Style:
    """How figures are shown: bold and colour on a terminal unless NO_COLOR is set, guillemets elsewhere."""

    ansi: bool
    width: int

    @classmethod
    def for_stream(cls, out: TextIO) -> Style:
        terminal = _isatty(out)
        # https://no-color.org: any non-empty value turns colour off.
        ansi = terminal and not os.environ.get("NO_COLOR")
        width = shutil.get_terminal_size((WIDTH, 24)).columns if terminal else _columns()
        return cls(ansi, max(40, width))

    def figure(self, text: str) -> str:
        return text.replace(OPEN, "\033[1m" if self.ansi else "»").replace(CLOSE, "\033[0m" if self.ansi else "«")

    def heading(self, text: str, colour: str = "") -> str:
        return f"\033[1{colour}m{text}\033[0m" if self.ansi else text


def agrees(alignment: Alignment) -> bool:
    return all(fact.status in ("match", "label") for fact in alignment.facts)


# JSON ----------------------------------------------------------------------


def report_json(en: Source, id_: Source, alignment: Alignment) -> dict[str, Any]:
    def pair_json(index: int) -> dict[str, Any]:
        pair = alignment.pairs[index]
        entry: dict[str, Any] = {"en": pair.en, "id": pair.id, "status": pair.status}
        if pair.note:
            entry["note"] = pair.note
        return entry

    def fact_json(fact: Fact) -> dict[str, Any]:
        entry: dict[str, Any] = {"status": fact.status, "en": list(fact.en), "id": list(fact.id)}
        if fact.note:
            entry["note"] = fact.note
        return entry

    sources = {"en": en, "id": id_}
    return {
        "summary": summary(alignment, en, id_),
        "en": [figure_json(figure, en.lines) for figure in en.document.figures],
        "id": [figure_json(figure, id_.lines) for figure in id_.document.figures],
        "pairs": [pair_json(index) for index in range(len(alignment.pairs))],
        "only_en": alignment.only_en,
        "only_id": alignment.only_id,
        "facts": [fact_json(fact) for fact in alignment.facts],
        "stretches": [
            {
                "language": stretch.language,
                "lines": [
                    sources[stretch.language].line_of_sentence(stretch.sentences[0]),
                    sources[stretch.language].line_of_sentence(stretch.sentences[1], last=True),
                ],
                "sentences": stretch.sentences[1] - stretch.sentences[0] + 1,
                "figures": list(stretch.figures),
            }
            for stretch in alignment.stretches
        ],
    }


def _in_stretches(alignment: Alignment) -> set[tuple[str, int]]:
    return {(stretch.language, f) for stretch in alignment.stretches for f in stretch.figures}


def summary(alignment: Alignment, en: Source, id_: Source) -> dict[str, int]:
    in_stretches = _in_stretches(alignment)
    counts = {"match": 0, "differs": 0, "one_sided": 0, "label": 0}
    for fact in alignment.facts:
        if fact.status in ONE_SIDED:
            language = fact.status.removeprefix("only_")
            occurrences = fact.en if language == "en" else fact.id
            if not all((language, f) in in_stretches for f in occurrences):
                counts["one_sided"] += 1
        else:
            counts[fact.status] += 1
    return {
        "figures_en": len(en.document.figures),
        "figures_id": len(id_.document.figures),
        **counts,
        "stretches": len(alignment.stretches),
        "figures_in_stretches": len(in_stretches),
    }


def figure_json(figure: Figure, lines: Lines) -> dict[str, Any]:
    value = str(figure.value) if isinstance(figure.value, PartialDate) else _number(figure.value)
    entry: dict[str, Any] = {
        "value": value,
        "unit": JSON_UNITS.get(figure.unit, figure.unit),
        "currency": figure.currency,
        "qualifier": None if figure.qualifier == "exact" else figure.qualifier,
        "text": figure.text,
        "start": figure.start,
        "end": figure.end,
        "line": lines.line(figure.start),
        "kind": figure.unit,
    }
    extras = {"period": figure.period, "part": figure.part, "year": figure.year, "reading": figure.reading}
    entry.update({key: extra for key, extra in extras.items() if extra is not None})
    return entry


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# The human report -------------------------------------------------------------


def report_lines(en: Source, id_: Source, alignment: Alignment, style: Style, show_matches: bool) -> list[str]:
    sources = {"en": en, "id": id_}
    counts = summary(alignment, en, id_)
    lines = [f"{en.shown} (English) against {id_.shown} (Indonesian)"]
    stretched = f"{_plural(counts['stretches'], 'untranslated stretch', 'untranslated stretches')}"
    if counts["stretches"]:
        stretched += f" ({_plural(counts['figures_in_stretches'], 'figure')})"
    lines += _wrap(
        f"{_plural(counts['figures_en'], 'figure')} in English, {counts['figures_id']} in Indonesian: "
        f"{counts['match']} agree, {counts['differs']} differ, {counts['one_sided']} one-sided, {stretched}.",
        style,
    )
    differs = [fact for fact in alignment.facts if fact.status == "differs"]
    if differs:
        lines += ["", style.heading(f"Differ ({len(differs)})", ";31")]
        for fact in differs:
            lines += _differs(fact, en, id_, style)
    groups = _one_sided_by_sentence(alignment.facts, _in_stretches(alignment), sources)
    if groups:
        total = sum(len(figures) for figures in groups.values())
        lines += [
            "",
            style.heading(
                f"In one text only ({_plural(total, 'figure')} in {_plural(len(groups), 'sentence')})", ";33"
            ),
        ]
        for (language, sentence), figures in groups.items():
            lines += _one_sided(sources[language], sentence, figures, style)
    if alignment.stretches:
        lines += [
            "",
            style.heading(f"Untranslated ({_plural(len(alignment.stretches), 'stretch', 'stretches')})", ";33"),
        ]
        for stretch in alignment.stretches:
            source, other = sources[stretch.language], LANGUAGE_NAMES["id" if stretch.language == "en" else "en"]
            first = source.line_of_sentence(stretch.sentences[0])
            last = source.line_of_sentence(stretch.sentences[1], last=True)
            where = f"{source.shown}:{first}" + (f"-{last}" if last != first else "")
            size = stretch.sentences[1] - stretch.sentences[0] + 1
            lines += _wrap(
                f"{where}  {_plural(size, 'sentence')}, {_plural(len(stretch.figures), 'figure')}: "
                f"no {other} counterpart",
                style,
                "  ",
                "    ",
            )
    matches = [fact for fact in alignment.facts if fact.status == "match"]
    if matches and show_matches:
        lines += ["", style.heading(f"Agree ({len(matches)})")]
        for fact in matches:
            head = f"{_where(fact, en, id_)}  {_figures(en, fact.en)} = {_figures(id_, fact.id)}"
            lines += _wrap(head + (f" ({fact.note})" if fact.note else ""), style, "  ", "    ")
    elif matches:
        lines += ["", f"Agree ({len(matches)}): pass --matches to list them."]
    return lines


def _differs(fact: Fact, en: Source, id_: Source, style: Style) -> list[str]:
    head = f"{_where(fact, en, id_)}  {_figures(en, fact.en)} vs {_figures(id_, fact.id)}"
    lines = _wrap(head + (f" ({fact.note})" if fact.note else ""), style, "  ", "    ")
    lines += _wrap(_in_sentence(en, fact.en[:1]), style, "    EN  ", "        ")
    lines += _wrap(_in_sentence(id_, fact.id[:1]), style, "    ID  ", "        ")
    return lines


def _one_sided_by_sentence(
    facts: Iterable[Fact], in_stretches: set[tuple[str, int]], sources: dict[str, Source]
) -> dict[tuple[str, int], list[int]]:
    groups: dict[tuple[str, int], list[int]] = {}
    for fact in facts:
        if fact.status not in ONE_SIDED:
            continue
        language = fact.status.removeprefix("only_")
        for figure in fact.en if language == "en" else fact.id:
            if (language, figure) not in in_stretches:
                sentence = sources[language].document.figure_sentence[figure]
                groups.setdefault((language, sentence), []).append(figure)
    return dict(sorted(groups.items(), key=lambda item: (item[0][0] != "en", item[0][1])))


def _one_sided(source: Source, sentence: int, figures: list[int], style: Style) -> list[str]:
    language = source.document.language
    head = f"{source.shown}:{source.line_of(figures[0])}  only in {LANGUAGE_NAMES[language]}: "
    head += "; ".join(_flat(source.document.figures[f].text) for f in figures)
    lines = _wrap(head, style, "  ", "    ")
    return lines + _wrap(_in_sentence(source, tuple(figures)), style, f"    {language.upper()}  ", "        ")


def _where(fact: Fact, en: Source, id_: Source) -> str:
    def lines(source: Source, figures: tuple[int, ...]) -> str:
        numbers = sorted({source.line_of(f) for f in figures})
        return f"{source.shown}:" + ",".join(str(number) for number in numbers)

    return f"{lines(en, fact.en)} {lines(id_, fact.id)}"


def _figures(source: Source, figures: tuple[int, ...]) -> str:
    shown = _flat(source.document.figures[figures[0]].text)
    return shown + (f" (×{len(figures)})" if len(figures) > 1 else "")


def _in_sentence(source: Source, figures: tuple[int, ...]) -> str:
    """The sentence of the first figure, the figures of that sentence marked, cut to a window around them."""
    document = source.document
    marked = [
        document.figures[f] for f in figures if document.figure_sentence[f] == document.figure_sentence[figures[0]]
    ]
    start, end = document.sentences[document.figure_sentence[figures[0]]]
    start, end = min(start, marked[0].start), max(end, marked[-1].end)
    shown_start, shown_end = max(start, marked[0].start - CONTEXT), min(end, marked[-1].end + CONTEXT)
    text, pieces, position = document.text, [], shown_start
    for figure in marked:
        pieces += [text[position : figure.start], OPEN, text[figure.start : figure.end], CLOSE]
        position = figure.end
    pieces.append(text[position:shown_end])
    body = _flat("".join(pieces))
    if shown_start > start:
        body = "…" + body.split(" ", 1)[-1] if " " in body else "…" + body
    if shown_end < end:
        body = (body.rsplit(" ", 1)[0] if " " in body else body) + "…"
    return body


def _wrap(text: str, style: Style, first: str = "", rest: str = "") -> list[str]:
    wrapped = textwrap.wrap(text, style.width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False)
    return [style.figure(line) for line in wrapped] or [first.rstrip()]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def _columns() -> int:
    try:
        return int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return WIDTH


def _isatty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False
