"""What the templates say before anything is rendered.

Reads every template an article uses (the article and what it extends or
includes) without rendering it, so that all problems of all articles are
reported at once with their template lines: a fact that does not exist, a
figure typed into the prose instead of entering through `fig()`, two values
of one measure cited in one article.

A series template cites facts through its item's roles (`fig(item.retaken)`);
each generated article resolves them against its own item, so every check
above covers every item (pipeline/facts/series.py reads the roles).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.filters import FILTERS as DEFAULT_FILTERS
from jinja2.tests import TESTS as DEFAULT_TESTS

from pipeline.config import Config
from pipeline.errors import Diagnostic, ErrorCollector, display_path
from pipeline.facts import (
    ITEM_VARIABLE,
    Article,
    FactBase,
    ItemLookup,
    RoleUse,
    SeriesItem,
    check_item,
    did_you_mean,
    item_lookups,
    role_uses,
)
from pipeline.inputs import TEMPLATE, tree_digest
from pipeline.reading import extract_figures
from pipeline.render.renderer import TEMPLATE_FILTERS, ProjectLoader

KNOWN_FILTERS = frozenset(DEFAULT_FILTERS) | frozenset(TEMPLATE_FILTERS)
KNOWN_TESTS = frozenset(DEFAULT_TESTS)
# Functions whose first argument names a fact (a chart bar, a map place too): checked before rendering.
FIGURE_FUNCTIONS = ("fig", "countries", "count_of", "bar", "place")
MARKUP = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class FactReference:
    fact_id: str
    period: str | None
    template: str
    line: int


@dataclass(frozen=True)
class TemplateReport:
    """Immutable through and through: one report is shared by every article of a template."""

    references: tuple[FactReference, ...]
    literal_figures: tuple[tuple[str, str, int], ...]
    """(figure text, template, line) for figures typed into template text."""

    unknown_names: tuple[tuple[str, str, int], ...] = ()
    """(what, template, line) for filters and tests that do not exist."""

    role_uses: tuple[RoleUse, ...] = ()
    item_lookups: tuple[ItemLookup, ...] = ()

    templates: tuple[str, ...] = ()
    """The template and every template it extends, includes or imports."""
    named_at_run_time: tuple[str, ...] = ()
    """Templates that reach another through a name computed at run time:
    which one is only known when the article renders."""


def inspect_template(config: Config, template_name: str) -> TemplateReport:
    """Fact references and literal figures of a template and the templates it uses.

    Many articles share a template (a series): it is read once per content of
    the templates folder, so an edit is seen at once (the preview server).

    Raises jinja2.TemplateNotFound and jinja2.TemplateSyntaxError.
    """
    return _inspect_once(config, template_name, tree_digest(config.templates_dir, config.root, TEMPLATE))


@lru_cache(maxsize=64)
def _inspect_once(config: Config, template_name: str, digest: str) -> TemplateReport:
    parts: list[TemplateReport] = []
    seen: set[str] = set()
    pending = [template_name]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        report, used = _inspect_file(config, name, digest)
        pending.extend(used)
        parts.append(report)
    return TemplateReport(
        *(tuple(item for part in parts for item in getattr(part, column.name)) for column in fields(TemplateReport))
    )


@lru_cache(maxsize=256)
def _inspect_file(config: Config, name: str, digest: str) -> tuple[TemplateReport, tuple[str, ...]]:
    """One template file on its own, and the templates it extends, includes or imports.

    Every article template extends the same layout: it is read once, not once per article template.
    """
    env = jinja2.Environment(loader=ProjectLoader(config), extensions=["jinja2.ext.i18n"])
    source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    shown = display_path(Path(filename), config.root) if filename else name
    tree = env.parse(source, name, filename)
    used: list[str] = []
    named_at_run_time: list[str] = []
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        target = getattr(node, "template", None)
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            used.append(target.value)
        else:
            named_at_run_time.append(name)
    # Jinja2 reports an unknown filter or test only when its line runs;
    # one in a branch the sample never takes would break a later story.
    unknown_names: list[tuple[str, str, int]] = []
    for checked in tree.find_all((nodes.Filter, nodes.Test)):
        known = KNOWN_FILTERS if isinstance(checked, nodes.Filter) else KNOWN_TESTS
        kind = "filter" if isinstance(checked, nodes.Filter) else "test"
        function = getattr(checked, "name", "")
        if function not in known:
            unknown_names.append((f"unknown {kind} {function!r}", shown, checked.lineno))
    references: list[FactReference] = []
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name in FIGURE_FUNCTIONS and call.args:
            args = [arg.value if isinstance(arg, nodes.Const) else None for arg in call.args]
            if isinstance(args[0], str):
                period = args[1] if len(args) > 1 and isinstance(args[1], str) else None
                references.append(FactReference(args[0], period, shown, call.lineno))
    literal_figures: list[tuple[str, str, int]] = []
    language = config.source_locale.language
    for line, token, value in env.lex(source, name, filename):
        if token != "data":
            continue
        # Tag names and attributes (<h2>, class="...") are markup, not prose.
        prose = MARKUP.sub(lambda match: " " * len(match.group()), value)
        for figure in extract_figures(prose, language):
            if not figure.spelled:
                literal_figures.append((figure.text, shown, line + prose[: figure.start].count("\n")))
    report = TemplateReport(
        tuple(references),
        tuple(literal_figures),
        tuple(unknown_names),
        tuple(role_uses(tree, FIGURE_FUNCTIONS, shown)),
        tuple(item_lookups(tree, shown)),
        (name,),
        tuple(named_at_run_time),
    )
    return report, tuple(used)


def resolve_roles(report: TemplateReport, item: SeriesItem | None) -> list[FactReference]:
    """The template's fact references with the item's roles resolved to its facts."""
    resolved = list(report.references)
    if item is not None:
        resolved += [
            FactReference(item.roles[use.role], use.period, use.template, use.line)
            for use in report.role_uses
            if use.role in item.roles
        ]
    return resolved


def check_article_templates(config: Config, base: FactBase, article: Article, errors: ErrorCollector) -> None:
    origin = base.origin("article", article.slug)
    try:
        report = inspect_template(config, article.template)
    except jinja2.TemplateNotFound as exc:
        message = f"article template {exc.name!r} not found in templates/"
        errors.add(message, "article.template", origin.file, origin.line)
        return
    except jinja2.TemplateSyntaxError as exc:
        shown = display_path(Path(exc.filename), config.root) if exc.filename else None
        _add_once(errors, f"template syntax: {exc.message}", "template.syntax", shown, exc.lineno)
        return
    item = base.series_items.get(article.slug)
    if item is not None:
        check_item(item, report.role_uses, report.item_lookups, origin, errors)
    else:
        for use in report.role_uses:
            message = f"{ITEM_VARIABLE}.{use.role}: only the template of a series has an item"
            _add_once(errors, message, "template.item", use.template, use.line)
    references = resolve_roles(report, item)
    # The articles of a series share their template: its own mistakes are reported once, not per item.
    for reference in report.references:
        if reference.fact_id not in base.facts:
            message = f"unknown fact {reference.fact_id!r}{did_you_mean(reference.fact_id, base.facts)}"
            _add_once(errors, message, "template.fact", reference.template, reference.line)
    for what, template, line in report.unknown_names:
        _add_once(errors, what, "template.name", template, line)
    for text, template, line in report.literal_figures:
        _add_once(
            errors,
            f'figure "{text}" typed into the template; figures enter sentences through fig()',
            "template.literal-figure",
            template,
            line,
        )
    cited_by_measure: dict[str, str] = {}
    for reference in references:
        fact = base.facts.get(reference.fact_id)
        if fact is None or fact.measure is None:
            continue
        other = cited_by_measure.setdefault(fact.measure, reference.fact_id)
        if other != reference.fact_id:
            errors.add(
                f"article {article.slug!r} cites both {other!r} and {reference.fact_id!r}, "
                f"two values of measure {fact.measure!r}: cite one",
                "article.measure",
                reference.template,
                reference.line,
            )


def _add_once(errors: ErrorCollector, message: str, code: str, file: str | None, line: int | None) -> None:
    if Diagnostic(message, code, file, line) not in errors.diagnostics:
        errors.add(message, code, file, line)
