"""What `pipeline new` refuses, word for word, and that a refused or failed `new` writes nothing.

A headline is the text of a {% trans %} block: what would act as markup or as
Jinja2 syntax renders as typed; what cannot (a figure, a line break, a hidden
character, '%') is refused with one line.
"""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2
import pytest

from tests.conftest import PO, ROOT, Project, copy_project, tree_digest

SLUG_RULE = "use lowercase ASCII letters, digits and single hyphens, starting with a letter, at most 60 characters"
EXISTS = "a file of that name exists; choose another slug, or remove the file"
PERCENT = (
    "the title has '%', which a headline cannot hold: a percentage is a figure, and figures come from facts; "
    "leave it out"
)
FIGURE_IN_TITLE = (
    "figures come from facts, never from template text: leave it out of the headline and cite its fact with "
    "fig() in the story"
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """One copy of the sample for the refusals, which must leave it as it was."""
    return copy_project(ROOT, tmp_path_factory.mktemp("refusals") / "project")


def refused(project: Project, *args: str) -> str:
    before = tree_digest(project.root)
    result = project.run("new", *args)
    assert (result.code, result.out) == (2, ""), result
    assert tree_digest(project.root) == before, "a refused `new` wrote something"
    assert len(result.err.splitlines()) == 1, result.err
    return result.err.rstrip("\n")


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Jakarta", f"error: 'Jakarta' is not a slug: {SLUG_RULE} [new.slug]"),
        ("jakarta_floods", f"error: 'jakarta_floods' is not a slug: {SLUG_RULE} [new.slug]"),
        ("jakarta--floods", f"error: 'jakarta--floods' is not a slug: {SLUG_RULE} [new.slug]"),
        ("-jakarta", f"error: '-jakarta' is not a slug: {SLUG_RULE} [new.slug]"),
        ("jakarta-", f"error: 'jakarta-' is not a slug: {SLUG_RULE} [new.slug]"),
        ("2024-floods", f"error: '2024-floods' is not a slug: {SLUG_RULE} [new.slug]"),
        ("banjir-café", f"error: 'banjir-café' is not a slug: {SLUG_RULE} [new.slug]"),
        ("a\u202eb", f"error: 'a\\u202eb' is not a slug: {SLUG_RULE} [new.slug]"),
        ("", f"error: '' is not a slug: {SLUG_RULE} [new.slug]"),
        ("a" * 61, f"error: slug '{'a' * 59}…' has 61 characters; a slug has at most 60 [new.slug]"),
        ("../x", "error: '../x' is a path, not a slug: give only the story's name, e.g. 'jakarta-floods' [new.slug]"),
        ("a/b", "error: 'a/b' is a path, not a slug: give only the story's name, e.g. 'jakarta-floods' [new.slug]"),
        (
            "/tmp/x",
            "error: '/tmp/x' is a path, not a slug: give only the story's name, e.g. 'jakarta-floods' [new.slug]",
        ),
        ("a\\b", "error: 'a\\b' is a path, not a slug: give only the story's name, e.g. 'jakarta-floods' [new.slug]"),
        ("index", "error: 'index' is the index page's name; choose another slug [new.slug]"),
        (
            "iraq-syria-crisis",
            "facts/iraq-syria-crisis.yaml:13: error: article 'iraq-syria-crisis' exists; choose another slug "
            "[new.exists]",
        ),
        (
            "brief-mosul",
            "facts/city-briefs.yaml:24: error: article 'brief-mosul' exists; choose another slug [new.exists]",
        ),
    ],
)
def test_a_slug_that_is_no_slug_or_is_taken_is_refused(sample: Project, slug: str, message: str) -> None:
    assert refused(sample, "--", slug) == message


def test_a_sixty_character_slug_is_a_slug(tmp_path: Path) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    slug = "a" + "-b" * 29 + "c"
    assert len(slug) == 60
    result = project.run("new", slug)
    assert result.code == 0, result.err
    assert project.path(f"facts/{slug}.yaml").is_file()


@pytest.mark.parametrize("existing", ["templates/articles/orphan.html", "facts/orphan.yaml", "facts/orphan.yml"])
def test_a_template_or_fact_file_of_that_name_is_never_overwritten(tmp_path: Path, existing: str) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    project.write(existing, "{# an editor's work in progress #}\n" if existing.endswith(".html") else "# notes\n")
    assert refused(project, "orphan") == f"{existing}: error: {EXISTS} [new.exists]"


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Floods\nin Jakarta", "the title has a line break or tab (U+000A); give it on one line"),
        ("Floods\rin Jakarta", "the title has a line break or tab (U+000D); give it on one line"),
        ("Floods\tin Jakarta", "the title has a line break or tab (U+0009); give it on one line"),
        (
            "Floods \u202ein Jakarta",
            "the title has a bidi control (U+202E), which readers would not see; type it without",
        ),
        (
            "Floods\u200b in Jakarta",
            "the title has an invisible character (U+200B), which readers would not see; type it without",
        ),
        ("Floods \x1b[31m", "the title has a control character (U+001B), which readers would not see; type it without"),
        ("Floods of 2024", f"the title has a figure ('2024'); {FIGURE_IN_TITLE}"),
        ("Floods of ２０２４", f"the title has a figure ('２０２４'); {FIGURE_IN_TITLE}"),
        ("G20 leaders meet", f"the title has a figure ('2'); {FIGURE_IN_TITLE}"),
        (
            "Half% of Jakarta",
            PERCENT,
        ),
        (
            "{% if x %}",
            PERCENT,
        ),
        ("   ", "the title is empty; give the headline, or leave out --title"),
        ("Flood " * 40, "the title has 239 characters; a headline has at most 200"),
    ],
)
def test_a_title_that_cannot_be_a_headline_is_refused(sample: Project, title: str, message: str) -> None:
    assert refused(sample, "jakarta-floods", "--title", title) == f"error: {message} [new.title]"


def test_a_slug_of_digits_only_after_its_first_word_needs_a_title(sample: Project) -> None:
    assert (
        refused(sample, "g20")
        == "error: cannot make a headline from 'g20' without its digits; give one with --title [new.title]"
    )


HOSTILE = """Jakarta’s "floods" & <script>alert('x')</script> {{ x }} {# c #} }} <em>a&lt;b</em>"""


def test_a_hostile_title_renders_as_typed_everywhere(tmp_path: Path) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    result = project.run("new", "jakarta-floods", "--title", HOSTILE)
    assert result.code == 0, result.err
    built = project.build("--draft")
    assert built.code == 0, built.err
    escaped = (
        "Jakarta’s &#34;floods&#34; &amp; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; {{ x }} {# c #} }} "
        "&lt;em&gt;a&amp;lt;b&lt;/em&gt;"
    )
    for edition in ("en", "id", "bilingual"):
        html = (project.root / "draft" / edition / "jakarta-floods.html").read_text(encoding="utf-8")
        # The one script a page carries is its structured data, which holds no markup.
        assert html.count("<script") == html.count('<script type="application/ld+json">') == 1
        assert "<em>a" not in html
        assert f"<title>{escaped}" in html
        index = (project.root / "draft" / edition / "index.html").read_text(encoding="utf-8")
        assert escaped in index
        assert index.count("<script") == index.count('<script type="application/ld+json">') == 1
    english = (project.root / "draft" / "en" / "jakarta-floods.html").read_text(encoding="utf-8")
    assert f"<h1>{escaped}</h1>" in english
    pdf = pypdfium2.PdfDocument(project.root / "draft" / "en" / "jakarta-floods.pdf")
    text = " ".join(page.get_textpage().get_text_range() for page in pdf)
    # The PDF breaks the long headline over lines, anywhere after a slash.
    assert "".join(HOSTILE.split()) in "".join(text.split())


def test_a_catalog_the_update_cannot_read_leaves_no_story_behind(tmp_path: Path) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    project.write(PO, project.read(PO) + '\nmsgid "What comes next?\nmsgstr ""\n')
    before = tree_digest(project.root)
    result = project.run("new", "jakarta-floods")
    assert result.code == 2
    assert "[catalog." in result.err, result.err
    assert tree_digest(project.root) == before


def test_a_failure_while_renaming_puts_everything_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    before = tree_digest(project.root)
    renames: list[str] = []
    real_replace = os.replace

    def replace_until_the_third(source: str | Path, target: str | Path) -> None:
        if Path(target).is_relative_to(project.root):  # not the update's own writes, in its temporary copy
            renames.append(str(target))
        if len(renames) == 3:
            raise KeyboardInterrupt  # the editor's Ctrl-C, between two renames
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace_until_the_third)
    with pytest.raises(KeyboardInterrupt):
        project.run("new", "jakarta-floods")
    monkeypatch.setattr(os, "replace", real_replace)
    assert [Path(target).name for target in renames] == ["messages.pot", "messages.po", "jakarta-floods.html"]
    assert tree_digest(project.root) == before
