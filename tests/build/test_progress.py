"""`pipeline build` progress: a bar of written files on a terminal, the plain lines everywhere else.

The terminal is a real pseudo-terminal (with a size, as a terminal has), so
the CLI's own TTY detection decides; logs, pipes and CI keep exactly the
lines they always had.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time

from tests.conftest import Project

LINES = [
    "rendered 3 editions of 1 articles",
    "wrote 3 .html files",
    "wrote 3 .pdf files",
    "figures agree across languages, HTML and PDF",
]


def build_on_terminal(project: Project, *options: str, ci: str | None = None) -> tuple[int, str, str]:
    """`pipeline build` with stderr on a 100-column pseudo-terminal: exit code, stdout, what the terminal got."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {name: value for name, value in os.environ.items() if name != "CI"}
    env["TERM"] = "xterm"
    if ci is not None:
        env["CI"] = ci
    command = [sys.executable, "-m", "pipeline", "--project", str(project.root), "build", *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=terminal, stdin=subprocess.DEVNULL, env=env)
    os.close(terminal)
    received = b""
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 1)
            if not ready:
                continue
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the build closed the terminal
                break
            if not chunk:
                break
            received += chunk
        out, _ = process.communicate(timeout=max(1, deadline - time.monotonic()))
    finally:
        os.close(controller)
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process.returncode, out.decode(), received.decode("utf-8", "replace").replace("\r\n", "\n")


def visible_lines(text: str) -> list[str]:
    """What stays on screen: of each line, the part after its last carriage return (bars are overwritten)."""
    return [line.rsplit("\r", 1)[-1] for line in text.split("\n") if line.rsplit("\r", 1)[-1].strip()]


def test_plain_lines_when_not_a_terminal(minimal: Project) -> None:
    result = minimal.build()
    assert result.code == 0
    assert result.err.splitlines() == LINES
    assert "\r" not in result.err


def test_a_bar_of_written_files_on_a_terminal(minimal: Project) -> None:
    code, out, terminal = build_on_terminal(minimal)
    assert (code, out) == (0, f"published 3 HTML, 3 PDF and 6 data files to {minimal.out}\n")
    # The count is of the files published: a JSON and a CSV beside each edition, no chart to tabulate.
    assert len([path for path in minimal.out.rglob("*.figures.*") if path.is_file()]) == 6
    written = ["en/story.html", "id/story.html", "bilingual/story.html", "en/story.pdf", "id/story.pdf"]
    for done, name in enumerate(written, start=1):
        assert re.search(rf"\rwriting {done}/6 \|[^|]*\| \d\d:\d\d, {name}\r", terminal), name
    # The messages stay whole lines above the bar, which is cleared when done.
    assert visible_lines(terminal) == LINES


def test_plain_lines_under_ci_even_on_a_terminal(minimal: Project) -> None:
    code, _, terminal = build_on_terminal(minimal, ci="true")
    assert code == 0
    assert terminal == "\n".join(LINES) + "\n"


def test_plain_lines_on_request(minimal: Project) -> None:
    code, _, terminal = build_on_terminal(minimal, "--progress", "lines")
    assert code == 0
    assert terminal == "\n".join(LINES) + "\n"


def test_a_bar_on_request_outside_a_terminal(minimal: Project) -> None:
    result = minimal.build("--progress", "bar")  # stderr is not a terminal here
    assert result.code == 0
    assert re.search(r"\rwriting 3/6 \|[^|]*\| \d\d:\d\d, bilingual/story.html\r", result.err)
    assert visible_lines(result.err) == LINES
