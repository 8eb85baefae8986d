"""An article's headline and standfirst go from its render to the index as data:
the template's own blocks, rendered with the page, never read back out of the HTML."""

from __future__ import annotations

import dataclasses
import json

from pipeline.render import RenderedArticle, TitleBlock
from pipeline.render import renderer as renderer_module
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
    for folder in ("en", "id", "bilingual"):
        for page in sorted((sample_build.out / folder).glob("*.html")):
            if page.name == "index.html":
                continue
            shown = by_html_parser(page.read_text(encoding="utf-8"))
            manifest = json.loads((sample_build.out / ".pipeline-manifest.json").read_text(encoding="utf-8"))
            kept = manifest["files"][f"{folder}/{page.name}"]["data"]["titles"]
            assert TitleBlock(**kept) == shown, page


def test_the_index_does_not_read_titles_back_from_the_html(minimal: Project, monkeypatch: object) -> None:
    # A page whose <h1> reads one thing while its template's block says another can only be
    # listed by the block: proof that nothing parses the page.
    (english, _), _ = render_with(minimal, {})
    assert english.titles is not None
    doctored = RenderedArticle(english.slug, english.locale, english.html.replace("A short story", "Other"), [])
    doctored.titles = english.titles
    assert doctored.title_block().headline == "A short story"
    assert not hasattr(renderer_module, "read_title_block")


def test_an_edition_made_without_its_title_block_is_refused_by_the_index(minimal: Project) -> None:
    (english, _), _ = render_with(minimal, {})
    bare = RenderedArticle(english.slug, english.locale, english.html, english.cited)
    try:
        bare.title_block()
    except ValueError as error:
        assert str(error) == "story: an edition listed on the index was made without its title block"
    else:
        raise AssertionError("an edition without titles was listed")
