"""The stylesheet every edition links, parsed once per process and replayed into each document.

Every edition links the same `assets/*.css`, and WeasyPrint parses a linked
stylesheet again for each document (tokenising, validating each declaration,
compiling each selector): 15 ms of the sample's 0.3 s a PDF.  A parsed sheet is
meant to be shared (WeasyPrint shares its own user-agent sheet between all
documents), but handing it in through `stylesheets=` would make it a user
stylesheet, which loses to the author's at any specificity and whose
!important wins: the cascade would change.  So the parsed sheet takes the
place of the one WeasyPrint would have parsed from the `<link>`, at its
position and with its author origin (`install` wraps the `CSS` that
`weasyprint.css.find_stylesheets` builds for a link).

A parsed sheet is reused only where it is what parsing again would give:
- it is found by its URL (which resolves its relative URLs), the media type,
  the type and charset it was served with, and the SHA-256 of its bytes,
  fetched again for every document through the document's own fetcher: an
  edited stylesheet, or another project's, is parsed afresh;
- what a parse did beyond building the sheet is recorded in order and done
  again for each document: every @import is fetched again through the
  document's fetcher and must be the same bytes (else the sheet is parsed
  afresh), every @font-face is registered again, through that fetcher, in the
  font configuration the document uses (fonts.py sees exactly the calls it
  would see without the cache), and WeasyPrint's warnings are logged again;
  an import found changed halfway leaves what came before it done twice: a
  font registered twice is registered once, a warning is logged twice;
- the document's list of @page rules gets the sheet's rules where the parse
  would have appended them;
- a sheet whose parse touched what cannot be replayed here (cascade layers,
  @counter-style, @color-profile), or logged an exception, is never kept.

So the fetcher still decides every resource of every document, the
stylesheet included, and refuses it at the moment it would have without the
cache.  Only a fetcher that lists what it served (document.py's) enables
the cache: the recording reads that list.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple, TypeAlias

MAX_SHEETS = 16
"""Parsed sheets a process keeps: a build links one; a long-lived process may see edits or several projects."""

# Exactly the arguments find_stylesheets passes for a <link>; a CSS built any other way is left alone.
_LINK_ARGUMENTS = frozenset(
    {
        "url",
        "url_fetcher",
        "media_type",
        "font_config",
        "counter_style",
        "color_profiles",
        "page_rules",
        "layers",
        "_check_mime_type",
    }
)


class Fetched(NamedTuple):
    url: str
    digest: str


class FontFace(NamedTuple):
    descriptors: dict[str, Any]


class Logged(NamedTuple):
    record: logging.LogRecord


Event: TypeAlias = Fetched | FontFace | Logged


class Parsed(NamedTuple):
    base_url: str | None
    matcher: Any
    page_rules: tuple[Any, ...]
    events: tuple[Event, ...]
    """What the parse did after fetching the sheet itself, in order."""


Key: TypeAlias = tuple[str, str, str, str | None, str, str]
"""(URL asked for, URL served, content type, charset, media type, SHA-256 of the bytes)."""


class StylesheetCache:
    """Parsed linked stylesheets, most recently used last."""

    def __init__(self, size: int = MAX_SHEETS) -> None:
        self.size = size
        self.sheets: OrderedDict[Key, Parsed] = OrderedDict()
        self.parses = 0
        """Linked sheets parsed by WeasyPrint (kept or not)."""
        self.reuses = 0
        # A process rendering in several threads shares the cache; a parse or a replay needs no lock.
        self.lock = threading.Lock()

    def clear(self) -> None:
        with self.lock:
            self.sheets.clear()

    def linked(self, css_class: type, arguments: dict[str, Any]) -> Any:
        """The sheet WeasyPrint's `CSS(**arguments)` would build for a `<link>`."""
        from weasyprint.logger import PROGRESS_LOGGER
        from weasyprint.urls import fetch

        url, fetcher = arguments["url"], arguments["url_fetcher"]
        with fetch(fetcher, url) as response:
            digest = hashlib.sha256(response.read()).hexdigest()
            served = (response.url, response.content_type, response.charset)
        if served[1] != "text/css":
            # Not kept: WeasyPrint fetches it again, logs the wrong type and uses an empty sheet.
            return css_class(**arguments)
        key: Key = (url, *served, arguments.get("media_type", "print"), digest)
        with self.lock:
            parsed = self.sheets.get(key)
            if parsed is not None:
                self.sheets.move_to_end(key)
        if parsed is not None:
            PROGRESS_LOGGER.info("Step 2 - Fetching and parsing CSS - %s", url)
            sheet = _replay(parsed, css_class, arguments)
            if sheet is not None:
                self.reuses += 1
                return sheet
            with self.lock:
                self.sheets.pop(key, None)
        return self._parse(key, css_class, arguments)

    def _parse(self, key: Key, css_class: type, arguments: dict[str, Any]) -> Any:
        fonts = arguments.get("font_config")
        page_rules = arguments.get("page_rules")
        first_rule = len(page_rules) if page_rules is not None else 0
        before = _Untouched(arguments)
        recorder = _Recorder(arguments["url_fetcher"].served, fonts)
        with recorder.logging():
            sheet = css_class(**{**arguments, "font_config": recorder if fonts is not None else None})
        self.parses += 1
        events = recorder.finish()
        # The parse fetched the sheet once more: key it by the bytes it read, not by the earlier fetch.
        top = next((index for index, event in enumerate(events) if isinstance(event, Fetched)), len(events))
        own = events[top] if top < len(events) else None
        if (
            fonts is None
            or not isinstance(own, Fetched)
            or own.url != arguments["url"]
            or not before.still(arguments, sheet)
            or any(isinstance(event, Logged) and event.record.exc_info for event in events)
        ):
            return sheet
        rules = sheet.page_rules[first_rule:] if page_rules is not None else sheet.page_rules
        parsed = Parsed(sheet.base_url, sheet.matcher, tuple(rules), tuple(events[top + 1 :]))
        with self.lock:
            self.sheets[(*key[:-1], own.digest)] = parsed
            while len(self.sheets) > self.size:
                self.sheets.popitem(last=False)
        return sheet


PROCESS_STYLESHEETS = StylesheetCache()
"""The cache of this process: a PDF worker keeps it for all the PDFs it renders."""


def _replay(parsed: Parsed, css_class: type, arguments: dict[str, Any]) -> Any:
    """The parsed sheet made the document's, or None when an @import is no longer the same bytes."""
    from weasyprint.urls import fetch

    fetcher, fonts = arguments["url_fetcher"], arguments.get("font_config")
    for event in parsed.events:
        if isinstance(event, Fetched):
            with fetch(fetcher, event.url) as response:
                if hashlib.sha256(response.read()).hexdigest() != event.digest:
                    return None
        elif isinstance(event, FontFace):
            if fonts is not None:
                fonts.add_font_face(event.descriptors, fetcher)
        else:
            _log_again(event.record)
    page_rules = arguments.get("page_rules")
    layers = arguments.get("layers")
    sheet: Any = object.__new__(css_class)
    sheet.base_url = parsed.base_url
    sheet.matcher = parsed.matcher
    sheet.page_rules = [] if page_rules is None else page_rules
    sheet.page_rules.extend(parsed.page_rules)
    sheet.layers = [] if layers is None else layers
    return sheet


def _log_again(record: logging.LogRecord) -> None:
    logger = logging.getLogger(record.name)
    if logger.isEnabledFor(record.levelno):
        logger.handle(
            logger.makeRecord(
                record.name,
                record.levelno,
                record.pathname,
                record.lineno,
                record.msg,
                record.args or (),
                None,
                record.funcName,
                None,
                record.stack_info,
            )
        )


class _Untouched:
    """What a sheet's parse may change in the document but the cache cannot replay."""

    def __init__(self, arguments: dict[str, Any]) -> None:
        self.layers = len(arguments.get("layers") or ())
        self.counters = dict(arguments.get("counter_style") or {})
        self.profiles = dict(arguments.get("color_profiles") or {})

    def still(self, arguments: dict[str, Any], sheet: Any) -> bool:
        return (
            len(sheet.layers) == self.layers
            and _same_entries(self.counters, arguments.get("counter_style") or {})
            and _same_entries(self.profiles, arguments.get("color_profiles") or {})
        )


def _same_entries(before: dict[Any, Any], after: Any) -> bool:
    return len(before) == len(after) and all(key in before and before[key] is value for key, value in after.items())


class _Recorder(logging.Handler):
    """Stands in for the font configuration during a parse, and listens to WeasyPrint's log.

    What the fetcher served outside a @font-face registration is the sheet
    and its imports; what it served inside one is the font, fetched again
    when the registration is.
    """

    def __init__(self, served: list[tuple[str, str]], fonts: Any) -> None:
        super().__init__(logging.NOTSET)
        self.served = served
        self.fonts = fonts
        self.seen = len(served)
        self.events: list[Event] = []
        self.in_font_face = False
        self.thread = threading.get_ident()

    def _take_fetches(self) -> None:
        self.events.extend(Fetched(url, digest) for url, digest in self.served[self.seen :])
        self.seen = len(self.served)

    def add_font_face(self, rule_descriptors: Any, url_fetcher: Any) -> None:
        self._take_fetches()
        self.events.append(FontFace(rule_descriptors))
        self.in_font_face = True
        try:
            self.fonts.add_font_face(rule_descriptors, url_fetcher)
        finally:
            self.in_font_face = False
            self.seen = len(self.served)

    def emit(self, record: logging.LogRecord) -> None:
        # A registration logs again when replayed; another thread's record is not this parse's.
        if not self.in_font_face and record.thread == self.thread:
            self._take_fetches()
            self.events.append(Logged(record))

    @contextmanager
    def logging(self) -> Iterator[None]:
        logger = logging.getLogger("weasyprint")
        logger.addHandler(self)
        try:
            yield
        finally:
            logger.removeHandler(self)

    def finish(self) -> list[Event]:
        self._take_fetches()
        return self.events


def cached_links(original: Callable[..., Any]) -> Callable[..., Any]:
    """WeasyPrint's `CSS`, answering a `<link>`'s sheet from the fetcher's cache when it has one."""

    def css(*args: Any, **arguments: Any) -> Any:
        cache = getattr(arguments.get("url_fetcher"), "stylesheets", None)
        if (
            cache is None
            or args
            or not arguments.get("_check_mime_type")
            or arguments.get("url") is None
            or not arguments.keys() <= _LINK_ARGUMENTS
            or not hasattr(arguments["url_fetcher"], "served")
        ):
            return original(*args, **arguments)
        return cache.linked(original, arguments)

    css.cached_links = True  # type: ignore[attr-defined]
    css.original = original  # type: ignore[attr-defined]
    return css


def install() -> None:
    """Answer linked sheets from the cache (idempotent); only a fetcher carrying a cache is affected."""
    from weasyprint import css

    if not getattr(css.CSS, "cached_links", False):
        css.CSS = cached_links(css.CSS)
