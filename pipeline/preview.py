"""Live preview pages: the project rendered in memory, as the browser sees it.

The preview renders like `pipeline build --draft` but writes nothing and makes
no PDF (far too slow to redo on every keystroke): incomplete catalogs still
preview, with English standing in for untranslated or fuzzy sentences,
highlighted.  The templates' draft banner ("Draft: translation incomplete")
stays only on a page showing such a sentence; a draft render would put it on
every page of a translated edition, complete or not.  Rendering happens on
request and only when an input changed since the last render (the watcher in
serve.py bumps the version), so two frames loading at once share one render.

Every page carries a small script that polls `/__version` and reloads when
it changes.  A page inside the side-by-side view does not poll itself: its
parent reloads the whole view, frames included.  When the input is broken,
every page becomes the list of diagnostics, `file:line: error: ... [code]`,
and reloads into the article once the input is fixed.
"""

from __future__ import annotations

import re
import secrets
import sys
import threading
import traceback
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path

from pipeline.editions import Rendered, render_project
from pipeline.errors import PipelineError
from pipeline.render import RenderedArticle

POLL_MS = 300
VERSION_PATH = "/__version"
UNTRANSLATED_MARK = 'class="untranslated"'
# The banner templates show in a draft (`{% if draft %}`), whatever its attributes and contents.
DRAFT_BANNER = re.compile(
    r'<(?P<tag>[a-z][a-z0-9]*)\b[^>]*\bclass="(?:[^"]*\s)?draft-banner(?:\s[^"]*)?"[^>]*>.*?</(?P=tag)\s*>\n?',
    re.IGNORECASE | re.DOTALL,
)
NO_PDF = "The preview renders no PDF (too slow to redo on every change); run pipeline build for the PDF editions."

# Injected into every page: the project's own stylesheet may not style draft
# fallbacks (the fixtures' does not), and a reviewer must see them anyway.
PREVIEW_CSS = """
.untranslated { background: #fff1b8 !important; outline: 2px dashed #b08800 !important; }
"""

RELOAD_SCRIPT = """<script>
(function () {
  if (window.parent !== window) return;  // the side-by-side view reloads its frames itself
  var shown = "%(version)s";
  function poll() {
    fetch("%(path)s", {cache: "no-store"})
      .then(function (response) { return response.text(); })
      .then(function (version) {
        if (version.trim() !== shown) { location.reload(); } else { setTimeout(poll, %(poll)d); }
      })
      .catch(function () { setTimeout(poll, 1000); });  // server restarting: keep trying
  }
  setTimeout(poll, %(poll)d);
})();
</script>"""

PAGE_STYLE = """
body { margin: 0; font-family: system-ui, sans-serif; color: #1d1d1d; }
header.preview { padding: 0.5rem 1rem; background: #24323f; color: #fff; font-size: 0.9rem; }
header.preview a { color: #cde3ff; margin-right: 1rem; }
main.preview { padding: 1rem 1.5rem; }
.columns { display: grid; grid-template-columns: repeat(var(--columns), 1fr); height: calc(100vh - 4.6rem); }
.column { display: flex; flex-direction: column; border-right: 1px solid #ccc; min-width: 0; }
.column h2 { margin: 0; padding: 0.3rem 0.8rem; font-size: 0.85rem; background: #eef1f4; }
.column .pending { color: #7a5600; font-weight: normal; margin-left: 0.6rem; }
.column iframe { flex: 1; width: 100%; border: 0; }
.errors { background: #fff3f2; border-left: 4px solid #b3261e; padding: 0.8rem 1rem; }
.errors li { font-family: ui-monospace, monospace; white-space: pre-wrap; margin: 0.3rem 0; }
"""


@dataclass(frozen=True)
class Page:
    status: int
    html: str

    @property
    def body(self) -> bytes:
        return self.html.encode("utf-8")


@dataclass(frozen=True)
class Snapshot:
    """The project as rendered at one version: its editions, or why it could not be rendered."""

    version: str
    rendered: Rendered | None
    errors: tuple[str, ...] = ()
    bug: bool = False
    """The failure is not the input's fault (a traceback, not diagnostics)."""


class Preview:
    def __init__(self, project: Path) -> None:
        self.project = project
        # A fresh token per server: a page left open across a restart reloads.
        self._token = secrets.token_hex(4)
        self._changes = 0
        self._version_lock = threading.Lock()
        self._render_lock = threading.Lock()
        self._snapshot: Snapshot | None = None

    @property
    def version(self) -> str:
        with self._version_lock:
            return f"{self._token}-{self._changes}"

    def changed(self) -> str:
        """An input changed: the next request renders again and open pages reload."""
        with self._version_lock:
            self._changes += 1
            return f"{self._token}-{self._changes}"

    def snapshot(self) -> Snapshot:
        with self._render_lock:
            # The version is read before rendering: a change made while it
            # renders bumps it again, so that change is never missed.
            version = self.version
            if self._snapshot is None or self._snapshot.version != version:
                self._snapshot = self._render(version)
            return self._snapshot

    def _render(self, version: str) -> Snapshot:
        try:
            return Snapshot(version, render_project(self.project, draft=True))
        except PipelineError as error:
            return Snapshot(version, None, tuple(str(diagnostic) for diagnostic in error.diagnostics))
        except Exception:
            # A bug in the pipeline must not take the preview down with it either.
            trace = traceback.format_exc()
            print(trace, file=sys.stderr, end="")
            return Snapshot(version, None, (trace,), bug=True)

    # Pages ---------------------------------------------------------------

    def index(self) -> Page:
        snapshot = self.snapshot()
        if snapshot.rendered is None:
            return error_page(snapshot)
        items = []
        for slug, editions in _by_slug(snapshot.rendered.editions).items():
            links = " ".join(
                f'<a href="/{escape(edition.folder)}/{escape(slug)}.html">{escape(edition.folder)}</a>'
                for edition in editions
            )
            title = _title(editions[0].html) or slug
            items.append(f'<li><a href="/{escape(slug)}">{escape(title)}</a> <small>({links})</small></li>')
        body = f'<main class="preview"><h1>Articles</h1><ul>{"".join(items)}</ul></main>'
        return Page(200, _page("Preview", body, snapshot.version))

    def side_by_side(self, slug: str) -> Page:
        snapshot = self.snapshot()
        if snapshot.rendered is None:
            return error_page(snapshot)
        rendered = snapshot.rendered
        editions = {edition.folder: edition for edition in rendered.editions if edition.slug == slug}
        columns = [editions[locale.code] for locale in rendered.config.locales if locale.code in editions]
        if not columns:
            return not_found(snapshot.version, f"No article {slug!r} in this project.")
        frames = []
        for edition in columns:
            pending = edition.html.count(UNTRANSLATED_MARK)
            note = f'<span class="pending">{pending} untranslated or fuzzy, highlighted</span>' if pending else ""
            src = f"/{escape(edition.folder)}/{escape(slug)}.html"
            label = f"{escape(edition.locale.autonym)} ({escape(edition.locale.code)})"
            frames.append(
                f'<section class="column" lang="{escape(edition.locale.code)}"><h2>{label}{note}</h2>'
                f'<iframe src="{src}" title="{label}" name="{escape(edition.locale.code)}"></iframe></section>'
            )
        extra = ""
        if "bilingual" in editions:
            extra = f'<a href="/bilingual/{escape(slug)}.html">bilingual edition</a>'
        body = f'<div class="columns" style="--columns: {len(columns)}">{"".join(frames)}</div>'
        return Page(200, _page(_title(columns[0].html) or slug, body, snapshot.version, extra))

    def edition(self, folder: str, slug: str) -> Page:
        snapshot = self.snapshot()
        if snapshot.rendered is None:
            return error_page(snapshot)
        for edition in snapshot.rendered.editions:
            if edition.folder == folder and edition.slug == slug:
                return Page(200, _inject(_banner_if_pending(edition.html), snapshot.version))
        return not_found(snapshot.version, f"No edition {folder}/{slug}.html in this project.")


def error_page(snapshot: Snapshot) -> Page:
    if snapshot.bug:
        heading = "The preview failed: a bug in the pipeline, not in your files"
    else:
        count = len(snapshot.errors)
        heading = f"The input has {count} error{'s' if count != 1 else ''}; fix and save to see the article again"
    items = "".join(f"<li>{escape(line)}</li>" for line in snapshot.errors)
    body = f'<main class="preview"><h1>{escape(heading)}</h1><ul class="errors">{items}</ul></main>'
    return Page(500, _page("Preview: errors", body, snapshot.version))


def not_found(version: str, message: str) -> Page:
    body = f'<main class="preview"><h1>Not found</h1><p>{escape(message)}</p></main>'
    return Page(404, _page("Preview: not found", body, version))


def _page(title: str, body: str, version: str, extra_links: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{PAGE_STYLE}</style>{_reload_script(version)}</head><body>"
        f'<header class="preview"><a href="/">All articles</a>{extra_links}'
        f"<span>Live preview: draft rendering, no PDF; reloads on every saved change</span></header>"
        f"{body}</body></html>\n"
    )


def _banner_if_pending(html: str) -> str:
    """The page without its draft banner when nothing on it stands in untranslated or fuzzy.

    The preview renders every edition as a draft, so that an incomplete
    catalog still previews; the templates then show the banner on every page
    of a translated edition, even when each of its sentences is translated.
    """
    if UNTRANSLATED_MARK in html:
        return html
    return DRAFT_BANNER.sub("", html, count=1)


def _inject(html: str, version: str) -> str:
    """An edition with the preview's highlight style and reload script before its </head>."""
    addition = f"<style>{PREVIEW_CSS}</style>{_reload_script(version)}"
    match = re.search(r"</head\s*>", html, re.IGNORECASE)
    if match is None:
        return addition + html
    return html[: match.start()] + addition + html[match.start() :]


def _reload_script(version: str) -> str:
    # The version is a hex token and a counter: nothing in it needs escaping in a JS string.
    return RELOAD_SCRIPT % {"version": version, "path": VERSION_PATH, "poll": POLL_MS}


def _by_slug(editions: list[RenderedArticle]) -> dict[str, list[RenderedArticle]]:
    grouped: dict[str, list[RenderedArticle]] = {}
    for edition in editions:
        grouped.setdefault(edition.slug, []).append(edition)
    return grouped


def _title(html: str) -> str | None:
    match = re.search(r"<title>(.*?)</title>", html, re.IGNORECASE | re.DOTALL)
    return " ".join(unescape(match.group(1)).split()) if match else None
