"""Templates: unknown names fail with template:line, translations cannot inject markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from pipeline.i18n.markup import sanitize_translation
from tests.conftest import PO, Project, render_with

STORY = "templates/articles/story.html"


class Elements(HTMLParser):
    """Every element a browser would build, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_unknown_fact_names_template_and_line(minimal: Project) -> None:
    minimal.replace(STORY, 'fig("deaths")', 'fig("death_toll")')
    result = minimal.build()
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{STORY}:4: error: unknown fact 'death_toll' (did you mean 'deaths'?) [template.fact]"
    ]
    assert "Traceback" not in result.err
    assert not minimal.out.exists()


def test_unknown_fact_chosen_at_render_time_names_template_and_line(minimal: Project) -> None:
    minimal.replace(
        STORY,
        "{% endblock %}\n{% block body %}",
        '{% endblock %}\n{% block body %}\n{{ fig(["death", "toll"] | join("_")) }}',
    )
    result = minimal.build()
    assert result.code == 2
    assert result.err.splitlines() == [f"{STORY}:4: error: en: unknown fact 'death_toll' [template.render]"]


def test_undefined_name_is_an_error_not_an_empty_string(minimal: Project) -> None:
    minimal.replace(STORY, "{% block body %}", "{% block body %}{{ no_such_name }}")
    result = minimal.build()
    assert result.code == 2
    assert result.err.splitlines() == [f"{STORY}:3: error: en: 'no_such_name' is undefined [template.render]"]


def test_template_syntax_error_names_template_and_line(minimal: Project) -> None:
    minimal.replace(STORY, "{% endblock %}\n{% block body %}", "{% endblock %}\n{% block body %}{% if %}")
    result = minimal.build()
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{STORY}:3: error: template syntax: Expected an expression, got 'end of statement block' [template.syntax]"
    ]


def test_missing_article_template_names_the_fact_file(minimal: Project) -> None:
    minimal.replace("facts/story.yaml", "template: articles/story.html", "template: articles/gone.html")
    result = minimal.build()
    assert result.code == 2
    assert result.err.splitlines() == [
        "facts/story.yaml:24: error: article template 'articles/gone.html' not found in templates/ [article.template]"
    ]


def test_unknown_placeholder_in_a_translation_is_refused_with_the_po_line(minimal: Project) -> None:
    minimal.replace(PO, "mencatat %(deaths)s kematian.", "mencatat %(deaths)s kematian di %(town)s.")
    result = minimal.build()
    assert result.code == 2
    assert result.err.splitlines() == [
        f'{PO}:30: error: placeholders differ from the msgid "The observatory counted %(deaths)s deaths.": '
        "unknown %(town)s [catalog.placeholder]"
    ]


def test_translation_markup_never_reaches_the_html(minimal: Project) -> None:
    hostile = (
        'Lembaga <script>alert(1)</script> mencatat <em onclick="steal()">%(deaths)s</em> '
        '<a href="javascript:alert(2)">kematian</a> <img src="file:///etc/passwd"> '
        '<span style="color:red">di</span> <strong>kota</strong>.'
    )
    editions, _ = render_with(minimal, {"The observatory counted %(deaths)s deaths.": hostile})
    html = editions[1].html
    elements = Elements()
    elements.feed(html.split("<body>", 1)[1])
    assert {"script", "img", "span"} & {tag for tag, _ in elements.tags} == {"span"}
    assert [tag for tag, attributes in elements.tags if tag == "span" and "style" in attributes] == []
    assert [tag for tag, attributes in elements.tags if any(name.startswith("on") for name in attributes)] == []
    assert [
        value
        for tag, attributes in elements.tags
        for name, value in attributes.items()
        if "javascript" in (value or "")
    ] == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>kota</strong>" in html


def test_allow_listed_inline_markup_is_kept() -> None:
    assert sanitize_translation('<em>a</em> <strong>b</strong> <a href="https://example.org/x?a=1&b=2">c</a>') == (
        '<em>a</em> <strong>b</strong> <a href="https://example.org/x?a=1&amp;b=2">c</a>'
    )
    assert sanitize_translation("<em>unclosed") == "<em>unclosed</em>"
    assert sanitize_translation("1 < 2 & 3") == "1 &lt; 2 &amp; 3"


def test_figures_are_wrapped_with_their_fact_and_never_split(minimal: Project) -> None:
    editions, findings = render_with(minimal, {})
    assert findings == []
    english, indonesian = (edition.html for edition in editions)
    assert '<span class="fig" data-fact="refugees">more than 5.6 million</span>' in english
    assert '<span class="fig" data-fact="refugees">lebih dari 5,6 juta</span>' in indonesian
    assert re.search(r'<time class="fig" datetime="2018-03">Maret 2018</time>', indonesian)
