"""Fact files as an attack: bombs, payloads and hostile values are refused quickly, cheaply and by line.

tests/facts/test_facts.py covers the reader and the schema rule by rule; this file
adds what an attacker (or a very unlucky editor) would try: an alias bomb and
a bracket bomb measured for time and memory, a number too long to convert,
tag directives, and URLs that are not web addresses.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from functools import cache

import pytest
import yaml

from pipeline.facts.safeyaml import MAX_DEPTH, MAX_FILE_BYTES, MAX_NUMBER_DIGITS, YamlError, load_yaml
from tests.conftest import Project

# The classic "billion laughs": ten levels, each nine references to the one below.
ALIAS_BOMB = (
    "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
    + "".join(
        f"{name}: &{name} [{','.join([f'*{below}'] * 9)}]\n"
        for below, name in zip("abcdefghi", "bcdefghij", strict=True)
    )
).encode()
MEGABYTE = 1024 * 1024


def refused_within_bounds(raw: bytes) -> tuple[int | None, str]:
    """Loads `raw`, which must fail, and checks that failing took under 5 s and 50 MB."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(YamlError) as caught:
            load_yaml(raw)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * MEGABYTE, f"peak {peak / MEGABYTE:.1f} MB"
    assert elapsed < 5, f"{elapsed:.1f} s"
    return caught.value.line, caught.value.message


def test_the_alias_bomb_is_small() -> None:
    assert len(ALIAS_BOMB) < 400


def test_an_alias_bomb_is_refused_fast_and_small() -> None:
    assert refused_within_bounds(ALIAS_BOMB) == (1, "anchors (&a) are not allowed in fact files")


def test_an_alias_without_its_anchor_is_refused_too() -> None:
    bomb = b"".join(ALIAS_BOMB.splitlines(keepends=True)[1:]).replace(b" &b", b"").replace(b" &c", b"")
    assert refused_within_bounds(bomb)[1].startswith("aliases (*a)")


def test_the_alias_bomb_is_a_bomb_for_a_reader_that_follows_aliases() -> None:
    # The control: composed by a loader that accepts aliases, the ten lines
    # stand for a tree of several billion nodes, which a walk over the
    # document (as our line-numbering reader does) would never finish.
    root = yaml.compose(ALIAS_BOMB, Loader=yaml.SafeLoader)

    @cache
    def expanded(node: yaml.Node) -> int:
        if isinstance(node, yaml.ScalarNode):
            return 1
        children = node.value if isinstance(node, yaml.SequenceNode) else [v for _, v in node.value]
        return 1 + sum(expanded(child) for child in children)

    assert expanded(root) > 3_000_000_000


def test_a_bracket_bomb_of_the_largest_allowed_size_is_refused_fast_and_small() -> None:
    bomb = b"a: " + b"[" * (MAX_FILE_BYTES - 4) + b"\n"
    assert len(bomb) == MAX_FILE_BYTES
    assert refused_within_bounds(bomb) == (1, f"nesting deeper than {MAX_DEPTH} levels")


def test_a_file_over_the_size_bound_is_refused_before_parsing() -> None:
    assert refused_within_bounds(b"a: " + b"x" * (4 * MAX_FILE_BYTES) + b"\n") == (None, "file is larger than 1024 KiB")


def test_a_number_too_long_to_convert_is_refused_with_its_line(minimal: Project) -> None:
    # Python refuses to convert more than 4300 digits with a ValueError, which
    # used to escape as a traceback.
    minimal.replace("facts/story.yaml", "value: 3250", "value: " + "9" * 5000)
    result = minimal.build()
    assert (result.code, result.out, result.err) == (
        2,
        "",
        f"facts/story.yaml:8: error: number longer than {MAX_NUMBER_DIGITS} digits [facts.yaml]\n",
    )
    assert refused_within_bounds(b"a: 1\nb: 0." + b"1" * 5000 + b"\n") == (
        2,
        f"number longer than {MAX_NUMBER_DIGITS} digits",
    )


def test_numbers_up_to_the_digit_bound_are_read() -> None:
    longest = "9" * MAX_NUMBER_DIGITS
    assert load_yaml(f"a: {longest}\nb: -{longest[:-2]}.5\n".encode()).data == {
        "a": int(longest),
        "b": float(f"-{longest[:-2]}.5"),
    }


@pytest.mark.parametrize(
    "document",
    [
        "%TAG !py! tag:yaml.org,2002:python/object/apply:\n---\nvalue: !py!os.system [touch pwned]\n",
        "%YAML 1.1\n---\nvalue: !!python/name:os.system\n",
        "value: !<tag:yaml.org,2002:python/object/new:os.system> [touch pwned]\n",
    ],
    ids=["tag-directive", "yaml-11-directive", "verbatim-tag"],
)
def test_python_tags_in_any_spelling_are_refused(document: str) -> None:
    line, message = refused_within_bounds(document.encode())
    assert line == document.count("\n")
    assert message.startswith("tags (tag:yaml.org,2002:python/")
    assert message.endswith(") are not allowed in fact files")


# URLs in facts are web addresses, nothing else ---------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        'https://example.org/" onmouseover="alert(1)',
        "https://example.org/'><img src=x onerror=alert(1)>",
        "https://example.org/ x",
        "https://example.org/\n",
        "HTTPS://EXAMPLE.ORG/",
    ],
)
def test_a_source_url_that_is_not_http_is_refused_with_its_line(minimal: Project, url: str) -> None:
    minimal.replace("facts/story.yaml", "url: https://observatory.example.org/", f"url: {json.dumps(url)}")
    result = minimal.build()
    assert (result.code, result.out, result.err) == (
        2,
        "",
        "facts/story.yaml:4: error: sources.observatory.url: String should match pattern "
        f"'^https?://[^\\s\"'<>`\\\\]+$', not {url!r} [facts.invalid]\n",
    )
    assert not minimal.out.exists()


def test_a_plain_https_url_is_accepted(minimal: Project) -> None:
    # The control for the test above.
    minimal.replace("facts/story.yaml", "url: https://observatory.example.org/", "url: https://example.org/a?b=1&c=2")
    assert minimal.build().code == 0
