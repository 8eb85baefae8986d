"""Figures in published text the pipeline did not write (issue #14).

Every sentence here is invented for the test; each names the shape that real
copy has and that was misread: infobox rows glued to their label, slashed
dates, coordinates and codes, ranges that write their unit once, percentage
points, decades, month ranges, numbered laws, line ends and threshold verbs.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.facts.model import PartialDate
from pipeline.reading.extract import extract_figures
from pipeline.reading.figure import Figure


def read(text: str, language: str) -> list[tuple[object, ...]]:
    figures = extract_figures(text, language)
    for figure in figures:
        assert figure.text == text[figure.start : figure.end]
    return [_short(figure) for figure in figures]


def _short(figure: Figure) -> tuple[object, ...]:
    """Unit, value, and whatever else the key says that is not its default."""
    value = str(figure.value) if isinstance(figure.value, PartialDate) else Decimal(figure.value).normalize()
    extras = (figure.qualifier if figure.qualifier != "exact" else None, figure.currency, figure.part, figure.period)
    return (figure.unit, value if isinstance(value, str) else f"{value:f}", *(e for e in extras if e))


# 1. Infobox rows glued to their label -------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "Established1642\nCountry Elbonia", [("year", "1642")]),
        ("en", "Residents\n • Total3,456,789 (5th)", [("count", "3456789"), ("ordinal", "5")]),
        ("en", "Inhabitants4,567,890\n", [("count", "4567890")]),
        ("en", "Surface2,345.6 km2 (905.6 sq mi)", [("count", "2345.6"), ("count", "905.6")]),
        ("id", "Luas\n • Total2.345,6 km2\n • Kecamatan27", [("count", "2345.6"), ("count", "27")]),
        ("en", "Chartered14 March 1702[3]", [("date", "1702-03-14")]),
        ("id", "IPM72,41 (2022)", [("count", "72.41"), ("year", "2022")]),
    ],
)
def test_infobox_label_glued_to_its_value_is_read_whole(language: str, text: str, expected: list[object]) -> None:
    assert read(text, language) == expected


def test_codes_glued_to_digits_stay_names() -> None:
    text = "MI6 and the G7 met over SARS-CoV-2; the A380, H7N9 and RM4.500 too.\nThe G7 summit\nCovid19 vaccines"
    assert read(text, "en") == []


# 2. Slashed dates ------------------------------------------------------------


def test_slashed_dates_read_their_year_and_the_day_when_it_is_certain() -> None:
    assert read("Rapat digelar Selasa (5/3/2024) dan 05/03/2024.", "id") == [
        ("date", "2024-03-05"),
        ("date", "2024-03-05"),
    ]
    assert read("The vote on 5/3/2024 was delayed.", "en") == [("year", "2024")]
    assert read("The vote on 28/11/2023 and on 11/28/2023.", "en") == [("date", "2023-11-28"), ("date", "2023-11-28")]
    assert read("Diperbarui 2023/11/28, bukan 31/2/2024.", "id") == [("date", "2023-11-28")]


# 3. Coordinates, postal codes and telephone codes ---------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The town lies at 7°48′S 110°22′E, near 3°35'N."),
        ("en", "Its coordinates: -7.8, 110.4 put it inland."),
        ("id", "Koordinat 7°48′LS 110°22′BT."),
        ("id", "Kode pos 55111 – 55295."),
        ("en", "Postal code 55111, dialling code (0274)."),
        ("id", "Hubungi (+62) 274 atau +62 274 512345, kode area 0274."),
        ("en", "Postcodes\n55111 – 55295\n"),
        ("en", "Time zone UTC+7"),
        ("en", "Coordinates: 07°14′45″S 112°44′16″E"),
        ("id", "Koordinat: 6°54′43″S 107°36′35″E"),
    ],
)
def test_codes_and_coordinates_are_no_figures(language: str, text: str) -> None:
    assert read(text, language) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("id", "Populasi\n • Total2.506.603\n • Peringkat4\n"),
        ("id", "Kota itu berada di peringkat 4 nasional."),
        ("id", "Kota itu menempati peringkat ke-4."),
        ("id", "Urutan: 4"),
        ("en", "The city ranked 4 nationally."),
        ("en", "It is rank 4 of 98 cities."),
        ("en", "Population 2,506,603 (4th)"),
    ],
)
def test_a_number_after_a_rank_word_is_an_ordinal(language: str, text: str) -> None:
    assert ("ordinal", "4") in read(text, language)
    assert ("count", "4") not in read(text, language)


def test_a_temperature_and_a_signed_change_stay_figures() -> None:
    assert read("It was 31°C and prices rose +4%.", "en") == [("count", "31"), ("percent", "4")]


# 4. Ranges that write their unit once ------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "Fares rose by 4-9 percent.", [("percent", "4"), ("percent", "9")]),
        ("en", "Fares rose 4–9%.", [("percent", "4"), ("percent", "9")]),
        ("id", "Tarif naik 4-9 persen.", [("percent", "4"), ("percent", "9")]),
        ("en", "It costs $2-4 billion.", [("money", "2000000000", "USD"), ("money", "4000000000", "USD")]),
        ("en", "Between 4 and 9 percent left.", [("percent", "4"), ("percent", "9")]),
        ("id", "Antara 4 hingga 9 persen pergi.", [("percent", "4"), ("percent", "9")]),
        ("en", "Some 7 to 8 million voted.", [("count", "7000000", "about"), ("count", "8000000")]),
        (
            "id",
            "Proyek itu butuh Rp 2-4 triliun.",
            [("money", "2000000000000", "IDR"), ("money", "4000000000000", "IDR")],
        ),
        ("en", "It lasts 2 to 3 weeks.", [("duration", "2", "week"), ("duration", "3", "week")]),
    ],
)
def test_a_range_lends_its_unit_to_the_lower_bound(language: str, text: str, expected: list[object]) -> None:
    assert read(text, language) == expected


def test_a_dash_between_clauses_or_words_is_no_range() -> None:
    assert read("They counted 12 - 15 percent of them.", "en") == [("count", "12"), ("percent", "15")]
    assert read("Of 4 and 9 percent.", "en") == [("count", "4"), ("percent", "9")]


# 5. Percentage points ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("id", "Suku bunga naik 0,5% poin."),
        ("id", "Suku bunga naik 0,5 persen poin."),
        ("en", "Rates rose 0.5 pp."),
        ("en", "Rates rose 0.5 ppt."),
        ("en", "Rates rose 0.5% points."),
    ],
)
def test_percentage_points_in_every_spelling(language: str, text: str) -> None:
    assert read(text, language) == [("percentage_point", "0.5")]


# 6. Decades ----------------------------------------------------------------------


def test_a_decade_has_one_key_in_both_languages() -> None:
    english = extract_figures("Growth slowed in the 1970s and will return in the 2050s.", "en")
    indonesian = extract_figures("Pertumbuhan melambat pada tahun 1970-an dan kembali pada 2050-an.", "id")
    assert [f.key for f in english] == [f.key for f in indonesian]
    assert [(f.unit, f.value) for f in english] == [("decade", Decimal(1970)), ("decade", Decimal(2050))]
    assert read("Pada akhir 1970-an.", "id") == [("decade", "1970")]


# 7. Month ranges -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("id", "Ekspor Februari-Mei 2022 naik."),
        ("en", "Exports in February–May 2022 rose."),
        ("en", "Exports in Feb-May 2022 rose."),
        ("id", "Ekspor Februari hingga Mei 2022 naik."),
    ],
)
def test_both_months_of_a_month_range_take_its_year(language: str, text: str) -> None:
    assert read(text, language) == [("date", "2022-02"), ("date", "2022-05")]


# 8. Numbered laws and regulations ------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("id", "Menurut UU No. 23 tahun 1997 itu."),
        ("id", "Menurut Undang-Undang Nomor 23 Tahun 1997 itu."),
        ("en", "Under Law No. 23 of 1997."),
        ("id", "Menurut Perpres 31/2019 dan PP No. 8/2020."),
        ("id", "Dasar hukumUU No. 23 tahun 1997"),
    ],
)
def test_a_law_number_is_no_figure(language: str, text: str) -> None:
    assert read(text, language) == []


# 9. No unit across a line ----------------------------------------------------------


def test_a_unit_word_never_follows_its_number_onto_a_new_line() -> None:
    assert read("The bridge opened in 2008\nWeeks later it closed.", "en") == [("year", "2008")]
    assert read("Jembatan dibuka pada 2008\nTahun berikutnya ditutup.", "id") == [("year", "2008")]
    assert read("It reached 4\nmillion riders.", "en") == [("count", "4000000")]


# 10. Threshold verbs -------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Visitors topped 80,000."),
        ("en", "Visitors surpassed 80,000."),
        ("en", "Visitors exceeded 80,000."),
        ("en", "Visitors passed 80,000."),
        ("id", "Pengunjung melampaui 80.000."),
        ("id", "Pengunjung melebihi 80.000."),
        ("id", "Pengunjung menembus 80.000."),
    ],
)
def test_a_threshold_verb_means_more_than(language: str, text: str) -> None:
    assert read(text, language) == [("count", "80000", "more_than")]


def test_passing_a_small_count_is_no_threshold() -> None:
    assert read("The council passed 14 bylaws.", "en") == [("count", "14")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Before its noun, where a noun phrase starts, "kedua" is "both": no rank.
        ("Setiap angka sama di kedua bahasa dan ada sumbernya.", []),
        ("Kedua tim bermain imbang di Jakarta.", []),
        ("Bantuan dikirim ke kedua provinsi itu.", []),
        # After its noun it is a rank, and "kedua kalinya" is "the second time".
        ("Mosul, kota terbesar kedua di Irak, direbut kembali.", ["kedua"]),
        ("Banjir datang untuk kedua kalinya.", ["kedua"]),
        ("Ekonomi tumbuh pada kuartal ketiga.", ["ketiga"]),
    ],
)
def test_an_indonesian_ordinal_before_its_noun_is_a_collective(text: str, expected: list[str]) -> None:
    assert [figure.text for figure in extract_figures(text, "id")] == expected
