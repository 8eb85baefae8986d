"""Live preview pages: the project rendered in memory, as the browser sees it.

The preview renders like `pipeline build --draft` but writes nothing and makes
no PDF (far too slow to redo on every keystroke): incomplete catalogs still
preview, with English standing in for untranslated or fuzzy sentences,
highlighted.  The templates' draft banner ("Draft: translation incomplete")
stays only on a page showing such a sentence; a draft render would put it on
every page of a translated edition, complete or not.  Rendering happens on
request and only when an input changed since the last render (the watcher in
server.py bumps the version), so two frames loading at once share one render.
It runs in a thread of its own, and a request waits for it RENDER_TIMEOUT
seconds at most: a file that never answers (a FIFO in facts/) then costs one
stuck thread and an error page, never the server.

Every page carries a small script that polls `/__version` and reloads when
it changes.  A page inside the side-by-side view does not poll itself: its
parent reloads the whole view, frames included.  When the input is broken,
every page becomes the list of diagnostics, `file:line: error: ... [code]`,
each with the excerpt the command line prints beneath it (the source line and
a caret), and reloads into the article once the input is fixed.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, replace
from html import escape, unescape
from pathlib import Path

from pipeline.build import Rendered, render_project
from pipeline.errors import Diagnostic, PipelineError
from pipeline.render import RenderedArticle
from pipeline.serve.data_files import data_file

POLL_MS = 300
RENDER_TIMEOUT = 10.0
"""Seconds a request waits for a render; the sample renders in about one."""
INPUT_FOLDERS = ("facts", "templates", "locales", "assets")
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
.errors pre { margin: 0.2rem 0 0; white-space: pre; overflow-x: auto; }
"""


@dataclass(frozen=True)
class Page:
    status: int
    html: str
    content_type: str = "text/html"

    @property
    def body(self) -> bytes:
        return self.html.encode("utf-8")


@dataclass(frozen=True)
class Snapshot:
    """The project as rendered at one version: its editions, or why it could not be rendered."""

    version: str
    rendered: Rendered | None
    errors: tuple[Diagnostic | str, ...] = ()
    """The input's findings, or the words of a failure that is not the input's (a traceback, a stalled render)."""
    bug: bool = False
    """The failure is not the input's fault (a traceback, not diagnostics)."""
    stalled: bool = False
    """The render did not finish in time; it may still finish, or be blocked for good."""
    changes: int = 0
    """The count of input changes the render started from."""


class _Render:
    """One render in its own thread, and what it came to."""

    def __init__(self, changes: int, version: str, timeout: float) -> None:
        self.changes = changes
        self.version = version
        self.deadline = time.monotonic() + timeout
        self.done = threading.Event()


class Preview:
    def __init__(self, project: Path, timeout: float | None = None) -> None:
        self.project = project
        self.timeout = RENDER_TIMEOUT if timeout is None else timeout
        # A fresh token per server: a page left open across a restart reloads.
        self._token = secrets.token_hex(4)
        self._lock = threading.Lock()
        self._changes = 0
        self._late = 0
        """Renders that finished after a page had said they were late: open pages reload for them."""
        self._stalled_shown = False
        self._snapshot: Snapshot | None = None
        self._running: _Render | None = None

    @property
    def version(self) -> str:
        with self._lock:
            return self._version()

    def _version(self) -> str:
        return f"{self._token}-{self._changes}" + (f".{self._late}" if self._late else "")

    def changed(self) -> str:
        """An input changed: the next request renders again and open pages reload."""
        with self._lock:
            self._changes += 1
            return self._version()

    def snapshot(self) -> Snapshot:
        """The current rendering, waiting at most `timeout` seconds for it.

        Rendering runs in a daemon thread, so a render blocked for good (a
        file that never answers) holds neither this request nor any later
        one: after the timeout the page says so and names any input that is
        not a regular file, and the next change renders afresh.  A render
        that was only slow still lands, and open pages reload to show it.
        """
        waited_until = time.monotonic() + self.timeout
        while True:
            with self._lock:
                changes = self._changes
                if self._snapshot is not None and self._snapshot.changes == changes:
                    return self._snapshot
                render = self._running
                # One render at a time, as before; one past its deadline is given up on.
                if render is None or (render.changes != changes and time.monotonic() >= render.deadline):
                    render = self._start(changes)
            remaining = min(render.deadline, waited_until) - time.monotonic()
            if render.done.wait(max(remaining, 0)):
                continue
            with self._lock:
                if render.done.is_set():
                    continue
                if render.changes != changes and time.monotonic() < waited_until:
                    continue  # an older render, now given up on, was in the way: start this one
                self._stalled_shown = True
                return self._stalled(changes)

    def _start(self, changes: int) -> _Render:
        render = _Render(changes, self._version(), self.timeout)
        self._running = render
        threading.Thread(target=self._run, args=(render,), name="preview-render", daemon=True).start()
        return render

    def _run(self, render: _Render) -> None:
        snapshot = self._render(render.version, render.changes)
        with self._lock:
            if self._running is render:
                self._running = None
            if self._stalled_shown:
                # A page shows "taking too long": make it reload, now that something finished.
                self._stalled_shown = False
                self._late += 1
            if self._snapshot is None or self._snapshot.changes <= render.changes:
                self._snapshot = replace(snapshot, version=self._version())
        render.done.set()

    def _stalled(self, changes: int) -> Snapshot:
        lines = [
            f"Rendering took longer than {self.timeout:g} s and was given up on: a file the pipeline reads "
            "may never answer (a FIFO, a device, a stalled network folder). The page reloads when a render "
            "finishes or a file changes."
        ]
        lines += [f"{name}: not a regular file ({kind})" for name, kind in irregular_inputs(self.project)]
        return Snapshot(self._version(), None, tuple(lines), stalled=True, changes=changes)

    def _render(self, version: str, changes: int) -> Snapshot:
        try:
            return Snapshot(version, render_project(self.project, draft=True), changes=changes)
        except PipelineError as error:
            return Snapshot(version, None, tuple(error.diagnostics), changes=changes)
        except Exception:
            # A bug in the pipeline must not take the preview down with it either.
            trace = traceback.format_exc()
            print(trace, file=sys.stderr, end="")
            return Snapshot(version, None, (trace,), bug=True, changes=changes)

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

    def data(self, folder: str, name: str) -> Page:
        """An article's figures or a chart's table, as the build would publish it beside the page."""
        snapshot = self.snapshot()
        if snapshot.rendered is None:
            return error_page(snapshot)
        found = data_file(snapshot.rendered, folder, name)
        if found is None:
            return not_found(snapshot.version, f"No data file {folder}/{name} in this project.")
        return Page(200, found[0].decode("utf-8"), found[1])


def error_page(snapshot: Snapshot) -> Page:
    if snapshot.bug:
        heading = "The preview failed: a bug in the pipeline, not in your files"
    elif snapshot.stalled:
        heading = "The preview is not rendering: it waited too long for the project's files"
    else:
        count = len(snapshot.errors)
        heading = f"The input has {count} error{'s' if count != 1 else ''}; fix and save to see the article again"
    items = "".join(f"<li>{_error_item(error)}</li>" for error in snapshot.errors)
    body = f'<main class="preview"><h1>{escape(heading)}</h1><ul class="errors">{items}</ul></main>'
    return Page(500, _page("Preview: errors", body, snapshot.version))


def _error_item(error: Diagnostic | str) -> str:
    if isinstance(error, str) or not error.excerpt:
        return escape(str(error))
    # In <pre>: the caret lines up only where the lines keep their spaces and do not wrap.
    excerpt = "\n".join(error.excerpt)
    return f"{escape(str(error))}<pre>{escape(excerpt)}</pre>"


def irregular_inputs(project: Path) -> Iterator[tuple[str, str]]:
    """Each input that is not a regular file or folder (a FIFO a render would wait on forever), with its kind.

    Only status is asked (stat), which never opens, so never waits on, a file.
    """
    for folder in INPUT_FOLDERS:
        for parent, _, names in os.walk(project / folder):
            for name in sorted(names):
                path = Path(parent, name)
                try:
                    mode = path.stat().st_mode
                except OSError:
                    continue  # a link leading nowhere: the render reports it, it does not wait on it
                if not stat.S_ISREG(mode):
                    yield path.relative_to(project).as_posix(), _kind(mode)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file"


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
