"""A restricted YAML reader that remembers where every value came from.

Fact files are edited by people, so YAML 1.1's surprises are switched off:
only `true`/`false`, `null`, decimal integers, decimal floats and strings
resolve.  `NO`, `on`, `010`, `0x1F`, `1:20`, `1_000` and bare dates stay the
strings they were typed as (and the schema then says what is wrong with
them).  Anchors, aliases and tags are refused before anything is built, which
also defuses alias bombs and `!!python/...` payloads.  Duplicate keys, which
PyYAML would silently resolve to the last one, are errors.

PyYAML's pure-Python scanner is most of the time a build spends on facts;
libyaml's (when PyYAML has it) reads the same file several times faster.
Our composer, with every refusal above, runs on the events of either.  The
two scanners disagree on a few things a fact file has no need of (tabs, a
byte-order mark after the start, "?", a comment glued to a block scalar's
header) and place an empty value on different lines: a file with any of
them is read by the pure-Python scanner alone.  A file libyaml's reading
refuses is read again by the pure-Python one, so every error a user sees is
worded and placed as it always was (tests/facts/test_yaml_scanners.py holds the
two readings to the same results).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from pipeline.facts.explain import shown_value
from pipeline.facts.yaml_syntax import explain

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 24
# Far beyond any figure a story cites, and far below the 4300 digits at which
# Python refuses to convert text to an int (a ValueError, not a diagnostic).
MAX_NUMBER_DIGITS = 30

Path = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


class YamlError(Exception):
    def __init__(self, message: str, line: int | None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        """1-based; given for syntax errors, which point at a character rather than a value."""


class _PlainResolver(BaseResolver):
    """Resolves plain scalars the way a person reading the file would."""


_PlainResolver.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|false)$"), list("tf"))
_PlainResolver.add_implicit_resolver(_NULL, re.compile(r"^(?:null|~|)$"), ["n", "~", ""])
_PlainResolver.add_implicit_resolver(_INT, re.compile(r"^-?(?:0|[1-9][0-9]*)$"), list("-0123456789"))
_PlainResolver.add_implicit_resolver(
    _FLOAT, re.compile(r"^-?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?$"), list("-0123456789")
)


class _Refusals(Composer):
    """The composer, refusing anchors, aliases, tags and deep nesting before building anything."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()  # type: ignore[attr-defined]
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent):
            raise YamlError(f"aliases (*{event.anchor}) are not allowed in fact files", line)
        if isinstance(event, ScalarEvent | CollectionStartEvent):
            if event.anchor is not None:
                raise YamlError(f"anchors (&{event.anchor}) are not allowed in fact files", line)
            if event.tag is not None:
                raise YamlError(f"tags ({event.tag}) are not allowed in fact files", line)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", line)
        try:
            node: Node | None = super().compose_node(parent, index)
            assert node is not None
            return node
        finally:
            self._depth -= 1


class _RestrictedLoader(_Refusals, Reader, Scanner, Parser, _PlainResolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _PlainResolver.__init__(self)


class _PythonOnly(YamlError):
    """libyaml's reading may differ from PyYAML's here: read the file with PyYAML's."""

    def __init__(self) -> None:
        super().__init__("read by the pure-Python scanner", None)


# What libyaml's scanner reads otherwise than PyYAML's: tabs (it accepts some
# that PyYAML refuses), a byte-order mark inside the text (PyYAML reads it as
# text), "?" (explicit keys; inside [...] PyYAML ends a word at it) and a
# comment right after a block scalar's "|" or ">" (PyYAML refuses it).
_PYTHON_ONLY = re.compile(r"[\t\ufeff?]|[|>][-+0-9]*#")


def _loader(stream: str) -> Composer:
    """libyaml's scanner under our composer where it reads as PyYAML's does, else PyYAML's."""
    if yaml.__with_libyaml__ and not _PYTHON_ONLY.search(stream):
        return _LibyamlLoader(stream)
    return _RestrictedLoader(stream)


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _LibyamlLoader(_Refusals, CParser, _PlainResolver):
        """Our composer comes first: CParser's own composer would follow aliases."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            _PlainResolver.__init__(self)

        def compose_scalar_node(self, anchor: Any) -> ScalarNode:
            # The two place a value left empty ("key:", "---") on different lines.
            event = self.peek_event()
            start, end = (event.start_mark, event.end_mark) if event is not None else (None, None)
            if start is None or end is None or start.index == end.index:
                raise _PythonOnly
            return super().compose_scalar_node(anchor)


@dataclass
class LocatedData:
    """Plain Python data plus the line on which each value starts."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    numbers: dict[Path, str] = field(default_factory=dict)
    """Each number as the file writes it: 361.250 is read as 361.25, but an editor typed a separator."""

    def steps_in_document(self, path: Path) -> list[str | int]:
        """The steps of `path` that name keys or items present in the document.

        Validators insert steps of their own (the name of the matched union
        member, "[key]" for dictionary keys); the user only knows the keys
        they typed.
        """
        current: Any = self.data
        walked: list[str | int] = []
        for step in path:
            if (isinstance(current, dict) and step in current) or (
                isinstance(current, list) and isinstance(step, int) and 0 <= step < len(current)
            ):
                current = current[step]  # type: ignore[index]
                walked.append(step)
        return walked

    def line_of(self, path: Path) -> int:
        """The line of the deepest value along `path` that exists."""
        walked = self.steps_in_document(path)
        while walked and tuple(walked) not in self.lines:
            walked.pop()
        return self.lines.get(tuple(walked), self.lines.get((), 1))


def load_yaml(raw: bytes) -> LocatedData:
    if len(raw) > MAX_FILE_BYTES:
        raise YamlError(f"file is larger than {MAX_FILE_BYTES // 1024} KiB", None)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(f"not valid UTF-8 ({exc.reason})", raw[: exc.start].count(b"\n") + 1) from None
    try:
        loader = _loader(text)
        try:
            return _read(loader, text)
        except YamlError:
            if isinstance(loader, _RestrictedLoader):
                raise
            # Refused: the pure-Python reading words and places the refusal.
            return _read(_RestrictedLoader(text), text)
    except yaml.reader.ReaderError as exc:
        # A control character: PyYAML refuses it before reading a line, without a mark.
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        shown = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise YamlError(f"character {shown} is not allowed in a YAML file; delete it", line) from None


def _read(loader: Composer, text: str) -> LocatedData:
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        explained = explain(exc, text)
        if explained is None:
            raise YamlError(f"invalid YAML: {exc.problem or exc.context}", None) from None
        raise YamlError(explained.message, explained.line, explained.column) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", None) from None
    finally:
        loader.dispose()  # type: ignore[attr-defined]
    located = LocatedData(data=None)
    if root is not None:
        located.data = _build(root, (), located)
    located.lines.setdefault((), 1)
    return located


def _build(node: Node, path: Path, located: LocatedData) -> Any:
    lines = located.lines
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, ScalarNode):
        if node.tag in (_INT, _FLOAT):
            located.numbers[path] = node.value
        return _scalar(node)
    if isinstance(node, SequenceNode):
        return [_build(item, (*path, index), located) for index, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
                raise YamlError(f"keys must be plain names, found {_describe(key_node)}", key_line)
            key = key_node.value
            if key in first_line:
                raise YamlError(
                    f"duplicate key {shown_value(key)} (first on line {first_line[key]}, again on line {key_line})",
                    key_line,
                )
            first_line[key] = key_line
            lines[(*path, key)] = key_line
            result[key] = _build(value_node, (*path, key), located)
        return result
    raise YamlError(f"unsupported YAML node {_describe(node)}", node.start_mark.line + 1)


def _scalar(node: ScalarNode) -> Any:
    if node.tag in (_INT, _FLOAT) and sum(char.isdigit() for char in node.value) > MAX_NUMBER_DIGITS:
        raise YamlError(f"number longer than {MAX_NUMBER_DIGITS} digits", node.start_mark.line + 1)
    if node.tag == _INT:
        return int(node.value)
    if node.tag == _FLOAT:
        return float(node.value)
    if node.tag == _BOOL:
        return node.value == "true"
    if node.tag == _NULL:
        return None
    return node.value


def _describe(node: Node) -> str:
    if isinstance(node, ScalarNode):
        return shown_value(node.value)
    return "a list" if isinstance(node, SequenceNode) else "a mapping"
