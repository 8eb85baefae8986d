"""Fact-file errors say what to do: the value echoed, the fix suggested, YAML syntax in plain words.

Each test makes one mistake an editor makes and checks the whole line (and,
for YAML syntax, the excerpt beneath it) that the editor reads.  Echoed
values are anyone's text, so hostile ones (bidi overrides, terminal escapes,
megabytes) are shown escaped and cut.
"""

from __future__ import annotations

import json

import pytest

from pipeline.facts.explain import excerpt, shown_value
from tests.conftest import Project
from tests.facts.test_facts import DIAGNOSTIC, diagnostics, invalid, toll

MONEY = ("kind: count\n    value: 3250", "kind: money\n    value: {}\n    currency: USD")
PERCENT = ("kind: count\n    value: 3250", "kind: percent\n    value: {}")


def valid_integer_not(shown: str, fix: str = "") -> str:
    return invalid(4, f"facts.toll.value: Input should be a valid integer, not {shown}{fix}")


def valid_number_not(shown: str, fix: str) -> str:
    return invalid(4, f"facts.toll.value: Input should be a valid number, not {shown}{fix}")


# Numbers written with separators -------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("361,250", valid_integer_not("'361,250'", "; write 361250, without thousands separators")),
        # YAML reads 361.250 as 361.25; the message shows what the editor typed.
        ("361.250", valid_integer_not("361.250", "; write 361250, without thousands separators")),
        ("1 234", valid_integer_not("'1 234'", "; write 1234, without thousands separators")),
        ("1,234,567", valid_integer_not("'1,234,567'", "; write 1234567, without thousands separators")),
        ("-1.000", valid_integer_not("-1.000", "; write -1000, without thousands separators")),
        ("270.5", valid_integer_not("270.5")),
        ("3,5", valid_integer_not("'3,5'")),
        ("lots", valid_integer_not("'lots'")),
        ("true", valid_integer_not("true")),
        ("null", valid_integer_not("null")),
        ("[1, 2]", valid_integer_not("[1, 2]")),
    ],
)
def test_a_count_written_otherwise_is_echoed_with_how_to_write_it(minimal: Project, typed: str, expected: str) -> None:
    assert diagnostics(toll(minimal, "value: 3250", f"value: {typed}")) == [expected]


@pytest.mark.parametrize(
    ("fact", "typed", "expected"),
    [
        (MONEY, "1,234.5", "; write 1234.5, without thousands separators and with a decimal point"),
        (MONEY, "1.234,5", "; write 1234.5, without thousands separators and with a decimal point"),
        # Comma and point change roles between English and Indonesian: both readings are offered.
        (MONEY, "361,250", "; write 361250, or 361.250 if the comma marks decimals"),
        (PERCENT, "3,5", "; write 3.5, with a decimal point"),
    ],
    ids=["english-grouping", "indonesian-grouping", "comma-either-way", "decimal-comma"],
)
def test_a_decimal_number_written_otherwise_gets_one_line_with_the_fix(
    minimal: Project, fact: tuple[str, str], typed: str, expected: str
) -> None:
    old, new = fact
    # One line, although the schema tries the value as a whole number and as a decimal one.
    assert diagnostics(toll(minimal, old, new.format(typed))) == [valid_number_not(f"'{typed}'", expected)]


# Other values are echoed too -----------------------------------------------


def test_a_value_from_a_list_is_echoed_with_a_did_you_mean(minimal: Project) -> None:
    assert diagnostics(toll(minimal, "qualifier: about", "qualifier: abuot")) == [
        invalid(
            5,
            "facts.toll.qualifier: Input should be 'exact', 'about', 'at_least', 'more_than', 'almost', 'up_to' or "
            "'just_over', not 'abuot' (did you mean 'about'?)",
        )
    ]


def test_a_value_the_message_names_already_is_not_echoed_again(minimal: Project) -> None:
    assert diagnostics(toll(minimal, 'as_of: "2017-10"', 'as_of: "2018-13"')) == [
        invalid(7, "facts.toll.as_of: '2018-13' is not a calendar date (month must be in 1..12)")
    ]


def test_an_unknown_source_close_to_a_known_one_gets_a_did_you_mean(minimal: Project) -> None:
    assert diagnostics(toll(minimal, "source: observatory", "source: observatroy")) == [
        "facts/toll.yaml:6: error: facts.toll.source: unknown source 'observatroy' "
        "(did you mean 'observatory'?) [facts.source]"
    ]


def test_an_unknown_source_close_to_none_gets_no_guess(minimal: Project) -> None:
    assert diagnostics(toll(minimal, "source: observatory", "source: ministry")) == [
        "facts/toll.yaml:6: error: facts.toll.source: unknown source 'ministry' [facts.source]"
    ]


# Hostile values are shown, never obeyed --------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        # A right-to-left override would turn "1234" into "4321" on screen; ESC [2J clears the terminal.
        ('"12\\u202e34\\e[2J"', "'12\\u202e34\\x1b[2J'"),
        ("12\u202e34", "'12\\u202e34'"),
        ('"12\\u200b34"', "'12\\u200b34'"),
        ('"\\u3164"', "'\\u3164'"),
        ("x" * 100_000, "'" + "x" * 60 + "…' (100,000 characters)"),
    ],
    ids=["bidi-and-escape", "bidi-typed", "zero-width-space", "hangul-filler", "huge"],
)
def test_a_hostile_value_is_echoed_escaped_and_cut(minimal: Project, typed: str, shown: str) -> None:
    assert diagnostics(toll(minimal, "value: 3250", f"value: {typed}")) == [valid_integer_not(shown)]


def test_a_hostile_key_is_shown_escaped_in_the_field_and_the_message(minimal: Project) -> None:
    assert diagnostics(toll(minimal, "value: 3250", "\u202evalue: 3250")) == [
        invalid(4, "facts.toll.\\u202evalue: unknown key '\\u202evalue' (did you mean 'value'?)")
    ]


def test_a_nested_value_is_echoed_in_short() -> None:
    assert shown_value({"a": [1, [2, [3, [4]]]], "b": "y" * 50}) == "{'a': [1, [...]], 'b': 'yyyyyyy...yyyyyyyy'}"


# YAML syntax errors: one line in plain words, then the line itself ---------

SYNTAX_ERRORS = [
    pytest.param(
        "value: 3250",
        "value: 3250: x",
        "4:16",
        'a value cannot contain ": " unless it is in quotes; quote the value, or put the key on a line of its own',
        ["    4 |     value: 3250: x", "      |                ^"],
        id="key-value-value",
    ),
    pytest.param(
        "    value: 3250",
        "      value: 3250",
        "4:7",
        "this line is indented more than the key above it, or the line above lacks its ':'; "
        "keys of one mapping start in the same column",
        ["    4 |       value: 3250", "      |       ^"],
        id="indented-too-far",
    ),
    pytest.param(
        "    value: 3250",
        "   value: 3250",
        "4:4",
        "the indentation of this line matches nothing above it; "
        'keys of one mapping start in the same column, as do list items ("- ")',
        ["    4 |    value: 3250", "      |    ^"],
        id="indented-too-little",
    ),
    pytest.param(
        'as_of: "2017-10"',
        'as_of: "2017-10',
        "7:12",
        "this quoted text is never closed; end it with the quote it starts with",
        ['    7 |     as_of: "2017-10', "      |            ^"],
        id="unclosed-quote",
    ),
    pytest.param(
        "    value: 3250",
        "\tvalue: 3250",
        "4:1",
        "a tab in the indentation; indent with spaces only",
        ["    4 | \\tvalue: 3250", "      | ^"],
        id="tab-in-indentation",
    ),
    pytest.param(
        "value: 3250",
        "value: [3250",
        "4:12",
        "this list in [ ] is never closed, or its items lack a comma between them",
        ["    4 |     value: [3250", "      |            ^"],
        id="unclosed-list",
    ),
    pytest.param(
        "value: 3250",
        "value: 3250: \u202ex",
        "4:16",
        'a value cannot contain ": " unless it is in quotes; quote the value, or put the key on a line of its own',
        ["    4 |     value: 3250: \\u202ex", "      |                ^"],
        id="bidi-in-the-line-shown",
    ),
]


@pytest.mark.parametrize(("old", "new", "place", "message", "shown"), SYNTAX_ERRORS)
def test_a_yaml_syntax_error_is_one_line_in_plain_words_then_the_line_itself(
    minimal: Project, old: str, new: str, place: str, message: str, shown: list[str]
) -> None:
    result = toll(minimal, old, new).run("facts")
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [f"facts/toll.yaml:{place}: error: {message} [facts.yaml]", *shown]
    # Tools read the first line; the excerpt is indented, so no tool takes it for another finding.
    first, *rest = result.err.splitlines()
    assert DIAGNOSTIC.match(first)
    assert all(line.startswith(" ") for line in rest)


def test_json_gives_the_column_and_no_excerpt(minimal: Project) -> None:
    result = toll(minimal, "value: 3250", "value: 3250: x").run("facts", "--json")
    assert json.loads(result.out) == {
        "errors": [
            {
                "file": "facts/toll.yaml",
                "line": 4,
                "column": 16,
                "severity": "error",
                "message": 'a value cannot contain ": " unless it is in quotes; quote the value, '
                "or put the key on a line of its own",
                "code": "facts.yaml",
            }
        ]
    }


def test_the_caret_stays_under_its_character_after_wide_and_escaped_ones() -> None:
    assert excerpt("日本: \u202ex: y\n", 1, 7) == ("    1 | 日本: \\u202ex: y", "      |              ^")


def test_a_long_line_is_cut_around_the_column() -> None:
    line, caret = excerpt("k: " + "x" * 5000 + ": y: " + "z" * 5000, 1, 5007)
    assert len(line) < 120
    assert line.startswith("    1 | …x") and line.endswith("z…")
    assert line[caret.index("^")] == ":" and line[caret.index("^") - 2 : caret.index("^")] == " y"
