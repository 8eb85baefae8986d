"""Translation catalogs at build time: read, validate, compile, load.

The Indonesian edition is published only from a complete, clean catalog
(see lint.py): any finding stops the build with the entry's
file:line.  The `.mo` file is
compiled by the pipeline itself whenever its `.po` changed; the `.po`'s
digest is stored inside the `.mo` so that staleness is decided by content,
not by modification times.

A new `.mo` is written beside the old one under a temporary name and takes
its place only once it loads as the build will load it (gettext's reader,
and its plural function for every n checked): whatever goes wrong, the
previous `.mo` stays byte for byte as it was.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo

from pipeline.config import Config, LocaleConfig
from pipeline.errors import Diagnostic, UserError, display_path
from pipeline.i18n.lint import lint_catalog, singular_id
from pipeline.i18n.plural_forms import CHECKED_UP_TO
from pipeline.inputs import CATALOG, UnsafeFile, read_input

DIGEST_CONTEXT = "pipeline"
DIGEST_MSGID = "po-source-digest"


@dataclass(frozen=True)
class LoadedCatalog:
    locale: LocaleConfig
    po_path: Path
    catalog: Catalog
    translations: gettext.NullTranslations
    translated: frozenset[tuple[str | None, str]]
    """(context, msgid) of every entry that is published as a translation."""

    def is_translated(self, context: str | None, msgid: str) -> bool:
        return (context, msgid) in self.translated

    @property
    def complete(self) -> bool:
        return all((message.context, singular_id(message)) in self.translated for message in self.catalog if message.id)


def load_catalog(config: Config, locale: LocaleConfig, draft: bool = False) -> LoadedCatalog:
    """The linted catalog of a target locale and its compiled translations.

    Untranslated and fuzzy entries stop a build; in a draft they fall back to
    the source language instead (and the renderer marks them).
    """
    po_path = config.catalog_path(locale)
    shown = display_path(po_path, config.root)
    if not po_path.exists() and not po_path.is_symlink():
        raise UserError.single(
            f"no catalog for locale {locale.code!r}: an edition without translations is never published",
            "catalog.missing",
            shown,
        )
    # A FIFO, a device, a link leading out of the project or an oversized file is refused with its reason.
    raw = read_input(po_path, config.root, CATALOG)
    result = lint_catalog(raw, shown, locale, config.source_locale.language, incomplete_is_error=not draft)
    if result.errors or result.catalog is None:
        raise UserError(result.errors)
    catalog = result.catalog
    mo_path = po_path.with_suffix(".mo")
    translations = _compiled_translations(catalog, raw, mo_path, config.root, display_path(mo_path, config.root))
    translated = frozenset(
        (message.context, singular_id(message)) for message in catalog if message.id and _publishable(message)
    )
    return LoadedCatalog(locale, po_path, catalog, translations, translated)


def _publishable(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return not message.fuzzy and all(strings)


def _compiled_translations(
    catalog: Catalog, po_bytes: bytes, mo_path: Path, root: Path, shown: str
) -> gettext.GNUTranslations:
    digest = hashlib.sha256(po_bytes).hexdigest()
    current = _read_mo(mo_path, root)
    if current is not None and current.pgettext(DIGEST_CONTEXT, DIGEST_MSGID) == digest:
        return current
    compiled = Catalog(locale=catalog.locale, fuzzy=False)
    compiled.mime_headers = catalog.mime_headers
    for message in catalog:
        if message.id and _publishable(message):
            compiled[message.id] = message
    compiled.add(DIGEST_MSGID, digest, context=DIGEST_CONTEXT)
    buffer = io.BytesIO()
    write_mo(buffer, compiled)
    return _replace_once_loaded(mo_path, buffer.getvalue(), catalog.num_plurals, shown)


def _replace_once_loaded(mo_path: Path, data: bytes, nplurals: int, shown: str) -> gettext.GNUTranslations:
    """Write the new .mo under a temporary name, load it back, and only then put it in place."""
    handle, temporary = tempfile.mkstemp(dir=mo_path.parent, prefix=f".{mo_path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        try:
            with open(temporary, "rb") as stream:
                translations = gettext.GNUTranslations(stream)
            for n in range(CHECKED_UP_TO + 1):
                form = translations.plural(n)  # type: ignore[attr-defined]
                if not 0 <= form < nplurals:
                    raise ValueError(f"its plural function gives form {form} for n={n}, nplurals={nplurals}")
        # Whatever the reader or the plural function raise, the new file is not used.
        except Exception as exc:
            # The temporary file's name would only confuse: an OSError says what went wrong without it.
            text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            reason = " ".join(text.split())[:200] or type(exc).__name__
            message = f"the compiled catalog does not load ({reason}); the previous .mo is kept"
            raise UserError([Diagnostic(message, "catalog.compile", shown)]) from None
        os.replace(temporary, mo_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return translations


def _read_mo(path: Path, root: Path) -> gettext.GNUTranslations | None:
    """The .mo compiled before, if it is a regular file of the project that loads."""
    try:
        return gettext.GNUTranslations(io.BytesIO(read_input(path, root, CATALOG)))
    except (UnsafeFile, OSError, ValueError, UnicodeDecodeError, struct.error):
        return None


def write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
