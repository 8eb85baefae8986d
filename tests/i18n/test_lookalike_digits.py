"""Look-alike digits are figures: fullwidth, mathematical, Arabic-Indic or
Devanagari digits typed into a translation are read as the reader reads them,
by the catalog check, the build's figure check and `pipeline audit`."""

from __future__ import annotations

import contextlib
import io
import unicodedata
from pathlib import Path

import pytest

from pipeline.audit.run import run_audit
from pipeline.language.lookalikes import as_read
from pipeline.reading.extract import extract_figures
from tests.conftest import PO, Project, render_with

DEATHS_MSGSTR = 'msgstr "Lembaga pemantau itu mencatat %(deaths)s kematian."'
DEATHS_MSGID = "The observatory counted %(deaths)s deaths."
DEATHS_LABEL = f'"{DEATHS_MSGID}"'


def lint(project: Project) -> tuple[int, list[str]]:
    result = project.run("i18n", "lint")
    return result.code, result.err.splitlines()


def test_every_decimal_digit_of_unicode_reads_as_its_ascii_digit() -> None:
    digits = [chr(code) for code in range(0x110000) if chr(code).isdecimal()]
    assert len(digits) > 600
    read = as_read("".join(digits))
    assert len(read) == len(digits)
    assert read == "".join(str(unicodedata.decimal(digit)) for digit in digits)


def test_marks_read_as_their_ascii_form_one_character_for_one() -> None:
    assert as_read("９０．０００，５％ ＋＄ ￡ ﹒") == "90.000,5% +$ £ ."


def test_text_without_lookalikes_is_returned_itself() -> None:
    for text in ("killed 90,000 people", "menewaskan 90.000 orang — “kata” ü", "90,000¹ ² ① ½"):
        assert as_read(text) is text


@pytest.mark.parametrize(
    ("language", "plain", "lookalike"),
    [
        ("en", "killed 90,000 people", "killed ９０，０００ people"),
        ("en", "killed 90,000 people", "killed 𝟗𝟎,𝟎𝟎𝟎 people"),
        ("en", "killed 90,000 people", "killed 𝟿𝟶,𝟶𝟶𝟶 people"),
        ("id", "menewaskan 90.000 orang", "menewaskan ９０.０００ orang"),
        ("id", "menewaskan 90.000 orang", "menewaskan ٩٠.٠٠٠ orang"),
        ("id", "menewaskan 90.000 orang", "menewaskan ۹۰.۰۰۰ orang"),
        ("id", "menewaskan 90.000 orang", "menewaskan ९०.००० orang"),
        ("id", "naik 5,5% pada 2017", "naik ５，５％ pada ２０１７"),
        ("en", "US$5 million", "US＄５ million"),
    ],
)
def test_lookalike_digits_are_figures_shown_as_written(language: str, plain: str, lookalike: str) -> None:
    expected = extract_figures(plain, language)
    found = extract_figures(lookalike, language)
    assert expected
    assert [figure.key for figure in found] == [figure.key for figure in expected]
    assert [(figure.start, figure.end) for figure in found] == [(figure.start, figure.end) for figure in expected]
    assert [figure.text for figure in found] == [lookalike[figure.start : figure.end] for figure in expected]


@pytest.mark.parametrize("typed", ["１２", "𝟏𝟐", "١٢", "१२"])
def test_catalog_check_sees_lookalike_digits(minimal: Project, typed: str) -> None:
    minimal.replace(PO, DEATHS_MSGSTR, f'msgstr "Lembaga pemantau itu mencatat %(deaths)s kematian di {typed} kota."')
    assert lint(minimal) == (
        2,
        [
            f"{PO}:30: error: translation of {DEATHS_LABEL} types a figure; figures enter only through placeholders "
            "[catalog.literal-figure]"
        ],
    )


def test_lookalike_figures_that_differ_from_the_msgid_are_named_as_typed(minimal: Project) -> None:
    entry = '\n#: templates/x.html:1\nmsgid "The G20 met in 2014."\nmsgstr "G20 bertemu pada ２０１５."\n'
    minimal.write(PO, minimal.read(PO) + entry)
    assert lint(minimal) == (
        2,
        [
            f'{PO}:39: error: translation of "The G20 met in 2014." gives figures (２０１５) that differ from the '
            "msgid's [catalog.figure-differs]"
        ],
    )


@pytest.mark.parametrize(("typed", "name"), [("¹", "U+00B9 SUPERSCRIPT ONE"), ("½", "U+00BD VULGAR FRACTION ONE HALF")])
def test_numerals_that_are_no_digits_are_refused_in_a_translation(minimal: Project, typed: str, name: str) -> None:
    minimal.replace(PO, DEATHS_MSGSTR, f'msgstr "Lembaga pemantau itu mencatat %(deaths)s{typed} kematian."')
    assert lint(minimal) == (
        2,
        [
            f"{PO}:30: error: translation of {DEATHS_LABEL} contains {name}, a numeral the figure check does not "
            "read (No) [catalog.lookalike]"
        ],
    )


def test_figure_check_at_build_sees_lookalike_digits(minimal: Project) -> None:
    indonesian = "Lembaga pemantau itu mencatat %(deaths)s kematian dari ９０.０００ warga."
    _, findings = render_with(minimal, {DEATHS_MSGID: indonesian})
    sentence = "Lembaga pemantau itu mencatat setidaknya 3.250 kematian dari ９０.０００ warga."
    assert findings == [
        f'out/id/story.html: error: "９０.０００" does not come from a fact: "{sentence}" [check.literal]',
        f'out/id/story.html: error: Indonesian "９０.０００" has no counterpart in the English text: "{sentence}" '
        "[check.differs]",
    ]


def test_figure_check_at_build_compares_lookalike_digits_with_the_fact(minimal: Project) -> None:
    _, findings = render_with(minimal, {DEATHS_MSGID: "Lembaga pemantau itu mencatat setidaknya ３.５００ kematian."})
    assert findings == [
        'out/id/story.html: error: "setidaknya ３.５００" does not come from a fact: '
        '"Lembaga pemantau itu mencatat setidaknya ３.５００ kematian." [check.literal]',
        'out/id/story.html: error: English "at least 3,250" differs from Indonesian "setidaknya ３.５００": '
        'English: "The observatory counted at least 3,250 deaths." / '
        'Indonesian: "Lembaga pemantau itu mencatat setidaknya ３.５００ kematian." [check.differs]',
    ]


def audit_lines(tmp_path: Path, english: str, indonesian: str) -> tuple[int, list[str]]:
    (tmp_path / "en.txt").write_text(english, encoding="utf-8")
    (tmp_path / "id.txt").write_text(indonesian, encoding="utf-8")
    out = io.StringIO()
    with contextlib.chdir(tmp_path):
        code = run_audit(Path("en.txt"), Path("id.txt"), as_json=False, out=out, show_matches=True)
    return code, out.getvalue().splitlines()


def test_audit_matches_lookalike_digits(tmp_path: Path) -> None:
    code, lines = audit_lines(
        tmp_path, "The attack killed 90,000 people.", "Serangan itu menewaskan ９０.０００ orang."
    )
    assert code == 0
    assert lines[1:] == [
        "1 figure in English, 1 in Indonesian: 1 agree, 0 differ, 0 one-sided, 0 untranslated stretches.",
        "",
        "Agree (1)",
        "  en.txt:1 id.txt:1  90,000 = ９０.０００",
    ]


def test_audit_reports_lookalike_digits_that_differ(tmp_path: Path) -> None:
    code, lines = audit_lines(
        tmp_path, "The attack killed 90,000 people.", "Serangan itu menewaskan ９１.０００ orang."
    )
    assert code == 1
    assert lines[1:] == [
        "1 figure in English, 1 in Indonesian: 0 agree, 1 differ, 0 one-sided, 0 untranslated stretches.",
        "",
        "Differ (1)",
        "  en.txt:1 id.txt:1  90,000 vs ９１.０００",
        "    EN  The attack killed »90,000« people.",
        "    ID  Serangan itu menewaskan »９１.０００« orang.",
    ]
