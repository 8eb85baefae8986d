"""A series of articles: one template, one article per item, each citing its own facts by role.

The small project below adds to the minimal fixture a series of two town
briefs whose facts live in facts/shared/; the sample's own series (the city
briefs) is checked through the session build.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from pipeline.config import load_config
from pipeline.errors import UserError
from pipeline.facts.load import load_facts
from tests.conftest import PO, ROOT, Project, render_with
from tests.render.title_reading import TitleBlockReader

# Lines, for the diagnostics below: 3 north, 4 retaken; 5 south_bank,
# 6 retaken, 7 deaths.
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
SERIES_FILE = "facts/towns.yaml"
ITEMS_LINE = 7  # the line of "items:"; each item's lines follow it

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
"""
TEMPLATE = """\
{% extends "base.html" %}
{% set names = {"north": pgettext("place name", "Northtown"), "south_bank": pgettext("place name", "Southbank")} %}
{% block headline %}{% trans place=names[item.id] %}Retaking {{ place }}{% endtrans %}{% endblock %}
{% block body %}
<p>{% trans retaken=fig(item.retaken) %}The town was retaken in {{ retaken }}.{% endtrans %}</p>
{% if item.deaths is defined %}
<p>{% trans deaths=fig(item.deaths) %}The observatory counted {{ deaths }} deaths there.{% endtrans %}</p>
{% endif %}
{% endblock %}
"""
TRANSLATIONS = """
msgctxt "place name"
msgid "Northtown"
msgstr "Northtown"

msgctxt "place name"
msgid "Southbank"
msgstr "Southbank"

#, python-format
msgid "Retaking %(place)s"
msgstr "Merebut kembali %(place)s"

#, python-format
msgid "The town was retaken in %(retaken)s."
msgstr "Kota itu direbut kembali pada %(retaken)s."

#, python-format
msgid "The observatory counted %(deaths)s deaths there."
msgstr "Lembaga pemantau mencatat %(deaths)s kematian di sana."
"""
TEMPLATE_FILE = "templates/articles/town.html"


@pytest.fixture
def towns(minimal: Project) -> Project:
    minimal.write(SERIES_FILE, SERIES)
    minimal.write("facts/shared/towns.yaml", SHARED_FACTS)
    minimal.write(TEMPLATE_FILE, TEMPLATE)
    minimal.write(PO, minimal.read(PO) + TRANSLATIONS)
    return minimal


def build_errors(project: Project) -> list[str]:
    result = project.build()
    assert result.code == 2, result.err
    return [line for line in result.err.splitlines() if ": error: " in line]


def test_a_series_expands_into_one_article_per_item(towns: Project) -> None:
    base = load_facts(load_config(towns.root))
    assert list(base.articles) == ["story", "town-north", "town-south-bank"]
    assert base.series_items["town-south-bank"].roles == {"retaken": "south_retaken", "deaths": "south_deaths"}
    assert str(base.origin("article", "town-south-bank")) == f"{SERIES_FILE}:{ITEMS_LINE + 3}"
    result = towns.build()
    assert result.code == 0, result.err
    for folder in ("en", "id", "bilingual"):
        for slug in ("town-north", "town-south-bank"):
            assert (towns.out / folder / f"{slug}.html").is_file()
            assert (towns.out / folder / f"{slug}.pdf").is_file()
    # Each article cites its own item's facts; an optional role's sentence appears only where the item has it.
    north = (towns.out / "id" / "town-north.html").read_text()
    south = (towns.out / "id" / "town-south-bank.html").read_text()
    assert "<h1>Merebut kembali Northtown</h1>" in north
    assert '<span class="fig" data-fact="north_retaken">Juni 2016</span>' in north
    assert "south_" not in north
    assert "kematian di sana" not in north
    assert '<span class="fig" data-fact="south_deaths">setidaknya 120</span>' in south
    assert "kematian di sana" in south


def test_a_role_naming_a_missing_fact_is_an_error_at_its_line(towns: Project) -> None:
    towns.replace(SERIES_FILE, "deaths: south_deaths", "deaths: south_death")
    with pytest.raises(UserError) as caught:
        load_facts(load_config(towns.root))
    assert [str(diagnostic) for diagnostic in caught.value.diagnostics] == [
        f"{SERIES_FILE}:{ITEMS_LINE + 5}: error: series.towns.items.south_bank.deaths: unknown fact 'south_death' "
        "(did you mean 'south_deaths'?) [series.fact]"
    ]


def test_a_role_the_template_uses_unguarded_is_required_of_every_item(towns: Project) -> None:
    towns.replace(
        SERIES_FILE, "      north:\n        retaken: north_retaken\n", "      north:\n        deaths: south_deaths\n"
    )
    assert build_errors(towns) == [
        f"{SERIES_FILE}:{ITEMS_LINE + 1}: error: series 'towns' item 'north' has no role 'retaken', which "
        f'{TEMPLATE_FILE}:5 uses (a template makes a role optional with "{{% if item.retaken is defined %}}") '
        "[series.role]"
    ]


def test_every_item_needs_its_entry_in_a_lookup_by_item_id(towns: Project) -> None:
    towns.replace(
        SERIES_FILE, "      south_bank:\n", "      east:\n        retaken: north_retaken\n      south_bank:\n"
    )
    assert build_errors(towns) == [
        f"{SERIES_FILE}:{ITEMS_LINE + 3}: error: series 'towns' item 'east' has no entry in names "
        f"({TEMPLATE_FILE}:3) [series.item]"
    ]


def test_a_template_mistake_is_reported_once_not_once_per_item(towns: Project) -> None:
    towns.replace(TEMPLATE_FILE, "deaths there.", "deaths in 14 streets there.")
    assert build_errors(towns) == [
        f'{TEMPLATE_FILE}:7: error: figure "14" typed into the template; figures enter sentences through fig() '
        "[template.literal-figure]"
    ]


def test_a_role_fact_counts_for_the_measure_check(towns: Project) -> None:
    # The town's deaths and the story's deaths measure the same thing: one article may cite only one.
    towns.replace("facts/story.yaml", "    qualifier: at_least\n", "    qualifier: at_least\n    measure: deaths\n")
    towns.replace("facts/shared/towns.yaml", "    value: 120\n", "    value: 120\n    measure: deaths\n")
    towns.replace(TEMPLATE_FILE, "{% endif %}", '{% endif %}\n<p>{{ fig("deaths") }}</p>')
    assert build_errors(towns) == [
        f"{TEMPLATE_FILE}:7: error: article 'town-south-bank' cites both 'deaths' and 'south_deaths', "
        "two values of measure 'deaths': cite one [article.measure]"
    ]


def test_only_a_series_template_has_an_item(towns: Project) -> None:
    towns.replace("templates/articles/story.html", 'fig("deaths")', "fig(item.deaths)")
    assert build_errors(towns) == [
        "templates/articles/story.html:4: error: item.deaths: only the template of a series has an item [template.item]"
    ]


@pytest.mark.parametrize(
    ("old", "new", "item", "problem"),
    [
        (
            "      north:",
            "      north__east:",
            "north__east",
            "makes the slug 'town-north--east', which is not a file name an article may take",
        ),
        (
            "        retaken: north_retaken",
            "        id: north_retaken",
            "north",
            "'id' is the item's own id (item.id), not a role name",
        ),
    ],
)
def test_an_item_that_cannot_become_an_article_is_named_at_its_line(
    towns: Project, old: str, new: str, item: str, problem: str
) -> None:
    towns.replace(SERIES_FILE, old, new)
    with pytest.raises(UserError) as caught:
        load_facts(load_config(towns.root))
    assert [str(diagnostic) for diagnostic in caught.value.diagnostics] == [
        f"{SERIES_FILE}:{ITEMS_LINE + 1}: error: series.towns.items.{item}: {problem} [series.item]"
    ]


def test_a_series_slug_taken_by_an_article_names_both_places(towns: Project) -> None:
    towns.replace(SERIES_FILE, 'slug: "town-{item}"', 'slug: "{item}"')
    towns.replace(SERIES_FILE, "      north:", "      story:")
    with pytest.raises(UserError) as caught:
        load_facts(load_config(towns.root))
    assert [str(diagnostic) for diagnostic in caught.value.diagnostics] == [
        f"{SERIES_FILE}:{ITEMS_LINE + 1}: error: duplicate article id 'story' (first defined at facts/story.yaml:24) "
        "[facts.duplicate]"
    ]


def test_duplicate_fact_ids_across_shared_and_article_files_name_both_places(towns: Project) -> None:
    duplicate = '  deaths:\n    kind: count\n    value: 1\n    source: observatory\n    as_of: "2018-03"\n'
    towns.write("facts/shared/towns.yaml", SHARED_FACTS + duplicate)
    result = towns.run("facts")
    assert result.code == 2
    assert result.err.splitlines() == [
        "facts/story.yaml:6: error: duplicate fact id 'deaths' (first defined at facts/shared/towns.yaml:18) "
        "[facts.duplicate]"
    ]


def test_translator_notes_give_every_items_value_of_a_role(towns: Project) -> None:
    assert towns.run("i18n", "extract").code == 0
    catalog = read_po(io.BytesIO(towns.path("locales/messages.pot").read_bytes()))
    assert catalog.get("The town was retaken in %(retaken)s.").auto_comments == [
        '%(retaken)s: item.retaken, a date, in series towns: "June 2016" / "Juni',
        '2016" (north_retaken); "February 2017" / "Februari 2017" (south_retaken)',
    ]
    assert catalog.get("The observatory counted %(deaths)s deaths there.").auto_comments == [
        '%(deaths)s: item.deaths, a count, in series towns: "at least 120" /',
        '"setidaknya 120" (south_deaths)',
    ]


# The sample ---------------------------------------------------------------------------------------------


def test_the_sample_publishes_a_brief_per_city_in_every_edition(sample_build: Project) -> None:
    for folder in ("en", "id", "bilingual"):
        for city in ("mosul", "raqqa", "ramadi", "deir-al-zour", "al-qaim"):
            for suffix in ("html", "pdf"):
                assert (sample_build.out / folder / f"brief-{city}.{suffix}").is_file()


def test_shared_facts_are_defined_once_and_cited_by_several_articles() -> None:
    result = Project(ROOT).run("facts", "--json")
    assert result.code == 0, result.err
    facts = {record["id"]: record for record in json.loads(result.out)["facts"]}
    assert facts["mosul_retaken"]["defined_at"] == "facts/shared/cities.yaml:8"
    assert sorted(facts["mosul_retaken"]["cited_by"]) == ["brief-mosul", "iraq-syria-crisis"]
    # Two briefs cite one fact through their own roles.
    assert sorted(facts["deir_al_zour_al_qaim_retaken"]["cited_by"]) == [
        "brief-al-qaim",
        "brief-deir-al-zour",
        "iraq-syria-crisis",
    ]
    assert len(facts["territory_recaptured_share"]["cited_by"]) == 6


def test_the_figure_check_covers_a_generated_brief_in_memory(sample_build: Project) -> None:
    # The sentence is shared by every brief with a battle; a translator types a figure into it.
    msgid = "The battle for the city lasted %(battle)s, and %(displaced)s people fled their homes."
    typed = "Pertempuran berlangsung selama %(battle)s, dan 207.000 orang terpaksa meninggalkan rumah mereka."
    _, findings = render_with(sample_build, {msgid: typed}, slug="brief-raqqa")
    sentence = "Pertempuran berlangsung selama empat bulan, dan 207.000 orang terpaksa meninggalkan rumah mereka."
    assert findings == [
        f'out/id/brief-raqqa.html: error: "207.000" does not come from a fact: "{sentence}" [check.literal]',
        'out/id/brief-raqqa.html: error: English "about 270,000" differs from Indonesian "207.000": '
        'English: "The battle for the city lasted four months, and about 270,000 people fled their homes." / '
        f'Indonesian: "{sentence}" [check.differs]',
    ]


def test_pipeline_check_names_the_edited_brief(sample_build: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(sample_build.out, out)
    page = out / "id" / "brief-ramadi.html"
    page.write_text(page.read_text().replace(">Desember 2015</span>", ">Desember 2016</span>", 1))
    result = sample_build.run("check", "--out", out)
    assert result.code == 1
    edited = "ISIS terusir dari Ramadi pada Desember 2016."
    assert result.err.splitlines() == [
        f'{out}/id/brief-ramadi.html: error: "Desember 2016" should read "Desember 2015" (ramadi_retaken): '
        f'"{edited}" [check.fact-value]',
        f'{out}/bilingual/brief-ramadi.html: error: the Indonesian column lacks "Desember 2016" of the '
        f'Indonesian edition: "{edited}" [check.bilingual]',
        f'{out}/bilingual/brief-ramadi.html: error: the Indonesian column has "Desember 2015", which the '
        'Indonesian edition does not: "ISIS terusir dari Ramadi pada Desember 2015." [check.bilingual]',
        f'{out}/id/brief-ramadi.html: error: English "December 2015" differs from Indonesian "Desember 2016": '
        f'English: "IS was driven out of Ramadi in December 2015." / Indonesian: "{edited}" [check.differs]',
        f'{out}/id/brief-ramadi.pdf: error: Indonesian PDF lacks "Desember 2016" of its HTML: "{edited}" [check.pdf]',
        f'{out}/id/brief-ramadi.pdf: error: Indonesian PDF has "Desember 2015", which its HTML does not: '
        '"ISIS terusir dari Ramadi pada Desember 2015[1]." [check.pdf]',
        # The data files still say what the page said before it was edited.
        f'{out}/bilingual/brief-ramadi.figures.json: error: "ramadi_retaken": renderings.id is ["Desember 2015"], '
        'the id page says ["Desember 2016", "Desember 2015"] [check.data]',
        f'{out}/bilingual/brief-ramadi.figures.json: error: "ramadi_retaken": sentences.id is '
        '["ISIS terusir dari Ramadi pada Desember 2015."], the id page says '
        f'["{edited}"] [check.data]',
    ]


def test_the_place_name_fills_each_column_of_a_bilingual_brief_in_its_language(sample_build: Project) -> None:
    parts = TitleBlockReader.read((sample_build.out / "bilingual" / "brief-mosul.html").read_text())
    assert parts.headline == (
        '<span class="pair"><span class="lang-en" lang="en">Retaking Mosul</span>'
        '<span class="lang-sep" aria-hidden="true"> / </span>'
        '<span class="lang-id" lang="id">Merebut kembali Mosul</span></span>'
    )
