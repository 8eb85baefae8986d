"""Which sentences of an English text translate which of its Indonesian version.

Sentence aligners for parallel corpora (Gale and Church, 1993) rest on one
observation: a translation keeps the order of its original, so the alignment
is a monotonic path of "beads" (one sentence for one, one for two, two for
one, or a sentence with no counterpart) found by dynamic programming.  Their
cost is the difference in length; ours adds shared concepts (pipeline.audit.likeness),
which hand-written newsroom pairs carry plenty of: figures, names, glossary words.

The programme only looks at a band of cells around a guessed path, so time
and memory grow with the length of the texts, not with its square.  The
guess runs through anchors, concepts found in exactly one sentence on each
side (a figure's value, a name), taken in order (the longest increasing
chain) so that a paragraph nobody translated, which shifts the path far from
the diagonal, stays inside the band.

Sentences the path leaves alone (a paragraph moved elsewhere) get a second
chance through an index of their rare concepts, out of order.  What is still
alone forms untranslated stretches.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from pipeline.audit.likeness import Document, Likeness

# Half the width of the band around the guessed path, in sentences.
BAND = 10
# The neighbours either side of a sentence's aligned partner whose figures are compared with its own.
NEIGHBOURS = 2
# Costs, in the units of Gale and Church's -log(probability): a bead of two
# sentences for one is ten times rarer than one for one, a sentence left alone
# ten times rarer again.  A shared concept counts for more than length.
MERGE, SKIP, LIKENESS_WEIGHT = 2.4, 3.0, 8.0
# Indonesian runs about a tenth longer than English.  A fixed ratio, not one measured on the two texts:
# a paragraph left untranslated would skew the measure just where it matters.
LENGTH_RATIO = 1.1
VARIANCE = 6.8  # of the length of a translation per character of its original
LENGTH_COST_CAP = 12.0
# How alike sentences must be to translate each other, and how near the best their partner may be.
DIFFERS_FLOOR = 0.2
NEAR_BEST = 0.9
# A concept in more sentences than this does not find a moved sentence's partner; it only costs time.
RARE = 32
MOVES = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2))


@dataclass(frozen=True)
class Bead:
    en: tuple[int, ...]
    id: tuple[int, ...]
    at: tuple[int, int]  # where the path starts the bead: English and Indonesian sentences consumed before it


@dataclass
class SentenceAlignment:
    beads: list[Bead]
    likeness: Likeness
    moved: dict[int, int] = field(default_factory=dict)  # English sentence -> Indonesian, out of order
    translated: set[tuple[int, int]] = field(default_factory=set)
    windows: tuple[list[range], list[range]] = ([], [])
    best: tuple[list[float], list[float]] = ([], [])
    bead_of: tuple[list[int], list[int]] = ([], [])
    neighbourhood: list[list[int]] = field(default_factory=list)

    def same_bead(self, e: int, i: int) -> bool:
        return self.bead_of[0][e] == self.bead_of[1][i] or self.moved.get(e) == i

    def near(self, e: int, i: int) -> bool:
        """Whether Indonesian sentence i lies in the aligned neighbourhood of English sentence e."""
        return i in self.windows[0][e] or e in self.windows[1][i] or self.moved.get(e) == i

    def partners(self, e: int) -> list[int]:
        """The Indonesian sentences in English sentence e's neighbourhood, or whose neighbourhood holds e."""
        return self.neighbourhood[e]

    def pairs(self) -> list[tuple[int | None, int | None]]:
        flat: list[tuple[int | None, int | None]] = []
        for bead in self.beads:
            if not bead.en or not bead.id:
                flat += [(e, None) for e in bead.en] + [(None, i) for i in bead.id]
            else:
                flat += [(e, i) for e in bead.en for i in bead.id]
        return flat

    def stretches(self, paired: tuple[set[int], set[int]] = (set(), set())) -> list[tuple[str, int, int]]:
        """Runs of sentences on one side that nothing on the other side translates: (language, first, last).
        A sentence with a figure paired elsewhere (`paired`: sentences per side) has a counterpart."""
        moved_id = set(self.moved.values()) | paired[1]
        alone = {
            "en": sorted(e for b in self.beads if not b.id for e in b.en if e not in self.moved and e not in paired[0]),
            "id": sorted(i for b in self.beads if not b.en for i in b.id if i not in moved_id),
        }
        runs: list[tuple[str, int, int]] = []
        for language, sentences in alone.items():
            for sentence in sentences:
                if runs and runs[-1][0] == language and runs[-1][2] == sentence - 1:
                    runs[-1] = (language, runs[-1][1], sentence)
                else:
                    runs.append((language, sentence, sentence))
        return runs


def align_sentences(en: Document, id_: Document) -> SentenceAlignment:
    likeness = Likeness(en, id_)
    lengths = [[end - start for start, end in document.sentences] for document in (en, id_)]
    lo, hi = _band(likeness, len(lengths[0]), len(lengths[1]))
    result = SentenceAlignment(_beads(likeness, lengths[0], lengths[1], lo, hi), likeness)
    result.bead_of = _bead_of(result.beads, len(lengths[0]), len(lengths[1]))
    result.moved = _moved(result)
    result.windows = _windows(result.beads, len(lengths[0]), len(lengths[1]))
    # Either sentence's neighbourhood holding the other makes two sentences neighbours.
    neighbourhood = [set(window) for window in result.windows[0]]
    for i, window in enumerate(result.windows[1]):
        for e in window:
            neighbourhood[e].add(i)
    for e, i in result.moved.items():
        neighbourhood[e].add(i)
    result.neighbourhood = [sorted(partners) for partners in neighbourhood]
    _translations(result)
    return result


def _band(likeness: Likeness, n: int, m: int) -> tuple[list[int], list[int]]:
    """For each number of English sentences consumed, the Indonesian ones the path may have consumed."""
    counts: tuple[Counter[int], Counter[int]] = (Counter(), Counter())
    where: tuple[dict[int, int], dict[int, int]] = ({}, {})
    for side in (0, 1):
        for sentence, bag in enumerate(likeness.bags[side]):
            counts[side].update(bag)
            where[side].update(dict.fromkeys(bag, sentence))
    anchors = sorted(
        ((where[0][c], -where[1][c]) for c, count in counts[0].items() if count == 1 and counts[1][c] == 1),
    )
    points = [(0, 0)]
    for e, i in _increasing([(e, -i) for e, i in anchors]):
        points += [(e, i), (e + 1, i + 1)]
    points.append((n, m))
    centres, segment = [], 0
    for row in range(n + 1):
        while segment + 1 < len(points) - 1 and points[segment + 1][0] <= row:
            segment += 1
        (x0, y0), (x1, y1) = points[segment], points[segment + 1]
        centres.append(y0 if x1 == x0 else y0 + (y1 - y0) * (row - x0) / (x1 - x0))
    lo = [max(0, min(m, math.floor(c) - BAND)) for c in centres]
    hi = [max(0, min(m, math.ceil(c) + BAND)) for c in centres]
    lo[0], hi[n] = 0, m
    for row in range(n - 1, -1, -1):  # where the guess jumps (an added paragraph), the band widens to follow
        hi[row] = max(hi[row], lo[row + 1])
    for row in range(1, n + 1):
        lo[row] = max(lo[row], lo[row - 1])
    return lo, hi


def _increasing(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of points increasing in both coordinates (points sorted by the first,
    ties by the second decreasing so that two points of one row never chain)."""
    tails: list[int] = []
    ends: list[int] = []
    before = [-1] * len(points)
    for index, (_, y) in enumerate(points):
        position = bisect_left(tails, y)
        before[index] = ends[position - 1] if position else -1
        if position == len(tails):
            tails.append(y)
            ends.append(index)
        else:
            tails[position], ends[position] = y, index
    chain, index = [], ends[-1] if ends else -1
    while index >= 0:
        chain.append(points[index])
        index = before[index]
    return chain[::-1]


def _beads(likeness: Likeness, len_en: list[int], len_id: list[int], lo: list[int], hi: list[int]) -> list[Bead]:
    n = len(len_en)
    cost = [[math.inf] * (hi[r] - lo[r] + 1) for r in range(n + 1)]
    move = [bytearray(hi[r] - lo[r] + 1) for r in range(n + 1)]
    cost[0][0] = 0.0
    for row in range(n + 1):
        for column in range(max(lo[row], 0 if row else 1), hi[row] + 1):
            best, how = math.inf, 0
            for kind, (de, di) in enumerate(MOVES, 1):
                r, c = row - de, column - di
                if r < 0 or c < lo[r] or c > hi[r] or (before := cost[r][c - lo[r]]) == math.inf:
                    continue
                if de and di:
                    alike = likeness.runs(range(r, row), range(c, column))
                    length = _length_cost(sum(len_en[r:row]), sum(len_id[c:column]))
                    step = length - LIKENESS_WEIGHT * alike + (MERGE if de + di > 2 else 0.0)
                else:
                    step = SKIP
                if before + step < best:
                    best, how = before + step, kind
            cost[row][column - lo[row]], move[row][column - lo[row]] = best, how
    beads, row, column = [], n, len(len_id)
    while row or column:
        de, di = MOVES[move[row][column - lo[row]] - 1]
        beads.append(Bead(tuple(range(row - de, row)), tuple(range(column - di, column)), (row - de, column - di)))
        row, column = row - de, column - di
    return beads[::-1]


def _length_cost(english: int, indonesian: int) -> float:
    """-log of how likely a translation of this length is, given the original's (Gale and Church)."""
    delta = (indonesian - LENGTH_RATIO * english) / math.sqrt(VARIANCE * max(english, 1))
    chance = math.erfc(abs(delta) / math.sqrt(2))
    return min(LENGTH_COST_CAP, -math.log(chance)) if chance > 0 else LENGTH_COST_CAP


def _bead_of(beads: list[Bead], n: int, m: int) -> tuple[list[int], list[int]]:
    found = ([0] * n, [0] * m)
    for index, bead in enumerate(beads):
        for e in bead.en:
            found[0][e] = index
        for i in bead.id:
            found[1][i] = index
    return found


def _windows(beads: list[Bead], n: int, m: int) -> tuple[list[range], list[range]]:
    """Each sentence's neighbourhood on the other side: its bead's partners and a few either side."""
    found: tuple[list[range], list[range]] = ([range(0)] * n, [range(0)] * m)
    for bead in beads:
        for side, own, other, size in ((0, bead.en, bead.id, m), (1, bead.id, bead.en, n)):
            first = other[0] if other else bead.at[1 - side]
            last = other[-1] if other else first - 1
            for sentence in own:
                found[side][sentence] = range(max(0, first - NEIGHBOURS), min(size, last + NEIGHBOURS + 1))
    return found


def _moved(alignment: SentenceAlignment) -> dict[int, int]:
    """Sentences the path left alone, or paired with sentences too unlike them to be their translation,
    that are each other's best partner among such sentences: a paragraph moved in translation."""
    likeness = alignment.likeness
    alone: tuple[list[int], list[int]] = ([], [])
    for bead in alignment.beads:
        alone[0].extend(e for e in bead.en if all(likeness(e, i) < DIFFERS_FLOOR for i in bead.id))
        alone[1].extend(i for i in bead.id if all(likeness(e, i) < DIFFERS_FLOOR for e in bead.en))
    likeness = alignment.likeness
    index: tuple[defaultdict[int, list[int]], defaultdict[int, list[int]]] = (defaultdict(list), defaultdict(list))
    for side in (0, 1):
        for sentence in alone[side]:
            for concept in likeness.bags[side][sentence]:
                index[side][concept].append(sentence)
    best: tuple[dict[int, int], dict[int, int]] = ({}, {})
    for side in (0, 1):
        for sentence in alone[side]:
            found = {
                s for c in likeness.bags[side][sentence] if len(index[1 - side][c]) <= RARE for s in index[1 - side][c]
            }
            scored = [(likeness(*((sentence, s) if side == 0 else (s, sentence))), s) for s in found]
            top = max(scored, default=(0.0, -1))
            if top[0] >= DIFFERS_FLOOR:
                best[side][sentence] = top[1]
    return {e: i for e, i in best[0].items() if best[1].get(i) == e}


def _translations(alignment: SentenceAlignment) -> None:
    """The sentence pairs that translate each other: each other's best partner within their neighbourhoods,
    grown to a neighbour that a translation merged or split, and pairs of one bead alike enough."""
    likeness, windows = alignment.likeness, alignment.windows
    cells = {(e, i) for e in range(len(windows[0])) for i in alignment.partners(e)}
    best_en, best_id = [0.0] * len(windows[0]), [0.0] * len(windows[1])
    for e, i in cells:
        value = likeness(e, i)
        best_en[e], best_id[i] = max(best_en[e], value), max(best_id[i], value)
    alignment.best = best_en, best_id

    def near(value: float, best: float) -> bool:
        return value >= DIFFERS_FLOOR and value >= NEAR_BEST * best

    cells = {(e, i) for e, i in cells if likeness(e, i) >= DIFFERS_FLOOR}
    pairs = {(e, i) for e, i in cells if near(likeness(e, i), best_en[e]) and near(likeness(e, i), best_id[i])}
    grown = True
    while grown:
        grown = False
        for e, i in cells - pairs:
            merged = near(likeness(e, i), best_en[e]) and bool({(e - 1, i), (e + 1, i)} & pairs)
            split = near(likeness(e, i), best_id[i]) and bool({(e, i - 1), (e, i + 1)} & pairs)
            if merged or split:
                pairs.add((e, i))
                grown = True
    pairs |= {(e, i) for e, i in cells if alignment.same_bead(e, i)}
    alignment.translated = pairs
