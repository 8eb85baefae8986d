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
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pipeline.extract import Figure, FigureUnit
from pipeline.model import PartialDate
from pipeline.text import SENTENCE_END

Status = Literal["match", "differs"]

# One concept per line: English words / Indonesian words.  Inflected forms
# are listed rather than stemmed; a trailing English "s" is also stripped.
GLOSSARY = """
kill killed killing deaths death dead died die dying fatalities toll casualties victims / tewas terbunuh meninggal kematian korban menewaskan
wounded injured injuries hurt / luka terluka cedera
civilian civilians / sipil
people persons person individuals resident residents inhabitants population citizens / orang jiwa warga penduduk populasi
fighter fighters militant militants soldier soldiers troop troops / pejuang militan tentara prajurit pasukan
force forces army military / pasukan tentara militer angkatan
attack attacks assault offensive strike strikes / serangan menyerang ofensif
violence violent / kekerasan
terrorism terrorist terrorists / terorisme teroris
armed weapons / bersenjata senjata
act acts action / aksi tindakan
coalition alliance / koalisi aliansi
led / pimpinan dipimpin
campaign / kampanye
control controlled / kendali menguasai dikuasai
air aerial / udara
bomb bombing bombs explosion blast / bom ledakan pengeboman
war conflict fighting battle / perang konflik pertempuran
city cities town / kota
village villages / desa kampung
province provinces / provinsi
district regency / kabupaten kecamatan distrik
capital / ibu ibukota
country countries nation / negara
government / pemerintah pemerintahan
official officials authorities / pejabat otoritas resmi
president / presiden
minister / menteri
ministry / kementerian
governor / gubernur
mayor / wali
police / polisi kepolisian
refugee refugees / pengungsi
displaced fled flee evacuated evacuation shelters / mengungsi pengungsian dievakuasi evakuasi mengungsikan
home homes house houses housing / rumah hunian perumahan
missing / hilang
since / sejak
until through / hingga sampai
year years annual annually / tahun tahunan
month months / bulan
week weeks / minggu pekan
day days daily / hari harian
total / total jumlah
number / jumlah angka
percent per cent / persen
rise rose risen increase increased grew growth / naik meningkat kenaikan peningkatan tumbuh pertumbuhan
fall fell decline declined decrease decreased drop dropped / turun menurun penurunan merosot
highest record peak / tertinggi rekor puncak
lowest / terendah
large largest big biggest / besar terbesar
small smallest / kecil terkecil
first / pertama
second / kedua
third / ketiga
half / separuh setengah
report reported reports / laporan melaporkan dilaporkan
documented recorded registered / mencatat tercatat dicatat terdaftar
organisation organization group / organisasi lembaga kelompok
said says say stated / mengatakan kata menyatakan ujar
according / menurut
estimate estimated estimates / memperkirakan diperkirakan perkiraan estimasi
data figures statistics / data angka statistik
survey poll / survei jajak
economy economic / ekonomi perekonomian
inflation / inflasi
interest / bunga
rate rates / suku tingkat laju
bank / bank
central / sentral pusat
export exports / ekspor
import imports / impor
investment investors / investasi investor
budget / anggaran
deficit / defisit
debt / utang
price prices / harga
oil fuel / minyak bbm
rice / beras padi
food / pangan makanan
farmer farmers / petani
harvest / panen
worker workers employees labour / pekerja buruh karyawan tenaga
job jobs unemployment unemployed / pekerjaan pengangguran menganggur lapangan
wage wages salary / upah gaji
minimum / minimum minimal
poverty poor / kemiskinan miskin
quarter / kuartal triwulan
gdp / pdb
tax taxes / pajak
revenue income / pendapatan penerimaan
spending / belanja pengeluaran
election elections / pemilu pemilihan pilkada
vote votes voted voting / suara memilih pemungutan
voter voters electorate / pemilih
turnout / partisipasi
candidate candidates / kandidat calon
seat seats / kursi
parliament house legislature / parlemen dpr legislatif
party parties / partai
won win winner / menang memenangkan pemenang
count counted counting / hitung penghitungan perhitungan
polling / tps
ballot ballots / surat
health / kesehatan
hospital hospitals / sakit
patient patients / pasien
doctor doctors / dokter
nurse nurses / perawat
case cases / kasus
infection infections infected / infeksi terinfeksi tertular
vaccine vaccines vaccinated vaccination dose doses / vaksin vaksinasi divaksin dosis
outbreak epidemic / wabah epidemi
recovered / sembuh pulih
child children / anak
mother mothers / ibu
school schools / sekolah
student students pupils / siswa murid mahasiswa pelajar
teacher teachers / guru
earthquake quake / gempa
magnitude / magnitudo
tsunami / tsunami
flood floods flooding / banjir
landslide landslides / longsor
eruption erupted volcano / erupsi letusan meletus gunung
fire fires / kebakaran api
damaged destroyed / rusak hancur
rain rainfall / hujan
hectare hectares / hektare hektar
water / air
aid assistance / bantuan
cost costs / biaya
fund funds funding / dana pendanaan
money / uang
dollar dollars / dolar
billion / miliar
million / juta
trillion / triliun
thousand thousands / ribu ribuan
un / pbb
us american / as amerika
uk britain british / inggris
eu european / uni eropa
iraq iraqi / irak
syria syrian / suriah
russia russian / rusia
indonesia indonesian / indonesia
jakarta / jakarta
"""


def _glossary() -> tuple[dict[str, int], dict[str, int]]:
    english: dict[str, int] = {}
    indonesian: dict[str, int] = {}
    for concept, line in enumerate(filter(None, GLOSSARY.strip().splitlines())):
        words_en, _, words_id = line.partition("/")
        english.update(dict.fromkeys(words_en.split(), concept))
        indonesian.update(dict.fromkeys(words_id.split(), concept))
    return english, indonesian


CONCEPTS = dict(zip(("en", "id"), _glossary(), strict=True))
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
INDONESIAN_SUFFIXES = ("nya", "lah", "kah")


@dataclass
class Document:
    language: str
    text: str
    figures: list[Figure]

    def __post_init__(self) -> None:
        self.sentences: list[tuple[int, int]] = []
        start = 0
        for match in SENTENCE_END.finditer(self.text):
            if self.text[start : match.start()].strip():
                self.sentences.append((start, match.start()))
            start = match.end()
        if self.text[start:].strip():
            self.sentences.append((start, len(self.text)))
        pieces, position = [], 0
        for figure in self.figures:
            pieces += [self.text[position : figure.start], " " * (figure.end - figure.start)]
            position = figure.end
        self.prose = "".join(pieces) + self.text[position:]
        starts = [start for start, _ in self.sentences]
        self.figure_sentence = [max(0, _bisect(starts, figure.start)) for figure in self.figures]

    def sentence_text(self, index: int) -> str:
        start, end = self.sentences[index]
        return self.text[start:end]

    def words(self, index: int) -> list[str]:
        """The sentence's words, leaving out those of its figures ("years", "more than"): figures are compared apart."""
        start, end = self.sentences[index]
        return [word.lower() for word in WORD.findall(self.prose, start, end)]


def _bisect(starts: list[int], position: int) -> int:
    low, high = 0, len(starts)
    while low < high:
        middle = (low + high) // 2
        if starts[middle] <= position:
            low = middle + 1
        else:
            high = middle
    return low - 1


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
    table = CONCEPTS[language]
    candidates = [word]
    if language == "en":
        candidates += [word.removesuffix("'s").removesuffix("’s"), word.removesuffix("s")]
    else:
        candidates += [word.removesuffix(suffix) for suffix in INDONESIAN_SUFFIXES]
    if word in shared:  # a name, or a word both texts borrow
        return f"={word}"
    for candidate in candidates:
        if candidate in table:
            return table[candidate]
    return None


def sentence_likeness(en: Document, id_: Document) -> list[list[float]]:
    """likeness[e][i] in [0, 1] for every English sentence e and Indonesian sentence i."""
    words = {doc.language: [doc.words(i) for i in range(len(doc.sentences))] for doc in (en, id_)}
    vocabulary = {language: {w for sentence in lists for w in sentence} for language, lists in words.items()}
    shared = {w for w in vocabulary["en"] & vocabulary["id"] if len(w) > 2}
    values = {doc.language: {_value_concept(f) for f in doc.figures} for doc in (en, id_)}
    common_values = values["en"] & values["id"]
    bags: dict[str, list[set[object]]] = {}
    for doc in (en, id_):
        bags[doc.language] = [
            {c for w in sentence if (c := _concept(w, doc.language, shared)) is not None}
            for sentence in words[doc.language]
        ]
        for figure, sentence in zip(doc.figures, doc.figure_sentence, strict=True):
            if (concept := _value_concept(figure)) in common_values:
                bags[doc.language][sentence].add(concept)
    frequency = Counter(c for bag in bags["en"] + bags["id"] for c in bag)
    total = len(bags["en"]) + len(bags["id"])
    weight = {c: math.log((total + 1) / count) for c, count in frequency.items()}
    sizes = {lang: [sum(weight[c] for c in bag) for bag in bag_list] for lang, bag_list in bags.items()}
    return [
        [
            sum(weight[c] for c in bag_en & bag_id) / math.sqrt(size_en * size_id) if size_en and size_id else 0.0
            for bag_id, size_id in zip(bags["id"], sizes["id"], strict=True)
        ]
        for bag_en, size_en in zip(bags["en"], sizes["en"], strict=True)
    ]


def _value_concept(figure: Figure) -> object:
    return ("#", figure.key[:2])


QUANTITIES = frozenset({"count", "money", "percent", "percentage_point"})
ANCHORS = frozenset({"year", "date"})
UNIT_NAMES: dict[FigureUnit, str] = {"percentage_point": "percentage points", "count": "a count", "money": "money"}
PER_LARGER_PERIOD = {("year", "month"): 12, ("week", "day"): 7, ("year", "week"): 52}
# Context needed before two figures are paired: a small number or a year in
# an unrelated sentence is a coincidence, a differing value even more so.
MATCH_FLOOR = 0.08
DIFFERS_FLOOR = 0.2
RELATIVE_FLOOR = 0.8


def relation(a: Figure, b: Figure) -> tuple[Status, str | None] | None:
    """How two figures relate, if they could be the same figure at all."""
    if a.unit in ANCHORS and b.unit in ANCHORS:
        return _dates(a, b)
    if a.unit in ANCHORS or b.unit in ANCHORS:
        return None
    if a.unit == "duration" or b.unit == "duration":
        return _durations(a, b) if a.unit == b.unit else None
    if a.unit != b.unit or a.currency != b.currency:
        if a.value != b.value and not (a.unit == b.unit == "money"):
            return None
        if a.unit == b.unit:
            return "differs", f"currency: {a.currency} vs {b.currency}"
        if {a.unit, b.unit} <= QUANTITIES:
            return "differs", f"unit: {_unit_name(a)} vs {_unit_name(b)}"
        return None
    synonyms = a.qualifier == b.qualifier or {a.qualifier, b.qualifier} == {"more_than", "just_over"}
    if a.value == b.value:
        if a.qualifier == b.qualifier:
            return "match", None
        return ("match" if synonyms else "differs"), f"qualifier: {_qualifier(a)} vs {_qualifier(b)}"
    coarse, fine = sorted((a, b), key=lambda figure: figure.resolution or 0, reverse=True)
    if _rounds_to(fine, coarse) and (synonyms or (coarse.qualifier == "about" and fine.qualifier == "exact")):
        return "match", f"rounded: {_shown(coarse)} ≈ {_shown(fine)}"
    return "differs", None


def _rounds_to(fine: Figure, coarse: Figure) -> bool:
    step = coarse.resolution
    if step is None or fine.resolution is None or step <= fine.resolution:
        return False
    assert isinstance(fine.value, Decimal) and isinstance(coarse.value, Decimal)
    return abs(fine.value - coarse.value) * 2 <= step


def _dates(a: Figure, b: Figure) -> tuple[Status, str | None]:
    first, second = _as_date(a), _as_date(b)
    if (first, a.part) == (second, b.part):
        return "match", None
    if a.part == b.part and (_within(first, second) or _within(second, first)):
        return "match", f"less precise: {first} vs {second}"
    return "differs", None


def _as_date(figure: Figure) -> PartialDate:
    return figure.value if isinstance(figure.value, PartialDate) else PartialDate(int(figure.value))


def _within(inner: PartialDate, outer: PartialDate) -> bool:
    """2017-07 lies within 2017; 2017-07-03 within 2017-07."""
    if outer.month is None:
        return inner.year == outer.year and inner != outer
    return outer.day is None and (inner.year, inner.month) == (outer.year, outer.month) and inner != outer


def _durations(a: Figure, b: Figure) -> tuple[Status, str | None]:
    if a.key == b.key:
        return "match", None
    for (larger, smaller), factor in PER_LARGER_PERIOD.items():
        for big, small in ((a, b), (b, a)):
            if (big.period, small.period) == (larger, smaller) and big.qualifier == small.qualifier:
                assert isinstance(big.value, Decimal) and isinstance(small.value, Decimal)
                if big.value * factor == small.value:
                    return "match", f"converted: {_shown(big)} = {_shown(small)}"
    return "differs", None


def _unit_name(figure: Figure) -> str:
    return UNIT_NAMES.get(figure.unit, figure.unit)


def _qualifier(figure: Figure) -> str:
    return figure.qualifier.replace("_", " ")


def _shown(figure: Figure) -> str:
    return " ".join(figure.text.split())


def _distinctive(figure: Figure) -> bool:
    """A value unlikely to recur by chance: three significant digits, or a month and year."""
    if isinstance(figure.value, PartialDate):
        return figure.value.month is not None
    digits = figure.value.normalize().as_tuple().digits
    return figure.unit in QUANTITIES and len(digits) >= 3


def _closeness(a: Figure, b: Figure) -> float:
    """1 for equal values, falling to 0 at a factor of ten apart."""
    if not (isinstance(a.value, Decimal) and isinstance(b.value, Decimal)) or a.value <= 0 or b.value <= 0:
        return 0.0
    return max(0.0, 1.0 - abs(math.log10(float(a.value) / float(b.value))))


def _score(status: Status, note: str | None, a: Figure, b: Figure, likeness: float, relative: float) -> float | None:
    """How sure the pair is, or None when it should not be made at all.

    `likeness` is how alike the two sentences are; `relative` compares it with
    the best partner either sentence has, so that a translation pair of
    sentences beats a merely related one.
    """
    context = likeness / 2 + relative
    if a.year is not None and b.year is not None:
        context += 0.1 if a.year == b.year else -0.1
    if status == "match":
        if note is None and likeness < MATCH_FLOOR and not (_distinctive(a) and _distinctive(b)):
            return None
        if note is not None and (likeness < DIFFERS_FLOOR or relative < RELATIVE_FLOOR):
            return None  # an equivalent form is a weaker claim than an equal one
        return (3.0 if note is None else 2.8) + context
    if likeness < DIFFERS_FLOOR or relative < RELATIVE_FLOOR:
        return None
    return context + 0.15 * _closeness(a, b) + (0.1 if a.qualifier == b.qualifier else 0.0)


def align(en: Document, id_: Document) -> Alignment:
    likeness = sentence_likeness(en, id_)
    best_en = [max(row, default=0.0) for row in likeness]
    best_id = [max(column, default=0.0) for column in zip(*likeness, strict=True)] if likeness else []
    candidates = []
    for e, a in enumerate(en.figures):
        s_en = en.figure_sentence[e]
        for i, b in enumerate(id_.figures):
            found = relation(a, b)
            if found is None:
                continue
            s_id = id_.figure_sentence[i]
            alike = likeness[s_en][s_id]
            best = max(best_en[s_en], best_id[s_id])
            score = _score(*found, a, b, alike, alike / best if best else 0.0)
            if score is not None:
                candidates.append((score, e, i, found))
    candidates.sort(key=lambda candidate: (-candidate[0], candidate[1], candidate[2]))
    pairs: list[Pair] = []
    taken_en: set[int] = set()
    taken_id: set[int] = set()
    for _, e, i, (status, note) in candidates:
        if e not in taken_en and i not in taken_id:
            taken_en.add(e)
            taken_id.add(i)
            pairs.append(Pair(e, i, status, note))
    pairs.sort(key=lambda pair: (pair.en, pair.id))
    only_en = [e for e in range(len(en.figures)) if e not in taken_en]
    only_id = [i for i in range(len(id_.figures)) if i not in taken_id]
    return Alignment(pairs, only_en, only_id)
