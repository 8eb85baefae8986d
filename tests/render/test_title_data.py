"""An article's headline and standfirst go from its render to the index as data:
the template's own blocks, rendered with the page, never read back out of the HTML."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from pipeline.render import RenderedArticle, TitleBlock
from tests.conftest import Project, render_with
from tests.render.title_reading import by_html_parser


def test_editions_carry_their_title_block_as_plain_data(minimal: Project) -> None:
    (english, indonesian), findings = render_with(minimal, {})
    assert findings == []
    for edition in (english, indonesian):
        assert edition.titles == by_html_parser(edition.html)
        # Small enough to keep in a manifest beside a reused page.
        stored = json.loads(json.dumps(dataclasses.asdict(edition.titles)))
        assert TitleBlock(**stored) == edition.titles
    # The fixture's base template has no standfirst block.
    assert english.titles == TitleBlock("A short story", None)


def test_every_edition_of_the_sample_hands_on_what_its_page_shows(sample_build: Project) -> None:
    manifest = json.loads((sample_build.out / ".pipeline-manifest.json").read_text(encoding="utf-8"))
    for folder in ("en", "id", "bilingual"):
        for page in sorted((sample_build.out / folder).glob("*.html")):
            if page.name == "index.html":
                continue
            kept = manifest["files"][f"{folder}/{page.name}"]["data"]["titles"]
            assert TitleBlock(**kept) == by_html_parser(page.read_text(encoding="utf-8")), page


def test_the_headline_is_the_templates_block_not_the_pages_first_h1(inline_project: Any) -> None:
    # A site banner written as an <h1> before the article's: read back from the HTML, the
    # page's first <h1> would be taken for the headline; handed on from the block, it is not.
    project = inline_project({})
    project.replace("templates/base.html", "<body>\n", '<body>\n<h1 class="site">The Newsroom</h1>\n')
    (english, indonesian), findings = render_with(project, {})
    assert findings == []
    assert by_html_parser(english.html).headline == "The Newsroom"
    assert english.titles == TitleBlock("A short story", None)
    assert indonesian.titles == TitleBlock("Sebuah cerita pendek", None)


def test_an_edition_made_without_its_title_block_is_refused_by_the_index(minimal: Project) -> None:
    (english, _), _ = render_with(minimal, {})
    bare = RenderedArticle(english.slug, english.locale, english.html, english.cited)
    try:
        bare.title_block()
    except ValueError as error:
        assert str(error) == "story: an edition listed on the index was made without its title block"
    else:
        raise AssertionError("an edition without titles was listed")
