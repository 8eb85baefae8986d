"""What each edition is made from, recorded while it renders, so the next build
knows which editions a change touches before rendering any.

A desk with hundreds of stories changes one figure and expects only the
stories citing it to be rendered again.  Which facts an edition cites is only
known once its template has run (a series brief cites facts through its
item's roles, a chart through its bars), so, as `make` does with a
compiler's dependency files, every render records what it read: the fact
base's mappings note each key looked up while a render is under way, and a
render that walks a whole mapping depends on all of it.  The manifest keeps
those names; the next build digests their current values and reuses the
published edition when the digest is the one it was published with.

Templates are found statically (templates.py reads them anyway to check
them): the article's template and every template it extends, includes or
imports; a name computed at run time makes the edition depend on every
template.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from pipeline.facts import FactBase
from pipeline.inputs import TEMPLATE, content_digest, read_input, tree_digest
from pipeline.render import TemplateReport

V = TypeVar("V")
WHOLE = "*"
"""Recorded instead of keys when a render read every entry of a mapping."""

TRACKED = ("facts", "sources", "series_items", "articles")
"""The fact base's mappings a render may read."""

Reads = dict[str, set[str]]
"""Mapping name -> the keys read from it (WHOLE: all of them)."""


class Recorder:
    def __init__(self) -> None:
        self.reads: Reads | None = None

    def note(self, mapping: str, key: object) -> None:
        if self.reads is not None and isinstance(key, str):
            self.reads.setdefault(mapping, set()).add(key)


class TrackedMapping(dict[str, V]):
    """A dict that tells the recorder which keys a render looked up.

    A key looked up and absent is recorded too: defining it later must
    re-render the edition that found it missing.
    """

    __slots__ = ("_name", "_recorder")

    def __init__(self, name: str, recorder: Recorder, entries: Mapping[str, V]) -> None:
        super().__init__(entries)
        self._name = name
        self._recorder = recorder

    def __getitem__(self, key: str) -> V:
        self._recorder.note(self._name, key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._recorder.note(self._name, key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._recorder.note(self._name, key)
        return super().__contains__(key)

    def _whole(self) -> None:
        self._recorder.note(self._name, WHOLE)

    def __iter__(self) -> Iterator[str]:
        self._whole()
        return super().__iter__()

    def __len__(self) -> int:
        self._whole()
        return super().__len__()

    def keys(self) -> Any:
        self._whole()
        return super().keys()

    def values(self) -> Any:
        self._whole()
        return super().values()

    def items(self) -> Any:
        self._whole()
        return super().items()


class DependencyTracker:
    """Installs tracked mappings in a fact base and records one render at a time."""

    def __init__(self, base: FactBase) -> None:
        self.base = base
        self._recorder = Recorder()
        for name in TRACKED:
            setattr(base, name, TrackedMapping(name, self._recorder, getattr(base, name)))
        self._value_digests: dict[tuple[str, str], str] = {}

    @contextmanager
    def recording(self) -> Iterator[Reads]:
        reads: Reads = {}
        self._recorder.reads = reads
        try:
            yield reads
        finally:
            self._recorder.reads = None

    def digest(self, reads: Mapping[str, Any]) -> str:
        """The current values of everything in `reads`, as one digest."""
        parts: list[str] = []
        for name in sorted(reads):
            if name not in TRACKED:
                # A manifest written by another version of the pipeline.
                return content_digest("unknown mapping", name)
            for key in sorted(reads[name]):
                parts += [name, key, self._value_digest(name, key)]
        return content_digest(*parts)

    def _value_digest(self, name: str, key: str) -> str:
        cached = self._value_digests.get((name, key))
        if cached is None:
            mapping: dict[str, Any] = getattr(self.base, name)
            if key == WHOLE:
                entries = dict.items(mapping)
                cached = content_digest(*(part for k, v in sorted(entries) for part in (k, canonical(v))))
            else:
                # Kept for the whole build, as a digest: a record's text would grow with the corpus.
                cached = content_digest(canonical(dict.get(mapping, key, None)))
            self._value_digests[(name, key)] = cached
        return cached


def canonical(value: Any) -> str:
    """A stable text form of a record: equal text, equal rendering."""
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return {"model": type(value).__name__, "fields": value.model_dump(mode="json")}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"model": type(value).__name__, "fields": fields}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)


def serialise(reads: Reads) -> dict[str, list[str]]:
    return {name: sorted(keys) for name, keys in sorted(reads.items())}


def template_inputs(report: TemplateReport) -> list[str] | None:
    """The templates an article's render reads; None: any of them (a name known only at run time)."""
    return None if report.named_at_run_time else sorted(set(report.templates))


def templates_digest(templates_dir: Path, root: Path, names: list[str] | None) -> str:
    """The text of these templates (None: every file of the templates folder)."""
    if names is None:
        return tree_digest(templates_dir, root, TEMPLATE)
    parts: list[bytes | str] = []
    for name in names:
        path = templates_dir / name
        parts += [name, read_input(path, root, TEMPLATE) if os.path.lexists(path) else b"\0absent"]
    return content_digest(*parts)
