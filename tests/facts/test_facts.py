"""Fact files: the restricted YAML reader, the schema, loading, and the build's refusal of bad facts.

Every test breaks one rule of docs/authoring.md on purpose and checks the whole
diagnostic line the editor sees: file, line of the offending key, dotted field,
message and code.  Most tests call `load_facts` directly; only the CLI contract
tests (and the measure check, which lives in the build) run the build.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from pipeline.config import load_config
from pipeline.errors import UserError
from pipeline.facts import safeyaml
from pipeline.facts.load import FactBase, load_facts
from pipeline.facts.model import CountFact, FactFile, PartialDate
from pipeline.facts.safeyaml import MAX_DEPTH, MAX_FILE_BYTES, YamlError, load_yaml
from pipeline.facts.series import Origin
from tests.conftest import Project, tree_digest

# A valid fact file, added next to the minimal fixture's facts/story.yaml
# (which defines the source `observatory`).  Line numbers, for the expected
# diagnostics below: 1 facts, 2 toll, 3 kind, 4 value, 5 qualifier, 6 source,
# 7 as_of.
TOLL = """\
facts:
  toll:
    kind: count
    value: 3250
    qualifier: about
    source: observatory
    as_of: "2017-10"
"""
TOLL_FILE = "facts/toll.yaml"
DIAGNOSTIC = re.compile(r"^\S+?(:\d+)?: error: .+ \[[a-z]+\.[a-z]+\]$")


def load(project: Project) -> FactBase:
    return load_facts(load_config(project.root))


def diagnostics(project: Project) -> list[str]:
    """The lines an editor would see for the project's fact files."""
    with pytest.raises(UserError) as caught:
        load(project)
    return [str(diagnostic) for diagnostic in caught.value.diagnostics]


def toll(project: Project, old: str = "", new: str = "") -> Project:
    """Writes TOLL, with `old` replaced by `new`, as facts/toll.yaml."""
    assert old in TOLL, old
    project.write(TOLL_FILE, TOLL.replace(old, new, 1))
    return project


def yaml_error(raw: bytes) -> tuple[int | None, str]:
    with pytest.raises(YamlError) as caught:
        load_yaml(raw)
    return caught.value.line, caught.value.message


# The control for every breakage below ------------------------------------


def test_the_unbroken_fact_file_loads(minimal: Project) -> None:
    base = load(toll(minimal))
    assert base.facts["toll"] == CountFact(
        kind="count", value=3250, qualifier="about", source="observatory", as_of=PartialDate(2017, 10)
    )
    assert base.origin("fact", "toll") == Origin("facts/toll.yaml", 2)


# One mistake, one line ----------------------------------------------------


def invalid(line: int, message: str) -> str:
    return f"facts/toll.yaml:{line}: error: {message} [facts.invalid]"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "value: 3250",
            "value: 270.5",
            invalid(4, "facts.toll.value: Input should be a valid integer, not 270.5"),
            id="float-count",
        ),
        pytest.param(
            "value: 3250",
            "value: yes",
            invalid(4, "facts.toll.value: Input should be a valid integer, not 'yes'"),
            id="yes-count",
        ),
        pytest.param(
            "value: 3250",
            'value: "3250"',
            invalid(4, "facts.toll.value: Input should be a valid integer, not '3250'"),
            id="quoted-count",
        ),
        pytest.param(
            "value: 3250",
            "value: -5",
            invalid(4, "facts.toll.value: Input should be greater than or equal to 0, not -5"),
            id="negative-count",
        ),
        pytest.param(
            "    source: observatory\n",
            "",
            invalid(2, "facts.toll.source: missing required field 'source'"),
            id="missing-source",
        ),
        pytest.param(
            "value: 3250",
            "vlaue: 3250",
            invalid(4, "facts.toll.vlaue: unknown key 'vlaue' (did you mean 'value'?)"),
            id="typo-value",
        ),
        pytest.param(
            "qualifier: about",
            "qualifer: about",
            invalid(5, "facts.toll.qualifer: unknown key 'qualifer'"),
            id="typo-optional-key",
        ),
        pytest.param(
            "qualifier: about",
            "qualifier: roughly",
            invalid(
                5,
                "facts.toll.qualifier: Input should be 'exact', 'about', 'at_least', 'more_than', 'almost', "
                "'up_to' or 'just_over', not 'roughly'",
            ),
            id="unknown-qualifier",
        ),
        pytest.param(
            "kind: count",
            "kind: tally",
            invalid(
                3,
                "facts.toll.kind: unknown kind 'tally' (expected 'count', 'percent', 'money', 'date', 'duration', "
                "'rank', 'series', 'countries', 'coordinates')",
            ),
            id="unknown-kind",
        ),
        pytest.param(
            "    kind: count\n", "", invalid(2, "facts.toll.kind: missing required field 'kind'"), id="missing-kind"
        ),
        pytest.param(
            "kind: count\n    value: 3250",
            "kind: money\n    value: 3250\n    currency: XYZ",
            invalid(5, "facts.toll.currency: unknown ISO 4217 currency 'XYZ'"),
            id="unknown-currency",
        ),
        pytest.param(
            "kind: count\n    value: 3250",
            "kind: money\n    value: 3250\n    currency: usd",
            invalid(5, "facts.toll.currency: String should match pattern '^[A-Z]{3}$', not 'usd'"),
            id="lowercase-currency",
        ),
        pytest.param(
            "kind: count\n    value: 3250",
            "kind: countries\n    value: [AU, XX]",
            invalid(4, "facts.toll.value: unknown ISO 3166 country code XX"),
            id="unknown-country",
        ),
        pytest.param(
            'as_of: "2017-10"',
            'as_of: "2018-13"',
            invalid(7, "facts.toll.as_of: '2018-13' is not a calendar date (month must be in 1..12)"),
            id="month-13",
        ),
        pytest.param(
            'as_of: "2017-10"',
            'as_of: "2018-02-30"',
            invalid(7, "facts.toll.as_of: '2018-02-30' is not a calendar date (day is out of range for month)"),
            id="february-30",
        ),
        pytest.param(
            'as_of: "2017-10"',
            'as_of: "March 2018"',
            invalid(
                7,
                'facts.toll.as_of: expected a date written as "YYYY", "YYYY-MM" or "YYYY-MM-DD", not \'March 2018\'',
            ),
            id="date-in-words",
        ),
        pytest.param(
            'as_of: "2017-10"',
            'as_of: "٢٠١٨-٠٣"',
            invalid(
                7,
                'facts.toll.as_of: expected a date written as "YYYY", "YYYY-MM" or "YYYY-MM-DD", not \'٢٠١٨-٠٣\'',
            ),
            id="arabic-indic-digits",
        ),
        pytest.param(
            'as_of: "2017-10"',
            'as_of: "2018\\n"',
            invalid(
                7,
                'facts.toll.as_of: expected a date written as "YYYY", "YYYY-MM" or "YYYY-MM-DD", not \'2018\\n\'',
            ),
            id="date-and-a-newline",
        ),
        pytest.param(
            'as_of: "2017-10"',
            "as_of: 2017",
            invalid(7, 'facts.toll.as_of: write the year as a quoted string, "2017"'),
            id="bare-year",
        ),
        pytest.param(
            "source: observatory",
            "source: observatry",
            "facts/toll.yaml:6: error: facts.toll.source: unknown source 'observatry' "
            "(did you mean 'observatory'?) [facts.source]",
            id="unknown-source",
        ),
    ],
)
def test_one_mistake_gives_one_line_at_the_offending_key(minimal: Project, old: str, new: str, expected: str) -> None:
    assert diagnostics(toll(minimal, old, new)) == [expected]


def test_a_bare_date_stays_the_string_typed_and_keeps_its_precision(minimal: Project) -> None:
    # The guide asks for quoted dates; the reader never turns a bare one into a
    # datetime.date, so a bare date means exactly what the quoted one does.
    toll(minimal, 'as_of: "2017-10"', "as_of: 2018-03-01")
    minimal.write(
        "facts/taken.yaml",
        "facts:\n  taken:\n    kind: date\n    value: 2017-10\n    source: observatory\n    as_of: 2018-03-01\n",
    )
    base = load(minimal)
    assert base.facts["toll"].as_of == PartialDate(2018, 3, 1)
    assert base.facts["taken"].value == PartialDate(2017, 10)  # type: ignore[union-attr]
    assert base.facts["taken"].value.precision == "month"  # type: ignore[union-attr]


# All errors of all files, together ---------------------------------------


def test_errors_of_every_file_are_reported_together_sorted_by_file(minimal: Project) -> None:
    toll(minimal, "value: 3250", "value: 270.5")
    minimal.write("facts/a.yml", TOLL.replace("toll:", "a_toll:").replace("kind: count", "kind: tally"))
    minimal.write("facts/sub/b.yaml", 'sources:\n  sub:\n    publisher: ""\n')
    minimal.write("facts/m.yaml", "facts:\n  m: &m 1\n")
    assert diagnostics(minimal) == [
        "facts/a.yml:3: error: facts.a_toll.kind: unknown kind 'tally' (expected 'count', 'percent', 'money', "
        "'date', 'duration', 'rank', 'series', 'countries', 'coordinates') [facts.invalid]",
        "facts/m.yaml:2: error: anchors (&m) are not allowed in fact files [facts.yaml]",
        "facts/sub/b.yaml:3: error: sources.sub.publisher: String should have at least 1 character, not '' "
        "[facts.invalid]",
        invalid(4, "facts.toll.value: Input should be a valid integer, not 270.5"),
    ]


def test_several_mistakes_in_one_file_are_all_reported_in_file_order(minimal: Project) -> None:
    toll(minimal, "value: 3250\n    qualifier: about", "value: 270.5\n    qualifier: roughly")
    assert [line.split(": error: ")[1].split(":")[0] for line in diagnostics(minimal)] == [
        "facts.toll.value",
        "facts.toll.qualifier",
    ]


def test_unknown_sources_in_several_files_are_reported_together(minimal: Project) -> None:
    toll(minimal, "source: observatory", "source: observatry")
    minimal.replace(
        "facts/story.yaml", '    source: observatory\n    as_of: "2018-03"\n', '    source: obs\n    as_of: "2018-03"\n'
    )
    assert diagnostics(minimal) == [
        "facts/story.yaml:17: error: facts.refugees.source: unknown source 'obs' [facts.source]",
        "facts/toll.yaml:6: error: facts.toll.source: unknown source 'observatry' "
        "(did you mean 'observatory'?) [facts.source]",
    ]


# Duplicates ---------------------------------------------------------------


def test_a_fact_id_defined_in_two_files_names_both_places(minimal: Project) -> None:
    minimal.write("facts/a.yaml", TOLL.replace("toll:", "deaths:"))
    assert diagnostics(minimal) == [
        "facts/story.yaml:6: error: duplicate fact id 'deaths' (first defined at facts/a.yaml:2) [facts.duplicate]"
    ]


def test_a_source_id_defined_in_two_files_names_both_places(minimal: Project) -> None:
    minimal.write("facts/a.yaml", "sources:\n  observatory:\n    publisher: Another Observatory\n")
    assert diagnostics(minimal) == [
        "facts/story.yaml:2: error: duplicate source id 'observatory' (first defined at facts/a.yaml:2) "
        "[facts.duplicate]"
    ]


def test_a_key_twice_in_one_mapping_names_the_key_and_both_lines(minimal: Project) -> None:
    toll(minimal, '    as_of: "2017-10"\n', '    as_of: "2017-10"\n    value: 4000\n')
    assert diagnostics(minimal) == [
        "facts/toll.yaml:8: error: duplicate key 'value' (first on line 4, again on line 8) [facts.yaml]"
    ]
    assert yaml_error(b"facts: {}\nsources: {}\nfacts: {}\n") == (
        3,
        "duplicate key 'facts' (first on line 1, again on line 3)",
    )


# The restricted YAML reader ----------------------------------------------

YAML_11_SURPRISES = ["NO", "yes", "on", "Off", "y", "010", "07310", "0x1F", "0o17", "1:20", "1_000", "1e3", "+5"]
YAML_11_SURPRISES += ["2018-03-01", "2018-03", "2001-12-14t21:59:43.10-05:00", ".inf", ".NaN", "True", "NULL"]


@pytest.mark.parametrize("typed", YAML_11_SURPRISES)
def test_yaml_11_surprises_stay_the_strings_typed(typed: str) -> None:
    assert load_yaml(f"value: {typed}\n".encode()).data == {"value": typed}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        *[("true", True), ("false", False), ("null", None), ("~", None), ("", None), ("0", 0), ("-3", -3)],
        *[("3250", 3250), ("270.5", 270.5), ("-0.25", -0.25), ('"010"', "010"), ("'yes'", "yes")],
    ],
)
def test_plain_scalars_resolve_as_a_reader_expects(typed: str, expected: Any) -> None:
    loaded = load_yaml(f"value: {typed}\n".encode()).data["value"]
    assert loaded == expected
    assert type(loaded) is type(expected)


@pytest.mark.parametrize("typed", ["NO", "yes", "on", "010", "07310", "0x1F", "1:20", "2018-03-01"])
def test_yaml_11_surprises_used_as_a_count_are_schema_errors(minimal: Project, typed: str) -> None:
    toll(minimal, "value: 3250", f"value: {typed}")
    assert diagnostics(minimal) == [invalid(4, f"facts.toll.value: Input should be a valid integer, not '{typed}'")]


def test_an_underscore_between_digits_is_a_schema_error_that_says_what_to_write(minimal: Project) -> None:
    toll(minimal, "value: 3250", "value: 1_000")
    assert diagnostics(minimal) == [
        invalid(
            4,
            "facts.toll.value: Input should be a valid integer, not '1_000'; write 1000, without thousands separators",
        )
    ]


def test_anchors_are_refused_with_their_line(minimal: Project) -> None:
    toll(minimal, "source: observatory", "source: &src observatory")
    assert diagnostics(minimal) == [
        "facts/toll.yaml:6: error: anchors (&src) are not allowed in fact files [facts.yaml]"
    ]
    assert yaml_error(b"a:\n  b: &shared\n    c: 1\n") == (2, "anchors (&shared) are not allowed in fact files")


def test_aliases_are_refused_with_their_line() -> None:
    assert yaml_error(b"a: 1\nb:\n  - *a\n") == (3, "aliases (*a) are not allowed in fact files")


def test_merge_keys_are_plain_keys_the_schema_refuses(minimal: Project) -> None:
    toll(minimal, "    qualifier: about\n", "    <<: {qualifier: about}\n")
    assert diagnostics(minimal) == [invalid(5, "facts.toll.<<: unknown key '<<'")]


def test_an_alias_bomb_is_refused() -> None:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
    bomb = ("\n".join(lines) + "\n").encode()
    assert yaml_error(bomb) == (1, "anchors (&l0) are not allowed in fact files")


PYTHON_TAG = "tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed in fact files"


def test_a_python_object_tag_is_refused_and_not_run(minimal: Project, tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    payload = f'value: !!python/object/apply:os.system ["touch {target}"]\n'
    assert yaml_error(payload.encode()) == (1, PYTHON_TAG)
    toll(minimal, "value: 3250\n", payload)
    assert diagnostics(minimal) == [f"facts/toll.yaml:4: error: {PYTHON_TAG} [facts.yaml]"]
    assert not target.exists()


def test_the_python_payload_is_live_under_an_unsafe_loader(tmp_path: Path) -> None:
    # The control for the test above: the same payload, given to a loader
    # that honours tags, does run.
    target = tmp_path / "pwned"
    yaml.unsafe_load(f'value: !!python/object/apply:os.system ["touch {target}"]\n')
    assert target.exists()


@pytest.mark.parametrize("tagged", ["!!str 5", "!!int '5'", "!!binary aGk=", "!local thing", "!!set {a}"])
def test_every_explicit_tag_is_refused(tagged: str) -> None:
    line, message = yaml_error(f"a: 1\nb: {tagged}\n".encode())
    assert line == 2
    assert re.fullmatch(r"tags \(\S+\) are not allowed in fact files", message), message


def nested(levels: int) -> bytes:
    """Mappings nested so that the deepest value, on line `levels - 1`, is `levels` nodes down."""
    keys = [f"{'  ' * depth}k{depth + 1}:\n" for depth in range(levels - 2)]
    return ("".join(keys) + f"{'  ' * (levels - 2)}k{levels - 1}: leaf\n").encode()


def test_nesting_up_to_the_bound_is_read() -> None:
    assert load_yaml(nested(MAX_DEPTH)).lines[tuple(f"k{n}" for n in range(1, MAX_DEPTH))] == MAX_DEPTH - 1


def test_nesting_deeper_than_the_bound_is_refused(minimal: Project) -> None:
    assert yaml_error(nested(MAX_DEPTH + 1)) == (MAX_DEPTH, f"nesting deeper than {MAX_DEPTH} levels")
    assert yaml_error(b"a: " + b"[" * 100 + b"]" * 100 + b"\n") == (1, f"nesting deeper than {MAX_DEPTH} levels")
    minimal.path("facts/deep.yaml").write_bytes(nested(MAX_DEPTH + 1))
    assert diagnostics(minimal) == [
        f"facts/deep.yaml:{MAX_DEPTH}: error: nesting deeper than {MAX_DEPTH} levels [facts.yaml]"
    ]


def test_a_file_over_the_size_bound_is_refused(minimal: Project) -> None:
    facts = TOLL.replace("toll", "big").encode()
    comment = b"# " + b"x" * (MAX_FILE_BYTES - len(facts) - 2) + b"\n"
    minimal.path("facts/big.yaml").write_bytes(facts + comment)
    assert minimal.path("facts/big.yaml").stat().st_size == MAX_FILE_BYTES + 1
    # Refused as it is opened (pipeline/inputs/safe_files.py), before the YAML reader sees a byte.
    assert diagnostics(minimal) == [
        "facts/big.yaml: error: fact file is larger than the limit of 1 MiB for a fact file [facts.file]"
    ]


def test_the_size_bound_is_inclusive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safeyaml, "MAX_FILE_BYTES", 2048)
    at_bound = b"a: " + b"x" * (2048 - 4) + b"\n"
    assert load_yaml(at_bound).data == {"a": "x" * 2044}
    assert yaml_error(at_bound + b"\n") == (None, "file is larger than 2 KiB")


def test_invalid_utf8_is_refused_with_its_line(minimal: Project) -> None:
    minimal.path("facts/latin1.yaml").write_bytes("sources:\n  cafe:\n    publisher: Café\n".encode("latin-1"))
    assert diagnostics(minimal) == [
        "facts/latin1.yaml:3: error: not valid UTF-8 (invalid continuation byte) [facts.yaml]"
    ]


@pytest.mark.parametrize("character", ["\x7f", "\x00", "\x1b", "\ufffe"])
def test_a_control_character_is_refused_with_its_line(minimal: Project, character: str) -> None:
    minimal.write("facts/pasted.yaml", f"sources:\n  cafe:\n    publisher: Caf{character}\n")
    code = f"U+{ord(character):04X}"
    assert diagnostics(minimal) == [
        f"facts/pasted.yaml:3: error: character {code} is not allowed in a YAML file; delete it [facts.yaml]"
    ]


def test_utf8_text_is_read(minimal: Project) -> None:
    minimal.write("facts/cafe.yaml", "sources:\n  cafe:\n    publisher: Café Société — Jakarta\n")
    assert load(minimal).sources["cafe"].publisher == "Café Société — Jakarta"


# The build refuses bad facts and writes nothing -------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "value: 3250",
            "value: 3250.5",
            "facts/story.yaml:8: error: facts.deaths.value: Input should be a valid integer, not 3250.5 "
            "[facts.invalid]",
        ),
        (
            "value: 3250",
            "value: !!python/object/apply:os.system [true]",
            f"facts/story.yaml:8: error: {PYTHON_TAG} [facts.yaml]",
        ),
        (
            "source: observatory",
            "source: nobody",
            "facts/story.yaml:10: error: facts.deaths.source: unknown source 'nobody' [facts.source]",
        ),
    ],
    ids=["schema", "yaml", "source"],
)
def test_build_with_a_broken_fact_exits_2_with_only_diagnostics_and_writes_nothing(
    minimal: Project, old: str, new: str, expected: str
) -> None:
    minimal.replace("facts/story.yaml", old, new)
    before = tree_digest(minimal.root)
    result = minimal.build()
    assert (result.code, result.out, result.err) == (2, "", expected + "\n")
    assert "Traceback" not in result.err
    assert not minimal.out.exists()
    assert tree_digest(minimal.root) == before


def test_build_reports_every_broken_fact_file_as_diagnostic_lines(minimal: Project) -> None:
    toll(minimal, "value: 3250", "value: yes")
    minimal.replace("facts/story.yaml", "kind: date", "kind: day")
    result = minimal.build()
    assert result.code == 2
    lines = result.err.splitlines()
    assert [line.split(":")[0] for line in lines] == ["facts/story.yaml", "facts/toll.yaml"]
    assert all(DIAGNOSTIC.match(line) for line in lines), lines


def test_a_failed_build_leaves_the_previous_output_byte_identical(minimal: Project) -> None:
    first = minimal.build()
    assert first.code == 0, first.err
    published = tree_digest(minimal.out)
    project = sorted(path.name for path in minimal.root.iterdir())
    minimal.replace("facts/story.yaml", "value: 3250", "vlaue: 3250")
    second = minimal.build()
    assert second.err.splitlines() == [
        "facts/story.yaml:8: error: facts.deaths.vlaue: unknown key 'vlaue' (did you mean 'value'?) [facts.invalid]"
    ]
    assert second.code == 2
    assert tree_digest(minimal.out) == published
    assert sorted(path.name for path in minimal.root.iterdir()) == project


# Variants of one measure ---------------------------------------------------

LATER_TOLL = """\
facts:
  deaths_later:
    kind: count
    value: 4000
    source: observatory
    as_of: "2018-01"
    measure: death_toll
"""


def share_a_measure(project: Project) -> None:
    project.replace("facts/story.yaml", '    as_of: "2017-10"\n', '    as_of: "2017-10"\n    measure: death_toll\n')
    project.write("facts/later.yaml", LATER_TOLL)


def test_a_measure_cited_twice_is_refused_at_the_second_citation(minimal: Project) -> None:
    share_a_measure(minimal)
    minimal.replace(
        "templates/articles/story.html",
        "<p>{% trans refugees",
        '<p>{% trans later=fig("deaths_later") %}Later, {{ later }}.{% endtrans %}</p>\n<p>{% trans refugees',
    )
    result = minimal.build()
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [
        "templates/articles/story.html:5: error: article 'story' cites both 'deaths' and 'deaths_later', "
        "two values of measure 'death_toll': cite one [article.measure]"
    ]
    assert not minimal.out.exists()


def test_variants_of_a_measure_may_be_recorded_when_one_is_cited(minimal: Project) -> None:
    share_a_measure(minimal)
    result = minimal.build()
    assert result.code == 0, result.err


# The schema documents itself ---------------------------------------------


def test_every_field_of_every_model_has_a_description() -> None:
    schema = FactFile.model_json_schema()
    models = {"FactFile": schema, **schema["$defs"]}
    assert {"CountFact", "CountriesFact", "Display", "SeriesPoint", "Source", "Article"} <= set(models)
    undocumented = [
        f"{name}.{field}"
        for name, model in models.items()
        for field, spec in model.get("properties", {}).items()
        if not spec.get("description", "").strip()
    ]
    assert undocumented == []


def test_every_model_reachable_from_a_fact_file_is_in_the_schema() -> None:
    # Guards the test above against a model that the schema would inline.
    from pipeline.facts import model

    models = {
        name
        for name, value in vars(model).items()
        if isinstance(value, type) and issubclass(value, BaseModel) and value.model_fields and name != "FactBase"
    }
    assert models - {"Strict"} <= set(FactFile.model_json_schema()["$defs"]) | {"FactFile"}
