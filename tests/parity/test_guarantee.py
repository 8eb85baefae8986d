"""The guarantee: no published pair may disagree on a figure.

Each test breaks the guarantee on purpose (a translation that types its own
number or drops a placeholder, a template with a literal number, a PDF or an
HTML file changed after the build) and checks that it is caught, with the
article, the locale, the figure and its sentence named.
"""

from __future__ import annotations

from pipeline.pdf.document import write_pdf
from tests.conftest import PO, Project, render_with, tree_digest

GOOD_MSGSTR = 'msgstr "Lembaga pemantau itu mencatat %(deaths)s kematian."'
EN_SENTENCE = "The observatory counted at least 3,250 deaths."


def test_sample_project_passes_the_check(minimal: Project) -> None:
    _, findings = render_with(minimal, {})
    assert findings == []


def test_translation_with_its_own_number_is_refused_by_the_catalog_check(minimal: Project) -> None:
    minimal.replace(PO, GOOD_MSGSTR, 'msgstr "Lembaga pemantau itu mencatat setidaknya 3.500 kematian."')
    result = minimal.build()
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{PO}:30: error: placeholders differ from the msgid "
        '"The observatory counted %(deaths)s deaths.": missing %(deaths)s [catalog.placeholder]',
        f'{PO}:30: error: translation of "The observatory counted %(deaths)s deaths." types a figure; '
        "figures enter only through placeholders [catalog.literal-figure]",
    ]
    assert not minimal.out.exists()


def test_check_catches_a_translated_number_that_differs(minimal: Project) -> None:
    _, findings = render_with(
        minimal,
        {"The observatory counted %(deaths)s deaths.": "Lembaga pemantau itu mencatat setidaknya 3.500 kematian."},
    )
    assert findings == [
        'out/id/story.html: error: "setidaknya 3.500" does not come from a fact: '
        '"Lembaga pemantau itu mencatat setidaknya 3.500 kematian." [check.literal]',
        'out/id/story.html: error: English "at least 3,250" differs from Indonesian "setidaknya 3.500": '
        f'English: "{EN_SENTENCE}" / Indonesian: "Lembaga pemantau itu mencatat setidaknya 3.500 kematian." '
        "[check.differs]",
    ]


def test_check_catches_a_dropped_placeholder(minimal: Project) -> None:
    _, findings = render_with(
        minimal, {"The observatory counted %(deaths)s deaths.": "Lembaga pemantau itu mencatat banyak kematian."}
    )
    assert findings == [
        'out/id/story.html: error: English "at least 3,250" is missing from the Indonesian text: '
        f'"{EN_SENTENCE}" [check.differs]'
    ]


def test_dropped_placeholder_is_refused_by_the_catalog_check(minimal: Project) -> None:
    minimal.replace(PO, GOOD_MSGSTR, 'msgstr "Lembaga pemantau itu mencatat banyak kematian."')
    result = minimal.build()
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{PO}:30: error: placeholders differ from the msgid "
        '"The observatory counted %(deaths)s deaths.": missing %(deaths)s [catalog.placeholder]'
    ]


def add_literal_to_template(project: Project) -> None:
    project.replace(
        "templates/articles/story.html", "counted {{ deaths }} deaths.", "counted {{ deaths }} deaths in 14 towns."
    )
    project.replace(
        PO,
        'msgid "The observatory counted %(deaths)s deaths."\n' + GOOD_MSGSTR,
        'msgid "The observatory counted %(deaths)s deaths in 14 towns."\n'
        'msgstr "Lembaga pemantau itu mencatat %(deaths)s kematian di 14 kota."',
    )


def test_template_with_a_literal_number_is_refused_before_rendering(minimal: Project) -> None:
    add_literal_to_template(minimal)
    result = minimal.build()
    assert result.code == 2
    assert result.err.splitlines() == [
        'templates/articles/story.html:4: error: figure "14" typed into the template; '
        "figures enter sentences through fig() [template.literal-figure]"
    ]
    assert not minimal.out.exists()


def test_check_catches_a_literal_number_in_rendered_text(minimal: Project) -> None:
    add_literal_to_template(minimal)
    _, findings = render_with(minimal, {})
    assert findings == [
        'out/en/story.html: error: "14" does not come from a fact: '
        '"The observatory counted at least 3,250 deaths in 14 towns." [check.literal]',
        'out/id/story.html: error: "14" does not come from a fact: '
        '"Lembaga pemantau itu mencatat setidaknya 3.250 kematian di 14 kota." [check.literal]',
    ]


def test_published_output_passes_check(minimal: Project) -> None:
    assert minimal.build().code == 0
    result = minimal.run("check")
    assert result.code == 0, result.err
    assert result.out.strip() == (
        "1 articles in 2 languages: every figure comes from a fact and agrees across languages, HTML and PDF"
    )


def test_check_catches_html_edited_after_the_build(minimal: Project) -> None:
    assert minimal.build().code == 0
    html = minimal.out / "id" / "story.html"
    html.write_text(html.read_text().replace("setidaknya 3.250", "setidaknya 3.500"))
    result = minimal.run("check")
    assert result.code == 1
    lines = result.err.splitlines()
    assert (
        'out/id/story.html: error: "setidaknya 3.500" should read "setidaknya 3.250" (deaths): '
        '"Lembaga pemantau itu mencatat setidaknya 3.500 kematian." [check.fact-value]'
    ) in lines
    assert (
        'out/id/story.pdf: error: Indonesian PDF lacks "setidaknya 3.500" of its HTML: '
        '"Lembaga pemantau itu mencatat setidaknya 3.500 kematian." [check.pdf]'
    ) in lines


def test_check_catches_a_pdf_that_lacks_a_figure_of_its_html(minimal: Project) -> None:
    assert minimal.build().code == 0
    folder = minimal.out / "id"
    html = (folder / "story.html").read_text()
    shortened = folder / "shortened.html"
    shortened.write_text(html.replace("Lembaga pemantau itu mencatat", "Tanpa angka.<!--").replace("kematian.", "-->"))
    write_pdf(shortened, folder / "story.pdf", allowed_roots=[minimal.out / "assets"])
    shortened.unlink()
    result = minimal.run("check")
    assert result.code == 1
    assert result.err.splitlines() == [
        'out/id/story.pdf: error: Indonesian PDF lacks "setidaknya 3.250" of its HTML: '
        '"Lembaga pemantau itu mencatat setidaknya 3.250 kematian." [check.pdf]',
        # Made outside the build, it carries no figures file either.
        "out/id/story.pdf: error: carries no story.figures.json [check.data]",
    ]


def test_check_without_built_output_is_bad_input(minimal: Project) -> None:
    result = minimal.run("check")
    assert result.code == 2
    assert "run 'pipeline build' first" in result.err


def test_failed_check_leaves_published_output_untouched(minimal: Project) -> None:
    assert minimal.build().code == 0
    before = tree_digest(minimal.out)
    minimal.replace("templates/articles/story.html", "counted {{ deaths }} deaths.", "counted 7 deaths.")
    assert minimal.build().code in (1, 2)
    assert tree_digest(minimal.out) == before
