"""How alike an English and an Indonesian sentence are, without a translation model.

Two sentences are alike when they share concepts, weighted by how rare each
concept is in the pair of texts.  Concepts are words of a small newsroom
glossary (killed / tewas), words written the same in both texts (names:
Mosul, SDF, Body Count) and figures with the same value in both texts.  Each
sentence is reduced to its bag of concepts once; comparing two sentences (or
two runs of sentences, for a bead of a sentence alignment) then costs a set
intersection, so an aligner can ask for only the comparisons it needs.

A line indented under another (an infobox's " • Total 3,009,286" under
"Population", a nested list item) also carries its header's concepts: the
header names what the line measures.  `Likeness.around` gives the concepts
right around one figure (its clause, four words either side, and its header),
which tell whether two differing figures measure the same thing.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.reading import SENTENCE_END, Figure

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
area / luas area wilayah; elevation altitude height / ketinggian elevasi; density / kepadatan
hdi / ipm; rank ranked ranking / peringkat urutan; average / rata; another other / lain lainnya
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
INDENT = re.compile(r"[\s•·▪*-]*")
# The words either side of a figure that say what it measures, within its clause.
AROUND = 4
CLAUSE = re.compile(r"[,;—–]|\s-\s")
# Words that say who counted, not what was counted ("recorded 6 aftershocks" / "mencatat 9 rumah"): no
# evidence that two figures measure one thing.
REPORTING = frozenset(CONCEPTS["en"][word] for word in ("said", "reported", "recorded", "according", "estimated"))


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
        pieces, position = [], 0
        for figure in self.figures:
            if figure.start >= position:
                pieces += [self.text[position : figure.start], " " * (figure.end - figure.start)]
                position = figure.end
        self.prose = "".join([*pieces, self.text[position:]])
        self.header = self._headers()

    def _headers(self) -> list[int | None]:
        """For each sentence, the line it is indented under, if any: an infobox's " • Total 3,009,286"
        under "Population", a nested list item under its parent.  The header names what the line measures."""
        found: list[int | None] = [None] * len(self.sentences)
        open_lines: list[tuple[int, int]] = []  # (indent, sentence) of the lines above, shallower each
        for index, (start, end) in enumerate(self.sentences):
            line_start = self.text.rfind("\n", 0, start) + 1
            if self.text[line_start:start].strip():
                continue  # not the first sentence of its line
            if "\n\n" in self.text[self.sentences[index - 1][1] if index else 0 : start]:
                open_lines = []  # a blank line ends the block
            indent = len(INDENT.match(self.text, line_start, end)[0])  # type: ignore[index]
            while open_lines and open_lines[-1][0] >= indent:
                open_lines.pop()
            found[index] = open_lines[-1][1] if open_lines else None
            open_lines.append((indent, index))
        return found

    def words(self, index: int) -> list[str]:
        start, end = self.sentences[index]
        return [word.lower() for word in WORD.findall(self.prose, start, end)]

    def sentence_figures(self) -> list[list[int]]:
        """The figure indices of each sentence, in text order."""
        found: list[list[int]] = [[] for _ in self.sentences]
        for figure, sentence in enumerate(self.figure_sentence):
            if self.sentences:
                found[sentence].append(figure)
        return found


def _concept(word: str, language: str, shared: set[str]) -> object | None:
    if word in shared:  # a name, or a word both texts borrow: its concept if either glossary has one
        found = CONCEPTS["en"].get(word, CONCEPTS["id"].get(word))
        return f"={word}" if found is None else found
    table = CONCEPTS[language]
    for candidate in (word, *(word.removesuffix(affix) for affix in AFFIXES[language])):
        if candidate in table:
            return table[candidate]
    return None


class Likeness:
    """The concept bags of both texts' sentences, and their likeness on demand."""

    def __init__(self, en: Document, id_: Document) -> None:
        documents = (en, id_)
        words = [[document.words(i) for i in range(len(document.sentences))] for document in documents]
        vocabularies = [{w for sentence in side for w in sentence} for side in words]
        shared = {w for w in vocabularies[0] & vocabularies[1] if len(w) > 2}
        values = [{("#", f.key[:2]) for f in document.figures} for document in documents]
        common_values = values[0] & values[1]
        names: dict[object, int] = {}  # concepts as small integers: cheaper to hash and intersect
        self._documents, self._shared, self._names = documents, shared, names
        self._headings: list[list[set[object]]] = []
        self.bags: tuple[list[frozenset[int]], list[frozenset[int]]] = ([], [])
        for document, sentences, bags in zip(documents, words, self.bags, strict=True):
            found: list[set[object]] = [
                {c for w in s if (c := _concept(w, document.language, shared)) is not None} for s in sentences
            ]
            for sentence, header in enumerate(document.header):  # a line says what its header names
                if header is not None:
                    found[sentence] |= found[header]
            self._headings.append([set() if h is None else found[h] for h in document.header])
            for figure, sentence in zip(document.figures, document.figure_sentence, strict=True):
                if ("#", figure.key[:2]) in common_values:
                    found[sentence].add(("#", figure.key[:2]))
            bags += [frozenset(names.setdefault(c, len(names)) for c in bag) for bag in found]
        frequency = Counter(c for side in self.bags for bag in side for c in bag)
        total = len(self.bags[0]) + len(self.bags[1]) + 1
        self.weight = [0.0] * len(names)
        for concept, count in frequency.items():
            self.weight[concept] = math.log(total / count)
        self.sizes = tuple([sum(self.weight[c] for c in bag) for bag in side] for side in self.bags)
        self._cache: dict[tuple[int, int], float] = {}

    def __call__(self, e: int, i: int) -> float:
        """How alike English sentence e and Indonesian sentence i are, in [0, 1]."""
        found = self._cache.get((e, i))
        if found is None:
            found = self._cache[e, i] = self.runs((e,), (i,))
        return found

    def runs(self, en: Sequence[int], id_: Sequence[int]) -> float:
        """How alike a run of English sentences is to a run of Indonesian ones, each read as one."""
        bag_en = self.bags[0][en[0]] if len(en) == 1 else frozenset().union(*(self.bags[0][e] for e in en))
        bag_id = self.bags[1][id_[0]] if len(id_) == 1 else frozenset().union(*(self.bags[1][i] for i in id_))
        if not bag_en or not bag_id:
            return 0.0
        size_en = self.sizes[0][en[0]] if len(en) == 1 else sum(self.weight[c] for c in bag_en)
        size_id = self.sizes[1][id_[0]] if len(id_) == 1 else sum(self.weight[c] for c in bag_id)
        if not size_en or not size_id:
            return 0.0
        return sum(self.weight[c] for c in bag_en & bag_id) / math.sqrt(size_en * size_id)

    def around(self, side: int, figure: int) -> frozenset[int]:
        """The concepts a figure stands among: the words of its clause up to AROUND either side (the noun
        it counts, its label) and its line's header.  Two figures of one measure share some."""
        document = self._documents[side]
        at, sentence = document.figures[figure], document.figure_sentence[figure]
        start, end = document.sentences[sentence]
        before = document.prose[start : max(start, at.start)]
        after = document.prose[min(at.end, end) : end]
        cut = [match.end() for match in CLAUSE.finditer(before)]
        before = before[cut[-1] :] if cut else before
        after = after[: next((match.start() for match in CLAUSE.finditer(after)), len(after))]
        words = [*WORD.findall(before)[-AROUND:], *WORD.findall(after)[:AROUND]]
        concepts = {_concept(word.lower(), document.language, self._shared) for word in words} - REPORTING
        concepts |= self._headings[side][sentence]
        return frozenset(self._names[c] for c in concepts if c in self._names)
