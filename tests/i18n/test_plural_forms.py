"""The Plural-Forms header: read by a parser of GNU gettext's grammar before anything evaluates it.

A hostile header ends in one error line with the header's line, exit 2 for a
build, compile and lint alike, and leaves the published output and the
compiled catalog as they were; valid headers evaluate as GNU gettext does.
"""

from __future__ import annotations

import gettext
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.i18n import loading as i18n
from pipeline.i18n.plural_forms import (
    MASK,
    Node,
    PluralFormsError,
    check_values,
    evaluate,
    parse_expression,
    parse_plural_forms,
)
from tests.conftest import PO, ROOT, Project, copy_project, tree_digest

HEADER_LINE = 15  # msgmerge writes Plural-Forms after the fields it knows
GOOD_HEADER = '"Plural-Forms: nplurals=1; plural=0;\\n"'
GRAMMAR = "n, whole numbers, parentheses and ! * / % + - < > <= >= == != && || ? :"


def header_error(detail: str) -> str:
    return f"{PO}:{HEADER_LINE}: error: {detail} [catalog.header]"


FAULTS = {
    "code": (
        "nplurals=1; plural=__import__('os').system('touch PWNED');",
        header_error(f'Plural-Forms: the plural expression has "_" at character 1; GNU gettext reads {GRAMMAR}'),
    ),
    "5,000 nested brackets": (
        "nplurals=1; plural=" + "(" * 5000 + "0" + ")" * 5000 + ";",
        header_error("Plural-Forms is 10022 characters long; at most 1000 are read"),
    ),
    "400 nested brackets": (
        "nplurals=1; plural=" + "(" * 400 + "0" + ")" * 400 + ";",
        header_error("Plural-Forms: the plural expression nests deeper than 50 levels"),
    ),
    "40,000 characters": (
        "nplurals=1; plural=" + "0+" * 20000 + "0;",
        header_error("Plural-Forms is 40022 characters long; at most 1000 are read"),
    ),
    "form out of range": (
        "nplurals=1; plural=(n != 1);",
        header_error("Plural-Forms: the plural expression gives form 1 for n=0; nplurals=1 allows only 0 to 0"),
    ),
    "syntax error": (
        "nplurals=1; plural=(n % 10;",
        header_error('Plural-Forms: the plural expression has its end at character 8 where ")" should be'),
    ),
    "division by zero": (
        "nplurals=1; plural=n / (n - n);",
        header_error("Plural-Forms: the plural expression divides by zero for n=0"),
    ),
    "too complex for Python's gettext": (
        "nplurals=1; plural=" + "(" * 25 + "0" + ")" * 25 + ";",
        header_error(
            "Plural-Forms: Python's gettext, which the build uses, cannot read the plural expression "
            "(plural form expression is too complex)"
        ),
    ),
}


@pytest.fixture(scope="module")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The sample story built once, with its compiled catalog; tests work on copies of it."""
    project = copy_project(ROOT, tmp_path_factory.mktemp("plural") / "built")
    result = project.build()
    assert result.code == 0, result.err
    return project


@pytest.fixture
def sample(built_sample: Project, tmp_path: Path) -> Project:
    shutil.copytree(built_sample.root, tmp_path / "p")
    return Project(tmp_path / "p")


@pytest.mark.parametrize(("header", "finding"), FAULTS.values(), ids=FAULTS.keys())
def test_a_hostile_plural_forms_header_is_one_error_line_and_changes_nothing(
    sample: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: str, finding: str
) -> None:
    monkeypatch.chdir(tmp_path)
    mo = sample.path(PO).with_suffix(".mo")
    published, good_mo = tree_digest(sample.out), mo.read_bytes()
    sample.replace(PO, GOOD_HEADER, f'"Plural-Forms: {header}\\n"')
    for command, code in ((("build",), 2), (("i18n", "lint"), 2), (("i18n", "compile"), 2)):
        result = sample.run(*command)
        assert (result.code, result.err.splitlines()) == (code, [finding]), command
        assert "Traceback" not in result.err + result.out
        assert tree_digest(sample.out) == published
        assert mo.read_bytes() == good_mo
    assert [path.name for path in mo.parent.iterdir() if path.name.endswith(".tmp")] == []
    assert list(tmp_path.rglob("PWNED")) == [] and list(ROOT.rglob("PWNED")) == []


def test_a_compiled_catalog_that_does_not_load_never_replaces_the_good_one(
    sample: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    mo = sample.path(PO).with_suffix(".mo")
    good_mo = mo.read_bytes()
    sample.replace(PO, "# Indonesian translation", "# The Indonesian translation")

    def broken_mo(stream, catalog):  # type: ignore[no-untyped-def]
        stream.write(b"not a catalog")

    monkeypatch.setattr(i18n, "write_mo", broken_mo)
    result = sample.run("i18n", "compile")
    assert (result.code, result.err.splitlines()) == (
        2,
        [
            "locales/id/LC_MESSAGES/messages.mo: error: the compiled catalog does not load "
            "(Bad magic number); the previous .mo is kept [catalog.compile]"
        ],
    )
    assert mo.read_bytes() == good_mo
    assert [path.name for path in mo.parent.iterdir() if path.name.endswith(".tmp")] == []


# The parser and evaluator ----------------------------------------------------

POLISH = "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
HEADERS = {
    "nplurals=1; plural=0;": lambda n: 0,
    "nplurals=2; plural=(n != 1);": lambda n: int(n != 1),
    "nplurals=2; plural=n>1;": lambda n: int(n > 1),
    POLISH: lambda n: 0 if n == 1 else 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2,
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);": (
        lambda n: 0 if n % 10 == 1 and n % 100 != 11 else 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2
    ),
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);": (
        lambda n: (
            0 if n == 0 else 1 if n == 1 else 2 if n == 2 else 3 if 3 <= n % 100 <= 10 else 4 if n % 100 >= 11 else 5
        )
    ),
    "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;": lambda n: 0 if n == 1 else 1 if 2 <= n <= 4 else 2,
}


@pytest.mark.parametrize("header", HEADERS)
def test_gnu_headers_of_several_languages_parse_and_evaluate_as_gnu_gettext_does(header: str) -> None:
    forms = parse_plural_forms(header)
    check_values(forms)
    expected = HEADERS[header]
    assert [evaluate(forms.tree, n) for n in range(1001)] == [expected(n) for n in range(1001)]


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("!n + 1", 2),  # ! binds tighter than +, as in C
        ("2 && 3", 1),  # logic gives 0 or 1
        ("0 || 7", 1),
        ("1 ? 2 : 0 ? 3 : 4", 2),  # ?: groups to the right
        ("0 ? 2 : 0 ? 3 : 4", 4),
        ("10 - 2 - 3", 5),  # binary operators group to the left
        ("2 + 3 * 4", 14),
        ("1 == 2 < 3", 1),  # < binds tighter than ==
        ("n - 1", MASK),  # unsigned long arithmetic wraps around
        ("18446744073709551617", 1),  # and so do constants
        ("0 && 1 / 0", 0),  # && does not evaluate its right side when the left decides
    ],
)
def test_evaluation_follows_c(expression: str, value: int) -> None:
    assert evaluate(parse_expression(expression), 0) == value


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("nplurals=2 plural=n;", 'Plural-Forms: nplurals should be a whole number, not "2 plural=n"'),
        ("plural=n; nplurals=2;", 'Plural-Forms should read "nplurals=N; plural=EXPRESSION;"'),
        ("nplurals=x; plural=n;", 'Plural-Forms: nplurals should be a whole number, not "x"'),
        ("nplurals=0; plural=0;", "Plural-Forms: nplurals should be at least 1"),
        ("nplurals=2; plural=n; rm -rf /", 'Plural-Forms: unexpected "rm -rf /" after the plural expression'),
        (
            "nplurals=2; plural=-n;",
            'Plural-Forms: the plural expression has "-" at character 1 where n, a number, ! or ( should be',
        ),
        (
            "nplurals=2; plural=n = 1;",
            f'Plural-Forms: the plural expression has "=" at character 3; GNU gettext reads {GRAMMAR}',
        ),
        (
            "nplurals=2; plural=n & 1;",
            f'Plural-Forms: the plural expression has "&" at character 3; GNU gettext reads {GRAMMAR}',
        ),
        (
            "nplurals=2; plural=n\u202e;",
            f"Plural-Forms: the plural expression has U+202E at character 2; GNU gettext reads {GRAMMAR}",
        ),
        (
            "nplurals=2; plural=n ? 1;",
            'Plural-Forms: the plural expression has its end at character 6 where ":" should be',
        ),
        ("nplurals=2; plural=" + "!" * 60 + "n;", "Plural-Forms: the plural expression nests deeper than 50 levels"),
        ("nplurals=2; plural=" + "n+" * 60 + "n;", "Plural-Forms: the plural expression nests deeper than 50 levels"),
    ],
)
def test_what_gnu_gettext_would_not_read_is_refused(header: str, message: str) -> None:
    with pytest.raises(PluralFormsError) as caught:
        parse_plural_forms(header)
    assert str(caught.value) == message


# Random valid expressions: ours against Python's gettext ---------------------

Expr = tuple[str, bool]
"""An expression's text and whether it gives only 0 or 1, as C's and Python's logic then agree."""


def _as_bool(expr: Expr) -> str:
    # Python's gettext reads "!a * b" as not (a * b): the operand of ! is parenthesised.
    return expr[0] if expr[1] else f"(!({expr[0]}))"


def _extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    def arithmetic(left: Expr, operator: str, right: Expr, wrap: bool) -> Expr:
        text = f"{left[0]} {operator} {right[0]}"
        return (f"({text})" if wrap else text), False

    def comparison(left: Expr, operator: str, right: Expr, wrap: bool) -> Expr:
        text = f"{left[0]} {operator} {right[0]}"
        return (f"({text})" if wrap else text), True

    return st.one_of(
        st.builds(arithmetic, children, st.sampled_from("*/%+-"), children, st.booleans()),
        st.builds(comparison, children, st.sampled_from(["<", ">", "<=", ">=", "==", "!="]), children, st.booleans()),
        st.builds(
            lambda left, operator, right: (f"({_as_bool(left)} {operator} {_as_bool(right)})", True),
            children,
            st.sampled_from(["&&", "||"]),
            children,
        ),
        st.builds(lambda operand: (f"(!({operand[0]}))", True), children),
        st.builds(lambda c, a, b: (f"({c[0]} ? {a[0]} : {b[0]})", a[1] and b[1]), children, children, children),
    )


LEAVES: st.SearchStrategy[Expr] = st.one_of(
    st.just(("n", False)), st.integers(0, 120).map(lambda value: (str(value), value in (0, 1)))
)
EXPRESSIONS = st.recursive(LEAVES, _extend, max_leaves=12)


def _plain(tree: Node, n: int) -> int | None:
    """The value in Python's unbounded integers; None where C's unsigned long and Python's ints part."""
    values = [_plain(arg, n) for arg in tree.args]
    if any(value is None for value in values):
        return None
    numbers = [int(value or 0) for value in values]
    if tree.op in ("n", "number"):
        return n if tree.op == "n" else tree.value
    if tree.op in ("/", "%") and numbers[1] == 0:
        return None
    result = evaluate(Node(tree.op, tuple(Node("number", value=value) for value in numbers)), n)
    if (tree.op == "-" and numbers[0] < numbers[1]) or (tree.op == "*" and numbers[0] * numbers[1] > MASK):
        return None
    return result


@settings(max_examples=300, deadline=None)
@given(EXPRESSIONS)
def test_our_evaluator_agrees_with_pythons_gettext_on_valid_expressions(expr: Expr) -> None:
    tree = parse_expression(expr[0])
    python = gettext.c2py(expr[0])
    for n in range(60):
        if _plain(tree, n) is None:
            continue
        assert evaluate(tree, n) == python(n), (expr[0], n)
