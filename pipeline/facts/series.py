"""A series of articles: one template, one article per item (a brief per city).

A fact file declares the series (`series:`, see pipeline/facts/model.py): its
template, a slug pattern and its items, each mapping role names to fact ids.
Loading expands every item into an ordinary article, so that everything that
handles articles (rendering, the figure check, provenance, staleness) handles
each generated brief too; the item travels beside it, and the template reads
its roles as `item.<role>`:

    {% trans retaken=fig(item.retaken) %}... in {{ retaken }}.{% endtrans %}

A role the template uses outside `{% if item.<role> is defined %}` is
required of every item.  The second half of this module reads that from a
template's syntax tree, for the checks pipeline/render/templates.py runs before
anything is rendered.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from jinja2 import nodes

from pipeline.errors import ErrorCollector
from pipeline.facts.model import INDEX_SLUG, ITEM_ID_ROLE, SLUG_PATTERN, Article, ArticleSeries


@dataclass(frozen=True)
class Origin:
    """Where something was written: a fact file and its line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


ITEM_VARIABLE = "item"
"""The name under which a series template sees its item."""


@dataclass(frozen=True)
class SeriesItem:
    """One generated article and the item it was generated from."""

    series_id: str
    item_id: str
    article: Article
    roles: Mapping[str, str]
    """Role name -> fact id."""

    @property
    def label(self) -> str:
        """How error messages name the item."""
        return f"series {self.series_id!r} item {self.item_id!r}"


def item_problem(series: ArticleSeries, item_id: str) -> str | None:
    """What keeps an item from becoming an article, if anything."""
    slug = series.slug_of(item_id)
    if not re.match(SLUG_PATTERN, slug) or slug == INDEX_SLUG:
        return f"makes the slug {slug!r}, which is not a file name an article may take"
    if ITEM_ID_ROLE in series.items[item_id]:
        return f"{ITEM_ID_ROLE!r} is the item's own id (item.{ITEM_ID_ROLE}), not a role name"
    return None


def expand_item(series_id: str, series: ArticleSeries, item_id: str) -> SeriesItem:
    """The item as an article of its own, published like the series; see item_problem() first."""
    publication = series.model_dump(exclude={"slug", "items"})
    article = Article.model_validate({**publication, "slug": series.slug_of(item_id)}, strict=False)
    return SeriesItem(series_id, item_id, article, dict(series.items[item_id]))


class ItemRoles:
    """What a series template sees as `item`: `item.id`, and each role's fact id as `item.<role>`.

    A role the item does not have is an AttributeError, which Jinja2 turns
    into an undefined value, so `{% if item.cost is defined %}` tells whether
    an optional role is there.
    """

    def __init__(self, item: SeriesItem) -> None:
        self._item = item

    @property
    def id(self) -> str:
        return self._item.item_id

    def __getattr__(self, role: str) -> str:
        if role.startswith("_") or role == ITEM_ID_ROLE:
            raise AttributeError(role)
        try:
            return self._item.roles[role]
        except KeyError:
            raise AttributeError(f"{self._item.label} has no role {role!r}") from None

    def __repr__(self) -> str:
        return f"item {self._item.item_id!r}"


# How a template reads its item, for pipeline/render/templates.py's checks before rendering.


@dataclass(frozen=True)
class RoleUse:
    """`item.<role>` in a series template."""

    role: str
    period: str | None
    template: str
    line: int
    optional: bool
    """Inside `{% if item.<role> is defined %}`: an item may lack the role."""


@dataclass(frozen=True)
class ItemLookup:
    """`names[item.id]`, where the template sets `names` to a dict literal."""

    variable: str
    keys: frozenset[str]
    template: str
    line: int


def role_uses(tree: nodes.Template, figure_functions: Collection[str], shown: str) -> list[RoleUse]:
    """Every `item.<role>` of a template; a role that is the first argument of one of
    `figure_functions` (`fig(item.battle, "2017")`) keeps that call's period."""
    found: list[RoleUse] = []
    _collect_role_uses(tree, figure_functions, frozenset(), shown, found)
    return found


def _collect_role_uses(
    node: nodes.Node, functions: Collection[str], guarded: frozenset[str], shown: str, found: list[RoleUse]
) -> None:
    """Every `item.<role>` below `node`; `guarded` roles are tested with `is defined` around it."""
    if isinstance(node, nodes.If | nodes.CondExpr):
        tested = _defined_roles(node.test)
        _collect_role_uses(node.test, functions, guarded, shown, found)
        if isinstance(node, nodes.If):
            kept, alternatives = node.body, [*node.elif_, *node.else_]
        else:
            kept, alternatives = [node.expr1], [node.expr2] if node.expr2 is not None else []
        for child in kept:
            _collect_role_uses(child, functions, guarded | tested, shown, found)
        for child in alternatives:
            _collect_role_uses(child, functions, guarded, shown, found)
        return
    if isinstance(node, nodes.Test) and node.name == "defined" and _role_of(node.node) is not None:
        return  # asking whether a role is there is not a use of it
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in functions:
        role = _role_of(node.args[0]) if node.args else None
        if role is not None:
            second = node.args[1] if len(node.args) > 1 else None
            period = second.value if isinstance(second, nodes.Const) and isinstance(second.value, str) else None
            found.append(RoleUse(role, period, shown, node.lineno, role in guarded))
            for child in [*node.args[1:], *node.kwargs, *filter(None, (node.dyn_args, node.dyn_kwargs))]:
                _collect_role_uses(child, functions, guarded, shown, found)
            return
    role = _role_of(node)
    if role is not None:
        found.append(RoleUse(role, None, shown, node.lineno, role in guarded))
        return
    for child in node.iter_child_nodes():
        _collect_role_uses(child, functions, guarded, shown, found)


def _role_of(node: nodes.Node) -> str | None:
    """The role of `item.retaken` ("retaken"); None for anything else, `item.id` included."""
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and node.node.name == ITEM_VARIABLE:
        return None if node.attr == ITEM_ID_ROLE else node.attr
    return None


def _defined_roles(test: nodes.Node) -> frozenset[str]:
    """The roles a test proves present: `item.a is defined`, joined by `and`."""
    if isinstance(test, nodes.And):
        return _defined_roles(test.left) | _defined_roles(test.right)
    if isinstance(test, nodes.Test) and test.name == "defined":
        role = _role_of(test.node)
        return frozenset({role}) if role is not None else frozenset()
    return frozenset()


def item_lookups(tree: nodes.Template, shown: str) -> list[ItemLookup]:
    """`names[item.id]` where `{% set names = {...} %}` gives the keys in the template itself."""
    dicts: dict[str, frozenset[str]] = {}
    for assign in tree.find_all(nodes.Assign):
        if isinstance(assign.target, nodes.Name) and isinstance(assign.node, nodes.Dict):
            keys = [pair.key.value for pair in assign.node.items if isinstance(pair.key, nodes.Const)]
            dicts[assign.target.name] = frozenset(str(key) for key in keys)
    lookups = []
    for lookup in tree.find_all(nodes.Getitem):
        by_item_id = (
            isinstance(lookup.arg, nodes.Getattr)
            and isinstance(lookup.arg.node, nodes.Name)
            and lookup.arg.node.name == ITEM_VARIABLE
            and lookup.arg.attr == ITEM_ID_ROLE
        )
        if by_item_id and isinstance(lookup.node, nodes.Name) and lookup.node.name in dicts:
            lookups.append(ItemLookup(lookup.node.name, dicts[lookup.node.name], shown, lookup.lineno))
    return lookups


def check_item(
    item: SeriesItem, uses: Sequence[RoleUse], lookups: Sequence[ItemLookup], origin: Origin, errors: ErrorCollector
) -> None:
    """Every role the template requires is the item's, and every lookup by item id has its entry.

    Reported at the item, where an editor adds what is missing.
    """
    required = {use.role: use for use in reversed(uses) if not use.optional}
    for use in sorted(required.values(), key=lambda use: (use.template, use.line)):
        if use.role not in item.roles:
            errors.add(
                f"{item.label} has no role {use.role!r}, which {use.template}:{use.line} uses "
                f'(a template makes a role optional with "{{% if item.{use.role} is defined %}}")',
                "series.role",
                origin.file,
                origin.line,
            )
    for lookup in lookups:
        if item.item_id not in lookup.keys:
            errors.add(
                f"{item.label} has no entry in {lookup.variable} ({lookup.template}:{lookup.line})",
                "series.item",
                origin.file,
                origin.line,
            )
