"""`pipeline diff [GIT_REV]`: what changed in the facts since a git revision, and what it touches.

The fact files and catalogs are read as they were at the revision (straight
from git's object store, so the working tree is never touched) and compared
with the working tree: facts added, removed and changed (old and new value as
readers see them in every locale), the articles citing each, the sentences
whose placeholders show it, and the translations that became fuzzy since.
The project may be a subfolder of its repository.
"""

from __future__ import annotations

import io
import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from pipeline.catalog_lint import placeholders, read_catalog, singular_id
from pipeline.config import Config, load_config
from pipeline.errors import Diagnostic, UserError, display_path
from pipeline.load import FactBase, load_facts
from pipeline.model import Fact
from pipeline.provenance import article_citations, cited_by, json_value, rendered_values
from pipeline.translator_notes import MessageKey, placeholder_sources

FACT_SUFFIXES = (".yaml", ".yml")
REGULAR_FILE_MODES = ("100644", "100755")


@dataclass(frozen=True)
class Revision:
    """A commit of the repository holding the project, and the project's place in it."""

    name: str
    commit: str
    prefix: str
    """The project folder relative to the repository's top, "" or ending in "/"."""

    root: Path

    @property
    def short(self) -> str:
        return self.commit[:7]

    def paths(self, folder: str) -> list[str]:
        """Repository paths of the regular files under the project's `folder` at this revision."""
        listing = _git(self.root, "ls-tree", "-r", "-z", "--full-tree", self.commit, "--", self.prefix + folder)
        found = []
        for entry in listing.decode("utf-8", errors="surrogateescape").split("\0"):
            if not entry:
                continue
            info, _, path = entry.partition("\t")
            if info.split()[0] in REGULAR_FILE_MODES:
                found.append(path)
        return found

    def read(self, repository_path: str) -> bytes | None:
        try:
            return _git(self.root, "cat-file", "blob", f"{self.commit}:{repository_path}")
        except UserError:
            return None


def resolve_revision(root: Path, name: str) -> Revision:
    # A revision starting with "-" would be read by git as an option.
    if name.startswith("-"):
        raise UserError.single(f"unknown git revision {name!r}", "diff.revision")
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}").decode().strip()
    except UserError:
        raise UserError.single(f"unknown git revision {name!r}", "diff.revision") from None
    return Revision(name, commit, prefix, root)


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise UserError.single("git is not installed", "diff.git") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        if message and "not a git repository" in message[0]:
            raise UserError.single(f"the project folder {root} is not in a git repository", "diff.git")
        raise UserError.single(f"git {args[0]} failed: {message[0] if message else done.returncode}", "diff.git")
    return done.stdout


def facts_at(config: Config, revision: Revision) -> FactBase:
    """The fact base as it was at the revision, loaded by the same rules as today's."""
    with tempfile.TemporaryDirectory(prefix="pipeline-diff-") as scratch:
        root = Path(scratch)
        for path in revision.paths("facts"):
            if not path.endswith(FACT_SUFFIXES):
                continue
            data = revision.read(path)
            target = root / path.removeprefix(revision.prefix)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data or b"")
        (root / "facts").mkdir(exist_ok=True)
        try:
            return load_facts(Config(root=root, locales=config.locales))
        except UserError as error:
            # The old files' own mistakes: say which revision they belong to.
            raise UserError(
                Diagnostic(f"at {revision.name}: {d.message}", d.code, d.file, d.line) for d in error.diagnostics
            ) from None


def _catalog_at(revision: Revision, relative: str, locale_name: str) -> Catalog | None:
    raw = revision.read(revision.prefix + relative)
    if raw is None:
        return None
    try:
        return read_po(io.BytesIO(raw), locale=locale_name)
    except Exception:  # an old catalog that no longer parses counts as absent
        return None


def _key(message: Message) -> MessageKey:
    return (message.context, singular_id(message))


def newly_fuzzy(config: Config, revision: Revision) -> list[dict[str, Any]]:
    found = []
    for locale in config.target_locales:
        path = config.catalog_path(locale)
        if not path.is_file():
            continue
        shown = display_path(path, config.root)
        current = read_catalog(path.read_bytes(), shown, locale)
        before = _catalog_at(revision, shown, locale.babel_name)
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
                    "line": message.lineno,
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


def _sentences(config: Config) -> dict[str, list[dict[str, Any]]]:
    """Fact id -> the messages whose placeholders show it, with their template lines."""
    locations: dict[MessageKey, list[str]] = {}
    # The template's lines are in the .pot, and in every catalog when a project keeps no .pot.
    catalogs = [config.locales_dir / "messages.pot", *(config.catalog_path(locale) for locale in config.target_locales)]
    for path in catalogs:
        if not path.is_file():
            continue
        for message in read_po(io.BytesIO(path.read_bytes())):
            if message.id and message.locations:
                locations.setdefault(_key(message), [f"{file}:{line}" for file, line in message.locations])
    by_fact: dict[str, list[dict[str, Any]]] = {}
    for (context, msgid), sources in placeholder_sources(config).items():
        shown_names = dict.fromkeys(name for name, _ in placeholders(msgid))
        facts: dict[str, list[str]] = {}
        for name, source in sources.items():
            if name in shown_names or source.function == "count_of":
                facts.setdefault(source.fact_id, []).append(name)
        for fact_id, names in facts.items():
            by_fact.setdefault(fact_id, []).append(
                {
                    "context": context,
                    "msgid": msgid,
                    "placeholders": names,
                    "locations": locations.get((context, msgid), []),
                }
            )
    return by_fact


def compare(project: Path, rev: str) -> dict[str, Any]:
    """The whole difference as JSON data (what `--json` prints)."""
    config = load_config(project)
    revision = resolve_revision(config.root, rev)
    current = load_facts(config)
    before = facts_at(config, revision)
    citing = cited_by(article_citations(config, current))
    sentences = _sentences(config)

    def entry(fact_id: str, base: FactBase, defined_at: str) -> dict[str, Any]:
        fact = base.facts[fact_id]
        return {
            "id": fact_id,
            "kind": fact.kind,
            "value": json_value(fact),
            "rendered": rendered_values(config, fact),
            "defined_at": defined_at,
            "cited_by": citing.get(fact_id, []),
            "sentences": sentences.get(fact_id, []),
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
        old_rendered, new_rendered = rendered_values(config, old_fact), rendered_values(config, fact)
        changed.append(
            {
                "id": fact_id,
                "kind": fact.kind,
                "fields": names,
                "old": {name: old_fields.get(name) for name in names},
                "new": {name: new_fields.get(name) for name in names},
                "rendered": {code: {"old": old_rendered[code], "new": new_rendered[code]} for code in new_rendered},
                "defined_at": str(current.origin("fact", fact_id)),
                "cited_by": citing.get(fact_id, []),
                "sentences": sentences.get(fact_id, []),
            }
        )
    touched = [*changed, *added, *removed]
    return {
        "rev": rev,
        "commit": revision.commit,
        "facts": {"changed": changed, "added": added, "removed": removed},
        "articles": sorted({slug for item in touched for slug in item["cited_by"]}),
        "fuzzy": newly_fuzzy(config, revision),
    }


def diff_report(project: Path, rev: str = "HEAD", as_json: bool = False) -> str:
    result = compare(project, rev)
    if as_json:
        return json.dumps(result, indent=2, ensure_ascii=False)
    return "\n".join(_human(result))


def _human(result: dict[str, Any]) -> list[str]:
    facts = result["facts"]
    touched = [*facts["changed"], *facts["added"], *facts["removed"]]
    sentence_keys = {(s["context"], s["msgid"]) for item in touched for s in item["sentences"]}
    lines = [
        f"since {result['rev']} ({result['commit'][:7]}): "
        f"{_plural(len(facts['changed']), 'fact')} changed, {len(facts['added'])} added, "
        f"{len(facts['removed'])} removed; {_plural(len(result['articles']), 'article')} and "
        f"{_plural(len(sentence_keys), 'sentence')} affected; "
        f"{_plural(len(result['fuzzy']), 'translation')} became fuzzy"
    ]
    for item in facts["changed"]:
        lines += ["", f"changed {item['id']} ({item['defined_at']}): {', '.join(item['fields'])}"]
        lines += [f"  {name}: {_raw(item['old'][name])} → {_raw(item['new'][name])}" for name in item["fields"]]
        for code, text in item["rendered"].items():
            old, new = text["old"], text["new"]
            if old is not None or new is not None:
                lines.append(f"  {code}: {old} → {new}" if old != new else f"  {code}: {new} (unchanged)")
        lines += _citations(item)
    for verb, items in (("added", facts["added"]), ("removed", facts["removed"])):
        for item in items:
            where = item["defined_at"] if verb == "added" else f"was {item['defined_at']} at {result['rev']}"
            lines += ["", f"{verb} {item['id']} ({where})"]
            rendered = item["rendered"]
            if any(text is not None for text in rendered.values()):
                lines += [f"  {code}: {text}" for code, text in rendered.items()]
            else:
                # Drawn, never written (coordinates): the value is the same in every locale.
                lines.append(f"  value: {_raw(item['value'])}")
            lines += _citations(item)
    if result["fuzzy"]:
        lines.append("")
    for fuzzy in result["fuzzy"]:
        msgid = " ".join(fuzzy["msgid"].split())
        label = '"' + (msgid if len(msgid) <= 60 else msgid[:59] + "…") + '"'
        lines.append(f"{fuzzy['file']}:{fuzzy['line']}: fuzzy now: {label} (was {fuzzy['was']})")
    return lines


def _citations(item: dict[str, Any]) -> list[str]:
    lines = [f"  cited by: {', '.join(item['cited_by']) or '-'}"]
    for sentence in item["sentences"]:
        msgid = " ".join(sentence["msgid"].split())
        where = f"{', '.join(sentence['locations'])}: " if sentence["locations"] else ""
        shown = ", ".join(f"%({name})s" for name in sentence["placeholders"])
        context = f" (context {sentence['context']!r})" if sentence["context"] else ""
        lines.append(f'  {where}{shown} in "{msgid if len(msgid) <= 60 else msgid[:59] + "…"}"{context}')
    return lines


def _raw(value: Any) -> str:
    if value is None:
        return "(none)"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
