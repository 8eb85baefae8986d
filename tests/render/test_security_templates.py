"""Facts, translations and templates cannot inject markup, styles or scripts, and template mistakes are diagnostics.

The hostile values go into the repository's own templates (a copy of the
sample project) and the rendered HTML is read back with an HTML parser: what
matters is the elements and attributes a browser would build, not the text.
"""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import tinycss2

from tests.conftest import ROOT, Project, copy_project, render_with

STORY = "templates/articles/story.html"
SAMPLE_SLUG = "iraq-syria-crisis"

# No digits: a digit shown to the reader would (rightly) fail the figure
# check, and these tests are about markup.
HOSTILE_PUBLISHER = '<script>steal(document.cookie)</script>"><img src=x onerror=steal()>'
HOSTILE_TITLE = "</cite><style>body { display: none }</style><a href=javascript:steal()>read</a>"
HOSTILE_AUTHOR = 'Desk"><script>steal()</script><meta http-equiv="refresh" content="x;url=javascript:steal()">'


class Document(HTMLParser):
    """The elements, attributes and text a browser would build."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        """The content of each <script> element: data a reader never sees, so not `text`."""
        self._in: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in = tag if tag in ("style", "script") else None
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        else:
            (self.styles if self._in == "style" else self.text).append(data)

    def json_ld(self) -> list[Any]:
        """Each JSON-LD element's data, as a consumer reads it."""
        return [
            json.loads(script)
            for attributes, script in zip(self.tags("script"), self.scripts, strict=True)
            if attributes.get("type") == "application/ld+json"
        ]

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attributes for tag, attributes in self.elements if tag == name]

    def attribute_names(self) -> set[str]:
        return {name for _, attributes in self.elements for name in attributes}

    def urls(self) -> list[str]:
        """Every attribute value a browser would follow or load."""
        return [
            value or ""
            for _, attributes in self.elements
            for name, value in attributes.items()
            if name in ("href", "src", "action", "formaction", "data", "poster", "xlink:href")
        ]

    def visible_text(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return copy_project(ROOT, tmp_path_factory.mktemp("sample") / "project")


@pytest.fixture
def hostile_sample(sample: Project, tmp_path: Path) -> Project:
    project = copy_project(sample.root, tmp_path / "project")
    project.replace(
        "facts/shared/sources.yaml",
        "    publisher: Syrian Observatory for Human Rights\n",
        f"    publisher: '{HOSTILE_PUBLISHER}'\n    title: '{HOSTILE_TITLE}'\n",
    )
    project.replace("facts/iraq-syria-crisis.yaml", "author: Newsroom Data Desk", f"author: '{HOSTILE_AUTHOR}'")
    return project


def assert_inert(page: Document) -> None:
    # The one script element is the page's own structured data: data, never run.
    assert page.tags("script") == [{"type": "application/ld+json"}]
    assert len(page.json_ld()) == 1
    assert page.tags("img") == []
    assert len(page.tags("style")) == 1  # the template's own, in the head
    assert [meta for meta in page.tags("meta") if "http-equiv" in meta] == []
    assert "style" not in page.attribute_names()
    assert [name for name in page.attribute_names() if name.startswith("on")] == []
    assert [url for url in page.urls() if urlsplit(url.strip()).scheme not in ("", "http", "https")] == []


def test_fact_strings_are_shown_as_written_and_never_become_markup(hostile_sample: Project) -> None:
    editions, _ = render_with(hostile_sample, {}, slug=SAMPLE_SLUG)
    for edition in editions:
        page = Document(edition.html)
        assert_inert(page)
        # The reader sees exactly what the editor typed, as text.
        text = page.visible_text()
        assert HOSTILE_PUBLISHER in text
        assert HOSTILE_TITLE in text
        assert HOSTILE_AUTHOR in text
        assert [meta["content"] for meta in page.tags("meta") if meta.get("name") == "author"] == [HOSTILE_AUTHOR]


def test_the_unescaped_values_would_be_live_markup() -> None:
    # The control: the parser used above does see these values as elements
    # when they are pasted into a page unescaped.
    page = Document(f"<p>{HOSTILE_PUBLISHER} {HOSTILE_TITLE} {HOSTILE_AUTHOR}</p>")
    assert {"script", "img", "style", "a", "meta"} <= {tag for tag, _ in page.elements}
    with pytest.raises(AssertionError):
        assert_inert(page)


def test_a_translated_running_title_stays_one_css_string(sample: Project) -> None:
    # The short title reaches the <style> element (the PDF's running header)
    # through css_string; a translator must not be able to end the string,
    # the rule or the element.
    hostile = '"; } @import url(http://evil.example/x.css); @page { @top-left { content: "</style><script>x()</script>'
    editions, _ = render_with(sample, {"IS in Iraq and Syria": hostile}, slug=SAMPLE_SLUG)
    page = Document(editions[1].html)
    assert page.tags("script") == [{"type": "application/ld+json"}]
    [style] = page.styles
    rules = [rule for rule in tinycss2.parse_stylesheet(style, skip_comments=True, skip_whitespace=True)]
    assert [(rule.type, rule.lower_at_keyword) for rule in rules] == [("at-rule", "page")]
    header = next(
        rule
        for rule in tinycss2.parse_blocks_contents(rules[0].content, skip_comments=True, skip_whitespace=True)
        if rule.type == "at-rule" and rule.lower_at_keyword == "top-left"
    )
    declarations = tinycss2.parse_blocks_contents(header.content, skip_comments=True, skip_whitespace=True)
    [content] = [item for item in declarations if item.type == "declaration"]
    [value] = [token for token in content.value if token.type not in ("whitespace", "comment")]
    assert (value.type, value.value) == ("string", hostile)


# Template mistakes are diagnostics with template:line --------------------


def test_an_unknown_filter_names_template_and_line(minimal: Project) -> None:
    minimal.replace(STORY, "{% block body %}", '{% block body %}\n{{ "x" | nosuchfilter }}')
    result = minimal.build()
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"{STORY}:4: error: unknown filter 'nosuchfilter' [template.name]\n",
    )
    assert not minimal.out.exists()


def test_an_unknown_test_names_template_and_line(minimal: Project) -> None:
    minimal.replace(STORY, "{% block body %}", "{% block body %}\n{% if locale is nosuchtest %}x{% endif %}")
    result = minimal.build()
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"{STORY}:4: error: unknown test 'nosuchtest' [template.name]\n",
    )
    assert not minimal.out.exists()


def test_an_unknown_filter_in_a_branch_never_taken_is_still_an_error(minimal: Project) -> None:
    minimal.replace(STORY, "{% block body %}", '{% block body %}\n{% if false %}{{ "x" | nosuchfilter }}{% endif %}')
    result = minimal.build()
    assert result.code == 2


BROKEN = {
    "unknown-filter": (STORY, "{% block body %}", '{% block body %}{{ "x" | nosuchfilter }}'),
    "unknown-test": (STORY, "{% block body %}", "{% block body %}{% if locale is nosuchtest %}x{% endif %}"),
    "unknown-fact": (STORY, 'fig("deaths")', 'fig("no_such_fact")'),
    "unknown-name": (STORY, "{% block body %}", "{% block body %}{{ no_such_name }}"),
    "call-a-string": (STORY, "{% block body %}", '{% block body %}{{ "text"() }}'),
    "missing-include": (STORY, "{% block body %}", '{% block body %}{% include "nowhere.html" %}'),
    "bad-syntax": (STORY, "{% block body %}", "{% block body %}{% for %}"),
    "unknown-placeholder": (
        "locales/id/LC_MESSAGES/messages.po",
        "mencatat %(deaths)s kematian.",
        "mencatat %(deaths)s kematian di %(town)s.",
    ),
    "missing-asset": (STORY, "{% block body %}", '{% block body %}<img alt="map" src="../assets/map.png">'),
}


def diagnostics(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if " error: " in f" {line}"]


@pytest.mark.parametrize("case", BROKEN)
def test_no_build_error_prints_a_traceback(minimal: Project, case: str) -> None:
    relative, old, new = BROKEN[case]
    minimal.replace(relative, old, new)
    result = minimal.build()  # an exception escaping the CLI would fail the test here
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert len(diagnostics(result.err)) == 1, result.err
    assert [line for line in result.err.splitlines() if line not in diagnostics(result.err)] == [
        line for line in ["rendered 3 editions of 1 articles", "wrote 3 .html files"] if line in result.err
    ]


def test_a_refused_pdf_resource_ends_the_real_process_with_one_line(minimal: Project) -> None:
    # WeasyPrint stops on a refused URL with FatalURLFetchingError, a
    # BaseException that no "except Exception" catches: in a real process,
    # stderr must still hold one diagnostic and no traceback.
    minimal.replace(STORY, "{% block body %}", '{% block body %}<img alt="map" src="../assets/map.png">')
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "--project", str(minimal.root), "build"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "rendered 3 editions of 1 articles",
        "wrote 3 .html files",
        "en/story.pdf: error: PDF refused a resource: missing asset: assets/map.png [pdf.fetch]",
    ]
