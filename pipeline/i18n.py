"""Translation catalogs at build time: read, validate, compile, load.

The Indonesian edition is published only from a complete, clean catalog: an
untranslated or fuzzy entry, or a translation whose placeholders differ from
its msgid's, stops the build with the entry's file:line.  The `.mo` file is
compiled by the pipeline itself whenever its `.po` changed; the `.po`'s
digest is stored inside the `.mo` so that staleness is decided by content,
not by modification times.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import os
import re
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from pipeline.config import Config, LocaleConfig
from pipeline.errors import Diagnostic, ErrorCollector, UserError, display_path

PLACEHOLDER = re.compile(r"%\((?P<name>[A-Za-z_][A-Za-z0-9_]*)\)(?P<type>[sdif])|%(?P<bare>[sdif%])")
DIGIT = re.compile(r"\d")
DIGEST_CONTEXT = "pipeline"
DIGEST_MSGID = "po-source-digest"


@dataclass(frozen=True)
class LoadedCatalog:
    locale: LocaleConfig
    po_path: Path
    catalog: Catalog
    translations: gettext.NullTranslations

    def message_line(self, msgid: str) -> int | None:
        message = self.catalog.get(msgid)
        return message.lineno if message is not None else None


def placeholders(text: str) -> list[tuple[str, str]]:
    """The `%(name)s` placeholders of a message, in order, with their type."""
    return [(match["name"], match["type"]) for match in PLACEHOLDER.finditer(text) if match["name"]]


def load_catalog(config: Config, locale: LocaleConfig) -> LoadedCatalog:
    """The validated catalog of a target locale and its compiled translations."""
    po_path = config.catalog_path(locale)
    shown = display_path(po_path, config.root)
    if not po_path.is_file():
        raise UserError.single(
            f"no catalog for locale {locale.code!r}: an edition without translations is never published",
            "catalog.missing",
            shown,
        )
    raw = po_path.read_bytes()
    catalog = parse_po(raw, shown, locale)
    errors = ErrorCollector()
    errors.extend(validate_catalog(catalog, shown, locale))
    errors.raise_if_any()
    translations = _compiled_translations(catalog, raw, po_path.with_suffix(".mo"))
    return LoadedCatalog(locale, po_path, catalog, translations)


def parse_po(raw: bytes, shown: str, locale: LocaleConfig) -> Catalog:
    try:
        return read_po(io.BytesIO(raw), locale=locale.babel_name, abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        raise UserError.single(f"broken catalog: {exc}", "catalog.syntax", shown, line) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise UserError.single(f"unreadable catalog: {exc}", "catalog.syntax", shown) from None


def validate_catalog(catalog: Catalog, shown: str, locale: LocaleConfig) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    # CLDR lists the plural categories besides the implicit "other".
    expected_plurals = len(set(locale.babel.plural_form.tags) | {"other"})
    if catalog.num_plurals != expected_plurals:
        findings.append(
            Diagnostic(
                f"Plural-Forms says nplurals={catalog.num_plurals}, locale {locale.code} has {expected_plurals}",
                "catalog.header",
                shown,
                1,
            )
        )
    for message in catalog:
        if not message.id:
            continue
        findings.extend(_check_message(message, shown))
    return findings


def _check_message(message: Message, shown: str) -> list[Diagnostic]:
    msgid = str(message.id if isinstance(message.id, str) else message.id[0])
    label = _shorten(msgid)
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    if message.fuzzy:
        return [Diagnostic(f'fuzzy translation of "{label}" is not published', "catalog.fuzzy", shown, message.lineno)]
    if not all(strings):
        return [Diagnostic(f'untranslated: "{label}"', "catalog.untranslated", shown, message.lineno)]
    findings = []
    expected = sorted(placeholders(msgid))
    for translated in (str(text) for text in strings):
        found = sorted(placeholders(translated))
        if found != expected:
            missing = sorted({name for name, _ in expected} - {name for name, _ in found})
            extra = sorted({name for name, _ in found} - {name for name, _ in expected})
            detail = "; ".join(
                part
                for part in (
                    f"missing %({', %('.join(missing)})s" if missing else "",
                    f"unknown %({', %('.join(extra)})s" if extra else "",
                    "placeholder used twice or with another type" if not missing and not extra else "",
                )
                if part
            )
            findings.append(
                Diagnostic(
                    f'placeholders differ from the msgid "{label}": {detail}',
                    "catalog.placeholder",
                    shown,
                    message.lineno,
                )
            )
        if DIGIT.search(PLACEHOLDER.sub("", translated)) and not DIGIT.search(PLACEHOLDER.sub("", msgid)):
            findings.append(
                Diagnostic(
                    f'translation of "{label}" types a figure; figures enter only through placeholders',
                    "catalog.literal-figure",
                    shown,
                    message.lineno,
                )
            )
    return findings


def _shorten(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _compiled_translations(catalog: Catalog, po_bytes: bytes, mo_path: Path) -> gettext.GNUTranslations:
    digest = hashlib.sha256(po_bytes).hexdigest()
    current = _read_mo(mo_path)
    if current is not None and current.pgettext(DIGEST_CONTEXT, DIGEST_MSGID) == digest:
        return current
    compiled = Catalog(locale=catalog.locale, fuzzy=False)
    compiled.mime_headers = catalog.mime_headers
    for message in catalog:
        if message.id and not message.fuzzy:
            compiled[message.id] = message
    compiled.add(DIGEST_MSGID, digest, context=DIGEST_CONTEXT)
    buffer = io.BytesIO()
    write_mo(buffer, compiled)
    _write_atomically(mo_path, buffer.getvalue())
    return gettext.GNUTranslations(io.BytesIO(buffer.getvalue()))


def _read_mo(path: Path) -> gettext.GNUTranslations | None:
    try:
        return gettext.GNUTranslations(io.BytesIO(path.read_bytes()))
    except (OSError, ValueError, UnicodeDecodeError, struct.error):
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
