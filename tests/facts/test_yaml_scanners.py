"""libyaml's scanner under the restricted composer reads fact files exactly as PyYAML's does.

pipeline.facts.safeyaml reads with libyaml where the two scanners agree and falls
back to PyYAML's for the rest; every outcome (data and lines, or refusal
with its message and line) must be the pure-Python reader's.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from unittest import mock

import pytest
import yaml

from pipeline.facts import safeyaml
from pipeline.facts.safeyaml import YamlError, load_yaml
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML is built without libyaml")

Outcome = tuple[object, ...]


def outcome(read: object, text: str) -> Outcome:
    try:
        located = read(text)  # type: ignore[operator]
    except YamlError as exc:
        return ("refused", exc.message, exc.line, exc.column)
    except yaml.YAMLError as exc:
        return ("crashed", type(exc).__name__, str(exc))
    return ("read", located.data, located.lines)


def pure(text: str) -> safeyaml.LocatedData:
    """The whole reading with PyYAML's scanner: every text counts as one libyaml reads otherwise."""
    with mock.patch.object(safeyaml, "_PYTHON_ONLY", re.compile("")):
        return load_yaml(text.encode("utf-8"))


def hybrid(text: str) -> safeyaml.LocatedData:
    return load_yaml(text.encode("utf-8"))


FACT_FILES = sorted(path for folder in ("facts", "tests/fixtures") for path in (ROOT / folder).rglob("*.yaml"))


@pytest.mark.parametrize("path", FACT_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_fact_file_reads_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert outcome(hybrid, text) == outcome(pure, text)


def test_the_sample_facts_are_read_by_libyaml() -> None:
    for path in sorted((ROOT / "facts").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        loader = safeyaml._loader(text)
        assert type(loader).__name__ == "_LibyamlLoader", path
        safeyaml._read(loader, text)  # no refusal, so no second reading


@pytest.mark.parametrize(
    "text",
    [
        "a:\tb\n",  # libyaml accepts tabs PyYAML refuses
        "{a:\tb}\n",
        "a: b\t# c\n",
        "\ufeffa: b\n",
        "a: b\n\ufeff\n",  # PyYAML reads a mid-file byte-order mark as text
        "? a\n: b\n",
        "?\n",
        "[a?]\n",  # PyYAML ends a word at "?" inside [...]
        "a: |-#\n  b\n",  # PyYAML wants a space before a comment on a block scalar's header
        "---\n",  # where an empty value sits
        "a:\nb: c\n",
        "- \n- b\n",
        "a: &x 1\nb: *x\n",
        "a: !!python/object:os.system x\n",
        "a: 1\na: 2\n",
        "a: [1, 2\n",
        "a: \x7f\n",
        "a: b\r\nc: d\r\n",
        "a: b\u2028c: d\n",
        "a: 'it''s'\nb: \"\\u00e9\\x41\"\n",
        "a:\n  - 1\n  - 2.5\n  - true\n  - null\n  - ~\n  - 010\n  - 1_000\n",
        "".join(f"k{n}:\n{'  ' * n}" for n in range(1, 30)) + "v\n",
    ],
)
def test_what_the_scanners_read_differently_is_read_as_pyyaml_reads_it(text: str) -> None:
    assert outcome(hybrid, text) == outcome(pure, text)


FRAGMENTS = [
    "a", "key", ":", ": ", "- ", "-", " ", "  ", "\n", "\r\n", "#", " #c", '"', "'", "\\", "[", "]", "{", "}", ",",
    "?", "|", ">", "|-", ">+", "&x ", "*x", "!t ", "---", "...", "%YAML 1.1", "\u2028", "\x85", "\ufeff", "\xa0",
    "é", "0x1F", "1_000", "010", "yes", "null", "~", "1.5e3", "-0.0", "@", "`", "%", "\\x41", "http://a.b/c?d=e#f",
    "\n  ", "\n    ", "\n- ", "\nk: ", "v: w", "''", '""', "\t", "12", "true", "\n  k2: ", "x" * 1030,
]  # fmt: skip


@pytest.mark.parametrize("seed", range(3))
def test_random_documents_read_the_same(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(2000):
        text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 16)))
        assert outcome(hybrid, text) == outcome(pure, text), repr(text)


@pytest.mark.parametrize("seed", range(3))
def test_edited_fact_files_read_the_same(seed: int) -> None:
    """The sample's own facts with a few characters typed, deleted or replaced."""
    rng = random.Random(seed)
    texts = [path.read_text(encoding="utf-8") for path in FACT_FILES]
    edits = [" ", "\n", ":", ": ", "- ", "#", '"', "'", "[", "]", "{", "}", ",", "|", ">", "&a", "*a", "!x", "---"]
    read_by_both = 0
    for _ in range(250):
        text = rng.choice(texts)
        for _ in range(rng.randint(0, 2)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(edits) + text[at + rng.randint(0, 2) :]
        expected = outcome(pure, text)
        assert outcome(hybrid, text) == expected, repr(text)
        read_by_both += expected[0] == "read"
    assert read_by_both > 50
