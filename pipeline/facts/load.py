"""Fact files to a validated fact base, with every error mapped to its line.

Every file under `facts/` is read, validated against the schema and merged;
all problems in all files are collected and reported together, each as
`facts/file.yaml:LINE: error: field: what is wrong [code]`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from pipeline.config import Config
from pipeline.errors import Diagnostic, ErrorCollector, display_path
from pipeline.facts.explain import did_you_mean, excerpt, number_fix, shown_key, shown_value
from pipeline.facts.model import Article, ArticleSeries, Fact, FactFile, Source
from pipeline.facts.safeyaml import LocatedData, YamlError, load_yaml
from pipeline.facts.series import Origin, SeriesItem, expand_item, item_problem
from pipeline.inputs import FACTS, UnsafeFile, read_input, walk


@dataclass
class FactBase:
    """Every fact, source and article of a project."""

    facts: dict[str, Fact] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    series: dict[str, ArticleSeries] = field(default_factory=dict)
    series_items: dict[str, SeriesItem] = field(default_factory=dict)
    """Slug of each article a series generated -> its item."""
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    """("fact" | "source" | "article" | "series", id) -> where it is defined; a
    generated article is defined where its item is."""

    def origin(self, kind: str, identifier: str) -> Origin:
        return self.origins[(kind, identifier)]


def load_facts(config: Config) -> FactBase:
    errors = ErrorCollector()
    base = FactBase()
    files = walk(config.facts_dir, config.root, FACTS, (".yaml", ".yml"))
    if not config.facts_dir.is_dir():
        errors.add("no facts/ folder in the project", "facts.missing", display_path(config.facts_dir, config.root))
    fact_refs: list[tuple[str, str, Origin]] = []
    role_refs: list[tuple[str, str, Origin]] = []
    for path in files:
        name = display_path(path, config.root)
        parsed = _read_file(path, config.root, name, errors)
        if parsed is None:
            continue
        document, located = parsed
        for kind, entries in (("source", document.sources), ("fact", document.facts)):
            section = "sources" if kind == "source" else "facts"
            for identifier, value in entries.items():
                origin = Origin(name, located.line_of((section, identifier)))
                if not _register(base, kind, identifier, origin, errors):
                    continue
                if kind == "source":
                    base.sources[identifier] = value  # type: ignore[assignment]
                else:
                    base.facts[identifier] = value  # type: ignore[assignment]
                    source_line = located.line_of((section, identifier, "source"))
                    fact_refs.append((identifier, value.source, Origin(name, source_line)))  # type: ignore[union-attr]
        if document.article is not None:
            slug = document.article.slug
            if _register(base, "article", slug, Origin(name, located.line_of(("article",))), errors):
                base.articles[slug] = document.article
        for series_id, series in document.series.items():
            role_refs.extend(_register_series(base, series_id, series, name, located, errors))
    # Cross-file checks on a partial fact base would only add noise.
    errors.raise_if_any()
    for identifier, source_id, origin in fact_refs:
        if source_id not in base.sources:
            hint = did_you_mean(source_id, base.sources)
            message = f"facts.{identifier}.source: unknown source {shown_value(source_id)}{hint}"
            errors.add(message, "facts.source", origin.file, origin.line)
    for where, fact_id, origin in role_refs:
        if fact_id not in base.facts:
            message = f"{where}: unknown fact {shown_value(fact_id)}{did_you_mean(fact_id, base.facts)}"
            errors.add(message, "series.fact", origin.file, origin.line)
    errors.raise_if_any()
    return base


def _register_series(
    base: FactBase, series_id: str, series: ArticleSeries, name: str, located: LocatedData, errors: ErrorCollector
) -> list[tuple[str, str, Origin]]:
    """Registers the series and the article of each item; returns (field, fact id, where) of every role."""
    if not _register(base, "series", series_id, Origin(name, located.line_of(("series", series_id))), errors):
        return []
    base.series[series_id] = series
    role_refs: list[tuple[str, str, Origin]] = []
    for item_id in series.items:
        item_path = ("series", series_id, "items", item_id)
        origin = Origin(name, located.line_of(item_path))
        problem = item_problem(series, item_id)
        if problem is not None:
            errors.add(f"{'.'.join(item_path)}: {problem}", "series.item", origin.file, origin.line)
            continue
        item = expand_item(series_id, series, item_id)
        if _register(base, "article", item.article.slug, origin, errors):
            base.articles[item.article.slug] = item.article
            base.series_items[item.article.slug] = item
        for role, fact_id in item.roles.items():
            where = ".".join((*item_path, role))
            role_refs.append((where, fact_id, Origin(name, located.line_of((*item_path, role)))))
    return role_refs


def _read_file(path: Path, root: Path, name: str, errors: ErrorCollector) -> tuple[FactFile, LocatedData] | None:
    raw = b""
    try:
        raw = read_input(path, root, FACTS)
        located = load_yaml(raw)
    except UnsafeFile as exc:
        errors.extend(exc.diagnostics)
        return None
    except YamlError as exc:
        shown: tuple[str, ...] = ()
        if exc.line is not None and exc.column is not None:
            # PyYAML does not count a leading byte-order mark as a column.
            shown = excerpt(raw.decode("utf-8").removeprefix("\ufeff"), exc.line, exc.column)
        errors.extend([Diagnostic(exc.message, "facts.yaml", name, exc.line, column=exc.column, excerpt=shown)])
        return None
    if located.data is None:
        located.data = {}
    if not isinstance(located.data, dict):
        errors.add("a fact file is a mapping with 'sources', 'facts', 'article' or 'series'", "facts.invalid", name, 1)
        return None
    try:
        return FactFile.model_validate(located.data), located
    except ValidationError as exc:
        problems = exc.errors()
        # A misspelt required key is one mistake: report the unknown key with
        # a hint, not also the missing key it was meant to be.
        missing = [tuple(p["loc"]) for p in problems if p["type"] == "missing"]
        meant: dict[tuple[str | int, ...], tuple[str | int, ...]] = {}
        for problem in problems:
            location = tuple(problem["loc"])
            if problem["type"] == "extra_forbidden":
                options = {str(m[-1]): m for m in missing if m[:-1] == location[:-1] and m not in meant.values()}
                match = difflib.get_close_matches(str(location[-1]), list(options), n=1)
                if match:
                    meant[location] = options[match[0]]
        found: list[tuple[int, str]] = []
        for problem in problems:
            location = tuple(problem["loc"])
            if location in meant.values() or _other_number_branch(problem, problems):
                continue
            if problem["type"] in ("union_tag_invalid", "union_tag_not_found"):
                # Point at the discriminator key itself, not the whole fact.
                location = (*location, str(problem["ctx"]["discriminator"]).strip("'"))
            message = _describe(problem, location, located)
            if location in meant:
                message += f" (did you mean {shown_value(meant[location][-1])}?)"
            found.append((located.line_of(location), message))
        # In the order of the file, not of the schema's fields; a number's
        # branches (whole or not) may say the same thing twice.
        for line, message in sorted(dict.fromkeys(found), key=lambda item: item[0]):
            errors.add(message, "facts.invalid", name, line)
        return None


def _other_number_branch(problem: ErrorDetails, problems: list[ErrorDetails]) -> bool:
    """The whole-number branch of a field that takes any number, reported by its other branch."""
    location = tuple(problem["loc"])
    if problem["type"] != "int_type" or not location or "int" not in str(location[-1]):
        return False
    return any(other["type"] == "float_type" and tuple(other["loc"])[:-1] == location[:-1] for other in problems)


def _describe(problem: ErrorDetails, location: tuple[str | int, ...], located: LocatedData) -> str:
    kind = problem["type"]
    names_new_key = kind in ("extra_forbidden", "missing", "union_tag_not_found")
    steps = located.steps_in_document(location)
    if names_new_key and location and (not steps or steps[-1] != location[-1]):
        steps.append(location[-1])
    field_path = ".".join(shown_key(step) for step in steps)
    if kind == "extra_forbidden":
        message = f"unknown key {shown_value(location[-1])}"
    elif kind in ("missing", "union_tag_not_found"):
        message = f"missing required field {shown_value(location[-1])}"
    elif kind == "union_tag_invalid":
        tag = shown_value(problem["input"].get("kind"))
        message = f"unknown kind {tag} (expected {problem['ctx']['expected_tags']})"
    else:
        message = problem["msg"].removeprefix("Value error, ") + _echo(problem, located, whole=kind == "int_type")
    return f"{field_path}: {message}" if field_path else message


def _echo(problem: ErrorDetails, located: LocatedData, whole: bool) -> str:
    """What to append to the schema's message: the value given and, where it can be said, how to write it."""
    value: Any = problem["input"]
    typed = located.numbers.get(tuple(located.steps_in_document(tuple(problem["loc"]))))
    shown = shown_value(value, typed)
    # Our own validators' words: a check of the whole record names what it
    # means, and a field's check may quote the value already.
    ours = problem["type"] in ("value_error", "assertion_error")
    if ours and (not (value is None or isinstance(value, str | int | float)) or shown in problem["msg"]):
        return ""
    echo = f", not {shown}"
    written = typed if typed is not None else value if isinstance(value, str) else None
    fix = number_fix(written, whole) if written is not None and problem["type"] in ("int_type", "float_type") else None
    if fix is not None:
        return f"{echo}; {fix}"
    if problem["type"] == "literal_error" and isinstance(value, str):
        return echo + did_you_mean(value, re.findall(r"'([^']*)'", str(problem["ctx"]["expected"])))
    return echo


def _register(base: FactBase, kind: str, identifier: str, origin: Origin, errors: ErrorCollector) -> bool:
    key = (kind, identifier)
    if key in base.origins:
        first = base.origins[key]
        errors.add(
            f"duplicate {kind} id {shown_value(identifier)} (first defined at {first})",
            "facts.duplicate",
            origin.file,
            origin.line,
        )
        return False
    base.origins[key] = origin
    return True
