"""Context for translators: what each placeholder holds, shown in both locales.

Every extracted message gets an automatic comment (`#.`) per placeholder that
comes from a fact, e.g.

    %(killed)s: sohr_raqqa_deaths, a count from Syrian Observatory for Human
    Rights: "at least 3,250" / "setidaknya 3.250"

so a translator sees what the sentence will say without opening a fact file.
The mapping from placeholder to fact is read from the templates' syntax tree
(the `name=fig("fact")` arguments of each `{% trans %}` block).  In a series
template a placeholder shows a role (`fig(item.retaken)`), a different fact in
each generated article: the note gives every item's value.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
from jinja2 import nodes

from pipeline.config import Config
from pipeline.errors import UserError, display_path
from pipeline.facts import ITEM_VARIABLE, FactBase
from pipeline.i18n.formatting import FigureFormatter, FormatError
from pipeline.i18n.lint import placeholders
from pipeline.inputs import TEMPLATE, read_input_text, walk

# (context argument index, msgid argument index) of each gettext function.
SOURCE_NAME_CONTEXT = "source name"
"""The msgctxt of a source's name: templates write `pgettext("source name", source.publisher)`."""


def names_sources(config: Config) -> bool:
    """Whether the templates give each source the name the reader's language knows (from the catalog)."""
    marker = f'"{SOURCE_NAME_CONTEXT}"'
    return any(
        marker in read_input_text(path, config.root, TEMPLATE)
        for path in walk(config.templates_dir, config.root, TEMPLATE, (".html",))
    )


GETTEXT_FUNCTIONS = {
    "gettext": (None, 0),
    "_": (None, 0),
    "ngettext": (None, 0),
    "pgettext": (0, 1),
    "npgettext": (0, 1),
}
FACT_FUNCTIONS = ("fig", "countries", "count_of")
KIND_NAMES = {
    "count": "a count",
    "percent": "a percentage",
    "money": "an amount of money",
    "date": "a date",
    "duration": "a duration",
    "rank": "a rank",
    "series": "a point of a series",
    "countries": "a list of countries",
}

MessageKey = tuple[str | None, str]


@dataclass(frozen=True)
class PlaceholderSource:
    function: str
    fact_id: str
    """The fact, or "item.<role>" for a role of a series template."""
    period: str | None
    role: str | None = None
    template: str | None = None
    """For a role: the template it is read in, which says which series' items fill it."""


def placeholder_sources(config: Config) -> dict[MessageKey, dict[str, PlaceholderSource]]:
    """For every gettext message of every template: placeholder name -> the fact it shows."""
    # Only parsed, never loaded by name: no loader, every file read through safe_files.py.
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    # Trimmed like the extractor and the renderer, so msgids match the catalog's.
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # placeholders become keyword arguments
    sources: dict[MessageKey, dict[str, PlaceholderSource]] = {}
    for path in walk(config.templates_dir, config.root, TEMPLATE, (".html",)):
        name = path.relative_to(config.templates_dir).as_posix()
        try:
            tree = env.parse(read_input_text(path, config.root, TEMPLATE), name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            raise UserError.single(
                f"template syntax: {exc.message}", "template.syntax", display_path(path, config.root), exc.lineno
            ) from None
        # Jinja2 hoists the first variable of a {% trans %} block into `_trans`.
        hoisted: nodes.Node | None = None
        for node in tree.find_all((nodes.Assign, nodes.Call)):
            if isinstance(node, nodes.Assign):
                if isinstance(node.target, nodes.Name) and node.target.name == "_trans":
                    hoisted = node.node
                continue
            assert isinstance(node, nodes.Call)
            if not isinstance(node.node, nodes.Name) or node.node.name not in GETTEXT_FUNCTIONS:
                continue
            context_index, msgid_index = GETTEXT_FUNCTIONS[node.node.name]
            constants = [arg.value if isinstance(arg, nodes.Const) else None for arg in node.args]
            msgid = constants[msgid_index] if len(constants) > msgid_index else None
            context = constants[context_index] if context_index is not None and constants else None
            if not isinstance(msgid, str):
                continue
            entry = sources.setdefault((context, msgid), {})
            for keyword in node.kwargs:
                value = (
                    hoisted
                    if isinstance(keyword.value, nodes.Name) and keyword.value.name == "_trans"
                    else keyword.value
                )
                source = _fact_call(value, name)
                if source is not None:
                    entry[keyword.key] = source
    return sources


def _fact_call(value: nodes.Node | None, template: str) -> PlaceholderSource | None:
    if not isinstance(value, nodes.Call) or not isinstance(value.node, nodes.Name):
        return None
    if value.node.name not in FACT_FUNCTIONS or not value.args:
        return None
    arguments = [arg.value if isinstance(arg, nodes.Const) else None for arg in value.args]
    period = arguments[1] if len(arguments) > 1 and isinstance(arguments[1], str) else None
    first = value.args[0]
    if isinstance(first, nodes.Getattr) and isinstance(first.node, nodes.Name) and first.node.name == ITEM_VARIABLE:
        return PlaceholderSource(value.node.name, f"{ITEM_VARIABLE}.{first.attr}", period, first.attr, template)
    if not isinstance(arguments[0], str):
        return None
    return PlaceholderSource(value.node.name, arguments[0], period)


def notes_for(
    msgid: str, sources: dict[str, PlaceholderSource], base: FactBase, formatters: list[FigureFormatter]
) -> list[str]:
    notes = []
    for name in dict.fromkeys(name for name, _ in placeholders(msgid)):
        source = sources.get(name)
        if source is not None and source.role is not None:
            notes.extend(_role_note(name, source, base, formatters))
            continue
        if source is None or source.fact_id not in base.facts:
            continue
        fact = base.facts[source.fact_id]
        publisher = base.sources[fact.source].publisher if fact.source in base.sources else fact.source
        label = f"{source.fact_id}@{source.period}" if source.period else source.fact_id
        if source.function == "count_of":
            notes.append(f"%({name})s: chooses the plural form for {label}")
            continue
        try:
            examples = " / ".join(f'"{formatter.fact(fact, source.period)}"' for formatter in formatters)
        except FormatError:
            examples = "(cannot be shown: check the period)"
        notes.append(f"%({name})s: {label}, {KIND_NAMES.get(fact.kind, fact.kind)} from {publisher}: {examples}")
    return notes


def _role_note(name: str, source: PlaceholderSource, base: FactBase, formatters: list[FigureFormatter]) -> list[str]:
    """What a role shows in each article of the series that reads it, e.g.

    %(retaken)s: item.retaken, a date, in series city_briefs: "July 2017" /
    "Juli 2017" (mosul_retaken); "October 2017" / "Oktober 2017" (raqqa_captured)
    """
    notes = []
    for series_id, series in base.series.items():
        if series.template != source.template:
            continue
        fact_ids = [roles[source.role] for roles in series.items.values() if source.role in roles]
        facts = {fact_id: base.facts[fact_id] for fact_id in dict.fromkeys(fact_ids) if fact_id in base.facts}
        if not facts:
            continue
        if source.function == "count_of":
            notes.append(f"%({name})s: chooses the plural form for {source.fact_id}, in series {series_id}")
            continue
        examples = []
        for fact_id, fact in facts.items():
            try:
                shown = " / ".join(f'"{formatter.fact(fact, source.period)}"' for formatter in formatters)
            except FormatError:
                shown = "(cannot be shown: check the period)"
            examples.append(f"{shown} ({fact_id})")
        kind = KIND_NAMES.get(next(iter(facts.values())).kind, "a figure")
        notes.append(f"%({name})s: {source.fact_id}, {kind}, in series {series_id}: {'; '.join(examples)}")
    return notes
