"""The preview never wedges on a file, and SIGTERM always stops it.

A FIFO in facts/ once blocked a render forever while it held the render lock,
so every later page waited too.  Now a request waits a bounded time for a
render that runs in a thread of its own.  The servers run in real processes
on 127.0.0.1 and are stopped by process id whatever happens.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipeline.errors import UserError
from pipeline.serve import preview as preview_module
from pipeline.serve.preview import Preview, error_page
from tests.conftest import ROOT, Project

ANSWER_WITHIN = 15
STOP_WITHIN = 5
URL_LINE = re.compile(r"previewing .+ at http://127\.0\.0\.1:(\d+)/ \(Ctrl-C stops\)\n")


@contextmanager
def serving(command: list[str]) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """A preview server process and its port; killed by its id if the test leaves it running."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout=20)
        match = URL_LINE.fullmatch(lines[0]) if lines else None
        assert match, f"no URL printed within 20 s: {lines}"
        yield process, int(match.group(1))
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def get(port: str | int, path: str) -> tuple[int, str, float]:
    """Status, body and seconds taken; a server that does not answer in time fails the test."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=ANSWER_WITHIN)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), time.monotonic() - started
    finally:
        connection.close()


def next_version(port: int, before: str) -> str:
    """Wait, as an open page does, for the watcher to notice a change."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        version = get(port, "/__version")[1]
        if version != before:
            return version
        time.sleep(0.05)
    pytest.fail("the watcher did not notice the change within 20 s")


def stop(process: subprocess.Popen[str]) -> tuple[str, str]:
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=STOP_WITHIN)
    assert time.monotonic() - started < STOP_WITHIN
    return out, err


def test_a_fifo_in_facts_shows_an_error_and_the_page_comes_back_when_it_goes(minimal: Project) -> None:
    command = [sys.executable, "-m", "pipeline", "--project", str(minimal.root), "serve", "--port", "0"]
    with serving(command) as (process, port):
        status, body, _ = get(port, "/id/story.html")
        assert status == 200 and "setidaknya 3.250" in body
        version = get(port, "/__version")[1]

        fifo = minimal.path("facts/zz.yaml")
        os.mkfifo(fifo)
        version = next_version(port, version)
        for path in ("/id/story.html", "/", "/story"):
            status, body, seconds = get(port, path)
            # Refused as a FIFO when read (safe_files), or, if a reader still waits on it, after the timeout.
            assert status == 500 and "facts/zz.yaml" in body, (path, body)
            assert seconds < ANSWER_WITHIN, path

        fifo.unlink()
        next_version(port, version)
        status, body, _ = get(port, "/id/story.html")
        assert status == 200 and "setidaknya 3.250" in body

        out, _ = stop(process)
    assert (process.returncode, out.splitlines()[-1]) == (0, "preview stopped")


BLOCKED_SERVER = """
import sys, threading
import pipeline.serve.preview
pipeline.serve.preview.RENDER_TIMEOUT = 1.0
# A render that never returns, as one stuck on a file that never answers.
pipeline.serve.preview.render_project = lambda *args, **kwargs: threading.Event().wait()
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_sigterm_stops_the_server_while_a_render_is_blocked_for_good(minimal: Project) -> None:
    command = [sys.executable, "-c", BLOCKED_SERVER, "--project", str(minimal.root), "serve", "--port", "0"]
    with serving(command) as (process, port):
        for path in ("/id/story.html", "/story", "/"):
            status, body, seconds = get(port, path)
            assert status == 500 and "Rendering took longer than 1 s and was given up on" in body, path
            assert seconds < 5, path
        assert get(port, "/__version")[0] == 200
        out, err = stop(process)
    assert (process.returncode, out.splitlines()[-1], err) == (0, "preview stopped", "")


# The timeout, in one process ---------------------------------------------------


class Gate:
    """A render_project that waits until the test opens it, then renders for real."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.calls = 0

    def __call__(self, project: Path, draft: bool = False) -> object:
        self.calls += 1
        self.open.wait(timeout=60)
        return REAL_RENDER(project, draft=draft)


REAL_RENDER = preview_module.render_project


def test_a_slow_render_shows_the_timeout_then_lands_and_open_pages_reload(
    minimal: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate()
    monkeypatch.setattr(preview_module, "render_project", gate)
    preview = Preview(minimal.root, timeout=0.5)
    started = time.monotonic()
    first = preview.snapshot()
    assert first.stalled and first.rendered is None and 0.5 <= time.monotonic() - started < 5
    page = error_page(first)
    assert page.status == 500 and "The preview is not rendering" in page.html
    assert "Rendering took longer than 0.5 s and was given up on" in page.html
    assert f'var shown = "{preview.version}";' in page.html

    # The render is past its deadline: later requests answer at once, and wait on no new render.
    started = time.monotonic()
    assert preview.snapshot().stalled and time.monotonic() - started < 0.2
    assert gate.calls == 1

    before = preview.version
    gate.open.set()
    deadline = time.monotonic() + 30
    while preview.version == before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert preview.version == before + ".1"  # the late render makes the open page reload
    landed = preview.snapshot()
    assert landed.rendered is not None and landed.version == preview.version
    assert gate.calls == 1


def test_a_render_stuck_for_good_does_not_hold_the_next_change(
    minimal: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    stuck = threading.Event()  # set only when the test is over: till then this render never returns
    calls: list[int] = []

    def render(project: Path, draft: bool = False) -> object:
        calls.append(1)
        if len(calls) == 1:
            stuck.wait()
            raise UserError.single("released once the test is over", "test.released")
        return REAL_RENDER(project, draft=draft)

    monkeypatch.setattr(preview_module, "render_project", render)
    try:
        preview = Preview(minimal.root, timeout=0.5)
        assert preview.snapshot().stalled
        preview.changed()
        fresh = preview.snapshot()
        assert fresh.rendered is not None and not fresh.stalled and len(calls) == 2
    finally:
        stuck.set()


def test_the_timeout_page_names_inputs_that_are_not_files(minimal: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    os.mkfifo(minimal.path("facts/zz.yaml"))
    os.mkfifo(minimal.path("templates/pipe.html"))
    never = threading.Event()
    monkeypatch.setattr(preview_module, "render_project", lambda project, draft=False: never.wait(30))
    try:
        snapshot = Preview(minimal.root, timeout=0.2).snapshot()
    finally:
        never.set()
    assert snapshot.errors[1:] == (
        "facts/zz.yaml: not a regular file (a FIFO)",
        "templates/pipe.html: not a regular file (a FIFO)",
    )
