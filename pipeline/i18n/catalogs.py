"""Catalog lifecycle: `pipeline i18n extract | update | compile | stats | lint`.

`extract` writes `locales/messages.pot` from the templates with Babel's Jinja2
extractor, with a note per placeholder showing what it will say in every
locale, and leaves the file alone when nothing but its date would change.
`update` merges the template into every locale's `.po`: a changed sentence
keeps its old translation as fuzzy with the previous msgid, a removed one
stays as obsolete and is revived when it returns, nothing a translator wrote
is lost.  `compile` writes a `.mo` only from a catalog that passes `lint`.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from pipeline.config import Config, load_config
from pipeline.errors import EXIT_OK, EXIT_USER_ERROR, Diagnostic, UserError, diagnostic_json, display_path
from pipeline.facts import load_facts
from pipeline.i18n.formatting import FigureFormatter
from pipeline.i18n.lint import lint_catalog, read_catalog, singular_id
from pipeline.i18n.loading import load_catalog, write_atomically
from pipeline.i18n.po_writer import po_text, written_obsolete
from pipeline.i18n.pofile import quote, scan_po
from pipeline.i18n.translator_notes import SOURCE_NAME_CONTEXT, names_sources, notes_for, placeholder_sources
from pipeline.inputs import CATALOG, read_input
from pipeline.language import lexicon_for

POT_NAME = "messages.pot"
PROJECT_NAME = "pipeline"
KEYWORDS = {"gettext": None, "_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}
SOURCE_NAME_NOTE = (
    "A source as the list of sources names it (from the fact files); give the name Indonesian readers know it "
    "by, or copy it unchanged."
)
_DATE_HEADER = re.compile(rb'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)


def template_catalog(config: Config) -> Catalog:
    base = load_facts(config)
    formatters = [FigureFormatter(locale.babel) for locale in config.locales]
    sources = placeholder_sources(config)
    catalog = Catalog(project=PROJECT_NAME, version="1", charset="utf-8", fuzzy=False)
    extracted = extract_from_dir(
        config.templates_dir,
        method_map=[("**.html", "jinja2.ext:babel_extract")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}},
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in extracted:
        singular = message if isinstance(message, str) else message[0]
        notes = notes_for(singular, sources.get((context, singular), {}), base, formatters)
        existing = catalog.get(message, context)
        if existing is not None:
            notes = [note for note in notes if note not in existing.auto_comments]
        catalog.add(
            message, None, [(f"templates/{filename}", lineno)], auto_comments=[*comments, *notes], context=context
        )
    # Sources are named once in the fact files; a template that gives each
    # reader the name their language knows (pgettext("source name", ...)) asks
    # for a message per source, which no extractor can find in the template.
    if names_sources(config):
        for source_id in sorted(base.sources):
            origin = base.origin("source", source_id)
            catalog.add(
                base.sources[source_id].publisher,
                None,
                [(origin.file, origin.line)],
                auto_comments=[SOURCE_NAME_NOTE],
                context=SOURCE_NAME_CONTEXT,
            )
    return catalog


def po_bytes(catalog: Catalog, *, for_translators: bool = False) -> bytes:
    """The catalog as a .po file in GNU gettext's layout; for translators with obsolete entries and previous msgids."""
    return po_text(catalog, obsolete=for_translators, previous=for_translators).encode("utf-8")


def _write_if_changed(path: Path, root: Path, data: bytes) -> bool:
    """Write unless only the creation date would differ (no churn in git)."""
    if os.path.lexists(path) and _DATE_HEADER.sub(b"", read_input(path, root, CATALOG)) == _DATE_HEADER.sub(b"", data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data)
    return True


def _report(as_json: bool, document: dict[str, Any], lines: Iterable[str]) -> None:
    """What a command did: prose for a person, or exactly one JSON document for a tool."""
    if as_json:
        print(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True))
        return
    for line in lines:
        print(line)


def extract(project: Path, as_json: bool = False) -> int:
    config = load_config(project)
    written = _extract(config)
    _report(
        as_json,
        written,
        [f"{'wrote' if written['written'] else 'unchanged'} {written['path']}: {written['messages']} messages"],
    )
    return EXIT_OK


def _extract(config: Config) -> dict[str, Any]:
    catalog = template_catalog(config)
    path = config.locales_dir / POT_NAME
    written = _write_if_changed(path, config.root, po_bytes(catalog))
    return {"path": display_path(path, config.root), "written": written, "messages": len(catalog)}


def refresh_catalogs(config: Config) -> dict[str, Any]:
    """`pipeline i18n extract` then `update`, as one step: the template from the templates, merged into every .po."""
    template = _extract(config)
    document = _update(config)
    document["template"] = template
    return document


def update(project: Path, as_json: bool = False) -> int:
    config = load_config(project)
    document = _update(config)
    _report(as_json, document, _update_lines(document))
    return EXIT_OK


def _update(config: Config) -> dict[str, Any]:
    pot_path = config.locales_dir / POT_NAME
    document: dict[str, Any] = {"template": None, "catalogs": []}
    if not os.path.lexists(pot_path):
        document["template"] = _extract(config)
    template = read_po(io.BytesIO(read_input(pot_path, config.root, CATALOG)))
    for locale in config.target_locales:
        po_path = config.catalog_path(locale)
        shown = display_path(po_path, config.root)
        if os.path.lexists(po_path):
            catalog = read_catalog(read_input(po_path, config.root, CATALOG), shown, locale)
        else:
            catalog = Catalog(locale=locale.babel_name, project=PROJECT_NAME, version="1", charset="utf-8")
            catalog.fuzzy = False
        catalog.locale = locale.babel
        catalog.mime_headers = [("Plural-Forms", lexicon_for(locale.language).plural_forms)]
        # An obsolete entry that returns already awaiting review was not made fuzzy by this update.
        fuzzy_before = {
            (message.context, singular_id(message))
            for message in [*catalog, *catalog.obsolete.values()]
            if message.id and message.fuzzy
        }
        merge_template(catalog, template)
        data = po_bytes(catalog, for_translators=True)
        changed = _write_if_changed(po_path, config.root, data)
        counts = _counts(catalog)
        document["catalogs"].append(
            {"locale": locale.code, "path": shown, "written": changed}
            | {state: counts[state]["entries"] for state in ("untranslated", "fuzzy", "obsolete")}
            | {"made_fuzzy": _made_fuzzy(catalog, fuzzy_before, data, shown)}
        )
    return document


def _update_lines(document: dict[str, Any]) -> list[str]:
    lines = []
    if document["template"]:
        lines.append(f"wrote {document['template']['path']}: {document['template']['messages']} messages")
    for entry in document["catalogs"]:
        lines.append(
            f"{'updated' if entry['written'] else 'unchanged'} {entry['path']}: {entry['untranslated']} untranslated, "
            f"{entry['fuzzy']} fuzzy, {entry['obsolete']} obsolete"
        )
        lines += [
            f"{entry['path']}:{made['line']}: made fuzzy: {quote(made['msgid'], 60)}"
            + (f" (was {quote(made['previous'], 60)})" if made["previous"] is not None else "")
            + "; check the translation, then remove the fuzzy flag"
            for made in entry["made_fuzzy"]
        ]
    return lines


def _made_fuzzy(
    catalog: Catalog, fuzzy_before: set[tuple[str | None, str]], data: bytes, shown: str
) -> list[dict[str, Any]]:
    """The translations this update marked fuzzy, with the line of their msgstr in the file as written."""
    places = scan_po(data, shown)[1]
    made = []
    for message in catalog:
        key = (message.context, singular_id(message))
        strings = _strings_of(message)
        # An entry with no translation is written without the flag (as GNU writes it): nothing to review.
        if message.id and message.fuzzy and strings[0] and key not in fuzzy_before:
            previous = message.previous_id[0] if message.previous_id else None
            made.append({"line": places.msgstr_line(key), "msgid": key[1], "previous": previous})
    return made


def merge_template(catalog: Catalog, template: Catalog) -> None:
    """Babel's merge, minus what it would lose of a translator's work."""
    obsolete_order = list(catalog.obsolete)
    _offer_obsolete(catalog)
    previous_before = {
        (message.context, singular_id(message)): message.previous_id
        for message in catalog
        if message.id and message.fuzzy and message.previous_id
    }
    catalog.update(template, no_fuzzy_matching=False, update_header_comment=False, keep_user_comments=True)
    # What stays obsolete keeps its place in the file, newly obsolete entries after it: no churn in review diffs.
    catalog.obsolete = {key: catalog.obsolete[key] for key in obsolete_order if key in catalog.obsolete} | {
        key: message for key, message in catalog.obsolete.items() if key not in obsolete_order
    }
    # A sentence still awaiting review: Babel drops what it used to say.
    for message in catalog:
        if not message.id or not message.fuzzy or message.previous_id:
            continue
        remembered = previous_before.get((message.context, singular_id(message)))
        if remembered:
            message.previous_id = remembered


def _offer_obsolete(catalog: Catalog) -> None:
    """Obsolete entries join the live ones before the merge, as msgmerge matches against both.

    A sentence that returns to the templates then gets its translation,
    comments and flags back (Babel's exact match), one that returns changed
    its translation as fuzzy (Babel's fuzzy match), and the `#~` copy goes;
    Babel sends the entries nothing matched back to the obsolete ones.
    """
    for key, message in list(catalog.obsolete.items()):
        live = catalog.get(message.id, message.context)
        if live is None:
            del catalog.obsolete[key]
            catalog[message.id] = message
        elif not _strings_of(live)[0]:
            # Written twice (an update before revivals existed): the translation takes the untranslated copy's place.
            del catalog.obsolete[key]
            message.user_comments = list(dict.fromkeys([*message.user_comments, *live.user_comments]))
            catalog.delete(live.id, live.context)
            catalog[message.id] = message
        elif _strings_of(live) == _strings_of(message) or not _strings_of(message)[0]:
            # Written twice with nothing the live copy lacks: only msgfmt's duplicate would remain.
            del catalog.obsolete[key]


def _strings_of(message: Message) -> list[str]:
    given = message.string if isinstance(message.string, tuple | list) else [message.string]
    return [str(text or "") for text in given]


def compile(project: Path, as_json: bool = False) -> int:  # noqa: A001 - the command's name
    config = load_config(project)
    compiled = []
    for locale in config.target_locales:
        loaded = load_catalog(config, locale)
        compiled.append({"locale": locale.code, "path": display_path(loaded.po_path.with_suffix(".mo"), config.root)})
    _report(as_json, {"compiled": compiled}, [f"compiled {entry['path']}" for entry in compiled])
    return EXIT_OK


def _counts(catalog: Catalog) -> dict[str, dict[str, int]]:
    counts = {state: {"entries": 0, "words": 0} for state in ("translated", "fuzzy", "untranslated", "obsolete")}

    def add(state: str, message: Message) -> None:
        counts[state]["entries"] += 1
        counts[state]["words"] += len(singular_id(message).split())

    for message in catalog:
        if not message.id:
            continue
        strings = _strings_of(message)
        if message.fuzzy:
            add("fuzzy", message)
        elif all(strings):
            add("translated", message)
        else:
            add("untranslated", message)
    # What the file holds: an obsolete entry with nothing of a translator's in it is not written.
    for message in written_obsolete(catalog):
        add("obsolete", message)
    return counts


def stats(project: Path, as_json: bool = False) -> int:
    config = load_config(project)
    report: dict[str, dict[str, dict[str, int]]] = {}
    for locale in config.target_locales:
        po_path = config.catalog_path(locale)
        shown = display_path(po_path, config.root)
        if not po_path.is_file():
            raise UserError.single(f"no catalog for locale {locale.code!r}", "catalog.missing", shown)
        report[locale.code] = _counts(read_catalog(read_input(po_path, config.root, CATALOG), shown, locale))
    if as_json:
        print(json.dumps(report, indent=2, sort_keys=True))
        return EXIT_OK
    for code, counts in report.items():
        total = sum(counts[state]["entries"] for state in ("translated", "fuzzy", "untranslated"))
        share = 100 * counts["translated"]["entries"] / total if total else 100.0
        print(
            f"{code}: {share:.0f}% translated; "
            + "; ".join(
                f"{state} {counts[state]['entries']} entries ({counts[state]['words']} words)"
                for state in ("translated", "fuzzy", "untranslated", "obsolete")
            )
        )
    return EXIT_OK


def lint(project: Path, as_json: bool = False) -> int:
    config = load_config(project)
    failed = False
    findings: list[Diagnostic] = []
    for locale in config.target_locales:
        po_path = config.catalog_path(locale)
        shown = display_path(po_path, config.root)
        if not po_path.is_file():
            raise UserError.single(f"no catalog for locale {locale.code!r}", "catalog.missing", shown)
        # The verdict a build and `i18n compile` give: an entry that would not be published is an error.
        result = lint_catalog(
            read_input(po_path, config.root, CATALOG),
            shown,
            locale,
            config.source_locale.language,
            incomplete_is_error=True,
        )
        findings += result.findings
        failed = failed or bool(result.errors)
    if as_json:
        _report(True, {"clean": not failed, "findings": [diagnostic_json(finding) for finding in findings]}, [])
    else:
        for finding in findings:
            print(finding, file=sys.stderr)
        if not failed:
            print("catalogs clean")
    return EXIT_USER_ERROR if failed else EXIT_OK


CATALOG_ACTIONS = {"extract": extract, "update": update, "compile": compile, "stats": stats, "lint": lint}
"""`pipeline i18n ACTION`: each takes the project folder and whether to print JSON, and returns the exit code."""
