"""Citations are part of parity: a note marker leads to its figure's source, in every edition alike.

A figure's note marker `[n]` promises the reader that note n of the source
list is where the figure comes from.  Within an edition, each marker must
resolve: its number names an entry of the numbered source list, that entry is
the one its link leads to, and it is the source of the fact the marker is
attached to.  Across editions (English, Indonesian, each column of the
bilingual edition) every figure carries the same note numbers; and a PDF
prints after each figure the markers its HTML has there.  A chart's or the
map's notes close its caption, once per drawing (in the bilingual edition in
one column only): they are held to resolve, not compared across editions.

The HTML is read structurally (`span.cited` names its fact, the marker's link
its source, the order of the `li id="source-ID"` notes the numbering); the PDF has only its text, where
a marker follows its figure directly (the layout never breaks them apart).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence

from pipeline.facts import FactBase
from pipeline.reading import FactMark, Figure, NoteRef, Text

# Markers as the PDF's text gives them, right after a figure: "3.250[5]" or "3.250[5][6]".
PDF_MARKERS = re.compile(r"(?:\[\d+\])+")
_ONE_MARKER = re.compile(r"\[\s*\d+\s*\]")
_MARKED_WORD = re.compile(r"(\S+?)\s*((?:\[\d+\])+)")

CitedFigure = tuple[str | None, str, tuple[str, ...]]
"""A figure of an edition: (its origin, fact id or date; its text as shown; its note markers)."""


class NoteIndex:
    """The note markers of one text, found by the figure they follow."""

    def __init__(self, text: Text) -> None:
        self.text = text
        scopes: dict[int, list[NoteRef]] = {}
        for ref in text.note_refs:
            scopes.setdefault(ref.scope[0], []).append(ref)
        self._starts = sorted(scopes)
        self._scopes = scopes

    def notes_of(self, mark: FactMark) -> tuple[str, ...]:
        """The labels of the markers attached to the figure `mark` ("[7]",), in order."""
        index = bisect.bisect_right(self._starts, mark.start) - 1
        if index < 0:
            return ()
        refs = self._scopes[self._starts[index]]
        return tuple(ref.label for ref in refs if ref.scope[1] >= mark.end and ref.start >= mark.end)

    def cited_text(self, ref: NoteRef) -> str:
        """What a marker is attached to, as the reader sees it (the figure; empty for a chart's note)."""
        return " ".join(self.text.text[ref.scope[0] : ref.start].split())


def unresolved_notes(index: NoteIndex, base: FactBase) -> list[str]:
    """A message for every marker of the indexed text whose number does not lead to its fact's source."""
    text = index.text
    listed = text.listed_sources
    messages = []
    for ref in text.note_refs:
        cited = _describe(index, ref)
        number = ref.number
        if number is None or not 1 <= number <= len(listed):
            messages.append(f"note {ref.label} {cited} leads to no source: the source list has {len(listed)}")
            continue
        listed_id = listed[number - 1]
        if not ref.implied and ref.target != listed_id:
            messages.append(
                f"note {ref.label} {cited} links to {_source_name(base, ref.target)}, "
                f"but note {number} of the source list is {_source_name(base, listed_id)}"
            )
            continue
        cites = ref.cites or ((ref.fact_id,) if ref.fact_id is not None else ())
        facts = [base.facts[fact_id] for fact_id in cites if fact_id in base.facts]
        if facts and listed_id not in {fact.source for fact in facts}:
            origin = " or ".join(_source_name(base, source) for source in dict.fromkeys(fact.source for fact in facts))
            messages.append(
                f"note {ref.label} {cited} leads to {_source_name(base, listed_id)}, "
                f"but {' and '.join(cites)} {'comes' if len(cites) == 1 else 'come'} from {origin}"
            )
    return messages


def typed_markers(text: Text) -> list[tuple[int, int]]:
    """Where the text reads like a note marker ("[3]") that no citation put there.

    A reader takes "3.250[5][3]" for two notes: a marker typed into a
    translation or a template forges a citation, whatever it is made of.
    """
    real = {ref.start for ref in text.note_refs}
    return [match.span() for match in _ONE_MARKER.finditer(text.text) if match.start() not in real]


def note_differences(
    first: Sequence[CitedFigure], second: Sequence[CitedFigure], first_name: str, second_name: str
) -> list[str]:
    """A message for every fact whose figures `second` cites with other note numbers than `first`.

    Compared per fact, as a multiset: a translation may order a sentence's
    figures its own way.  A fact cited a different number of times is left
    to the figure comparison, which names the missing figure.
    """
    ours, theirs = _notes_by_origin(first), _notes_by_origin(second)
    messages = []
    for origin, (_texts, first_notes) in ours.items():
        other = theirs.get(origin)
        if other is None or len(other[1]) != len(first_notes) or sorted(other[1]) == sorted(first_notes):
            continue
        for index, (their_notes, our_notes) in enumerate(zip(other[1], first_notes, strict=True)):
            if their_notes != our_notes:
                messages.append(
                    f'{second_name} cites "{other[0][index]}" ({origin}) with note {"".join(their_notes) or "none"}, '
                    f"{first_name} with note {''.join(our_notes) or 'none'}"
                )
                break
    return messages


def pdf_note_mismatches(
    pdf_text: str, pdf_figures: Sequence[Figure], html_notes: Sequence[tuple[object, tuple[str, ...]]]
) -> list[str]:
    """A message for every figure a PDF prints with other markers after it than its HTML has.

    `html_notes` holds (figure key, marker labels) for each figure of the HTML.
    """
    expected = Counter(entry for entry in html_notes if entry[1])
    # A figure the PDF has more or fewer times than its HTML is the figure comparison's finding.
    in_html, in_pdf = Counter(key for key, _ in html_notes), Counter(figure.key for figure in pdf_figures)
    printed: Counter[tuple[object, tuple[str, ...]]] = Counter()
    texts: dict[object, str] = {}
    for figure in pdf_figures:
        match = PDF_MARKERS.match(pdf_text, figure.end)
        if match and in_html[figure.key] == in_pdf[figure.key]:
            printed[(figure.key, tuple(_ONE_MARKER.findall(match.group())))] += 1
            texts.setdefault(figure.key, figure.text)
    messages = []
    for key, notes in printed - expected:
        shown = sorted({"".join(labels) for html_key, labels in html_notes if html_key == key and labels})
        messages.append(
            f'prints "{texts[key]}" with note {"".join(notes)}, its HTML with {" or ".join(shown) or "none"}'
        )
    return messages


def marker_mismatches(in_html: Counter[str], pdf_text: str) -> list[str]:
    """Markers a PDF prints after other words than its HTML (`marked_words` of a reader's text, all languages).

    For the bilingual edition, whose PDF interleaves two languages' figures:
    the word before each run of markers is compared, whatever its language.
    """
    in_pdf = marked_words(pdf_text)
    messages = [f'lacks "{word}" of its HTML' for word in (in_html - in_pdf).elements()]
    messages += [f'has "{word}", which its HTML does not' for word in (in_pdf - in_html).elements()]
    return messages


def marked_words(text: str) -> Counter[str]:
    """The word before each run of note markers, with the markers."""
    # The layout may break a line between a caption's last word and its notes, never inside a figure's.
    return Counter(match[1] + match[2] for match in _MARKED_WORD.finditer(text))


def _notes_by_origin(cited: Sequence[CitedFigure]) -> dict[str, tuple[list[str], list[tuple[str, ...]]]]:
    by_origin: dict[str, tuple[list[str], list[tuple[str, ...]]]] = {}
    for origin, text, notes in cited:
        if origin is not None:
            texts, labels = by_origin.setdefault(origin, ([], []))
            texts.append(text)
            labels.append(notes)
    return by_origin


def _describe(index: NoteIndex, ref: NoteRef) -> str:
    shown = index.cited_text(ref)
    fact = f" ({ref.fact_id})" if ref.fact_id else ""
    if shown:
        return f'after "{shown}"{fact}'
    # A drawing's notes close its caption, after no figure of their own.
    cites = ref.cites or ((ref.fact_id,) if ref.fact_id else ())
    return f"of the drawing citing {', '.join(cites)}" if cites else "of a drawing"


def _source_name(base: FactBase, source_id: str | None) -> str:
    if source_id is None:
        return "no source"
    source = base.sources.get(source_id)
    return f'"{source.publisher}"' if source is not None else f'"{source_id}"'
