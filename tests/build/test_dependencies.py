"""An edition taken as published is exactly what rendering it again would give.

For every fact, source, series item and article of the sample, the record is
changed in memory and the editions rendered twice: once from scratch, once
reusing what the last build published.  Every edition reused must equal its
fresh render.  Then the recording is broken on purpose, and the same check
must catch it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.build.dependencies import Recorder, TrackedMapping, template_inputs
from pipeline.build.editions import Inputs, Rendered, Stamps, read_inputs, relative_path, render_editions
from pipeline.build.incremental import Entry, Manifest
from pipeline.build.reuse import take_unchanged
from pipeline.config import load_config
from pipeline.facts.load import FactBase
from pipeline.facts.model import PartialDate
from pipeline.inputs.safe_files import content_digest
from pipeline.render.templates import inspect_template
from tests.conftest import ROOT, copy_project

Change = tuple[str, str, Any]
"""(mapping of the fact base, key, the changed record)."""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    project = copy_project(ROOT, tmp_path_factory.mktemp("dependencies") / "project")
    return read_inputs(load_config(project.root))


def publish(rendered: Rendered, folder: Path) -> Manifest:
    """What a build would have published: the HTML files and their manifest entries."""
    manifest = Manifest(intact=True)
    for edition in rendered.editions:
        relative = relative_path(edition, ".html")
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(edition.html, encoding="utf-8")
        entry = rendered.entries.get(relative)
        if entry is not None:
            manifest.files[relative] = Entry(entry.inputs, content_digest(edition.html), entry.reads, entry.data)
    return manifest


def with_change(inputs: Inputs, change: Change) -> Inputs:
    name, key, record = change
    base = FactBase(**{f.name: dict(dict.items(getattr(inputs.base, f.name))) for f in dataclasses.fields(FactBase)})
    getattr(base, name)[key] = record
    return dataclasses.replace(inputs, base=base)


def bumped(value: Any) -> Any:
    """The same kind of value, different enough to show in the text."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        # Small counts may be written as words, up to ten.
        return value + 1 if value < 10 else value - 1
    if isinstance(value, str):
        return value + ("/z" if value.startswith("https://") else " Z")
    if isinstance(value, PartialDate):
        return dataclasses.replace(value, year=value.year - 1)
    if isinstance(value, list):
        return [bumped(value[0]), *value[1:]] if value and not isinstance(value[0], str) else [*value, "NZ"]
    if hasattr(value, "model_copy"):
        # A source's name is a catalog message too (a new one stops the build until translated): change
        # what the notes show of it otherwise.
        fields = ("value", "lat", "title", "url")
        field = next(
            (name for name in fields if name in type(value).model_fields and getattr(value, name) is not None), None
        )
        return value if field is None else value.model_copy(update={field: bumped(getattr(value, field))})
    raise AssertionError(f"no change known for {value!r}")


def changes(base: FactBase) -> Iterator[Change]:
    """One change per record; the records read indirectly come first."""
    facts_by_kind: dict[str, list[str]] = {}
    for fact_id, fact in base.facts.items():
        facts_by_kind.setdefault(fact.kind, []).append(fact_id)
    for slug, item in base.series_items.items():
        for role, fact_id in item.roles.items():
            for other in facts_by_kind[base.facts[fact_id].kind]:
                if other != fact_id:
                    yield "series_items", slug, dataclasses.replace(item, roles={**item.roles, role: other})
                    break
    for source_id, source in base.sources.items():
        if bumped(source) != source:
            yield "sources", source_id, bumped(source)
    for slug, article in base.articles.items():
        yield "articles", slug, article.model_copy(update={"author": article.author + " Z"})
    for fact_id, fact in base.facts.items():
        field = "points" if fact.kind == "series" else "value"
        yield "facts", fact_id, fact.model_copy(update={field: bumped(getattr(fact, field))})


def incremental_render(inputs: Inputs, published: Manifest, folder: Path) -> Rendered:
    """As build() renders: the editions whose inputs are unchanged taken as published."""
    stamps = Stamps(inputs)
    return render_editions(inputs, stamps, take_unchanged(inputs, stamps, published, folder))


def unsound_reuses(inputs: Inputs, folder: Path, only: str | None = None) -> tuple[list[str], int]:
    """Editions reused although a fresh render differs; and how many were reused in all.

    With `only`, just the changes of that mapping, up to the first edition wrongly reused.
    """
    manifest = publish(render_editions(inputs), folder)
    wrong: list[str] = []
    reused = 0
    for change in changes(inputs.base):
        if only is not None and (wrong or change[0] != only):
            continue
        changed = with_change(inputs, change)
        fresh = {relative_path(e, ".html"): e.html for e in render_editions(changed).editions}
        planned = incremental_render(with_change(inputs, change), manifest, folder)
        reused += len(planned.reused)
        for edition in planned.editions:
            relative = relative_path(edition, ".html")
            if relative in planned.reused and fresh[relative] != edition.html:
                wrong.append(f"{change[0]}.{change[1]}: {relative}")
    return wrong, reused


def test_every_reused_edition_equals_its_fresh_render(sample: Inputs, tmp_path: Path) -> None:
    wrong, reused = unsound_reuses(sample, tmp_path)
    assert wrong == []
    assert reused > 0  # the check means something only if editions were reused


@pytest.mark.parametrize("mapping", ["facts", "sources", "series_items"])
def test_a_mapping_left_unrecorded_is_caught(
    sample: Inputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mapping: str
) -> None:
    record = Recorder.note
    monkeypatch.setattr(Recorder, "note", lambda self, name, key: name != mapping and record(self, name, key))
    wrong, _ = unsound_reuses(sample, tmp_path, only=mapping)
    assert wrong


def test_a_lookup_method_left_unrecorded_is_caught(
    sample: Inputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(TrackedMapping, "get", dict.get)
    wrong, _ = unsound_reuses(sample, tmp_path, only="series_items")
    assert wrong


def test_a_template_named_at_run_time_makes_every_template_an_input(tmp_path: Path) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    project.write("templates/articles/part.html", "<p>part</p>\n")
    project.write(
        "templates/articles/parts.html",
        '{% extends "base.html" %}{% block body %}{% include "articles/" ~ "part.html" %}{% endblock %}\n',
    )
    config = load_config(project.root)
    assert template_inputs(inspect_template(config, "articles/city-brief.html")) == [
        "articles/city-brief.html",
        "base.html",
    ]
    assert template_inputs(inspect_template(config, "articles/parts.html")) is None
