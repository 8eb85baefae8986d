"""Facts cited through a series item's roles: `pipeline facts` and `pipeline diff` follow the roles.

The project is the minimal fixture (one article, `story`, citing its facts by
id) plus a series of two town briefs citing theirs by role, committed as
newsroom/story/ of a fresh repository.  A role's sentence is shared by every
brief of the series but shows each brief's own fact: a change to that fact
touches the brief whose item gives it the role, and no other.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, PO, Project, copy_project
from tests.facts.test_series import TEMPLATE  # the series tests' town template
from tests.provenance.test_factdiff import commit, git, summary

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SERIES_FILE = "facts/towns.yaml"
SERIES = """\
series:
  towns:
    template: articles/town.html
    slug: "town-{item}"
    published: "2018-04-02"
    author: Test Desk
    items:
      north:
        retaken: north_retaken
      south_bank:
        retaken: south_retaken
        deaths: south_deaths
"""
# Lines: north_retaken 2, south_retaken 7, south_deaths 12, south_deaths_revised 18.
SHARED_FILE = "facts/shared/towns.yaml"
SHARED_FACTS = """\
facts:
  north_retaken:
    kind: date
    value: "2016-06"
    source: observatory
    as_of: "2018-03"
  south_retaken:
    kind: date
    value: "2017-02"
    source: observatory
    as_of: "2018-03"
  south_deaths:
    kind: count
    value: 120
    qualifier: at_least
    source: observatory
    as_of: "2018-03"
  south_deaths_revised:
    kind: count
    value: 140
    qualifier: about
    source: observatory
    as_of: "2018-05"
"""
TRANSLATIONS = """
#: templates/articles/town.html:2
msgctxt "place name"
msgid "Northtown"
msgstr "Northtown"

#: templates/articles/town.html:2
msgctxt "place name"
msgid "Southbank"
msgstr "Southbank"

#: templates/articles/town.html:3
#, python-format
msgid "Retaking %(place)s"
msgstr "Merebut kembali %(place)s"

#: templates/articles/town.html:5
#, python-format
msgid "The town was retaken in %(retaken)s."
msgstr "Kota itu direbut kembali pada %(retaken)s."

#: templates/articles/town.html:7
#, python-format
msgid "The observatory counted %(deaths)s deaths there."
msgstr "Lembaga pemantau mencatat %(deaths)s kematian di sana."
"""
RETAKEN_SENTENCE = 'templates/articles/town.html:5: %(retaken)s in "The town was retaken in %(retaken)s."'
DEATHS_SENTENCE = 'templates/articles/town.html:7: %(deaths)s in "The observatory counted %(deaths)s deaths there."'
NOTHING_ELSE = "0 translations became fuzzy"


@pytest.fixture
def towns(tmp_path: Path) -> tuple[Project, Path]:
    repository = tmp_path / "newsroom"
    project = copy_project(FIXTURES / "minimal", repository / "story")
    project.write(SERIES_FILE, SERIES)
    project.write(SHARED_FILE, SHARED_FACTS)
    project.write("templates/articles/town.html", TEMPLATE)
    project.write(PO, project.read(PO) + TRANSLATIONS)
    git(repository, "init", "-q")
    commit(repository, "first edition")
    return project, repository


def head(repository: Path) -> str:
    return git(repository, "rev-parse", "--short=7", "HEAD")


def diff_lines(project: Project) -> list[str]:
    result = project.run("diff")
    assert (result.code, result.err) == (0, "")
    return result.out.splitlines()


# pipeline facts ---------------------------------------------------------------------------------------


def test_facts_names_the_briefs_citing_a_fact_through_their_roles(towns: tuple[Project, Path]) -> None:
    project, _ = towns
    result = project.run("facts", "--json")
    assert result.code == 0, result.err
    cited = {record["id"]: record["cited_by"] for record in json.loads(result.out)["facts"]}
    assert cited == {
        "deaths": ["story"],
        "refugees": ["story"],
        "retaken": ["story"],
        "north_retaken": ["town-north"],
        "south_retaken": ["town-south-bank"],
        "south_deaths": ["town-south-bank"],
        "south_deaths_revised": [],
    }


# pipeline diff: facts cited by role ---------------------------------------------------------------------


def test_a_fact_cited_through_a_role_names_the_brief_and_the_series_sentence(towns: tuple[Project, Path]) -> None:
    project, repository = towns
    project.replace(SHARED_FILE, "value: 120", "value: 150")
    assert diff_lines(project) == [
        summary(
            "HEAD",
            head(repository),
            f"1 fact changed, 0 added, 0 removed; 1 article and 1 sentence affected; {NOTHING_ELSE}",
        ),
        "",
        "changed south_deaths (facts/shared/towns.yaml:12): value",
        "  value: 120 → 150",
        "  en: at least 120 → at least 150",
        "  id: setidaknya 120 → setidaknya 150",
        "  cited by: town-south-bank",
        f"  {DEATHS_SENTENCE}, as item.deaths in town-south-bank",
    ]


def test_a_fact_cited_by_id_lists_no_brief(towns: tuple[Project, Path]) -> None:
    project, repository = towns
    project.replace("facts/story.yaml", "value: 3250", "value: 3500")
    assert diff_lines(project) == [
        summary(
            "HEAD",
            head(repository),
            f"1 fact changed, 0 added, 0 removed; 1 article and 1 sentence affected; {NOTHING_ELSE}",
        ),
        "",
        "changed deaths (facts/story.yaml:6): value",
        "  value: 3250 → 3500",
        "  en: at least 3,250 → at least 3,500",
        "  id: setidaknya 3.250 → setidaknya 3.500",
        "  cited by: story",
        '  templates/articles/story.html:4: %(deaths)s in "The observatory counted %(deaths)s deaths."',
    ]


def test_a_fact_two_items_give_one_role_names_both_briefs_in_json(towns: tuple[Project, Path]) -> None:
    project, repository = towns
    project.replace(SERIES_FILE, "retaken: north_retaken", "retaken: south_retaken")
    commit(repository, "both towns fell in one month")
    project.replace(SHARED_FILE, 'value: "2017-02"', 'value: "2017-03"')
    result = project.run("diff", "--json")
    assert (result.code, result.err) == (0, "")
    report = json.loads(result.out)
    (changed,) = report["facts"]["changed"]
    assert changed["cited_by"] == ["town-north", "town-south-bank"]
    assert changed["sentences"] == [
        {
            "context": None,
            "msgid": "The town was retaken in %(retaken)s.",
            "placeholders": ["retaken"],
            "locations": ["templates/articles/town.html:5"],
            "roles": [{"placeholder": "retaken", "role": "retaken", "articles": ["town-north", "town-south-bank"]}],
        }
    ]
    assert report["articles"] == ["town-north", "town-south-bank"]
    assert report["series_items"] == {"changed": [], "added": [], "removed": []}
    assert f"  {RETAKEN_SENTENCE}, as item.retaken in town-north, town-south-bank" in project.run("diff").out


# pipeline diff: the items themselves ----------------------------------------------------------------------


def test_a_role_given_another_fact_shows_both_values_and_the_sentence(towns: tuple[Project, Path]) -> None:
    project, repository = towns
    project.replace(SERIES_FILE, "deaths: south_deaths", "deaths: south_deaths_revised")
    assert diff_lines(project) == [
        summary(
            "HEAD",
            head(repository),
            "0 facts changed, 0 added, 0 removed; 1 series item changed, 0 added, 0 removed; "
            f"1 article and 1 sentence affected; {NOTHING_ELSE}",
        ),
        "",
        "changed town-south-bank (series towns item south_bank, facts/towns.yaml:10): deaths",
        "  deaths: south_deaths → south_deaths_revised",
        "    en: at least 120 → about 140",
        "    id: setidaknya 120 → sekitar 140",
        f"    {DEATHS_SENTENCE}",
    ]


def test_items_added_removed_and_a_role_dropped(towns: tuple[Project, Path]) -> None:
    project, repository = towns
    project.write(
        SERIES_FILE,
        SERIES.replace("      north:\n        retaken: north_retaken\n", "")
        .replace("        deaths: south_deaths\n", "")
        .replace("    items:\n", "    items:\n      east:\n        retaken: north_retaken\n"),
    )
    assert diff_lines(project) == [
        summary(
            "HEAD",
            head(repository),
            "0 facts changed, 0 added, 0 removed; 1 series item changed, 1 added, 1 removed; "
            f"3 articles and 1 sentence affected; {NOTHING_ELSE}",
        ),
        "",
        "changed town-south-bank (series towns item south_bank, facts/towns.yaml:10): deaths",
        "  deaths: south_deaths → (none)",
        "    en: at least 120 → (none)",
        "    id: setidaknya 120 → (none)",
        f"    {DEATHS_SENTENCE}",
        "",
        "added town-east (series towns item east, facts/towns.yaml:8)",
        "  retaken: north_retaken",
        "",
        "removed town-north (series towns item north, was facts/towns.yaml:8 at HEAD)",
        "  retaken: north_retaken",
    ]


def test_a_new_slug_pattern_renames_every_brief(towns: tuple[Project, Path]) -> None:
    project, _ = towns
    project.replace(SERIES_FILE, 'slug: "town-{item}"', 'slug: "brief-{item}"')
    lines = diff_lines(project)
    assert "; 2 series items changed, 0 added, 0 removed; 4 articles and 0 sentences affected; " in lines[0]
    assert lines[1:] == [
        "",
        "changed brief-north (series towns item north, facts/towns.yaml:8): article",
        "  article: town-north → brief-north",
        "",
        "changed brief-south-bank (series towns item south_bank, facts/towns.yaml:10): article",
        "  article: town-south-bank → brief-south-bank",
    ]


def test_series_item_changes_in_json(towns: tuple[Project, Path]) -> None:
    project, _ = towns
    project.replace(SERIES_FILE, "deaths: south_deaths", "deaths: south_deaths_revised")
    result = project.run("diff", "--json")
    assert (result.code, result.err) == (0, "")
    report = json.loads(result.out)
    assert report["series_items"] == {
        "changed": [
            {
                "series": "towns",
                "item": "south_bank",
                "article": "town-south-bank",
                "defined_at": "facts/towns.yaml:10",
                "roles": {"retaken": "south_retaken", "deaths": "south_deaths_revised"},
                "old_article": "town-south-bank",
                "role_changes": [
                    {
                        "role": "deaths",
                        "old": "south_deaths",
                        "new": "south_deaths_revised",
                        "value": {"old": 120, "new": 140},
                        "rendered": {
                            "en": {"old": "at least 120", "new": "about 140"},
                            "id": {"old": "setidaknya 120", "new": "sekitar 140"},
                        },
                        "sentences": [
                            {
                                "context": None,
                                "msgid": "The observatory counted %(deaths)s deaths there.",
                                "placeholders": ["deaths"],
                                "locations": ["templates/articles/town.html:7"],
                                "roles": [{"placeholder": "deaths", "role": "deaths", "articles": ["town-south-bank"]}],
                            }
                        ],
                    }
                ],
            }
        ],
        "added": [],
        "removed": [],
    }
    assert report["articles"] == ["town-south-bank"]
    assert report["facts"] == {"changed": [], "added": [], "removed": []}
