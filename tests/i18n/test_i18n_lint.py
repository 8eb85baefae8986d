"""`pipeline i18n lint`: what translators get wrong, caught before a build, with its line."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PO, Project

DEATHS_MSGSTR = 'msgstr "Lembaga pemantau itu mencatat %(deaths)s kematian."'
DEATHS_LABEL = '"The observatory counted %(deaths)s deaths."'


def lint(project: Project) -> tuple[int, list[str]]:
    result = project.run("i18n", "lint")
    return result.code, result.err.splitlines()


def test_clean_catalog_passes(minimal: Project) -> None:
    result = minimal.run("i18n", "lint")
    assert (result.code, result.out.strip(), result.err) == (0, "catalogs clean", "")


@pytest.mark.parametrize(
    ("msgstr", "detail"),
    [
        ("Lembaga pemantau itu mencatat kematian.", "missing %(deaths)s"),
        ("Lembaga pemantau itu mencatat %(deaths)s kematian di %(town)s.", "unknown %(town)s"),
        ("Lembaga pemantau itu mencatat %(death)s kematian.", "missing %(deaths)s; unknown %(death)s"),
        ("Lembaga pemantau itu mencatat %(deaths)d kematian.", "a placeholder is repeated or has another type"),
        ("Lembaga %(deaths)s pemantau itu mencatat %(deaths)s.", "a placeholder is repeated or has another type"),
    ],
)
def test_placeholder_mistakes(minimal: Project, msgstr: str, detail: str) -> None:
    minimal.replace(PO, DEATHS_MSGSTR, f'msgstr "{msgstr}"')
    assert lint(minimal) == (
        2,
        [f"{PO}:30: error: placeholders differ from the msgid {DEATHS_LABEL}: {detail} [catalog.placeholder]"],
    )


def test_figure_typed_into_a_translation(minimal: Project) -> None:
    minimal.replace(PO, DEATHS_MSGSTR, 'msgstr "Lembaga pemantau itu mencatat %(deaths)s kematian di 12 kota."')
    assert lint(minimal) == (
        2,
        [
            f"{PO}:30: error: translation of {DEATHS_LABEL} types a figure; figures enter only through placeholders "
            "[catalog.literal-figure]"
        ],
    )


def test_figures_that_differ_from_the_msgid(minimal: Project) -> None:
    entry = '\n#: templates/x.html:1\nmsgid "The G20 met in 2014."\nmsgstr "G20 bertemu pada 2015."\n'
    minimal.write(PO, minimal.read(PO) + entry)
    assert lint(minimal) == (
        2,
        [
            f'{PO}:39: error: translation of "The G20 met in 2014." gives figures (2015) that differ from the msgid\'s '
            "[catalog.figure-differs]"
        ],
    )


def test_figures_that_agree_with_the_msgid_pass(minimal: Project) -> None:
    entry = '\n#: templates/x.html:1\nmsgid "The G20 met in 2014."\nmsgstr "G20 bertemu pada 2014."\n'
    minimal.write(PO, minimal.read(PO) + entry)
    assert lint(minimal)[0] == 0


@pytest.mark.parametrize(
    ("markup", "shown"),
    [
        ("<script>alert('x')</script>", "<script>"),
        ('<em onclick="steal()">x</em>', '<em onclick="steal()">'),
        ('<a href="javascript:alert(document.cookie)">x</a>', '<a href="javascript:alert(document.cookie)">'),
        (
            '<link rel="stylesheet" href="https://evil.example/x.css">',
            '<link rel="stylesheet" href="https://evil.example/x.css">',
        ),
        ('<img src="x">', '<img src="x">'),
        ('<span style="color:red">x</span>', '<span style="color:red">'),
        ('<strong style="color:red">x</strong>', '<strong style="color:red">'),
    ],
)
def test_markup_that_is_never_published(minimal: Project, markup: str, shown: str) -> None:
    escaped = markup.replace('"', '\\"')
    minimal.replace(PO, DEATHS_MSGSTR, f'msgstr "Lembaga pemantau itu mencatat %(deaths)s kematian. {escaped}"')
    assert lint(minimal) == (
        2,
        [
            f"{PO}:30: error: translation of {DEATHS_LABEL} carries markup that is never published: {shown} "
            "[catalog.markup]"
        ],
    )


def test_allowed_markup_the_msgid_does_not_have(minimal: Project) -> None:
    minimal.replace(PO, DEATHS_MSGSTR, 'msgstr "Lembaga pemantau itu <em>mencatat</em> %(deaths)s kematian."')
    assert lint(minimal) == (
        2,
        [f"{PO}:30: error: translation of {DEATHS_LABEL} adds markup the msgid does not have: <em> [catalog.markup]"],
    )


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ('msgstr "Sebuah cerita pendek"', 'msgstr "Sebuah cerita pendek', 25, "unterminated string"),
        (
            'msgstr "Sebuah cerita pendek"',
            'msgstr "Sebuah cerita pendek"\nthis is not po',
            26,
            "not a .po line: 'this is not po'",
        ),
        ('msgstr "Sebuah cerita pendek"', 'msgstr "Sebuah cerita pendek" "tanpa tutup', 25, "unterminated string"),
        (
            'msgstr "Sebuah cerita pendek"',
            'msgstr "Sebuah cerita pendek"\n\nmsgid "A short story"\nmsgstr "Cerita lain"',
            27,
            'duplicate msgid "A short story" (first on line 24)',
        ),
        ('msgstr "Sebuah cerita pendek"', 'msgstr "Sebuah \\q cerita"', 25, "unknown escape \\q"),
    ],
)
def test_broken_catalog_is_an_error_with_its_line(
    minimal: Project, old: str, new: str, line: int, message: str
) -> None:
    minimal.replace(PO, old, new)
    assert lint(minimal) == (2, [f"{PO}:{line}: error: {message} [catalog.syntax]"])
    build = minimal.build()
    assert build.code == 2
    assert build.err.splitlines() == [f"{PO}:{line}: error: {message} [catalog.syntax]"]
    assert not minimal.out.exists()


def test_bad_utf8_is_an_error_with_its_line(minimal: Project) -> None:
    path = minimal.path(PO)
    path.write_bytes(path.read_bytes().replace(b"Sebuah cerita", b"Sebuah \xff cerita"))
    assert lint(minimal) == (2, [f"{PO}:25: error: not valid UTF-8 (invalid start byte) [catalog.syntax]"])


INCOMPLETE = [
    f'{PO}:25: error: untranslated: "A short story" is not published; translate it, or preview with pipeline build '
    "--draft [catalog.untranslated]",
    f"{PO}:30: error: fuzzy translation of {DEATHS_LABEL} is not published; translate it and remove the fuzzy flag, "
    "or preview with pipeline build --draft [catalog.fuzzy]",
]


def test_untranslated_and_fuzzy_are_one_verdict_in_lint_compile_and_build(minimal: Project) -> None:
    minimal.replace(PO, 'msgstr "Sebuah cerita pendek"', 'msgstr ""')
    minimal.replace(PO, '#, python-format\nmsgid "The observatory', '#, fuzzy, python-format\nmsgid "The observatory')
    for command in (("i18n", "lint"), ("i18n", "compile"), ("build",)):
        result = minimal.run(*command)
        assert (result.code, result.out, result.err.splitlines()) == (2, "", INCOMPLETE), command
    assert not minimal.out.exists()
    as_data = minimal.run("i18n", "lint", "--json")
    assert as_data.code == 2
    assert [(f["line"], f["severity"], f["code"]) for f in json.loads(as_data.out)["findings"]] == [
        (25, "error", "catalog.untranslated"),
        (30, "error", "catalog.fuzzy"),
    ]
    # The preview still builds, the English standing in where the translation is not published.
    minimal.replace(PO, "#, fuzzy, python-format", "#, python-format")
    draft = minimal.build("--draft")
    assert draft.code == 0, draft.err
    assert "[catalog." not in draft.err
    assert '<span class="untranslated" lang="en">A short story</span>' in minimal.read("draft/id/story.html")


def test_incomplete_entries_are_named_at_the_msgstr_line_of_a_multi_line_or_plural_entry(minimal: Project) -> None:
    refugees = "Saat itu %(refugees)s orang telah mengungsi, dan kota itu direbut kembali pada %(retaken)s."
    minimal.replace(
        PO, f'msgstr "{refugees}"', 'msgstr ""\n"Saat itu %(refugees)s orang telah mengungsi, "\n"dan kota."'
    )
    minimal.replace(PO, '#, python-format\nmsgid "By then', '#, fuzzy, python-format\nmsgid "By then')
    plural = (
        '\n#, python-format\nmsgid "It hit %(towns)s town."\nmsgid_plural "It hit %(towns)s towns."\nmsgstr[0] ""\n'
    )
    minimal.write(PO, minimal.read(PO) + plural)
    lines = minimal.read(PO).splitlines()
    assert (lines[34], lines[41]) == ('msgstr ""', 'msgstr[0] ""')
    assert lint(minimal) == (
        2,
        [
            f'{PO}:35: error: fuzzy translation of "By then %(refugees)s people had fled, and the city was reta…" is '
            "not published; translate it and remove the fuzzy flag, or preview with pipeline build --draft "
            "[catalog.fuzzy]",
            f'{PO}:42: error: untranslated: "It hit %(towns)s town." is not published; translate it, or preview with '
            "pipeline build --draft [catalog.untranslated]",
        ],
    )


def test_compile_never_replaces_a_good_mo_with_a_broken_catalog(minimal: Project) -> None:
    assert minimal.run("i18n", "compile").code == 0
    mo = minimal.path(PO).with_suffix(".mo")
    good = mo.read_bytes()
    minimal.replace(PO, DEATHS_MSGSTR, 'msgstr "Lembaga pemantau itu mencatat kematian."')
    result = minimal.run("i18n", "compile")
    assert result.code == 2
    assert "[catalog.placeholder]" in result.err
    assert mo.read_bytes() == good
    assert [path.name for path in mo.parent.iterdir() if path.name.endswith(".tmp")] == []
