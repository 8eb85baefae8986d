"""Which articles and which sentences cite each fact, through a series' roles too.

An article cites a fact by its id (`fig("mosul_retaken")`) or, when a series
generated it, through a role of its item (`fig(item.retaken)`, see
pipeline/facts/series.py), which each generated article resolves to its own item's
fact.  A sentence is a message of the catalogs whose placeholder shows the
fact.  A sentence of a series template is shared by every article of the
series but shows each one's own fact: it cites a fact only in the articles
whose item gives the role that fact, and those articles travel with it.

Read from the templates and catalogs, never from rendered output, so that
`pipeline facts` and `pipeline diff` work before the first build.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import jinja2
from babel.messages.pofile import read_po

from pipeline.config import Config
from pipeline.errors import ErrorCollector, display_path
from pipeline.facts import FactBase
from pipeline.i18n import MessageKey, PlaceholderSource, placeholder_sources, placeholders, singular_id
from pipeline.inputs import CATALOG, read_input
from pipeline.render import check_article_templates, inspect_template, resolve_roles

RoleKey = tuple[str, str]
"""(article slug, role)."""


@dataclass
class _Shown:
    """How one sentence shows one fact: its placeholders, and the roles among them with their articles."""

    placeholders: list[str] = field(default_factory=list)
    roles: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(placeholder, role) -> slugs of the articles where the role is this fact."""

    def add(self, name: str) -> None:
        if name not in self.placeholders:
            self.placeholders.append(name)


class Citations:
    """The articles and sentences citing each fact of a fact base.

    Reading the templates raises UserError with the build's own wording when
    an article's template is missing or broken.
    """

    def __init__(self, config: Config, base: FactBase) -> None:
        self._config = config
        self._base = base
        self.by_article: dict[str, list[str]] = {}
        """Article slug -> the ids of the facts its templates cite, in order of first use."""
        self._roles_read: dict[str, set[tuple[str, str]]] = {}
        """Slug of a generated article -> (template, role) of every `item.<role>` its templates read."""
        errors = ErrorCollector()
        for slug, article in base.articles.items():
            try:
                report = inspect_template(config, article.template)
            except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError):
                # Reported with the build's own wording and line.
                check_article_templates(config, base, article, errors)
                continue
            item = base.series_items.get(slug)
            self.by_article[slug] = list(dict.fromkeys(ref.fact_id for ref in resolve_roles(report, item)))
            if item is not None:
                self._roles_read[slug] = {(use.template, use.role) for use in report.role_uses}
        errors.raise_if_any()
        self.by_fact = cited_by(self.by_article)
        """Fact id -> slugs of the articles citing it."""

    def articles(self, fact_id: str) -> list[str]:
        return self.by_fact.get(fact_id, [])

    def sentences(self, fact_id: str) -> list[dict[str, Any]]:
        """The sentences showing the fact, as JSON data, in template order.

        `placeholders` are the ones showing it; `roles` names those that show
        it through a role, with the articles in which the role is this fact.
        """
        return self._sentences[0].get(fact_id, [])

    def role_sentences(self, slug: str, role: str) -> list[dict[str, Any]]:
        """The sentences of a generated article's templates showing one of its roles, whatever fact fills it."""
        return self._sentences[1].get((slug, role), [])

    @cached_property
    def _sentences(self) -> tuple[dict[str, list[dict[str, Any]]], dict[RoleKey, list[dict[str, Any]]]]:
        locations = _template_lines(self._config)
        by_fact: dict[str, list[dict[str, Any]]] = {}
        by_role: dict[RoleKey, list[dict[str, Any]]] = {}
        for key, sources in placeholder_sources(self._config).items():
            shown_names = dict.fromkeys(name for name, _ in placeholders(key[1]))
            facts: dict[str, _Shown] = {}
            roles: dict[RoleKey, list[str]] = {}
            for name, source in sources.items():
                # count_of's value never appears, but it picks the plural form the sentence takes.
                if name not in shown_names and source.function != "count_of":
                    continue
                if source.role is None:
                    facts.setdefault(source.fact_id, _Shown()).add(name)
                    continue
                for slug, fact_id in self._role_readers(source).items():
                    roles.setdefault((slug, source.role), []).append(name)
                    if fact_id is not None:
                        shown = facts.setdefault(fact_id, _Shown())
                        shown.add(name)
                        shown.roles.setdefault((name, source.role), []).append(slug)
            where = locations.get(key, [])
            for fact_id, shown in facts.items():
                by_fact.setdefault(fact_id, []).append(_entry(key, shown, where))
            for (slug, role), names in roles.items():
                entry = _entry(key, _Shown(names, {(name, role): [slug] for name in names}), where)
                by_role.setdefault((slug, role), []).append(entry)
        return by_fact, by_role

    def _role_readers(self, source: PlaceholderSource) -> dict[str, str | None]:
        """Slug of every article whose templates read the source's role -> the fact its item gives it, if any."""
        if source.role is None or source.template is None:
            return {}
        template = display_path(self._config.templates_dir / source.template, self._config.root)
        readers: dict[str, str | None] = {}
        for slug, read in self._roles_read.items():
            if (template, source.role) in read:
                readers[slug] = self._base.series_items[slug].roles.get(source.role)
        return readers


def _entry(key: MessageKey, shown: _Shown, locations: list[str]) -> dict[str, Any]:
    context, msgid = key
    return {
        "context": context,
        "msgid": msgid,
        "placeholders": shown.placeholders,
        "locations": locations,
        "roles": [
            {"placeholder": name, "role": role, "articles": slugs} for (name, role), slugs in shown.roles.items()
        ],
    }


def _template_lines(config: Config) -> dict[MessageKey, list[str]]:
    """Every message's template lines ("templates/x.html:12"), as the catalogs record them."""
    locations: dict[MessageKey, list[str]] = {}
    # The lines are in the .pot, and in every catalog when a project keeps no .pot.
    catalogs = [config.locales_dir / "messages.pot", *(config.catalog_path(locale) for locale in config.target_locales)]
    for path in catalogs:
        if not os.path.lexists(path):
            continue
        for message in read_po(io.BytesIO(read_input(path, config.root, CATALOG))):
            if message.id and message.locations:
                key = (message.context, singular_id(message))
                locations.setdefault(key, [f"{file}:{line}" for file, line in message.locations])
    return locations


def article_citations(config: Config, base: FactBase) -> dict[str, list[str]]:
    """Article slug -> the ids of the facts its templates cite, in order of first use."""
    return Citations(config, base).by_article


def cited_by(citations: dict[str, list[str]]) -> dict[str, list[str]]:
    """Fact id -> slugs of the articles citing it."""
    citing: dict[str, list[str]] = {}
    for slug, fact_ids in citations.items():
        for fact_id in fact_ids:
            citing.setdefault(fact_id, []).append(slug)
    return citing
