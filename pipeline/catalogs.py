"""Catalog maintenance: extract, update, compile (`pipeline i18n ...`).

`extract` writes `locales/messages.pot` from the templates with Babel's Jinja2
extractor and leaves the file alone when nothing but its date would change.
`update` merges the template into every locale's `.po` with Babel's merge:
a changed sentence keeps its old translation as fuzzy with the previous
msgid, a removed one stays as obsolete, nothing a translator wrote is lost.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import normalize, read_po, write_po

from pipeline.config import Config, load_config
from pipeline.errors import display_path
from pipeline.i18n import _write_atomically, load_catalog, parse_po

POT_NAME = "messages.pot"
PROJECT_NAME = "pipeline"
WIDTH = 76
_DATE_HEADER = re.compile(rb'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)


def template_catalog(config: Config) -> Catalog:
    catalog = Catalog(project=PROJECT_NAME, version="1", charset="utf-8", fuzzy=False)
    extracted = extract_from_dir(
        config.templates_dir,
        method_map=[("**.html", "jinja2.ext:babel_extract")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}},
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in extracted:
        catalog.add(message, None, [(f"templates/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def _po_bytes(catalog: Catalog, *, for_translators: bool = False) -> bytes:
    """The catalog as a .po file; for translators with obsolete and previous msgids.

    Babel wraps a long previous msgid (`#| msgid`) like a free comment, which
    GNU msgfmt rejects, so previous msgids are written here instead.
    """
    previous: dict[tuple[str | None, str], tuple[str, ...]] = {}
    if for_translators:
        for message in catalog:
            if message.id and message.previous_id:
                key = (message.context, message.id if isinstance(message.id, str) else message.id[0])
                previous[key] = tuple(message.previous_id)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, ignore_obsolete=not for_translators, include_previous=False)
    text = buffer.getvalue().decode("utf-8")
    for (context, msgid), previous_id in previous.items():
        entry = f"msgid {normalize(msgid, width=WIDTH)}\n"
        if context:
            entry = f"msgctxt {normalize(context, width=WIDTH)}\n" + entry
        lines = f"#| msgid {normalize(previous_id[0], prefix='#| ', width=WIDTH)}\n"
        if len(previous_id) > 1:
            lines += f"#| msgid_plural {normalize(previous_id[1], prefix='#| ', width=WIDTH)}\n"
        position = text.find("\n" + entry)
        if position >= 0:
            text = text[: position + 1] + lines + text[position + 1 :]
    return text.encode("utf-8")


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write unless only the creation date would differ (no churn in git)."""
    if path.exists() and _DATE_HEADER.sub(b"", path.read_bytes()) == _DATE_HEADER.sub(b"", data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(path, data)
    return True


def extract(project: Path) -> Iterator[str]:
    config = load_config(project)
    catalog = template_catalog(config)
    path = config.locales_dir / POT_NAME
    changed = _write_if_changed(path, _po_bytes(catalog))
    state = "wrote" if changed else "unchanged"
    yield f"{state} {display_path(path, config.root)}: {len(catalog)} messages"


def update(project: Path) -> Iterator[str]:
    config = load_config(project)
    pot_path = config.locales_dir / POT_NAME
    if not pot_path.exists():
        yield from extract(project)
    with pot_path.open("rb") as stream:
        template = read_po(stream)
    for locale in config.target_locales:
        po_path = config.catalog_path(locale)
        shown = display_path(po_path, config.root)
        if po_path.exists():
            catalog = parse_po(po_path.read_bytes(), shown, locale)
        else:
            catalog = Catalog(locale=locale.babel_name, project=PROJECT_NAME, version="1", charset="utf-8")
        catalog.locale = locale.babel
        catalog.update(template, no_fuzzy_matching=False, update_header_comment=False, keep_user_comments=True)
        data = _po_bytes(catalog, for_translators=True)
        changed = _write_if_changed(po_path, data)
        untranslated = sum(1 for message in catalog if message.id and not message.string)
        fuzzy = sum(1 for message in catalog if message.id and message.fuzzy)
        state = "updated" if changed else "unchanged"
        yield f"{state} {shown}: {untranslated} untranslated, {fuzzy} fuzzy, {len(catalog.obsolete)} obsolete"


def compile(project: Path) -> Iterator[str]:  # noqa: A001 - the command's name
    config = load_config(project)
    for locale in config.target_locales:
        loaded = load_catalog(config, locale)
        yield f"compiled {display_path(loaded.po_path.with_suffix('.mo'), config.root)}"
