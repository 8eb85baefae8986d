"""Every page carries schema.org JSON-LD that parses, says what the page shows, and links
the editions of one story; no text in it can end its <script> element.

The JSON-LD is read back from the published files as a search engine reads
it: the one <script type="application/ld+json"> element's text, parsed with
json.loads.  Its headline and description are held to the page's visible
<h1> and standfirst, read with an HTML parser of the tests' own, so the
structured data can never cite a figure the reader does not see.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from pipeline.config import load_config
from pipeline.errors import UserError
from pipeline.facts.load import load_facts
from pipeline.render.structured_data import json_ld_script
from tests.conftest import Project, render_with
from tests.render.test_security_templates import Document

ARTICLE_PROPERTIES = {
    "@context",
    "@type",
    "@id",
    "url",
    "headline",
    "description",
    "inLanguage",
    "datePublished",
    "author",
    "citation",
}
RELATIONS = {"en": "workTranslation", "id": "translationOfWork", "bilingual": "isBasedOn"}
LANGUAGES: dict[str, Any] = {"en": "en", "id": "id", "bilingual": ["en", "id"]}
# The attacks a translator or an editor could type into a headline: each must stay a string.
ATTACKS = [
    "</script><script>alert(1)</script>",
    "</SCRIPT ><script>alert(1)</script>",
    "<!--<script>",
    "-->",
    "<![CDATA[ ]]>",
    '"}, "@type": "Person',
    "\\u003c/script\\u003e",
    "&lt;/script&gt; &amp;",
    "\u202eevil\u202c \u2066x\u2069 \u200e",
    "line\u2028separator\u2029paragraph",
    "\x85\x7f \ue004 \U000f0000",
]


class Visible(HTMLParser):
    """The text of the first element matching (tag, class), as a reader sees it: note markers
    ("[3]") left out, space collapsed."""

    def __init__(self, html: str, tag: str, class_name: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = (tag, class_name)
        self.depth = 0
        self.skipping = 0
        self.parts: list[str] = []
        self.done = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += 1
            if self.skipping or (tag == "sup" and "marker" in classes):
                self.skipping += 1
        elif not self.done and tag == self.wanted[0] and (self.wanted[1] is None or self.wanted[1] in classes):
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
            self.skipping = max(self.skipping - 1, 0)
            self.done = self.done or self.depth == 0

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skipping:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def published_pages(out: Path) -> dict[str, str]:
    return {
        f"{folder}/{page.name}": page.read_text(encoding="utf-8")
        for folder in ("en", "id", "bilingual")
        for page in sorted((out / folder).glob("*.html"))
    }


def json_ld(html: str) -> Any:
    page = Document(html)
    assert page.tags("script") == [{"type": "application/ld+json"}]
    [data] = page.json_ld()
    return data


def resolved(page: str, url: str) -> str:
    """A relative URL of the JSON-LD, resolved as a JSON-LD processor resolves it against the page."""
    address = urljoin(f"https://news.example/{page}", url)
    assert urlsplit(address).netloc == "news.example", url
    return urlsplit(address).path.removeprefix("/")


def test_every_published_page_has_json_ld_that_parses_and_says_what_it_shows(sample_build: Project) -> None:
    config = load_config(sample_build.root)
    base = load_facts(config)
    pages = published_pages(sample_build.out)
    assert len(pages) == 21
    for name, html in pages.items():
        folder, file_name = name.split("/")
        slug = file_name.removesuffix(".html")
        data = json_ld(html)
        assert data["@context"] == "https://schema.org", name
        assert data["@id"] == data["url"] == f"../{name}"
        assert resolved(name, data["url"]) == name
        assert data["inLanguage"] == LANGUAGES[folder], name
        if slug == "index":
            assert data["@type"] == "CollectionPage"
            items = data["mainEntity"]["itemListElement"]
            assert [item["position"] for item in items] == list(range(1, len(items) + 1))
            listed = [resolved(name, item["url"]) for item in items]
            # The entries' links, in the page's order (the language switch's lead out of the folder).
            entries = [link for link in Document(html).urls() if link.endswith(".html") and "/" not in link]
            assert listed == [f"{folder}/{link}" for link in entries]
            assert all(link in pages for link in listed), listed
            continue
        article = base.articles[slug]
        assert data["@type"] == "NewsArticle"
        assert set(data) == ARTICLE_PROPERTIES | {RELATIONS[folder]}, name
        # The same words, and so the same figures, as the reader's headline and standfirst.
        assert data["headline"] == Visible(html, "h1").text, name
        assert data["description"] == Visible(html, "p", "standfirst").text, name
        assert data["datePublished"] == "2018-03-29" == str(article.published)
        assert data["author"] == {"@type": "Organization", "name": "Newsroom Data Desk"}
        listed_sources = [
            attributes["id"].removeprefix("source-")
            for attributes in Document(html).tags("li")
            if (attributes.get("id") or "").startswith("source-")
        ]
        assert [work["name"] for work in data["citation"]] == [
            base.sources[source].title or base.sources[source].publisher for source in listed_sources
        ], name
        assert [work.get("url") for work in data["citation"]] == [base.sources[s].url for s in listed_sources]


def test_the_editions_link_each_other_as_translations_of_one_work(sample_build: Project) -> None:
    pages = published_pages(sample_build.out)
    for name, html in pages.items():
        folder, file_name = name.split("/")
        if file_name == "index.html":
            continue
        data = json_ld(html)
        related = data[RELATIONS[folder]]
        expected = {
            "en": [f"id/{file_name}"],
            "id": f"en/{file_name}",
            "bilingual": [f"en/{file_name}", f"id/{file_name}"],
        }[folder]
        links = [related] if isinstance(related, dict) else related
        assert [resolved(name, link["url"]) for link in links] == (
            [expected] if isinstance(expected, str) else expected
        )
        for link in links:
            target = resolved(name, link["url"])
            assert target in pages, (name, target)
            assert link["@id"] == link["url"]
            assert link["inLanguage"] == json_ld(pages[target])["inLanguage"] == target.split("/")[0]
    # And back: the Indonesian edition names the English one as its original.
    crisis = json_ld(pages["id/iraq-syria-crisis.html"])
    assert resolved("id/iraq-syria-crisis.html", crisis["translationOfWork"]["url"]) == "en/iraq-syria-crisis.html"


@pytest.mark.parametrize("attack", ATTACKS)
def test_no_text_ends_or_alters_the_script_element(attack: str) -> None:
    data = {"@type": "NewsArticle", "headline": attack, "citation": [{"name": attack}]}
    html = f"<!DOCTYPE html><html><head>{json_ld_script(data)}</head><body><p>x</p></body></html>"
    page = Document(html)
    assert [tag for tag, _ in page.elements] == ["html", "head", "script", "body", "p"]
    assert page.json_ld() == [data]
    [script] = page.scripts
    # Nothing an HTML parser or a reader of the source could take for markup or reordering.
    assert not set(script) & {"<", ">", "&", "\u2028", "\u2029", "\u202e", "\u2066", "\x85", "\ue004"}


def test_plain_json_would_break_out_of_the_script_element() -> None:
    # The control: json.dumps alone leaves "</script>" in the text, and the parser ends the element there.
    raw = json.dumps({"headline": ATTACKS[0]})
    page = Document(f'<script type="application/ld+json">{raw}</script>')
    assert [tag for tag, _ in page.elements] == ["script", "script"]


def test_an_authors_kind_is_a_person_unless_the_article_says_otherwise(minimal: Project) -> None:
    (english, indonesian), findings = render_with(minimal, {})
    assert findings == []
    assert json_ld(english.html)["author"] == {"@type": "Person", "name": "Test Desk"}
    minimal.replace("facts/story.yaml", "author: Test Desk", "author: Test Desk\n  author_kind: organization")
    (english, _), _ = render_with(minimal, {})
    assert json_ld(english.html)["author"]["@type"] == "Organization"
    # The fixture has no standfirst block: no description.
    assert "description" not in json_ld(indonesian.html)
    assert json_ld(indonesian.html)["headline"] == "Sebuah cerita pendek"


def test_a_page_without_a_head_end_tag_is_refused_naming_its_template(minimal: Project) -> None:
    minimal.replace("templates/base.html", "</head>\n", "")
    with pytest.raises(UserError) as refusal:
        render_with(minimal, {})
    assert [str(diagnostic) for diagnostic in refusal.value.diagnostics] == [
        "templates/articles/story.html: error: the page has no </head> to carry its structured data (JSON-LD); "
        "end the head with </head>, here or in the template this one extends [template.head]"
    ]
