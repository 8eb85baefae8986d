"""The JSON Schema of fact files: exported by `pipeline schema`, committed, referenced by every fact file."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.facts.safeyaml import load_yaml
from pipeline.provenance.provenance import SCHEMA_FILE, fact_file_schema
from tests.conftest import ROOT, run_cli
from tests.validators import check_jsonschema_or_skip, node_or_skip

COMMITTED = ROOT / "facts" / SCHEMA_FILE
FACT_FILES = sorted((ROOT / "facts").rglob("*.yaml"))
SCHEMA_COMMENT = "# yaml-language-server: $schema="


def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_committed_schema_is_the_current_export() -> None:
    # After a change to pipeline/facts/model.py: pipeline schema --out facts/facts.schema.json
    assert COMMITTED.read_text(encoding="utf-8") == fact_file_schema()


def test_schema_prints_the_export() -> None:
    result = run_cli("schema")
    assert (result.code, result.err) == (0, "")
    assert result.out == COMMITTED.read_text(encoding="utf-8")
    schema = json.loads(result.out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "pipeline fact file"
    # Descriptions come from the model's field docstrings, for hover help in editors.
    as_of = schema["$defs"]["CountFact"]["properties"]["as_of"]
    assert as_of["description"] == 'The date the figure holds at ("YYYY", "YYYY-MM" or "YYYY-MM-DD").'


def test_schema_out_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "facts.schema.json"
    result = run_cli("schema", "--out", target)
    assert (result.code, result.err, result.out) == (0, "", f"wrote {target}\n")
    assert target.read_text(encoding="utf-8") == fact_file_schema()


@pytest.mark.parametrize("path", FACT_FILES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_fact_file_points_its_editor_at_the_schema(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith(SCHEMA_COMMENT)
    relative = first_line.removeprefix(SCHEMA_COMMENT)
    assert (path.parent / relative).resolve() == COMMITTED.resolve()
    # Relative, so the reference holds in every checkout and copy of the project.
    assert relative.startswith(("./", "../"))


@pytest.mark.parametrize("path", FACT_FILES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_the_real_fact_files_validate_against_the_schema(path: Path) -> None:
    errors = [error.message for error in validator().iter_errors(load_yaml(path.read_bytes()).data)]
    assert errors == []


FACT = {"kind": "count", "value": 3250, "source": "observatory", "as_of": "2017-10"}


@pytest.mark.parametrize(
    "document",
    [
        {"facts": {"toll": {**FACT, "vlaue": 1}}},
        {"facts": {"toll": {**FACT, "value": "3250"}}},
        {"facts": {"toll": {**FACT, "value": -1}}},
        {"facts": {"toll": {**FACT, "as_of": "October 2017"}}},
        {"facts": {"toll": {**FACT, "kind": "tally"}}},
        {"facts": {"toll": {**FACT, "qualifier": "roughly"}}},
        {"facts": {"Toll-Count": FACT}},
        {"sources": {"observatory": {"publisher": "X", "url": "javascript:alert(1)"}}},
        {
            "article": {
                "slug": "story",
                "template": "a.html",
                "published": "2018-03-29",
                "author": "A",
                "max_fact_age_months": 0,
            }
        },
        {"facts": {"toll": FACT}, "notes": "x"},
    ],
    ids=[
        "misspelt key",
        "quoted number",
        "negative count",
        "date in words",
        "unknown kind",
        "unknown qualifier",
        "id not an identifier",
        "javascript url",
        "zero age limit",
        "unknown section",
    ],
)
def test_editors_see_the_mistakes_the_build_refuses(document: dict[str, Any]) -> None:
    assert list(validator().iter_errors(document)) != []


def test_a_valid_document_passes() -> None:
    document = {
        "facts": {"toll": FACT},
        "article": {
            "slug": "story",
            "template": "articles/story.html",
            "published": "2018-03-29",
            "author": "Desk",
            "max_fact_age_months": 6,
        },
    }
    assert list(validator().iter_errors(document)) == []


# Strict tools: the YAML language server compiles every `pattern` as an
# ECMAScript regex in Unicode mode, where an escape such as \" or \- is a
# syntax error and the whole schema fails to load. Python's re accepts both.


def run_check_jsonschema(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [check_jsonschema_or_skip(), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)


def test_check_jsonschema_accepts_the_schema() -> None:
    result = run_check_jsonschema("--check-metaschema", COMMITTED)
    assert (result.returncode, result.stdout) == (0, "ok -- validation done\n"), result.stdout + result.stderr


def test_check_jsonschema_accepts_every_fact_file() -> None:
    # check-jsonschema reads YAML itself, as an editor's language server does.
    result = run_check_jsonschema("--schemafile", COMMITTED, *FACT_FILES)
    assert (result.returncode, result.stdout) == (0, "ok -- validation done\n"), result.stdout + result.stderr


def patterns(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            elif key == "patternProperties" and isinstance(value, dict):
                yield from value
            yield from patterns(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from patterns(item)


# Prints [pattern, error] for every pattern that does not compile.
ECMASCRIPT_COMPILE = """
const refused = [];
for (const pattern of JSON.parse(require("fs").readFileSync(0, "utf8"))) {
  try { new RegExp(pattern, "u"); } catch (error) { refused.push([pattern, error.message]); }
}
process.stdout.write(JSON.stringify(refused));
"""


def refused_by_ecmascript(candidates: list[str]) -> list[list[str]]:
    node = node_or_skip()
    result = subprocess.run(
        [node, "-e", ECMASCRIPT_COMPILE],
        input=json.dumps(candidates),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    refused: list[list[str]] = json.loads(result.stdout)
    return refused


def test_every_pattern_compiles_as_an_ecmascript_unicode_regex() -> None:
    found = sorted(set(patterns(json.loads(COMMITTED.read_text(encoding="utf-8")))))
    assert len(found) >= 6
    assert refused_by_ecmascript(found) == []


def test_the_ecmascript_check_refuses_what_python_accepts() -> None:
    # Escapes Python's re reads as the bare character; Unicode mode refuses them.
    refused = refused_by_ecmascript([r"^[^\s\"]+$", r"^a\-b$", r"^[a-z]+$"])
    assert [pattern for pattern, _ in refused] == [r"^[^\s\"]+$", r"^a\-b$"]
