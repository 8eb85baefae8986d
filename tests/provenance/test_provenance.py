"""`pipeline facts` (what each fact says, where it comes from, who cites it) and fact staleness in `pipeline check`."""

from __future__ import annotations

import datetime
import json

import pytest

from pipeline.cli import main
from pipeline.facts.model import PartialDate
from pipeline.provenance.provenance import months_before, period_end
from tests.conftest import Project

# Added next to the minimal fixture's facts/story.yaml: a variant of `deaths`
# (same measure) and a series nobody cites.
ALTERNATIVES = """\
facts:
  deaths_alt:
    kind: count
    value: 3400
    source: observatory
    as_of: "2017-11"
    measure: toll
  monthly_deaths:
    kind: series
    unit: count
    qualifier: about
    points:
      - {period: "2017-09", value: 1200}
      - {period: "2017-10", value: 950}
    source: observatory
    as_of: "2017-11"
"""
# facts/story.yaml: the article ends on line 28; `deaths` is defined on line 6.
LIMIT = "  author: Test Desk\n  max_fact_age_months: 6"
STALE_DEATHS = (
    "facts/story.yaml:6: {severity}: article 'story' cites 'deaths' as of 2017-10, "
    "more than 6 months before 2018-05-01 (its max_fact_age_months) [check.stale]"
)
CHECK_PASSED = "1 articles in 2 languages: every figure comes from a fact and agrees across languages, HTML and PDF\n"


def with_variants(project: Project) -> Project:
    project.replace("facts/story.yaml", '    as_of: "2017-10"\n', '    as_of: "2017-10"\n    measure: toll\n')
    project.write("facts/alt.yaml", ALTERNATIVES)
    return project


# pipeline facts ---------------------------------------------------------------


def test_facts_lists_every_fact_with_both_renderings_source_and_citing_articles(minimal: Project) -> None:
    result = with_variants(minimal).run("facts")
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out.splitlines() == [
        "id              kind    en                                        id                                "
        "        qualifier  source               as of    measure  cited by",
        "--------------  ------  ----------------------------------------  ----------------------------------"
        "------  ---------  -------------------  -------  -------  -----------------------------",
        "deaths_alt      count   3,400                                     3.400                             "
        "        exact      Example Observatory  2017-11  toll     not cited (variant of deaths)",
        "monthly_deaths  series  2017-09: about 1,200; 2017-10: about 950  2017-09: sekitar 1.200; 2017-10: sekita…"
        "  about      Example Observatory  2017-11  -        not cited",
        "deaths          count   at least 3,250                            setidaknya 3.250                  "
        "        at_least   Example Observatory  2017-10  toll     story",
        "refugees        count   more than 5.6 million                     lebih dari 5,6 juta               "
        "        more_than  Example Observatory  2018-03  -        story",
        "retaken         date    December 2015                             Desember 2015                     "
        "        exact      Example Observatory  2018-03  -        story",
        "",
        "5 facts in 1 article: 3 cited, 2 not cited",
    ]


def test_facts_json_gives_tooling_every_field(minimal: Project) -> None:
    result = with_variants(minimal).run("facts", "--json")
    assert result.code == 0, result.err
    listing = json.loads(result.out)
    assert [fact["id"] for fact in listing["facts"]] == [
        "deaths_alt",
        "monthly_deaths",
        "deaths",
        "refugees",
        "retaken",
    ]
    by_id = {fact["id"]: fact for fact in listing["facts"]}
    assert by_id["deaths"] == {
        "id": "deaths",
        "kind": "count",
        "value": 3250,
        "qualifier": "at_least",
        "source": {"id": "observatory", "publisher": "Example Observatory", "url": "https://observatory.example.org/"},
        "as_of": "2017-10",
        "measure": "toll",
        "rendered": {"en": "at least 3,250", "id": "setidaknya 3.250"},
        "cited_by": ["story"],
        "defined_at": "facts/story.yaml:6",
    }
    assert by_id["monthly_deaths"]["value"] == [
        {"period": "2017-09", "value": 1200},
        {"period": "2017-10", "value": 950},
    ]
    assert by_id["monthly_deaths"]["rendered"] == {
        "en": "2017-09: about 1,200; 2017-10: about 950",
        "id": "2017-09: sekitar 1.200; 2017-10: sekitar 950",
    }
    assert by_id["monthly_deaths"]["cited_by"] == []
    assert by_id["retaken"]["value"] == "2015-12"
    assert by_id["retaken"]["defined_at"] == "facts/story.yaml:20"  # one line down: deaths gained a measure


def test_facts_reports_a_missing_template_as_the_build_does(minimal: Project) -> None:
    minimal.replace("facts/story.yaml", "articles/story.html", "articles/gone.html")
    result = minimal.run("facts")
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        "facts/story.yaml:24: error: article template 'articles/gone.html' not found in templates/ [article.template]\n"
    )


# Staleness --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "end"),
    [
        ("2018", datetime.date(2018, 12, 31)),
        ("2018-02", datetime.date(2018, 2, 28)),
        ("2016-02", datetime.date(2016, 2, 29)),
        ("2018-03-29", datetime.date(2018, 3, 29)),
    ],
)
def test_an_as_of_period_ends_on_its_last_day(as_of: str, end: datetime.date) -> None:
    pieces = [int(piece) for piece in as_of.split("-")]
    assert period_end(PartialDate(*pieces)) == end


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2018, 5, 1), 6, datetime.date(2017, 11, 1)),
        (datetime.date(2018, 5, 31), 3, datetime.date(2018, 2, 28)),
        (datetime.date(2018, 1, 15), 1, datetime.date(2017, 12, 15)),
        (datetime.date(2018, 1, 15), 24, datetime.date(2016, 1, 15)),
        (datetime.date(1, 3, 1), 12, datetime.date.min),
    ],
)
def test_months_before_keeps_the_day_or_the_months_last(
    day: datetime.date, months: int, expected: datetime.date
) -> None:
    assert months_before(day, months) == expected


def test_check_warns_about_a_cited_fact_older_than_the_article_allows(minimal: Project) -> None:
    minimal.replace("facts/story.yaml", "  author: Test Desk", LIMIT)
    assert minimal.build().code == 0
    result = minimal.run("check", "--today", "2018-05-01")
    assert result.code == 0
    assert result.err == STALE_DEATHS.format(severity="warning") + "\n"
    assert result.out == CHECK_PASSED


def test_a_fact_is_stale_only_once_its_whole_as_of_month_is_older_than_the_limit(minimal: Project) -> None:
    # deaths is as of October 2017, which ends on the 31st: six months later is 30 April 2018.
    minimal.replace("facts/story.yaml", "  author: Test Desk", LIMIT)
    assert minimal.build().code == 0
    result = minimal.run("check", "--today", "2018-04-30")
    assert (result.code, result.err, result.out) == (0, "", CHECK_PASSED)


def test_strict_check_fails_on_a_stale_fact(minimal: Project) -> None:
    minimal.replace("facts/story.yaml", "  author: Test Desk", LIMIT)
    assert minimal.build().code == 0
    result = minimal.run("check", "--today", "2018-05-01", "--strict")
    assert result.code == 1
    assert result.out == ""
    assert result.err == STALE_DEATHS.format(severity="error") + "\n"


def test_without_a_limit_no_fact_is_stale(minimal: Project) -> None:
    assert minimal.build().code == 0
    result = minimal.run("check", "--today", "2040-01-01", "--strict")
    assert (result.code, result.err, result.out) == (0, "", CHECK_PASSED)


def test_every_stale_fact_of_the_article_is_named(minimal: Project) -> None:
    minimal.replace("facts/story.yaml", "  author: Test Desk", "  author: Test Desk\n  max_fact_age_months: 1")
    assert minimal.build().code == 0
    result = minimal.run("check", "--today", "2018-06-01")
    assert result.code == 0
    assert result.err.splitlines() == [
        f"facts/story.yaml:{line}: warning: article 'story' cites '{fact}' as of {as_of}, "
        "more than 1 month before 2018-06-01 (its max_fact_age_months) [check.stale]"
        for fact, as_of, line in (("deaths", "2017-10", 6), ("refugees", "2018-03", 12), ("retaken", "2018-03", 19))
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"6"', "Input should be a valid integer, not '6'"),
        ("0", "Input should be greater than or equal to 1, not 0"),
        ("6.5", "Input should be a valid integer, not 6.5"),
    ],
)
def test_the_age_limit_is_a_whole_number_of_months(minimal: Project, written: str, message: str) -> None:
    minimal.replace("facts/story.yaml", "  author: Test Desk", f"  author: Test Desk\n  max_fact_age_months: {written}")
    result = minimal.run("facts")
    assert result.code == 2
    assert result.err == f"facts/story.yaml:29: error: article.max_fact_age_months: {message} [facts.invalid]\n"


@pytest.mark.parametrize("written", ["20180501", "2018-5-1", "2018-02-30", "yesterday"])
def test_today_takes_a_calendar_date(minimal: Project, written: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--project", str(minimal.root), "check", "--today", written])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"pipeline check: error: argument --today: expected a date YYYY-MM-DD, got {written!r}"
    )
