"""One font configuration for consecutive PDFs that declare the same fonts.

WeasyPrint builds a font configuration (a Fontconfig set plus a Pango font
map) per document unless it is given one, and registers every @font-face of
the stylesheet in it: each document fetches and loads the six bundled fonts
again, shapes text with cold font caches, and leaves the old font map behind
(about a third of a MiB per document that a worker never gets back).  Handing the
previous document's configuration to the next one removes both costs; the
PDFs come out byte for byte the same.

A configuration is handed on only where that cannot change a PDF:
- a @font-face already registered is still fetched through the new
  document's fetcher (so a font the fetcher would now refuse, or a missing
  one, still fails that document), and must be the same bytes;
- the document must declare exactly the @font-face rules the first document
  registered, in the same order: it sees no font another document declared
  (a family it names without declaring falls back as it would on its own),
  and meets no cached line metrics computed without one of its fonts.
Otherwise the document is rendered again with a fresh configuration, which
is then the one handed on.
"""

from __future__ import annotations

import shutil
from typing import Any

from weasyprint.text.fonts import FontConfiguration


class FontsDiffer(BaseException):
    """Raised while the stylesheet is read: this document's fonts are not the shared ones.

    A BaseException, so that WeasyPrint's own `except Exception` blocks let it through.
    """


class SharedFonts(FontConfiguration):  # type: ignore[misc]
    """A font configuration that records the @font-face rules its first document registered, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.registered: list[str] = []
        self.sources: dict[str, list[tuple[str, str]]] = {}
        """@font-face rule -> (URL, SHA-256) of what the fetcher served to register it."""
        self.documents = 0
        self.declared: list[str] = []
        """The rules the document being rendered declared so far."""
        self.differs = False

    def start_document(self) -> None:
        self.documents += 1
        self.declared = []
        self.differs = False

    @property
    def fits(self) -> bool:
        """The document declared exactly the registered fonts: it rendered as with its own configuration."""
        # The flag as well as the raise: WeasyPrint draws SVG under `except BaseException`.
        return not self.differs and self.declared == self.registered

    def _differ(self) -> None:
        self.differs = True
        raise FontsDiffer

    def add_font_face(self, rule_descriptors: Any, url_fetcher: Any) -> None:
        key = str(rule_descriptors)
        if key in self.declared:
            # Declared twice by one document: WeasyPrint's own configuration deduplicates too.
            super().add_font_face(rule_descriptors, url_fetcher)
            return
        position = len(self.declared)
        self.declared.append(key)
        if self.documents == 1:
            start = len(url_fetcher.served)
            super().add_font_face(rule_descriptors, url_fetcher)
            self.registered.append(key)
            self.sources[key] = list(url_fetcher.served[start:])
            return
        # Later documents declare exactly what the first did, in order: a font
        # registered once layout has begun would meet caches (line metrics by
        # family name) filled without it.
        if position >= len(self.registered) or self.registered[position] != key:
            self._differ()
        for url, digest in self.sources[key]:
            url_fetcher.fetch(url)
            if url_fetcher.served[-1] != (url, digest):
                self._differ()
        # Registered already: WeasyPrint returns at once (or retries a font that failed to load).
        super().add_font_face(rule_descriptors, url_fetcher)


class FontReuse:
    """The configuration handed from one document to the next within one batch of PDFs."""

    def __init__(self) -> None:
        self.current: SharedFonts | None = None

    def shared(self) -> SharedFonts:
        """The previous document's configuration, ready for the next one (a new one for the first)."""
        if self.current is None:
            return self.fresh()
        self.current.start_document()
        return self.current

    def fresh(self) -> SharedFonts:
        """A new configuration, which the following documents will share."""
        self.current = SharedFonts()
        self.current.start_document()
        return self.current

    def close(self) -> None:
        """Remove the font files WeasyPrint wrote for the configuration.

        WeasyPrint removes them when the configuration is garbage-collected,
        which never happens in a pool worker: it leaves through os._exit.
        """
        folder = self.current._folder if self.current is not None else None
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        self.current = None
