"""Tests for the figure alignment of `pipeline audit`: each error class of issue #14 as a
general rule on an invented example, the facts and stretches the report reads, and the
band that keeps the sentence alignment linear."""

from __future__ import annotations

from pipeline.audit.align import Alignment, Document, align, relation
from pipeline.reading.extract import extract_figures


def documents(english: str, indonesian: str) -> tuple[Document, Document]:
    return Document("en", english, extract_figures(english, "en")), Document(
        "id", indonesian, extract_figures(indonesian, "id")
    )


def aligned(english: str, indonesian: str) -> tuple[Document, Document, Alignment]:
    en, id_ = documents(english, indonesian)
    return en, id_, align(en, id_)


def shown(en: Document, id_: Document, result: Alignment) -> list[tuple[str, str, str, str | None]]:
    return [(en.figures[p.en].text, id_.figures[p.id].text, p.status, p.note) for p in result.pairs]


def facts(en: Document, id_: Document, result: Alignment) -> list[tuple[str, list[str], list[str]]]:
    return [
        (fact.status, [en.figures[f].text for f in fact.en], [id_.figures[f].text for f in fact.id])
        for fact in result.facts
    ]


def test_a_date_that_only_labels_a_period_is_a_label_not_a_finding() -> None:
    en, id_, result = aligned(
        "Annual inflation (June 2023 compared to June 2022) was 3.5 percent.", "Inflasi tahunan mencapai 3,5 persen."
    )
    assert result.only_en == [] and result.only_id == []
    assert facts(en, id_, result) == [
        ("label", ["June 2023"], []),
        ("label", ["June 2022"], []),
        ("match", ["3.5 percent"], ["3,5 persen"]),
    ]
    # A date the other text states too is no label: the dates then differ.
    en, id_, result = aligned(
        "Annual inflation in June 2023 was 3.5 percent.", "Inflasi tahunan Juli 2023 mencapai 3,5 persen."
    )
    assert ("June 2023", "Juli 2023", "differs", None) in shown(en, id_, result)


def test_a_figure_repeated_in_a_headline_is_one_fact_with_its_matched_mention() -> None:
    en, id_, result = aligned(
        "Rice Prices Jump 12.5 Percent\n\nRice prices in Jakarta rose 12.5 percent in March, traders said.",
        "Harga beras di Jakarta naik 12,5 persen pada Maret, kata pedagang.",
    )
    assert result.only_en == []
    assert facts(en, id_, result) == [("match", ["12.5 Percent", "12.5 percent"], ["12,5 persen"])]


def test_an_equal_value_with_a_qualifier_on_one_side_pairs_within_the_aligned_neighbourhood() -> None:
    en, id_, result = aligned(
        "Core inflation in the province clocked up to 0.66% as prices of rice, fuel, food and housing rose, "
        "officials said on Monday, citing the central bank.",
        "Angkanya mencapai 0,66%.",
    )
    assert ("up to 0.66%", "0,66%", "differs", "qualifier: up to vs exact") in shown(en, id_, result)
    assert result.only_en == [] and result.only_id == []


def test_rounding_is_accepted_between_sentences_the_alignment_paired() -> None:
    # The middle sentences share no glossary word, name or figure (likeness 0): only their place between
    # two sentences that do translate each other pairs them.  Rounding between them is one figure.
    en, id_, result = aligned(
        "Floods hit Bekasi and Karawang on Monday. In all, 1.25 million newcomers signed up at the office. "
        "Bekasi mayor Tri Adhianto said the water receded on Tuesday.",
        "Banjir melanda Bekasi dan Karawang pada Senin. Sebanyak 1.248.317 pendatang baru mendaftar di kantor itu. "
        "Wali Kota Bekasi Tri Adhianto mengatakan air surut pada Selasa.",
    )
    assert shown(en, id_, result) == [("1.25 million", "1.248.317", "match", "rounded: 1.25 million ≈ 1.248.317")]


def test_neighbouring_figures_of_different_things_are_no_difference() -> None:
    # Independent reports: the second sentences sit side by side, share only a reporting verb, and count
    # different things (aftershocks, houses).  The first sentences translate each other: their figures
    # differ.
    en, id_, result = aligned(
        "A magnitude 5.6 earthquake killed 14 people in Cianjur on Monday. "
        "The agency recorded 6 aftershocks in the following hours.",
        "Gempa magnitudo 5,6 menewaskan 41 orang di Cianjur pada Senin. BPBD mencatat 9 rumah rusak berat.",
    )
    assert facts(en, id_, result) == [
        ("match", ["5.6"], ["5,6"]),
        ("differs", ["14"], ["41"]),
        ("only_en", ["6"], []),
        ("only_id", [], ["9"]),
    ]


def test_a_figure_tied_to_another_period_is_no_difference() -> None:
    # "1,26 persen" is January-June 2024's inflation; the English forecasts the year's end, states no period.
    en, id_, result = aligned(
        "Annual inflation eased to 2.51 percent in June. Economists expect inflation to end the year at around "
        "2.9 percent.",
        "Inflasi tahunan Juni tercatat 2,51 persen. Inflasi tahun kalender Januari-Juni 2024 sebesar 1,26 persen.",
    )
    statuses = {(status, *english, *indonesian) for status, english, indonesian in facts(en, id_, result)}
    assert ("only_en", "around 2.9 percent") in statuses and ("only_id", "1,26 persen") in statuses


def test_infobox_lines_under_different_labels_pair_by_what_they_measure() -> None:
    # The measure is named by the header the line is indented under (Area / Luas, Population / Populasi)
    # or the label before the value (Elevation / Ketinggian, HDI / IPM).
    en, id_, result = aligned(
        "City of Example\nArea\n • City 210.44 km2\nPopulation (2022)\n • City 1,402,118 (3rd)\n"
        "Elevation 24 m (79 ft)\nHDI (2022) 0.811 (very high)",
        "Kota Example\nLuas\n • Total 205,71 km2\nPopulasi (2022)\n • Total 1.398.560\n • Peringkat3\n"
        "Ketinggian 24 m\nIPM (2022) 80,95 (sangat tinggi)",
    )
    assert [(status, english, indonesian) for status, english, indonesian in facts(en, id_, result)] == [
        ("differs", ["210.44"], ["205,71"]),
        ("match", ["2022"], ["2022"]),
        ("differs", ["1,402,118"], ["1.398.560"]),
        ("match", ["3rd"], ["3"]),
        ("match", ["24"], ["24"]),
        ("only_en", ["79"], []),
        ("match", ["2022"], ["2022"]),
        ("differs", ["0.811"], ["80,95"]),
    ]


def test_a_slip_of_the_pen_outweighs_a_merely_close_value() -> None:
    en, id_, result = aligned(
        "The agency counted 24,318 damaged houses and 23,500 displaced residents.",
        "Badan itu mencatat 23.318 rumah rusak.",
    )
    assert shown(en, id_, result) == [("24,318", "23.318", "differs", None)]
    assert [en.figures[e].text for e in result.only_en] == ["23,500"]


def test_an_index_as_a_fraction_matches_it_per_hundred() -> None:
    [fraction] = extract_figures("0.812", "en")
    [hundred] = extract_figures("81,2", "id")
    assert relation(fraction, hundred) == ("match", "scale: 0.812 = 81.2/100")
    en, id_, result = aligned(
        "The human development index of the province rose to 0.812 in 2023.",
        "Indeks pembangunan manusia provinsi itu naik menjadi 81,2 pada 2023.",
    )
    assert shown(en, id_, result)[0] == ("0.812", "81,2", "match", "scale: 0.812 = 81.2/100")


UNTRANSLATED = [
    "Floods killed 12 people in Bekasi on Monday.",
    "The central bank kept its rate at 6.25 percent.",
    "Rice prices rose 3.1 percent in March.",
    "Exports of nickel reached 4,120 tonnes.",
    "The governor opened 37 new schools.",
]
TRANSLATION = [
    "Banjir menewaskan 12 orang di Bekasi pada Senin.",
    "Bank sentral menahan suku bunga di 6,25 persen.",
]


def test_an_untranslated_paragraph_is_one_stretch_whose_figures_stay_one_sided() -> None:
    en, _, result = aligned(" ".join(UNTRANSLATED), " ".join(TRANSLATION))
    [stretch] = result.stretches
    assert (stretch.language, stretch.sentences) == ("en", (2, 4))
    assert [en.figures[f].text for f in stretch.figures] == ["3.1 percent", "4,120", "37"]
    assert result.only_en == list(stretch.figures)
    assert [fact.status for fact in result.facts] == ["match", "match", "only_en", "only_en", "only_en"]
    assert result.sentence_pairs == [(0, 0), (1, 1), (2, None), (3, None), (4, None)]


def test_every_figure_is_in_exactly_one_fact() -> None:
    en, id_, result = aligned(
        " ".join(UNTRANSLATED) + " Rice prices rose 3.1 percent.", "Harga beras naik 3,1 persen. " + TRANSLATION[0]
    )
    en_seen = sorted(f for fact in result.facts for f in fact.en)
    id_seen = sorted(f for fact in result.facts for f in fact.id)
    assert en_seen == list(range(len(en.figures))) and id_seen == list(range(len(id_.figures)))


def test_the_sentence_alignment_looks_at_a_band_not_at_every_pair(monkeypatch: object) -> None:
    from pipeline.audit import likeness

    calls = []
    original = likeness.Likeness.runs

    def counted(self: likeness.Likeness, en: object, id_: object) -> float:
        calls.append(1)
        return original(self, en, id_)  # type: ignore[arg-type]

    monkeypatch.setattr(likeness.Likeness, "runs", counted)  # type: ignore[attr-defined]
    english = " ".join(f"Floods killed {n} people in district {n}." for n in range(1000, 1400))
    indonesian = " ".join(f"Banjir menewaskan {n} orang di distrik {n}." for n in range(1000, 1400))
    *_, result = aligned(english, indonesian)
    assert len(result.pairs) == 800 and all(pair.status == "match" for pair in result.pairs)
    assert len(calls) < 400 * 100  # an all-by-all matrix would be 160,000
