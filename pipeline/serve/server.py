"""`pipeline serve`: the live preview over HTTP, on the loopback interface only.

The standard library's ThreadingHTTPServer is enough for one reviewer's
browser, and keeps the preview free of a web framework.  The server listens
on a loopback address only, and answers only requests addressed to a
loopback name: a web page elsewhere cannot reach it by pointing a DNS name
at 127.0.0.1 (DNS rebinding) and read unpublished drafts.

Routes:
    /                         the articles
    /<slug>                   the locales' editions side by side
    /<locale>/<slug>.html     one edition (also /bilingual/<slug>.html)
    /assets/<path>            the project's assets (no `..`, no symlink leaving assets/)
    /__version                changes whenever an input changes; pages poll it
"""

from __future__ import annotations

import errno
import ipaddress
import mimetypes
import os
import signal
import socket
import socketserver
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from watchfiles import Change, DefaultFilter, watch

from pipeline.config import load_config
from pipeline.errors import UserError
from pipeline.serve.preview import INPUT_FOLDERS, NO_PDF, VERSION_PATH, Page, Preview, not_found

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8700
WATCHED = INPUT_FOLDERS

Log = Callable[[str], None]


def is_loopback_name(name: str) -> bool:
    """A Host name that cannot be rebound by DNS to another machine: localhost or a loopback literal."""
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


def loopback_address(host: str) -> str:
    """`host` as a literal loopback address; anything that could face a network is refused."""
    literal = DEFAULT_HOST if host == "localhost" else host
    try:
        loopback = ipaddress.ip_address(literal).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise UserError.single(
            f"refusing to serve on {host!r}: the preview listens on the loopback interface only "
            "(127.0.0.1, ::1 or localhost)",
            "serve.host",
        )
    return literal


class PreviewServer(ThreadingHTTPServer):
    # Polling pages keep connections coming; none of them may delay Ctrl-C.
    daemon_threads = True

    def __init__(self, host: str, port: int, preview: Preview) -> None:
        self.preview = preview
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), PreviewHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up (getfqdn), which may
        # wait on DNS; the preview never needs that name.
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    @property
    def url(self) -> str:
        host = self.server_name
        return f"http://[{host}]:{self.server_port}/" if ":" in host else f"http://{host}:{self.server_port}/"


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "pipeline-preview"

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        if not self._addressed_to_loopback():
            self._send(HTTPStatus.FORBIDDEN, b"this preview answers only requests to localhost\n", "text/plain", head)
            return
        path = urlsplit(self.path).path
        preview = self.server.preview
        if path == VERSION_PATH:
            self._send(HTTPStatus.OK, preview.version.encode("ascii"), "text/plain", head)
        elif path.startswith("/assets/"):
            self._asset(path.removeprefix("/assets/"), head)
        else:
            page = self._page(path, preview)
            self._send(HTTPStatus(page.status), page.body, page.content_type, head)

    def _page(self, path: str, preview: Preview) -> Page:
        parts = unquote(path).strip("/").split("/")
        if parts == [""]:
            return preview.index()
        if len(parts) == 1:
            return preview.side_by_side(parts[0])
        if len(parts) == 2 and parts[1].endswith(".html"):
            return preview.edition(parts[0], parts[1].removesuffix(".html"))
        if len(parts) == 2 and parts[1].endswith((".csv", ".json")):
            return preview.data(parts[0], parts[1])
        if len(parts) == 2 and parts[1].endswith(".pdf"):
            return not_found(preview.version, NO_PDF)
        return not_found(preview.version, f"Nothing at {path}.")

    def _asset(self, relative: str, head: bool) -> None:
        assets = self.server.preview.project / "assets"
        try:
            target = safe_asset_path(assets, unquote(relative))
        except PermissionError as refusal:
            self._send(HTTPStatus.FORBIDDEN, f"{refusal}\n".encode(), "text/plain", head)
            return
        except FileNotFoundError:
            self._send(HTTPStatus.NOT_FOUND, b"no such asset\n", "text/plain", head)
            return
        try:
            data = target.read_bytes()
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, b"cannot read this asset\n", "text/plain", head)
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(HTTPStatus.OK, data, kind, head)

    def _addressed_to_loopback(self) -> bool:
        host = self.headers.get("Host")
        if host is None:
            return True  # HTTP/1.0 without Host: no name to rebind
        name = host.strip().lower()
        # "[::1]:8700" keeps its brackets; "localhost:8700" loses its port.
        name = name[: name.find("]") + 1] if name.startswith("[") else name.partition(":")[0]
        return is_loopback_name(name)

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, head: bool) -> None:
        self.send_response(status)
        charset = "; charset=utf-8" if content_type.startswith("text/") else ""
        self.send_header("Content-Type", content_type + charset)
        self.send_header("Content-Length", str(len(body)))
        # Every reload must show the files as they are now, stylesheets included.
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # pages poll /__version several times a second: one line each would drown the terminal

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the standard library's name)
        print(f"preview: {format % args}", file=sys.stderr)


def safe_asset_path(assets: Path, relative: str) -> Path:
    """The file `relative` names under `assets`; PermissionError when it would leave the folder."""
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or "\\" in relative or "\x00" in relative or ".." in parts:
        raise PermissionError(f"refused asset path {relative!r}")
    target = assets.joinpath(*parts)
    # Real paths decide, so a symbolic link inside assets/ cannot lead out of it.
    if not Path(os.path.realpath(target)).is_relative_to(os.path.realpath(assets)):
        raise PermissionError(f"refused asset path {relative!r}: it leads outside assets/")
    if not target.is_file():
        raise FileNotFoundError(relative)
    return target


class Watcher:
    """Bumps the preview's version whenever a fact, template, catalog or asset changes."""

    def __init__(self, preview: Preview, log: Log) -> None:
        self.preview = preview
        self.log = log
        self.folders = [preview.project / name for name in WATCHED if (preview.project / name).is_dir()]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="preview-watcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        if not self.folders:
            self.log("preview: no facts/, templates/, locales/ or assets/ folder to watch; reload by hand")
            return
        root = self.preview.project
        try:
            for changes in watch(
                *self.folders, watch_filter=InputFilter(), stop_event=self._stop, raise_interrupt=False
            ):
                self.preview.changed()
                names = sorted({os.path.relpath(path, root) for _, path in changes})
                self.log(f"changed: {', '.join(names)}")
        except Exception as exc:  # e.g. the system's inotify watch limit: keep serving, say so
            self.log(f"preview: watching files failed ({exc}); pages no longer reload by themselves")


class InputFilter(DefaultFilter):
    """watchfiles' default filter (editor swap files, caches), plus what the pipeline writes itself.

    Rendering compiles catalogs into `.mo` files beside them (through a
    hidden `.tmp` file): noticing those would reload the page forever.
    """

    def __call__(self, change: Change, path: str) -> bool:
        name = os.path.basename(path)
        if name.endswith(".mo") or (name.startswith(".") and name.endswith(".tmp")):
            return False
        return super().__call__(change, path)


@dataclass
class Running:
    server: PreviewServer
    watcher: Watcher

    @property
    def url(self) -> str:
        return self.server.url


@contextmanager
def open_preview(
    project: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, log: Log | None = None
) -> Iterator[Running]:
    """A bound server and a running watcher; the caller serves (serve_forever) in any thread."""
    say = log or (lambda line: print(line, file=sys.stderr))
    address = loopback_address(host)
    load_config(project)  # a missing project folder is an error now, not on the first request
    try:
        server = PreviewServer(address, port, Preview(project))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UserError.single(
                f"port {port} is in use: choose another with --port, or --port 0 for a free one", "serve.port"
            ) from None
        raise UserError.single(f"cannot listen on {host} port {port}: {exc.strerror}", "serve.port") from None
    watcher = Watcher(server.preview, say)
    watcher.start()
    try:
        yield Running(server, watcher)
    finally:
        server.server_close()
        watcher.stop()


STOP_GRACE = 3.0
"""Seconds stopping may take before the process leaves at once, whatever still holds it."""


class Terminated(BaseException):
    """SIGTERM arrived: stop serving, as Ctrl-C does.

    A BaseException, like KeyboardInterrupt, so that the server's own
    `except Exception` around each request cannot swallow it.
    """


def serve(project: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Serve until Ctrl-C or SIGTERM; returns the exit status."""
    with open_preview(project, host, port) as running:
        print(f"previewing {project} at {running.url} (Ctrl-C stops)", flush=True)
        try:
            with _terminated_on_sigterm():
                running.server.serve_forever()
        except (KeyboardInterrupt, Terminated):
            print("preview stopped", flush=True)
            _exit_after(STOP_GRACE)
    return 0


@contextmanager
def _terminated_on_sigterm() -> Iterator[None]:
    """SIGTERM raises Terminated in the serving thread while serving; the default again after.

    Python runs signal handlers in the main thread, which only serves: a
    render blocked on a file waits in another thread and cannot delay it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers (the tests serve from threads)
        return

    def stop(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit_after(seconds: float) -> None:
    """Leave the process after `seconds` even if clean-up or interpreter shutdown is held up.

    Clean-up closes the socket and stops the watcher within a moment; what
    could hold the exit longer is a thread stuck in a file forever, which
    os._exit does not wait for.
    """
    timer = threading.Timer(seconds, os._exit, args=(0,))
    timer.daemon = True
    timer.start()
