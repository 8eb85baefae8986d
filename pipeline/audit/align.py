"""Which figure of an English text is which figure of its Indonesian version.

Two hand-written texts are aligned in two steps.  First their sentences
(pipeline.audit.sentences): a monotonic alignment, as for parallel corpora,
computed in a narrow band so that long texts cost time in proportion to their
length.  Then their figures: each figure is compared only with the figures
of its sentence's aligned neighbourhood (the partner sentences and a few
either side), and with equal distinctive values anywhere, found through an
index by value.  Nothing is compared all with all.

A candidate pair is scored by what the two figures say (pipeline.audit.relation)
and by the context they sit in: how alike their sentences are, whether they
translate each other, the year a clause ties a figure to, and, for figures
that differ, how close the values are, a slip of the pen ("24,318" /
"23.318") counting most.  Pairs are taken best first, each figure at most once.

The result is also told per fact, not per occurrence: a figure repeated in a
headline joins its matched mention, and a date that only labels a period
whose figure matched ("June 2023 compared to June 2022") is a label, not a
finding.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from pipeline.audit.likeness import Document
from pipeline.audit.relation import ANCHORS, Status, closeness, distinctive, relation, specific, typo
from pipeline.audit.sentences import SentenceAlignment, align_sentences
from pipeline.facts import PartialDate
from pipeline.reading import Figure

__all__ = ["Alignment", "Document", "Fact", "FactStatus", "Pair", "Status", "Stretch", "align", "relation"]

FactStatus = Literal["match", "differs", "only_en", "only_id", "label"]
# How alike sentences must be before their figures pair: a small number or a
# year in an unrelated sentence is a coincidence.
MATCH_FLOOR = 0.08
# A figure in a crowd (a table read as one sentence) is compared with this many figures around its place.
CROWD = 24
# A value found more often than this on either side is no evidence of a pair far apart.
DISTANT = 4
# How many sentences apart a repeated mention of a figure may stand and still be the same mention.
REPEAT_NEAR = 3
HEADLINE_END = tuple(".!?…:;\"'”’)")
# Sentences this alike translate each other closely: a differing value between them is a drift, whatever
# the words right around it.
CLOSE_TRANSLATION = 0.8
# Otherwise two values a factor of about three apart or more (pipeline.audit.relation.closeness) are two measures.
NEAR_VALUE = 0.5
# Values within about a tenth of each other (closeness 0.96) are one measure drifted, even where only one
# text ties it to a year: "since 2014 stood at 68,260" / "jumlah korban sipil lebih dari 70.000".
DRIFT = 0.96
# Per side, per sentence: the years its dates and years state.
Anchors = tuple[list[set[int]], list[set[int]]]


@dataclass(frozen=True)
class Pair:
    en: int
    id: int
    status: Status
    note: str | None = None


@dataclass(frozen=True)
class Fact:
    """One figure as the two texts state it: every occurrence of it on either side."""

    status: FactStatus
    en: tuple[int, ...]  # indices into en.figures, in text order
    id: tuple[int, ...]  # indices into id_.figures
    note: str | None = None


@dataclass(frozen=True)
class Stretch:
    """A run of sentences on one side with no counterpart on the other."""

    language: str  # "en" or "id": the text the stretch is in
    sentences: tuple[int, int]  # first and last sentence index, inclusive (Document.sentences)
    figures: tuple[int, ...]  # figure indices inside it


@dataclass
class Alignment:
    pairs: list[Pair]
    only_en: list[int]  # no counterpart; neither a repeat of a paired figure nor a label (stretches included)
    only_id: list[int]
    facts: list[Fact] = field(default_factory=list)  # every figure of both texts in exactly one fact
    stretches: list[Stretch] = field(default_factory=list)
    sentence_pairs: list[tuple[int | None, int | None]] = field(default_factory=list)


def align(en: Document, id_: Document) -> Alignment:
    """Pair the figures of the two texts, best-scored pairs first, each figure at most once."""
    sentences = align_sentences(en, id_)
    pairs, taken_en, taken_id = [], set(), set()
    matched: tuple[defaultdict[object, list[tuple[int, int]]], ...] = (defaultdict(list), defaultdict(list))
    for _, e, i, (status, note) in sorted(_candidates(en, id_, sentences)):
        if e in taken_en or i in taken_id:
            continue
        # A figure said again (a headline and its body) repeats the matched mention; it is not another
        # figure that drifted.
        if status == "differs":
            repeats = [
                _repeats(document, f, matched[side][document.figures[f].key]) is not None
                for side, document, f in ((0, en, e), (1, id_, i))
            ]
            figure_en, figure_id = en.figures[e], id_.figures[i]
            close = closeness(figure_en, figure_id) >= 0.5 or typo(figure_en, figure_id) is not None
            if all(repeats) or (any(repeats) and not close):
                continue
        taken_en.add(e)
        taken_id.add(i)
        pairs.append(Pair(e, i, status, note))
        if status == "match":
            insort(matched[0][en.figures[e].key], (en.figure_sentence[e], e))
            insort(matched[1][id_.figures[i].key], (id_.figure_sentence[i], i))
    pairs.sort(key=lambda pair: (pair.en, pair.id))
    figures = (en.sentence_figures(), id_.sentence_figures())
    stretches = [
        Stretch(language, (first, last), tuple(f for s in range(first, last + 1) for f in figures[language == "id"][s]))
        for language, first, last in sentences.stretches(
            ({en.figure_sentence[p.en] for p in pairs}, {id_.figure_sentence[p.id] for p in pairs})
        )
        if not _headline_repeat(language, first, last, (en, id_), figures, matched)
    ]
    # A stretch is a passage: one sentence left alone is shown by its one-sided figures (and without
    # figures it is no finding of a figure audit: a dateline, a sentence split otherwise).
    stretches = [stretch for stretch in stretches if stretch.sentences[1] > stretch.sentences[0]]
    facts, only_en, only_id = _facts(en, id_, pairs, stretches)
    return Alignment(pairs, only_en, only_id, facts, stretches, sentences.pairs())


def _headline_repeat(
    language: str,
    first: int,
    last: int,
    documents: tuple[Document, Document],
    figures: tuple[list[list[int]], list[list[int]]],
    matched: tuple[defaultdict[object, list[tuple[int, int]]], ...],
) -> bool:
    """A headline left alone by the sentence alignment is no untranslated stretch when all it says
    is repeated from a paired figure: the other text has the story, under another headline."""
    side = language == "id"
    document = documents[side]
    inside = figures[side][first] if first == last and _headline(document, first) else []
    return bool(inside) and all(
        _repeats(document, f, matched[side].get(document.figures[f].key, [])) is not None for f in inside
    )


def _candidates(
    en: Document, id_: Document, sentences: SentenceAlignment
) -> list[tuple[float, int, int, tuple[Status, str | None]]]:
    candidates: list[tuple[float, int, int, tuple[Status, str | None]]] = []
    seen: set[tuple[int, int]] = set()

    def consider(e: int, i: int) -> None:
        seen.add((e, i))
        found = relation(en.figures[e], id_.figures[i])
        if found is None:
            return
        s_en, s_id = en.figure_sentence[e], id_.figure_sentence[i]
        alike = sentences.likeness(s_en, s_id)
        best = max(sentences.best[0][s_en], sentences.best[1][s_id])
        context = Context(alike, min(1.0, alike / best) if best else 0.0, (s_en, s_id) in sentences.translated)
        context.same_bead, context.near = sentences.same_bead(s_en, s_id), sentences.near(s_en, s_id)
        if found[0] == "differs":
            context.measure = bool(sentences.likeness.around(0, e) & sentences.likeness.around(1, i))
            context.period = _period_conflict((en, id_), (e, i), anchors)
        score = _score(*found, en.figures[e], id_.figures[i], context)
        if score is not None:
            candidates.append((-score, e, i, found))

    by_sentence = id_.sentence_figures()
    anchors: Anchors = (_sentence_years(en), _sentence_years(id_))
    for s_en, figures in enumerate(en.sentence_figures()):
        pool = [i for s_id in sentences.partners(s_en) for i in by_sentence[s_id]] if figures else []
        for rank, e in enumerate(figures):
            if len(pool) > CROWD:  # compared with the figures about where it stands, not with every one
                middle = len(pool) * (2 * rank + 1) // (2 * len(figures))
                start = max(0, min(len(pool) - CROWD, middle - CROWD // 2))
                nearby = pool[start : start + CROWD]
            for i in nearby if len(pool) > CROWD else pool:
                consider(e, i)
    # Equal distinctive values farther apart: a paragraph moved, or a sentence the path paired wrongly.
    keyed: tuple[defaultdict[object, list[int]], defaultdict[object, list[int]]] = (
        defaultdict(list),
        defaultdict(list),
    )
    for side, document in enumerate((en, id_)):
        for index, figure in enumerate(document.figures):
            if distinctive(figure) or figure.unit in ANCHORS:  # a year is rare enough in most texts
                keyed[side][figure.key].append(index)
    for key, english in keyed[0].items():
        indonesian = keyed[1].get(key, [])
        if len(english) <= DISTANT and len(indonesian) <= DISTANT:
            for e, i in ((e, i) for e in english for i in indonesian if (e, i) not in seen):
                consider(e, i)
    return candidates


@dataclass
class Context:
    """Where a candidate pair stands: how alike its sentences are (`likeness`), the same against the best
    partner either sentence has (`relative`), and whether they translate each other, share a bead of the
    sentence alignment, or stand within each other's aligned neighbourhood."""

    likeness: float
    relative: float
    translated: bool
    same_bead: bool = False
    near: bool = False
    measure: bool = False  # the words around the two figures share a concept (pipeline.audit.likeness.around)
    period: bool = False  # the figures are tied to different years (_period_conflict)


def _score(status: Status, note: str | None, en: Figure, id_: Figure, where: Context) -> float | None:
    """How sure a pair is, or None when it is not to be made."""
    context = where.likeness / 2 + where.relative + (0.5 if where.translated else 0.0)
    if en.year is not None and id_.year is not None:
        context += 0.1 if en.year == id_.year else -0.1
    if status == "match" and note is None:
        weak = where.likeness < MATCH_FLOOR and not (distinctive(en) and distinctive(id_))
        return None if weak else 3.0 + context
    # An equal value specific enough not to recur by chance ("up to 0.66%" / "0,66%") is one figure
    # within a few sentences, whatever the words around it.
    equal = en.value == id_.value and specific(en) and where.near
    if status == "match":
        # Rounding or another scale, between sentences the alignment paired, is one figure too.
        loose = note is not None and note.startswith(("rounded:", "scale:")) and specific(en) and specific(id_)
        if not (where.translated or equal or (loose and where.same_bead)):
            return None
        return 2.8 + context
    slips = typo(en, id_)
    if not (where.translated or equal or (slips == 1 and where.same_bead and distinctive(en))):
        return None  # a differing value claims more than an equal one: only between translations
    if not _same_measure(en, id_, where, slips):
        return None
    bonus = 0.5 if equal or slips == 1 else 0.0
    return context + 0.15 * closeness(en, id_) + (0.1 if en.qualifier == id_.qualifier else 0.0) + bonus


def _same_measure(en: Figure, id_: Figure, where: Context, slips: int | None) -> bool:
    """Whether two differing values are one measure that drifted, not two figures that merely sit in
    neighbouring sentences.  An equal value (another qualifier, unit or currency), a date, a slip of the pen,
    values within about a tenth of each other, and one hedge (at least, about) on figures among the same
    words are evidence enough.  Otherwise the figures must not be
    tied to different periods, and either their sentences translate each other closely, or the values lie
    within a factor of three and the words around them name the same thing (the noun counted, an infobox
    label) or their clauses tie them to the same year."""
    if en.value == id_.value or en.unit in ANCHORS or slips is not None or closeness(en, id_) >= DRIFT:
        return True
    if en.qualifier == id_.qualifier != "exact" and where.measure:
        return True  # one hedged phrase about one thing: "at least 3,298 civilians" / "setidaknya 30.839 warga sipil"
    if where.period:
        return False
    same_year = en.year is not None and en.year == id_.year
    return where.likeness >= CLOSE_TRANSLATION or (closeness(en, id_) >= NEAR_VALUE and (where.measure or same_year))


def _period_conflict(documents: tuple[Document, Document], figures: tuple[int, int], anchors: Anchors) -> bool:
    """Whether the figures are tied to different periods: one's clause ties it to a year, and neither
    figure's year is stated in the other's sentence ("1,07 persen" of January-June 2024 against a forecast
    for the year's end that states no year; a December 2023 average against an undated one).  Which year a
    clause ties a figure to is a guess, so a year the other sentence states anywhere is shared."""
    years = [document.figures[f].year for document, f in zip(documents, figures, strict=True)]
    if years[0] is None and years[1] is None:
        return False
    sentences = [document.figure_sentence[f] for document, f in zip(documents, figures, strict=True)]
    return not any(
        year is not None and year in anchors[1 - side][sentences[1 - side]] for side, year in enumerate(years)
    )


def _sentence_years(document: Document) -> list[set[int]]:
    """The years each sentence's dates and years state."""
    found: list[set[int]] = [set() for _ in document.sentences]
    for figure, sentence in zip(document.figures, document.figure_sentence, strict=True):
        if figure.unit in ANCHORS:
            found[sentence].add(figure.value.year if isinstance(figure.value, PartialDate) else int(figure.value))
    return found


def _facts(
    en: Document, id_: Document, pairs: list[Pair], stretches: list[Stretch]
) -> tuple[list[Fact], list[int], list[int]]:
    """Every figure in one fact; and the figures that stay one-sided findings."""
    documents = (en, id_)
    members = [([pair.en], [pair.id]) for pair in pairs]
    in_stretch = (
        {f for s in stretches if s.language == "en" for f in s.figures},
        {f for s in stretches if s.language == "id" for f in s.figures},
    )
    paired = ({pair.en: k for k, pair in enumerate(pairs)}, {pair.id: k for k, pair in enumerate(pairs)})
    alone: tuple[list[int], list[int]] = ([], [])
    for side, document in enumerate(documents):
        mentions: defaultdict[object, list[tuple[int, int]]] = defaultdict(list)
        for index, k in sorted(paired[side].items()):
            mentions[document.figures[index].key].append((document.figure_sentence[index], k))
        for index, figure in enumerate(document.figures):
            if index in paired[side]:
                continue
            joined = None if index in in_stretch[side] else _repeats(document, index, mentions.get(figure.key, []))
            if joined is None:
                alone[side].append(index)
            else:
                members[joined][side].append(index)
    facts = [
        Fact(pair.status, tuple(sorted(m[0])), tuple(sorted(m[1])), pair.note)
        for pair, m in zip(pairs, members, strict=True)
    ]
    labels = _labels(documents, pairs, paired, alone, in_stretch)
    facts += [Fact("label", (f,) if side == 0 else (), (f,) if side == 1 else ()) for side, f in labels]
    one_sided: tuple[list[int], list[int]] = (
        [f for f in alone[0] if (0, f) not in labels],
        [f for f in alone[1] if (1, f) not in labels],
    )
    for side, status in ((0, "only_en"), (1, "only_id")):
        groups: list[list[int]] = []
        last: dict[object, tuple[int, int]] = {}
        for index in one_sided[side]:
            figure, sentence = documents[side].figures[index], documents[side].figure_sentence[index]
            group = _repeats(documents[side], index, [last[figure.key]] if figure.key in last else [])
            if group is None:
                groups.append([index])
                group = len(groups) - 1
            else:
                groups[group].append(index)
            last[figure.key] = (sentence, group)
        facts += [Fact(status, tuple(g) if side == 0 else (), tuple(g) if side == 1 else ()) for g in groups]  # type: ignore[arg-type]
    facts.sort(key=lambda fact: (0, fact.en[0]) if fact.en else (1, fact.id[0]))
    return facts, one_sided[0], one_sided[1]


def _repeats(document: Document, figure: int, mentions: list[tuple[int, int]]) -> int | None:
    """The mention (sentence, tag) of the same key that a figure repeats: the nearest within a few
    sentences, or the first when either stands in a headline.  Only a value specific enough not to recur
    by chance repeats: two "14 days" or two "2023" a sentence apart are as often two facts."""
    if not mentions or not specific(document.figures[figure]):
        return None
    sentence = document.figure_sentence[figure]
    position = bisect_left(mentions, (sentence, -1))
    near = [mentions[p] for p in (position - 1, position) if 0 <= p < len(mentions)]
    there, tag = min(near, key=lambda mention: abs(mention[0] - sentence))
    if abs(there - sentence) <= REPEAT_NEAR or _headline(document, sentence):
        return tag
    return mentions[0][1] if _headline(document, mentions[0][0]) else None


def _headline(document: Document, sentence: int) -> bool:
    start, end = document.sentences[sentence]
    return sentence == 0 or not document.text[start:end].rstrip().endswith(HEADLINE_END)


def _labels(
    documents: tuple[Document, Document],
    pairs: list[Pair],
    paired: tuple[dict[int, int], dict[int, int]],
    alone: tuple[list[int], list[int]],
    in_stretch: tuple[set[int], set[int]],
) -> set[tuple[int, int]]:
    """Dates that only label a period ("Annual inflation (June 2023 compared to June 2022) was 3.5 percent"
    / "Inflasi tahunan mencapai 3,5 persen"): in a sentence whose every quantity matched its partner,
    when no partner sentence states a date.  The figure they label agrees; the date is no finding."""
    found = set()
    sentence_figures = (documents[0].sentence_figures(), documents[1].sentence_figures())
    for side, document in enumerate(documents):
        other = documents[1 - side]
        for index in alone[side]:
            if document.figures[index].unit not in ANCHORS or index in in_stretch[side]:
                continue
            around = sentence_figures[side][document.figure_sentence[index]]
            quantities = [f for f in around if document.figures[f].unit not in ANCHORS]
            if not quantities or not all(
                f in paired[side] and pairs[paired[side][f]].status == "match" for f in quantities
            ):
                continue
            partners = {
                other.figure_sentence[pairs[paired[side][f]].id if side == 0 else pairs[paired[side][f]].en]
                for f in quantities
            }
            if not any(other.figures[f].unit in ANCHORS for s in partners for f in sentence_figures[1 - side][s]):
                found.add((side, index))
    return found
