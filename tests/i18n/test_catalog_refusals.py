"""What a translation may not contain: bidi controls, invisible and control
characters, escapes that gettext tools read differently, and placeholders
written otherwise than the msgid's.  Each is refused by `i18n lint`, and so by
`pipeline build` and `i18n compile`, with the line that holds it."""

from __future__ import annotations

import gettext
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from pipeline.i18n.format_specs import placeholders
from tests.conftest import PO, Project, tree_digest

DEATHS_MSGSTR = 'msgstr "Lembaga pemantau itu mencatat %(deaths)s kematian."'
DEATHS_LABEL = '"The observatory counted %(deaths)s deaths."'
MSGFMT = shutil.which("msgfmt")
ALLOWED = '\\n, \\t, \\" and \\\\'


def lint(project: Project) -> tuple[int, list[str]]:
    result = project.run("i18n", "lint")
    return result.code, result.err.splitlines()


def translate(project: Project, msgstr: str) -> None:
    """Give the deaths sentence this msgstr, written as it stands between the quotes."""
    project.replace(PO, DEATHS_MSGSTR, f'msgstr "{msgstr}"')


# Hidden characters ---------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "described", "code"),
    [
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE, a bidi control that can reorder what readers see", "bidi"),
        ("\u202a", "U+202A LEFT-TO-RIGHT EMBEDDING, a bidi control that can reorder what readers see", "bidi"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE, a bidi control that can reorder what readers see", "bidi"),
        ("\u2069", "U+2069 POP DIRECTIONAL ISOLATE, a bidi control that can reorder what readers see", "bidi"),
        ("\u200f", "U+200F RIGHT-TO-LEFT MARK, a bidi control that can reorder what readers see", "bidi"),
        ("\u061c", "U+061C ARABIC LETTER MARK, a bidi control that can reorder what readers see", "bidi"),
        ("\u200b", "U+200B ZERO WIDTH SPACE, an invisible character (Cf)", "invisible"),
        ("\u200c", "U+200C ZERO WIDTH NON-JOINER, an invisible character (Cf)", "invisible"),
        ("\u200d", "U+200D ZERO WIDTH JOINER, an invisible character (Cf)", "invisible"),
        ("\u2060", "U+2060 WORD JOINER, an invisible character (Cf)", "invisible"),
        ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE, an invisible character (Cf)", "invisible"),
        ("\u00ad", "U+00AD SOFT HYPHEN, an invisible character (Cf)", "invisible"),
        ("\ufe0f", "U+FE0F VARIATION SELECTOR-16, an invisible character (Mn)", "invisible"),
        ("\u2028", "U+2028 LINE SEPARATOR, an invisible character (Zl)", "invisible"),
    ],
)
def test_hidden_characters_are_refused_with_the_msgstr_line(
    minimal: Project, char: str, described: str, code: str
) -> None:
    translate(minimal, f"Lembaga pemantau itu mencatat {char}%(deaths)s kematian.")
    if code == "invisible":
        described += " that can hide inside a figure or placeholder"
    finding = f"{PO}:30: error: translation of {DEATHS_LABEL} contains {described} [catalog.{code}]"
    assert lint(minimal) == (2, [finding])


def test_the_line_named_is_the_msgstr_line_that_holds_the_character(minimal: Project) -> None:
    translate(minimal, '"\n"Lembaga pemantau itu \\n"\n"mencatat %(deaths)s\u202e kematian.')
    assert lint(minimal) == (
        2,
        [
            f"{PO}:32: error: translation of {DEATHS_LABEL} contains U+202E RIGHT-TO-LEFT OVERRIDE, "
            "a bidi control that can reorder what readers see [catalog.bidi]"
        ],
    )


@pytest.mark.parametrize(
    ("raw", "described"),
    [
        (b"\x00", "U+0000 NULL"),
        (b"\x07", "U+0007 BELL"),
        (b"\x1b", "U+001B ESCAPE"),
        (b"\r", "U+000D CARRIAGE RETURN"),
        (b"\x0c", "U+000C FORM FEED"),
        (b"\x7f", "U+007F DELETE"),
        ("\u0085".encode(), "U+0085 NEXT LINE"),
    ],
)
def test_a_control_character_typed_into_a_translation_is_refused(minimal: Project, raw: bytes, described: str) -> None:
    path = minimal.path(PO)
    path.write_bytes(path.read_bytes().replace(b"kematian.", b"kematian." + raw + b" ", 1))
    finding = f"{PO}:30: error: translation of {DEATHS_LABEL} contains {described}, a control character (Cc)"
    assert lint(minimal) == (2, [f"{finding} [catalog.control]"])


def test_a_nul_byte_anywhere_in_the_catalog_is_refused(minimal: Project) -> None:
    path = minimal.path(PO)
    path.write_bytes(path.read_bytes().replace(b"#: templates/articles/story.html:4", b"#: templates/\x00story.html:4"))
    assert lint(minimal) == (
        2,
        [f"{PO}:27: error: line contains U+0000 NULL, a control character (Cc) [catalog.control]"],
    )


def test_tabs_newlines_and_no_break_spaces_stay_allowed(minimal: Project) -> None:
    translate(minimal, "Lembaga\tpemantau itu\\nmencatat\u00a0%(deaths)s kematian\\t.")
    assert lint(minimal)[0] == 0


# Escapes -------------------------------------------------------------------


def msgfmt_accepts(po: Path) -> bool:
    assert MSGFMT is not None
    run = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(po)], capture_output=True, check=False)
    return run.returncode == 0


@pytest.mark.parametrize("escape", ["\\000", "\\0", "\\x00", "\\101", "\\x41", "\\r", "\\a", "\\b", "\\f", "\\v"])
def test_escapes_babel_and_msgfmt_read_differently_are_refused(minimal: Project, escape: str) -> None:
    translate(minimal, f"Lembaga pemantau itu mencatat %(deaths)s kematian.{escape}")
    assert lint(minimal) == (
        2,
        [f"{PO}:30: error: escape {escape} is not allowed; only {ALLOWED} may be escaped [catalog.escape]"],
    )
    if MSGFMT:  # GNU gettext reads it, as a character Babel would not give
        assert msgfmt_accepts(minimal.path(PO))


@pytest.mark.parametrize(
    ("escape", "shown"),
    [("\\q", "\\q"), ("\\e", "\\e"), ("\\u0041", "\\u"), ("\\x", "\\x"), ("\\8", "\\8"), ("\\'", "\\'")],
)
def test_escapes_gnu_gettext_does_not_know_are_syntax_errors(minimal: Project, escape: str, shown: str) -> None:
    translate(minimal, f"Lembaga pemantau itu mencatat %(deaths)s kematian.{escape}")
    assert lint(minimal) == (2, [f"{PO}:30: error: unknown escape {shown} [catalog.syntax]"])
    if MSGFMT:
        assert not msgfmt_accepts(minimal.path(PO))


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext's msgfmt is not installed")
def test_the_escapes_allowed_read_alike_in_babel_and_msgfmt(minimal: Project, tmp_path: Path) -> None:
    translate(minimal, 'Lembaga \\"pemantau\\" itu\\tmencatat %(deaths)s kematian\\\\\\n.')
    assert lint(minimal)[0] == 0
    mo = tmp_path / "messages.mo"
    assert MSGFMT is not None
    subprocess.run([MSGFMT, "--check", "-o", str(mo), str(minimal.path(PO))], check=True)
    with mo.open("rb") as handle:
        by_msgfmt = gettext.GNUTranslations(handle).gettext("The observatory counted %(deaths)s deaths.")
    by_babel = read_po(io.BytesIO(minimal.path(PO).read_bytes())).get("The observatory counted %(deaths)s deaths.")
    assert by_msgfmt == by_babel.string == 'Lembaga "pemantau" itu\tmencatat %(deaths)s kematian\\\n.'


# Placeholders --------------------------------------------------------------


def differ(line: int, detail: str) -> str:
    return f"{PO}:{line}: error: placeholders differ from the msgid {DEATHS_LABEL}: {detail} [catalog.placeholder]"


@pytest.mark.parametrize(
    ("msgstr", "findings"),
    [
        (
            "Lembaga pemantau itu mencatat %(deaths)50000000s kematian.",
            [differ(30, "%(deaths)50000000s has a width the msgid's %(deaths)s does not")],
        ),
        (
            "Lembaga pemantau itu mencatat %(deaths)s kematian.%(deaths)50000000s",
            [
                differ(30, "a placeholder is repeated or has another type"),
                differ(30, "%(deaths)50000000s has a width the msgid's %(deaths)s does not"),
            ],
        ),
        (
            "Lembaga pemantau itu mencatat %(deaths)-9s kematian.",
            [differ(30, "%(deaths)-9s has a flag and a width the msgid's %(deaths)s does not")],
        ),
        (
            "Lembaga pemantau itu mencatat %(deaths)*.1s kematian.",
            [differ(30, "%(deaths)*.1s has a width and a precision the msgid's %(deaths)s does not")],
        ),
        (
            "Lembaga pemantau itu mencatat %(deaths)#0ls kematian.",
            [differ(30, "%(deaths)#0ls has a flag and a length modifier the msgid's %(deaths)s does not")],
        ),
        (
            "Lembaga pemantau itu mencatat %(deaths)5d kematian.",
            [
                differ(30, "a placeholder is repeated or has another type"),
                differ(30, "%(deaths)5d has a width the msgid's %(deaths)s does not"),
            ],
        ),
    ],
)
def test_a_placeholder_must_be_written_as_the_msgids(minimal: Project, msgstr: str, findings: list[str]) -> None:
    translate(minimal, msgstr)
    assert lint(minimal) == (2, findings)


STRAY = 'Python reads every "%" as the start of a placeholder; write "%%" for a percent sign'


@pytest.mark.parametrize(
    ("msgstr", "shown"),
    [
        ("Lembaga pemantau itu mencatat %(deaths)s kematian (%d).", "%d"),
        ("Lembaga pemantau itu mencatat %(deaths)s kematian, % seluruhnya.", "% s"),
        ("Lembaga pemantau itu mencatat %(deaths)s kematian %", "%"),
        ("Lembaga pemantau itu mencatat %(deaths)s kematian %y.", "%y"),
        ("Lembaga pemantau itu mencatat %(deaths)s kematian %(deaths)%.", "%(deaths)%"),
    ],
)
def test_a_stray_percent_sign_is_refused(minimal: Project, msgstr: str, shown: str) -> None:
    translate(minimal, msgstr)
    assert lint(minimal) == (2, [differ(30, f'stray "{shown}": {STRAY}')])


def test_a_doubled_percent_sign_is_a_percent_sign(minimal: Project) -> None:
    translate(minimal, "Lembaga pemantau itu mencatat %(deaths)s kematian (%%).")
    assert lint(minimal)[0] == 0


def test_placeholders_are_read_as_python_reads_them() -> None:
    assert placeholders("%(a)s %%(b)s %(c)5d %d %(e)") == [("a", "s"), ("c", "d")]


# At build and compile time -------------------------------------------------


HOSTILE = {
    "Lembaga pemantau itu mencatat %(deaths)s kematian dari ９０.０００ warga.": (
        f"{PO}:30: error: translation of {DEATHS_LABEL} types a figure; figures enter only through "
        "placeholders [catalog.literal-figure]"
    ),
    "Lembaga pemantau itu mencatat \u202e%(deaths)s kematian.": (
        f"{PO}:30: error: translation of {DEATHS_LABEL} contains U+202E RIGHT-TO-LEFT OVERRIDE, "
        "a bidi control that can reorder what readers see [catalog.bidi]"
    ),
    "Lembaga pemantau itu mencatat %(deaths)s\u200b kematian.": (
        f"{PO}:30: error: translation of {DEATHS_LABEL} contains U+200B ZERO WIDTH SPACE, an invisible "
        "character (Cf) that can hide inside a figure or placeholder [catalog.invisible]"
    ),
    "Lembaga pemantau itu mencatat %(deaths)s kematian.\x00": (
        f"{PO}:30: error: translation of {DEATHS_LABEL} contains U+0000 NULL, a control character (Cc) "
        "[catalog.control]"
    ),
    "Lembaga pemantau itu mencatat %(deaths)s kematian.\\000": (
        f"{PO}:30: error: escape \\000 is not allowed; only {ALLOWED} may be escaped [catalog.escape]"
    ),
    "Lembaga pemantau itu mencatat %(deaths)50000000s kematian.": differ(
        30, "%(deaths)50000000s has a width the msgid's %(deaths)s does not"
    ),
    "Lembaga pemantau itu mencatat %(deaths)s kematian % seluruhnya.": differ(30, f'stray "% s": {STRAY}'),
}


@pytest.mark.parametrize(("msgstr", "finding"), HOSTILE.items())
def test_a_first_build_with_a_refused_translation_publishes_nothing(
    minimal: Project, msgstr: str, finding: str
) -> None:
    translate(minimal, msgstr)
    build = minimal.build()
    assert (build.code, build.err.splitlines()) == (2, [finding])
    assert not minimal.out.exists()


def test_build_and_compile_refuse_and_leave_published_output_as_it_was(minimal: Project) -> None:
    assert minimal.build().code == 0
    published = tree_digest(minimal.out)
    mo = minimal.path(PO).with_suffix(".mo")
    assert minimal.run("i18n", "compile").code == 0
    good_mo = mo.read_bytes()
    good_po = minimal.path(PO).read_bytes()
    for msgstr, finding in HOSTILE.items():
        minimal.path(PO).write_bytes(good_po)
        translate(minimal, msgstr)
        build = minimal.build()
        assert (build.code, build.err.splitlines()) == (2, [finding]), msgstr
        assert tree_digest(minimal.out) == published
        compiled = minimal.run("i18n", "compile")
        assert (compiled.code, compiled.err.splitlines()) == (2, [finding]), msgstr
        assert mo.read_bytes() == good_mo


# Note markers ----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["[3]", "[３]", "[12]"])
def test_a_note_marker_typed_into_a_translation_is_refused(minimal: Project, typed: str) -> None:
    translate(minimal, f"Lembaga pemantau itu mencatat %(deaths)s{typed} kematian.")
    finding = (
        f'{PO}:30: error: translation of {DEATHS_LABEL} types a note marker "{typed}"; '
        "note markers come only with the figures they cite [catalog.note-marker]"
    )
    assert lint(minimal) == (2, [finding])


def test_brackets_around_words_are_no_note_marker(minimal: Project) -> None:
    translate(minimal, "Lembaga pemantau itu [lembaga independen] mencatat %(deaths)s kematian.")
    assert lint(minimal)[0] == 0


# What the catalog is -----------------------------------------------------------


def test_a_catalog_that_is_a_fifo_is_refused_without_blocking(minimal: Project) -> None:
    path = minimal.path(PO)
    path.unlink()
    os.mkfifo(path)
    build = minimal.build()
    assert (build.code, build.err.splitlines()) == (
        2,
        [f"{PO}: error: catalog is not a regular file (it is a FIFO) [catalog.file]"],
    )


def test_a_catalog_linked_outside_the_project_is_refused(minimal: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.po"
    outside.write_bytes(minimal.path(PO).read_bytes())
    minimal.path(PO).unlink()
    minimal.path(PO).symlink_to(outside)
    build = minimal.build()
    assert (build.code, build.err.splitlines()) == (
        2,
        [
            f"{PO}: error: catalog leads outside the project (a symbolic link); copy the file into the project "
            "instead [catalog.file]"
        ],
    )


def test_a_wrong_nplurals_is_named_at_the_plural_forms_line(minimal: Project) -> None:
    minimal.replace(PO, "nplurals=1; plural=0;", "nplurals=2; plural=(n != 1);")
    assert lint(minimal) == (2, [f"{PO}:11: error: Plural-Forms says nplurals=2, locale id has 1 [catalog.header]"])
