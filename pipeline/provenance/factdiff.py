"""`pipeline diff [GIT_REV]`: what changed in the facts since a git revision, and what it touches.

The fact files and catalogs are read as they were at the revision (see
pipeline/provenance/revision.py) and compared with the working tree: facts added,
removed and changed (old and new value as readers see them in every locale),
the articles citing each, the sentences whose placeholders show it, and the
translations that became fuzzy since.  A fact a series item gives a role
(`battle: mosul_battle_duration`) is cited by that item's article, in the
sentences of the series template that show the role.  The items themselves
are compared too: added, removed, or a role given another fact, which changes
what the item's article says as surely as a changed value does.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from babel.messages.catalog import Message

from pipeline.config import Config, load_config
from pipeline.errors import display_path
from pipeline.facts import Fact, FactBase, SeriesItem, load_facts
from pipeline.i18n import MessageKey, read_catalog_places, singular_id
from pipeline.inputs import CATALOG, read_input
from pipeline.provenance.citations import Citations
from pipeline.provenance.provenance import json_value, plural, rendered_values
from pipeline.provenance.revision import Revision, catalog_at, facts_at, resolve_revision


def _key(message: Message) -> MessageKey:
    return (message.context, singular_id(message))


def newly_fuzzy(config: Config, revision: Revision) -> list[dict[str, Any]]:
    found = []
    for locale in config.target_locales:
        path = config.catalog_path(locale)
        if not os.path.lexists(path):
            continue
        shown = display_path(path, config.root)
        current, places = read_catalog_places(read_input(path, config.root, CATALOG), shown, locale)
        before = catalog_at(revision, shown, locale.babel_name)
        previous = {_key(message): message for message in before or [] if message.id}
        for message in current:
            if not message.id or not message.fuzzy:
                continue
            old = previous.get(_key(message))
            if old is not None and old.fuzzy:
                continue
            was = "new" if old is None else ("translated" if all(_strings(old)) else "untranslated")
            context, msgid = _key(message)
            found.append(
                {
                    "locale": locale.code,
                    "file": shown,
                    # Where the translator edits, as every other finding on a translation: its (first) msgstr.
                    "line": places.msgstr_line(_key(message)) or message.lineno,
                    "context": context,
                    "msgid": msgid,
                    "was": was,
                }
            )
    return found


def _strings(message: Message) -> tuple[str, ...]:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return tuple(text or "" for text in strings)


def _fields(fact: Fact) -> dict[str, Any]:
    return fact.model_dump(mode="json")


def compare(project: Path, rev: str) -> dict[str, Any]:
    """The whole difference as JSON data (what `--json` prints)."""
    config = load_config(project)
    revision = resolve_revision(config.root, rev)
    current = load_facts(config)
    before = facts_at(config, revision)
    citations = Citations(config, current)

    def entry(fact_id: str, base: FactBase, defined_at: str) -> dict[str, Any]:
        fact = base.facts[fact_id]
        return {
            "id": fact_id,
            "kind": fact.kind,
            "value": json_value(fact),
            "rendered": rendered_values(config, fact),
            "defined_at": defined_at,
            "cited_by": citations.articles(fact_id),
            "sentences": citations.sentences(fact_id),
        }

    added = [entry(i, current, str(current.origin("fact", i))) for i in current.facts if i not in before.facts]
    removed = [entry(i, before, str(before.origin("fact", i))) for i in before.facts if i not in current.facts]
    changed = []
    for fact_id, fact in current.facts.items():
        old_fact = before.facts.get(fact_id)
        if old_fact is None or old_fact == fact:
            continue
        old_fields, new_fields = _fields(old_fact), _fields(fact)
        # What the reader sees first, then provenance, in the schema's order.
        every_field = dict.fromkeys(["kind", "value", "points", *new_fields, *old_fields])
        names = [name for name in every_field if old_fields.get(name) != new_fields.get(name)]
        changed.append(
            {
                "id": fact_id,
                "kind": fact.kind,
                "fields": names,
                "old": {name: old_fields.get(name) for name in names},
                "new": {name: new_fields.get(name) for name in names},
                "rendered": _rendered_change(config, old_fact, fact),
                "defined_at": str(current.origin("fact", fact_id)),
                "cited_by": citations.articles(fact_id),
                "sentences": citations.sentences(fact_id),
            }
        )
    items = series_item_changes(config, before, current, citations)
    touched = [*changed, *added, *removed]
    articles = {slug for item in touched for slug in item["cited_by"]}
    articles.update(item["article"] for item in [*items["changed"], *items["added"], *items["removed"]])
    articles.update(item["old_article"] for item in items["changed"])
    return {
        "rev": rev,
        "commit": revision.commit,
        "facts": {"changed": changed, "added": added, "removed": removed},
        "series_items": items,
        "articles": sorted(articles),
        "fuzzy": newly_fuzzy(config, revision),
    }


def series_item_changes(
    config: Config, before: FactBase, current: FactBase, citations: Citations
) -> dict[str, list[dict[str, Any]]]:
    """Series items added, removed, and changed: a role given another fact, added or dropped, or a new slug.

    An item is known by its series and its own id, so a new slug pattern
    shows as every article renamed rather than as articles removed and added.
    """
    now = {(item.series_id, item.item_id): item for item in current.series_items.values()}
    then = {(item.series_id, item.item_id): item for item in before.series_items.values()}
    changed = []
    for key, item in now.items():
        old = then.get(key)
        if old is None:
            continue
        roles = [
            role for role in dict.fromkeys([*item.roles, *old.roles]) if item.roles.get(role) != old.roles.get(role)
        ]
        if not roles and item.article.slug == old.article.slug:
            continue
        slug = item.article.slug
        changed.append(
            {
                **_item_entry(item, current),
                "old_article": old.article.slug,
                "role_changes": [
                    {
                        "role": role,
                        "old": old.roles.get(role),
                        "new": item.roles.get(role),
                        **_role_values(config, before, old.roles.get(role), current, item.roles.get(role)),
                        "sentences": citations.role_sentences(slug, role),
                    }
                    for role in roles
                ],
            }
        )
    return {
        "changed": changed,
        "added": [_item_entry(item, current) for key, item in now.items() if key not in then],
        "removed": [_item_entry(item, before) for key, item in then.items() if key not in now],
    }


def _item_entry(item: SeriesItem, base: FactBase) -> dict[str, Any]:
    return {
        "series": item.series_id,
        "item": item.item_id,
        "article": item.article.slug,
        "defined_at": str(base.origin("article", item.article.slug)),
        "roles": dict(item.roles),
    }


def _role_values(
    config: Config, before: FactBase, old_id: str | None, current: FactBase, new_id: str | None
) -> dict[str, Any]:
    """What a role shows before and after it was given another fact (or none)."""
    old = before.facts.get(old_id) if old_id is not None else None
    new = current.facts.get(new_id) if new_id is not None else None
    return {
        "value": {
            "old": json_value(old) if old is not None else None,
            "new": json_value(new) if new is not None else None,
        },
        "rendered": _rendered_change(config, old, new),
    }


def _rendered_change(config: Config, old: Fact | None, new: Fact | None) -> dict[str, dict[str, str | None]]:
    old_rendered = rendered_values(config, old) if old is not None else {}
    new_rendered = rendered_values(config, new) if new is not None else {}
    return {
        locale.code: {"old": old_rendered.get(locale.code), "new": new_rendered.get(locale.code)}
        for locale in config.locales
    }


def diff_report(project: Path, rev: str = "HEAD", as_json: bool = False) -> str:
    result = compare(project, rev)
    if as_json:
        return json.dumps(result, indent=2, ensure_ascii=False)
    return "\n".join(_human(result))


def _human(result: dict[str, Any]) -> list[str]:
    facts, items = result["facts"], result["series_items"]
    touched = [*facts["changed"], *facts["added"], *facts["removed"]]
    sentences = [s for item in touched for s in item["sentences"]]
    sentences += [s for item in items["changed"] for role in item["role_changes"] for s in role["sentences"]]
    item_counts = ""
    if any(items.values()):
        item_counts = (
            f"{plural(len(items['changed']), 'series item')} changed, {len(items['added'])} added, "
            f"{len(items['removed'])} removed; "
        )
    lines = [
        f"since {result['rev']} ({result['commit'][:7]}): "
        f"{plural(len(facts['changed']), 'fact')} changed, {len(facts['added'])} added, "
        f"{len(facts['removed'])} removed; {item_counts}{plural(len(result['articles']), 'article')} and "
        f"{plural(len({(s['context'], s['msgid']) for s in sentences}), 'sentence')} affected; "
        f"{plural(len(result['fuzzy']), 'translation')} became fuzzy"
    ]
    for item in facts["changed"]:
        lines += ["", f"changed {item['id']} ({item['defined_at']}): {', '.join(item['fields'])}"]
        lines += [f"  {name}: {_raw(item['old'][name])} → {_raw(item['new'][name])}" for name in item["fields"]]
        lines += _rendered_lines(item["rendered"], "  ")
        lines += _citations(item)
    for verb, entries in (("added", facts["added"]), ("removed", facts["removed"])):
        for item in entries:
            where = item["defined_at"] if verb == "added" else f"was {item['defined_at']} at {result['rev']}"
            lines += ["", f"{verb} {item['id']} ({where})"]
            rendered = item["rendered"]
            if any(text is not None for text in rendered.values()):
                lines += [f"  {code}: {text}" for code, text in rendered.items()]
            else:
                # Drawn, never written (coordinates): the value is the same in every locale.
                lines.append(f"  value: {_raw(item['value'])}")
            lines += _citations(item)
    lines += _item_lines(result)
    if result["fuzzy"]:
        lines.append("")
    for fuzzy in result["fuzzy"]:
        lines.append(f"{fuzzy['file']}:{fuzzy['line']}: fuzzy now: {_quoted(fuzzy['msgid'])} (was {fuzzy['was']})")
    return lines


def _item_lines(result: dict[str, Any]) -> list[str]:
    items = result["series_items"]
    lines = []
    for item in items["changed"]:
        renamed = item["old_article"] != item["article"]
        fields = [*(["article"] if renamed else []), *(role["role"] for role in item["role_changes"])]
        lines += ["", f"changed {item['article']} ({_item_label(item)}, {item['defined_at']}): {', '.join(fields)}"]
        if renamed:
            lines.append(f"  article: {item['old_article']} → {item['article']}")
        for role in item["role_changes"]:
            lines.append(f"  {role['role']}: {_raw(role['old'])} → {_raw(role['new'])}")
            lines += _rendered_lines(role["rendered"], "    ")
            value = role["value"]
            drawn = all(text["old"] is None and text["new"] is None for text in role["rendered"].values())
            if drawn and value["old"] != value["new"]:
                # Drawn, never written (coordinates): the value is the same in every locale.
                lines.append(f"    value: {_raw(value['old'])} → {_raw(value['new'])}")
            # The role and the article are in the heading: no need to repeat them per sentence.
            lines += [_sentence_line(sentence, "    ", with_roles=False) for sentence in role["sentences"]]
    for verb, entries in (("added", items["added"]), ("removed", items["removed"])):
        for item in entries:
            where = item["defined_at"] if verb == "added" else f"was {item['defined_at']} at {result['rev']}"
            lines += ["", f"{verb} {item['article']} ({_item_label(item)}, {where})"]
            lines += [f"  {role}: {fact_id}" for role, fact_id in item["roles"].items()]
    return lines


def _item_label(item: dict[str, Any]) -> str:
    return f"series {item['series']} item {item['item']}"


def _rendered_lines(rendered: dict[str, dict[str, str | None]], indent: str) -> list[str]:
    lines = []
    for code, text in rendered.items():
        old, new = text["old"], text["new"]
        if old is not None or new is not None:
            lines.append(
                f"{indent}{code}: {_raw(old)} → {_raw(new)}" if old != new else f"{indent}{code}: {new} (unchanged)"
            )
    return lines


def _citations(item: dict[str, Any]) -> list[str]:
    lines = [f"  cited by: {', '.join(item['cited_by']) or '-'}"]
    return lines + [_sentence_line(sentence, "  ") for sentence in item["sentences"]]


def _sentence_line(sentence: dict[str, Any], indent: str, with_roles: bool = True) -> str:
    """`templates/x.html:12: %(deaths)s in "…"`, and through which role of which articles the fact shows."""
    where = f"{', '.join(sentence['locations'])}: " if sentence["locations"] else ""
    shown = ", ".join(f"%({name})s" for name in sentence["placeholders"])
    context = f" (context {sentence['context']!r})" if sentence["context"] else ""
    roles = "; ".join(
        f"item.{role['role']} in {', '.join(role['articles'])}" for role in sentence["roles"] if with_roles
    )
    return f"{indent}{where}{shown} in {_quoted(sentence['msgid'])}{context}" + (f", as {roles}" if roles else "")


def _quoted(msgid: str) -> str:
    text = " ".join(msgid.split())
    return '"' + (text if len(text) <= 60 else text[:59] + "…") + '"'


def _raw(value: Any) -> str:
    if value is None:
        return "(none)"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
