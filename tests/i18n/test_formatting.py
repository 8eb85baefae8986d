"""Figures in words and digits, British English beside Indonesian.

Each case builds a fact the way a fact file does (strict validation of the
same fields) and checks the exact text a reader sees in both languages.
"""

from __future__ import annotations

from typing import Any

import pytest
from babel import Locale
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from pipeline.facts.model import Display, Fact
from pipeline.i18n.formatting import FigureFormatter, FormatError

EN = FigureFormatter(Locale.parse("en_GB"))
ID = FigureFormatter(Locale.parse("id"))
FACT = TypeAdapter[Fact](Fact)
COMMON = {"source": "observatory", "as_of": "2018-03"}


def fact(**fields: Any) -> Fact:
    return FACT.validate_python({**COMMON, **fields})


def both(subject: Fact, period: str | None = None) -> tuple[str, str]:
    return EN.fact(subject, period), ID.fact(subject, period)


def digits(text: str) -> str:
    return "".join(character for character in text if character.isdigit())


@pytest.mark.parametrize(
    ("fields", "english", "indonesian"),
    [
        pytest.param({"kind": "count", "value": 364792}, "364,792", "364.792", id="count-full"),
        pytest.param({"kind": "count", "value": 7}, "7", "7", id="count-small"),
        pytest.param(
            {"kind": "count", "value": 5600000, "display": {"style": "compact", "decimals": 1}},
            "5.6 million",
            "5,6 juta",
            id="count-compact",
        ),
        pytest.param({"kind": "count", "value": 2, "display": {"style": "words"}}, "two", "dua", id="count-words"),
        pytest.param(
            {"kind": "count", "value": 3250, "qualifier": "at_least"},
            "at least 3,250",
            "setidaknya 3.250",
            id="at-least",
        ),
        pytest.param({"kind": "percent", "value": 98}, "98%", "98%", id="percent"),
        pytest.param(
            {"kind": "percent", "value": 0.2, "display": {"decimals": 1}}, "0.2%", "0,2%", id="percent-decimal"
        ),
        pytest.param(
            {"kind": "money", "value": 1000000000, "currency": "USD", "display": {"style": "compact"}},
            "US$1 billion",
            "US$1 miliar",
            id="money-compact",
        ),
        pytest.param(
            {"kind": "money", "value": 1500000, "currency": "USD"},
            "US$1,500,000",
            "US$1.500.000",
            id="money-full",
        ),
        pytest.param(
            {"kind": "money", "value": 1500000, "currency": "EUR", "display": {"style": "compact", "decimals": 1}},
            "€1.5 million",
            "€1,5 juta",
            id="money-euro",
        ),
        pytest.param({"kind": "date", "value": "2014"}, "2014", "2014", id="year"),
        pytest.param({"kind": "date", "value": "2015-12"}, "December 2015", "Desember 2015", id="month"),
        pytest.param({"kind": "date", "value": "2018-03-29"}, "29 March 2018", "29 Maret 2018", id="day"),
        pytest.param(
            {"kind": "date", "value": "2018-02", "part": "end"},
            "end of February 2018",
            "akhir Februari 2018",
            id="end-of-month",
        ),
        pytest.param(
            {"kind": "date", "value": "2017-06", "part": "early"}, "early June 2017", "awal Juni 2017", id="early"
        ),
        pytest.param(
            {"kind": "date", "value": "2017-06", "part": "mid"}, "mid-June 2017", "pertengahan Juni 2017", id="mid"
        ),
        pytest.param(
            {"kind": "duration", "value": 4, "unit": "year", "qualifier": "almost", "display": {"style": "words"}},
            "almost four years",
            "hampir empat tahun",
            id="duration-words",
        ),
        pytest.param({"kind": "duration", "value": 10, "unit": "month"}, "10 months", "10 bulan", id="duration-digits"),
        pytest.param({"kind": "duration", "value": 1, "unit": "day"}, "1 day", "1 hari", id="duration-singular"),
        pytest.param(
            {"kind": "duration", "value": 1, "unit": "week", "display": {"style": "words"}},
            "one week",
            "satu minggu",
            id="duration-week",
        ),
        pytest.param({"kind": "rank", "value": 2}, "second", "kedua", id="rank-words"),
        pytest.param({"kind": "rank", "value": 2, "display": {"style": "digits"}}, "2nd", "ke-2", id="rank-digits"),
        pytest.param({"kind": "rank", "value": 13, "display": {"style": "digits"}}, "13th", "ke-13", id="rank-teen"),
        pytest.param({"kind": "rank", "value": 23, "display": {"style": "digits"}}, "23rd", "ke-23", id="rank-23"),
        pytest.param(
            {"kind": "countries", "value": ["AU", "BE", "FR"]},
            "Australia, Belgium and France",
            "Australia, Belgia, dan Prancis",
            id="countries",
        ),
        pytest.param(
            {"kind": "countries", "value": ["AU", "BE"]},
            "Australia and Belgium",
            "Australia dan Belgia",
            id="two-countries",
        ),
        pytest.param({"kind": "countries", "value": ["FR"]}, "France", "Prancis", id="one-country"),
    ],
)
def test_a_fact_reads_naturally_in_both_languages(fields: dict[str, Any], english: str, indonesian: str) -> None:
    assert both(fact(**fields)) == (english, indonesian)


@pytest.mark.parametrize(
    ("qualifier", "english", "indonesian"),
    [
        ("exact", "3,250", "3.250"),
        ("about", "about 3,250", "sekitar 3.250"),
        ("at_least", "at least 3,250", "setidaknya 3.250"),
        ("more_than", "more than 3,250", "lebih dari 3.250"),
        ("almost", "almost 3,250", "hampir 3.250"),
        ("up_to", "up to 3,250", "hingga 3.250"),
        ("just_over", "just over 3,250", "sedikit di atas 3.250"),
    ],
)
def test_every_qualifier_stands_in_front_of_the_number(qualifier: str, english: str, indonesian: str) -> None:
    assert both(fact(kind="count", value=3250, qualifier=qualifier)) == (english, indonesian)


# Series ---------------------------------------------------------------------

DEATHS_BY_YEAR = {
    "kind": "series",
    "unit": "count",
    "qualifier": "about",
    "points": [{"period": "2014", "value": 1200}, {"period": "2015", "value": 3400}],
}


def test_a_series_point_is_cited_by_its_period() -> None:
    series = fact(**DEATHS_BY_YEAR)
    assert both(series, "2014") == ("about 1,200", "sekitar 1.200")
    assert both(series, "2015") == ("about 3,400", "sekitar 3.400")


def test_a_percent_series_point_takes_the_series_display() -> None:
    series = fact(
        kind="series",
        unit="percent",
        display={"decimals": 1},
        points=[{"period": "2014-06", "value": 12.5}, {"period": "2014-07", "value": 13}],
    )
    assert both(series, "2014-06") == ("12.5%", "12,5%")
    assert both(series, "2014-07") == ("13.0%", "13,0%")


@pytest.mark.parametrize("formatter", [EN, ID], ids=["en", "id"])
def test_an_unknown_period_names_the_periods_the_series_has(formatter: FigureFormatter) -> None:
    with pytest.raises(FormatError) as caught:
        formatter.fact(fact(**DEATHS_BY_YEAR), "2016")
    assert str(caught.value) == "the series has no period '2016' (it has 2014, 2015)"


def test_a_series_needs_a_period_and_nothing_else_takes_one() -> None:
    with pytest.raises(FormatError) as caught:
        EN.fact(fact(**DEATHS_BY_YEAR))
    assert str(caught.value) == "a series is cited one point at a time: give the period"
    with pytest.raises(FormatError) as caught:
        EN.fact(fact(kind="count", value=3250), "2014")
    assert str(caught.value) == "only a series fact takes a period"


# Precision belongs to the fact -----------------------------------------------


@pytest.mark.parametrize(
    ("fields", "without_decimals", "with_one_decimal"),
    [
        ({"kind": "percent", "value": 98.4}, ("98%", "98%"), ("98.4%", "98,4%")),
        (
            {"kind": "count", "value": 5649999, "display": {"style": "compact"}},
            ("6 million", "6 juta"),
            ("5.6 million", "5,6 juta"),
        ),
        (
            {"kind": "money", "value": 1500000000, "currency": "USD", "display": {"style": "compact"}},
            ("US$2 billion", "US$2 miliar"),
            ("US$1.5 billion", "US$1,5 miliar"),
        ),
        ({"kind": "money", "value": 12.5, "currency": "USD"}, ("US$12", "US$12"), ("US$12.5", "US$12,5")),
    ],
    ids=["percent", "compact-count", "compact-money", "money"],
)
def test_the_display_hint_decides_the_decimals_in_both_languages(
    fields: dict[str, Any], without_decimals: tuple[str, str], with_one_decimal: tuple[str, str]
) -> None:
    display = {"style": "full", **fields.get("display", {})}
    coarse = both(fact(**{**fields, "display": {**display, "decimals": 0}}))
    fine = both(fact(**{**fields, "display": {**display, "decimals": 1}}))
    assert (coarse, fine) == (without_decimals, with_one_decimal)
    assert digits(coarse[0]) == digits(coarse[1]) != digits(fine[0]) == digits(fine[1])


@pytest.mark.parametrize("value", [98, 98.0, 98.04])
def test_the_digits_typed_in_the_value_do_not_change_the_precision(value: float) -> None:
    assert both(fact(kind="percent", value=value)) == ("98%", "98%")
    assert both(fact(kind="percent", value=value, display={"decimals": 1})) == ("98.0%", "98,0%")


@settings(max_examples=200, deadline=None)
@given(
    value=st.integers(min_value=0, max_value=10**13),
    style=st.sampled_from(["full", "compact"]),
    decimals=st.sampled_from([None, 0, 1, 2, 3]),
)
def test_counts_and_money_carry_the_same_digits_in_both_languages(value: int, style: str, decimals: int | None) -> None:
    display = Display(style=style, decimals=decimals)  # type: ignore[arg-type]
    assert digits(EN.number(value, display)) == digits(ID.number(value, display))
    assert digits(EN.money(value, "USD", display)) == digits(ID.money(value, "USD", display))


@settings(max_examples=200, deadline=None)
@given(
    value=st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False),
    decimals=st.sampled_from([None, 0, 1, 2, 3]),
)
def test_percentages_carry_the_same_digits_in_both_languages(value: Any, decimals: int | None) -> None:
    display = Display(decimals=decimals)
    assert digits(EN.percent(float(value), display)) == digits(ID.percent(float(value), display))
