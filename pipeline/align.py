"""Which figure of an English text is which figure of its Indonesian version.

Two hand-written texts are aligned figure by figure.  A candidate pair is
scored by what the two figures say (same value, an equivalent form, or the
same kind of measure with another value) and by the context they sit in: how
alike their sentences are across the languages, the year their clause ties
them to, and, for figures that differ, how close the values are.  Pairs are
then taken best first, each figure at most once.

Sentence likeness needs no translation model: two sentences are alike when
they share concepts, weighted by how rare each concept is in the pair of
texts.  Concepts are words of a small newsroom glossary (killed / tewas),
words written the same in both texts (names: Mosul, SDF, Body Count) and
figures with the same value in both texts.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from pipeline.extract import Figure
from pipeline.model import PartialDate
from pipeline.text import SENTENCE_END

Status = Literal["match", "differs"]

# Concepts separated by ";", each "English words / Indonesian words".  Inflected
# forms are listed rather than stemmed; a trailing English "s" is also stripped.
GLOSSARY = """
kill killed killing deaths death dead died toll casualties / tewas terbunuh meninggal kematian korban menewaskan
wounded injured injuries hurt / luka terluka cedera; civilian civilians / sipil
people persons person resident residents inhabitants population citizens / orang jiwa warga penduduk populasi
fighter fighters militant militants soldier soldiers troop troops / pejuang militan tentara prajurit pasukan
force forces army military / pasukan tentara militer angkatan
attack attacks assault offensive strike strikes / serangan menyerang ofensif; violence violent / kekerasan
terrorism terrorist terrorists / terorisme teroris; armed weapons / bersenjata senjata
act acts action / aksi tindakan; coalition alliance / koalisi aliansi; led / pimpinan dipimpin; campaign / kampanye
control controlled / kendali menguasai dikuasai; air aerial / udara
bomb bombing bombs explosion blast / bom ledakan pengeboman
war conflict fighting battle / perang konflik pertempuran; city cities town / kota; village villages / desa kampung
province provinces / provinsi; district regency / kabupaten kecamatan distrik; capital / ibu ibukota
country countries nation / negara; government / pemerintah pemerintahan
official officials authorities / pejabat otoritas resmi; president / presiden; minister / menteri
ministry / kementerian; governor / gubernur; mayor / wali; police / polisi kepolisian; refugee refugees / pengungsi
displaced fled flee evacuated evacuation shelters / mengungsi pengungsian dievakuasi evakuasi mengungsikan
home homes house houses housing / rumah hunian perumahan; missing / hilang; since / sejak
until through / hingga sampai; year years annual annually / tahun tahunan; month months / bulan
week weeks / minggu pekan; day days daily / hari harian; total / total jumlah; number / jumlah angka
percent per cent / persen
rise rose risen increase increased grew growth / naik meningkat kenaikan peningkatan tumbuh pertumbuhan
fall fell decline declined decrease decreased drop dropped / turun menurun penurunan merosot
highest record peak / tertinggi rekor puncak; lowest / terendah; large largest big biggest / besar terbesar
small smallest / kecil terkecil; first / pertama; second / kedua; third / ketiga; half / separuh setengah
report reported reports / laporan melaporkan dilaporkan
documented recorded registered / mencatat tercatat dicatat terdaftar
organisation organization group / organisasi lembaga kelompok
said says say stated / mengatakan kata menyatakan ujar; according / menurut
estimate estimated estimates / memperkirakan diperkirakan perkiraan estimasi
data figures statistics / data angka statistik; survey poll / survei jajak; economy economic / ekonomi perekonomian
inflation / inflasi; interest / bunga; rate rates / suku tingkat laju; bank / bank; central / sentral pusat
export exports / ekspor; import imports / impor; investment investors / investasi investor; budget / anggaran
deficit / defisit; debt / utang; price prices / harga; oil fuel / minyak bbm; rice / beras padi
food / pangan makanan; farmer farmers / petani; harvest / panen
worker workers employees labour / pekerja buruh karyawan tenaga
job jobs unemployment unemployed / pekerjaan pengangguran menganggur lapangan; wage wages salary / upah gaji
minimum / minimum minimal; poverty poor / kemiskinan miskin; quarter / kuartal triwulan; gdp / pdb
tax taxes / pajak; revenue income / pendapatan penerimaan; spending / belanja pengeluaran
election elections / pemilu pemilihan pilkada; vote votes voted voting / suara memilih pemungutan
voter voters electorate / pemilih; turnout / partisipasi; candidate candidates / kandidat calon; seat seats / kursi
parliament house legislature / parlemen dpr legislatif; party parties / partai
won win winner / menang memenangkan pemenang; count counted counting / hitung penghitungan perhitungan
polling / tps; ballot ballots / surat; health / kesehatan; hospital hospitals / sakit; patient patients / pasien
doctor doctors / dokter; nurse nurses / perawat; case cases / kasus
infection infections infected / infeksi terinfeksi tertular
vaccine vaccines vaccinated vaccination dose doses / vaksin vaksinasi divaksin dosis
outbreak epidemic / wabah epidemi; recovered / sembuh pulih; child children / anak; mother mothers / ibu
school schools / sekolah; student students pupils / siswa murid mahasiswa pelajar; teacher teachers / guru
earthquake quake / gempa; magnitude / magnitudo; tsunami / tsunami; flood floods flooding / banjir
landslide landslides / longsor; eruption erupted volcano / erupsi letusan meletus gunung; fire fires / kebakaran api
damaged destroyed / rusak hancur; rain rainfall / hujan; hectare hectares / hektare hektar; water / air
aid assistance / bantuan; cost costs / biaya; fund funds funding / dana pendanaan; money / uang
dollar dollars / dolar; billion / miliar; million / juta; trillion / triliun; thousand thousands / ribu ribuan
un / pbb; us american / as amerika; uk britain british / inggris; eu european / uni eropa; iraq iraqi / irak
syria syrian / suriah; russia russian / rusia; indonesia indonesian / indonesia; jakarta / jakarta
"""


def _glossary() -> tuple[dict[str, int], dict[str, int]]:
    english: dict[str, int] = {}
    indonesian: dict[str, int] = {}
    for concept, entry in enumerate(GLOSSARY.replace("\n", ";").split(";")):
        words_en, _, words_id = entry.partition("/")
        english.update(dict.fromkeys(words_en.split(), concept))
        indonesian.update(dict.fromkeys(words_id.split(), concept))
    return english, indonesian


CONCEPTS = dict(zip(("en", "id"), _glossary(), strict=True))
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
AFFIXES = {"en": ("'s", "’s", "s"), "id": ("nya", "lah", "kah")}
QUANTITIES = frozenset({"count", "money", "percent", "percentage_point", "times"})
ANCHORS = frozenset({"year", "date"})
PER_LARGER_PERIOD = {("year", "month"): 12, ("week", "day"): 7, ("year", "week"): 52}
# How alike sentences must be before their figures pair: a small number or a
# year in an unrelated sentence is a coincidence, a differing value even more so.
MATCH_FLOOR = 0.08
DIFFERS_FLOOR = 0.2
NEAR_BEST = 0.9


@dataclass
class Document:
    """A text as the extractor read it, its figures and its sentences."""

    language: str
    text: str
    figures: list[Figure]

    def __post_init__(self) -> None:
        self.sentences: list[tuple[int, int]] = []
        start = 0
        for match in [*SENTENCE_END.finditer(self.text), None]:
            end = match.start() if match else len(self.text)
            if self.text[start:end].strip():
                self.sentences.append((start, end))
            start = match.end() if match else end
        starts = [start for start, _ in self.sentences]
        self.figure_sentence = [max(0, bisect_right(starts, figure.start) - 1) for figure in self.figures]
        # Words inside figures ("years", "more than") are compared with the figures, not as context.
        prose = list(self.text)
        for figure in self.figures:
            prose[figure.start : figure.end] = " " * (figure.end - figure.start)
        self.prose = "".join(prose)

    def words(self, index: int) -> list[str]:
        start, end = self.sentences[index]
        return [word.lower() for word in WORD.findall(self.prose, start, end)]


@dataclass(frozen=True)
class Pair:
    en: int
    id: int
    status: Status
    note: str | None = None


@dataclass
class Alignment:
    pairs: list[Pair]
    only_en: list[int]
    only_id: list[int]


def _concept(word: str, language: str, shared: set[str]) -> object | None:
    if word in shared:  # a name, or a word both texts borrow
        return f"={word}"
    table = CONCEPTS[language]
    for candidate in (word, *(word.removesuffix(affix) for affix in AFFIXES[language])):
        if candidate in table:
            return table[candidate]
    return None


def sentence_likeness(en: Document, id_: Document) -> list[list[float]]:
    """likeness[e][i] in [0, 1] for every English sentence e and Indonesian sentence i."""
    documents = (en, id_)
    words = [[document.words(i) for i in range(len(document.sentences))] for document in documents]
    shared = {w for w in {w for s in words[0] for w in s} & {w for s in words[1] for w in s} if len(w) > 2}
    common_values = set.intersection(*({("#", f.key[:2]) for f in document.figures} for document in documents))
    bags: list[list[set[object]]] = []
    for document, sentences in zip(documents, words, strict=True):
        bags.append([{c for w in s if (c := _concept(w, document.language, shared)) is not None} for s in sentences])
        for figure, sentence in zip(document.figures, document.figure_sentence, strict=True):
            if ("#", figure.key[:2]) in common_values:
                bags[-1][sentence].add(("#", figure.key[:2]))
    frequency = Counter(c for bag in bags[0] + bags[1] for c in bag)
    weight = {c: math.log((len(bags[0]) + len(bags[1]) + 1) / count) for c, count in frequency.items()}
    sizes = [[sum(weight[c] for c in bag) for bag in side] for side in bags]
    return [
        [
            sum(weight[c] for c in bag_en & bag_id) / math.sqrt(size_en * size_id) if size_en and size_id else 0.0
            for bag_id, size_id in zip(bags[1], sizes[1], strict=True)
        ]
        for bag_en, size_en in zip(bags[0], sizes[0], strict=True)
    ]


def translation_pairs(likeness: list[list[float]]) -> set[tuple[int, int]]:
    """The sentence pairs (English, Indonesian) that translate each other.

    Those are mutual best partners, and, grown from them, a sentence whose best
    partner is one side of such a pair while it sits next to the other side:
    two sentences merged into one in translation, or one split in two.
    """
    best_en, best_id = _best(likeness)

    def near(value: float, best: float) -> bool:
        return value >= DIFFERS_FLOOR and value >= NEAR_BEST * best

    cells = [(e, i) for e, row in enumerate(likeness) for i, value in enumerate(row) if value >= DIFFERS_FLOOR]
    pairs = {(e, i) for e, i in cells if near(likeness[e][i], best_en[e]) and near(likeness[e][i], best_id[i])}
    grown = True
    while grown:
        grown = False
        for e, i in set(cells) - pairs:
            merged = near(likeness[e][i], best_en[e]) and bool({(e - 1, i), (e + 1, i)} & pairs)
            split = near(likeness[e][i], best_id[i]) and bool({(e, i - 1), (e, i + 1)} & pairs)
            if merged or split:
                pairs.add((e, i))
                grown = True
    return pairs


def _best(likeness: list[list[float]]) -> tuple[list[float], list[float]]:
    """The best likeness each English sentence has, and each Indonesian one."""
    return [max(row, default=0.0) for row in likeness], [max(column) for column in zip(*likeness, strict=True)]


def align(en: Document, id_: Document) -> Alignment:
    """Pair the figures of the two texts, best-scored pairs first, each figure at most once."""
    likeness = sentence_likeness(en, id_)
    best_en, best_id = _best(likeness)
    translated = translation_pairs(likeness)
    candidates = []
    for e, figure_en in enumerate(en.figures):
        for i, figure_id in enumerate(id_.figures):
            found = relation(figure_en, figure_id)
            if found is not None:
                s_en, s_id = en.figure_sentence[e], id_.figure_sentence[i]
                alike, best = likeness[s_en][s_id], max(best_en[s_en], best_id[s_id])
                score = _score(
                    *found, figure_en, figure_id, alike, alike / best if best else 0.0, (s_en, s_id) in translated
                )
                if score is not None:
                    candidates.append((-score, e, i, found))
    pairs, taken_en, taken_id = [], set(), set()
    for _, e, i, (status, note) in sorted(candidates):
        if e not in taken_en and i not in taken_id:
            taken_en.add(e)
            taken_id.add(i)
            pairs.append(Pair(e, i, status, note))
    only_en = [e for e in range(len(en.figures)) if e not in taken_en]
    only_id = [i for i in range(len(id_.figures)) if i not in taken_id]
    return Alignment(sorted(pairs, key=lambda pair: (pair.en, pair.id)), only_en, only_id)


def _score(
    status: Status, note: str | None, en: Figure, id_: Figure, likeness: float, relative: float, translated: bool
) -> float | None:
    """How sure a pair is, or None when it is not to be made.

    `likeness` is how alike the two sentences are, `relative` the same against
    the best partner either sentence has, `translated` whether the sentences
    translate each other (translation_pairs).
    """
    context = likeness / 2 + relative + (0.5 if translated else 0.0)
    if en.year is not None and id_.year is not None:
        context += 0.1 if en.year == id_.year else -0.1
    if status == "match" and note is None:
        weak = likeness < MATCH_FLOOR and not (_distinctive(en) and _distinctive(id_))
        return None if weak else 3.0 + context
    if not translated:
        return None  # an equivalent form, or a differing value, claims more than an equal one
    if status == "match":
        return 2.8 + context
    return context + 0.15 * _closeness(en, id_) + (0.1 if en.qualifier == id_.qualifier else 0.0)


def relation(en: Figure, id_: Figure) -> tuple[Status, str | None] | None:
    """How an English and an Indonesian figure relate, if they could be the same figure at all."""
    found = _relation(en, id_)
    if found is not None and found[0] == "match":
        return found
    # A number whose marks only its text's habits decided ("204,894" in
    # Indonesian copy) may mean what the other text says; the translation
    # yields to the original first.
    for first, second, other_text in ((id_, en, "English"), (en, id_, "Indonesian")):
        if first.alternative is not None and first.alternative == second.value:
            reread = replace(first, value=first.alternative, resolution=None)
            if (_relation(reread, second) or ("differs",))[0] == "match":
                return "match", f"{_shown(first)} read as {first.alternative}, as the {other_text} text has it"
    return found


def _relation(a: Figure, b: Figure) -> tuple[Status, str | None] | None:
    if a.unit in ANCHORS or b.unit in ANCHORS:
        return _dates(a, b) if a.unit in ANCHORS and b.unit in ANCHORS else None
    if a.unit == "duration" or b.unit == "duration":
        return _durations(a, b)
    if a.unit != b.unit or a.currency != b.currency:
        if a.unit == b.unit:
            return "differs", f"currency: {a.currency} vs {b.currency}"
        if a.value == b.value and {a.unit, b.unit} <= QUANTITIES:
            return "differs", f"unit: {a.unit.replace('_', ' ')} vs {b.unit.replace('_', ' ')}"
        return None
    synonyms = a.qualifier == b.qualifier or {a.qualifier, b.qualifier} == {"more_than", "just_over"}
    if a.value == b.value:
        if a.qualifier == b.qualifier:
            return "match", None
        note = f"qualifier: {a.qualifier.replace('_', ' ')} vs {b.qualifier.replace('_', ' ')}"
        return ("match" if synonyms else "differs"), note
    coarse, fine = sorted((a, b), key=lambda figure: _step(figure) or 0, reverse=True)
    if _rounds_to(fine, coarse) and (synonyms or (coarse.qualifier == "about" and fine.qualifier == "exact")):
        return "match", f"rounded: {_shown(coarse)} ≈ {_shown(fine)}"
    return "differs", None


def _rounds_to(fine: Figure, coarse: Figure) -> bool:
    step, fine_step = _step(coarse), _step(fine)
    if step is None or fine_step is None or step <= fine_step:
        return False
    assert isinstance(fine.value, Decimal) and isinstance(coarse.value, Decimal)
    return abs(fine.value - coarse.value) * 2 <= step


def _step(figure: Figure) -> Decimal | None:
    """The precision a figure claims: its last digit's worth, but for "about 58,000" its last non-zero
    digit's (never fewer than two significant digits: "about 10 million" is not "14 million")."""
    step = figure.resolution
    if step is None or figure.qualifier != "about" or figure.value != figure.value.to_integral_value():  # type: ignore[union-attr]
        return step
    digits = str(int(figure.value))  # type: ignore[arg-type]
    implied = Decimal(10) ** max(0, min(len(digits) - len(digits.rstrip("0")), len(digits) - 2))
    return max(step, implied)


def _dates(a: Figure, b: Figure) -> tuple[Status, str | None]:
    first, second = (f.value if isinstance(f.value, PartialDate) else PartialDate(int(f.value)) for f in (a, b))
    if (first, a.part) == (second, b.part):
        return "match", None
    if a.part == b.part and (_within(first, second) or _within(second, first)):
        return "match", f"less precise: {first} vs {second}"
    return "differs", None


def _within(inner: PartialDate, outer: PartialDate) -> bool:
    """2017-07 lies within 2017; 2017-07-03 within 2017-07."""
    if outer.month is None:
        return inner.year == outer.year and inner != outer
    return outer.day is None and (inner.year, inner.month) == (outer.year, outer.month) and inner != outer


def _durations(a: Figure, b: Figure) -> tuple[Status, str | None] | None:
    if a.unit != b.unit:
        duration, other = (a, b) if a.unit == "duration" else (b, a)
        # "children under 15" / "di bawah 15 tahun": an age is a count of years;
        # "a third straight month" / "tiga bulan berturut-turut": a run of periods.
        kin = (other.unit == "count" and duration.period == "year") or other.unit == "ordinal"
        same = duration.value == other.value and duration.qualifier == other.qualifier
        return ("match", f"{_shown(a)} / {_shown(b)}") if kin and same else None
    if a.key == b.key:
        return "match", None
    for (larger, smaller), factor in PER_LARGER_PERIOD.items():
        for big, small in ((a, b), (b, a)):
            same_qualifier = big.qualifier == small.qualifier
            if (big.period, small.period) == (larger, smaller) and same_qualifier and big.value * factor == small.value:  # type: ignore[operator]
                return "match", f"converted: {_shown(big)} = {_shown(small)}"
    return "differs", None


def _shown(figure: Figure) -> str:
    return " ".join(figure.text.split())


def _distinctive(figure: Figure) -> bool:
    """A value unlikely to recur by chance: three significant digits, or a month and year."""
    if isinstance(figure.value, PartialDate):
        return figure.value.month is not None
    return figure.unit in QUANTITIES and len(figure.value.normalize().as_tuple().digits) >= 3


def _closeness(a: Figure, b: Figure) -> float:
    """1 for equal values, falling to 0 at a factor of ten apart."""
    if not (isinstance(a.value, Decimal) and isinstance(b.value, Decimal)) or a.value <= 0 or b.value <= 0:
        return 0.0
    return max(0.0, 1.0 - abs(math.log10(float(a.value) / float(b.value))))
