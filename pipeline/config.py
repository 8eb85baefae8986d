"""Project configuration: where things live and which locales are published.

A project is a folder with `facts/`, `templates/`, `locales/` and `assets/`.
An optional `pipeline.toml` names the locales; without it the project
publishes English (the source language, in British conventions) and
Indonesian.  Its optional `base_url` is the address the output folder is
served at: the sitemap, which must give absolute addresses, is written only
when it is set.
"""

from __future__ import annotations

import os
import re
import tomllib
import urllib.parse
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from pipeline.errors import Diagnostic, UserError
from pipeline.inputs import CONFIG, read_input_text
from pipeline.language import LEXICONS

CONFIG_FILE = "pipeline.toml"
DEFAULT_LOCALES = {"en": "en_GB", "id": "id"}
# Locale codes become folder names (out/<code>/, locales/<code>/), so they are
# checked whole (fullmatch: "$" alone would let "en\n" through) before any path
# is built.  Babel names only ever reach Babel, but are held to its identifier
# syntax too, so that no path-like text reaches its locale-data loader.
LOCALE_CODE = re.compile(r"[a-z]{2,3}")
BABEL_NAME = re.compile(r"[a-z]{2,3}(?:_[A-Za-z0-9]{2,8})*")
# tomllib parses arrays and inline tables by recursion: a few thousand "["
# end in a RecursionError.  A configuration needs a handful of levels.
MAX_NESTING = 16
# What opens and closes a level, and what may hold a bracket that does not:
# strings (multi-line ones first) and comments.
_TOML_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\']|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]'
)
# A base URL is written into XML attributes and read by crawlers: printable
# ASCII only (an IRI's other characters percent-encoded), nothing a URL must escape.
_URL_CHARACTERS = re.compile(r"[!#$%&()*+,\-./0-9:;=?@A-Z\[\]_a-z~]+")
_BASE_URL_KEY = re.compile(r"\s*(?:base_url|\"base_url\"|'base_url')\s*=")
BASE_URL_EXAMPLE = "https://news.example.org/briefings/"


@dataclass(frozen=True)
class LocaleConfig:
    code: str
    """Folder name and `lang` attribute: "en", "id"."""

    babel_name: str
    """Babel locale used for formatting: "en_GB", "id"."""

    @cached_property
    def babel(self) -> Locale:
        return Locale.parse(self.babel_name)

    @property
    def language(self) -> str:
        return self.babel.language

    @property
    def autonym(self) -> str:
        """The language's name in itself, for the language switch."""
        return self.babel.get_language_name(self.code) or self.code


@dataclass(frozen=True)
class Config:
    root: Path
    locales: tuple[LocaleConfig, ...]
    base_url: str | None = None
    """Where the output folder is served, ending in "/" (out/en/x.html is at base_url + "en/x.html")."""

    @property
    def source_locale(self) -> LocaleConfig:
        return self.locales[0]

    @property
    def target_locales(self) -> tuple[LocaleConfig, ...]:
        return self.locales[1:]

    @property
    def facts_dir(self) -> Path:
        return self.root / "facts"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def assets_dir(self) -> Path:
        return self.root / "assets"

    def locale(self, code: str) -> LocaleConfig:
        """The configured locale `code`; anything else is refused before it reaches a path."""
        for locale in self.locales:
            if locale.code == code:
                return locale
        known = ", ".join(locale.code for locale in self.locales)
        raise UserError.single(f"unknown locale {code!r} (this project publishes {known})", "config.locale")

    def catalog_path(self, locale: LocaleConfig) -> Path:
        return self.locales_dir / locale.code / "LC_MESSAGES" / "messages.po"


def load_config(root: Path) -> Config:
    if not root.is_dir():
        raise UserError.single(f"project folder {root} does not exist", "config.project")
    path = root / CONFIG_FILE
    table: dict[str, object] = dict(DEFAULT_LOCALES)
    base_url = None
    # lexists: a link leading nowhere is refused, not taken for "no configuration".
    if os.path.lexists(path):
        text = read_input_text(path, root, CONFIG)
        document = _parse(text)
        if "base_url" in document:
            base_url = _base_url(document["base_url"], text)
        table = document.get("locales", table)
        if not isinstance(table, dict) or len(table) < 2:
            raise UserError.single(
                "[locales] must map at least two locale codes to Babel locales", "config.invalid", CONFIG_FILE
            )
    locales = []
    for code, babel_name in table.items():
        if not LOCALE_CODE.fullmatch(code) or not isinstance(babel_name, str):
            raise UserError.single(f"invalid locale entry {code!r}", "config.invalid", CONFIG_FILE)
        if not BABEL_NAME.fullmatch(babel_name):
            raise UserError.single(f"Babel does not know locale {babel_name!r}", "config.invalid", CONFIG_FILE)
        try:
            locale = LocaleConfig(code, babel_name)
            language = locale.babel.language
        except (UnknownLocaleError, ValueError):
            raise UserError.single(
                f"Babel does not know locale {babel_name!r}", "config.invalid", CONFIG_FILE
            ) from None
        if language not in LEXICONS:
            raise UserError.single(
                f"no figure vocabulary for language {language!r} (pipeline/language/lexicon.py)",
                "config.invalid",
                CONFIG_FILE,
            )
        locales.append(locale)
    return Config(root=root.resolve(), locales=tuple(locales), base_url=base_url)


def _base_url(value: object, text: str) -> str:
    """The configured site address, made to end in "/" so that page paths append to it."""
    problem = _base_url_problem(value)
    if problem is not None:
        # tomllib gives no positions: the key's own line is the one to edit.
        line = next((n for n, source in enumerate(text.splitlines(), 1) if _BASE_URL_KEY.match(source)), None)
        shown = value if isinstance(value, str) else type(value).__name__
        raise UserError([Diagnostic(f"base_url {problem}: {shown!r}", "config.invalid", CONFIG_FILE, line)])
    assert isinstance(value, str)
    return value if value.endswith("/") else value + "/"


def _base_url_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return f"must be a string, such as {BASE_URL_EXAMPLE!r}"
    if not _URL_CHARACTERS.fullmatch(value):
        return "may hold only printable ASCII without spaces, quotes or angle brackets (percent-encode the rest)"
    parts = urllib.parse.urlsplit(value)
    try:
        parts.port  # noqa: B018 - reading it raises for a port that is not a number from 0 to 65535
    except ValueError:
        return "has an invalid port"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"must be an absolute http or https address, such as {BASE_URL_EXAMPLE!r}"
    if "?" in value or "#" in value:
        return "may have no query (?) or fragment (#): it is the folder the output is served from"
    if "@" in parts.netloc:
        return "may not name a user or password"
    return None


def _parse(text: str) -> dict[str, Any]:
    """The TOML document, its nesting bounded; any failure is one line naming the file."""

    def refuse(reason: str) -> UserError:
        return UserError([Diagnostic(f"cannot read the configuration: {reason}", "config.invalid", CONFIG_FILE)])

    if _nesting(text) > MAX_NESTING:
        raise refuse(f"arrays and tables nested deeper than {MAX_NESTING} levels")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise refuse(str(exc)) from None
    except RecursionError:
        # Should the count above miss a way of nesting, the parser's own limit still ends in one line.
        raise refuse(f"arrays and tables nested deeper than {MAX_NESTING} levels") from None


def _nesting(text: str) -> int:
    """How deep brackets and braces nest outside strings and comments (an unbalanced text is the parser's to refuse)."""
    depth = deepest = 0
    for match in _TOML_TOKEN.finditer(text):
        token = match[0]
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth = max(depth - 1, 0)
    return deepest
